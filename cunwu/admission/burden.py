"""Burden figures owned by admission, counted for oversight (（十五）（十六）)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from .selectors import burden_rows

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


def records_url(figure: str, region_code: str, start: date, end: date) -> str | None:
    if figure in ("admission_assigned", "admission_meetings", "admission_evaluations"):
        return reverse("admission:ledger") + "?" + urlencode({"region": region_code})
    if figure in ("admission_screen_rejected", "admission_rejected"):
        status = "screen_rejected" if figure == "admission_screen_rejected" else "rejected"
        return reverse("admission:requests") + "?" + urlencode({"status": status, "year": start.year})
    if figure == "admission_offlist":
        return reverse("admission:offlist")
    if figure == "admission_channels":
        return reverse("admission:channels")
    return None
