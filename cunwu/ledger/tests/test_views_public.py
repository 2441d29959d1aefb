"""The public 存证链公示 pages: no login, searchable, no personal data."""

from __future__ import annotations

import pytest
from django.test import Client

from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> str:
    make_entries(3)
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    return make_entries(1)[-1].hash


@pytest.mark.parametrize("who", [None, "clerk", "auditor"])
def test_anyone_sees_the_heads(client_for, published, who, request, django_assert_max_num_queries) -> None:
    client = client_for(request.getfixturevalue(who)) if who else Client()
    with django_assert_max_num_queries(12):
        response = client.get("/ledger/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "存证链公示" in html and "存证链是什么" in html
    assert "富民县罗免镇" in html and CHAIN in html and OTHER in html
    assert "张*丰" not in html and "serial" not in html  # payloads are never shown here


def test_page_lists_only_checkpointed_heads(client, published) -> None:
    html = client.get("/ledger/").content.decode()
    assert published not in html  # the 4th entry is not checkpointed yet
    checkpoint_create_all()
    assert published in client.get("/ledger/").content.decode()


def test_search_by_code_and_name(client, published) -> None:
    assert OTHER not in client.get("/ledger/", {"q": CHAIN}).content.decode().replace(f"ledger/{CHAIN}", "")
    by_township = client.get("/ledger/", {"q": "罗免"}).content.decode()
    assert CHAIN in by_township and OTHER in by_township
    assert "没有找到" in client.get("/ledger/", {"q": "不存在的地方"}).content.decode()


def test_bad_code_is_explained_next_to_the_field(client, published) -> None:
    html = client.get("/ledger/", {"q": "5301"}).content.decode()
    assert "区划代码应为 12 位数字" in html and 'value="5301"' in html


def test_chain_history(client, published) -> None:
    checkpoint_create_all()
    response = client.get(f"/ledger/{CHAIN}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "共 2 个存证点" in html and published in html


def test_chain_history_of_a_village_without_checkpoints(client, published) -> None:
    assert "还没有公示的存证点" in client.get("/ledger/530124103202/").content.decode()


@pytest.mark.parametrize("path", ["/ledger/abc/", "/ledger/999999999999/"])
def test_unknown_chain_is_404(client, path) -> None:
    assert client.get(path).status_code == 404


def test_public_menu_links_the_page(client) -> None:
    assert 'href="/ledger/"' in client.get("/").content.decode()
