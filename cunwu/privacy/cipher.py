"""Encrypting personal data at rest: AES-256-GCM with named keys, and HMAC blind indexes for lookups.

A stored value reads `pii1.<kid>.<base64url(nonce ‖ ciphertext ‖ tag)>`; the associated data is the
column (`certificates.application.applicant_id_number`), so a ciphertext moved to another column
does not decrypt. Blind indexes are HMAC-SHA256 of the normalised value under an index key; lookups
try every index key, so the index key can rotate too. Keys are `DataKey` rows wrapped by
`cunwu.keywrap`; unwrapped keys are cached per process (keys never change once made).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
import unicodedata
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunwu import keywrap
from cunwu.audit.services import audit_record

from .models import DataKey, KeyPurpose

PREFIX = "pii1"
_NONCE = 12

_lock = threading.Lock()
_keys: dict[str, bytes] = {}


class PersonalDataError(RuntimeError):
    """A stored ciphertext does not decrypt: damaged, moved between columns, or its key is gone."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _key(kid: str) -> bytes:
    key = _keys.get(kid)
    if key is not None:
        return key
    row = DataKey.objects.filter(kid=kid).values("material", "encrypted").first()
    if row is None:
        raise PersonalDataError(f"个人信息密钥 {kid} 不存在，无法解密。")
    raw = keywrap.unwrap(row["material"], row["encrypted"], label=f"个人信息密钥 {kid} ", purpose="读取个人信息")
    key = _unb64(raw)
    with _lock:
        _keys[kid] = key
    return key


def _new_key(purpose: str, now: Any) -> DataKey:
    kid = f"{purpose[0]}{timezone.localtime(now):%Y%m%d}-{secrets.token_hex(4)}"
    material, encrypted = keywrap.wrap(_b64(AESGCM.generate_key(bit_length=256)))
    return DataKey(kid=kid, purpose=purpose, material=material, encrypted=encrypted, current=True, created_at=now)


def current_key(purpose: str = KeyPurpose.ENCRYPT) -> tuple[str, bytes]:
    """The current key of a purpose, made on first use (one indexed query when it exists)."""
    kid = DataKey.objects.filter(purpose=purpose, current=True).values_list("kid", flat=True).first()
    if kid is None:
        try:
            with transaction.atomic():
                row = _new_key(purpose, timezone.now())
                row.save(force_insert=True)
                audit_record(
                    actor=None, action="privacy.key.create", obj=row, after={"kid": row.kid, "purpose": purpose}
                )
        except IntegrityError:
            pass  # a concurrent first write made it; use theirs
        kid = DataKey.objects.filter(purpose=purpose, current=True).values_list("kid", flat=True).get()
    return kid, _key(kid)


def key_rotate(purpose: str, *, actor: Any = None) -> DataKey:
    """Retire the current key of `purpose` (it still decrypts or matches) and make a new one current."""
    now = timezone.now()
    with transaction.atomic():
        old = list(DataKey.objects.select_for_update().filter(purpose=purpose, current=True))
        DataKey.objects.filter(pk__in=[k.pk for k in old]).update(current=False, retired_at=now)
        row = _new_key(purpose, now)
        row.save(force_insert=True)
        audit_record(
            actor=actor,
            action="privacy.key.rotate",
            obj=row,
            before={"kid": old[0].kid} if old else None,
            after={"kid": row.kid, "purpose": purpose, "encrypted": row.encrypted},
        )
    return row


def encrypt(plain: str, *, aad: str, key: tuple[str, bytes] | None = None) -> str:
    """`plain` sealed under the current (or the given) key; the empty string stays empty."""
    if plain == "":
        return ""
    kid, raw = key or current_key()
    nonce = os.urandom(_NONCE)
    sealed = AESGCM(raw).encrypt(nonce, plain.encode("utf-8"), aad.encode("utf-8"))
    return f"{PREFIX}.{kid}.{_b64(nonce + sealed)}"


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX + ".")


def key_id(stored: str) -> str | None:
    """The kid that sealed a stored value, or None for the empty string (and legacy plain text)."""
    return stored.split(".", 2)[1] if is_sealed(stored) and stored.count(".") >= 2 else None


def decrypt(stored: str, *, aad: str) -> str:
    """The clear text of a stored value. Plain text (a row written before encryption) passes through."""
    if not is_sealed(stored):
        return stored
    try:
        _prefix, kid, body = stored.split(".", 2)
        blob = _unb64(body)
        return AESGCM(_key(kid)).decrypt(blob[:_NONCE], blob[_NONCE:], aad.encode("utf-8")).decode("utf-8")
    except (ValueError, binascii.Error, InvalidTag, UnicodeDecodeError) as exc:
        raise PersonalDataError(f"{aad} 的密文已损坏或不属于该字段，无法解密。") from exc


def normalise(value: str) -> str:
    """What a lookup compares: NFKC (full-width digits → ASCII), no spaces, upper case (…X)."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def blind_index(value: str, *, key: tuple[str, bytes] | None = None) -> str:
    """HMAC-SHA256 (hex) of the normalised value under the current index key; "" for an empty value."""
    value = normalise(value or "")
    if not value:
        return ""
    _kid, raw = key or current_key(KeyPurpose.INDEX)
    return hmac.new(raw, value.encode("utf-8"), hashlib.sha256).hexdigest()


def blind_indexes(value: str) -> list[str]:
    """The value's blind index under every index key, current first: what an exact lookup matches."""
    current_key(KeyPurpose.INDEX)
    kids = DataKey.objects.filter(purpose=KeyPurpose.INDEX).order_by("-current", "-created_at")
    return [blind_index(value, key=(kid, _key(kid))) for kid in kids.values_list("kid", flat=True)]


def clear_caches() -> None:
    with _lock:
        _keys.clear()
