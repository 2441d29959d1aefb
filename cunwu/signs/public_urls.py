"""Public pages of the signs app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import public_views

app_name = "signs_public"
urlpatterns = [
    path("facilities/standard/", public_views.facility_standard, name="facility_standard"),
]
