"""The client address comes from a trusted proxy only: rotating headers neither escape the token rate
limit nor the lock-out, nor write a forged address into the audit log (issue 10)."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client, RequestFactory

from cunwu.accounts.demo import demo_password
from cunwu.audit.models import AuditEntry
from cunwu.clientip import client_address, client_ip

PROXY = (ipaddress.ip_network("10.0.0.0/24"), ipaddress.ip_network("fd00::/8"))


@pytest.mark.parametrize(
    ("remote", "xff", "real", "expected"),
    [
        ("203.0.113.5", "", "", "203.0.113.5"),
        # Headers from an untrusted sender are ignored whatever they say.
        ("203.0.113.5", "1.2.3.4", "5.6.7.8", "203.0.113.5"),
        # From our proxy: the rightmost hop that is not ours; hops the client wrote on the left do not count.
        ("10.0.0.1", "6.6.6.6, 198.51.100.7", "", "198.51.100.7"),
        ("10.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.9", "", "198.51.100.7"),
        ("10.0.0.1", "", "198.51.100.8", "198.51.100.8"),
        ("10.0.0.1", "", "not-an-ip", "10.0.0.1"),
        ("10.0.0.1", "198.51.100.7, garbage", "", "10.0.0.1"),
        ("fd00::1", "[2001:db8::5]:443", "", "2001:db8::5"),
    ],
)
def test_the_nearest_untrusted_hop_is_the_client(remote, xff, real, expected):
    assert client_address(remote, xff, real, PROXY) == expected


def test_no_proxy_is_trusted_by_default(settings):
    assert settings.CUNWU_TRUSTED_PROXIES == []
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="9.9.9.9", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert client_ip(request) == "127.0.0.1"


def test_a_configured_proxy_is_believed(settings):
    settings.CUNWU_TRUSTED_PROXIES = ["127.0.0.1/32"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert client_ip(request) == "198.51.100.20"


def test_a_rotating_header_does_not_escape_the_token_rate_limit(db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token": 3}
    client = Client()
    statuses = [
        client.post(
            "/api/v1/auth/token",
            {"username": "nobody_here", "password": "x"},
            content_type="application/json",
            headers={"X-Real-IP": f"10.9.{i}.1", "X-Forwarded-For": f"10.8.{i}.1"},
        ).status_code
        for i in range(5)
    ]
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]


def test_a_rotating_header_does_not_escape_the_lock_out(client, clerk, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/",
            {"username": "village_clerk", "password": "wrong-password"},
            headers={"X-Forwarded-For": f"10.7.{i}.1", "X-Real-IP": f"10.6.{i}.1"},
        )
    again = client.post(
        "/accounts/login/", {"username": "village_clerk", "password": demo_password()}, headers={"X-Real-IP": "1.1.1.1"}
    )
    assert again.status_code == 429


def test_the_audit_log_keeps_the_real_address(db, clerk):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "village_clerk", "password": demo_password()},
        content_type="application/json",
        headers={"X-Real-IP": "8.8.8.8", "X-Forwarded-For": "8.8.4.4"},
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action="api_token.issue").latest("pk")
    assert entry.ip == "127.0.0.1"
