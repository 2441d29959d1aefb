"""Write department forms as officials lay them out (title, 填报单位 line, merged headers, units).

Used by the tests, the browser journey and bench/reporting_forms.py's labelled set. A spec lists
columns; a `Group` is a merged top header over its sub-columns, every other column is merged down
over both header rows.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Col:
    header: str  # as printed, unit brackets included
    concept: str = ""  # the datum it collects ("" for key, serial and signature columns)
    unit: str | None = None  # the unit the values are in, wherever the form prints it
    role: str = "data"
    type: str = "integer"
    unit_cell: str = ""  # printed in the unit row when the spec has one


@dataclass(frozen=True)
class Group:
    top: str
    cols: tuple[Col, ...]


@dataclass
class FormSpec:
    department: str
    title: str
    columns: list[Col | Group]
    meta: list[str] = field(default_factory=lambda: ["填报单位（盖章）：", "填报日期：    年  月  日"])
    unit_row: bool = False
    column_numbers: bool = False
    footer: str = "填报人：          审核人：          联系电话："
    villages: tuple[str, ...] = ("松林村委会", "大坪村委会", "河口村委会")
    fmt: str = "xlsx"  # or "csv-gbk", "csv-utf8"

    def flat(self) -> list[Col]:
        out: list[Col] = []
        for item in self.columns:
            out.extend(item.cols if isinstance(item, Group) else (item,))
        return out

    @property
    def filename(self) -> str:
        return self.title + (".xlsx" if self.fmt == "xlsx" else ".csv")


def _sample(col: Col, village: str, row: int, rng: random.Random) -> object:
    if col.role == "serial":
        return row + 1
    if col.role == "key":
        return "城关镇" if "乡" in col.header or "镇" in col.header else village
    if col.role == "signature":
        return None
    if col.type == "percentage":
        return round(rng.uniform(80, 100), 1)
    if col.type == "decimal":
        return round(rng.uniform(1, 500), 2)
    if col.type == "yesno":
        return rng.choice(["是", "否"])
    if col.type == "text":
        return "无"
    return rng.randint(3, 900)


def form_rows(spec: FormSpec) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """The sheet as rows (1-based merges: first_row, first_col, last_row, last_col)."""
    flat = spec.flat()
    width = len(flat)
    two_level = any(isinstance(c, Group) for c in spec.columns)
    rows: list[list[object]] = [[spec.title] + [None] * (width - 1)]
    merges = [(1, 1, 1, width)]
    if spec.meta:
        meta_row: list[object] = [None] * width
        meta_row[0] = spec.meta[0]
        if len(spec.meta) > 1:
            meta_row[max(1, width - 2)] = spec.meta[1]
        rows.append(meta_row)
    top = len(rows) + 1
    first: list[object] = []
    second: list[object] = []
    col = 1
    for item in spec.columns:
        if isinstance(item, Group):
            first.extend([item.top] + [None] * (len(item.cols) - 1))
            second.extend(c.header for c in item.cols)
            if len(item.cols) > 1:
                merges.append((top, col, top, col + len(item.cols) - 1))
            col += len(item.cols)
        else:
            first.append(item.header)
            second.append(None)
            if two_level:
                merges.append((top, col, top + 1, col))
            col += 1
    rows.append(first)
    if two_level:
        rows.append(second)
    if spec.unit_row:
        rows.append([c.unit_cell or None for c in flat])
    if spec.column_numbers:
        rows.append(["甲", "乙", *list(range(1, width - 1))])
    rng = random.Random(spec.title)
    for i, village in enumerate(spec.villages):
        rows.append([_sample(c, village, i, rng) for c in flat])
    if spec.footer:
        rows.append([spec.footer] + [None] * (width - 1))
    return rows, merges


def form_bytes(spec: FormSpec) -> bytes:
    """The form as the department would upload it."""
    rows, merges = form_rows(spec)
    if spec.fmt.startswith("csv"):
        out = io.StringIO()
        writer = csv.writer(out)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
        return out.getvalue().encode("gbk" if spec.fmt == "csv-gbk" else "utf-8-sig")
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = spec.title[:28].replace("/", "")
    for row in rows:
        ws.append(row)
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}")
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    return out_bytes.getvalue()
