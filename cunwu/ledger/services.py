"""Writing the registers: appending to a village's hash chain and checkpointing chain heads."""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cunwu.audit.services import audit_record

from . import merkle, notes, rules
from .keys import ledger_key_current
from .models import ChainEntry, ChainHead, Checkpoint, LedgerKey, TreeHead, TreeLeaf
from .selectors import leaf_hashes_iter

log = logging.getLogger("cunwu.ledger")


def _locked_head(chain: str) -> ChainHead:
    """The chain's head row, locked until the caller's transaction ends (created on first use).

    PostgreSQL: SELECT … FOR UPDATE makes concurrent appenders to one chain wait their turn; two first
    appenders racing to create the head meet on its primary key, and the loser re-reads the winner's
    row. SQLite: transaction_mode IMMEDIATE already lets one writer in at a time.
    """
    head = ChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is not None:
        return head
    # Start from the entries if the head row was lost, so seq continues instead of colliding.
    last = ChainEntry.objects.filter(chain=chain).order_by("-seq").values_list("seq", "hash").first()
    seq, hash_ = last if last else (0, rules.GENESIS_HASH)
    try:
        with transaction.atomic():
            ChainHead.objects.create(chain=chain, seq=seq, hash=hash_)
    except IntegrityError:
        pass  # another appender created it first; its row is what we lock below
    return ChainHead.objects.select_for_update().get(chain=chain)


def chain_append(
    *,
    chain: str,
    kind: str,
    payload: dict[str, Any],
    ref_type: str = "",
    ref_id: str = "",
    actor: Any = None,
) -> ChainEntry:
    """Append one entry to a village's chain. Call inside the caller's transaction.atomic().

    `payload` holds masked data only (names masked, no ID or phone numbers): the register can never
    be edited or erased. Raises ValueError for a bad chain code or payload, RuntimeError outside a
    transaction. The entry commits or rolls back together with the caller's own write.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("chain_append must run inside the caller's transaction.atomic()")
    if not rules.valid_chain(chain):
        raise ValueError(f"chain must be a 12-digit village or community code, not {chain!r}")
    if not kind or len(kind) > 40:
        raise ValueError("kind must be 1–40 characters, e.g. 'certificate.issue'")
    ref_type, ref_id = str(ref_type or ""), str(ref_id or "")
    if len(ref_type) > 64 or len(ref_id) > 64:
        raise ValueError("ref_type and ref_id must be at most 64 characters")
    clean = rules.canonical_payload(payload)

    head = _locked_head(chain)
    recorded_at = timezone.now()
    entry = ChainEntry(
        chain=chain,
        seq=head.seq + 1,
        kind=kind,
        ref_type=ref_type,
        ref_id=ref_id,
        payload=clean,
        recorded_at=recorded_at,
        prev_hash=head.hash,
    )
    entry.hash = rules.entry_hash(head.hash, entry)
    entry.save(force_insert=True)
    ChainHead.objects.filter(chain=chain).update(seq=entry.seq, hash=entry.hash, updated_at=recorded_at)
    audit_record(
        actor=actor,
        action="ledger.append",
        object_type="ledger.chainentry",
        object_id=f"{chain}#{entry.seq}",
        region_code=chain,
        after={"kind": kind, "ref_type": ref_type, "ref_id": ref_id, "seq": entry.seq, "hash": entry.hash},
    )
    return entry


def checkpoint_create_all(*, problems: list[rules.ChainProblem] | None = None) -> int:
    """Checkpoint every chain whose head moved since its last checkpoint; returns how many were made.

    Each new stretch of a chain is verified first (from its last checkpoint to its head), so a chain
    changed in the database is never certified: it is left out and its problem is logged and added
    to `problems`. Each new checkpoint becomes a leaf of the tree of all chain heads, and the tree's
    root is signed as one checkpoint note. Run hourly (`cunwu ledger checkpoint`).
    """
    checkpointed = dict(Checkpoint.objects.values("chain").annotate(top=Max("seq")).values_list("chain", "top"))
    moved = [
        (chain, seq)
        for chain, seq in ChainHead.objects.filter(seq__gt=0).values_list("chain", "seq").order_by("chain")
        if seq > checkpointed.get(chain, 0)
    ]
    found: list[rules.ChainProblem] = []
    new: list[Checkpoint] = []
    for chain, _seen in moved:
        start_seq = checkpointed.get(chain, 0)
        # The head first, then the entries up to it: appends made meanwhile are simply left for tomorrow.
        head = ChainHead.objects.filter(chain=chain).values("chain", "seq", "hash").first()
        if head is None:
            continue
        verifier = rules.ChainVerifier()
        if start_seq:
            cp = Checkpoint.objects.get(chain=chain, seq=start_seq)
            verifier.add_checkpoint(cp)
            verifier.start(chain, start_seq, cp.hash)
        for entry in _entry_dicts(chain, start_seq, upto=head["seq"]):
            verifier.feed(entry)
        chain_problems = verifier.finish([head])
        state = verifier.states.get(chain)
        if chain_problems:
            for problem in chain_problems:
                log.error("ledger chain %s broken at seq %s: %s", problem.chain, problem.seq, problem.problem)
            found.extend(chain_problems)
        elif state is not None and state.last_seq > start_seq:
            new.append(Checkpoint(chain=chain, seq=state.last_seq, hash=state.last_hash))
    if problems is not None:
        problems.extend(found)
    with transaction.atomic():
        # One signer at a time: the current key's row lock orders the leaves and the signed heads.
        ledger_key_current()
        LedgerKey.objects.select_for_update().filter(current=True).first()
        if new:
            Checkpoint.objects.bulk_create(new)
            start = TreeLeaf.objects.count()
            TreeLeaf.objects.bulk_create([TreeLeaf(index=start + i, checkpoint=cp) for i, cp in enumerate(new)])
            audit_record(
                actor="system",
                action="ledger.checkpoint",
                object_type="ledger.checkpoint",
                after={"chains": len(new), "broken": len(found)},
            )
        tree_head_sign()
    return len(new)


def tree_head_sign() -> TreeHead | None:
    """Sign the Merkle tree of all chain heads when it grew since the last signed head. Call inside
    the caller's transaction; returns the new head, or None when nothing was added."""
    tree = merkle.GrowingTree()
    for leaf in leaf_hashes_iter():
        tree.append(leaf)
    last = TreeHead.objects.order_by("-size").values_list("size", flat=True).first() or 0
    if tree.size <= last:
        return None
    name, key = ledger_key_current()
    root = tree.root()
    note = notes.sign(notes.checkpoint_body(name, tree.size, root), name, key)
    head = TreeHead.objects.create(size=tree.size, root=root.hex(), note=note, created_at=timezone.now())
    audit_record(
        actor="system",
        action="ledger.tree_head",
        obj=head,
        after={"size": head.size, "root": head.root, "key": name},
    )
    return head


def _entry_dicts(chain: str, after_seq: int, *, upto: int, chunk: int = 2000) -> Any:
    """Entries of one chain with after_seq < seq <= upto, in seq order, fetched in keyset-paginated chunks."""
    fields = ("chain", "seq", "kind", "ref_type", "ref_id", "payload", "recorded_at", "prev_hash", "hash")
    last = after_seq
    while True:
        qs = ChainEntry.objects.filter(chain=chain, seq__gt=last, seq__lte=upto).order_by("seq")
        rows = list(qs.values(*fields)[:chunk])
        yield from rows
        if len(rows) < chunk:
            return
        last = rows[-1]["seq"]
