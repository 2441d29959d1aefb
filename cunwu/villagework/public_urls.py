"""Public pages of the villagework app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import public_views

app_name = "villagework_public"
urlpatterns = [
    path("manyi/", public_views.survey, name="survey"),
    path("gangwei/<str:code>/", public_views.posts, name="posts"),
]
