from django.urls import include, path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("zhaocun/", views.places, name="places"),
    path("robots.txt", views.robots, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
]

# Each app's public pages (catalog disclosure, 我要开证明, /v/<token>, jwks, …) keep their own URLs.
public_includes = [
    path("", include("cunwu.catalogs.public_urls")),
    path("", include("cunwu.certificates.public_urls")),
    path("", include("cunwu.signs.public_urls")),
    path("", include("cunwu.admission.public_urls")),
    path("", include("cunwu.seals.public_urls")),
    path("", include("cunwu.ledger.public_urls")),
    path("", include("cunwu.oversight.public_urls")),
    path("", include("cunwu.complaints.public_urls")),
    path("", include("cunwu.villagework.public_urls")),
]
