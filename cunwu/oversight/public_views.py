"""Open data (公开): county-level and above burden figures as CSV (UTF-8 with BOM) and JSON, with a
data dictionary. Anonymous on purpose: aggregated figures of public bodies, no person, no village."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from cunwu.dbrouting import reads_from_replica
from cunwu.documents import write_csv
from cunwu.errors import Invalid
from cunwu.throttling import RateLimited, check_rate

from . import rules, selectors


def _period(request: HttpRequest) -> rules.Period:
    if not request.GET.get("year"):
        today = timezone.localdate()
        last = rules.previous_month(today.replace(day=1))
        return rules.Period(last.year, month=last.month)
    return selectors.period_from(request.GET.get("year"), request.GET.get("quarter"), request.GET.get("month"))


def _error(exc: Invalid | RateLimited) -> JsonResponse:
    body: dict[str, object] = {"detail": exc.detail, "code": exc.code}
    if isinstance(exc, Invalid):
        body["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    return JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})


@reads_from_replica
def open_data(request: HttpRequest) -> HttpResponse:
    """The page: what is published, the dictionary, and links to the files."""
    today = timezone.localdate()
    last = rules.previous_month(today.replace(day=1))
    return render(
        request,
        "oversight/open_data.html",
        {"dictionary": selectors.open_data_dictionary(), "year": last.year, "month": last.month},
    )


@reads_from_replica
def open_data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        check_rate(request, "public")
        period = _period(request)
    except (Invalid, RateLimited) as exc:
        return _error(exc)
    rows = selectors.open_data_rows(period)
    name = f"burden-{period.key}"
    if fmt == "json":
        body = {
            "period": period.key,
            "dictionary": [
                {"column": c, "meaning": m, "unit": u, "clause": cl} for c, m, u, cl in selectors.open_data_dictionary()
            ],
            "rows": rows,
        }
        response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
    else:
        columns = [c for c, *_ in selectors.open_data_dictionary()]
        data = write_csv(columns, [[r.get(c, "") for c in columns] for r in rows])  # UTF-8 with BOM
        response = HttpResponse(data, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
