"""Burden figures owned by seals, counted for oversight (（十五）（十六）)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from .selectors import burden_rows

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


def records_url(figure: str, region_code: str, start: date, end: date) -> str | None:
    """The township's seal oversight page for the region and the year the period starts in."""
    if figure not in FIGURES:
        return None
    return reverse("seals:oversight") + "?" + urlencode({"region": region_code, "year": start.year})
