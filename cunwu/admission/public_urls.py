"""Public pages of the admission app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "admission_public"
urlpatterns: list = []
