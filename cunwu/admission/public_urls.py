"""Public pages of the admission app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import views

app_name = "admission_public"
urlpatterns = [
    path("zhunru/", views.public_results, name="results"),
    path("zhunru/zhize/<str:code>/", views.public_remits, name="remits"),
]
