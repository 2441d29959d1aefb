"""A witness for the ledger: fetch the signed checkpoint, check it, countersign it (C2SP tlog-cosignature).

What a prefecture or an auditor runs (`cunwu ledger witness`) against a county's or the province's
site: the log's signature must verify under the pinned verifier key, the new tree must extend the
last one this witness cosigned (RFC 6962 consistency proof from /api/v1/ledger/consistency), and only
then is it cosigned. Each cosigned checkpoint is appended to the witness's file, which
`cunwu audit verify --checkpoints FILE` checks later. No Django: runs anywhere with `cryptography`.
"""

from __future__ import annotations

import base64
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from . import merkle, notes

Fetch = Callable[[str], bytes]


class WitnessError(ValueError):
    """The checkpoint must not be cosigned (message in Chinese says why)."""


def key_create(path: Path) -> Ed25519PrivateKey:
    """A new witness key in `path` (owner-only); refuses to overwrite one."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(base64.b64encode(raw).decode("ascii") + "\n")
    return private


def key_load(path: Path) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_text().strip()))


def cosigner_key(name: str, private: Ed25519PrivateKey) -> str:
    """The witness's verifier key (type 0x04, cosignature/v1) to give to whoever checks its cosignatures."""
    return notes.verifier_key(name, notes.public_bytes(private.public_key()), notes.COSIGNATURE_V1)


def last_seen(history: Path) -> notes.Note | None:
    if not history.exists() or not history.read_text(encoding="utf-8").strip():
        return None
    return notes.parse_notes(history.read_text(encoding="utf-8"))[-1]


def witness_once(
    *,
    base_url: str,
    fetch: Fetch,
    log_key: notes.Verifier,
    name: str,
    private: Ed25519PrivateKey,
    history: Path,
    now: int | None = None,
) -> notes.Note:
    """Fetch, verify and cosign the latest checkpoint; append it to `history` and return it."""
    base = base_url.rstrip("/")
    try:
        note = notes.parse_notes(fetch(f"{base}/api/v1/ledger/checkpoint").decode("utf-8"))[0]
    except (notes.NoteError, UnicodeDecodeError) as exc:
        raise WitnessError(f"取得的存证点格式有误：{exc}") from exc
    if note.origin != log_key.name:
        raise WitnessError(f"存证点来源为 {note.origin}，与所设验证密钥 {log_key.name} 不符。")
    if notes.verify_signature(note, log_key) is not True:
        raise WitnessError("存证点的签名无法用所设验证密钥验证：拒绝副署。")
    previous = last_seen(history)
    if previous is not None:
        _check_consistent(previous, note, base, fetch)
    line = notes.cosign(note, name, private, int(time.time()) if now is None else now)
    cosigned = notes.parse_notes(note.text() + line)[0]
    with history.open("a", encoding="utf-8") as f:
        f.write(cosigned.text() + "\n")
    return cosigned


def _check_consistent(previous: notes.Note, note: notes.Note, base: str, fetch: Fetch) -> None:
    if note.size < previous.size:
        raise WitnessError(f"存证树从 {previous.size} 缩小到 {note.size}：日志被回滚，拒绝副署。")
    if note.size == previous.size:
        if note.root != previous.root:
            raise WitnessError(f"大小同为 {note.size} 的存证树根哈希不同：日志出现分叉，拒绝副署。")
        return
    query = urlencode({"first": previous.size, "second": note.size})
    try:
        data = json.loads(fetch(f"{base}/api/v1/ledger/consistency?{query}"))
        proof = [notes.unb64(h) for h in data["proof"]]
    except (ValueError, KeyError, TypeError, notes.NoteError) as exc:
        raise WitnessError(f"一致性证明格式有误：{exc}") from exc
    if not merkle.verify_consistency(previous.size, note.size, previous.root, note.root, proof):
        raise WitnessError(
            f"大小 {note.size} 的存证树与此前副署的大小 {previous.size} 的存证树不一致：日志被改写，拒绝副署。"
        )
