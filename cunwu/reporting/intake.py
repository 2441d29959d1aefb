"""A department's uploaded form turned into proposed request fields (reuse or new), before it registers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import fields as fieldnames
from .formfiles import Form
from .selectors import FieldProposal, field_proposals
from .services import FieldIn


@dataclass
class Intake:
    fields: list[FieldIn]
    proposals: list[FieldProposal]
    layout: dict[str, Any]


def intake_form(county_code: str, year: int, form: Form) -> Intake:
    """Every data column becomes a field: the proposed element reused (with its unit factor) or a new one.

    Remarks (备注) stay in the layout as blank columns; key, serial and signature columns too.
    """
    proposals = {p.index: p for p in field_proposals(county_code, year, form.columns)}
    items: list[FieldIn] = []
    used: list[FieldProposal] = []
    layout_columns = []
    for col in form.columns:
        role = col.role
        if role == "data" and fieldnames.clean(col.name) in fieldnames.UNPAIRED_WORDS:
            role = "note"
        layout_columns.append({"headers": col.headers, "role": role})
        if role != "data":
            continue
        p = proposals[col.index]
        items.append(
            FieldIn(
                label=col.name,
                type=p.element.type if p.element else col.type,
                unit=col.unit or "",
                headers=col.headers,
                element_id=p.element.pk if p.element else None,
                factor=p.unit_factor,
            )
        )
        used.append(p)
    return Intake(items, used, {"title": form.name, "sheet": form.sheet, "columns": layout_columns})
