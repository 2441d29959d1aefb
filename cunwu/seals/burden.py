"""Burden figures owned by seals, counted for oversight (（十五）（十六））.

`counts` gives the monthly numbers; `records` lists the records behind one figure for a region's
subtree and a date range, from the same queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for

from .models import SealUse
from .selectors import burden_queries, burden_rows

FIGURES: dict[str, dict[str, str]] = {
    "seals_uses": {"label": "用印登记", "unit": "次", "clause": "（十四）"},
    "seals_anomalies": {
        "label": "用印异常（非工作时间、一事多次、因前置条件被拒）",
        "unit": "次",
        "clause": "（十四）",
    },
}


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    return burden_rows(start, end)


def _title_url(obj: Any, _region: str) -> tuple[str, str]:
    if isinstance(obj, SealUse):
        title = f"用印：{obj.get_category_display()}（{obj.impressions} 次）"
        return title, reverse("seals:request_detail", args=[obj.request_id])
    return f"被拒的用印申请：{obj.matter}"[:120], reverse("seals:oversight")


def records(
    figure: str, low: str, high: str, start: date, end: date, *, user: Any, limit: int
) -> tuple[list[months.BurdenRecord], int]:
    """Stampings (linked to their request) and refused requests (the township's oversight page)."""
    scope = scope_for(user)
    return months.burden_records(
        burden_queries(start, end),
        figure,
        low,
        high,
        limit=limit,
        describe=_title_url,
        can_open=lambda region: scope.can(Perm.SEAL_VIEW, region),
    )
