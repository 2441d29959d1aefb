"""Burden figures owned by certificates, counted for oversight (（十五）（十六））.

`counts` gives the monthly numbers; `records` lists the records behind one figure for a region's
subtree and a date range, from the same queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for

from .selectors import burden_queries, burden_rows

FIGURES: dict[str, dict[str, str]] = {
    "certificates_issued": {"label": "村级组织出具的证明", "unit": "件", "clause": "（十二）"},
    "certificates_refused": {"label": "不予出具的证明申请", "unit": "件", "clause": "（十一）"},
    "certificates_forbidden_demands": {
        "label": "索要不应由村出具证明的（记录了索要单位）",
        "unit": "次",
        "clause": "（十一）",
    },
    "certificates_escalated": {"label": "报乡镇协调的索要证明事项", "unit": "件", "clause": "（十三）"},
}


def counts(start: dt.date, end: dt.date) -> Iterable[tuple[str, str, str, str | None, int]]:
    return burden_rows(start, end)


def _title_url(figure: str, obj: Any) -> tuple[str, str]:
    if figure == "certificates_escalated":
        return obj.item_name, reverse("certificates:case", args=[obj.pk])
    return f"{obj.receipt_number} {obj.item_name or obj.purpose}"[:120], reverse("certificates:detail", args=[obj.pk])


def records(
    figure: str, low: str, high: str, start: dt.date, end: dt.date, *, user: Any, limit: int
) -> tuple[list[months.BurdenRecord], int]:
    """Applications (or coordination cases) behind a figure; no applicant names, only the matter."""
    scope = scope_for(user)
    return months.burden_records(
        burden_queries(start, end),
        figure,
        low,
        high,
        limit=limit,
        describe=lambda obj, _region: _title_url(figure, obj),
        can_open=lambda region: scope.can(Perm.CERT_VIEW, region),
    )
