"""Staff pages: chains in the user's oversight scope, a chain's entries, verifying it on demand."""

from __future__ import annotations

import pytest
from django.test import Client

from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries, tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def chains() -> None:
    make_entries(3)
    make_entries(2, chain=OTHER)
    checkpoint_create_all()
    make_entries(1)


def test_anonymous_is_sent_to_login(chains) -> None:
    for path in ("/ledger/chains/", f"/ledger/chains/{CHAIN}/", f"/ledger/chains/{CHAIN}/verify"):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["supervisor", "township_officer", "auditor"])
def test_overseers_see_the_chains_of_their_villages(
    client_for, chains, who, request, django_assert_max_num_queries
) -> None:
    client = client_for(request.getfixturevalue(who))
    with django_assert_max_num_queries(12):
        html = client.get("/ledger/chains/").content.decode()
    assert CHAIN in html and "大箐" in html
    assert "有新记录待存证" in html


def test_supervisor_sees_only_their_own_village(client_for, chains, supervisor) -> None:
    html = client_for(supervisor).get("/ledger/chains/").content.decode()
    assert OTHER not in html
    assert client_for(supervisor).get(f"/ledger/chains/{OTHER}/").status_code == 404
    assert client_for(supervisor).get(f"/ledger/chains/{OTHER}/verify").status_code == 404


def test_village_clerk_without_oversight_is_refused(client_for, chains, clerk) -> None:
    client = client_for(clerk)
    assert client.get("/ledger/chains/").status_code == 403
    assert client.get(f"/ledger/chains/{CHAIN}/").status_code == 403  # their village, but not their task
    assert client.get(f"/ledger/chains/{OTHER}/").status_code == 404  # outside their village


def test_outsider_gets_404_and_a_department_403(client_for, chains, other_clerk, department) -> None:
    assert client_for(other_clerk).get(f"/ledger/chains/{CHAIN}/").status_code == 404
    # A department officer sees the county's regions but oversees nothing.
    assert client_for(department).get(f"/ledger/chains/{CHAIN}/").status_code == 403


def test_chain_page_lists_entries_newest_first(client_for, chains, supervisor, django_assert_max_num_queries) -> None:
    client = client_for(supervisor)
    with django_assert_max_num_queries(12):
        response = client.get(f"/ledger/chains/{CHAIN}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f"{CHAIN}-2027-000001") > html.index("出具证明")
    assert "张*丰" in html and "第 3 条" in html  # masked payload; latest checkpoint


def test_verify_passes_then_catches_tampering(client_for, chains, township_officer) -> None:
    client = client_for(township_officer)
    html = client.get(f"/ledger/chains/{CHAIN}/verify", headers={"HX-Request": "true"}).content.decode()
    assert "校验通过" in html and "4 条记录" in html and "<html" not in html
    with tampering() as cursor:
        cursor.execute("UPDATE ledger_chainentry SET payload = '{}' WHERE chain = %s AND seq = 2", [CHAIN])
    html = client.get(f"/ledger/chains/{CHAIN}/verify").content.decode()
    assert "校验未通过" in html and "第 2 条" in html and "changed" in html and "<html" in html


def test_bad_codes(client_for, supervisor) -> None:
    client = client_for(supervisor)
    assert client.get("/ledger/chains/abc/").status_code == 404
    assert "请输入区划代码的数字部分" in client.get("/ledger/chains/", {"q": "大箐"}).content.decode()


def test_staff_menu(client_for, auditor, clerk) -> None:
    assert 'href="/ledger/chains/"' in client_for(auditor).get("/ledger/chains/").content.decode()
    assert 'href="/ledger/chains/"' not in client_for(clerk).get("/accounts/workbench/").content.decode()
