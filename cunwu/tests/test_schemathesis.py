"""Schemathesis fuzzes /api/v1/ from its own OpenAPI schema, in process over WSGI (no network).

Anonymously and with the bearer tokens of a village clerk, a village head and a county admin, a
bounded number of generated requests per operation: no 5xx, and every response (status, content
type, body) matches what the schema declares.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Requests that fit the schema: a deliberately schema-breaking path (e.g. /seals/-1) never reaches the
# API and gets the site's HTML 404, which is right but would fail the content-type check.
schema.config.generation.update(modes=[GenerationMode.POSITIVE])
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
PERSONAS = (None, "village_clerk", "village_head", "county_admin")
# 500s that secauth's work in issue 10 fixes (admission: negative years, screening input): known until merged.
KNOWN = {
    ("GET", "/api/v1/admission/public/results"): "secauth (issue 10) fixes the 500 on e.g. year=-126",
    ("POST", "/api/v1/admission/screen"): "secauth (issue 10) fixes the 500 on POST /api/v1/admission/screen",
}


@pytest.fixture
def _keep_connection() -> Iterator[None]:
    # The raw WSGI handler closes the database connection after each request (CONN_MAX_AGE = 0 on
    # PostgreSQL), which would end the test's transaction; Django's own test client does the same.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db: Any, _keep_connection: None) -> dict[str | None, dict[str, str]]:
    from cunwu.accounts.models import User
    from cunwu.accounts.services import api_token_issue

    out: dict[str | None, dict[str, str]] = {None: {}}
    for username in PERSONAS[1:]:
        raw, _ = api_token_issue(user=User.objects.get(username=username), label="schemathesis")
        out[username] = {"Authorization": f"Bearer {raw}"}
    return out


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=3,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_the_api_answers_generated_requests_as_its_schema_says(
    case: Any, tokens: dict[str | None, dict[str, str]], request: Any
) -> None:
    known = KNOWN.get((case.method.upper(), case.path))
    if known:
        request.applymarker(pytest.mark.xfail(reason=known, strict=False))
    from django.core.cache import cache

    for persona in PERSONAS:
        cache.clear()  # the token rate limit must not turn generated requests into 429s
        case.call_and_validate(headers=tokens[persona], checks=CHECKS)
