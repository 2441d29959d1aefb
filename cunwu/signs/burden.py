"""Burden figures owned by signs, counted for oversight (（十五）（十六））.

`counts` gives the monthly numbers; `records` lists the clean-up tasks behind one figure for a
region's subtree and a date range, from the same queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for

from .selectors import burden_queries, burden_rows

FIGURES: dict[str, dict[str, str]] = {
    "signs_offcatalog": {"label": "清理行动查出的目录外牌子", "unit": "块", "clause": "（九）"},
    "signs_overdue_tasks": {"label": "逾期未完成的挂牌整改任务", "unit": "项", "clause": "（九）"},
}


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    return burden_rows(start, end)


def _title_url(obj: Any, region: str) -> tuple[str, str]:
    return obj.message[:120], reverse("signs:village", args=[region])


def records(
    figure: str, low: str, high: str, start: date, end: date, *, user: Any, limit: int
) -> tuple[list[months.BurdenRecord], int]:
    """Clean-up tasks, each linked to its village's inventory and tasks."""
    scope = scope_for(user)
    return months.burden_records(
        burden_queries(start, end),
        figure,
        low,
        high,
        limit=limit,
        describe=_title_url,
        can_open=lambda region: scope.can(Perm.SIGN_VIEW, region),
    )
