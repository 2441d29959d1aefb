"""Verification keeps rows and signatures per process (issue 17); a revocation still shows within a second."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from .. import selectors
from ..models import Certificate, CertificateStatus
from ..selectors import VERIFY_FRESH, certificate_verify
from ..services import certificate_revoke
from .helpers import make_certificate

pytestmark = pytest.mark.django_db
URL = "/api/v1/certificates/verify"


class Clock:
    """Stands in for time.monotonic in the selectors, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _revoke_as_another_process_would(cert: Certificate) -> None:
    # Another app process commits the revocation: the row changes, this process is not told.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Certificate._meta.db_table} SET status = %s, revoked_at = %s, revocation_reason = %s "
            "WHERE id = %s",
            [CertificateStatus.REVOKED, timezone.now(), "材料不实", cert.pk],
        )


def test_a_revocation_in_another_process_shows_within_one_second(
    clerk: Any, head: Any, village: Any, monkeypatch: Any
) -> None:
    clock = Clock()
    monkeypatch.setattr(selectors.time, "monotonic", clock)
    cert = make_certificate(clerk, head, village)
    assert certificate_verify(cert.token)["status"] == "valid"  # the row is now kept in this process
    _revoke_as_another_process_would(cert)
    clock.now += VERIFY_FRESH
    answer = certificate_verify(cert.token)
    assert (answer["status"], answer["valid"], answer["revocation_reason"]) == ("revoked", False, "材料不实")
    assert VERIFY_FRESH <= 1.0


def test_a_kept_row_is_reused_only_while_fresh(clerk: Any, head: Any, village: Any, monkeypatch: Any) -> None:
    clock = Clock()
    monkeypatch.setattr(selectors.time, "monotonic", clock)
    cert = make_certificate(clerk, head, village)
    certificate_verify(cert.token)
    _revoke_as_another_process_would(cert)
    clock.now += VERIFY_FRESH / 2
    assert certificate_verify(cert.token)["status"] == "valid"  # within the window: the kept row
    clock.now += VERIFY_FRESH / 2
    assert certificate_verify(cert.token)["status"] == "revoked"


def test_a_revocation_in_this_process_shows_at_once(clerk: Any, head: Any, village: Any, monkeypatch: Any) -> None:
    clock = Clock()
    monkeypatch.setattr(selectors.time, "monotonic", clock)
    cert = make_certificate(clerk, head, village)
    assert certificate_verify(cert.token)["status"] == "valid"
    certificate_revoke(actor=head, certificate=cert, reason="材料不实")
    assert certificate_verify(cert.token)["status"] == "revoked"


def test_the_plain_view_answers_as_the_api_operation(clerk: Any, head: Any, village: Any, settings: Any) -> None:
    """The fast view in front of django-ninja keeps the contract: 200, 422, 429, 405 and the cleaning."""
    from django.test import RequestFactory

    from cunwu.api import api

    cert = make_certificate(clerk, head, village)
    # The django-ninja operation that api.urls routes the path to (shadowed by the plain view).
    operation: Any = next(p.callback for p in api.urls[0] if str(p.pattern) == "certificates/verify")
    plain = Client()
    for params in (
        {"token": cert.token},
        {"token": "\u200b" + cert.token},  # zero-width stripped, as the API's parser does
        {"token": "a.b.c"},
        {"token": ""},
        {},
        {"token": cert.token + "\u202e"},  # direction override: 422 at the field
        {"token": cert.token, "other": "\x00"},
    ):
        via_ninja = operation(RequestFactory().get(URL, params, REMOTE_ADDR="192.0.2.1"))
        via_plain = plain.get(URL, params)
        assert via_plain.status_code == via_ninja.status_code, params
        assert json.loads(via_plain.content) == json.loads(via_ninja.content), params
        assert via_plain["Content-Type"].startswith("application/json")
    assert plain.get(URL, {"token": cert.token})["Cache-Control"] == "no-store"
    assert plain.post(URL, {"token": cert.token}).status_code == 405
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": 1}
    plain.get(URL, {"token": "x"})
    limited = plain.get(URL, {"token": "x"})
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
