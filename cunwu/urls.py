from __future__ import annotations

from django.contrib import admin
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import include, path

from cunwu.api import api
from cunwu.certificates.api import verify_view
from cunwu.portal.urls import public_includes


def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # noqa: BLE001 - any database failure means "not ok", whatever its type
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if database == "ok" else "degraded", "database": database}, status=status)


def livez(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the process answers; no database, no session."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("livez", livez, name="livez"),
    path("healthz", healthz, name="healthz"),
    # The hot public endpoint, served without django-ninja's routing (same answers; see verify_view).
    path("api/v1/certificates/verify", verify_view, name="certificates_verify"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("cunwu.accounts.urls")),
    path("audit/", include("cunwu.audit.urls")),
    path("catalogs/", include("cunwu.catalogs.urls")),
    path("admission/", include("cunwu.admission.urls")),
    path("reporting/", include("cunwu.reporting.urls")),
    path("signs/", include("cunwu.signs.urls")),
    path("certificates/", include("cunwu.certificates.urls")),
    path("seals/", include("cunwu.seals.urls")),
    path("oversight/", include("cunwu.oversight.urls")),
    path("ledger/", include("cunwu.ledger.urls")),
    path("complaints/", include("cunwu.complaints.urls")),
    path("villagework/", include("cunwu.villagework.urls")),
    # Public pages (portal, verification at /v/<token>, jwks) are mounted at the root by the portal.
    path("", include("cunwu.portal.urls")),
    *public_includes,
]

handler404 = "cunwu.portal.views.not_found"
handler403 = "cunwu.portal.views.forbidden"
handler500 = "cunwu.portal.views.server_error"
