"""Signed checkpoints in the C2SP formats: tlog-checkpoint, signed-note (Ed25519) and tlog-cosignature.

    <origin>\\n<tree size>\\n<base64 root hash>\\n        ← the note body (a checkpoint)
    \\n
    — <key name> <base64(key ID ‖ signature)>\\n       ← the log's signature, then cosignatures

Key ID = SHA-256(name ‖ "\\n" ‖ type ‖ public key)[:4], type 0x01 for a note signature and 0x04 for a
cosignature/v1, whose signature is over "cosignature/v1\\ntime <t>\\n" + body and carries <t> as a
big-endian u64 before the 64 signature bytes. A verifier key reads `<name>+<hex key ID>+<base64(type ‖
public key)>`. Pure: no Django.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
COSIGNATURE_V1 = 0x04
DASH = "\u2014"
MAX_NOTE = 64 * 1024
_NAME_RE = re.compile(r"[^\s+]+")
_SIG_RE = re.compile(rf"{DASH} (\S+) ([A-Za-z0-9+/=]+)")


class NoteError(ValueError):
    """A note, signature line or verifier key that does not parse (message in Chinese)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise NoteError("base64 编码有误。") from exc


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, key: bytes, kind: int = ED25519) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([kind]) + key).digest()[:4]


@dataclass(frozen=True)
class Verifier:
    """A named public key able to check note signatures (type 0x01) or cosignatures (0x04)."""

    name: str
    key: bytes
    kind: int = ED25519

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.key, self.kind)

    def encode(self) -> str:
        return f"{self.name}+{self.id.hex()}+{b64(bytes([self.kind]) + self.key)}"


def verifier_key(name: str, public: bytes, kind: int = ED25519) -> str:
    if not _NAME_RE.fullmatch(name):
        raise NoteError("密钥名称不能为空，也不能含空白或“+”。")
    return Verifier(name, public, kind).encode()


def parse_verifier(text: str) -> Verifier:
    """`name+hexid+base64(type ‖ key)` → Verifier; the ID must match the key."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3 or not _NAME_RE.fullmatch(parts[0]):
        raise NoteError("验证密钥应为“名称+密钥编号+base64”格式。")
    raw = unb64(parts[2])
    if len(raw) != 33 or raw[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError("验证密钥应为 Ed25519 公钥（类型 0x01 或 0x04）。")
    verifier = Verifier(parts[0], raw[1:], raw[0])
    if parts[1].lower() != verifier.id.hex():
        raise NoteError("验证密钥的编号与公钥不符。")
    return verifier


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{b64(root)}\n"


@dataclass(frozen=True)
class Signature:
    name: str
    id: bytes
    blob: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {b64(self.id + self.blob)}\n"


@dataclass(frozen=True)
class Note:
    """A parsed checkpoint: its body (as signed) and its signature lines."""

    body: str
    signatures: tuple[Signature, ...]

    @property
    def origin(self) -> str:
        return self.body.split("\n", 1)[0]

    @property
    def size(self) -> int:
        return int(self.body.split("\n")[1])

    @property
    def root(self) -> bytes:
        return base64.b64decode(self.body.split("\n")[2])

    def text(self) -> str:
        return self.body + "\n" + "".join(s.line() for s in self.signatures)


def sign(body: str, name: str, private: Ed25519PrivateKey) -> str:
    """The signed note: `body`, a blank line and the signature line."""
    sig = Signature(name, key_id(name, public_bytes(private.public_key())), private.sign(body.encode()))
    return body + "\n" + sig.line()


def cosign(note: Note, name: str, private: Ed25519PrivateKey, timestamp: int) -> str:
    """A cosignature/v1 line over `note`'s body at `timestamp` (POSIX seconds)."""
    message = f"cosignature/v1\ntime {timestamp}\n{note.body}".encode()
    public = public_bytes(private.public_key())
    blob = struct.pack(">Q", timestamp) + private.sign(message)
    return Signature(name, key_id(name, public, COSIGNATURE_V1), blob).line()


def parse_notes(text: str) -> list[Note]:
    """One or more checkpoints (each a body, a blank line, signature lines), separated by blank lines."""
    if len(text) > MAX_NOTE * 64:
        raise NoteError("存证点文件过大。")
    lines = text.replace("\r\n", "\n").split("\n")
    notes, i = [], 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        body_lines = []
        while i < len(lines) and lines[i] != "":
            body_lines.append(lines[i])
            i += 1
        i += 1  # the blank line between body and signatures
        sigs = []
        while i < len(lines) and lines[i].startswith(DASH):
            sigs.append(parse_signature(lines[i]))
            i += 1
        notes.append(_checked(Note("\n".join(body_lines) + "\n", tuple(sigs))))
    if not notes:
        raise NoteError("文件中没有存证点。")
    return notes


def parse_signature(line: str) -> Signature:
    match = _SIG_RE.fullmatch(line)
    if not match:
        raise NoteError(f"签名行格式有误：{line[:80]}")
    raw = unb64(match.group(2))
    if len(raw) < 5:
        raise NoteError("签名行过短。")
    return Signature(match.group(1), raw[:4], raw[4:])


def _checked(note: Note) -> Note:
    lines = note.body.split("\n")
    if len(lines) < 4 or not lines[0] or not re.fullmatch(r"0|[1-9]\d{0,18}", lines[1]):
        raise NoteError("存证点正文应为来源、树大小、根哈希三行。")
    root = unb64(lines[2])
    if len(root) != 32:
        raise NoteError("根哈希应为 32 字节（base64）。")
    if not note.signatures:
        raise NoteError("存证点没有签名行。")
    return note


def verify_signature(note: Note, verifier: Verifier) -> bool | None:
    """True/False for the note signature by `verifier`; None when the note carries none by it."""
    for sig in note.signatures:
        if sig.name == verifier.name and sig.id == verifier.id:
            try:
                Ed25519PublicKey.from_public_bytes(verifier.key).verify(sig.blob, note.body.encode())
                return True
            except (InvalidSignature, ValueError):
                return False
    return None


def verify_cosignature(note: Note, verifier: Verifier) -> tuple[bool, int] | None:
    """(valid, timestamp) of the cosignature by `verifier`; None when the note carries none by it."""
    for sig in note.signatures:
        if sig.name == verifier.name and sig.id == verifier.id:
            if len(sig.blob) != 72:
                return False, 0
            (timestamp,) = struct.unpack(">Q", sig.blob[:8])
            message = f"cosignature/v1\ntime {timestamp}\n{note.body}".encode()
            try:
                Ed25519PublicKey.from_public_bytes(verifier.key).verify(sig.blob[8:], message)
                return True, timestamp
            except (InvalidSignature, ValueError):
                return False, timestamp
    return None
