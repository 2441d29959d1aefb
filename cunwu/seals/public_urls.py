"""Public pages of the seals app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "seals_public"
urlpatterns: list = []
