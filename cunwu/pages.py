"""Domain errors raised while rendering a page become the fitting error page (404, 403, 409, 422)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cunwu.errors import DomainError, Invalid

T = TypeVar("T")

_TEMPLATES = {404: "404.html", 403: "403.html"}


class DomainErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError) or request.path.startswith("/api/"):
            return None
        template = _TEMPLATES.get(exc.status, "error.html")
        return render(request, template, {"detail": exc.detail, "status": exc.status}, status=exc.status)


def attempt(
    request: HttpRequest, action: Callable[[], T], success: str | Callable[[Any], str] = ""
) -> tuple[bool, T | None]:
    """Run one service call for a page and tell the person how it went.

    Outside scope (404) or not allowed (403) go on to the error pages; any other domain error (a
    conflict, a rule, a validation) becomes a plain-Chinese message on the page they came from.
    """
    try:
        result = action()
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        detail = "；".join(e.message for e in exc.errors) if isinstance(exc, Invalid) and exc.errors else exc.detail
        messages.error(request, detail)
        return False, None
    if success:
        messages.success(request, success(result) if callable(success) else success)
    return True, result


def media_file(relative: str, mime: str) -> FileResponse:
    """A stored upload under MEDIA_ROOT for a person a selector already let see it; 404 when missing
    or when the path would leave MEDIA_ROOT."""
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=mime)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
