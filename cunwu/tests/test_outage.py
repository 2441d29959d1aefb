"""The database unreachable mid-request (PostgreSQL restarting): 503 with Retry-After, a Chinese page or
`{"detail", "code"}`, never a 500 traceback; the next request works again without restarting anything.
A real restart under load is bench/bench_faults.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db.utils import InterfaceError, OperationalError
from django.test import Client, RequestFactory

from cunwu.outage import CODE
from cunwu.portal import views as portal_views

pytestmark = pytest.mark.django_db


def _lost(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_the_error_handler_answers_503_while_a_database_error_is_being_handled(error: type[Exception]) -> None:
    request = RequestFactory().get("/zhaocun/")
    try:
        raise error("connection refused")
    except error:
        response = portal_views.server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    page = response.content.decode()
    assert "系统暂时无法服务" in page and "稍后再试" in page and "Traceback" not in page


def test_other_errors_stay_500() -> None:
    request = RequestFactory().get("/zhaocun/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = portal_views.server_error(request)
    assert response.status_code == 500 and "Retry-After" not in response


def test_a_page_during_an_outage_is_503_and_the_next_request_recovers(monkeypatch: pytest.MonkeyPatch) -> None:
    client = Client(raise_request_exception=False)
    with monkeypatch.context() as m:
        m.setattr(portal_views, "places_search", _lost)
        r = client.get("/zhaocun/", {"q": "罗免"})
    assert r.status_code == 503 and r["Retry-After"] == "5"
    assert "系统暂时无法服务" in r.content.decode()
    again = client.get("/zhaocun/", {"q": "罗免"})
    assert again.status_code == 200 and "罗免镇" in again.content.decode()


def test_a_program_gets_json_detail_and_code(monkeypatch: pytest.MonkeyPatch) -> None:
    from cunwu.catalogs import api as catalogs_api

    client = Client(raise_request_exception=False)
    monkeypatch.setattr(catalogs_api, "catalog_in_force", _lost)
    r = client.get("/api/v1/catalogs/duty")
    assert r.status_code == 503 and r["Retry-After"] == "5"
    body = json.loads(r.content)
    assert body["code"] == CODE and "数据库" in body["detail"]
    page = client.get("/zhaocun/", {"q": "罗免"}, HTTP_ACCEPT="application/json")
    assert page.status_code == 200  # the page itself is fine; only the broken call was 503
