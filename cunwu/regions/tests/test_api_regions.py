from __future__ import annotations


def test_region_detail_lists_children(api, db):
    response = api(None).get("regions/530124000000")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "富民县"
    assert body["level"] == "county"
    assert body["parent"] == "530100000000"
    assert [c["code"] for c in body["children"]][:3] == ["530124001000", "530124002000", "530124103000"]
    assert {c["level"] for c in body["children"]} == {"township"}


def test_province_has_no_parent(api, db):
    body = api(None).get("regions/530000000000").json()
    assert body["parent"] is None
    assert len(body["children"]) == 16


def test_village_level_and_community_level(api, db):
    body = api(None).get("regions/530124103200").json()
    assert body["level"] == "village"
    assert body["children"] == []
    assert body["households"] > 0


def test_unknown_region_is_404_with_chinese_detail(api, db):
    response = api(None).get("regions/530124999999")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_region"
    assert "530124999999" in response.json()["detail"]


def test_malformed_code_is_422(api, db):
    response = api(None).get("regions/53012")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_region_code"


def test_healthz(client, db):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
