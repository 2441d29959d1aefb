from django.urls import path

from . import views

app_name = "seals"
urlpatterns = [
    path("", views.seal_list, name="seal_list"),
    path("new/", views.seal_new, name="seal_new"),
    path("<int:pk>/", views.seal_detail, name="seal_detail"),
    path("<int:pk>/edit/", views.seal_edit, name="seal_edit"),
    path("<int:pk>/file/", views.seal_file, name="seal_file"),
    path("<int:pk>/status/", views.seal_status, name="seal_status"),
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/documents/", views.request_document, name="request_document"),
    path("requests/<int:pk>/documents/<int:doc>/", views.document_download, name="document_download"),
    path("requests/<int:pk>/resolution/", views.request_resolution, name="request_resolution"),
    path("requests/<int:pk>/submit/", views.request_submit, name="request_submit"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/stamp/", views.request_stamp, name="request_stamp"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("handovers/", views.handover_list, name="handover_list"),
    path("handovers/new/", views.handover_new, name="handover_new"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/confirm/", views.handover_confirm, name="handover_confirm"),
    path("handovers/<int:pk>/refuse/", views.handover_refuse, name="handover_refuse"),
    path("handovers/<int:pk>/cancel/", views.handover_cancel, name="handover_cancel"),
    path("handovers/<int:pk>/acknowledge/", views.handover_acknowledge, name="handover_acknowledge"),
    path("oversight/", views.oversight, name="oversight"),
]
