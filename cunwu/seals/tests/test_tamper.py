"""An attacker with database access edits the seal-use register; `cunwu audit verify` catches it.

On PostgreSQL the registers are append-only by trigger, so the attacker first disables the
triggers (ALTER TABLE … DISABLE TRIGGER ALL), as someone with the database owner's rights could.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cunwu.ledger.models import ChainEntry
from cunwu.ledger.services import checkpoint_create_all
from cunwu.seals.models import SealUse

from .factories import stamped

pytestmark = pytest.mark.django_db


def attacker_sql(sql: str, params: list[Any] | None = None, tables: tuple[str, ...] = ("ledger_chainentry",)) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of this test's own inserts must run before ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        cursor.execute(sql, params or [])


def set_payload(entry_id: int, payload: dict[str, Any]) -> None:
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    attacker_sql(
        f"UPDATE ledger_chainentry SET payload = %s{cast} WHERE id = %s",
        [json.dumps(payload, ensure_ascii=False), entry_id],
    )


def verify_fails() -> str:
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    return str(exc.value)


@pytest.fixture
def three_uses(seal: Any, clerk: Any, head: Any, custodian: Any) -> list[SealUse]:
    return [stamped(seal, clerk, head, custodian, text=f"doc-{i}", matter=f"为村民出具居住证明{i}") for i in range(3)]


def entry(use: SealUse) -> ChainEntry:
    return ChainEntry.objects.get(ref_type="seal_use", ref_id=str(use.pk))


def test_the_untouched_chain_verifies(three_uses: list[SealUse], village: Any) -> None:
    call_command("audit", "verify")
    call_command("seals", "verify")
    assert [entry(u).seq for u in three_uses] == [1, 2, 3]


def test_the_append_only_trigger_refuses_changes_on_postgresql(three_uses: list[SealUse]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    for table, key in (("ledger_chainentry", entry(three_uses[0]).pk), ("seals_sealuse", str(three_uses[0].pk))):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [key])
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [key])


def test_an_edited_entry_is_named(three_uses: list[SealUse], village: Any) -> None:
    target = entry(three_uses[1])
    payload = dict(target.payload)
    payload["impressions"] = 5
    set_payload(target.pk, payload)
    message = verify_fails()
    assert village.code in message and "第 2 条" in message and "记录被改动" in message and "changed" in message


def test_a_deleted_entry_is_named(three_uses: list[SealUse], village: Any) -> None:
    attacker_sql("DELETE FROM ledger_chainentry WHERE id = %s", [entry(three_uses[1]).pk])
    message = verify_fails()
    assert village.code in message and "deleted" in message and "第 2 条" in message


def test_a_deleted_last_entry_is_caught_too(three_uses: list[SealUse], village: Any) -> None:
    attacker_sql("DELETE FROM ledger_chainentry WHERE id = %s", [entry(three_uses[2]).pk])
    message = verify_fails()
    assert village.code in message and "第 3 条" in message


def test_reordered_entries_are_named(three_uses: list[SealUse], village: Any) -> None:
    first, second = entry(three_uses[0]), entry(three_uses[1])
    # Swap positions 1 and 2 through a free number, as the unique (chain, seq) index demands.
    attacker_sql("UPDATE ledger_chainentry SET seq = 999 WHERE id = %s", [first.pk])
    attacker_sql("UPDATE ledger_chainentry SET seq = 1 WHERE id = %s", [second.pk])
    attacker_sql("UPDATE ledger_chainentry SET seq = 2 WHERE id = %s", [first.pk])
    message = verify_fails()
    assert village.code in message and ("reordered" in message or "changed" in message) and "第 1 条" in message


def test_an_inserted_entry_is_named(three_uses: list[SealUse], village: Any) -> None:
    last = entry(three_uses[2])
    attacker_sql("UPDATE ledger_chainentry SET seq = 4 WHERE id = %s", [last.pk])
    second = entry(three_uses[1])
    forged = dict(second.payload)
    forged["request"] = 999
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    attacker_sql(
        "INSERT INTO ledger_chainentry (chain, seq, kind, ref_type, ref_id, payload, recorded_at, prev_hash, hash) "
        f"VALUES (%s, 3, 'seal.use', 'seal_use', 'forged', %s{cast}, %s, %s, %s)",
        [village.code, json.dumps(forged), second.recorded_at, second.hash, "f" * 64],
    )
    message = verify_fails()
    assert village.code in message and "第 3 条" in message


def test_a_consistent_rewrite_disagrees_with_the_published_checkpoint(three_uses: list[SealUse], village: Any) -> None:
    from cunwu.ledger import rules as ledger_rules

    assert checkpoint_create_all() == 1
    prev = ledger_rules.GENESIS_HASH
    for e in ChainEntry.objects.filter(chain=village.code).order_by("seq"):
        payload = dict(e.payload)
        if e.seq == 2:
            payload["impressions"] = 9
        e.payload = payload
        new_hash = ledger_rules.entry_hash(prev, e)
        set_payload(e.pk, payload)
        attacker_sql("UPDATE ledger_chainentry SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new_hash, e.pk])
        prev = new_hash
    attacker_sql("UPDATE ledger_chainhead SET hash = %s WHERE chain = %s", [prev, village.code], tables=())
    message = verify_fails()
    assert village.code in message


def test_an_edited_register_row_disagrees_with_its_chain_entry(three_uses: list[SealUse], village: Any) -> None:
    use = three_uses[1]
    attacker_sql(
        "UPDATE seals_sealuse SET impressions = 7 WHERE id = %s",
        [use.pk.hex if connection.vendor == "sqlite" else str(use.pk)],
        tables=("seals_sealuse",),
    )
    assert SealUse.objects.get(pk=use.pk).impressions == 7
    with pytest.raises(CommandError) as exc:
        call_command("seals", "verify")
    assert exc.value.returncode == 1 and str(use.pk) in str(exc.value) and "第 2 条" in str(exc.value)


def test_a_deleted_register_row_is_named(three_uses: list[SealUse]) -> None:
    use = three_uses[0]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE seals_sealuse DISABLE TRIGGER ALL")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute(
            "DELETE FROM seals_sealuse WHERE id = %s", [use.pk.hex if connection.vendor == "sqlite" else str(use.pk)]
        )
    with pytest.raises(CommandError) as exc:
        call_command("seals", "verify")
    assert "缺少用印登记" in str(exc.value) and str(use.pk) in str(exc.value)
