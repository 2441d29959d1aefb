"""Concurrent appenders to one chain never fork it; appends need the caller's transaction."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, connections, transaction

from cunwu.ledger import rules
from cunwu.ledger.models import ChainEntry, ChainHead
from cunwu.ledger.selectors import chain_verify
from cunwu.ledger.services import chain_append

from .helpers import CHAIN

THREADS = 8
PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        chain_append(chain=CHAIN, kind="seal.use", payload={})
    assert not ChainEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers by BEGIN IMMEDIATE (one write transaction at a time); row locks matter on PostgreSQL",
)
def test_concurrent_appends_to_one_chain_never_fork() -> None:
    """N threads, each with its own connection, race to append (and to create the chain's head)."""
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            for i in range(PER_THREAD):
                with transaction.atomic():
                    chain_append(chain=CHAIN, kind="seal.use", payload={"thread": n, "i": i})
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    close_old_connections()
    assert errors == []
    total = THREADS * PER_THREAD
    rows = list(ChainEntry.objects.filter(chain=CHAIN).order_by("seq").values_list("seq", "prev_hash", "hash"))
    assert [r[0] for r in rows] == list(range(1, total + 1))
    assert rows[0][1] == rules.GENESIS_HASH
    assert all(rows[i][1] == rows[i - 1][2] for i in range(1, total))  # one line, no fork
    assert ChainHead.objects.get(chain=CHAIN).seq == total
    assert chain_verify() == []
