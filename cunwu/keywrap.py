"""Key wrapping: private and data keys kept in the database, encrypted under CUNWU_KEY_ENCRYPTION_KEY.

One Fernet key-encryption key (KEK) from the environment wraps every key the database holds: the
certificate signing keys, the personal-data keys and the ledger signing key. A backup of the
database therefore carries wrapped keys only, and the KEK stays outside it. Without the variable,
keys are stored unwrapped and `manage.py check` warns loudly (certificates.W001).
"""

from __future__ import annotations

import binascii
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from cunwu.errors import DomainError

ENV_VAR = "CUNWU_KEY_ENCRYPTION_KEY"


class KeyConfigError(DomainError):
    """A stored key cannot be used (wrapped, but CUNWU_KEY_ENCRYPTION_KEY missing or wrong).

    A configuration fault, not the user's: 503, and nothing is written.
    """

    status = 503
    default_code = "signing_unavailable"


def encryption_secret() -> str:
    return (os.environ.get(ENV_VAR) or getattr(settings, "CUNWU_KEY_ENCRYPTION_KEY", "") or "").strip()


def kek() -> Fernet | None:
    """The key-encryption key, or None when the variable is not set."""
    secret = encryption_secret()
    if not secret:
        return None
    try:
        return Fernet(secret.encode())
    except (ValueError, binascii.Error) as exc:
        raise KeyConfigError(f"{ENV_VAR} 不是有效的 Fernet 密钥（应为 32 字节、URL 安全的 base64 编码）。") from exc


def wrap(raw: str) -> tuple[str, bool]:
    """`raw` wrapped under the KEK, and whether it was (False: stored as is, no KEK configured)."""
    f = kek()
    if f is None:
        return raw, False
    return f.encrypt(raw.encode()).decode("ascii"), True


def unwrap(stored: str, encrypted: bool, *, label: str, purpose: str) -> str:
    """The key as it was before `wrap`; `label` names the key and `purpose` what fails without it."""
    if not encrypted:
        return stored
    f = kek()
    if f is None:
        raise KeyConfigError(f"{label} 已加密保存，但未设置环境变量 {ENV_VAR}，无法{purpose}。")
    try:
        return f.decrypt(stored.encode()).decode()
    except InvalidToken as exc:
        raise KeyConfigError(f"{ENV_VAR} 与加密{label}时所用的不一致，无法{purpose}。") from exc


def wrap_again(stored: str) -> str:
    """An unwrapped stored key, now wrapped (for `cunwu keys encrypt`); raises without a KEK."""
    f = kek()
    if f is None:
        raise KeyConfigError(f"未设置 {ENV_VAR}，无法加密密钥。")
    return f.encrypt(stored.encode()).decode("ascii")
