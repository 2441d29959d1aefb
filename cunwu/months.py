"""Calendar months as the oversight figures count them: "YYYY-MM" keys in local time (Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F
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


@dataclass(frozen=True)
class FigureQuery:
    """One figure as a queryset: which records count, the field naming their region code, the field
    dating them and (optionally) the department or agency. The same query both counts the figure by
    month and lists the records behind it, so the list always agrees with the number."""

    figure: str
    qs: Any
    region: str
    when: str
    subject: str | None = None


@dataclass(frozen=True)
class BurdenRecord:
    """One record behind a figure, as the oversight records page lists it (no personal data)."""

    when: Any
    region_code: str
    subject: str
    title: str
    url: str | None


def figure_counts(queries: list[FigureQuery]) -> list[tuple[str, str, str, str | None, int]]:
    """monthly_counts over every query of an app's figures."""
    out: list[tuple[str, str, str, str | None, int]] = []
    for q in queries:
        out += monthly_counts(q.qs, q.figure, region=q.region, when=q.when, subject=q.subject)
    return out


def figure_records(
    queries: list[FigureQuery], figure: str, low: str, high: str, *, limit: int
) -> tuple[list[tuple[Any, Any, str, str]], int]:
    """(record, date, region code, subject) of the figure's records whose region code lies in
    [low, high] (a region's subtree), newest first, at most `limit`; and how many there are in all."""
    found: list[tuple[Any, Any, str, str]] = []
    total = 0
    for q in queries:
        if q.figure != figure:
            continue
        qs = q.qs.filter(**{f"{q.region}__gte": low, f"{q.region}__lte": high})
        total += qs.count()
        named = {"burden_when": F(q.when), "burden_region": F(q.region)}
        if q.subject:
            named["burden_subject"] = F(q.subject)
        for obj in qs.annotate(**named).order_by("-burden_when", "-pk")[:limit]:
            subject = getattr(obj, "burden_subject", "") or ""
            found.append((obj, obj.burden_when, obj.burden_region, subject))
    found.sort(key=lambda r: _sort_key(r[1]), reverse=True)
    return found[:limit], total


def burden_records(
    queries: list[FigureQuery],
    figure: str,
    low: str,
    high: str,
    *,
    limit: int,
    describe: Callable[[Any, str], tuple[str, str]],
    can_open: Callable[[str], bool],
) -> tuple[list[BurdenRecord], int]:
    """`figure_records` as the records page lists them: `describe(record, region code)` gives its title
    and own page, linked only where `can_open(region code)` (the viewer may see it there)."""
    rows, total = figure_records(queries, figure, low, high, limit=limit)
    out = []
    for obj, when, region, subject in rows:
        title, url = describe(obj, region)
        out.append(BurdenRecord(when, region, subject, title, url if can_open(region) else None))
    return out, total


def _sort_key(value: Any) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat() if value else ""
