"""Burden figures owned by reporting, counted for oversight (（十五）（十六）); protocol in BURDEN_PROTOCOL.md."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.urls import reverse

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for

from .models import Filing, FilingStatus, FormRequest, RequestStatus

# name → label, unit, clause. Names are stable snake_case ids, unique across apps.
FIGURES: dict[str, dict[str, str]] = {
    "reporting_requests_refused": {"label": "不予纳入年度计划的部门填报需求", "unit": "件", "clause": "（四）"},
    "reporting_filings_submitted": {"label": "村级按计划提交的填报", "unit": "次", "clause": "（四）"},
    "reporting_filings_returned": {"label": "乡镇退回重填的村级填报", "unit": "次", "clause": "（四）"},
}


def burden_queries(start: date, end: date) -> list[months.FigureQuery]:
    """One query per figure for records dated in [start, end). A refused request concerns the county
    (its region is the county code); filings concern their village."""
    lo, hi = months.start_of(start), months.start_of(end)
    q = months.FigureQuery
    return [
        q(
            "reporting_requests_refused",
            FormRequest.objects.filter(status=RequestStatus.REFUSED, decided_at__gte=lo, decided_at__lt=hi),
            region="county_id",
            when="decided_at",
            subject="department__name",
        ),
        q(
            "reporting_filings_submitted",
            Filing.objects.filter(submitted_at__gte=lo, submitted_at__lt=hi),
            region="village_id",
            when="submitted_at",
        ),
        q(
            "reporting_filings_returned",
            Filing.objects.filter(status=FilingStatus.RETURNED, decided_at__gte=lo, decided_at__lt=hi),
            region="village_id",
            when="decided_at",
        ),
    ]


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    """(figure, region code, month "YYYY-MM", department name or None, count), grouped by the database."""
    return months.figure_counts(burden_queries(start, end))


def _title_url(figure: str, obj: Any, region: str) -> tuple[str, str]:
    if figure == "reporting_requests_refused":
        return obj.title, reverse("reporting:request_detail", args=[obj.pk])
    return f"{obj.period} 期填报", reverse("reporting:filing", args=[region, obj.period])


def records(
    figure: str, low: str, high: str, start: date, end: date, *, user: Any, limit: int
) -> tuple[list[months.BurdenRecord], int]:
    """Refused requests and village filings behind a figure, each linked to its own page."""
    scope = scope_for(user)
    return months.burden_records(
        burden_queries(start, end),
        figure,
        low,
        high,
        limit=limit,
        describe=lambda obj, region: _title_url(figure, obj, region),
        can_open=lambda region: scope.can(Perm.FORM_VIEW, region),
    )
