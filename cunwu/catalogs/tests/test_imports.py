"""Catalog spreadsheets: templates, all-or-nothing imports with per-row errors, exports that re-import."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from cunwu.catalogs import kinds
from cunwu.catalogs.imports import catalog_import, catalog_template, export_catalog, export_headers
from cunwu.catalogs.models import Revision, Statement
from cunwu.catalogs.services import revision_approve

from .helpers import FUMIN, PROVINCE, RETAINED_HEADERS, region, xlsx

GOOD = [
    "R05",
    "居住证明（富民县）",
    "居住证明|租住证明",
    "《居住证暂行条例》",
    "富民县细化",
    "派出所",
    "身份证明、租赁合同",
    "经村民小组核实后出具",
]


def run(data: bytes, filename: str = "目录.xlsx", *, actor=None, kind: str = "cert_retained", code: str = FUMIN, **kw):
    return catalog_import(
        actor=actor,
        region=region(code),
        kind=kind,
        data=data,
        filename=filename,
        change=kw.get("change", "改"),
        document=kw.get("document", "富政办〔2024〕5号"),
        effective=kw.get("effective", date(2024, 3, 1)),
    )


@pytest.mark.parametrize("kind", kinds.KINDS)
def test_template_has_chinese_headers_an_example_and_notes(kind):
    wb = load_workbook(io.BytesIO(catalog_template(kind)))
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["编码", "事项名称", "别名", "设定依据"]
    # Duty and assist items withdrawn by a sheet say where villagers go now （十七）.
    change = ["操作", "调整理由"] + (["群众今后办理去处"] if kind in (kinds.DUTY, kinds.ASSIST) else [])
    assert headers[-len(change) :] == change
    assert all(spec.header in headers for spec in kinds.all_fields(kind))
    example = [c.value for c in ws[2]]
    assert example[0] and example[1] and example[3]
    assert ws.max_row == 2
    assert wb.sheetnames[1] == "填表说明"
    notes = " ".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "全部导入" in notes and "取消" in notes and "设定依据" in notes


def test_sign_template_offers_placements_in_chinese():
    ws = load_workbook(io.BytesIO(catalog_template("sign"))).worksheets[0]
    row = dict(zip([c.value for c in ws[1]], [c.value for c in ws[2]], strict=True))
    assert row["悬挂位置"] == "外部标识"
    assert any("门口标牌" in (dv.formula1 or "") for dv in ws.data_validations.dataValidation)


def test_template_imports_as_is(county_admin):
    outcome = run(catalog_template("duty"), kind="duty", actor=county_admin)
    # The example row repeats the province base item word for word: nothing to change.
    assert outcome.ok and outcome.changed_nothing and outcome.unchanged == 1


def test_import_becomes_one_draft(county_admin):
    outcome = run(
        xlsx(
            [RETAINED_HEADERS, GOOD, ["FM-R01", "林权流转证明", "", "《农村土地承包法》", "", "林草局", "身份证明", ""]]
        ),
        actor=county_admin,
    )
    assert outcome.ok and outcome.revision is not None
    revision = outcome.revision
    assert revision.status == "draft" and revision.source_name == "目录.xlsx" and revision.drafted_by == county_admin
    statements = {s.code: s for s in revision.statements.all()}
    assert statements["R05"].fields == {
        "requesting_agency": "派出所",
        "materials": ["身份证明", "租赁合同"],
        "guide": "经村民小组核实后出具",
    }
    assert statements["R05"].aliases == ["居住证明", "租住证明"]
    assert "2 个事项" in outcome.message


def test_every_problem_reported_with_row_and_column_and_nothing_written(county_admin):
    before = (Revision.objects.count(), Statement.objects.count())
    rows = [
        RETAINED_HEADERS,
        GOOD,
        ["R06", "权属来源证明（富民）", "", "", "", "不动产登记机构", "", ""],  # no basis
        ["R05", "重复", "", "依据", "", "派出所", "", ""],  # duplicate code
        ["R99", "", "", "依据", "", "", "", ""],  # no name, no agency
    ]
    outcome = run(xlsx(rows), actor=county_admin)
    found = [(e.row, e.column) for e in outcome.row_errors]
    assert found == [(3, "设定依据"), (4, "编码"), (5, "事项名称"), (5, "索要单位")]
    assert "设定依据" in outcome.row_errors[0].message and "与第2行的编码相同" in outcome.row_errors[1].message
    assert outcome.revision is None and (Revision.objects.count(), Statement.objects.count()) == before


def test_sign_placement_and_count_checked(county_admin):
    headers = ["编码", "事项名称", "设定依据", "悬挂位置", "最多块数"]
    outcome = run(
        xlsx(
            [headers, ["S01", "党群服务中心", "依据", "楼顶", "1"], ["S02", "文明实践站", "依据", "门口标牌", "两块"]]
        ),
        kind="sign",
        actor=county_admin,
    )
    assert [(e.row, e.column) for e in outcome.row_errors] == [(2, "悬挂位置"), (3, "最多块数")]
    assert "外部标识" in outcome.row_errors[0].message
    ok = run(xlsx([headers, ["S02", "村新时代文明实践站", "依据", "门口标牌", 1]]), kind="sign", actor=county_admin)
    assert ok.ok and ok.revision.statements.get().fields["placement"] == "gate"


def test_wrong_headers_refuse_the_file(county_admin):
    outcome = run(xlsx([["编码", "名字", "依据"], ["R05", "x", "y"]]), actor=county_admin)
    messages = " ".join(e.message for e in outcome.row_errors)
    assert "名字" in messages and "缺少必填列" in messages and not outcome.ok


def test_merged_cells_extra_sheets_formulas_refused(county_admin):
    wb = Workbook()
    ws = wb.active
    ws.append(RETAINED_HEADERS)
    ws.append(GOOD)
    ws.merge_cells("B2:C2")
    buf = io.BytesIO()
    wb.save(buf)
    outcome = run(buf.getvalue(), actor=county_admin)
    assert not outcome.ok and "合并单元格" in outcome.row_errors[0].message

    wb = Workbook()
    wb.active.append(RETAINED_HEADERS)
    wb.active.append(GOOD)
    wb.create_sheet("另一张").append(["多余的内容"])
    buf = io.BytesIO()
    wb.save(buf)
    outcome = run(buf.getvalue(), actor=county_admin)
    assert not outcome.ok and "另一张" in outcome.row_errors[0].message

    outcome = run(
        xlsx([RETAINED_HEADERS, [*GOOD[:3], '=CONCAT("《居住证", "暂行条例》")', *GOOD[4:]]]), actor=county_admin
    )
    assert not outcome.ok and (outcome.row_errors[0].row, outcome.row_errors[0].column) == (2, "设定依据")
    assert "公式" in outcome.row_errors[0].message


def test_dates_as_text_in_the_informational_column(county_admin):
    headers = [*RETAINED_HEADERS, "施行日期"]
    assert run(xlsx([headers, [*GOOD, "2024年3月1日"]]), actor=county_admin).ok
    outcome = run(xlsx([headers, [*GOOD, "三月一日"]]), actor=county_admin)
    assert [(e.row, e.column) for e in outcome.row_errors] == [(2, "施行日期")]


def test_gbk_csv_as_officials_save_it(county_admin):
    text = ",".join(RETAINED_HEADERS) + "\r\n" + ",".join(GOOD) + "\r\n"
    outcome = run(text.encode("gbk"), "目录.csv", actor=county_admin)
    assert outcome.ok and outcome.revision.statements.get().name == "居住证明（富民县）"


def test_empty_and_header_only_files(county_admin):
    assert "空" in run(b"", actor=county_admin).row_errors[0].message
    assert "只有表头" in run(xlsx([RETAINED_HEADERS]), actor=county_admin).row_errors[0].message
    assert "无法识别" in run(b"\x00\x01\x02binary", "x.csv", actor=county_admin).row_errors[0].message


def test_missing_document_and_date_are_field_errors(county_admin):
    outcome = catalog_import(
        actor=county_admin,
        region=region(FUMIN),
        kind="cert_retained",
        data=xlsx([RETAINED_HEADERS, GOOD]),
        filename="a.xlsx",
        change="变",
        document="",
        effective=None,
    )
    assert set(outcome.field_errors) == {"change", "document", "effective"} and outcome.revision is None


def test_reimporting_the_same_file_changes_nothing(county_admin, prefecture_admin):
    data = xlsx([RETAINED_HEADERS, GOOD])
    first = run(data, actor=county_admin)
    again = run(data, actor=county_admin)
    assert again.ok and again.changed_nothing and f"#{first.revision.pk}" in again.message
    revision_approve(actor=prefecture_admin, revision=first.revision)
    after = run(data, actor=county_admin)
    assert after.changed_nothing and after.unchanged == 1
    assert Revision.objects.filter(region_id=FUMIN).count() == 1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_reimports_without_change(fmt, db):
    body, _mime, name = export_catalog("sign", region(PROVINCE), date(2024, 1, 1), fmt)
    assert name == f"{PROVINCE}-sign-2024-01-01.{fmt}"
    outcome = run(body, name, kind="sign", code=PROVINCE)
    assert outcome.ok and outcome.changed_nothing and outcome.unchanged == 10


def test_export_columns_and_values(village):
    body, mime, _ = export_catalog("cert_forbidden", village, date(2024, 1, 1), "csv")
    assert mime.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == export_headers("cert_forbidden")
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["编码"] == "F01" and first["替代方式类别"] == "部门核查" and first["制定层级"] == "云南省"
    assert (
        first["来源"].startswith("民发〔2020〕20号")
        and first["文号"] == "示例目录"
        and first["施行日期"] == "2023-01-01"
    )
    assert len(rows) == 23


def test_export_pdf_is_a_printable_table(village):
    from pypdf import PdfReader

    body, mime, _ = export_catalog("cert_retained", village, date(2024, 1, 1), "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    assert mime == "application/pdf" and "居（租）住证明" in text and "示例目录" in text
