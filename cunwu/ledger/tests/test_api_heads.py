"""GET /api/v1/ledger/heads: public, rate limited, the latest checkpoint per chain."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cunwu.ledger.models import Checkpoint
from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> dict[str, str]:
    make_entries(2)
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    last = make_entries(2)
    checkpoint_create_all()
    return {CHAIN: last[-1].hash}


@pytest.mark.parametrize("who", [None, "clerk", "auditor", "other_clerk"])
def test_anyone_reads_the_latest_checkpoint_of_each_chain(api, published, who, request) -> None:
    user = request.getfixturevalue(who) if who else None
    response = api(user).get("ledger/heads")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["heads"][0]
    assert set(first) == {"chain", "seq", "hash", "created_at"}
    assert (first["chain"], first["seq"], first["hash"]) == (CHAIN, 4, published[CHAIN])
    assert first["created_at"].endswith("+08:00")
    assert body["heads"][1]["chain"] == OTHER
    assert Checkpoint.objects.filter(chain=CHAIN).count() == 2  # older checkpoints are kept, not listed


def test_one_chain(api, published) -> None:
    body = api(None).get("ledger/heads", {"chain": OTHER}).json()
    assert [(h["chain"], h["seq"]) for h in body["heads"]] == [(OTHER, 1)]


def test_chains_under_a_region(api, published) -> None:
    assert api(None).get("ledger/heads", {"region": "530124103000"}).json()["count"] == 2
    assert api(None).get("ledger/heads", {"region": "530125000000"}).json()["count"] == 0


def test_a_chain_without_checkpoints_is_an_empty_list(api) -> None:
    assert api(None).get("ledger/heads", {"chain": CHAIN}).json() == {"count": 0, "heads": []}


@pytest.mark.parametrize("param", ["chain", "region"])
def test_bad_codes_are_422_with_a_chinese_message(api, param) -> None:
    response = api(None).get("ledger/heads", {param: "12ab"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == param and "12位" in body["errors"][0]["message"]


@override_settings(RATE_LIMITS={"public": 2, "login": 20, "verify": 300, "token": 20})
def test_rate_limited(api) -> None:
    client = api(None)
    assert [client.get("ledger/heads").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("ledger/heads").json()["code"] == "rate_limited"


def test_no_payload_or_personal_data_is_published(api, published) -> None:
    text = api(None).get("ledger/heads").content.decode()
    assert "张*丰" not in text and "serial" not in text and "payload" not in text
