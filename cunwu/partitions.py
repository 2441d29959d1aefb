"""Yearly partitions of the append-only tables that grow without bound (PostgreSQL only).

`audit_auditentry` (by `at`) and `ledger_chainentry` (by `recorded_at`) are declaratively
partitioned by RANGE on their time column, one partition per calendar year in China Standard Time
(`settings.TIME_ZONE`), plus a DEFAULT partition that catches rows outside every year made so far.
`cunwu partitions ensure` (monthly timer) makes the coming years' partitions ahead of time and
moves any rows found in the DEFAULT partition into their year.

What PostgreSQL requires and how it is met (docs/scaling.md says why):

- The partition key must be part of every primary key and unique constraint: the primary key is
  `(id, <time column>)` in SQL while Django keeps `id` as its pk (ids still come from one sequence,
  so they stay unique). No table has a foreign key to these two tables.
- A unique constraint without the time column (`ledger_chainentry (chain, seq)`) cannot exist on the
  parent; it is a unique index on each partition instead. A fork across a year boundary is still
  prevented by the chain head's row lock (`ledger.services`) and shown by `cunwu audit verify`.
- Identity columns are not supported on partitioned tables before PostgreSQL 17: `id` takes its
  default from an owned sequence `<table>_id_seq`.
- The append-only trigger is created on the parent; PostgreSQL clones it onto every partition,
  present and future.

SQLite keeps plain tables: every function here does nothing there.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection as default_connection
from django.db import migrations, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Partitioned:
    table: str
    column: str
    # Unique constraints of the unpartitioned table that lack the time column: (name, columns).
    unique: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())


PARTITIONED = (
    Partitioned("audit_auditentry", "at"),
    Partitioned("ledger_chainentry", "recorded_at", unique=(("ledger_entry_chain_seq_uniq", ("chain", "seq")),)),
)


def spec(table: str) -> Partitioned:
    return next(p for p in PARTITIONED if p.table == table)


def partition_name(table: str, year: int) -> str:
    return f"{table}_y{year}"


def default_name(table: str) -> str:
    return f"{table}_default"


def _bound(year: int) -> str:
    """The start of `year` in the configured time zone, as a timestamptz literal."""
    start = dt.datetime(year, 1, 1, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return start.isoformat(sep=" ")


def year_of(moment: dt.datetime) -> int:
    return timezone.localtime(moment, zoneinfo.ZoneInfo(settings.TIME_ZONE)).year


def _unique_sql(p: Partitioned, partition: str) -> list[str]:
    return [
        f"CREATE UNIQUE INDEX IF NOT EXISTS {partition}_{'_'.join(cols)}_uniq ON {partition} ({', '.join(cols)})"
        for _, cols in p.unique
    ]


def _fetch(cursor: Any, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, list(params))
    return list(cursor.fetchall())


def is_partitioned(cursor: Any, table: str) -> bool:
    return bool(_fetch(cursor, "SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'p'", [table]))


def partitions(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(partition name, bound expression) of `table`, in name order."""
    return sorted(
        _fetch(
            cursor,
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s",
            [table],
        )
    )


def _default_years(cursor: Any, p: Partitioned) -> list[int]:
    sql = f"SELECT DISTINCT extract(year FROM {p.column} AT TIME ZONE %s)::int FROM {default_name(p.table)}"  # noqa: S608
    return sorted(year for (year,) in _fetch(cursor, sql, [settings.TIME_ZONE]))


def _create_year(cursor: Any, p: Partitioned, year: int) -> None:
    name = partition_name(p.table, year)
    cursor.execute(
        f"CREATE TABLE {name} PARTITION OF {p.table} FOR VALUES FROM ('{_bound(year)}') TO ('{_bound(year + 1)}')"
    )
    for sql in _unique_sql(p, name):
        cursor.execute(sql)


def _ensure_table(cursor: Any, p: Partitioned, years: Iterable[int]) -> list[str]:
    """Create the missing partitions for `years` and for every year the DEFAULT partition holds rows of."""
    existing = {name for name, _ in partitions(cursor, p.table)}
    stray = _default_years(cursor, p)
    wanted = sorted(set(years) | set(stray))
    missing = [y for y in wanted if partition_name(p.table, y) not in existing]
    if not missing:
        return []
    cursor.execute(f"LOCK TABLE {p.table} IN ACCESS EXCLUSIVE MODE")
    if not stray:
        for year in missing:
            _create_year(cursor, p, year)
        return [partition_name(p.table, y) for y in missing]
    # Rows wait in the DEFAULT partition: copy them into a fresh DEFAULT and their new years, then
    # drop the old one (no DELETE, which the append-only trigger refuses, and one transaction).
    old = default_name(p.table)
    cursor.execute(f"ALTER TABLE {p.table} DETACH PARTITION {old}")
    cursor.execute(f"ALTER TABLE {old} RENAME TO {old}_moving")
    for year in missing:
        _create_year(cursor, p, year)
    _create_default(cursor, p)
    cursor.execute(f"INSERT INTO {p.table} SELECT * FROM {old}_moving")  # noqa: S608 - fixed names
    cursor.execute(f"DROP TABLE {old}_moving")
    return [partition_name(p.table, y) for y in missing]


def _create_default(cursor: Any, p: Partitioned) -> None:
    name = default_name(p.table)
    cursor.execute(f"CREATE TABLE {name} PARTITION OF {p.table} DEFAULT")
    for sql in _unique_sql(p, name):
        cursor.execute(sql)


def ensure(years_ahead: int = 2, *, today: dt.date | None = None, using: Any = None) -> list[str]:
    """Create this year's and the next `years_ahead` years' partitions where missing; idempotent.

    Returns the names of the partitions created (none on SQLite or when all exist).
    """
    conn = using or default_connection
    if conn.vendor != "postgresql":
        return []
    year = (today or timezone.localdate()).year
    made: list[str] = []
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        for p in PARTITIONED:
            if is_partitioned(cursor, p.table):
                made += _ensure_table(cursor, p, range(year, year + years_ahead + 1))
    return made


# --- the migration that turns a plain table into a partitioned one, and back -----------------------


def _index_definitions(cursor: Any, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's indexes that are not constraints."""
    return _fetch(
        cursor,
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.schemaname = current_schema() "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [table],
    )


def _years_of_rows(cursor: Any, p: Partitioned) -> list[int]:
    (low, high) = _fetch(cursor, f"SELECT min({p.column}), max({p.column}) FROM {p.table}")[0]  # noqa: S608
    if low is None:
        return []
    return list(range(year_of(low), year_of(high) + 1))


def _partition_forward(p: Partitioned, years_ahead: int) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        conn = schema_editor.connection
        if conn.vendor != "postgresql":
            return
        t = p.table
        with conn.cursor() as cursor:
            if is_partitioned(cursor, t):
                return
            indexes = _index_definitions(cursor, t)
            years = set(_years_of_rows(cursor, p))
            this_year = timezone.localdate().year
            years |= set(range(this_year, this_year + years_ahead + 1))
            cursor.execute(f"LOCK TABLE {t} IN ACCESS EXCLUSIVE MODE")
            cursor.execute(
                f"CREATE TABLE {t}_partitioned (LIKE {t} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ({p.column})"
            )
            cursor.execute(f"ALTER TABLE {t} RENAME TO {t}_unpartitioned")
            cursor.execute(f"ALTER TABLE {t}_partitioned RENAME TO {t}")
            for year in sorted(years):
                _create_year(cursor, p, year)
            _create_default(cursor, p)
            cursor.execute(f"INSERT INTO {t} SELECT * FROM {t}_unpartitioned")  # noqa: S608 - fixed names
            (top,) = _fetch(cursor, f"SELECT COALESCE(max(id), 0) FROM {t}")[0]  # noqa: S608
            cursor.execute(f"DROP TABLE {t}_unpartitioned")
            cursor.execute(f"ALTER TABLE {t} ADD CONSTRAINT {t}_pkey PRIMARY KEY (id, {p.column})")
            cursor.execute(f"CREATE SEQUENCE {t}_id_seq AS bigint OWNED BY {t}.id")
            cursor.execute(f"SELECT setval('{t}_id_seq', %s, %s)", [max(top, 1), top > 0])
            cursor.execute(f"ALTER TABLE {t} ALTER COLUMN id SET DEFAULT nextval('{t}_id_seq')")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION cunwu_refuse_change()"
            )

    return run


def _partition_backward(p: Partitioned) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        conn = schema_editor.connection
        if conn.vendor != "postgresql":
            return
        t = p.table
        with conn.cursor() as cursor:
            if not is_partitioned(cursor, t):
                return
            indexes = [(n, d.replace(" ON ONLY ", " ON ")) for n, d in _index_definitions(cursor, t)]
            cursor.execute(
                f"CREATE TABLE {t}_plain (LIKE {t} INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS)"
            )
            cursor.execute(f"INSERT INTO {t}_plain SELECT * FROM {t}")  # noqa: S608 - fixed names
            (top,) = _fetch(cursor, f"SELECT COALESCE(max(id), 0) FROM {t}")[0]  # noqa: S608
            cursor.execute(f"DROP TABLE {t} CASCADE")
            cursor.execute(f"ALTER TABLE {t}_plain RENAME TO {t}")
            cursor.execute(f"ALTER TABLE {t} ADD CONSTRAINT {t}_pkey PRIMARY KEY (id)")
            cursor.execute(f"ALTER TABLE {t} ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY")
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), %s, %s)", [max(top, 1), top > 0])
            for name, cols in p.unique:
                cursor.execute(f"ALTER TABLE {t} ADD CONSTRAINT {name} UNIQUE ({', '.join(cols)})")
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute(
                f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
                f"FOR EACH ROW EXECUTE FUNCTION cunwu_refuse_change()"
            )

    return run


def partition_by_year(table: str, years_ahead: int = 2) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, move `table` into a table partitioned by year (one transaction)."""
    p = spec(table)
    return migrations.RunPython(_partition_forward(p, years_ahead), _partition_backward(p))


# --- BRIN indexes on the time column of the large tables that stay unpartitioned ------------------


def brin_index(table: str, column: str, pages_per_range: int = 32) -> migrations.RunPython:
    """A migration operation: on PostgreSQL, a BRIN index on `table.column` (rows arrive in time order)."""
    name = f"{table}_{column}_brin"

    def forward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING brin ({column}) "
                f"WITH (pages_per_range = {pages_per_range})"
            )

    def backward(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(forward, backward)
