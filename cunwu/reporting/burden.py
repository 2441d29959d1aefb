"""Burden figures owned by reporting, counted for oversight (（十五）（十六）); protocol in BURDEN_PROTOCOL.md."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.urls import reverse

from .models import Filing, FilingStatus, FormRequest, RequestStatus

# name → label, unit, clause. Names are stable snake_case ids, unique across apps.
FIGURES: dict[str, dict[str, str]] = {
    "reporting_requests_refused": {"label": "不予纳入年度计划的部门填报需求", "unit": "件", "clause": "（四）"},
    "reporting_filings_submitted": {"label": "村级按计划提交的填报", "unit": "次", "clause": "（四）"},
    "reporting_filings_returned": {"label": "乡镇退回重填的村级填报", "unit": "次", "clause": "（四）"},
}


def _month(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    """(figure, region code, month "YYYY-MM", department name or None, count) for records dated in [start, end).

    A refused request concerns the county (its region is the county code); filings concern their village.
    """
    refused = (
        FormRequest.objects.filter(status=RequestStatus.REFUSED, decided_at__date__gte=start, decided_at__date__lt=end)
        .annotate(month=TruncMonth("decided_at"))
        .values("county_id", "month", "department__name")
        .annotate(n=Count("id"))
    )
    for row in refused:
        yield ("reporting_requests_refused", row["county_id"], _month(row["month"]), row["department__name"], row["n"])
    submitted = (
        Filing.objects.filter(submitted_at__date__gte=start, submitted_at__date__lt=end)
        .annotate(month=TruncMonth("submitted_at"))
        .values("village_id", "month")
        .annotate(n=Count("id"))
    )
    for row in submitted:
        yield ("reporting_filings_submitted", row["village_id"], _month(row["month"]), None, row["n"])
    returned = (
        Filing.objects.filter(status=FilingStatus.RETURNED, decided_at__date__gte=start, decided_at__date__lt=end)
        .annotate(month=TruncMonth("decided_at"))
        .values("village_id", "month")
        .annotate(n=Count("id"))
    )
    for row in returned:
        yield ("reporting_filings_returned", row["village_id"], _month(row["month"]), None, row["n"])


def records_url(figure: str, region_code: str, start: date, end: date) -> str | None:
    """The staff page behind a figure (it applies the viewer's scope), or None."""
    if figure not in FIGURES:
        return None
    return reverse("reporting:home")
