"""GET /api/v1/regions/{code}: public, the DESIGN.md §4 shape, Chinese errors, rate-limited."""

from __future__ import annotations

import pytest


def test_region_detail_lists_children(api, db):
    response = api(None).get("regions/530124000000")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "富民县"
    assert body["level"] == "county"
    assert body["parent"] == "530100000000"
    assert [c["code"] for c in body["children"]][:3] == ["530124001000", "530124002000", "530124103000"]
    assert {c["level"] for c in body["children"]} == {"township"}
    assert set(body["children"][0]) == {"code", "name", "level"}


def test_province_has_no_parent(api, db):
    body = api(None).get("regions/530000000000").json()
    assert body["parent"] is None
    assert len(body["children"]) == 16


def test_township_lists_its_villages_with_levels(api, db):
    body = api(None).get("regions/530124103000").json()
    assert body["level"] == "township"
    assert [c["code"] for c in body["children"]][:2] == ["530124103200", "530124103201"]
    assert {c["level"] for c in body["children"]} <= {"village", "community"}


def test_village_level_and_community_level(api, db):
    body = api(None).get("regions/530124103200").json()
    assert body["level"] == "village"
    assert body["parent"] == "530124103000"
    assert body["children"] == []
    assert body["households"] > 0


def test_unknown_region_is_404_with_chinese_detail(api, db):
    response = api(None).get("regions/530124999999")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_region"
    assert "530124999999" in response.json()["detail"]


@pytest.mark.parametrize("code", ["53012", "53012410320a", "5301241032001"])
def test_malformed_code_is_422(api, db, code):
    response = api(None).get(f"regions/{code}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_region_code"
    assert "12位数字" in response.json()["detail"]


@pytest.mark.parametrize("persona", [None, "clerk", "auditor", "province_admin"])
def test_regions_are_public_to_everyone(api, db, request, persona):
    user = request.getfixturevalue(persona) if persona else None
    assert api(user).get("regions/530124103000").status_code == 200


def test_rate_limited_past_the_public_limit(api, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 3}
    client = api(None)
    assert [client.get("regions/530124000000").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("regions/530124000000")
    assert response.status_code == 429
    assert response.json() == {"detail": "请求过于频繁，请稍后再试。", "code": "rate_limited"}


def test_openapi_documents_the_regions_endpoint(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/regions/{code}" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.parametrize("persona", [None, "clerk"])
def test_healthz(client_for, client, db, request, persona):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    assert c.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_livez_answers_without_the_database_or_a_session(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "sessionid" not in response.cookies


def test_region_detail_is_one_query(api, db, django_assert_num_queries):
    client = api(None)
    client.get("regions/530124103000")
    with django_assert_num_queries(1):
        assert client.get("regions/530124103000").status_code == 200
