from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pytest
from openpyxl import Workbook, load_workbook

from cunwu.documents import (
    Column,
    RowError,
    build_template,
    parse_date,
    read_table,
    write_csv,
    write_table,
)

COLUMNS = [
    Column("name", "姓名", required=True, help="户主姓名，与身份证一致"),
    Column("id_number", "身份证号", required=True, help="18位"),
    Column("gender", "性别", choices=("男", "女")),
    Column("moved_in", "迁入日期", is_date=True, help="如 2027-03-01"),
    Column("note", "备注"),
]
EXAMPLE = {
    "name": "张三",
    "id_number": "530102199001011234",
    "gender": "男",
    "moved_in": "2027-03-01",
    "note": "",
}
HEADERS = [c.header for c in COLUMNS]


def xlsx(*rows: list[object], sheet: str = "名单") -> Workbook:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def messages(errors: list[RowError]) -> str:
    return "\n".join(f"{e.row}|{e.column}|{e.message}" for e in errors)


# ---------------------------------------------------------------- template


def test_template_reads_back_its_example_row() -> None:
    data = build_template("户籍名单", COLUMNS, EXAMPLE, ["每户一行。"])
    result = read_table(data, "户籍名单.xlsx", COLUMNS)
    assert result.errors == []
    assert result.rows == [{"_row": 2, **EXAMPLE}]


def test_template_has_bold_frozen_headers_choices_and_notes() -> None:
    data = build_template("户籍名单", COLUMNS, EXAMPLE, ["每户一行。"])
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["户籍名单", "填表说明"]
    ws = wb["户籍名单"]
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"男,女"'
    assert "C2" in validation.sqref
    notes = [c.value for row in wb["填表说明"].iter_rows() for c in row if c.value]
    assert "每户一行。" in notes
    assert "户主姓名，与身份证一致" in notes


def test_long_choice_lists_are_referenced_from_the_notes_sheet() -> None:
    villages = tuple(f"第{i}村民小组（含, 逗号）" for i in range(40))
    columns = [Column("group", "村民小组", required=True, choices=villages)]
    data = build_template("名单", columns, {"group": villages[3]}, [])
    wb = load_workbook(io.BytesIO(data))
    (validation,) = wb["名单"].data_validations.dataValidation
    assert validation.formula1.startswith("'填表说明'!")
    result = read_table(data, "名单.xlsx", columns)
    assert result.errors == [] and result.rows[0]["group"] == villages[3]


# ---------------------------------------------------------------- CSV encodings

CSV_ROWS = [HEADERS, ["李四", "530102199202021234", "女", "2027/3/1", "新迁入"]]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_csv_in_every_encoding_officials_produce(encoding: str) -> None:
    result = read_table(csv_bytes(CSV_ROWS, encoding), "名单.csv", COLUMNS)
    assert result.errors == []
    assert result.rows == [
        {
            "_row": 2,
            "name": "李四",
            "id_number": "530102199202021234",
            "gender": "女",
            "moved_in": "2027-03-01",
            "note": "新迁入",
        }
    ]


def test_excel_unicode_text_export_is_read() -> None:
    text = "\r\n".join("\t".join(row) for row in CSV_ROWS)
    result = read_table(text.encode("utf-16"), "名单.txt", COLUMNS)
    assert result.ok, messages(result.errors)
    assert result.rows[0]["name"] == "李四"


def test_headers_without_data_rows_are_an_error() -> None:
    data = build_template("名单", COLUMNS, {}, [])
    result = read_table(data, "名单.xlsx", COLUMNS)  # the template with an empty example row
    assert [e.message for e in result.errors] == ["表格只有表头，没有数据行"]


def test_csv_from_a_file_named_txt_still_reads_by_content() -> None:
    result = read_table(csv_bytes(CSV_ROWS, "gbk"), "名单.txt", COLUMNS)
    assert result.ok


# ---------------------------------------------------------------- headers


def test_wrong_headers_say_which_are_missing_and_which_are_unknown() -> None:
    data = csv_bytes([["名字", "身份证号", "性别", "民族"], ["张三", "1", "男", "汉"]], "utf-8")
    result = read_table(data, "a.csv", COLUMNS)
    assert result.rows == []
    text = messages(result.errors)
    assert "缺少必填列“姓名”" in text
    assert "第A列的列名“名字”无法识别" in text
    assert "“民族”无法识别" in text
    assert all(e.row == 1 for e in result.errors)


def test_headers_match_keys_and_ignore_spaces_and_required_marks() -> None:
    data = csv_bytes([["姓　名*", "id_number", "性别（必填）", " 迁入日期 "], ["张三", "1", "男", ""]], "utf-8")
    result = read_table(data, "a.csv", COLUMNS)
    assert result.ok, messages(result.errors)
    assert result.rows[0]["name"] == "张三" and result.rows[0]["note"] == ""


def test_repeated_header_is_refused() -> None:
    data = csv_bytes([["姓名", "身份证号", "姓名"], ["张三", "1", "李四"]], "utf-8")
    assert "重复" in messages(read_table(data, "a.csv", COLUMNS).errors)


# ---------------------------------------------------------------- workbook structure


def test_merged_cells_are_refused_with_their_range() -> None:
    wb = xlsx(HEADERS, ["张三", "1", "男", "", ""], ["李四", "2", "", "", ""])
    wb.active.merge_cells("C2:C3")  # type: ignore[union-attr]
    result = read_table(to_bytes(wb), "a.xlsx", COLUMNS)
    assert result.rows == []
    (error,) = result.errors
    assert (error.row, error.column) == (2, "性别")
    assert "C2:C3" in error.message and "合并" in error.message


def test_notes_sheet_is_ignored_but_other_sheets_with_data_are_refused() -> None:
    wb = xlsx(HEADERS, ["张三", "1", "男", "", ""])
    wb.create_sheet("填表说明").append(["随便写的说明"])
    wb.create_sheet("空白")
    assert read_table(to_bytes(wb), "a.xlsx", COLUMNS).ok

    wb.create_sheet("第二批").append(["王五"])
    result = read_table(to_bytes(wb), "a.xlsx", COLUMNS)
    assert result.rows == []
    assert "“第二批”" in result.errors[0].message and "“名单”" in result.errors[0].message


def test_formulas_use_the_cached_value_and_uncached_ones_are_errors() -> None:
    wb = xlsx(HEADERS, ["张三", "=1+1", "男", "", ""])
    data = to_bytes(wb)
    # openpyxl writes no cached value, as a file never opened in Excel would have.
    result = read_table(data, "a.xlsx", COLUMNS)
    (error,) = result.errors
    assert (error.row, error.column) == (2, "身份证号")
    assert "=1+1" in error.message and "保存" in error.message

    cached = _with_cached_value(data, "B2", "2")
    result = read_table(cached, "a.xlsx", COLUMNS)
    assert result.ok, messages(result.errors)
    assert result.rows[0]["id_number"] == "2"


def _with_cached_value(data: bytes, ref: str, value: str) -> bytes:
    """Add a cached result to a formula cell, as Excel does when it saves."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                text = re.sub(
                    rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f>(<v\s*/>|<v></v>)?',
                    rf"\1<f>\2</f><v>{value}</v>",
                    text,
                )
                assert f"<v>{value}</v>" in text
                content = text.encode()
            dst.writestr(item, content)
    return out.getvalue()


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    "text", ["2027-03-01", "2027/3/1", "2027年3月1日", "2027.3.1", "20270301", "２０２７－０３－０１"]
)
def test_text_dates_in_every_usual_form(text: str) -> None:
    assert parse_date(text) == dt.date(2027, 3, 1)


def test_parse_date_of_real_dates_and_blanks() -> None:
    assert parse_date(dt.datetime(2027, 3, 1, 8, 30)) == dt.date(2027, 3, 1)
    assert parse_date(dt.date(2027, 3, 1)) == dt.date(2027, 3, 1)
    assert parse_date(None) is None
    assert parse_date(" \u3000") is None


@pytest.mark.parametrize(
    ("text", "fragment"), [("2027-02-30", "不存在"), ("三月一日", "无法识别"), ("2027-3", "无法识别")]
)
def test_bad_dates_raise_in_chinese(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_date(text)


def test_xlsx_values_are_normalised() -> None:
    wb = xlsx(
        HEADERS,
        ["\u3000张三 ", 530102199001011, "男", dt.datetime(2027, 3, 1), "  "],
        [None, None, None, None, None],  # a completely empty row is skipped
        ["李四", "0012", "女", "2027年3月5日", 1.5],
    )
    result = read_table(to_bytes(wb), "a.xlsx", COLUMNS)
    assert result.ok, messages(result.errors)
    assert result.rows == [
        {
            "_row": 2,
            "name": "张三",
            "id_number": "530102199001011",
            "gender": "男",
            "moved_in": "2027-03-01",
            "note": "",
        },
        {
            "_row": 4,
            "name": "李四",
            "id_number": "0012",
            "gender": "女",
            "moved_in": "2027-03-05",
            "note": "1.5",
        },
    ]


def test_row_errors_name_the_row_and_column_in_chinese() -> None:
    wb = xlsx(
        HEADERS,
        ["", "1", "未知", "2027-02-30", ""],
        ["王五", 5.30102199001011e17, "女", "明天", ""],
        ["赵六", "5.30102E+17", "", "", ""],
    )
    result = read_table(to_bytes(wb), "a.xlsx", COLUMNS)
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(2, "姓名")] == "必填，不能为空"
    assert found[(2, "性别")] == "“未知”不是可选值，可选：男、女"
    assert "不存在" in found[(2, "迁入日期")]
    assert "丢失" in found[(3, "身份证号")]
    assert "无法识别的日期“明天”" in found[(3, "迁入日期")]
    assert "科学计数法" in found[(4, "身份证号")]
    assert len(result.rows) == 3  # rows are still returned, for a preview


def test_error_cells_are_reported() -> None:
    wb = xlsx(HEADERS, ["张三", "1", "男", "", ""])
    ws = wb.active
    assert ws is not None
    ws["E2"] = "#N/A"
    ws["E2"].data_type = "e"
    result = read_table(to_bytes(wb), "a.xlsx", COLUMNS)
    assert "#N/A" in result.errors[0].message


# ---------------------------------------------------------------- not spreadsheets


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (random.Random(1).randbytes(4000), "名单.xlsx"),
        (random.Random(2).randbytes(4000), "名单.csv"),
        (b"PK\x03\x04" + random.Random(3).randbytes(4000), "名单.xlsx"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "名单.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "名单.xls"),
        (b"", "名单.xlsx"),
    ],
)
def test_garbage_is_one_clear_error_never_an_exception(data: bytes, filename: str) -> None:
    result = read_table(data, filename, COLUMNS)
    assert result.rows == []
    (error,) = result.errors
    assert error.row == 0 and error.message


def test_too_many_rows_are_refused() -> None:
    rows = [HEADERS] + [["张三", str(i), "", "", ""] for i in range(11)]
    result = read_table(csv_bytes(rows, "utf-8"), "a.csv", COLUMNS, max_rows=10)
    assert "最多导入 10 行" in result.errors[0].message


# ---------------------------------------------------------------- exports


def test_write_table_round_trips_and_keeps_formulas_as_text() -> None:
    rows: list[list[object]] = [["张三", '=HYPERLINK("http://x")', dt.date(2027, 3, 1), 3, None, True]]
    data = write_table("导出", ["姓名", "说明", "日期", "数量", "备注", "已核实"], rows)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["导出"]
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert ws["B2"].data_type == "s"
    assert ws["C2"].value == dt.datetime(2027, 3, 1)
    assert [c.value for c in ws[2]][3:] == [3, None, "是"]
    assert ws.column_dimensions["B"].width >= 10


def test_write_csv_has_a_bom_and_defuses_formulas() -> None:
    data = write_csv(["姓名", "金额"], [["=1+1", -5], ["@SUM(A1)", "-3.5"], ["张三", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["姓名", "金额"], ["'=1+1", "-5"], ["'@SUM(A1)", "-3.5"], ["张三", ""]]


def test_exported_csv_reads_back() -> None:
    data = write_csv(HEADERS, [["张三", "530102199001011234", "男", dt.date(2027, 3, 1), ""]])
    result = read_table(data, "导出.csv", COLUMNS)
    assert result.ok and result.rows[0]["moved_in"] == "2027-03-01"
