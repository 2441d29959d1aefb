"""The records behind every figure: the region's subtree and the period only, in the viewer's scope.

One world of every app's demo data and services (cunwu/tests/world.py); for each figure the list
agrees with the stored counts, leaves out records of other regions and other months, and a viewer
outside the region gets 404 (in scope without oversight:view 403)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest
from django.utils import timezone

from cunwu.oversight import figures, rules
from cunwu.regions import codes
from cunwu.tests.world import build_world

from .helpers import (
    COUNTY,
    OTHER_VILLAGE,
    TOWNSHIP,
    VILLAGE,
    make_offlist,
    make_the_figures_the_world_lacks,
    province_code,
)

pytestmark = pytest.mark.django_db

OTHER_COUNTY = "530300000000"  # 曲靖市 is outside every test account's township and county


def _counts_by(start: dt.date, end: dt.date) -> dict[str, dict[tuple[str, str], int]]:
    """figure → (region code, month) → count, straight from the apps' counts."""
    out: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for figure, code, month, _subject, n in figures.counts(start, end):
        out[figure][(code, month)] += n
    return out


def _expected(by: dict[tuple[str, str], int], region: str, period: rules.Period) -> int:
    low, high = codes.code_range(region, codes.level_of(region))
    return sum(n for (code, month), n in by.items() if low <= code <= high and month in period.months)


def _local_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def test_every_figure_lists_only_its_region_and_period(province_admin: Any) -> None:
    make_the_figures_the_world_lacks(build_world())
    today = timezone.localdate()
    start, end = dt.date(today.year - 3, 1, 1), rules.next_month(today.replace(day=1))
    by_figure = _counts_by(start, end)
    covered = []
    for name in figures.all_figures():
        assert figures.has_records(name), f"{name}: its app's burden.py has no records()"
        by = by_figure.get(name, {})
        if not by:
            continue
        covered.append(name)
        code, month = max(by, key=lambda k: (by[k], k))
        county = codes.prefix(code, codes.COUNTY).ljust(12, "0")
        in_period = rules.Period(int(month[:4]), month=int(month[5:]))
        other_month = rules.previous_month(in_period.start)
        other_period = rules.Period(other_month.year, month=other_month.month)
        for region, period in (
            (county, in_period),
            (OTHER_COUNTY, in_period),
            (county, other_period),
            (code, in_period),
        ):
            low, high = codes.code_range(region, codes.level_of(region))
            rows, total = figures.records(name, low, high, period.start, period.end, user=province_admin, limit=500)
            assert total == _expected(by, region, period), (name, region, period.key)
            assert len(rows) == total, (name, region, period.key)
            for r in rows:
                assert low <= r.region_code <= high, (name, region, r)
                assert period.start <= _local_day(r.when) < period.end, (name, period.key, r)
        rows, total = figures.records(
            name,
            *codes.code_range(county, codes.COUNTY),
            in_period.start,
            in_period.end,
            user=province_admin,
            limit=500,
        )
        assert total > 0 and all(r.title for r in rows), name
    missing = sorted(set(figures.all_figures()) - set(covered))
    assert not missing, f"no records made for {missing}: the test would not check them"


def test_records_page_filters_and_links(client_for: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk, n=2)
    today = timezone.localdate()
    q = {"year": today.year, "month": today.month}
    c = client_for(province_admin)
    page = c.get(f"/oversight/r/{VILLAGE}/records/admission_offlist/", q).content.decode()
    assert 'id="records-total">2<' in page and "/admission/offlist/" in page and "春耕进度表" in page
    page = c.get(f"/oversight/r/{OTHER_VILLAGE}/records/admission_offlist/", q).content.decode()
    assert 'id="records-total">0<' in page and "春耕进度表" not in page
    last = rules.previous_month(today.replace(day=1))
    page = c.get(f"/oversight/r/{COUNTY}/records/admission_offlist/", {"year": last.year, "month": last.month})
    assert 'id="records-total">0<' in page.content.decode()
    page = c.get(f"/oversight/r/{province_code()}/records/admission_offlist/", {"year": today.year}).content.decode()
    assert 'id="records-total">2<' in page


def test_records_page_scope(client_for: Any, clerk: Any, township_officer: Any) -> None:
    make_offlist(clerk)
    for name in figures.all_figures():
        assert client_for(township_officer).get(f"/oversight/r/{TOWNSHIP}/records/{name}/").status_code == 200, name
        assert client_for(township_officer).get(f"/oversight/r/{COUNTY}/records/{name}/").status_code == 404, name
        assert client_for(township_officer).get(f"/oversight/r/{OTHER_COUNTY}/records/{name}/").status_code == 404
        assert client_for(clerk).get(f"/oversight/r/{VILLAGE}/records/{name}/").status_code == 403, name
    assert client_for(township_officer).get(f"/oversight/r/{TOWNSHIP}/records/no_such/").status_code == 404
    bad = client_for(township_officer).get(f"/oversight/r/{TOWNSHIP}/records/admission_offlist/", {"year": "20x7"})
    assert bad.status_code == 422


def test_every_figure_links_to_its_records_page() -> None:
    period = rules.Period(2026, month=11)
    from cunwu.oversight import selectors

    for name in figures.all_figures():
        url = selectors.figure_url(name, VILLAGE, period)
        assert url == f"/oversight/r/{VILLAGE}/records/{name}/?year=2026&month=11", name


def test_listing_a_figures_records_costs_the_same_queries_for_one_record_as_for_all(province_admin: Any) -> None:
    """No query per listed record (a title read through a relation would add one per row)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_the_figures_the_world_lacks(build_world())
    today = timezone.localdate()
    start, end = dt.date(today.year - 3, 1, 1), rules.next_month(today.replace(day=1))
    low, high = codes.code_range(province_code(), codes.PROVINCE)
    for name in figures.all_figures():
        used = []
        for limit in (1, 500):
            with CaptureQueriesContext(connection) as ctx:
                _rows, total = figures.records(name, low, high, start, end, user=province_admin, limit=limit)
            used.append(len(ctx.captured_queries))
        if total > 1:
            assert used[0] == used[1], (name, total, used)
