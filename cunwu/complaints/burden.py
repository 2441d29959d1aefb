"""Burden figures owned by complaints, counted for oversight (（十五）（十六）)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for

from .models import Complaint
from .selectors import linked_offlist_q

# name → label, unit, clause. A pushed_work report linked to a village's off-list report (清单外摊派反映)
# is left out of complaints_pushed_work: admission counts that report already, so it counts once.
FIGURES: dict[str, dict[str, str]] = {
    "complaints_received": {"label": "收到的举报", "unit": "件", "clause": "（十六）"},
    "complaints_pushed_work": {"label": "举报清单外摊派工作（未重复计入村级反映）", "unit": "件", "clause": "（二）"},
    "complaints_forbidden_certificate": {"label": "举报索要不应由村开具的证明", "unit": "件", "clause": "（十二）"},
    "complaints_substantiated": {"label": "查实（含部分属实）的举报", "unit": "件", "clause": "（十六）"},
    "complaints_overdue": {"label": "超期办结或超期未办结的举报", "unit": "件", "clause": "（十六）"},
}


def _figure_q() -> dict[str, Q]:
    today = timezone.localdate()
    return {
        "complaints_received": Q(),
        "complaints_pushed_work": Q(category="pushed_work") & ~linked_offlist_q(),
        "complaints_forbidden_certificate": Q(category="forbidden_certificate"),
        "complaints_substantiated": Q(finding__in=["substantiated", "partly"]),
        "complaints_overdue": (Q(closed_at__isnull=False) & Q(closed_at__date__gt=F("due")))
        | (Q(closed_at__isnull=True) & Q(due__lt=today)),
    }


def burden_queries(start: date, end: date) -> list[months.FigureQuery]:
    """One query per figure over reports received in [start, end). The region is the one the report
    concerns (any level); the subject as written is the department or agency."""
    base = Complaint.objects.filter(received_at__gte=months.start_of(start), received_at__lt=months.start_of(end))
    return [
        months.FigureQuery(figure, base.filter(q), region="region_id", when="received_at", subject="subject")
        for figure, q in _figure_q().items()
    ]


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    """(figure, region code, month "YYYY-MM", department or agency name or None, count), grouped by the database."""
    return months.figure_counts(burden_queries(start, end))


def _title_url(obj: Any, _region: str) -> tuple[str, str]:
    title = f"{obj.get_category_display()}（{obj.get_status_display()}，办理期限 {obj.due:%Y-%m-%d}）"
    return title, reverse("complaints:detail", args=[obj.tracking_code])


def records(
    figure: str, low: str, high: str, start: date, end: date, *, user: Any, limit: int
) -> tuple[list[months.BurdenRecord], int]:
    """Reports behind a figure: category and subject only (never the reporter); each links to its
    handling page where the viewer handles complaints for its region."""
    scope = scope_for(user)
    return months.burden_records(
        burden_queries(start, end),
        figure,
        low,
        high,
        limit=limit,
        describe=_title_url,
        can_open=lambda region: scope.can(Perm.COMPLAINT_HANDLE, region),
    )
