"""Public pages of the ledger app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "ledger_public"
urlpatterns: list = []
