"""Public pages of the oversight app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import public_views

app_name = "oversight_public"
# Under /gongkai/ beside the catalogs; no trailing slash, so the catalogs' /gongkai/<code>/ never catches it.
urlpatterns = [
    path("gongkai/fudan", public_views.open_data, name="open_data"),
    path("gongkai/fudan.csv", public_views.open_data_file, {"fmt": "csv"}, name="open_data_csv"),
    path("gongkai/fudan.json", public_views.open_data_file, {"fmt": "json"}, name="open_data_json"),
]
