"""Loading generated rows with PostgreSQL COPY (psycopg's `cursor.copy()`), not the ORM row by row.

`Table(model)` knows a model's columns and the stored form of each field's default, so a generator
names only the values it sets: `table.row(id=1, region_id="530…", …)`. `copy_rows` writes them; the
generator runs it in several worker processes, so Python builds one batch while PostgreSQL writes
another.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models

_MISSING = object()


class Table:
    """One model's table: its columns in order and a row template holding each field's default."""

    def __init__(self, model: type[models.Model], *, with_pk: bool = True) -> None:
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.model = model
        self.name = model._meta.db_table
        self.columns = [f.column for f in fields]
        self.position = {f.attname: i for i, f in enumerate(fields)}
        self.json = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
        self.template = [_stored_default(f) for f in fields]

    def row(self, **values: Any) -> list[Any]:
        out = list(self.template)
        for name, value in values.items():
            i = self.position[name]
            out[i] = json.dumps(value, ensure_ascii=False) if i in self.json and value is not None else value
        missing = [self.columns[i] for i, v in enumerate(out) if v is _MISSING]
        if missing:
            raise ValueError(f"{self.name}: no value for {', '.join(missing)}")
        return out


def _stored_default(field: models.Field) -> Any:
    if field.has_default():
        value = field.get_default()
        if isinstance(field, models.JSONField):
            return json.dumps(value, ensure_ascii=False)
        return value
    if field.null:
        return None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return _MISSING
    if isinstance(field, models.CharField | models.TextField) and field.blank:
        return ""
    return _MISSING


def next_id(model: type[models.Model]) -> int:
    """The first free integer primary key of a table (the generator numbers its own rows)."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return int(cursor.fetchone()[0])


def reset_sequence(model: type[models.Model]) -> None:
    """Move the table's id sequence past the rows the generator numbered itself."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0) + 1, false)',  # noqa: S608
            [table, pk],
        )


def copy_rows(conn: Any, table: Table, rows: list[list[Any]]) -> None:
    """COPY rows into a table on a psycopg connection (autocommit: each COPY commits on its own)."""
    columns = ", ".join(f'"{c}"' for c in table.columns)
    with conn.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def keys_and_indexes_deferred(models_: list[type[models.Model]]) -> Iterator[dict[str, float]]:
    """Load like pg_restore: drop the tables' foreign keys and non-unique indexes, build them after.

    Primary keys and unique constraints stay (serials, receipts and chain positions are checked as
    rows arrive). Afterwards each index is built in one pass and each foreign key is added back,
    which PostgreSQL validates with one join over the whole table. Yields the phase timings.
    """
    tables = [m._meta.db_table for m in models_]
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1",
            [tables],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield timings
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            started = time.perf_counter()
            for _name, definition in indexes:
                # A partitioned table's index reads back as "ON ONLY <parent>", which would build an
                # invalid index on the parent alone; without ONLY it is built on every partition too.
                cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
            timings["indexes"] = time.perf_counter() - started
            started = time.perf_counter()
            for table, name, definition in keys:
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            timings["foreign_keys"] = time.perf_counter() - started
            cursor.execute("RESET maintenance_work_mem")
