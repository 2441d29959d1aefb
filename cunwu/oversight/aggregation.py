"""The pre-aggregated tables: counts from every app's burden module per month, and the burden index
per region and period computed from them. Refreshed incrementally: a month is recomputed as a whole
(its old rows replaced in one transaction), then the month, quarter and year it belongs to."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from cunwu.dbrouting import primary_reads
from cunwu.regions import codes
from cunwu.regions.selectors import codes_above_village, village_level_codes

from . import figures, rules
from .models import FigureCount, Formula, MonthRefresh, RegionScore

# A record written now shows within a minute: reads refresh the current and previous month when
# their counts are older than this (and `cunwu oversight refresh` runs on a schedule as well).
STALE_AFTER = dt.timedelta(seconds=60)
_LOCK = "oversight:refresh-lock"
_BATCH = 5000
VILLAGE_LEVELS = (codes.VILLAGE, codes.COMMUNITY)


def current_formula() -> rules.IndexFormula:
    """The newest formula version; the first one is written from the defaults when none exists."""
    row = Formula.objects.order_by("-version").first()
    if row is None:
        row, _ = Formula.objects.get_or_create(
            version=1,
            defaults={
                "weights": rules.DEFAULT_WEIGHTS,
                "references": rules.DEFAULT_REFERENCES,
                "threshold": rules.DEFAULT_THRESHOLD,
                "note": "初始公式",
            },
        )
    return rules.IndexFormula(row.version, row.weights, row.references, row.threshold)


def first_month() -> str | None:
    """The earliest month with any count: periods ending before it have no records."""
    found: str | None = FigureCount.objects.aggregate(m=Min("month"))["m"]
    return found


def _collect(month: str) -> dict[tuple[str, str, str], int]:
    start = rules.month_start(month)
    out: dict[tuple[str, str, str], int] = defaultdict(int)
    for figure, region_code, row_month, subject, n in figures.counts(start, rules.next_month(start)):
        if row_month == month and n:
            out[(figure, region_code, (subject or "")[:128])] += n
    return out


def refresh_months(months: Iterable[str], *, now: dt.datetime | None = None) -> int:
    """Recompute the counts of each month from the apps, then the periods those months belong to."""
    now = now or timezone.now()
    written = 0
    touched: dict[str, rules.Period] = {}
    for month in sorted(set(months)):
        rows = _collect(month)
        with transaction.atomic():
            FigureCount.objects.filter(month=month).delete()
            FigureCount.objects.bulk_create(
                (
                    FigureCount(figure=f, region_code=c, month=month, subject=s, count=n)
                    for (f, c, s), n in rows.items()
                ),
                batch_size=_BATCH,
            )
            MonthRefresh.objects.update_or_create(month=month, defaults={"refreshed_at": now})
        written += len(rows)
        for period in rules.periods_containing(month):
            touched[period.key] = period
    formula = current_formula()
    for period in touched.values():
        compute_period(period, formula)
    return written


def compute_period(period: rules.Period, formula: rules.IndexFormula, *, today: dt.date | None = None) -> int:
    """Village indexes and the rollups above them for one period, replacing the stored ones."""
    today = today or timezone.localdate()
    months_in = period.elapsed_months(today)
    by_code: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        FigureCount.objects.filter(month__in=period.months)
        .values("region_code", "figure")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        by_code[row["region_code"]][row["figure"]] = row["n"]

    above = dict(codes_above_village())
    sums: dict[str, dict[str, int]] = {code: defaultdict(int) for code in above}
    index_sum: dict[str, float] = defaultdict(float)
    over: dict[str, int] = defaultdict(int)
    villages: dict[str, int] = defaultdict(int)
    for code in village_level_codes():
        for anc in codes.ancestor_codes(code):
            villages[anc] += 1
    scores: list[RegionScore] = []
    for code, comps in by_code.items():
        level = codes.level_of(code)
        is_village = level in VILLAGE_LEVELS
        reach = codes.ancestor_codes(code) + ([] if is_village else [code])
        for anc in reach:
            bucket = sums.setdefault(anc, defaultdict(int))
            for figure, n in comps.items():
                bucket[figure] += n
        if is_village:
            index = rules.village_index(comps, formula, months_in)
            scores.append(
                RegionScore(
                    region_code=code,
                    period=period.key,
                    level=level,
                    formula_version=formula.version,
                    index=index,
                    components=comps,
                )
            )
            for anc in codes.ancestor_codes(code):
                index_sum[anc] += index
                over[anc] += index >= formula.threshold
    for code, comps in sums.items():
        n = villages.get(code, 0)
        scores.append(
            RegionScore(
                region_code=code,
                period=period.key,
                level=above.get(code) or codes.level_of(code),
                formula_version=formula.version,
                index=rules.mean(index_sum.get(code, 0.0), n),
                components=dict(comps),
                villages=n,
                villages_over=over.get(code, 0),
            )
        )
    with transaction.atomic():
        RegionScore.objects.filter(period=period.key).delete()
        RegionScore.objects.bulk_create(scores, batch_size=_BATCH)
    return len(scores)


def recent_months(today: dt.date) -> list[str]:
    this = today.replace(day=1)
    return [rules.previous_month(this).strftime("%Y-%m"), this.strftime("%Y-%m")]


def ensure_fresh(*, now: dt.datetime | None = None) -> bool:
    """Refresh the current and previous month when their counts are older than a minute.

    One process refreshes at a time (a cache lock); the others read what is stored. True if refreshed.
    Decided on the primary: a replica a moment behind would refresh again for nothing.
    """
    with primary_reads():
        return _ensure_fresh(now)


def _ensure_fresh(now: dt.datetime | None) -> bool:
    now = now or timezone.now()
    wanted = recent_months(timezone.localdate(now))
    marks = dict(MonthRefresh.objects.filter(month__in=wanted).values_list("month", "refreshed_at"))
    if all(m in marks and now - marks[m] < STALE_AFTER for m in wanted):
        return False
    if not cache.add(_LOCK, 1, 300):
        return False
    try:
        refresh_months(wanted, now=now)
    finally:
        cache.delete(_LOCK)
    return True


def ensure_period(period: rules.Period) -> None:
    """Make sure the period's months were counted and its scores use the current formula (decided
    and done on the primary)."""
    with primary_reads():
        _ensure_period(period)


def _ensure_period(period: rules.Period) -> None:
    missing = set(period.months) - set(
        MonthRefresh.objects.filter(month__in=period.months).values_list("month", flat=True)
    )
    today = timezone.localdate()
    missing = {m for m in missing if rules.month_start(m) <= today}
    if missing:
        refresh_months(missing)
        return
    formula = current_formula()
    # [:1] without ordering: first() would add ORDER BY id and walk the whole period's rows
    stored = list(RegionScore.objects.filter(period=period.key).values_list("formula_version", flat=True)[:1])
    if stored != [formula.version]:
        compute_period(period, formula)
