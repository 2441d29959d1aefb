"""Public pages of the signs app (no login), mounted at the site root by the portal."""

from django.urls import path  # noqa: F401

app_name = "signs_public"
urlpatterns: list = []
