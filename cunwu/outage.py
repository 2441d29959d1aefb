"""The database is unreachable (PostgreSQL restarting, a failover, the network): answer 503 with
Retry-After instead of a 500, and let the next request reconnect.

Django closes a connection that raised at the end of the request, and CONN_HEALTH_CHECKS makes the
next request test a kept connection before using it, so the app recovers by itself once the database
is back; nothing here restarts anything. The page and the JSON body are built without touching the
database (no session, no header menu).
"""

from __future__ import annotations

import json
import logging

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER = 5  # seconds: a restart or failover is usually over by then
DETAIL = "系统暂时无法连接数据库，请稍后再试。您刚才提交的内容可能没有保存，请稍后重新提交。"
CODE = "database_unavailable"

log = logging.getLogger(__name__)


def is_database_outage(exc: BaseException | None) -> bool:
    """True for the errors a lost or refused database connection raises."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 for a person (a Chinese page) or a program (`{"detail", "code"}` under /api/ or when JSON is asked)."""
    log.warning("database unavailable, answered 503 for %s", request.path)
    wants_json = request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        response = HttpResponse(
            json.dumps({"detail": DETAIL, "code": CODE}, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html", {"detail": DETAIL}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response
