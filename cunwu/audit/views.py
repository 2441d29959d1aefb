from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cunwu.paging import ScopePaginator

from .selectors import audit_entry_list_for, audit_object_types

FILTERS = ("action", "actor", "object_type", "region", "since", "until")


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in FILTERS}
    date_error = any(f[k] and _date(f[k]) is None for k in ("since", "until"))
    entries = audit_entry_list_for(
        request.user,
        action=f["action"],
        actor=f["actor"],
        object_type=f["object_type"],
        region=f["region"],
        since=_date(f["since"]),
        until=_date(f["until"]),
    )
    page = ScopePaginator(entries, 50).get_page(request.GET.get("page"))
    # Page links keep the filters: the query string without `page`.
    query = request.GET.copy()
    query.pop("page", None)
    context = {"page": page, "f": f, "date_error": date_error, "query": query.urlencode()}
    if getattr(request, "htmx", False):  # django-htmx middleware sets it
        return render(request, "audit/_rows.html", context)
    kinds = audit_object_types()
    if f["object_type"] and f["object_type"] not in dict(kinds):  # a type typed into the address: keep it shown
        kinds.append((f["object_type"], f["object_type"]))
    context["object_types"] = kinds
    return render(request, "audit/list.html", context)
