from django.urls import path

from . import views

app_name = "villagework"
urlpatterns = [
    path("", views.home, name="home"),
    path("evaluations/<int:pk>/surveys/", views.surveys, name="surveys"),
    path("surveys/<int:pk>/codes/", views.survey_codes, name="survey_codes"),
    path("funding/<int:pk>/advance/", views.funding_advance, name="funding_advance"),
    path("<str:code>/", views.region, name="region"),
]
