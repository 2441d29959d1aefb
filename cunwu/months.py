"""Calendar months as the oversight figures count them: "YYYY-MM" keys in local time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone


def trunc_month(field: str) -> TruncMonth:
    """The first day of the month a date or datetime field falls in; datetimes count in the current
    (local) time zone, which TruncMonth applies by itself when USE_TZ is on."""
    return TruncMonth(field)


def month_key(value: Any) -> str:
    """ "YYYY-MM" for a date, a datetime (made local first) or such a string."""
    if isinstance(value, str):
        return value[:7]
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year:04d}-{value.month:02d}"


def start_of(day: dt.date) -> dt.datetime:
    """Local midnight at the start of a day, aware: datetime fields compare against it."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def monthly_counts(
    qs: Any, figure: str, *, region: str, when: str, subject: str | None = None
) -> list[tuple[str, str, str, str | None, int]]:
    """(figure, region code, "YYYY-MM", subject, count) rows of a queryset, grouped by the database.

    `region`, `when` and `subject` name fields (lookups allowed) of the queryset's model; the burden
    modules of the apps use this so every figure is one GROUP BY, never a walk over rows.
    """
    keys = [region, "m"] + ([subject] if subject else [])
    rows = qs.annotate(m=trunc_month(when)).values(*keys).annotate(n=Count("pk")).order_by()
    return [
        (figure, r[region], month_key(r["m"]), (r[subject] or None) if subject else None, r["n"])
        for r in rows
        if r["m"] is not None
    ]
