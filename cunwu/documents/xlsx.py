"""Spreadsheet templates, imports and exports (openpyxl and CSV).

Imports report every problem as a ``RowError`` that names the row and column as the official
sees them in Excel, in Chinese; callers treat any error as "import nothing" (DESIGN.md §3).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

NOTES_SHEET = "填表说明"
MAX_ROWS = 10_000
MAX_UNPACKED = 100 * 1024 * 1024
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass(frozen=True)
class Column:
    """One column of an import: ``key`` for code, ``header`` (Chinese) for people.

    ``is_date`` columns accept text or real dates and come back as ``YYYY-MM-DD``.
    """

    key: str
    header: str
    required: bool = False
    choices: tuple[str, ...] | None = None
    help: str = ""
    is_date: bool = False


@dataclass(frozen=True)
class RowError:
    """A problem at ``row`` (as numbered in Excel; 0 = the whole file) in ``column`` (header)."""

    row: int
    column: str
    message: str


@dataclass
class ReadResult:
    """Every non-empty data row (values as text, plus ``_row``) and every problem found.

    Rows are returned even when there are errors, for previews; import only when ``ok``.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# ---------------------------------------------------------------------------- templates


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_widths(ws: Worksheet, texts_by_column: Sequence[Iterable[str]]) -> None:
    for i, texts in enumerate(texts_by_column, start=1):
        widest = max((_display_width(t) for t in texts), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(max(widest + 2, 8), 60)


def _style_header(ws: Worksheet, count: int) -> None:
    for cell in ws[1][:count]:
        cell.font = Font(bold=True, color=cell.font.color)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"


def build_template(
    sheet_title: str,
    columns: Sequence[Column],
    example: dict[str, str],
    notes: Sequence[str],
) -> bytes:
    """An .xlsx to download and fill in: headers, one example row, drop-downs, a notes sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(sheet_title)
    help_ws = wb.create_sheet(NOTES_SHEET)

    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=col.header)
        if col.required:
            cell.font = Font(color="C00000")  # red header = must fill; _style_header keeps the colour
        if col.help:
            cell.comment = Comment(col.help, "cunwu")
        value = example.get(col.key, "")
        example_cell = ws.cell(row=2, column=i, value=value)
        _force_text(example_cell)
        example_cell.fill = EXAMPLE_FILL
        letter = get_column_letter(i)
        # Text format stops Excel turning ID numbers into 5.3E+17 and dropping leading zeros.
        ws.column_dimensions[letter].number_format = "yyyy-mm-dd" if col.is_date else "@"
    _style_header(ws, len(columns))
    _fit_widths(ws, [[c.header, example.get(c.key, ""), "x" * 10] for c in columns])

    # Notes sheet: the caller's notes, then one line per column.
    help_ws.append(["填表说明"])
    help_ws["A1"].font = Font(bold=True, size=14)
    for note in notes:
        help_ws.append([note])
    help_ws.append(["第2行（灰色）为示例，请覆盖或删除后再填写；红色列名为必填。"])
    help_ws.append([])
    table_top = help_ws.max_row + 1
    help_ws.append(["列名", "是否必填", "可选值", "说明"])
    for cell in help_ws[table_top]:
        cell.font = Font(bold=True)
    for col in columns:
        help_ws.append(
            [
                col.header,
                "必填" if col.required else "选填",
                "、".join(col.choices or ()),
                col.help,
            ]
        )
    help_ws.column_dimensions["A"].width = 24
    help_ws.column_dimensions["B"].width = 10
    help_ws.column_dimensions["C"].width = 30
    help_ws.column_dimensions["D"].width = 60

    _add_choice_lists(ws, help_ws, columns)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _add_choice_lists(ws: Worksheet, help_ws: Worksheet, columns: Sequence[Column]) -> None:
    """Drop-down lists for columns with choices.

    Excel caps an inline list at 255 characters and cannot quote commas, so longer lists live
    in hidden-away columns of the notes sheet (no extra sheet, which the reader would refuse).
    """
    spare_col = 8  # column H onwards on the notes sheet
    for i, col in enumerate(columns, start=1):
        if not col.choices:
            continue
        inline = ",".join(col.choices)
        if len(inline) <= 250 and not any("," in c or '"' in c for c in col.choices):
            formula = f'"{inline}"'
        else:
            letter = get_column_letter(spare_col)
            help_ws.cell(row=1, column=spare_col, value=f"{col.header}可选值")
            for r, choice in enumerate(col.choices, start=2):
                help_ws.cell(row=r, column=spare_col, value=choice)
            formula = f"'{NOTES_SHEET}'!${letter}$2:${letter}${len(col.choices) + 1}"
            spare_col += 1
        dv = DataValidation(type="list", formula1=formula, allow_blank=not col.required)
        listed = "、".join(col.choices)
        # Excel refuses messages over 255 characters.
        dv.error = f"请从下拉列表中选择：{listed}" if len(listed) < 200 else "请从下拉列表中选择"
        dv.errorTitle = f"{col.header}填写有误"[:32]
        dv.showErrorMessage = True
        letter = get_column_letter(i)
        dv.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        ws.add_data_validation(dv)


def _sheet_title(title: str) -> str:
    # Excel forbids these characters and more than 31 characters in a sheet name.
    cleaned = re.sub(r"[\[\]:*?/\\]", "", title).strip("'") or "Sheet1"
    return cleaned[:31]


# ---------------------------------------------------------------------------- values

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_DATE_SEP = re.compile(r"^(\d{4})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# Excel shows long numbers (ID card numbers!) as 5.30102E+17 and a CSV export keeps that text.
_SCIENTIFIC = re.compile(r"^[+-]?\d(?:\.\d+)?[eE]\+?(\d+)$")


def clean_text(value: str) -> str:
    """Trim ordinary, full-width (U+3000) and no-break spaces; runs inside become one space."""
    return _WS.sub(" ", value).strip() if _WS.search(value) else value


def parse_date(value: object) -> dt.date | None:
    """A date from a cell: real dates, or text like 2027-03-01, 2027/3/1, 2027年3月1日, 2027.3.1.

    Empty → None. Raises ValueError with a Chinese message for anything else.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(unicodedata.normalize("NFKC", str(value)))
    if not text:
        return None
    match = _DATE_SEP.match(text) or _DATE_ZH.match(text) or _DATE_COMPACT.match(text)
    if not match:
        raise ValueError(f"无法识别的日期“{text}”，请写成 2027-03-01 的形式")
    groups = [g for g in match.groups() if g not in {"-", "/", "."}]
    year, month, day = (int(g) for g in groups)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"日期“{text}”不存在，请检查年、月、日") from None


def _number_text(value: float) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if abs(value) >= 1e15:
        raise ValueError("数字过长，Excel 已丢失末尾几位；请把该列设为“文本”格式后重新填写")
    if value.is_integer():
        return str(int(value))
    return f"{value:.15g}"  # 0.1+0.2 shows as 0.3, as Excel shows it


def _cell_text(value: object) -> str:
    """A cell value as the text the official sees."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text = clean_text(str(value))
    sci = _SCIENTIFIC.match(text)
    if sci and int(sci.group(1)) >= 11:
        raise ValueError(f"“{text}”是被 Excel 改成科学计数法的长数字，末尾几位已丢失；请设为“文本”格式后重新填写")
    return text


# ---------------------------------------------------------------------------- reading


class _Refused(Exception):
    """The file cannot be read at all; carries the errors to report."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


def _file_error(message: str) -> _Refused:
    return _Refused([RowError(row=0, column="", message=message)])


def read_table(data: bytes, filename: str, columns: Sequence[Column], *, max_rows: int = MAX_ROWS) -> ReadResult:
    """Read an uploaded .xlsx or .csv against ``columns``; never raises for bad input.

    The type is taken from the content (an .xlsx is a zip), the name only breaks ties.
    """
    try:
        grid = _read_grid(data, filename)
        return _check_grid(grid, columns, max_rows)
    except _Refused as refused:
        return ReadResult(rows=[], errors=refused.errors)


# A grid is [(row number as in Excel, [cell values])], cells as raw Python values.
Grid = list[tuple[int, list[object]]]


def _read_grid(data: bytes, filename: str) -> Grid:
    if not data:
        raise _file_error("文件是空的")
    name = filename.lower()
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _file_error("这是旧版 Excel（.xls）文件，请在 Excel 中“另存为” .xlsx 后再上传")
    if name.endswith((".xlsx", ".xlsm")):
        raise _file_error("文件不是有效的 .xlsx 表格（可能已损坏或只是改了扩展名）")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> Grid:
    bad = "文件不是有效的 .xlsx 表格（可能已损坏或不是 Excel 文件）"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _file_error(bad) from exc
    if unpacked > MAX_UNPACKED:  # a zip bomb, or a workbook far beyond any village register
        raise _file_error("表格解压后过大，请删除多余的内容或分批导入")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it skips; they do not affect values.
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts; all mean the same
        raise _file_error(bad) from exc

    sheets = [ws for ws in wb.worksheets if ws.title != NOTES_SHEET]
    if not sheets:
        raise _file_error("表格中没有可导入的工作表")
    ws = sheets[0]
    extra = [other.title for other in sheets[1:] if _has_values(other)]
    if extra:
        names = "、".join(f"“{t}”" for t in extra)
        raise _file_error(
            f"只能导入第一个工作表“{ws.title}”，但工作表{names}中也有内容；请删除这些工作表或把它们移到另一个文件"
        )
    if ws.merged_cells.ranges:
        errors = [
            RowError(
                row=r.min_row,
                column=_header_at(ws, r.min_col),
                message=f"单元格 {r.coord} 是合并单元格，请取消合并并在每一格填上内容",
            )
            for r in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
        ]
        raise _Refused(errors)

    formula_cells = {(c.row, c.column) for row in ws.iter_rows() for c in row if c.data_type == "f"}
    cached: Worksheet | None = None
    if formula_cells:
        # Formulas: use the value Excel last calculated and stored next to the formula.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cached = load_workbook(io.BytesIO(data), data_only=True)[ws.title]

    grid: Grid = []
    for row in ws.iter_rows():
        values: list[object] = []
        for c in row:
            if not isinstance(c, Cell):  # merged cells are refused above
                values.append(None)
            elif (c.row, c.column) in formula_cells:
                value = cached.cell(row=c.row, column=c.column).value if cached else None
                values.append(_Formula(str(c.value)) if value is None else value)
            elif c.data_type == "e":
                values.append(_ErrorValue(str(c.value)))
            else:
                values.append(c.value)
        if row:
            grid.append((row[0].row, values))
    return grid


class _Formula(str):
    """A formula without a stored result (the file was never opened and saved in Excel)."""


class _ErrorValue(str):
    """An Excel error value such as #N/A or #DIV/0!."""


def _has_values(ws: Worksheet) -> bool:
    return any(v not in (None, "") for row in ws.iter_rows(values_only=True) for v in row)


def _header_at(ws: Worksheet, col: int) -> str:
    value = ws.cell(row=1, column=col).value
    return clean_text(str(value)) if value is not None else get_column_letter(col)


def _decode_text(data: bytes) -> str:
    # Officials' Excel saves CSV as GBK; "Unicode text" is UTF-16 with a BOM.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Control characters other than tab and line ends mean binary data, not a table.
        if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
            break
        return text
    raise _file_error("无法识别的文件：请上传 .xlsx 表格，或 UTF-8、GBK 编码的 .csv 文件")


def _read_csv(data: bytes) -> Grid:
    text = _decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return [(n, list(row)) for n, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise _file_error(f"CSV 文件格式有误：{exc}") from exc


_HEADER_MARKS = re.compile(r"(\*|＊|[（(]必填[)）])")


def _normalise_header(value: object) -> str:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return _WS.sub("", _HEADER_MARKS.sub("", text))


def _check_grid(grid: Grid, columns: Sequence[Column], max_rows: int) -> ReadResult:
    rows_with_values = [(n, vals) for n, vals in grid if any(_not_blank(v) for v in vals)]
    if not rows_with_values:
        raise _file_error("表格是空的，没有表头也没有数据")
    header_row, header_values = rows_with_values[0]
    positions = _map_headers(header_row, header_values, columns)

    data_rows = rows_with_values[1:]
    if not data_rows:
        raise _file_error("表格只有表头，没有数据行")
    if len(data_rows) > max_rows:
        raise _file_error(f"一次最多导入 {max_rows} 行，本文件有 {len(data_rows)} 行，请分批导入")
    result = ReadResult()
    for number, values in data_rows:
        row: dict[str, Any] = {"_row": number}
        for col in columns:
            pos = positions.get(col.key)
            raw = values[pos] if pos is not None and pos < len(values) else None
            text, message = _convert(raw, col)
            row[col.key] = text
            if message:
                result.errors.append(RowError(row=number, column=col.header, message=message))
        result.rows.append(row)
    return result


def _not_blank(value: object) -> bool:
    return value is not None and (not isinstance(value, str) or bool(clean_text(value)))


def _map_headers(header_row: int, header_values: list[object], columns: Sequence[Column]) -> dict[str, int]:
    """Column key → index; refuse missing required, unknown or repeated headers."""
    by_name: dict[str, Column] = {}
    for col in columns:
        by_name[_normalise_header(col.header)] = col
        by_name.setdefault(_normalise_header(col.key).lower(), col)
    positions: dict[str, int] = {}
    errors: list[RowError] = []
    for index, value in enumerate(header_values):
        name = _normalise_header(value)
        if not name:
            continue
        found = by_name.get(name) or by_name.get(name.lower())
        letter = get_column_letter(index + 1)
        if found is None:
            errors.append(
                RowError(
                    header_row,
                    clean_text(str(value)),
                    f"第{letter}列的列名“{clean_text(str(value))}”无法识别，请使用模板中的列名",
                )
            )
        elif found.key in positions:
            errors.append(RowError(header_row, found.header, f"列“{found.header}”重复出现（第{letter}列）"))
        else:
            positions[found.key] = index
    missing = [c for c in columns if c.required and c.key not in positions]
    for col in missing:
        errors.append(RowError(header_row, col.header, f"缺少必填列“{col.header}”"))
    if errors:
        expected = "、".join(c.header for c in columns)
        errors.append(RowError(header_row, "", f"第{header_row}行应为表头，模板的列为：{expected}"))
        raise _Refused(errors)
    return positions


def _convert(raw: object, col: Column) -> tuple[str, str | None]:
    """The cell as text, and a Chinese message if it breaks the column's rules."""
    if isinstance(raw, _Formula):
        return (
            "",
            f"公式 {raw} 没有已计算的结果，请在 Excel 中打开并保存后再上传，或改为直接填写数值",
        )
    if isinstance(raw, _ErrorValue):
        return "", f"单元格是 Excel 错误值 {raw}，请改为正确内容"
    try:
        text = _cell_text(raw)
    except ValueError as exc:
        return "", str(exc)
    if not text:
        return "", "必填，不能为空" if col.required else None
    if col.is_date:
        try:
            date = parse_date(raw if isinstance(raw, dt.date) else text)
        except ValueError as exc:
            return text, str(exc)
        return (date.isoformat() if date else ""), None
    if col.choices is not None and text not in col.choices:
        return text, f"“{text}”不是可选值，可选：{'、'.join(col.choices)}"
    return text, None


# ---------------------------------------------------------------------------- exports


def _export_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def _force_text(cell: Cell) -> None:
    # A string starting with "=" would otherwise be stored as a formula (formula injection).
    if isinstance(cell.value, str) and cell.value.startswith("="):
        cell.data_type = "s"


def write_table(sheet_title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """An .xlsx export: bold frozen header, widths to fit, dates as real dates."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(sheet_title)
    ws.append(list(headers))
    for row in rows:
        ws.append([_export_value(v) for v in row])
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            _force_text(cell)
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    _style_header(ws, len(headers))
    sample = rows[:500]
    texts = [[str(h)] + [_width_text(r[i]) for r in sample if i < len(r)] for i, h in enumerate(headers)]
    _fit_widths(ws, texts)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _width_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return "2027-01-01 00:00:00"
    return str(_export_value(value))


_CSV_INJECTION = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _csv_cell(value: object) -> str:
    value = _export_value(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # Excel runs a cell starting with = + - @ as a formula; a leading apostrophe shows it as text.
    if text.startswith(_CSV_INJECTION) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel on Chinese Windows shows the characters correctly."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
