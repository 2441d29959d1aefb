"""Signing keys and tokens: the compact JWS on every certificate's QR code (DESIGN.md §4).

Tokens are JWTs signed with Ed25519, header {"alg": "EdDSA", "typ": "JWT", "kid"}. Private keys
live in the database, wrapped under CUNWU_KEY_ENCRYPTION_KEY by `cunwu.keywrap` when it is set;
without it they are stored unencrypted and `manage.py check` warns loudly (certificates.W001). Public keys, retired ones included, are published at /.well-known/jwks.json.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import threading
import time
import warnings
from dataclasses import dataclass
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jwt
from joserfc.jwk import OKPKey

from cunwu import keywrap
from cunwu.audit.services import audit_record
from cunwu.keywrap import ENV_VAR as ENV_VAR
from cunwu.keywrap import KeyConfigError as KeyConfigError
from cunwu.keywrap import encryption_secret as encryption_secret

from .models import SigningKey

# DESIGN.md §4 keeps "EdDSA" (what PyJWT and most verifiers know); joserfc calls it deprecated (RFC 9864).
warnings.filterwarnings("ignore", message=".*EdDSA is deprecated.*")

ALG = "EdDSA"
MAX_TOKEN = 4096


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
    return keywrap.wrap(json.dumps(private, sort_keys=True))


def _unseal(row: SigningKey) -> OKPKey:
    raw = keywrap.unwrap(row.private_jwk, row.encrypted, label=f"签名密钥 {row.kid} ", purpose="签发证明")
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
    if keywrap.kek() is None:
        raise KeyConfigError(f"未设置 {ENV_VAR}，无法加密签名密钥。")
    done = 0
    with transaction.atomic():
        for row in SigningKey.objects.select_for_update().filter(encrypted=False):
            row.private_jwk = keywrap.wrap_again(row.private_jwk)
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
    if len(kid) > 64 or "\x00" in kid:  # no key has such a kid, and PostgreSQL text refuses NUL
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
    _genuine.clear()
    with _signing_lock:
        _signing.clear()


@dataclass(frozen=True)
class TokenCheck:
    """A token's cryptographic verdict: `reason` is None when the signature is ours and intact."""

    reason: str | None
    claims: dict[str, Any] | None = None
    kid: str = ""


_REQUIRED = {"sn": str, "iss": str, "item": str, "sub": str, "iat": int, "dig": str}


# Tokens whose signature verified, per process: a token's bytes and our public keys never change,
# so the verdict holds for ever (bounded; only genuine tokens are kept, so garbage cannot fill it).
_genuine: dict[str, TokenCheck] = {}


def token_check(token: str) -> TokenCheck:
    """Verify a token's signature against our keys: malformed, unknown_key, bad_signature or None."""
    token = (token or "").strip()
    known = _genuine.get(token)
    if known is not None:
        return known
    check = _token_check(token)
    if check.reason is None:
        if len(_genuine) >= _CACHE_MAX:
            _genuine.clear()
        _genuine[token] = check
    return check


def _token_check(token: str) -> TokenCheck:
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
