"""Each department's own form rebuilt from the villages' filings (多方利用), and its xlsx in the original layout.

The values live per element, period and village; a department's form is a view: its own column
names and order, its unit (value × the field's factor), its frequency (shorter periods rolled up by
the element's rule) and its villages, under its title and merged headers as it uploaded them.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cunwu.regions.selectors import region_children, region_get, villages_under

from . import rules
from .models import DataValue, FormRequest, PlanElement, PlanStatus, RequestStatus


@dataclass
class RebuiltColumn:
    headers: list[str]
    role: str  # data, key (township or village), serial, signature
    field_id: int | None = None
    key: str = ""  # "township" or "village" for key columns


@dataclass
class Rebuilt:
    title: str
    period: str
    columns: list[RebuiltColumn]
    rows: list[list[Any]]


def _layout_columns(request: FormRequest) -> list[RebuiltColumn]:
    """Columns in the uploaded order (keys, serials and signatures kept), or keys + fields when typed in."""
    fields = {f.position: f for f in request.fields.all()}
    layout = request.layout or {}
    out: list[RebuiltColumn] = []
    if layout.get("columns"):
        data_seen = 0
        for col in layout["columns"]:
            if col["role"] == "data":
                f = fields.get(data_seen)
                data_seen += 1
                if f is not None:
                    out.append(RebuiltColumn(list(col["headers"]), "data", f.pk))
            elif col["role"] == "key":
                name = "".join(col["headers"])
                kind = "township" if any(w in name for w in ("乡", "镇", "街道")) else "village"
                out.append(RebuiltColumn(list(col["headers"]), "key", key=kind))
            else:
                out.append(RebuiltColumn(list(col["headers"]), col["role"]))
        return out
    out.append(RebuiltColumn(["乡镇"], "key", key="township"))
    out.append(RebuiltColumn(["村委会"], "key", key="village"))
    for f in request.fields.all():
        header = f"{f.label}（{f.unit}）" if f.unit else f.label
        out.append(RebuiltColumn([header], "data", f.pk))
    return out


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return None


def rebuild(request: FormRequest, period: str) -> Rebuilt:
    """The department's form for one of its periods, one row per village of its county."""
    if request.status != RequestStatus.APPROVED:
        raise ValueError("only approved requests have a form rebuilt from filings")
    columns = _layout_columns(request)
    fields = {f.pk: f for f in request.fields.select_related("element")}
    plan_frequency = dict(
        PlanElement.objects.filter(
            plan__county_id=request.county_id, plan__year=request.year, plan__status=PlanStatus.PUBLISHED
        ).values_list("element_id", "frequency")
    )
    # Which stored periods make up the department's period, per element.
    wanted: dict[int, list[str]] = {}
    for f in fields.values():
        frequency = plan_frequency.get(f.element_id, request.frequency)
        wanted[f.element_id] = rules.periods_within(period, frequency) or [period]
    all_periods = sorted({p for ps in wanted.values() for p in ps})
    county = region_get(request.county_id)
    villages = villages_under(county)
    township_name = {t.code: t.name for t in region_children(county)}
    stored: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    for element_id, village_id, p, value in DataValue.objects.filter(
        element_id__in=list(wanted), period__in=all_periods, village_id__in=[v.code for v in villages]
    ).values_list("element_id", "village_id", "period", "value"):
        stored[(element_id, village_id)][p] = value
    rows: list[list[Any]] = []
    for n, village in enumerate(villages, start=1):
        row: list[Any] = []
        for col in columns:
            if col.role == "serial":
                row.append(n)
            elif col.role == "key":
                row.append(township_name.get(village.parent_id or "", "") if col.key == "township" else village.name)
            elif col.role == "data" and col.field_id is not None:
                f = fields[col.field_id]
                row.append(department_value(f, stored.get((f.element_id, village.code), {}), wanted[f.element_id]))
            else:
                row.append(None)
        rows.append(row)
    return Rebuilt(request.layout.get("title") or request.title, period, columns, rows)


def department_value(field: Any, by_period: dict[str, str], periods: list[str]) -> Any:
    """A field's value for the department: rolled up over `periods`, in the department's unit."""
    element = field.element
    texts = [by_period[p] for p in periods if p in by_period]
    if not texts:
        return None
    if element.type not in {"integer", "decimal", "percentage"}:
        return texts[-1]
    numbers = [n for t in texts if (n := _number(t)) is not None]
    total = rules.rollup(numbers, element.rollup if len(periods) > 1 else "last")
    if total is None:
        return None
    value = total * Decimal(str(field.factor))
    return int(value) if value == value.to_integral_value() and element.type == "integer" else float(value)


def export_xlsx(rebuilt: Rebuilt) -> bytes:
    """The rebuilt form as xlsx: title merged across, one- or two-level merged headers, the rows."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = (rebuilt.period + " " + rebuilt.title)[:31].replace("/", "-")
    width = len(rebuilt.columns)
    depth = max(len(c.headers) for c in rebuilt.columns) if rebuilt.columns else 1
    ws.append([f"{rebuilt.title}（{rebuilt.period}）"] + [None] * (width - 1))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, width))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    for level in range(depth):
        ws.append([c.headers[level] if level < len(c.headers) else None for c in rebuilt.columns])
    top = 2
    col = 0
    while col < width:
        c = rebuilt.columns[col]
        if len(c.headers) < depth and depth > 1:
            ws.merge_cells(start_row=top, start_column=col + 1, end_row=top + depth - 1, end_column=col + 1)
            col += 1
            continue
        end = col
        while (
            depth > 1
            and end + 1 < width
            and len(rebuilt.columns[end + 1].headers) == depth
            and rebuilt.columns[end + 1].headers[0] == c.headers[0]
        ):
            end += 1
        if end > col:
            ws.merge_cells(start_row=top, start_column=col + 1, end_row=top, end_column=end + 1)
        col = end + 1
    for r in range(top, top + depth):
        for k in range(1, width + 1):
            ws.cell(r, k).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rebuilt.rows:
        ws.append(row)
    for k in range(1, width + 1):
        ws.column_dimensions[get_column_letter(k)].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
