"""Burden figures owned by signs, counted for oversight (（十五）（十六）)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from cunwu.regions import codes

from .selectors import burden_rows

FIGURES: dict[str, dict[str, str]] = {
    "signs_offcatalog": {"label": "清理行动查出的目录外牌子", "unit": "块", "clause": "（九）"},
    "signs_overdue_tasks": {"label": "逾期未完成的挂牌整改任务", "unit": "项", "clause": "（九）"},
}


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    return burden_rows(start, end)


def records_url(figure: str, region_code: str, start: date, end: date) -> str | None:
    """A village's inventory and tasks, or a region's compliance overview (it applies the viewer's scope)."""
    if figure not in FIGURES:
        return None
    if codes.level_of(region_code) in (codes.VILLAGE, codes.COMMUNITY):
        return reverse("signs:village", args=[region_code])
    return reverse("signs:region", args=[region_code])
