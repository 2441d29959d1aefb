"""Reads from the read replica: which views use it, read-your-own-writes, and falling back when it is down.

The replica here is a second database alias ("replica") that shares the test database's connection,
so it sees the test's rows; its lag check is replaced (the test database is not a standby). A real
standby (pg_basebackup -R, lag measured) is exercised by bench/bench_deploy.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.test import RequestFactory
from django.utils import timezone

from cunwu import dbrouting
from cunwu.oversight import aggregation
from cunwu.oversight.models import MonthRefresh
from cunwu.regions.models import Region

pytestmark = pytest.mark.django_db


class Recorder:
    """The SQL one alias ran."""

    def __init__(self) -> None:
        self.sql: list[str] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.sql.append(sql)
        return execute(sql, params, many, context)

    def touched(self, table: str) -> bool:
        return any(table in s for s in self.sql)


def _shared_replica() -> Any:
    primary = connections["default"]
    primary.ensure_connection()
    wrapper = primary.__class__(dict(primary.settings_dict), alias=dbrouting.REPLICA)
    wrapper.connection = primary.connection
    return wrapper


@pytest.fixture
def replica(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Recorder, Recorder]]:
    """The router on, a healthy replica alias; yields (primary queries, replica queries)."""
    settings.DATABASE_ROUTERS = ["cunwu.dbrouting.ReplicaRouter"]
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouting, "replica_lag", lambda: 0.0)
    monkeypatch.setattr(dbrouting, "_health", {"checked": 0.0, "ok": False})
    wrapper = _shared_replica()
    connections[dbrouting.REPLICA] = wrapper
    on_primary, on_replica = Recorder(), Recorder()
    try:
        with connections["default"].execute_wrapper(on_primary), wrapper.execute_wrapper(on_replica):
            yield on_primary, on_replica
    finally:
        wrapper.connection = None  # the primary's connection is not ours to close
        del connections[dbrouting.REPLICA]


def test_reads_inside_the_block_go_to_the_replica_and_outside_to_the_primary(replica: Any) -> None:
    with dbrouting.replica_reads():
        assert Region.objects.all().db == dbrouting.REPLICA
        with dbrouting.primary_reads():
            assert Region.objects.all().db == "default"
        assert Region.objects.all().db == dbrouting.REPLICA
    assert Region.objects.all().db == "default"


def test_after_a_write_the_block_reads_from_the_primary(replica: Any) -> None:
    on_primary, on_replica = replica
    with dbrouting.replica_reads():
        region = Region.objects.order_by("code").first()
        assert region is not None and region._state.db == dbrouting.REPLICA
        MonthRefresh.objects.create(month="2020-01", refreshed_at=timezone.now())
        assert MonthRefresh.objects.filter(month="2020-01").db == "default"
        assert MonthRefresh.objects.filter(month="2020-01").exists()
    assert on_replica.touched("regions_region") and not on_replica.touched("oversight_monthrefresh")
    assert on_primary.touched("oversight_monthrefresh")


def test_a_public_page_reads_from_the_replica(client: Any, replica: Any) -> None:
    on_primary, on_replica = replica
    r = client.get("/zhaocun/", {"q": "罗免"})
    assert r.status_code == 200 and "罗免镇" in r.content.decode()
    assert on_replica.touched("regions_region")
    assert not on_primary.touched("regions_region")


def test_a_page_that_is_not_marked_reads_from_the_primary(client: Any, replica: Any) -> None:
    _, on_replica = replica
    assert client.get("/kaizhengming/").status_code == 200
    assert on_replica.sql == []


def test_dashboard_that_refreshes_reads_its_own_writes_then_the_next_reads_the_replica(
    client_for: Any, province_admin: Any, replica: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_primary, on_replica = replica
    # Counts stay fresh for the whole test, however slow the machine (a second refresh would write again).
    monkeypatch.setattr(aggregation, "STALE_AFTER", timedelta(days=1))
    MonthRefresh.objects.all().delete()
    code = Region.objects.get(level="province").code
    c = client_for(province_admin)
    assert c.get(f"/oversight/r/{code}/").status_code == 200  # stale: refreshes (writes), then reads
    assert on_primary.touched("oversight_regionscore") and not on_replica.touched("oversight_regionscore")
    on_primary.sql.clear()
    assert c.get(f"/oversight/r/{code}/").status_code == 200  # fresh: nothing written, reads the replica
    # The scores shown come from the replica; the primary only answered "is the period up to date?".
    scores = '"oversight_regionscore"."villages_over"'
    assert on_replica.touched(scores) and not on_primary.touched(scores)
    assert aggregation.ensure_fresh() is False


def test_a_browser_that_just_posted_reads_from_the_primary(client: Any, replica: Any) -> None:
    on_primary, on_replica = replica
    client.cookies[dbrouting.PIN_COOKIE] = "1"
    assert client.get("/zhaocun/", {"q": "罗免"}).status_code == 200
    assert on_primary.touched("regions_region") and on_replica.sql == []


def test_pin_cookie_set_after_a_post_only(settings: Any) -> None:
    from django.http import HttpResponse

    middleware = dbrouting.PinAfterWriteMiddleware(lambda request: HttpResponse("ok"))
    posted = middleware(RequestFactory().post("/x/"))
    read = middleware(RequestFactory().get("/x/"))
    assert posted.cookies[dbrouting.PIN_COOKIE]["max-age"] == settings.REPLICA_MAX_LAG + 1
    assert dbrouting.PIN_COOKIE not in read.cookies


def test_a_replica_that_is_down_falls_back_to_the_primary(
    client: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DATABASE_ROUTERS = ["cunwu.dbrouting.ReplicaRouter"]
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouting, "_health", {"checked": 0.0, "ok": False})
    primary = connections["default"]
    down = dict(primary.settings_dict)
    if primary.vendor == "postgresql":
        down.update(HOST="127.0.0.1", PORT=1, OPTIONS={**down.get("OPTIONS", {}), "connect_timeout": 1})
    else:
        down["NAME"] = "/nonexistent-dir/replica.sqlite3"
    connections[dbrouting.REPLICA] = primary.__class__(down, alias=dbrouting.REPLICA)
    try:
        assert dbrouting.replica_lag() is None
        with dbrouting.replica_reads():
            assert Region.objects.all().db == "default"
        r = client.get("/zhaocun/", {"q": "罗免"})
        assert r.status_code == 200 and "罗免镇" in r.content.decode()
    finally:
        connections[dbrouting.REPLICA].close()
        del connections[dbrouting.REPLICA]


def test_a_replica_lost_between_health_checks_is_retried_on_the_primary(
    client: Any, settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The health check said yes, then the replica stopped: the read-only page is answered from the
    primary, once, and the replica is not tried again until the next check."""
    settings.DATABASE_ROUTERS = ["cunwu.dbrouting.ReplicaRouter"]
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    monkeypatch.setattr(dbrouting, "replica_lag", lambda: 0.0)  # the last check found it healthy
    monkeypatch.setattr(dbrouting, "_health", {"checked": 0.0, "ok": False})
    primary = connections["default"]
    down = dict(primary.settings_dict)
    if primary.vendor == "postgresql":
        down.update(HOST="127.0.0.1", PORT=1, OPTIONS={**down.get("OPTIONS", {}), "connect_timeout": 1})
    else:
        down["NAME"] = "/nonexistent-dir/replica.sqlite3"
    connections[dbrouting.REPLICA] = primary.__class__(down, alias=dbrouting.REPLICA)
    try:
        r = client.get("/zhaocun/", {"q": "罗免"})
        assert r.status_code == 200 and "罗免镇" in r.content.decode()
        assert "answered from the primary" in caplog.text
        assert dbrouting._health["ok"] is False
        with dbrouting.replica_reads():
            assert Region.objects.all().db == "default"
    finally:
        connections[dbrouting.REPLICA].close()
        del connections[dbrouting.REPLICA]


def test_a_view_that_wrote_is_not_run_twice(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a write the view's error reaches the outage handler (503) instead of a second run."""
    settings.DATABASE_ROUTERS = ["cunwu.dbrouting.ReplicaRouter"]
    monkeypatch.setattr(dbrouting, "replica_configured", lambda: True)
    runs: list[int] = []

    @dbrouting.reads_from_replica
    def view(request: Any) -> None:
        runs.append(1)
        block = dbrouting._block.get()
        assert block is not None
        block.pin()
        raise dbrouting.OperationalError("server closed the connection unexpectedly")

    with pytest.raises(dbrouting.OperationalError):
        view(RequestFactory().get("/"))
    assert runs == [1]
