"""Reads that may come from the PostgreSQL read replica (`CUNWU_REPLICA_URL`).

Views that only read — dashboards, public catalog pages, exports — run inside `replica_reads()`
(or carry `@reads_from_replica`). Inside it the router sends reads to the replica unless the replica
is down or lags more than `REPLICA_MAX_LAG` seconds; then they stay on the primary. Writes, and every
read outside such a block (anything that must read its own writes, revocations included), use the
primary. Once a block has written anything (an audit row, a lazily refreshed figure), its later reads
stay on the primary too, so a view that writes then reads sees what it wrote. Code that decides
whether to write from what it reads runs inside `primary_reads()`. And a person who has just
written (any POST) reads from the primary for the next few seconds (`PinAfterWriteMiddleware`), so
the page a form redirects to shows what the form did even if the replica is a moment behind.
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
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "cunwu_primary"
HEALTH_TTL = 2.0  # seconds a replica health check is trusted by this process

log = logging.getLogger(__name__)


class _Block:
    """One `replica_reads()` or `primary_reads()` block: `pinned` once it (or a block inside it) has
    written, so its later reads see its own writes; a `primary_reads()` block is pinned from the start."""

    __slots__ = ("outer", "pinned")

    def __init__(self, *, pinned: bool = False, outer: _Block | None = None) -> None:
        self.pinned = pinned
        self.outer = outer

    def pin(self) -> None:
        block: _Block | None = self
        while block is not None:
            block.pinned = True
            block = block.outer


_block: ContextVar[_Block | None] = ContextVar("cunwu_replica_reads", default=None)
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
    token = _block.set(_Block())
    try:
        yield
    finally:
        _block.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Reads inside this block use the primary even within `replica_reads()` (read, decide, write)."""
    token = _block.set(_Block(pinned=True, outer=_block.get()))
    try:
        yield
    finally:
        _block.reset(token)


def reads_from_replica(view: F) -> F:
    """Serve this read-only view's queries from the replica when it is up to date (and the person
    has not just written)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if PIN_COOKIE in request.COOKIES or not replica_configured():
            return view(request, *args, **kwargs)
        block = _Block()
        token = _block.set(block)
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            # The replica went away between two health checks (stopped, failed over, the network).
            # A view that has written nothing is safe to run again, now on the primary.
            if block.pinned or not connections[REPLICA].errors_occurred:
                raise
            log.warning("read replica failed during %s, answered from the primary", request.path)
            mark_replica_down()
        finally:
            _block.reset(token)
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def mark_replica_down() -> None:
    """Trust nothing on the replica until the next health check is due."""
    connections[REPLICA].close()
    _health["ok"] = False
    _health["checked"] = time.monotonic()


class PinAfterWriteMiddleware:
    """After a request that may have written (not GET/HEAD/OPTIONS), that browser reads from the
    primary for REPLICA_MAX_LAG + 1 seconds: a short cookie, nothing stored on the server."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_MAX_LAG + 1,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        # Explicitly the primary otherwise: an object read from the replica keeps its related reads
        # (made later, outside the block) on the primary rather than following the object there.
        block = _block.get()
        if block is not None and not block.pinned and replica_configured() and replica_usable():
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        block = _block.get()
        if block is not None:
            block.pin()
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
