from django.urls import path

from . import views

app_name = "ledger"
# Staff pages live under /ledger/chains/; the public pages (/ledger/, /ledger/<code>/) are in public_urls.
urlpatterns = [
    path("chains/", views.chain_list, name="chains"),
    path("chains/<str:chain>/", views.chain_detail, name="chain"),
    path("chains/<str:chain>/verify", views.chain_check, name="verify"),
]
