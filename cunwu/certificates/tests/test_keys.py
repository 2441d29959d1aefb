"""The token contract (DESIGN.md §4): what outside verifiers rely on, checked as they would."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
import rfc8785
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.management import call_command
from joserfc import jwt
from joserfc.jwk import KeySet, OKPKey

from .. import keys
from ..checks import key_encryption_check
from ..models import SigningKey
from ..selectors import certificate_verify
from .helpers import make_certificate

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def part(token: str, index: int) -> dict[str, Any]:
    raw = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def sign_with(private: Ed25519PrivateKey, header: dict[str, Any], claims: dict[str, Any]) -> str:
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{b64(private.sign(signing_input.encode()))}"


@pytest.fixture
def cert(clerk: Any, head: Any, village: Any) -> Any:
    return make_certificate(clerk, head, village)


def test_header_and_claims(cert: Any, village: Any) -> None:
    header, claims = part(cert.token, 0), part(cert.token, 1)
    assert header == {"alg": "EdDSA", "typ": "JWT", "kid": cert.kid}
    assert set(claims) == {"sn", "iss", "item", "sub", "iat", "exp", "dig"}
    assert (claims["sn"], claims["iss"], claims["item"], claims["sub"]) == (cert.serial, village.code, "R05", "张*丰")
    assert claims["exp"] == int(cert.valid_until.timestamp()) and claims["iat"] == int(cert.issued_at.timestamp())


def test_dig_is_the_sha256_of_the_canonical_printed_content(cert: Any) -> None:
    expected = b64(hashlib.sha256(rfc8785.dumps(cert.content)).digest())
    assert part(cert.token, 1)["dig"] == expected == cert.digest
    assert "=" not in expected


def test_no_exp_without_a_validity_period(clerk: Any, head: Any, village: Any) -> None:
    from ..services import application_decide, certificate_issue
    from .helpers import RESIDENCE_MATERIALS, make_application

    app = make_application(clerk, village)
    app = application_decide(
        actor=clerk, application=app, action="issue", materials_checked=RESIDENCE_MATERIALS, verified_facts="属实"
    )
    token = certificate_issue(actor=head, application=app).token
    assert "exp" not in part(token, 1)


def test_an_outside_client_verifies_offline_with_the_published_jwks(cert: Any, client: Any) -> None:
    published = client.get("/.well-known/jwks.json").json()
    assert published["keys"][0] | {"x": "…"} == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": "…",
        "kid": cert.kid,
        "alg": "EdDSA",
        "use": "sig",
    }
    # joserfc, as docs/verify.md shows
    decoded = jwt.decode(cert.token, KeySet.import_key_set(published), algorithms=["EdDSA"])
    assert decoded.claims["sn"] == cert.serial
    # and with nothing but an Ed25519 implementation
    jwk = published["keys"][0]
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "="))
    head_b64, payload_b64, sig_b64 = cert.token.split(".")
    public.verify(base64.urlsafe_b64decode(sig_b64 + "=="), f"{head_b64}.{payload_b64}".encode())


def test_changed_claim_is_bad_signature(cert: Any) -> None:
    header, _claims, sig = cert.token.split(".")
    changed = dict(part(cert.token, 1), sub="李*")
    forged = f"{header}.{b64(json.dumps(changed).encode())}.{sig}"
    result = certificate_verify(forged)
    assert (result["valid"], result["status"], result["reason"]) == (False, "invalid", "bad_signature")
    assert all(result[k] is None for k in result if k not in ("valid", "status", "reason"))


def test_foreign_key_with_unknown_kid(cert: Any) -> None:
    token = sign_with(
        Ed25519PrivateKey.generate(), {"alg": "EdDSA", "typ": "JWT", "kid": "not-ours"}, part(cert.token, 1)
    )
    assert certificate_verify(token)["reason"] == "unknown_key"


def test_foreign_key_claiming_our_kid(cert: Any) -> None:
    token = sign_with(Ed25519PrivateKey.generate(), part(cert.token, 0), part(cert.token, 1))
    assert certificate_verify(token)["reason"] == "bad_signature"


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "abc",
        "a.b.c",
        "...",
        "证明.证明.证明",
        "x" * 5000,
        "eyJhbGciOiJub25lIn0.e30.",
        "e30.e30.e30",
        "!!.@@.##",
        "a.b",
        "a.b.c.d",
    ],
)
def test_garbage_is_malformed(garbage: str, cert: Any) -> None:
    result = certificate_verify(garbage)
    assert (result["valid"], result["status"], result["reason"]) == (False, "invalid", "malformed")


def test_alg_none_and_other_algs_are_malformed(cert: Any) -> None:
    _header, claims, sig = cert.token.split(".")
    for alg in ("none", "HS256", "Ed25519"):
        h = b64(json.dumps({"alg": alg, "typ": "JWT", "kid": cert.kid}).encode())
        assert certificate_verify(f"{h}.{claims}.{sig}")["reason"] == "malformed"


def test_genuine_signature_but_no_such_certificate(cert: Any, village: Any) -> None:
    claims = dict(part(cert.token, 1), sn=f"{village.code}-1999-000001")
    token, _ = keys.token_sign(claims)
    assert certificate_verify(token)["reason"] == "not_found"
    token, _ = keys.token_sign(dict(part(cert.token, 1), dig="A" * 43))
    assert certificate_verify(token)["reason"] == "not_found"


def test_expired(cert: Any) -> None:
    later = cert.valid_until + dt.timedelta(seconds=1)
    result = certificate_verify(cert.token, now=later)
    assert (result["valid"], result["status"], result["reason"]) == (False, "expired", None)
    assert result["serial"] == cert.serial


def test_verify_answer_has_the_contract_shape(cert: Any) -> None:
    result = certificate_verify(cert.token)
    assert set(result) == {
        "valid",
        "status",
        "reason",
        "serial",
        "issuer",
        "item",
        "issued_at",
        "valid_until",
        "revoked_at",
        "revocation_reason",
        "subject",
    }
    assert result["issued_at"].endswith("+08:00") and result["valid_until"].endswith("+08:00")
    assert result["issuer"]["code"] == cert.region_id and result["item"] == {"code": "R05", "name": "居（租）住证明"}
    assert result["subject"] == "张*丰"


def test_rotation_keeps_old_tokens_valid(cert: Any, clerk: Any, head: Any, village: Any) -> None:
    call_command("keys", "rotate")
    new = make_certificate(clerk, head, village)
    assert new.kid != cert.kid
    assert {k["kid"] for k in keys.jwks()["keys"]} == {cert.kid, new.kid}
    assert certificate_verify(cert.token)["valid"] and certificate_verify(new.token)["valid"]
    old = SigningKey.objects.get(kid=cert.kid)
    assert not old.current and old.retired_at is not None


def test_first_issue_creates_a_key(cert: Any) -> None:
    assert SigningKey.objects.filter(current=True).count() == 1


def test_keys_encrypted_with_the_environment_key(monkeypatch: Any, clerk: Any, head: Any, village: Any) -> None:
    secret = Fernet.generate_key().decode()
    monkeypatch.setenv(keys.ENV_VAR, secret)
    cert = make_certificate(clerk, head, village)
    row = SigningKey.objects.get(kid=cert.kid)
    assert row.encrypted and '"d"' not in row.private_jwk
    assert json.loads(Fernet(secret.encode()).decrypt(row.private_jwk.encode()))["x"] == row.public_x
    keys.clear_caches()
    monkeypatch.setenv(keys.ENV_VAR, Fernet.generate_key().decode())
    with pytest.raises(keys.KeyConfigError):
        keys.signing_key_current()
    monkeypatch.delenv(keys.ENV_VAR)
    with pytest.raises(keys.KeyConfigError):
        keys.signing_key_current()


def test_plain_keys_can_be_encrypted_later(monkeypatch: Any, cert: Any) -> None:
    monkeypatch.delenv(keys.ENV_VAR, raising=False)
    assert not SigningKey.objects.get(kid=cert.kid).encrypted
    monkeypatch.setenv(keys.ENV_VAR, Fernet.generate_key().decode())
    call_command("keys", "encrypt")
    assert SigningKey.objects.get(kid=cert.kid).encrypted
    keys.clear_caches()
    assert keys.signing_key_current()[0] == cert.kid
    assert OKPKey.import_key(keys._unseal(SigningKey.objects.get(kid=cert.kid)).as_dict(private=True))


def test_check_warns_loudly_without_an_encryption_key(monkeypatch: Any) -> None:
    monkeypatch.delenv(keys.ENV_VAR, raising=False)
    assert [m.id for m in key_encryption_check()] == ["certificates.W001"]
    monkeypatch.setenv(keys.ENV_VAR, "not-a-fernet-key")
    assert [m.id for m in key_encryption_check()] == ["certificates.E001"]
    monkeypatch.setenv(keys.ENV_VAR, Fernet.generate_key().decode())
    assert key_encryption_check() == []


def test_keys_list_command(cert: Any, capsys: Any) -> None:
    call_command("keys", "list")
    assert cert.kid in capsys.readouterr().out


@pytest.mark.django_db
def test_a_kid_with_a_nul_byte_is_unknown_without_a_query() -> None:
    """Found by the property test on PostgreSQL, whose text columns refuse NUL: such a kid is simply unknown."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cunwu.certificates import keys

    with CaptureQueriesContext(connection) as ctx:
        assert keys._public_key("2026\x00kid") is None
    assert len(ctx.captured_queries) == 0
