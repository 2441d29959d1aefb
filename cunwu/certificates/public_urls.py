"""Public pages of the certificates app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "certificates_public"
urlpatterns: list = []
