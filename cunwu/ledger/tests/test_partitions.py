"""Yearly partitions of the audit log and the chain entries (PostgreSQL); plain tables on SQLite."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cunwu import partitions
from cunwu.audit.models import AuditEntry
from cunwu.ledger.models import ChainEntry

from .helpers import CHAIN, make_entries

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only")
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def partition_names(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {name for name, _ in partitions.partitions(cursor, table)}


def audit_row(at: dt.datetime) -> AuditEntry:
    return AuditEntry.objects.create(at=at, action="test.partition", object_type="test", region_code="530124")


@on_postgres
@pytest.mark.django_db
def test_migrate_leaves_both_tables_partitioned_with_this_year_and_two_ahead() -> None:
    year = timezone.localdate().year
    for p in partitions.PARTITIONED:
        with connection.cursor() as cursor:
            assert partitions.is_partitioned(cursor, p.table)
        names = partition_names(p.table)
        assert {partitions.partition_name(p.table, y) for y in (year, year + 1, year + 2)} <= names
        assert partitions.default_name(p.table) in names


@on_postgres
@pytest.mark.django_db
def test_rows_land_in_the_partition_of_their_year_in_china_time() -> None:
    year = timezone.localdate().year
    # 31 December 16:30 UTC is already 1 January in Beijing: the row belongs to the next year.
    new_year_eve_utc = dt.datetime(year, 12, 31, 16, 30, tzinfo=dt.UTC)
    assert partition_of("audit_auditentry", audit_row(timezone.now()).pk) == f"audit_auditentry_y{year}"
    assert partition_of("audit_auditentry", audit_row(new_year_eve_utc).pk) == f"audit_auditentry_y{year + 1}"
    assert partition_of("audit_auditentry", audit_row(dt.datetime(1999, 5, 1, tzinfo=TZ)).pk) == (
        "audit_auditentry_default"
    )
    entry = make_entries(1)[0]
    assert partition_of("ledger_chainentry", entry.pk) == f"ledger_chainentry_y{year}"


@on_postgres
@pytest.mark.django_db
def test_ensure_makes_the_missing_years_once() -> None:
    year = timezone.localdate().year
    made = partitions.ensure(4)
    assert made == [
        f"audit_auditentry_y{year + 3}",
        f"audit_auditentry_y{year + 4}",
        f"ledger_chainentry_y{year + 3}",
        f"ledger_chainentry_y{year + 4}",
    ]
    assert partitions.ensure(4) == []
    assert "分区齐全" in run("partitions", "ensure", "--years-ahead", "4")
    # The per-partition unique index that stands for (chain, seq) comes with every new partition.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [f"ledger_chainentry_y{year + 4}"])
        assert any("UNIQUE" in d and "(chain, seq)" in d for (d,) in cursor.fetchall())


@on_postgres
@pytest.mark.django_db
def test_ensure_moves_rows_waiting_in_the_default_partition_into_their_year() -> None:
    far = timezone.localdate().year + 9
    row = audit_row(dt.datetime(far, 3, 1, 9, 0, tzinfo=TZ))
    assert partition_of("audit_auditentry", row.pk) == "audit_auditentry_default"
    out = run("partitions", "ensure")
    assert f"audit_auditentry_y{far}" in out
    assert partition_of("audit_auditentry", row.pk) == f"audit_auditentry_y{far}"
    assert AuditEntry.objects.get(pk=row.pk).action == "test.partition"
    assert "audit_auditentry_default  DEFAULT  0 行" in run("partitions", "show")


@on_postgres
@pytest.mark.django_db
@pytest.mark.parametrize("verb", ["UPDATE {t} SET note = 'x'", "DELETE FROM {t}"])
def test_a_partition_row_stays_append_only(verb: str) -> None:
    year = timezone.localdate().year
    audit_row(timezone.now())
    make_entries(1)
    for table, column in (("audit_auditentry", "note"), ("ledger_chainentry", "kind")):
        sql = verb.format(t=f"{table}_y{year}").replace("note", column)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)


@on_postgres
@pytest.mark.django_db
def test_a_duplicate_chain_position_is_refused_within_a_year() -> None:
    entry = make_entries(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        ChainEntry.objects.create(
            chain=entry.chain,
            seq=entry.seq,
            kind="fork",
            payload={},
            recorded_at=entry.recorded_at + dt.timedelta(seconds=1),
            prev_hash=entry.prev_hash,
            hash="f" * 64,
        )


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_existing_rows_both_ways() -> None:
    entries = make_entries(3)
    row = audit_row(timezone.now())
    for p in partitions.PARTITIONED:
        with connection.schema_editor() as editor:
            partitions._partition_backward(p)(None, editor)
    with connection.cursor() as cursor:
        assert not partitions.is_partitioned(cursor, "ledger_chainentry")
    assert ChainEntry.objects.count() == 3 and AuditEntry.objects.filter(pk=row.pk).exists()
    for p in partitions.PARTITIONED:
        with connection.schema_editor() as editor:
            partitions._partition_forward(p, 2)(None, editor)
    assert [e.hash for e in ChainEntry.objects.order_by("seq")] == [e.hash for e in entries]
    assert partition_of("audit_auditentry", row.pk) == f"audit_auditentry_y{timezone.localdate().year}"
    # New ids continue after the moved ones, and the chain still verifies.
    assert make_entries(1)[0].pk > max(e.pk for e in entries)
    assert "存证链校验通过" in run("audit", "verify")


@pytest.mark.django_db
def test_audit_verify_passes_on_the_partitioned_chain() -> None:
    make_entries(4)
    make_entries(2, chain=CHAIN[:-1] + "9")
    assert "存证链校验通过" in run("audit", "verify")


@pytest.mark.django_db
def test_on_sqlite_nothing_is_partitioned() -> None:
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    assert partitions.ensure(2) == []
    assert "不是 PostgreSQL" in run("partitions", "ensure")
