from django.urls import path

from . import views

app_name = "signs"
urlpatterns = [
    path("", views.home, name="home"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/scan/", views.report_run, name="report_run"),
    path("region/<str:code>/export.xlsx", views.report_export, name="report_export"),
    path("village/<str:code>/", views.village, name="village"),
    path("village/<str:code>/signs/new/", views.sign_new, name="sign_new"),
    path("village/<str:code>/facility/", views.facility_edit, name="facility_edit"),
    path("village/<str:code>/mechanisms/new/", views.mechanism_new, name="mechanism_new"),
    path("sign/<int:pk>/edit/", views.sign_edit, name="sign_edit"),
    path("sign/<int:pk>/remove/", views.sign_remove, name="sign_remove"),
    path("photo/<int:pk>/", views.photo, name="photo"),
    path("mechanism/<int:pk>/edit/", views.mechanism_edit, name="mechanism_edit"),
    path("mechanism/<int:pk>/end/", views.mechanism_end, name="mechanism_end"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/review/", views.request_review, name="request_review"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/revoke/", views.request_revoke, name="request_revoke"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/batches/new/", views.batch_new, name="batch_new"),
    path("tasks/<int:pk>/", views.task_do, name="task_do"),
]
