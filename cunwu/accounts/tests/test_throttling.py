from __future__ import annotations

import pytest
from django.test import RequestFactory

from cunwu.throttling import RateLimited, check_rate


@pytest.fixture
def request_from():
    def make(ip: str = "10.1.2.3"):
        return RequestFactory().get("/", REMOTE_ADDR=ip)

    return make


def test_limit_applies_within_a_minute(settings, request_from):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 3}
    for _ in range(3):
        check_rate(request_from(), "public", now=1_000_020.0)
    with pytest.raises(RateLimited) as exc:
        check_rate(request_from(), "public", now=1_000_021.0)
    assert exc.value.status == 429
    assert "频繁" in exc.value.detail


def test_straddling_the_turn_of_a_minute_does_not_double_the_allowance(settings, request_from):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    minute = 60 * 20_000
    check_rate(request_from(), "public", now=minute - 1.0)
    check_rate(request_from(), "public", now=minute - 0.5)
    with pytest.raises(RateLimited):
        check_rate(request_from(), "public", now=minute + 0.5)


def test_allowance_returns_as_the_previous_minute_slides_out(settings, request_from):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    minute = 60 * 30_000
    check_rate(request_from(), "public", now=minute - 50.0)
    check_rate(request_from(), "public", now=minute - 49.0)
    # 55 s into the next minute, only 1/12 of the old minute still counts: one more is allowed…
    check_rate(request_from(), "public", now=minute + 55.0)
    # …and the next one is over the limit again (2 × 4/60 + 2 > 2).
    with pytest.raises(RateLimited):
        check_rate(request_from(), "public", now=minute + 56.0)


def test_clients_are_counted_separately(settings, request_from):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 1}
    check_rate(request_from("10.0.0.1"), "public", now=2_000_010.0)
    check_rate(request_from("10.0.0.2"), "public", now=2_000_010.0)
    with pytest.raises(RateLimited):
        check_rate(request_from("10.0.0.1"), "public", now=2_000_011.0)


def test_limits_can_be_switched_off_for_benchmarks(settings, request_from):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 1}
    settings.RATE_LIMIT_ENABLED = False
    for _ in range(5):
        check_rate(request_from(), "public", now=3_000_010.0)
    # Nothing was counted while switched off; switched on, the second request in the minute is refused.
    settings.RATE_LIMIT_ENABLED = True
    check_rate(request_from(), "public", now=3_000_011.0)
    with pytest.raises(RateLimited):
        check_rate(request_from(), "public", now=3_000_012.0)


@pytest.mark.django_db
def test_a_public_page_refuses_a_request_over_the_limit_with_429(settings, client):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    settings.RATE_LIMIT_ENABLED = True
    ok = [client.get("/certificate-samples/", REMOTE_ADDR="10.9.8.7").status_code for _ in range(2)]
    refused = client.get("/certificate-samples/", REMOTE_ADDR="10.9.8.7")
    assert ok == [200, 200]
    assert refused.status_code == 429
    assert "频繁" in refused.content.decode()
    # Another client is not held back by this one.
    assert client.get("/certificate-samples/", REMOTE_ADDR="10.9.8.6").status_code == 200
