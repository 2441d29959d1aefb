"""Gates before anything else: an administrator-set password is changed first, and where two-factor
sign-in is required the session is verified with a TOTP code before any page opens.

The API is gated in `cunwu.apiauth` and `accounts.api` (tokens and sessions are refused there).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import two_factor_required

# Pages that stay reachable: changing the password itself, leaving, and public or static content.
_ALLOWED_PREFIXES = ("/static/", "/api/", "/healthz", "/livez")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            allowed = {reverse("accounts:password_change"), reverse("accounts:logout")}
            if request.path not in allowed and not request.path.startswith(_ALLOWED_PREFIXES):
                return redirect("accounts:password_change")
        return self.get_response(request)


def session_verified(user: object) -> bool:
    """Whether the session passed a TOTP check (django-otp's middleware adds `is_verified`)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified()) if callable(is_verified) else False


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and two_factor_required(user)
            and not session_verified(user)
        ):
            page = reverse("accounts:two_factor")
            allowed = {page, reverse("accounts:logout"), reverse("accounts:password_change")}
            if request.path not in allowed:
                return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
