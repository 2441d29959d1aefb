"""Authentication for the API: bearer tokens for clients, the session (with CSRF) for our pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from cunwu.accounts.services import api_token_user

        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The signed-in browser session; django-ninja checks CSRF for unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        from cunwu.accounts.middleware import session_verified
        from cunwu.accounts.services import two_factor_required

        user = super().authenticate(request, key)
        if user is None or not user.is_active or getattr(user, "must_change_password", False):
            return None
        # The pages' gates (password change, TOTP) hold for the session's API calls too.
        if two_factor_required(user) and not session_verified(user):
            return None
        return user


AUTH = [BearerToken(), Session()]
