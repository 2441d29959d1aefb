from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cunwu.accounts.navigation import public_nav
from cunwu.regions.models import Region


def home(request: HttpRequest) -> HttpResponse:
    """The public portal: what villagers, agencies and anyone can look up without signing in."""
    province = Region.objects.filter(level="province").first()
    return render(request, "portal/home.html", {"sections": public_nav(), "province": province})


def robots(request: HttpRequest) -> HttpResponse:
    return HttpResponse("User-agent: *\nDisallow: /api/\nDisallow: /accounts/\nDisallow: /v/\n", content_type="text/plain")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
