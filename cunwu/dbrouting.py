"""Reads that may come from the PostgreSQL read replica (`CUNWU_REPLICA_URL`).

Views that only read — dashboards, public catalog pages, exports — run inside `replica_reads()`
(or carry `@reads_from_replica`). Inside it the router sends reads to the replica unless the replica
is down or lags more than `REPLICA_MAX_LAG` seconds; then they stay on the primary. Writes, and every
read outside such a block (anything that must read its own writes, revocations included), use the
primary.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
HEALTH_TTL = 2.0  # seconds a replica health check is trusted by this process

log = logging.getLogger(__name__)
_wanted: ContextVar[bool] = ContextVar("cunwu_replica_reads", default=False)
_health: dict[str, float | bool] = {"checked": 0.0, "ok": False}

F = TypeVar("F", bound=Callable[..., Any])

# Lag is zero when everything received has been replayed (an idle primary sends nothing new);
# otherwise it is the age of the last replayed transaction.
LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END
"""


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def replica_lag() -> float | None:
    """Seconds the replica is behind, or None when it does not answer or is not a standby."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as exc:
        log.warning("read replica unavailable, reading from the primary: %s", exc.__class__.__name__)
        connections[REPLICA].close()
        return None
    return float(lag) if in_recovery else None


def replica_usable() -> bool:
    now = time.monotonic()
    if now - float(_health["checked"]) > HEALTH_TTL:
        lag = replica_lag()
        _health["ok"] = lag is not None and lag <= settings.REPLICA_MAX_LAG
        _health["checked"] = now
    return bool(_health["ok"])


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def reads_from_replica(view: F) -> F:
    """Serve this read-only view's queries from the replica when it is up to date."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _wanted.get() and replica_configured() and replica_usable():
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
