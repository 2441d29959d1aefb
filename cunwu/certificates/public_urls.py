"""Public pages of the certificates app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import public_views as views

app_name = "certificates_public"
urlpatterns = [
    path(".well-known/jwks.json", views.jwks_view, name="jwks"),
    path("v/", views.verify_form, name="verify_form"),
    path("v/<str:token>", views.verify_page, name="verify"),
    path("apply/certificate/", views.apply_choose, name="apply"),
    path("apply/certificate/status/", views.apply_status, name="apply_status"),
    path("apply/certificate/<str:code>/", views.apply_form, name="apply_form"),
    path("apply/certificate/done/<str:ticket>/", views.apply_done, name="apply_done"),
    path("apply/certificate/done/<str:ticket>/receipt.pdf", views.apply_receipt, name="apply_receipt"),
    path("apply/certificate/done/<str:ticket>/refusal.pdf", views.apply_refusal, name="apply_refusal"),
    path("apply/certificate/done/<str:ticket>/commitment.pdf", views.apply_commitment, name="apply_commitment"),
    path("certificate-samples/", views.samples, name="samples"),
    path("certificate-samples/<int:pk>.pdf", views.sample_pdf, name="sample_pdf"),
]
