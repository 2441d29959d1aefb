"""The API documents every certificates operation (DESIGN.md §4: /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_operations(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/certificates/verify",
        "/api/v1/certificates/applications",
        "/api/v1/certificates/applications/{app_id}/decision",
        "/api/v1/certificates/applications/{app_id}/issue",
        "/api/v1/certificates/issued/{cert_id}/revoke",
        "/api/v1/certificates/register",
        "/api/v1/certificates/stats",
    ):
        assert path in paths
    verify = paths["/api/v1/certificates/verify"]["get"]
    assert "security" not in verify  # public: no login
