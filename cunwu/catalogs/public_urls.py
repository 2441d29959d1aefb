"""Public pages of the catalogs app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "catalogs_public"
urlpatterns: list = []
