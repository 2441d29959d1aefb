"""Inputs that once gave 500s under fuzzing (issue 10) are 422 with a Chinese message."""

from __future__ import annotations

from typing import Any

import pytest

RESULTS = "/api/v1/admission/public/results"
SCREEN = "/api/v1/admission/screen"


@pytest.mark.parametrize("year", ["-126", "0", "1", "99999", "abc"])
def test_an_impossible_year_is_422(client: Any, db: Any, year: str) -> None:
    response = client.get(RESULTS, {"year": year})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["errors"][0]["field"] == "year"


def test_a_real_year_still_answers(client: Any, db: Any) -> None:
    assert client.get(RESULTS, {"year": "2027"}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        b"\xff\xfe{}",
        "null",
        "[]",
        '{"title": {"x": 1}, "content": "b", "region": "530124000000"}',
        '{"title": "a\\ud800", "content": "b", "region": "530124000000"}',
        '{"title": "a", "content": "b\\u0000", "region": "530124000000"}',
        '{"title": "a", "content": "b", "region": "530124000000", "pledge": "maybe"}',
    ],
)
def test_malformed_screen_bodies_are_422(api: Any, department: Any, body: Any) -> None:
    client = api(department)
    response = client.client.post(SCREEN, body, content_type="application/json", headers=client.headers)
    assert response.status_code == 422, response.content
    assert response.json()["detail"]
