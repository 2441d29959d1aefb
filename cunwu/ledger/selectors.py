"""Reading the registers: entries, published checkpoints and chain verification."""

from __future__ import annotations

import heapq
import time
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import Forbidden, NotFound
from cunwu.regions.codes import prefix_range

from . import merkle, notes, rules
from .models import ChainEntry, ChainHead, Checkpoint, LedgerKey, TreeHead, TreeLeaf

if TYPE_CHECKING:
    from cunwu.regions.models import Region

ENTRY_FIELDS = ("chain", "seq", "kind", "ref_type", "ref_id", "payload", "recorded_at", "prev_hash", "hash")
CHUNK = 5000


def chain_entries(chain: str, *, after_seq: int = 0) -> QuerySet[ChainEntry]:
    """Entries of one chain in order (internal: payloads are masked but not meant for the public)."""
    return ChainEntry.objects.filter(chain=chain, seq__gt=after_seq).order_by("seq")


def chain_entries_for_ref(ref_type: str, ref_id: str) -> QuerySet[ChainEntry]:
    """The entries that record one object (e.g. a certificate's issuance and revocation)."""
    return ChainEntry.objects.filter(ref_type=ref_type, ref_id=str(ref_id)).order_by("chain", "seq")


def chain_entries_of_kind(kind: str, ref_type: str, region: Region | None = None) -> QuerySet[ChainEntry]:
    """Every entry of one kind (e.g. all seal uses), optionally only in a region's villages."""
    qs = ChainEntry.objects.filter(kind=kind, ref_type=ref_type)
    return qs.filter(region.subtree_q("chain")) if region is not None else qs


def chain_heads(chain: str | None = None, *, prefix: str = "") -> QuerySet[Checkpoint]:
    """The latest checkpoint of every chain (public: chain, seq, hash, created_at; no payloads).

    `chain` picks one village; `prefix` the chains under a region (its significant code digits).
    One index probe per chain, whatever the number of checkpoints kept.
    """
    heads = ChainHead.objects.all()
    if chain:
        heads = heads.filter(chain=chain)
    elif prefix:
        heads = heads.filter(chain__range=prefix_range(prefix))
    latest = Checkpoint.objects.filter(chain=OuterRef("chain")).order_by("-seq").values("id")[:1]
    ids = heads.annotate(latest=Subquery(latest)).filter(latest__isnull=False).values("latest")
    return Checkpoint.objects.filter(id__in=ids).order_by("chain")


def head_as_dict(cp: Checkpoint) -> dict[str, Any]:
    """A checkpoint as published: chain, seq, hash and its time in China Standard Time (ISO 8601)."""
    return {
        "chain": cp.chain,
        "seq": cp.seq,
        "hash": cp.hash,
        "created_at": cp.created_at.astimezone(rules.CHINA_TIME).isoformat(timespec="seconds"),
    }


def checkpoint_list(chain: str | None = None) -> QuerySet[Checkpoint]:
    """Published checkpoints, newest first (public), optionally of one chain."""
    qs = Checkpoint.objects.all()
    if chain:
        qs = qs.filter(chain=chain)
    return qs.order_by("-seq") if chain else qs.order_by("-created_at", "chain", "-seq")


@dataclass
class VerifyStats:
    """What a verification walked: filled in while `chain_verify_iter` runs."""

    chains: int = 0
    entries: int = 0
    checkpoints: int = 0
    published: int = 0
    seconds: float = 0.0
    problems: list[rules.ChainProblem] = field(default_factory=list)


def _entries(chain: str | None) -> Iterator[dict[str, Any]]:
    """Entries ordered by (chain, seq) in keyset-paginated chunks, so millions of rows stream in bounded memory.

    Each page is one or two range scans of the (chain, seq) unique index: the rest of the current
    chain, then the chains after it.
    """
    base = ChainEntry.objects.order_by("chain", "seq")
    if chain:
        base = base.filter(chain=chain)
    last: tuple[str, int] | None = None
    while True:
        if last is None:
            rows = list(base.values_list(*ENTRY_FIELDS)[:CHUNK])
        else:
            rows = list(base.filter(chain=last[0], seq__gt=last[1]).values_list(*ENTRY_FIELDS)[:CHUNK])
            if len(rows) < CHUNK and not chain:
                rows += list(base.filter(chain__gt=last[0]).values_list(*ENTRY_FIELDS)[: CHUNK - len(rows)])
        for row in rows:
            yield dict(zip(ENTRY_FIELDS, row, strict=True))
        if len(rows) < CHUNK:
            return
        last = (rows[-1][0], rows[-1][1])


def _latest_checkpoints(chain: str | None) -> list[dict[str, Any]]:
    """The latest checkpoint of each chain, read from the checkpoints alone (heads may have been tampered with)."""
    qs = Checkpoint.objects.order_by("chain", "seq")
    if chain:
        qs = qs.filter(chain=chain)
    latest: dict[str, dict[str, Any]] = {}
    for row in qs.values("chain", "seq", "hash", "created_at").iterator(chunk_size=CHUNK):
        latest[row["chain"]] = dict(row)
    return list(latest.values())


def chain_verify_iter(
    chain: str | None = None, stats: VerifyStats | None = None, *, published: Iterable[Any] | None = None
) -> Iterator[rules.ChainProblem]:
    """Recompute every chain (or one) and yield the earliest problem of each broken chain, by chain.

    `published`: checkpoints saved earlier from the portal or API (see `rules.parse_published`); they
    also catch a rewrite of the checkpoint table itself. Reads checkpoints first, then streams the
    entries, then the working heads, so appends made while it runs are never taken for tampering. On
    PostgreSQL outside a transaction the whole walk reads one snapshot (REPEATABLE READ, read only).
    """
    stats = stats if stats is not None else VerifyStats()
    started = time.perf_counter()
    own_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic() if own_snapshot else nullcontext():
        if own_snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        problems = _verify(chain, stats, [p for p in published or () if chain is None or p["chain"] == chain])
    stats.seconds = time.perf_counter() - started
    stats.problems = problems
    yield from problems


def _verify(chain: str | None, stats: VerifyStats, published: list[Any]) -> list[rules.ChainProblem]:
    checkpoints = _latest_checkpoints(chain)
    # A saved copy outranks the table: it is what was published, whatever the table says now.
    verifier = rules.ChainVerifier([*checkpoints, *published])
    for entry in _entries(chain):
        verifier.feed(entry)
    heads_qs = ChainHead.objects.all() if chain is None else ChainHead.objects.filter(chain=chain)
    heads = list(heads_qs.values("chain", "seq", "hash"))
    found = verifier.finish(heads)
    problems: list[rules.ChainProblem] = []
    for problem in found:
        state = verifier.states[problem.chain]
        if state.tail_problem or (problem.problem == "checkpoint_mismatch" and _has_older_checkpoints(problem.chain)):
            # A head read after the stream may include appends made meanwhile; older checkpoints may
            # name an earlier rewrite: walk that chain again, alone, with everything it has.
            mine = [p for p in published if p["chain"] == problem.chain]
            problems.extend(_verify_chain_fully(problem.chain, mine))
        else:
            problems.append(problem)
    broken = {p.chain for p in problems}
    problems.extend(_published_missing(p for p in published if p["chain"] not in broken))
    problems.sort(key=lambda p: (p.chain, p.seq))
    stats.chains = len(verifier.states)
    stats.entries = verifier.entries
    stats.checkpoints = len(checkpoints)
    stats.published = len(published)
    return problems


def _has_older_checkpoints(chain: str) -> bool:
    return Checkpoint.objects.filter(chain=chain).count() > 1


def _published_missing(published: Iterable[dict[str, Any]]) -> list[rules.ChainProblem]:
    """Saved checkpoints the checkpoint table no longer holds as published (deleted or changed rows)."""
    problems: dict[str, rules.ChainProblem] = {}
    batch: list[dict[str, Any]] = []

    def check(rows: list[dict[str, Any]]) -> None:
        where = Q()
        for row in rows:
            where |= Q(chain=row["chain"], seq=row["seq"])
        stored = {(c, s): h for c, s, h in Checkpoint.objects.filter(where).values_list("chain", "seq", "hash")}
        for row in rows:
            if stored.get((row["chain"], row["seq"])) != row["hash"] and row["chain"] not in problems:
                problems[row["chain"]] = rules.published_mismatch(row, stored.get((row["chain"], row["seq"])))

    for row in published:
        batch.append(row)
        if len(batch) == 200:
            check(batch)
            batch = []
    if batch:
        check(batch)
    return list(problems.values())


def _verify_chain_fully(chain: str, published: Iterable[Any] = ()) -> list[rules.ChainProblem]:
    """Walk one chain alone with all its checkpoints; a tail that looks short is re-read (appends race)."""
    published = list(published)
    problems: list[rules.ChainProblem] = []
    for _attempt in range(3):
        stored = list(Checkpoint.objects.filter(chain=chain).values("chain", "seq", "hash", "created_at"))
        verifier = rules.ChainVerifier([*stored, *published])
        for entry in _entries(chain):
            verifier.feed(entry)
        problems = verifier.finish(ChainHead.objects.filter(chain=chain).values("chain", "seq", "hash"))
        if not problems or not verifier.states[chain].tail_problem:
            break
    return problems


def chain_verify(chain: str | None = None, *, published: Iterable[Any] | None = None) -> list[rules.ChainProblem]:
    """Recompute every chain (or one): [] when all hold, else the earliest problem of each broken chain."""
    return list(chain_verify_iter(chain, published=published))


# --- the signed tree of chain heads (public) ----------------------------------------------------


def leaf_hashes(size: int | None = None) -> list[bytes]:
    """RFC 6962 leaf hashes of the tree of chain heads, in leaf order (the first `size` leaves).

    A missing leaf index (a row deleted) stops the list there, so every root over it disagrees
    with what was signed.
    """
    return list(leaf_hashes_iter(size))


def leaf_hashes_iter(size: int | None = None) -> Iterator[bytes]:
    """`leaf_hashes` one at a time, for a root computed without holding every leaf."""
    qs = TreeLeaf.objects.order_by("index")
    if size is not None:
        qs = qs.filter(index__lt=size)
    rows = qs.values_list("index", "checkpoint__chain", "checkpoint__seq", "checkpoint__hash")
    for expected, (index, chain, seq, hash_) in enumerate(rows.iterator(chunk_size=CHUNK)):
        if index != expected:
            return
        yield merkle.leaf_hash(rules.head_leaf(chain, seq, hash_))


def tree_head_latest() -> TreeHead | None:
    """The latest signed checkpoint (public)."""
    return TreeHead.objects.order_by("-size").first()


def tree_consistency(first: int, second: int) -> list[bytes]:
    """RFC 6962 consistency proof between two signed tree sizes. ValueError with a Chinese message."""
    if not 1 <= first <= second:
        raise ValueError("应满足 1 ≤ first ≤ second。")
    if not TreeHead.objects.filter(size=second).exists():
        raise ValueError(f"没有大小为 {second} 的签名存证点。")
    hashes = leaf_hashes(second)
    if len(hashes) < second:
        raise ValueError("存证树不完整，无法给出证明。")
    return merkle.consistency_proof(first, hashes)


def tree_inclusion(chain: str) -> dict[str, Any] | None:
    """The latest signed leaf of a chain with its inclusion proof in the latest signed tree, or None."""
    head = tree_head_latest()
    if head is None:
        return None
    leaf = (
        TreeLeaf.objects.filter(checkpoint__chain=chain, index__lt=head.size)
        .order_by("-index")
        .values("index", "checkpoint__seq", "checkpoint__hash")
        .first()
    )
    if leaf is None:
        return None
    hashes = leaf_hashes(head.size)
    return {
        "chain": chain,
        "seq": leaf["checkpoint__seq"],
        "hash": leaf["checkpoint__hash"],
        "leaf_index": leaf["index"],
        "tree_size": head.size,
        "root_hash": notes.b64(bytes.fromhex(head.root)),
        "proof": [notes.b64(h) for h in merkle.inclusion_proof(leaf["index"], hashes)],
        "checkpoint": head.note,
    }


def ledger_verifiers() -> list[notes.Verifier]:
    """Every ledger key as a verifier (the database's own view: pin a saved copy when you can)."""
    return [
        notes.Verifier(name, notes.unb64(public)) for name, public in LedgerKey.objects.values_list("name", "public")
    ]


@dataclass(frozen=True)
class TreeProblem:
    """What is wrong with a signed checkpoint (tree size `size`), in Chinese."""

    size: int
    problem: str  # bad_signature | tree_mismatch | cosignature_invalid | cosignature_missing
    message: str


def tree_verify(
    saved: Iterable[notes.Note] = (),
    *,
    log_keys: list[notes.Verifier] | None = None,
    witness_keys: Iterable[notes.Verifier] = (),
) -> list[TreeProblem]:
    """Check every stored signed checkpoint and every saved one (`saved`) against the chain heads.

    Each must carry a valid signature by a ledger key (`log_keys`, else the keys in the database), its
    root must equal the Merkle root recomputed over the stored checkpoints, and each saved one must
    carry a valid cosignature by every key in `witness_keys`. [] when everything holds. One pass over
    the leaves, checkpoints taken in order of size: memory does not grow with the tree.
    """
    keys = log_keys if log_keys is not None else ledger_verifiers()
    witnesses = list(witness_keys)
    stored_notes = TreeHead.objects.order_by("size").values_list("note", flat=True).iterator(chunk_size=CHUNK)
    stored = ((notes.parse_notes(n)[0], "数据库中") for n in stored_notes)
    copies = sorted(((n, "副本中") for n in saved), key=lambda pair: pair[0].size)
    found: dict[str, list[TreeProblem]] = {"数据库中": [], "副本中": []}
    leaves = leaf_hashes_iter()
    tree = merkle.GrowingTree()
    for note, where in heapq.merge(stored, copies, key=lambda pair: pair[0].size):
        _grow(tree, leaves, note.size)
        found[where].extend(_note_problems(note, where, keys, tree))
        if where == "副本中":
            found[where].extend(_cosignature_problems(note, witnesses))
    return [*found["数据库中"], *found["副本中"]]


def _grow(tree: merkle.GrowingTree, leaves: Iterator[bytes], size: int) -> None:
    """Append leaves until the tree has `size` of them or there are no more."""
    while tree.size < size:
        leaf = next(leaves, None)
        if leaf is None:
            return
        tree.append(leaf)


def _note_problems(
    note: notes.Note, where: str, keys: list[notes.Verifier], tree: merkle.GrowingTree
) -> list[TreeProblem]:
    """`tree` has grown to the note's size, or to all the leaves there are if that is fewer."""
    size = note.size
    verdicts = [notes.verify_signature(note, key) for key in keys]
    if True not in verdicts:
        reason = "签名无效" if False in verdicts else "没有已知存证签名密钥的签名"
        return [TreeProblem(size, "bad_signature", f"{where}大小为 {size} 的签名存证点{reason}：存证点被伪造或改写。")]
    if size > tree.size:
        detail = f"存证树只剩 {tree.size} 片树叶，少于已签名的 {size} 片：存证点被删除。"
        return [TreeProblem(size, "tree_mismatch", f"{where}大小为 {size} 的签名存证点与数据库不符：{detail}")]
    if tree.root() != note.root:
        detail = "按数据库中的存证点重新计算的根哈希与签名的不同：存证链和存证点被一并改写过。"
        return [TreeProblem(size, "tree_mismatch", f"{where}大小为 {size} 的签名存证点与数据库不符：{detail}")]
    return []


def _cosignature_problems(note: notes.Note, witnesses: list[notes.Verifier]) -> list[TreeProblem]:
    problems = []
    for witness in witnesses:
        verdict = notes.verify_cosignature(note, witness)
        if verdict is None:
            problems.append(
                TreeProblem(
                    note.size, "cosignature_missing", f"大小为 {note.size} 的存证点缺少见证方 {witness.name} 的副署。"
                )
            )
        elif not verdict[0]:
            problems.append(
                TreeProblem(
                    note.size, "cosignature_invalid", f"大小为 {note.size} 的存证点上见证方 {witness.name} 的副署无效。"
                )
            )
    return problems


# --- staff pages: scoped reads ------------------------------------------------------------------

KIND_LABELS = {
    "certificate.issue": "出具证明",
    "certificate.revoke": "撤销证明",
    "seal.use": "使用印章",
}


def chain_list_for(user: Any, *, q: str = "") -> QuerySet[ChainHead]:
    """Chains of the villages in the user's oversight scope (Perm.AUDIT_VIEW), by code."""
    scope = scope_for(user)
    if not scope.has(Perm.AUDIT_VIEW):
        raise Forbidden("您没有查看存证链的权限。")
    qs = ChainHead.objects.filter(scope.region_q("chain", Perm.AUDIT_VIEW)).filter(seq__gt=0)
    if q:
        qs = qs.filter(chain__range=prefix_range(q)) if q.isdigit() else qs.none()
    return qs.order_by("chain")


def chain_entry_list_for(user: Any, chain: str) -> QuerySet[ChainEntry]:
    """Entries of one village's chain, newest first: 404 outside the user's regions, 403 without oversight."""
    _require_chain(user, chain)
    return ChainEntry.objects.filter(chain=chain).order_by("-seq")


def chain_verify_for(user: Any, chain: str) -> list[rules.ChainProblem]:
    """Verify one village's chain for someone overseeing it (same checks as `cunwu audit verify`)."""
    _require_chain(user, chain)
    return chain_verify(chain)


def _require_chain(user: Any, chain: str) -> None:
    if not rules.valid_chain(chain):
        raise NotFound("找不到该存证链。")
    scope_for(user).require(Perm.AUDIT_VIEW, chain, view=Perm.REGION_VIEW)


def checkpoint_tops(chains: Iterable[str]) -> dict[str, int]:
    """The highest checkpointed entry of each chain that has a checkpoint (public figures, no scope)."""
    rows = Checkpoint.objects.filter(chain__in=list(chains)).values("chain").annotate(top=Max("seq"))
    return dict(rows.values_list("chain", "top"))


def chain_length(chain: str) -> int:
    """How many entries a chain holds; the caller has checked the person may see it."""
    return ChainEntry.objects.filter(chain=chain).count()
