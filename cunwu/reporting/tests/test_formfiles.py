"""Reading department forms, good and bad (no database)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from bench.reporting_forms import TRAIN
from cunwu.reporting import fields
from cunwu.reporting.formfiles import FormFileError, read_form

from .sheets import Col, FormSpec, Group, form_bytes

DATA = Path(__file__).parent / "data"


def _xlsx(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_two_level_merged_header_below_title_and_filling_unit_line() -> None:
    spec = FormSpec(
        "县民政局",
        "低保统计表",
        [
            Col("序号", role="serial"),
            Col("村委会", role="key"),
            Group("农村低保", (Col("户数（户）"), Col("金额（万元）"))),
            Col("填报人", role="signature"),
        ],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert form.name == "低保统计表"
    assert [c.role for c in form.columns] == ["serial", "key", "data", "data", "signature"]
    households, money = form.columns[2], form.columns[3]
    assert households.headers == ["农村低保", "户数（户）"]
    assert (households.name, households.unit, households.type) == ("农村低保户数", "户", "integer")
    assert (money.name, money.unit, money.type) == ("农村低保金额", "万元", "decimal")
    assert form.header_rows == [3, 4]


def test_table_units_line_after_the_filing_unit_line() -> None:
    spec = FormSpec(
        "县乡村振兴局",
        "监测对象月报表",
        [Col("村（社区）", role="key"), Col("总户数"), Col("总人口"), Col("脱贫劳动力"), Col("临时救助")],
        meta=["填报单位：          （盖章）", "单位：户、人"],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.name, c.unit) for c in form.columns if c.role == "data"] == [
        ("总户数", "户"),
        ("总人口", "人"),
        ("脱贫劳动力", "人"),  # a noun counting people
        ("临时救助", None),  # no measure word: neither unit is assumed
    ]


def test_unit_row_and_column_numbers_row() -> None:
    spec = next(s for s in TRAIN if s.unit_row)
    form = read_form(form_bytes(spec), spec.filename)
    assert [c.unit for c in form.columns if c.role == "data"][:3] == ["亩", "亩", "吨"]


def test_gbk_csv() -> None:
    spec = next(s for s in TRAIN if s.fmt == "csv-gbk")
    form = read_form(form_bytes(spec), spec.filename)
    assert form.columns[0].role == "key"
    assert any(c.name == "常住人口" and c.unit == "人" for c in form.columns)


def test_legacy_xls_with_merges() -> None:
    form = read_form((DATA / "legacy-dibao.xls").read_bytes(), "legacy-dibao.xls")
    assert [(c.name, c.unit) for c in form.columns if c.role == "data"] == [
        ("农村低保户数", "户"),
        ("农村低保金额", "万元"),
    ]


def test_password_protected_file() -> None:
    with pytest.raises(FormFileError, match="打开密码") as caught:
        read_form((DATA / "protected.xlsx").read_bytes(), "protected.xlsx")
    assert caught.value.code == "encrypted"


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"PK\x03\x04broken", "form.xlsx", "corrupt"),
        (b"%PDF-1.7 not a sheet", "form.pdf", "not_spreadsheet"),
        (b"\x89PNG\r\n\x1a\n....", "photo.png", "not_spreadsheet"),
        (b"", "empty.xlsx", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage", "old.xls", "corrupt"),
    ],
)
def test_unreadable_files(data: bytes, name: str, code: str) -> None:
    with pytest.raises(FormFileError) as caught:
        read_form(data, name)
    assert caught.value.code == code
    assert name in caught.value.message


def test_docx_is_not_a_spreadsheet() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(FormFileError, match="不是电子表格"):
        read_form(out.getvalue(), "通知.docx")


def test_hidden_sheet_skipped_and_other_sheets_named() -> None:
    book = Workbook()
    hidden = book.active
    assert hidden is not None
    hidden.title = "参数"
    hidden.append(["代码", "名称"])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("表1")
    shown.append(["村名", "常住人口（人）", "低保户数（户）"])
    shown.append(["松林村", 1200, 30])
    extra = book.create_sheet("表2")
    extra.append(["村名", "耕地面积（亩）"])
    form = read_form(_xlsx(book), "表.xlsx")
    assert form.sheet == "表1"
    assert any("隐藏" in w and "参数" in w for w in form.warnings)
    assert any("表2" in w for w in form.warnings)


def test_formulas_blank_and_duplicate_headers_are_named() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "汇总"
    ws.append(["村名", "男（人）", "女（人）", "合计（人）", None, "女（人）"])
    ws.append(["松林村", 10, 12, "=B2+C2", 5, 3])
    form = read_form(_xlsx(book), "汇总.xlsx")
    total = next(c for c in form.columns if c.index == 3)
    assert total.type == "integer"  # the formula's text is not a sample value
    assert any("F 列" in w and "重复" in w for w in form.warnings)
    assert any("E 列" in w and "表头是空的" in w for w in form.warnings)


def test_sheet_of_100000_rows_is_refused_naming_the_sheet() -> None:
    book = Workbook(write_only=True)
    ws = book.create_sheet("明细")
    ws.append(["村名", "人数"])
    for i in range(100_000):
        ws.append(["松林村", i])
    with pytest.raises(FormFileError, match="工作表「明细」有 100,001 行") as caught:
        read_form(_xlsx(book), "明细.xlsx")
    assert caught.value.code == "too_many_rows"


def test_sheet_without_header() -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["只有标题"])
    with pytest.raises(FormFileError, match="找不到表头"):
        read_form(_xlsx(book), "x.xlsx")


def test_a_csv_two_level_header_spreads_its_top_over_the_blank_beside_it() -> None:
    text = (
        "户籍人口统计表\n乡镇,村委会,户籍,,常住人口（人）\n,,户数（户）,人口数（人）,\n罗免镇,松林村委会,120,450,430\n"
    )
    form = read_form(text.encode("gbk"), "户籍.csv")
    by_index = {c.index: c for c in form.columns}
    assert by_index[3].headers == ["户籍", "人口数（人）"] and by_index[3].unit == "人"
    assert by_index[4].headers == ["常住人口（人）"]


def test_header_found_below_filing_unit_and_filing_time_lines() -> None:
    spec = FormSpec(
        "县水务局",
        "河长制工作情况表",
        [Col("乡镇", role="key"), Col("村委会", role="key"), Col("巡河（次）"), Col("河道长度（公里）")],
        meta=["填报单位：", "填报时间："],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.name, c.role, c.unit) for c in form.columns] == [
        ("乡镇", "key", None),
        ("村委会", "key", None),
        ("巡河", "data", "次"),
        ("河道长度", "data", "公里"),
    ]


def test_a_balance_takes_the_money_unit_of_the_table() -> None:
    spec = FormSpec(
        "县乡村振兴局",
        "小额信贷月报表",
        [Col("村（社区）", role="key"), Col("获贷户数"), Col("贷款余额")],
        meta=["填报单位：", "单位：户、万元"],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.name, c.unit) for c in form.columns if c.role == "data"] == [("获贷户数", "户"), ("贷款余额", "万元")]


@pytest.mark.parametrize(
    "meta",
    [
        ["填报单位：", "统计期：    年  月"],  # 统计期 in a far column of the same row
        ["填报单位：", "单位负责人："],  # a signature line above the table
        ["填报单位：", "截止时间：    年  月  日"],
    ],
)
def test_a_key_value_metadata_row_is_never_the_header(meta: list[str]) -> None:
    spec = FormSpec(
        "县农业农村局",
        "农村经济主要指标年报表",
        [
            Col("序号", role="serial"),
            Col("乡（镇）", role="key"),
            Group("农村经济总收入", (Col("合计（万元）"), Col("其中：农业收入（万元）"))),
            Col("农民人均可支配收入（元）"),
        ],
        meta=meta,
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert form.header_rows == [3, 4]
    assert [c.role for c in form.columns] == ["serial", "key", "data", "data", "data"]
    assert form.columns[3].headers == ["农村经济总收入", "其中：农业收入（万元）"]  # '其中：' is a sub-header
    assert form.columns[4].unit == "元"


def test_a_first_column_with_no_header_but_village_names_is_the_key() -> None:
    spec = FormSpec(
        "县司法局",
        "矛盾纠纷排查调处情况月报表",
        [Col("", role="key"), Col("排查纠纷总数"), Col("调解成功")],
        meta=["填报单位：", "单位：件、人"],
        footer="调委会主任：          填表人：",
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [c.role for c in form.columns] == ["key", "data", "data"]
    assert form.columns[0].samples == ["松林村委会", "大坪村委会", "河口村委会"]  # the footer is not a village
    assert form.columns[1].unit == "件"


def test_a_unit_row_under_bare_headers_in_ten_thousands() -> None:
    spec = FormSpec(
        "县农业农村局",
        "畜牧业生产情况表",
        [
            Col("村（社区）", role="key"),
            Group("生猪", (Col("期末存栏", unit="头", unit_cell="头"), Col("当季出栏", unit="头", unit_cell="头"))),
            Col("家禽期末存栏", unit="万羽", type="decimal", unit_cell="万羽"),
            Col("禽蛋产量", unit="吨", type="decimal", unit_cell="吨"),
        ],
        unit_row=True,
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.name, c.unit) for c in form.columns if c.role == "data"] == [
        ("生猪期末存栏", "头"),
        ("生猪当季出栏", "头"),
        ("家禽期末存栏", "万羽"),
        ("禽蛋产量", "吨"),
    ]


def test_a_unit_row_with_one_unknown_unit_is_still_read() -> None:
    spec = FormSpec(
        "县农业农村局",
        "主要农作物播种面积和产量统计表",
        [
            Col("乡镇", role="key"),
            Col("村（社区）", role="key"),
            Group("粮食", (Col("播种面积", unit="公顷", unit_cell="公顷"), Col("产量", unit="吨", unit_cell="吨"))),
            Group("烤烟", (Col("播种面积", unit="亩", unit_cell="亩"), Col("产量", unit="担", unit_cell="担"))),
            Col("农药使用量", unit="吨", unit_cell="吨"),
            Col("地膜覆盖", unit="吨", unit_cell="百吨"),  # a unit the reader does not know
        ],
        unit_row=True,
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.name, c.unit) for c in form.columns if c.role == "data"][:5] == [
        ("粮食播种面积", "公顷"),
        ("粮食产量", "吨"),
        ("烤烟播种面积", "亩"),
        ("烤烟产量", "担"),
        ("农药使用量", "吨"),
    ]
    assert form.data_start == form.header_rows[-1] + 2  # the unit row is skipped, not read as a village
    assert "百吨" not in form.columns[-1].samples


def test_an_organisation_beside_the_village_is_a_key() -> None:
    spec = FormSpec(
        "县烟草专卖局",
        "烤烟种植合同签订和烟叶收购进度表",
        [
            Col("烟叶站（点）", role="key"),
            Col("村委会", role="key"),
            Col("合同面积（亩）", unit="亩"),
            Col("村级寄递物流服务站", unit="个"),
            Col("烟技员", role="signature"),
        ],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [c.role for c in form.columns] == ["key", "key", "data", "data", "signature"]


def test_a_part_with_no_measure_word_counts_in_its_wholes_unit() -> None:
    spec = FormSpec(
        "县民政局",
        "特困供养和临时救助情况季报表",
        [
            Col("村（社区）", role="key"),
            Group("特困供养", (Col("人数", unit="人"), Col("其中：集中供养", unit="人"))),
            Col("临时救助金额", unit="万元", type="decimal"),
        ],
        meta=["填报单位：", "单位：户、人、万元"],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.name, c.unit, c.part_of) for c in form.columns if c.role == "data"] == [
        ("特困供养人数", "人", ""),
        ("集中供养", "人", "特困供养人数"),
        ("临时救助金额", "万元", ""),
    ]


def test_a_count_of_organisations_beside_the_village_stays_data() -> None:
    spec = FormSpec(
        "县农业农村局",
        "新型农业经营主体情况表",
        [Col("村（社区）", role="key"), Col("农民专业合作社"), Col("家庭农场")],
        meta=["填报单位：", "单位：个"],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [c.role for c in form.columns] == ["key", "data", "data"]
    assert form.columns[1].unit == "个"


def test_a_post_filled_with_numbers_is_a_count() -> None:
    spec = FormSpec(
        "县文化和旅游局",
        "全民健身情况表",
        [Col("村（社区）", role="key"), Col("健身路径（条）", unit="条"), Col("社会体育指导员")],
        meta=["填报单位：", "单位：条、人"],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [(c.role, c.unit) for c in form.columns] == [("key", None), ("data", "条"), ("data", "人")]
    assert fields.one_post(["社会体育指导员"]) and fields.role_of(["社会体育指导员"], 2) == "signature"


def test_a_post_with_no_numbers_below_is_a_signature() -> None:
    spec = FormSpec(
        "县人武部",
        "兵役登记情况统计表",
        [
            Col("安置社区", role="key"),
            Col("登记人数（人）", unit="人"),
            Col("网格员人数", unit="人"),
            Col("生态护林员"),
            Col("民兵连长", role="signature", type="text"),
            Col("台区经理", role="signature", type="text"),
            Col("残疾人专职委员", role="signature", type="text"),
            Col("村级公示人", role="signature", type="text"),
        ],
        meta=["填报单位：", "单位：人"],
    )
    form = read_form(form_bytes(spec), spec.filename)
    assert [c.role for c in form.columns] == ["key", "data", "data", "data", *["signature"] * 4]


def test_post_shape_leaves_members_and_changes_to_data() -> None:
    assert fields.post_shaped(["征收员"]) and fields.post_shaped(["调查员"])
    assert not fields.post_shaped(["护林员（人）"])
    assert not fields.post_shaped(["流动党员"]) and not fields.post_shaped(["比上年增长"])
    assert not fields.post_shaped(["网格员人数"])
