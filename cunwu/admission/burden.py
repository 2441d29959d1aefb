"""Burden figures owned by admission, counted for oversight (（十五）（十六））.

`counts` gives the monthly numbers; `records` lists the records behind one figure for a region's
subtree and a date range, from the same queries, so a list always agrees with its number."""

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
    "admission_screen_rejected": {"label": "筛查未通过的部门派活申请", "unit": "件", "clause": "（二）"},
    "admission_rejected": {"label": "县级不予准入的部门派活申请", "unit": "件", "clause": "（二）"},
    "admission_assigned": {"label": "准入后派到村的工作事项", "unit": "项", "clause": "（三）"},
    "admission_meetings": {"label": "要求村级组织参加的会议和培训", "unit": "次", "clause": "（四）"},
    "admission_evaluations": {"label": "派到村的考核评比", "unit": "项", "clause": "（五）"},
    "admission_offlist": {"label": "清单外摊派（村反映，未核定为不属实）", "unit": "件", "clause": "（二）"},
    "admission_channels": {"label": "登记的工作群和政务应用", "unit": "个", "clause": "（五）"},
}


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    return burden_rows(start, end)


def _title_url(figure: str, obj: Any) -> tuple[str, str]:
    if figure == "admission_screen_rejected":
        return obj.title, reverse("admission:request_detail", args=[obj.pk])
    if figure == "admission_rejected":
        return obj.request.title, reverse("admission:request_detail", args=[obj.request_id])
    if figure == "admission_offlist":
        return obj.what[:80], reverse("admission:offlist_detail", args=[obj.pk])
    if figure == "admission_channels":
        return f"{obj.get_kind_display()}：{obj.name}", reverse("admission:channels")
    return obj.request.title, reverse("admission:assignment_detail", args=[obj.pk])


def records(
    figure: str, low: str, high: str, start: date, end: date, *, user: Any, limit: int
) -> tuple[list[months.BurdenRecord], int]:
    """The records behind a figure with region codes in [low, high], dated in [start, end); each links
    to its own page where the viewer holds admission:view for its region."""
    scope = scope_for(user)
    return months.burden_records(
        burden_queries(start, end),
        figure,
        low,
        high,
        limit=limit,
        describe=lambda obj, _region: _title_url(figure, obj),
        can_open=lambda region: scope.can(Perm.ADMISSION_VIEW, region),
    )
