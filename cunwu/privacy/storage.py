"""Where personal data rests: SQLite files owner-only, freed pages zeroed, plain text erased after migration.

Every SQLite connection turns on `PRAGMA secure_delete` (freed pages and cells are overwritten with
zeros) and makes `var/`, the database file and its WAL/SHM owner-only, even when they already exist
with wider permissions (SQLite gives new WAL/SHM files the database file's mode).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.backends.signals import connection_created


def owner_only(db_name: str) -> None:
    """chmod 0700 the data directory and 0600 the SQLite file with its -wal and -shm (those that exist)."""
    if not db_name or db_name == ":memory:" or db_name.startswith("file:"):
        return
    path = Path(db_name)
    for directory in {path.parent, Path(settings.VAR_DIR)}:
        if directory.is_dir() and directory.stat().st_uid == os.getuid():
            directory.chmod(0o700)
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = Path(f"{path}{suffix}")
        if f.exists() and f.stat().st_uid == os.getuid():
            f.chmod(0o600)


def _harden(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete=ON")
    owner_only(str(connection.settings_dict["NAME"]))


connection_created.connect(_harden, dispatch_uid="cunwu.privacy.harden_sqlite")


def erase_freed_pages(connection: Any, tables: list[str]) -> None:
    """After plain text was overwritten: rebuild the storage so no old copy survives on disk.

    SQLite: VACUUM (with secure_delete) rewrites the file, then the WAL is checkpointed and truncated.
    PostgreSQL: VACUUM FULL rewrites each table without its dead row versions. Needs autocommit (a
    non-atomic migration).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elif connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
