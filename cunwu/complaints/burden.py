"""Burden figures owned by complaints, counted for oversight (（十五）（十六）)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

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


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime.combine(start, datetime.min.time(), tz), datetime.combine(end, datetime.min.time(), tz)


def counts(start: date, end: date) -> Iterable[tuple[str, str, str, str | None, int]]:
    """(figure, region code, month "YYYY-MM", department or agency name or None, count) for reports
    received in [start, end). The region is the one the report concerns (any level); the subject as
    written is the department or agency. Grouped by the database."""
    low, high = _bounds(start, end)
    base = Complaint.objects.filter(received_at__gte=low, received_at__lt=high)
    tz = timezone.get_current_timezone()
    for figure, q in _figure_q().items():
        rows = (
            base.filter(q)
            .annotate(month=TruncMonth("received_at", tzinfo=tz))
            .values("region_id", "month", "subject")
            .annotate(n=Count("id"))
            .order_by("region_id", "month", "subject")
        )
        for row in rows:
            yield figure, row["region_id"], f"{row['month']:%Y-%m}", row["subject"] or None, row["n"]


def records_url(figure: str, region_code: str, start: date, end: date) -> str | None:
    """The handling body's queue filtered to the region subtree and the received dates (the page applies
    the viewer's scope: a figure's records outside the viewer's handling body are not listed)."""
    if figure not in FIGURES:
        return None
    category = {"complaints_pushed_work": "pushed_work", "complaints_forbidden_certificate": "forbidden_certificate"}
    url = f"{reverse('complaints:queue')}?region={region_code}&from={start.isoformat()}&to={end.isoformat()}"
    if figure in category:
        url += f"&category={category[figure]}"
    if figure == "complaints_overdue":
        url += "&overdue=1"
    return url
