from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_new, name="new"),
    path("a/<int:pk>/", views.application_detail, name="detail"),
    path("a/<int:pk>/decide/", views.application_decide_view, name="decide"),
    path("a/<int:pk>/issue/", views.application_issue_view, name="issue"),
    path("a/<int:pk>/return/", views.application_return_view, name="return"),
    path("a/<int:pk>/withdraw/", views.application_withdraw_view, name="withdraw"),
    path("a/<int:pk>/personal/", views.application_personal_view, name="personal"),
    path("a/<int:pk>/materials/", views.application_materials_view, name="materials"),
    path("a/<int:pk>/receipt.pdf", views.receipt_pdf, name="receipt"),
    path("a/<int:pk>/refusal.pdf", views.refusal_pdf, name="refusal"),
    path("a/<int:pk>/commitment.pdf", views.commitment_pdf, name="commitment"),
    path("m/<int:pk>/", views.material_download, name="material"),
    path("c/<int:pk>/", views.certificate_detail, name="certificate"),
    path("c/<int:pk>/pdf/", views.certificate_pdf_view, name="pdf"),
    path("c/<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("register/", views.register, name="register"),
    path("register.xlsx", views.register_xlsx, name="register_xlsx"),
    path("stats/", views.stats, name="stats"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("templates/", views.templates, name="templates"),
    path("templates/new/", views.template_edit, name="template_new"),
    path("templates/<int:pk>/", views.template_edit, name="template"),
    path("templates/<int:pk>/publish/", views.template_publish_view, name="template_publish"),
    path("templates/<int:pk>/sample.pdf", views.template_sample, name="template_sample"),
]
