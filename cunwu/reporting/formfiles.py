"""Read a department's own form (xlsx, xls, csv) and find its columns (pure: bytes in, columns out).

A county form is a title, a "填报单位/填报日期" or "单位：万元" line, one or two header rows with
merged cells, sometimes a unit row or a 栏次 row (甲 乙 1 2 3), then one row per village and a
signature line. `read_form()` finds the header block below the title lines, reads each column's
headers (merged cells repeated over their span), unit, role and type, and reports anything it
cannot read as `FormFileError` with a Chinese message naming the sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from . import fields

MAX_BYTES = 20 * 1024 * 1024
# A form's template is its header and a few rows; a sheet longer than this is a data dump.
MAX_ROWS = 5000
MAX_COLUMNS = 400
_SCAN_ROWS = 40  # rows searched for the header block
_SAMPLE_ROWS = 200

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_META = re.compile(
    r"^(填报单位|填表单位|报送单位|填报日期|填表日期|报送日期|填报时间|填表时间|报送时间|报出日期|统计日期|统计时间|统计时点|统计截止|截止日期|截至|时间[:：]|"
    r"制表|单位[:：]|计量单位|金额单位|表号|制定机关|批准文号|有效期|填报说明|填表说明|说明[:：]|注[:：]|备注[:：]|"
    r"乡镇[（(]盖章|[\w（）()]*[（(]盖章[)）])"
)
_FOOTER = re.compile(
    r"^(填报人|填表人|审核人|负责人|单位负责人|统计负责人|制表人|联系电话|填报说明|填表说明|说明|注)[:：]"
)
# A "key：value" line above or below a table ('统计期：  年  月', '单位负责人：', '截止时间：'): a short
# label then a colon. '其中：女' and '含：…' are sub-headers, not labels.
_LABEL = re.compile(r"^(?!其中|含|包括|内含)[\w（）()、/ ]{1,12}?\s*[:：]")
_TOTAL_ROW = re.compile(r"^(合计|总计|小计|全县|全乡|全镇|总数)")
_COLUMN_NUMBERS = re.compile(r"^(甲|乙|丙|丁|\d{1,3}|[A-Z]|[（(]?\d{1,3}[)）]?)$")


class FormFileError(Exception):
    """The file cannot be read as a form; `message` is Chinese and names where."""

    def __init__(self, message: str, code: str = "unreadable_form") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Column:
    index: int
    headers: list[str]
    name: str
    unit: str | None
    type: str
    role: str
    part_of: str = ""
    samples: list[Any] = field(default_factory=list)

    def as_api(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "headers": self.headers,
            "name": self.name,
            "unit": self.unit,
            "type": self.type,
            "role": self.role,
        }


@dataclass
class Form:
    name: str
    sheet: str
    columns: list[Column]
    header_rows: list[int]  # 1-based sheet rows of the header block
    data_start: int
    warnings: list[str] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # header merges, 1-based

    def as_api(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sheet": self.sheet,
            "columns": [c.as_api() for c in self.columns],
            "warnings": self.warnings,
        }


@dataclass
class Grid:
    """A sheet as plain values: rows[r][c] (0-based), merged ranges 0-based inclusive."""

    name: str
    rows: list[list[Any]]
    merges: list[tuple[int, int, int, int]]  # (first_row, first_col, last_row, last_col)
    hidden: bool = False

    def text(self, r: int, c: int) -> str:
        if r >= len(self.rows) or c >= len(self.rows[r]):
            return ""
        value = self.rows[r][c]
        return "" if value is None else fields.clean(str(value))


def where(sheet: str, row: int | None = None, col: int | None = None) -> str:
    """「工作表「Sheet1」第 3 行 B 列」 from 0-based row and column."""
    place = f"工作表「{sheet}」"
    if row is not None:
        place += f"第 {row + 1} 行"
    if col is not None:
        place += f" {get_column_letter(col + 1)} 列"
    return place


# ---------------------------------------------------------------- reading the file


def read_grids(data: bytes, filename: str) -> list[Grid]:
    """Every sheet of the file as a Grid; refuses encrypted, corrupt, huge and non-spreadsheet files."""
    if not data:
        raise FormFileError(f"文件「{filename}」是空的，请上传填好表头的 Excel 表格。", "empty_file")
    if len(data) > MAX_BYTES:
        raise FormFileError(f"文件「{filename}」超过 20 MB，请只上传表样（表头和几行示例）。", "file_too_large")
    lower = filename.lower()
    if data.startswith(_OLE_MAGIC):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise FormFileError(
                f"文件「{filename}」设置了打开密码，无法读取：请在 Excel 中取消密码后再上传。", "encrypted"
            )
        return _read_xls(data, filename)
    if data.startswith(b"PK"):
        return _read_xlsx(data, filename)
    if lower.endswith((".xlsx", ".xlsm", ".xls")):
        raise FormFileError(
            f"文件「{filename}」已损坏，或不是 Excel 文件：请在 Excel 中打开后另存为 .xlsx 再上传。", "corrupt"
        )
    return [_read_csv(data, filename)]


def _read_xlsx(data: bytes, filename: str) -> list[Grid]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise FormFileError(
            f"文件「{filename}」已损坏，无法打开：请在 Excel 中打开后另存为 .xlsx 再上传。", "corrupt"
        ) from exc
    if "xl/workbook.xml" not in names:
        raise FormFileError(
            f"文件「{filename}」不是电子表格（可能是 Word 文档或压缩包）：请上传 .xlsx、.xls 或 .csv 表格。",
            "not_spreadsheet",
        )
    try:
        probe = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sizes = {ws.title: (_count_rows(ws), ws.max_column or 0) for ws in probe.worksheets}
        probe.close()
        for title, (rows, cols) in sizes.items():
            if rows > MAX_ROWS:
                raise FormFileError(
                    f"工作表「{title}」有 {rows:,} 行，超过表样上限 {MAX_ROWS:,} 行：请只上传表头和几行示例数据。",
                    "too_many_rows",
                )
            if cols > MAX_COLUMNS:
                raise FormFileError(f"工作表「{title}」有 {cols} 列，超过上限 {MAX_COLUMNS} 列。", "too_many_columns")
        book = load_workbook(io.BytesIO(data), data_only=True)
    except FormFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise FormFileError(
            f"文件「{filename}」已损坏，无法读取（{type(exc).__name__}）：请在 Excel 中打开后另存为 .xlsx 再上传。",
            "corrupt",
        ) from exc
    grids = []
    for ws in book.worksheets:
        cells = [list(r) for r in ws.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
        grids.append(Grid(ws.title, cells, merges, hidden=ws.sheet_state != "visible"))
    return grids


def _count_rows(ws: Any) -> int:
    """Rows of a read-only sheet: its recorded dimension, or counted when the writer left none."""
    if ws.max_row and ws.max_row > 1:
        return int(ws.max_row)
    return sum(1 for _ in ws.iter_rows(values_only=True))


def _read_xls(data: bytes, filename: str) -> list[Grid]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise FormFileError(
                f"文件「{filename}」设置了打开密码，无法读取：请取消密码后再上传。", "encrypted"
            ) from exc
        raise FormFileError(
            f"文件「{filename}」不是可读取的 .xls 表格（{exc}）：请另存为 .xlsx 再上传。", "corrupt"
        ) from exc
    except Exception as exc:
        raise FormFileError(
            f"文件「{filename}」已损坏，无法读取：请在 Excel 中打开后另存为 .xlsx 再上传。", "corrupt"
        ) from exc
    grids = []
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        if sheet.nrows > MAX_ROWS:
            raise FormFileError(
                f"工作表「{sheet.name}」有 {sheet.nrows:,} 行，超过表样上限 {MAX_ROWS:,} 行：请只上传表头和几行示例数据。",
                "too_many_rows",
            )
        rows = []
        for r in range(sheet.nrows):
            row: list[Any] = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    row.append(int(cell.value) if float(cell.value).is_integer() else cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                else:
                    row.append(cell.value)
            rows.append(row)
        merges = [(rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
        grids.append(Grid(sheet.name, rows, merges, hidden=bool(sheet.visibility)))
    return grids


def _read_csv(data: bytes, filename: str) -> Grid:
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-" or data[:3] in (b"\xff\xd8\xff", b"\x89PN", b"GIF"):
        raise FormFileError(f"文件「{filename}」不是电子表格：请上传 .xlsx、.xls 或 .csv 表格。", "not_spreadsheet")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise FormFileError(f"文件「{filename}」的文字编码无法识别：请存为 UTF-8 或 GBK 编码的 CSV。", "bad_encoding")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    rows: list[list[Any]] = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if len(rows) > MAX_ROWS:
        raise FormFileError(
            f"文件「{filename}」有 {len(rows):,} 行，超过表样上限 {MAX_ROWS:,} 行：请只上传表头和几行示例数据。",
            "too_many_rows",
        )
    if not any(any(str(v).strip() for v in r) for r in rows):
        raise FormFileError(f"文件「{filename}」没有内容。", "empty_file")
    name = re.sub(r"\.[^.]+$", "", filename) or "CSV"
    return Grid(name, rows, [])


# ---------------------------------------------------------------- finding the header block


def read_form(data: bytes, filename: str) -> Form:
    """The form in the file: the first visible sheet holding a header block."""
    grids = read_grids(data, filename)
    visible = [g for g in grids if not g.hidden]
    problems = []
    for grid in visible:
        try:
            form = parse_grid(grid, filename)
        except FormFileError as exc:
            problems.append(exc)
            continue
        skipped = [g.name for g in grids if g.hidden]
        if skipped:
            form.warnings.append(f"已跳过隐藏的工作表：{'、'.join(skipped)}。")
        others = [g.name for g in visible if g is not grid and any(any(v not in (None, "") for v in r) for r in g.rows)]
        if others:
            form.warnings.append(
                f"文件有多个工作表，已读取「{grid.name}」；其余工作表（{'、'.join(others)}）请分别上传。"
            )
        return form
    if problems:
        raise problems[0]
    raise FormFileError(f"文件「{filename}」没有可见的工作表（全部被隐藏）：请取消隐藏后再上传。", "no_visible_sheet")


def _merge_map(grid: Grid) -> dict[tuple[int, int], tuple[int, int, int, int]]:
    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in grid.merges:
        r0, c0, r1, c1 = m
        if r0 > _SCAN_ROWS + 10:
            continue
        for r in range(r0, min(r1, _SCAN_ROWS + 10) + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = m
    return covered


def _cell(grid: Grid, merged: dict[tuple[int, int], tuple[int, int, int, int]], r: int, c: int) -> str:
    """The value shown at (r, c): a merged range shows its top-left value over its whole span."""
    m = merged.get((r, c))
    return grid.text(m[0], m[1]) if m else grid.text(r, c)


def _row_cells(grid: Grid, r: int) -> list[tuple[int, Any]]:
    if r >= len(grid.rows):
        return []
    return [(c, v) for c, v in enumerate(grid.rows[r]) if v is not None and str(v).strip() != ""]


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?%?", str(value).strip()))


def _is_meta_row(grid: Grid, r: int, width: int) -> bool:
    """A title, '填报单位：', '单位：万元' or other line that is not part of the table."""
    cells = _row_cells(grid, r)
    if not cells:
        return True
    texts = [fields.clean(str(v)) for _, v in cells]
    if all(_META.match(t) or _LABEL.match(t) for t in texts):
        return True  # metadata, whatever columns its cells sit in
    if len(cells) == 1 and width >= 3:
        return True  # a title (merged across or not)
    distinct = {t for t in texts}
    return len(distinct) == 1 and width >= 3 and len(cells) < max(2, width // 2)


def _table_units(grid: Grid, rows: range) -> list[str]:
    """Units printed above the table for all of it: '单位：万元', '单位：户、人、元'."""
    for r in rows:
        for _, v in _row_cells(grid, r):
            found = re.search(r"(?:计量|金额)?单位\s*[:：]\s*([^\s，,；;)）]+)", fields.clean(str(v)))
            if found:
                units = [u for u in (fields.unit_of(u) for u in re.split(r"[、/，,]", found.group(1))) if u]
                if units:  # '填报单位：（盖章）' names no unit: read on
                    return units
    return []


def _unit_for(name: str, units: Sequence[str]) -> str | None:
    """The table-wide unit that fits a column printed without one (by its measure word)."""
    if len(units) == 1:
        measure = fields.measure_of(name, None)
        return units[0] if not measure or measure == fields.UNITS[units[0]][0] else None
    measure = fields.measure_of(name, None)
    return next((u for u in units if fields.UNITS[u][0] == measure), None)


def parse_grid(grid: Grid, filename: str = "") -> Form:
    """Find the header block of one sheet and read its columns."""
    rows = grid.rows
    width = max((len(r) for r in rows[:_SCAN_ROWS]), default=0)
    while width and all(grid.text(r, width - 1) == "" for r in range(min(len(rows), _SCAN_ROWS))):
        width -= 1
    if width == 0:
        raise FormFileError(f"{where(grid.name)}是空的。", "empty_sheet")
    merged = _merge_map(grid)
    start = None
    for r in range(min(len(rows), _SCAN_ROWS)):
        if _is_meta_row(grid, r, width):
            continue
        cells = _row_cells(grid, r)
        texts = [v for _, v in cells]
        headings = [v for v in texts if not _is_number(v) and not _LABEL.match(fields.clean(str(v)))]
        if len(headings) >= 2 and sum(_is_number(v) for v in texts) <= len(texts) // 3:
            start = r  # at least two heading cells, none of them a "xxx：" label
            break
    if start is None:
        raise FormFileError(f"{where(grid.name)}前 {_SCAN_ROWS} 行里找不到表头（至少两列文字标题）。", "no_header")
    title_rows = range(0, start)
    end = _header_end(grid, merged, start, width)
    header_rows = list(range(start, end + 1))
    unit_row, data_start = _after_header(grid, end + 1, width)
    table_units = _table_units(grid, title_rows)

    columns: list[Column] = []
    warnings: list[str] = []
    seen: dict[tuple[str, ...], int] = {}
    parent, parent_unit = "", None
    samples_by_col = _samples(grid, data_start, width)
    shown = _spread_unmerged_tops(grid, merged, header_rows, width)
    for c in range(width):
        headers: list[str] = []
        for r in header_rows:
            text = shown[(r, c)]
            if text and (not headers or headers[-1] != text):
                headers.append(text)
        if unit_row is not None:
            unit_text = grid.text(unit_row, c)
            if unit_text and fields.unit_of(unit_text) and not fields.split_unit(headers[-1] if headers else "")[1]:
                headers.append(unit_text)
        if not headers and c <= 1 and _place_names(samples_by_col.get(c, [])):
            # A first column printed with no header but holding village names is the key.
            columns.append(Column(c, [], "", None, "text", "key", "", samples_by_col[c]))
            continue
        if not headers:
            if samples_by_col.get(c):
                warnings.append(f"{where(grid.name, start, c)}的表头是空的，该列有数据但未识别，请补上表头。")
            continue
        key = tuple(headers)
        if key in seen:
            warnings.append(
                f"{where(grid.name, end, c)}与 {get_column_letter(seen[key] + 1)} 列表头重复（「{'／'.join(headers)}」），请核对。"
            )
        seen.setdefault(key, c)
        role = fields.role_of(headers, c)
        leading = all(col.role in {"key", "serial"} for col in columns)
        numbers = any(_is_number(v) for v in samples_by_col.get(c, []))
        if role == "signature" and numbers and fields.one_post(headers):
            role = "data"  # 社会体育指导员 filled with numbers counts them: not the one person in post
        if role == "data" and not numbers and fields.post_shaped(headers):
            role = "signature"  # 民兵连长, 台区经理 with names or nothing below: the person, not a datum
        if role == "data" and leading and not numbers and len(headers) == 1 and fields.organisation_key(headers):
            role = "key"  # 烟叶站（点） beside the village, 乡镇工会 first: the row's organisation
        datum = fields.datum_of(headers, parent=parent)
        if role == "data" and datum.unit is None and table_units:
            unit = _unit_for(datum.name, table_units)
            if unit is None and datum.part_of and parent_unit in table_units:
                unit = parent_unit  # 其中：集中供养 under 特困供养人数 counts in its whole's unit
            datum = fields.Datum(datum.name, unit, datum.part_of)
        hint = next((fields.type_hint(h) for h in headers if fields.type_hint(h)), None)
        samples = samples_by_col.get(c, [])
        if role == "data":
            kind = fields.infer_type(datum.name, datum.unit, samples, hint)
            if not datum.part_of:
                parent, parent_unit = datum.name, datum.unit
        else:
            kind = "text"
        columns.append(Column(c, headers, datum.name or headers[-1], datum.unit, kind, role, datum.part_of, samples))
    if not any(col.role == "data" for col in columns):
        raise FormFileError(
            f"{where(grid.name, start)}的表头里没有要填报的数据列（只有序号、地名或签字栏）。", "no_data_columns"
        )
    name = _title(grid, title_rows) or re.sub(r"\.[^.]+$", "", filename) or grid.name
    header_merges = [(m[0] + 1, m[1] + 1, m[2] + 1, m[3] + 1) for m in grid.merges if start <= m[0] <= end]
    return Form(name, grid.name, columns, [r + 1 for r in header_rows], data_start + 1, warnings, header_merges)


def _spread_unmerged_tops(
    grid: Grid, merged: dict[tuple[int, int], tuple[int, int, int, int]], header_rows: list[int], width: int
) -> dict[tuple[int, int], str]:
    """Header cells as shown; where a form saved without merges (CSV) leaves an upper header blank over
    a sub-header, and the column to its left is a sub-column too, the upper header of the left one
    spans it (户籍 / 户数, [blank] / 人口数 → 户籍 / 人口数), as a merged cell would."""
    shown = {(r, c): _cell(grid, merged, r, c) for r in header_rows for c in range(width)}
    for n, r in enumerate(header_rows[:-1]):
        below = header_rows[n + 1]
        for c in range(1, width):
            if (r, c) in merged or shown[(r, c)] or not shown[(below, c)]:
                continue
            if shown[(r, c - 1)] and shown[(below, c - 1)] and shown[(below, c - 1)] != shown[(r, c - 1)]:
                shown[(r, c)] = shown[(r, c - 1)]
    return shown


def _header_end(grid: Grid, merged: dict[tuple[int, int], tuple[int, int, int, int]], start: int, width: int) -> int:
    """The last row of the header block that starts at `start`."""
    end = start
    while end + 1 < len(grid.rows) and end - start < 3:
        nxt = end + 1
        # A vertical merge from the block reaching down, or a horizontal band that needs sub-headers.
        spans_down = any(m[0] <= end < m[2] for c in range(width) if (m := merged.get((end, c))))
        band = any(m[0] == end and m[3] > m[1] for c in range(width) if (m := merged.get((end, c))))
        cells = _row_cells(grid, nxt)
        texts = [fields.clean(str(v)) for _, v in cells]
        numeric = sum(_is_number(v) for _, v in cells)
        # '合计（万元）' under a merged band is a sub-header, not a total row.
        under_band = {c for c in range(width) if (m := merged.get((end, c))) and m[0] == end and m[3] > m[1]}
        total = bool(texts) and _TOTAL_ROW.match(texts[0]) and cells[0][0] not in under_band
        if not cells or numeric or total:
            break
        if fields.unit_row(texts) or all(_COLUMN_NUMBERS.match(t) for t in texts):
            break
        if spans_down or band:
            end = nxt
            continue
        # Unmerged two-level headers: the top row leaves blanks where the sub-headers sit.
        blanks_above = [
            c for c, _ in cells if grid.text(end, c) == "" and c not in {cc for cc, _ in _row_cells(grid, end)}
        ]
        first_key = fields.role_of([texts[0]], 0) if texts else "data"
        if blanks_above and len(cells) >= 2 and first_key not in {"key", "serial"} and _looks_like_headers(texts):
            end = nxt
            continue
        break
    return end


def _looks_like_headers(texts: Sequence[str]) -> bool:
    """Sub-header words rather than a first data row of place names."""
    return sum(
        1 for t in texts if re.search(r"(数|额|率|积|量|计|人|户|[)）])$", t) or t in fields.GENERIC_SUBHEADERS
    ) >= max(1, len(texts) // 2)


def _after_header(grid: Grid, r: int, width: int) -> tuple[int | None, int]:
    """A unit row and/or a 栏次 row right below the header, and the first data row."""
    unit_row = None
    for _ in range(2):
        cells = _row_cells(grid, r)
        texts = [fields.clean(str(v)) for _, v in cells]
        if not texts:
            break
        if fields.unit_row(texts):
            unit_row = r
            r += 1
            continue
        if len(texts) >= 3 and all(_COLUMN_NUMBERS.match(t) for t in texts):
            r += 1
            continue
        break
    return unit_row, r


def _place_names(samples: Sequence[Any]) -> bool:
    """Values that read as place names (松林村委会, 城关镇), not numbers or notes."""
    texts = [fields.clean(str(v)) for v in samples if not _is_number(v)]
    return (
        bool(texts)
        and len(texts) == len(samples)
        and all(re.search(r"(村|镇|乡|社区|组|街道|委会)$", t) for t in texts)
    )


def _samples(grid: Grid, data_start: int, width: int) -> dict[int, list[Any]]:
    """Up to _SAMPLE_ROWS values per column from the data rows, total and footer rows left out."""
    found: dict[int, list[Any]] = {}
    taken = 0
    for r in range(data_start, len(grid.rows)):
        cells = _row_cells(grid, r)
        if not cells:
            continue
        first = fields.clean(str(cells[0][1]))
        if _FOOTER.match(first) or (len(cells) <= 3 and all(_LABEL.match(fields.clean(str(v))) for _, v in cells)):
            break
        if _TOTAL_ROW.match(first) or any(_TOTAL_ROW.match(fields.clean(str(v))) for _, v in cells[:3]):
            continue
        for c, v in cells:
            if c < width and not (isinstance(v, str) and v.startswith("=")):
                found.setdefault(c, []).append(v)
        taken += 1
        if taken >= _SAMPLE_ROWS:
            break
    return found


def _title(grid: Grid, rows: range) -> str:
    for r in rows:
        for _, v in _row_cells(grid, r):
            text = fields.clean(str(v))
            if text and not _META.match(text) and len(text) >= 4:
                return text
    return ""
