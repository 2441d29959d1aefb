"""The ledger's Ed25519 signing key: signs tree heads as C2SP signed notes.

Stored like the certificate signing keys: the private key wrapped by CUNWU_KEY_ENCRYPTION_KEY
(`cunwu.keywrap`). Its name is the log's origin (`<host>/ledger`, or CUNWU_LEDGER_ORIGIN), and its
verifier key is published at /.well-known/ledger-key, beside the JWKS; retired keys stay published.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunwu import keywrap
from cunwu.audit.services import audit_record

from . import notes
from .models import LedgerKey


def ledger_origin() -> str:
    """The checkpoint origin line: CUNWU_LEDGER_ORIGIN, else `<host of CUNWU_BASE_URL>/ledger`."""
    configured = getattr(settings, "CUNWU_LEDGER_ORIGIN", "")
    return configured or f"{urlsplit(settings.BASE_URL).netloc or 'cunwu'}/ledger"


def _new_row(now: Any) -> LedgerKey:
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    sealed, encrypted = keywrap.wrap(base64.b64encode(raw).decode("ascii"))
    public = base64.b64encode(notes.public_bytes(private.public_key())).decode("ascii")
    return LedgerKey(
        name=ledger_origin(), public=public, private=sealed, encrypted=encrypted, current=True, created_at=now
    )


def ledger_key_current() -> tuple[str, Ed25519PrivateKey]:
    """(name, private key) of the current ledger key, made on first use."""
    row = LedgerKey.objects.filter(current=True).first()
    if row is None:
        try:
            with transaction.atomic():
                row = _new_row(timezone.now())
                row.save(force_insert=True)
                audit_record(actor="system", action="ledger.key.create", obj=row, after={"name": row.name})
        except IntegrityError:
            row = LedgerKey.objects.get(current=True)
    raw = keywrap.unwrap(row.private, row.encrypted, label=f"存证签名密钥 {row.name} ", purpose="签署存证点")
    return row.name, Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw))


def ledger_key_rotate(*, actor: Any = None) -> LedgerKey:
    """Retire the current ledger key (its verifier key stays published) and make a new one current."""
    now = timezone.now()
    with transaction.atomic():
        old = list(LedgerKey.objects.select_for_update().filter(current=True))
        LedgerKey.objects.filter(pk__in=[k.pk for k in old]).update(current=False, retired_at=now)
        row = _new_row(now)
        row.save(force_insert=True)
        audit_record(actor=actor, action="ledger.key.rotate", obj=row, after={"name": row.name})
    return row


def ledger_keys_encrypt(*, actor: Any = None) -> int:
    """Wrap ledger keys stored unwrapped once CUNWU_KEY_ENCRYPTION_KEY is set; returns how many."""
    done = 0
    with transaction.atomic():
        for row in LedgerKey.objects.select_for_update().filter(encrypted=False):
            row.private = keywrap.wrap_again(row.private)
            row.encrypted = True
            row.save(update_fields=["private", "encrypted"])
            audit_record(actor=actor, action="ledger.key.encrypt", obj=row, after={"name": row.name})
            done += 1
    return done


def ledger_verifier_keys() -> list[str]:
    """Every ledger key as a note verifier key (`name+keyid+base64`), current first, retired ones after."""
    rows = LedgerKey.objects.order_by("-current", "-created_at").values_list("name", "public")
    return [notes.verifier_key(name, base64.b64decode(public)) for name, public in rows]
