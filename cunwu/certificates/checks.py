"""System checks: `manage.py check` says loudly when signing keys would be stored unencrypted."""

from __future__ import annotations

from typing import Any

from django.core import checks

from cunwu.keywrap import ENV_VAR, KeyConfigError, kek


@checks.register(checks.Tags.security, deploy=False)
def key_encryption_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        fernet = kek()
    except KeyConfigError as exc:
        return [checks.Error(str(exc), hint=_HINT, id="certificates.E001")]
    if fernet is None:
        return [
            checks.Warning(
                f"!!! {ENV_VAR} is not set: certificate and ledger signing keys (Ed25519 private keys) and "
                "personal-data keys are stored UNENCRYPTED in the database. Anyone who can read the "
                "database can forge certificates and read ID numbers.",
                hint=_HINT + " Then run `cunwu keys encrypt` to encrypt the keys already stored.",
                id="certificates.W001",
            )
        ]
    return []


_HINT = (
    f"Set {ENV_VAR} to a Fernet key, e.g. the output of "
    "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`, and keep it "
    "outside the database backups."
)
