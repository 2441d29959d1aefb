from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import audit_entry_list_for


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "").strip() for k in ("action", "actor", "region", "since", "until")}
    date_error = any(f[k] and _date(f[k]) is None for k in ("since", "until"))
    entries = audit_entry_list_for(
        request.user, action=f["action"], actor=f["actor"], region=f["region"], since=_date(f["since"]), until=_date(f["until"])
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "audit/_rows.html" if request.htmx else "audit/list.html"
    return render(request, template, {"page": page, "f": f, "date_error": date_error})
