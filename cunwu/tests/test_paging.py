"""ScopePaginator: the planner's estimate above the threshold on PostgreSQL, an exact count otherwise."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from cunwu import paging
from cunwu.audit.models import AuditEntry
from cunwu.audit.services import audit_record
from cunwu.paging import ScopePaginator, planner_rows

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
on_sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite counts exactly")


@pytest.fixture
def seven(db):
    with transaction.atomic():
        for n in range(7):
            audit_record(actor="system", action=f"test.page{n}", object_type="test", region_code="530124103200")
    return AuditEntry.objects.filter(object_type="test").order_by("id")


def test_small_scope_is_counted_exactly(seven):
    paginator = ScopePaginator(seven, 3)  # 7 rows: far below the threshold on either database
    assert (paginator.count, paginator.num_pages, paginator.estimated) == (7, 3, False)
    assert paginator.count_text == "共 7 条"


def test_page_links_and_out_of_range_pages(seven):
    paginator = ScopePaginator(seven, 3)
    assert [e.action for e in paginator.get_page(2)] == ["test.page3", "test.page4", "test.page5"]
    assert paginator.get_page(99).number == 3 and [e.action for e in paginator.get_page(99)] == ["test.page6"]
    assert paginator.get_page("abc").number == 1


@on_sqlite
def test_sqlite_never_estimates(seven):
    assert planner_rows(seven) is None
    paginator = ScopePaginator(seven, 3, estimate_above=1)
    assert (paginator.count, paginator.estimated) == (7, False)


@on_postgresql
def test_postgresql_takes_the_estimate_above_the_threshold(seven):
    rows = planner_rows(seven)
    assert rows is not None and rows >= 1
    estimated = ScopePaginator(seven, 3, estimate_above=1)
    assert estimated.count == rows and estimated.estimated
    assert estimated.count_text == f"约 {rows:,} 条（估计数）"
    assert estimated.get_page(1).number == 1
    exact = ScopePaginator(seven, 3, estimate_above=rows + 1)
    assert (exact.count, exact.estimated) == (7, False)


@on_postgresql
def test_empty_queryset_is_counted_not_planned(db):
    assert planner_rows(AuditEntry.objects.none()) is None
    assert ScopePaginator(AuditEntry.objects.none(), 3, estimate_above=1).count == 0


@on_postgresql
def test_audit_page_says_the_count_is_an_estimate(seven, client_for, province_admin, monkeypatch):
    monkeypatch.setattr(paging, "ESTIMATE_ABOVE", 1)
    html = client_for(province_admin).get("/audit/").content.decode()
    assert "条（估计数）" in html


@on_sqlite
def test_audit_page_counts_exactly_on_sqlite(seven, client_for, province_admin, monkeypatch):
    monkeypatch.setattr(paging, "ESTIMATE_ABOVE", 1)
    html = client_for(province_admin).get("/audit/", {"object_type": "test"}).content.decode()
    assert "共 7 条" in html and "估计数" not in html
