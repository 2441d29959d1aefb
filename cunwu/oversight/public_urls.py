"""Public pages of the oversight app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "oversight_public"
urlpatterns: list = []
