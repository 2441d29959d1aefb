"""Signing keys and tokens: the compact JWS on every certificate's QR code (DESIGN.md §4).

Tokens are JWTs signed with Ed25519, header {"alg": "EdDSA", "typ": "JWT", "kid"}. Private keys
live in the database, encrypted with Fernet under the environment variable CUNWU_KEY_ENCRYPTION_KEY
when it is set; without it they are stored unencrypted and `manage.py check` warns loudly
(certificates.W001). Public keys, retired ones included, are published at /.well-known/jwks.json.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import OKPKey

from cunwu.audit.services import audit_record
from cunwu.errors import DomainError

from .models import SigningKey

# DESIGN.md §4 keeps "EdDSA" (what PyJWT and most verifiers know); joserfc calls it deprecated (RFC 9864).
warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")

ALG = "EdDSA"
ENV_VAR = "CUNWU_KEY_ENCRYPTION_KEY"
MAX_TOKEN = 4096


class KeyConfigError(DomainError):
    """The signing key cannot be used (encrypted, but CUNWU_KEY_ENCRYPTION_KEY missing or wrong).

    A configuration fault, not the user's: 503, and nothing is issued.
    """

    status = 503
    default_code = "signing_unavailable"


def encryption_secret() -> str:
    return (os.environ.get(ENV_VAR) or getattr(settings, "CUNWU_KEY_ENCRYPTION_KEY", "") or "").strip()


def _fernet() -> Fernet | None:
    secret = encryption_secret()
    if not secret:
        return None
    try:
        return Fernet(secret.encode())
    except (ValueError, binascii.Error) as exc:
        raise KeyConfigError(f"{ENV_VAR} 不是有效的 Fernet 密钥（应为 32 字节、URL 安全的 base64 编码）。") from exc


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding: any other character is an error."""
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def content_digest(content: dict[str, Any]) -> str:
    """The `dig` claim: base64url (no padding) SHA-256 of the RFC 8785 canonical JSON."""
    return b64url(hashlib.sha256(rfc8785.dumps(content)).digest())


# --- private side --------------------------------------------------------------------------

_signing_lock = threading.Lock()
_signing: dict[str, OKPKey] = {}


def _seal(private: dict[str, Any]) -> tuple[str, bool]:
    raw = json.dumps(private, sort_keys=True)
    f = _fernet()
    if f is None:
        return raw, False
    return f.encrypt(raw.encode()).decode("ascii"), True


def _unseal(row: SigningKey) -> OKPKey:
    if row.encrypted:
        f = _fernet()
        if f is None:
            raise KeyConfigError(f"签名密钥 {row.kid} 已加密保存，但未设置环境变量 {ENV_VAR}，无法签发证明。")
        try:
            raw = f.decrypt(row.private_jwk.encode()).decode()
        except InvalidToken as exc:
            raise KeyConfigError(f"{ENV_VAR} 与加密签名密钥 {row.kid} 时所用的不一致，无法签发证明。") from exc
    else:
        raw = row.private_jwk
    return OKPKey.import_key(json.loads(raw))


def _new_key_row(now: Any) -> SigningKey:
    kid = f"{timezone.localtime(now):%Y%m%d}-{secrets.token_hex(4)}"
    key = OKPKey.generate_key("Ed25519", parameters={"kid": kid}, private=True)
    private = key.as_dict(private=True)
    sealed, encrypted = _seal(private)
    return SigningKey(
        kid=kid, public_x=str(private["x"]), private_jwk=sealed, encrypted=encrypted, current=True, created_at=now
    )


def signing_key_current() -> tuple[str, OKPKey]:
    """The current signing key, created on first use. One indexed query; the parsed key is cached.

    Checking the database each time means a rotation in another process takes effect at once.
    """
    kid = SigningKey.objects.filter(current=True).values_list("kid", flat=True).first()
    if kid is None:
        try:
            with transaction.atomic():
                row = _new_key_row(timezone.now())
                row.save(force_insert=True)
                audit_record(
                    actor=None,
                    action="certificates.key.create",
                    obj=row,
                    after={"kid": row.kid, "encrypted": row.encrypted},
                )
        except IntegrityError:
            pass  # a concurrent first issue created it; use theirs
        kid = SigningKey.objects.filter(current=True).values_list("kid", flat=True).get()
    key = _signing.get(kid)
    if key is None:
        key = _unseal(SigningKey.objects.get(kid=kid))
        with _signing_lock:
            _signing.clear()
            _signing[kid] = key
    return kid, key


def signing_key_rotate(*, actor: Any = None) -> SigningKey:
    """Retire the current key (it stays published) and make a new one current."""
    now = timezone.now()
    with transaction.atomic():
        old = list(SigningKey.objects.select_for_update().filter(current=True))
        SigningKey.objects.filter(pk__in=[k.pk for k in old]).update(current=False, retired_at=now)
        row = _new_key_row(now)
        row.save(force_insert=True)
        audit_record(
            actor=actor,
            action="certificates.key.rotate",
            obj=row,
            before={"kid": old[0].kid} if old else None,
            after={"kid": row.kid, "encrypted": row.encrypted},
        )
    return row


def signing_keys_encrypt(*, actor: Any = None) -> int:
    """Encrypt keys stored in plain text once CUNWU_KEY_ENCRYPTION_KEY is set; returns how many."""
    f = _fernet()
    if f is None:
        raise KeyConfigError(f"未设置 {ENV_VAR}，无法加密签名密钥。")
    done = 0
    with transaction.atomic():
        for row in SigningKey.objects.select_for_update().filter(encrypted=False):
            row.private_jwk = f.encrypt(row.private_jwk.encode()).decode("ascii")
            row.encrypted = True
            row.save(update_fields=["private_jwk", "encrypted"])
            audit_record(actor=actor, action="certificates.key.encrypt", obj=row, after={"kid": row.kid})
            done += 1
    return done


def token_sign(claims: dict[str, Any]) -> tuple[str, str]:
    """A compact JWS of `claims` with the current key; returns (token, kid)."""
    kid, key = signing_key_current()
    header = {"alg": ALG, "typ": "JWT", "kid": kid}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        token = jwt.encode(header, claims, key, algorithms=[ALG])
    return token, kid


# --- public side ---------------------------------------------------------------------------

_public: dict[str, Ed25519PublicKey] = {}
_unknown: dict[str, float] = {}
_UNKNOWN_TTL = 60.0
_CACHE_MAX = 1024


def _public_key(kid: str) -> Ed25519PublicKey | None:
    """The public key for a kid, parsed once per process; unknown kids are remembered for a minute."""
    key = _public.get(kid)
    if key is not None:
        return key
    if len(kid) > 64:
        return None
    seen = _unknown.get(kid)
    if seen is not None and time.monotonic() - seen < _UNKNOWN_TTL:
        return None
    x = SigningKey.objects.filter(kid=kid).values_list("public_x", flat=True).first()
    if x is None:
        if len(_unknown) >= _CACHE_MAX:
            _unknown.clear()
        _unknown[kid] = time.monotonic()
        return None
    key = Ed25519PublicKey.from_public_bytes(b64url_decode(x))
    if len(_public) >= _CACHE_MAX:
        _public.clear()
    _public[kid] = key
    return key


def clear_caches() -> None:
    _public.clear()
    _unknown.clear()
    with _signing_lock:
        _signing.clear()


@dataclass(frozen=True)
class TokenCheck:
    """A token's cryptographic verdict: `reason` is None when the signature is ours and intact."""

    reason: str | None
    claims: dict[str, Any] | None = None
    kid: str = ""


_REQUIRED = {"sn": str, "iss": str, "item": str, "sub": str, "iat": int, "dig": str}


def token_check(token: str) -> TokenCheck:
    """Verify a token's signature against our keys: malformed, unknown_key, bad_signature or None."""
    token = (token or "").strip()
    parts = token.split(".")
    if len(token) > MAX_TOKEN or len(parts) != 3 or not all(parts):
        return TokenCheck("malformed")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = b64url_decode(parts[1])
        signature = b64url_decode(parts[2])
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return TokenCheck("malformed")
    if not isinstance(header, dict) or header.get("alg") != ALG or "crit" in header:
        return TokenCheck("malformed")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        return TokenCheck("malformed")
    key = _public_key(kid)
    if key is None:
        return TokenCheck("unknown_key", kid=kid)
    try:
        key.verify(signature, f"{parts[0]}.{parts[1]}".encode("ascii"))
    except InvalidSignature:
        return TokenCheck("bad_signature", kid=kid)
    try:
        claims = json.loads(payload)
    except (ValueError, UnicodeDecodeError):
        return TokenCheck("malformed", kid=kid)
    if not isinstance(claims, dict) or any(not isinstance(claims.get(k), t) for k, t in _REQUIRED.items()):
        return TokenCheck("malformed", kid=kid)
    return TokenCheck(None, claims, kid)


def jwks() -> dict[str, list[dict[str, str]]]:
    """Every public key, current and retired, as a JWK Set."""
    rows = SigningKey.objects.order_by("created_at", "id").values_list("kid", "public_x")
    return {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": ALG, "use": "sig"} for kid, x in rows]}
