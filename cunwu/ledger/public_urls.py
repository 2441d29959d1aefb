"""Public pages of the ledger app (no login), mounted at the site root by the portal."""

from django.urls import path

from . import views

app_name = "ledger_public"
urlpatterns = [
    path("ledger/", views.public_heads, name="heads"),
    path("ledger/<str:chain>/", views.public_chain, name="chain"),
    path(".well-known/ledger-key", views.ledger_key, name="ledger_key"),
]
