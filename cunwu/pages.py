"""Domain errors raised while rendering a page become the fitting error page (404, 403, 409, 422)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cunwu.errors import DomainError

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
