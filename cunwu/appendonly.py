"""Append-only tables on PostgreSQL: a trigger refuses UPDATE and DELETE (registers, audit log).

SQLite has no such triggers here; there the application refuses changes and the hash chains of
`cunwu.ledger` make any direct edit visible to `cunwu audit verify`.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

_FUNCTION = """
CREATE OR REPLACE FUNCTION cunwu_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only (%)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _forward(table: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        # params=None: the SQL holds RAISE placeholders (%) that must not be read as query parameters.
        schema_editor.execute(_FUNCTION, params=None)
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION cunwu_refuse_change()"
        )

    return run


def _backward(table: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")

    return run


def append_only(table: str) -> migrations.RunPython:
    """A migration operation that makes `table` append-only on PostgreSQL."""
    return migrations.RunPython(_forward(table), _backward(table))
