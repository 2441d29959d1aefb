"""Appending to chains and checkpointing; tampering with the database directly is always caught."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, connection, transaction

from cunwu.audit.models import AuditEntry
from cunwu.ledger import rules
from cunwu.ledger.models import AppendOnlyError, ChainEntry, ChainHead, Checkpoint
from cunwu.ledger.selectors import chain_verify
from cunwu.ledger.services import chain_append, checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries, rewrite_consistently, tampering

pytestmark = pytest.mark.django_db


def problem_of(chain: str | None = None) -> tuple[str, int, str]:
    problems = chain_verify(chain)
    assert len(problems) == 1, problems
    return problems[0].chain, problems[0].seq, problems[0].problem


def test_append_builds_a_linked_chain(clerk) -> None:
    with transaction.atomic():
        first = chain_append(
            chain=CHAIN,
            kind="certificate.issue",
            payload={"serial": "S1"},
            ref_type="certificates.certificate",
            ref_id=7,
            actor=clerk,
        )
    with transaction.atomic():
        second = chain_append(chain=CHAIN, kind="seal.use", payload={"use": "S2"})
    first.refresh_from_db()
    assert (first.seq, first.prev_hash, first.ref_id) == (1, rules.GENESIS_HASH, "7")
    assert (second.seq, second.prev_hash) == (2, first.hash)
    assert first.hash == rules.entry_hash(rules.GENESIS_HASH, first)  # the stored row hashes the same
    head = ChainHead.objects.get(chain=CHAIN)
    assert (head.seq, head.hash) == (2, second.hash)
    audit = AuditEntry.objects.filter(action="ledger.append", object_id=f"{CHAIN}#1").get()
    assert audit.actor == clerk and audit.region_code == CHAIN and audit.after["hash"] == first.hash
    assert chain_verify() == []


def test_chains_are_independent() -> None:
    make_entries(3)
    make_entries(2, chain=OTHER)
    assert list(ChainEntry.objects.filter(chain=OTHER).values_list("seq", flat=True)) == [1, 2]
    assert ChainEntry.objects.get(chain=OTHER, seq=1).prev_hash == rules.GENESIS_HASH
    assert chain_verify() == []


@pytest.mark.parametrize(
    ("kwargs", "what"),
    [
        ({"chain": "5301241032"}, "chain"),
        ({"kind": ""}, "kind"),
        ({"payload": {"id": "53012419900101123X"}}, "payload"),
        ({"payload": {"phone": "13812345678"}}, "payload"),
        ({"ref_id": "x" * 65}, "ref"),
    ],
)
def test_bad_appends_are_refused_and_write_nothing(kwargs, what) -> None:
    args = {"chain": CHAIN, "kind": "seal.use", "payload": {}} | kwargs
    with pytest.raises(ValueError), transaction.atomic():
        chain_append(**args)
    assert not ChainEntry.objects.exists()
    assert not ChainHead.objects.exists()


def test_entry_rolls_back_with_the_callers_transaction() -> None:
    make_entries(1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        chain_append(chain=CHAIN, kind="seal.use", payload={})
        1 / 0  # noqa: B018 - the caller's own write fails after the append
    assert ChainEntry.objects.filter(chain=CHAIN).count() == 1
    assert ChainHead.objects.get(chain=CHAIN).seq == 1
    make_entries(1)
    assert chain_verify() == []


def test_lost_head_row_is_rebuilt_from_the_entries() -> None:
    entries = make_entries(2)
    ChainHead.objects.filter(chain=CHAIN).delete()
    [third] = make_entries(1)
    assert (third.seq, third.prev_hash) == (3, entries[-1].hash)
    assert chain_verify() == []


def test_orm_refuses_to_change_or_delete_entries() -> None:
    [entry] = make_entries(1)
    entry.payload = {"x": 1}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only")
def test_database_trigger_refuses_update_and_delete() -> None:
    make_entries(2)
    checkpoint_create_all()
    for sql in (
        "UPDATE ledger_chainentry SET kind = 'x'",
        "DELETE FROM ledger_chainentry",
        "UPDATE ledger_checkpoint SET hash = 'x'",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ChainEntry.objects.count() == 2
    assert Checkpoint.objects.count() == 1


# --- tampering with the database directly ------------------------------------------------------


def test_updated_payload_is_caught() -> None:
    make_entries(5)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE ledger_chainentry SET payload = %s WHERE chain = %s AND seq = 3",
            [json.dumps({"serial": "forged", "subject": "李*"}), CHAIN],
        )
    assert problem_of() == (CHAIN, 3, "changed")


def test_updated_payload_with_rehash_is_caught() -> None:
    entries = make_entries(5)
    target = entries[2]
    forged = {**{f: getattr(target, f) for f in rules.HASHED_FIELDS}, "payload": {"serial": "forged"}}
    new_hash = rules.entry_hash(target.prev_hash, forged)
    with tampering() as cursor:
        cursor.execute(
            "UPDATE ledger_chainentry SET payload = %s, hash = %s WHERE chain = %s AND seq = 3",
            [json.dumps({"serial": "forged"}), new_hash, CHAIN],
        )
    assert problem_of() == (CHAIN, 3, "changed")


def test_deleted_entry_is_caught() -> None:
    make_entries(5)
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq = 2", [CHAIN])
    assert problem_of() == (CHAIN, 2, "deleted")


def test_deleted_entry_with_renumbering_is_caught() -> None:
    make_entries(5)
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq = 2", [CHAIN])
        for seq in (3, 4, 5):
            cursor.execute("UPDATE ledger_chainentry SET seq = %s WHERE chain = %s AND seq = %s", [seq - 1, CHAIN, seq])
    with tampering("ledger_chainhead") as cursor:
        cursor.execute("UPDATE ledger_chainhead SET seq = 4 WHERE chain = %s", [CHAIN])
    assert problem_of() == (CHAIN, 2, "deleted")


def test_deleted_last_entry_is_caught() -> None:
    make_entries(4)
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq = 4", [CHAIN])
    assert problem_of() == (CHAIN, 4, "deleted")


def test_inserted_entry_is_caught() -> None:
    entries = make_entries(4)
    with tampering() as cursor:
        for seq in (4, 3):  # make room at seq 3, highest first so (chain, seq) stays unique
            cursor.execute("UPDATE ledger_chainentry SET seq = %s WHERE chain = %s AND seq = %s", [seq + 1, CHAIN, seq])
        forged = {
            "chain": CHAIN,
            "seq": 3,
            "kind": "certificate.issue",
            "ref_type": "certificates.certificate",
            "ref_id": "99",
            "payload": {"serial": "forged"},
            "recorded_at": entries[1].recorded_at,
        }
        cursor.execute(
            "INSERT INTO ledger_chainentry (chain, seq, kind, ref_type, ref_id, payload, recorded_at, prev_hash, hash) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                CHAIN,
                3,
                forged["kind"],
                forged["ref_type"],
                "99",
                json.dumps(forged["payload"]),
                entries[1].recorded_at,
                entries[1].hash,
                rules.entry_hash(entries[1].hash, forged),
            ],
        )
    assert problem_of() == (CHAIN, 3, "inserted")


def test_entry_forged_at_the_end_is_caught() -> None:
    entries = make_entries(3)
    forged = {
        "chain": CHAIN,
        "seq": 4,
        "kind": "seal.use",
        "ref_type": "",
        "ref_id": "",
        "payload": {"use": "forged"},
        "recorded_at": entries[-1].recorded_at,
    }
    with tampering() as cursor:
        cursor.execute(
            "INSERT INTO ledger_chainentry (chain, seq, kind, ref_type, ref_id, payload, recorded_at, prev_hash, hash) "
            "VALUES (%s, 4, 'seal.use', '', '', %s, %s, %s, %s)",
            [
                CHAIN,
                json.dumps(forged["payload"]),
                forged["recorded_at"],
                entries[-1].hash,
                rules.entry_hash(entries[-1].hash, forged),
            ],
        )
    assert problem_of() == (CHAIN, 4, "inserted")


def test_swapped_entries_are_caught() -> None:
    make_entries(5)
    with tampering() as cursor:
        cursor.execute("UPDATE ledger_chainentry SET seq = 1000 WHERE chain = %s AND seq = 2", [CHAIN])
        cursor.execute("UPDATE ledger_chainentry SET seq = 2 WHERE chain = %s AND seq = 3", [CHAIN])
        cursor.execute("UPDATE ledger_chainentry SET seq = 3 WHERE chain = %s AND seq = 1000", [CHAIN])
    assert problem_of() == (CHAIN, 2, "reordered")


def test_consistent_rewrite_is_caught_by_the_checkpoint() -> None:
    make_entries(4)
    assert checkpoint_create_all() == 1
    make_entries(2)
    rewrite_consistently(CHAIN, 2)
    assert problem_of() == (CHAIN, 4, "checkpoint_mismatch")


def test_consistent_rewrite_is_located_by_older_checkpoints() -> None:
    make_entries(2)
    checkpoint_create_all()
    make_entries(2)
    checkpoint_create_all()
    make_entries(2)
    checkpoint_create_all()
    rewrite_consistently(CHAIN, 2)
    assert problem_of() == (CHAIN, 2, "checkpoint_mismatch")


def test_chain_truncated_below_its_checkpoint_is_caught() -> None:
    make_entries(4)
    checkpoint_create_all()
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq > 2", [CHAIN])
    ChainHead.objects.filter(chain=CHAIN).update(seq=2, hash=ChainEntry.objects.get(chain=CHAIN, seq=2).hash)
    assert problem_of() == (CHAIN, 4, "checkpoint_mismatch")


def test_verify_one_chain_only() -> None:
    make_entries(2)
    make_entries(2, chain=OTHER)
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq = 1", [OTHER])
    assert chain_verify(CHAIN) == []
    assert problem_of(OTHER) == (OTHER, 1, "deleted")


# --- checkpoints --------------------------------------------------------------------------------


def test_checkpoint_publishes_each_moved_head_once() -> None:
    a = make_entries(3)
    b = make_entries(1, chain=OTHER)
    assert checkpoint_create_all() == 2
    assert checkpoint_create_all() == 0  # nothing moved
    assert {(c.chain, c.seq, c.hash) for c in Checkpoint.objects.all()} == {
        (CHAIN, 3, a[-1].hash),
        (OTHER, 1, b[-1].hash),
    }
    c = make_entries(2)
    assert checkpoint_create_all() == 1
    assert Checkpoint.objects.filter(chain=CHAIN).order_by("-seq").first().hash == c[-1].hash
    assert AuditEntry.objects.filter(action="ledger.checkpoint").count() == 2


def test_checkpoint_refuses_a_chain_changed_since_the_last_one() -> None:
    make_entries(3)
    checkpoint_create_all()
    make_entries(2)
    make_entries(1, chain=OTHER)
    with tampering() as cursor:
        cursor.execute("UPDATE ledger_chainentry SET kind = 'seal.use' WHERE chain = %s AND seq = 4", [CHAIN])
    problems: list[rules.ChainProblem] = []
    assert checkpoint_create_all(problems=problems) == 1  # only the intact chain
    assert [(p.chain, p.seq, p.problem) for p in problems] == [(CHAIN, 4, "changed")]
    assert not Checkpoint.objects.filter(chain=CHAIN, seq=5).exists()


def test_checkpoints_refuse_changes() -> None:
    make_entries(1)
    checkpoint_create_all()
    cp = Checkpoint.objects.get()
    with pytest.raises(AppendOnlyError):
        cp.save()
    with pytest.raises(AppendOnlyError):
        cp.delete()


# --- saved copies of the published checkpoints ---------------------------------------------------


def _saved_copy() -> list[dict]:
    from cunwu.ledger.selectors import chain_heads, head_as_dict

    return rules.parse_published({"heads": [head_as_dict(cp) for cp in chain_heads()]})


def test_rewrite_of_chain_and_checkpoints_is_caught_by_a_saved_copy() -> None:
    make_entries(4)
    make_entries(2, chain=OTHER)
    checkpoint_create_all()
    saved = _saved_copy()
    rewrite_consistently(CHAIN, 1)
    new_head = ChainEntry.objects.get(chain=CHAIN, seq=4).hash
    with tampering("ledger_checkpoint") as cursor:
        cursor.execute("UPDATE ledger_checkpoint SET hash = %s WHERE chain = %s", [new_head, CHAIN])
    assert chain_verify() == []  # the database agrees with itself
    problems = chain_verify(published=saved)
    assert [(p.chain, p.seq, p.problem) for p in problems] == [(CHAIN, 4, "checkpoint_mismatch")]


def test_deleted_checkpoint_rows_are_caught_by_a_saved_copy() -> None:
    make_entries(2)
    checkpoint_create_all()
    saved = _saved_copy()
    with tampering("ledger_checkpoint", "ledger_treeleaf") as cursor:
        cursor.execute("DELETE FROM ledger_treeleaf")
        cursor.execute("DELETE FROM ledger_checkpoint")
    assert chain_verify() == []
    problems = chain_verify(published=saved)
    assert [(p.chain, p.seq, p.problem) for p in problems] == [(CHAIN, 2, "checkpoint_mismatch")]
    assert "已不存在" in problems[0].message


def test_a_saved_copy_of_an_intact_register_passes() -> None:
    make_entries(3)
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    saved = _saved_copy()
    make_entries(2)  # later appends do not disturb older copies
    assert chain_verify(published=saved) == []
    assert chain_verify(CHAIN, published=saved) == []


def test_checkpoint_stops_at_the_head_it_read_first() -> None:
    """Entries past the head (appended after it was read) wait for the next run instead of failing this one."""
    entries = make_entries(4)
    ChainHead.objects.filter(chain=CHAIN).update(seq=3, hash=entries[2].hash)
    problems: list[rules.ChainProblem] = []
    assert checkpoint_create_all(problems=problems) == 1
    assert problems == []
    assert Checkpoint.objects.get(chain=CHAIN).seq == 3
