"""Helpers for the ledger tests: appending through the service, tampering through raw SQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from cunwu.ledger import rules
from cunwu.ledger.models import ChainEntry, ChainHead
from cunwu.ledger.services import chain_append

CHAIN = "530124103200"
OTHER = "530124103201"


def make_entries(n: int, chain: str = CHAIN, kind: str = "certificate.issue") -> list[ChainEntry]:
    """n entries appended through the service, one transaction each (as callers do)."""
    out = []
    for i in range(1, n + 1):
        with transaction.atomic():
            out.append(
                chain_append(
                    chain=chain,
                    kind=kind,
                    payload={"serial": f"{chain}-2027-{i:06d}", "subject": "张*丰", "item": "C001", "n": i},
                    ref_type="certificates.certificate",
                    ref_id=str(i),
                )
            )
    return out


@contextmanager
def tampering(*tables: str) -> Iterator[Any]:
    """A raw cursor on the register, as an attacker with database access would use.

    On PostgreSQL the append-only trigger refuses UPDATE and DELETE, so the attacker (a superuser)
    first switches the tables' triggers off, exactly as a real intruder would have to.
    """
    tables = tables or ("ledger_chainentry",)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Rows written earlier in this test's transaction leave deferred FK checks that ALTER refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")


def rewrite_consistently(chain: str, from_seq: int) -> None:
    """Change one entry and recompute every hash after it, head included: the chain alone still holds."""
    rows = list(ChainEntry.objects.filter(chain=chain).order_by("seq"))
    prev = rules.GENESIS_HASH
    with tampering() as cursor:
        for row in rows:
            if row.seq == from_seq:
                row.payload = {"serial": "rewritten"}
            if row.seq >= from_seq:
                row.prev_hash = prev
                row.hash = rules.entry_hash(prev, row)
                cursor.execute(
                    "UPDATE ledger_chainentry SET payload = %s, prev_hash = %s, hash = %s WHERE chain = %s AND seq = %s",
                    [json.dumps(row.payload), row.prev_hash, row.hash, chain, row.seq],
                )
            prev = row.hash
    ChainHead.objects.filter(chain=chain).update(hash=prev)
