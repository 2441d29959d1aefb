"""Hash-chain rules, pure: how an entry is hashed and how a chain is checked (no ORM, no request).

The registers back clause （十四） (seal use is registered and filed) and clause （十二） (certificates
issued by the village), and let oversight （十六） prove that no record was quietly changed.

hash = SHA-256( prev_hash + RFC 8785 canonical JSON of
       {"chain", "seq", "kind", "ref_type", "ref_id", "payload", "recorded_at"} ),
with `recorded_at` as ISO 8601 in China Standard Time (fixed +08:00, microseconds) and the first
entry's prev_hash 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import rfc8785

from cunwu.masking import id_number_problem

GENESIS_HASH = "0" * 64
HASHED_FIELDS = ("chain", "seq", "kind", "ref_type", "ref_id", "payload", "recorded_at")
PROBLEMS = ("changed", "deleted", "inserted", "reordered", "checkpoint_mismatch")
PROBLEM_LABELS = {
    "changed": "记录被改动",
    "deleted": "记录被删除",
    "inserted": "记录被插入",
    "reordered": "记录顺序被调换",
    "checkpoint_mismatch": "与公示存证点不符",
}
CHINA_TIME = timezone(timedelta(hours=8), "CST")
MAX_PAYLOAD_BYTES = 8 * 1024
# A float this large comes back from PostgreSQL's jsonb as an integer and would no longer hash the same.
_MAX_SAFE = 2**53
# How far a renumbered entry may have moved when we look for its original position.
_RENUMBER_WINDOW = 5

_CHAIN_RE = re.compile(r"\d{12}")
# Bounded by non-alphanumerics: digit runs inside hex digests or tokens are not phone or ID numbers.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


@dataclass(frozen=True)
class ChainProblem:
    """What is wrong with a chain, at which sequence number: `problem` ∈ PROBLEMS, message in Chinese."""

    chain: str
    seq: int
    problem: str
    message: str

    @property
    def label(self) -> str:
        return PROBLEM_LABELS[self.problem]


def canonical_time(value: datetime | str) -> str:
    """The one spelling of a time inside a hash: +08:00, microseconds (a naive time is refused)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        raise ValueError("recorded_at must carry a time zone")
    return value.astimezone(CHINA_TIME).isoformat(timespec="microseconds")


def canonical_payload(payload: Any) -> Any:
    """The payload as it will be stored and hashed: plain JSON, checked for size and unmasked data.

    Raises ValueError for values that would not survive storage unchanged or that look like an
    unmasked ID number or mobile number: the register is permanent and public-facing.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("payload must be a JSON object")
    try:
        data = rfc8785.dumps(payload)
    except Exception as exc:  # rfc8785 raises several types for non-JSON values
        raise ValueError(f"payload is not canonical JSON: {exc}") from exc
    if len(data) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload is {len(data)} bytes; keep it under {MAX_PAYLOAD_BYTES}")
    value = json.loads(data)
    _check_values(value)
    return value


def _check_values(value: Any) -> None:
    if isinstance(value, dict):
        for v in value.values():
            _check_values(v)
    elif isinstance(value, list):
        for v in value:
            _check_values(v)
    elif isinstance(value, float) and abs(value) >= _MAX_SAFE:
        raise ValueError("payload numbers must be below 2**53; pass large amounts as strings")
    elif isinstance(value, str) and (
        _PHONE_RE.search(value) or any(id_number_problem(m) is None for m in _ID_RE.findall(value))
    ):
        raise ValueError("payload looks like it holds an unmasked ID or phone number; mask it first")


def valid_chain(chain: str) -> bool:
    """A chain is named by a 12-digit village or community code."""
    return bool(_CHAIN_RE.fullmatch(chain or ""))


def _get(entry: Any, key: str) -> Any:
    if type(entry) is dict:  # the common case, and much cheaper than the ABC check below
        return entry[key]
    return entry[key] if isinstance(entry, Mapping) else getattr(entry, key)


def entry_hash(prev_hash: str, fields: Any) -> str:
    """SHA-256 hex of prev_hash followed by the canonical JSON of the hashed fields of `fields`."""
    body = {
        "chain": _get(fields, "chain"),
        "seq": int(_get(fields, "seq")),
        "kind": _get(fields, "kind"),
        "ref_type": _get(fields, "ref_type") or "",
        "ref_id": _get(fields, "ref_id") or "",
        "payload": _get(fields, "payload"),
        "recorded_at": canonical_time(_get(fields, "recorded_at")),
    }
    digest = hashlib.sha256(prev_hash.encode("ascii"))
    digest.update(canonical_json(body))
    return digest.hexdigest()


def canonical_json(value: Any) -> bytes:
    """RFC 8785 canonical JSON bytes (JCS).

    Fast path: for strings, safe integers, booleans and null (no floats, object keys within the Basic
    Multilingual Plane), the standard library's sorted, compact, non-ASCII-escaping output is byte
    for byte the JCS form (same escapes, same key order); anything else goes through `rfc8785`.
    """
    if _plain(value):
        try:
            return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: let rfc8785 refuse it
    return rfc8785.dumps(value)


def _plain(value: Any) -> bool:
    """Whether `value` holds only what the fast path of `canonical_json` spells exactly as JCS."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if not -_MAX_SAFE < item < _MAX_SAFE:
                return False
        elif kind is dict:
            for key in item:
                if type(key) is not str or not (key.isascii() or max(key) < "\U00010000"):
                    return False
            stack.extend(item.values())
        elif kind is list:
            stack.extend(item)
        else:
            return False
    return True


def _recomputes(entry: Any, seq: int | None = None) -> bool:
    """Whether the entry's stored hash matches its content (optionally as if it had sequence `seq`)."""
    fields = entry if seq is None else _Renumbered(entry, seq)
    try:
        return entry_hash(_get(entry, "prev_hash"), fields) == _get(entry, "hash")
    except (ValueError, TypeError, AttributeError, KeyError):
        return False  # unreadable content (e.g. a garbled time) is a changed entry too


class _Renumbered:
    def __init__(self, entry: Any, seq: int) -> None:
        self.entry, self.seq = entry, seq

    def __getattr__(self, key: str) -> Any:
        return _get(self.entry, key)


def _message(chain: str, seq: int, problem: str, detail: str) -> str:
    return f"村（社区）{chain} 第 {seq} 条：{PROBLEM_LABELS[problem]}——{detail}"


@dataclass
class _State:
    """Where the walk of one chain stands: the last good entry and the one before it."""

    last_seq: int = 0
    last_hash: str = GENESIS_HASH
    before_last_hash: str | None = None
    entries: int = 0
    problem: ChainProblem | None = None
    pending: Any = None
    tail_problem: bool = False  # found by comparing the chain's end with its head or checkpoints


class ChainVerifier:
    """Walks entries ordered by (chain, seq) and finds, for each chain, its earliest problem.

    Only the earliest problem of a chain is reported: every later entry hangs from it, so what
    follows cannot be trusted either. Memory is a few fields per chain plus the checkpoints given.
    """

    def __init__(self, checkpoints: Iterable[Any] = ()) -> None:
        self.checkpoints: dict[str, dict[int, Any]] = {}
        for cp in checkpoints:
            self.add_checkpoint(cp)
        self.states: dict[str, _State] = {}
        self._current: str | None = None
        self.entries = 0

    def add_checkpoint(self, cp: Any) -> None:
        self.checkpoints.setdefault(_get(cp, "chain"), {})[int(_get(cp, "seq"))] = cp

    def start(self, chain: str, seq: int, hash_: str) -> None:
        """Resume a chain after an already trusted point (e.g. its last checkpoint)."""
        self.states[chain] = _State(last_seq=seq, last_hash=hash_)

    def feed(self, entry: Any) -> None:
        chain = _get(entry, "chain")
        if chain != self._current:
            self._flush()
            self._current = chain
        state = self.states.setdefault(chain, _State())
        self.entries += 1
        state.entries += 1
        if state.pending is not None:
            self._check(chain, state, state.pending, entry)
        state.pending = entry

    def _flush(self) -> None:
        if self._current is not None:
            state = self.states[self._current]
            if state.pending is not None:
                self._check(self._current, state, state.pending, None)
                state.pending = None

    def finish(self, heads: Iterable[Any] | None = None) -> list[ChainProblem]:
        """Close the walk; `heads` (chain, seq, hash) are the working heads read after the entries."""
        self._flush()
        self._current = None
        head_map = {_get(h, "chain"): h for h in heads} if heads is not None else {}
        for chain in set(head_map) | set(self.checkpoints):
            self.states.setdefault(chain, _State())
        for chain, state in self.states.items():
            if state.problem is None:
                self._check_tail(chain, state, head_map.get(chain))
        return self.problems()

    def problems(self) -> list[ChainProblem]:
        found = [s.problem for s in self.states.values() if s.problem is not None]
        return sorted(found, key=lambda p: (p.chain, p.seq))

    def _fail(self, state: _State, chain: str, seq: int, problem: str, detail: str) -> None:
        state.problem = ChainProblem(chain, seq, problem, _message(chain, seq, problem, detail))

    def _check(self, chain: str, state: _State, entry: Any, following: Any) -> None:
        if state.problem is not None:
            return
        seq = int(_get(entry, "seq"))
        expected_seq = state.last_seq + 1
        expected_prev = state.last_hash
        if seq > expected_seq:
            missing = f"第 {expected_seq} 条" if seq == expected_seq + 1 else f"第 {expected_seq}–{seq - 1} 条"
            self._fail(state, chain, expected_seq, "deleted", f"序号不连续，{missing}记录缺失。")
        elif seq < expected_seq:
            self._fail(state, chain, seq, "inserted", f"序号 {seq} 重复出现，多出一条记录。")
        elif _get(entry, "prev_hash") != expected_prev:
            self._link_break(chain, state, entry, following)
        elif not _recomputes(entry):
            self._fail(state, chain, seq, "changed", "记录内容与其哈希值不符，记录被改动过。")
        else:
            cp = self.checkpoints.get(chain, {}).get(seq)
            if cp is not None and _get(cp, "hash") != _get(entry, "hash"):
                self._fail(state, chain, seq, "checkpoint_mismatch", _checkpoint_detail(cp))
        if state.problem is None:
            state.before_last_hash = state.last_hash
            state.last_seq, state.last_hash = seq, _get(entry, "hash")

    def _link_break(self, chain: str, state: _State, entry: Any, following: Any) -> None:
        """The entry does not point at the previous one: work out what was done to the chain."""
        seq = int(_get(entry, "seq"))
        prev_hash = _get(entry, "prev_hash")
        expected_prev = state.last_hash
        if following is not None and _get(following, "prev_hash") == expected_prev:
            if prev_hash == _get(following, "hash"):
                self._fail(state, chain, seq, "reordered", f"第 {seq} 条与第 {seq + 1} 条记录的先后顺序被调换。")
            else:
                self._fail(state, chain, seq, "inserted", "这一条不在原链中：后一条记录直接接在前一条之后。")
            return
        if state.before_last_hash is not None and prev_hash == state.before_last_hash:
            self._fail(state, chain, state.last_seq, "inserted", "这一条不在原链中：下一条记录越过它接在更前一条之后。")
            return
        if _recomputes(entry):
            # The entry is intact and in its original place, so its predecessor was rewritten.
            where = max(state.last_seq, 1)
            self._fail(state, chain, where, "changed", "记录被改动后重新计算了哈希，与后一条记录对不上。")
            return
        for shift in range(1, _RENUMBER_WINDOW + 1):
            if _recomputes(entry, seq + shift):
                self._fail(
                    state,
                    chain,
                    seq,
                    "deleted",
                    f"有 {shift} 条记录被删除，其后的记录被重新编号（本条原为第 {seq + shift} 条）。",
                )
                return
            if seq - shift >= 1 and _recomputes(entry, seq - shift):
                self._fail(
                    state,
                    chain,
                    seq - shift,
                    "inserted",
                    f"有 {shift} 条记录被插入，其后的记录被重新编号（第 {seq} 条原为第 {seq - shift} 条）。",
                )
                return
        self._fail(state, chain, seq, "changed", "前一条哈希被改动，记录与链断开。")

    def _check_tail(self, chain: str, state: _State, head: Any) -> None:
        self._tail(chain, state, head)
        state.tail_problem = state.problem is not None

    def _tail(self, chain: str, state: _State, head: Any) -> None:
        last_seq = state.last_seq
        if head is not None:
            head_seq = int(_get(head, "seq"))
            if head_seq > last_seq:
                self._fail(
                    state,
                    chain,
                    last_seq + 1,
                    "deleted",
                    f"链头记到第 {head_seq} 条，但链上只有 {last_seq} 条：链尾记录被删除。",
                )
                return
            if head_seq < last_seq:
                self._fail(
                    state,
                    chain,
                    head_seq + 1,
                    "inserted",
                    f"链头只记到第 {head_seq} 条，链上却有第 {head_seq + 1} 条：链尾有记录被插入。",
                )
                return
        beyond = [s for s in self.checkpoints.get(chain, {}) if s > last_seq]
        if beyond:
            cp = self.checkpoints[chain][min(beyond)]
            self._fail(
                state,
                chain,
                min(beyond),
                "checkpoint_mismatch",
                f"存证点（{_when(cp)}）公示到第 {min(beyond)} 条，链上却只有 {last_seq} 条：链被截短或整体改写。",
            )
            return
        if head is not None and last_seq and _get(head, "hash") != state.last_hash:
            self._fail(state, chain, last_seq, "changed", "链头哈希与最后一条记录不符，最后一条记录被改写过。")


def _when(cp: Any) -> str:
    """When a checkpoint was published, as officials read it (China time, to the minute)."""
    created: Any = cp.get("created_at") if isinstance(cp, Mapping) else getattr(cp, "created_at", None)
    if isinstance(created, str):
        try:
            created = datetime.fromisoformat(created)
        except ValueError:
            return str(created)[:20]
    if isinstance(created, datetime) and created.tzinfo is not None:
        return created.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")
    return "此前"


def _checkpoint_detail(cp: Any) -> str:
    return f"哈希与{_when(cp)}公示的存证点不一致：链被整体改写过（改写发生在本条或更早的记录）。"


_HASH_RE = re.compile(r"[0-9a-f]{64}")


def parse_published(data: Any) -> list[dict[str, Any]]:
    """Checkpoints saved from `GET /api/v1/ledger/heads` ({"heads": [...]} or a bare list) → plain rows.

    Raises ValueError with a Chinese message naming the first bad row.
    """
    rows = data.get("heads") if isinstance(data, Mapping) else data
    if not isinstance(rows, list):
        raise ValueError("存证点副本应为 /api/v1/ledger/heads 返回的 JSON（含 heads 数组）。")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise ValueError(f"第 {i + 1} 个存证点不是对象。")
        chain, seq, hash_ = row.get("chain"), row.get("seq"), row.get("hash")
        if not isinstance(chain, str) or not valid_chain(chain):
            raise ValueError(f"第 {i + 1} 个存证点的 chain 应为 12 位区划代码。")
        if type(seq) is not int or seq < 1:
            raise ValueError(f"第 {i + 1} 个存证点的 seq 应为正整数。")
        if not isinstance(hash_, str) or not _HASH_RE.fullmatch(hash_):
            raise ValueError(f"第 {i + 1} 个存证点的 hash 应为 64 位十六进制小写字符。")
        out.append({"chain": chain, "seq": seq, "hash": hash_, "created_at": row.get("created_at") or "已公示"})
    return out


def published_mismatch(row: Mapping[str, Any], stored_hash: str | None) -> ChainProblem:
    """A saved checkpoint that the checkpoint table no longer holds as it was published."""
    chain, seq = row["chain"], int(row["seq"])
    if stored_hash is None:
        detail = f"公示于{_when(row)}的存证点在数据库中已不存在：存证点表被改动过。"
    else:
        detail = f"数据库中第 {seq} 条的存证点哈希与{_when(row)}公示的副本不符：存证点表被改动过。"
    return ChainProblem(chain, seq, "checkpoint_mismatch", _message(chain, seq, "checkpoint_mismatch", detail))


def verify_entries(
    entries: Iterable[Any], checkpoints: Iterable[Any] = (), heads: Iterable[Any] | None = None
) -> list[ChainProblem]:
    """Check whole chains; entries are dict-like (see HASHED_FIELDS plus prev_hash, hash), any order.

    Returns the earliest problem of each broken chain, ordered by chain and seq; [] when all hold.
    """
    ordered = sorted(entries, key=lambda e: (_get(e, "chain"), int(_get(e, "seq"))))
    verifier = ChainVerifier(checkpoints)
    for entry in ordered:
        verifier.feed(entry)
    return verifier.finish(heads)


def head_leaf(chain: str, seq: int, hash_: str) -> bytes:
    """The bytes of a chain head as a leaf of the tree of all heads (then hashed as RFC 6962 says)."""
    return f"cunwu-chain-head/v1\n{chain}\n{seq}\n{hash_}\n".encode("ascii")
