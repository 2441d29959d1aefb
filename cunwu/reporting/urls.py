from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/export.xlsx", views.request_export, name="request_export"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("counties/<str:county>/elements/", views.element_list, name="element_list"),
    path("counties/<str:county>/elements/<int:pk>/", views.element_edit, name="element_edit"),
    path("counties/<str:county>/<int:year>/", views.consolidation, name="consolidation"),
    path("counties/<str:county>/<int:year>/merge/", views.merge_decide, name="merge_decide"),
    path("counties/<str:county>/<int:year>/publish/", views.plan_publish, name="plan_publish"),
    path("villages/<str:village>/<str:period>/", views.filing, name="filing"),
    path("filings/<int:pk>/decide/", views.filing_decide, name="filing_decide"),
]
