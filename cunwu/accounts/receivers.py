"""Signals from libraries we do not own, handed straight to a service."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from .services import account_locked_out


@receiver(user_locked_out, dispatch_uid="cunwu.accounts.locked_out")
def locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    # A lock-out may mean someone is guessing the password: every token and session ends now.
    if username:
        account_locked_out(username=username)
