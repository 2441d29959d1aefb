"""Account pages: the authorization matrix (anonymous, outsider, read-only, allowed) and each write."""

from __future__ import annotations

import re

import pytest

from cunwu.accounts.models import Membership, User
from cunwu.accounts.permissions import Role
from cunwu.audit.models import AuditEntry

from .factories import PASSWORD, WUHUA, make_user

VILLAGE = "530124103200"


@pytest.fixture
def outsider(db):
    """The county admin of 五华区: manages accounts, but not in 富民县."""
    return make_user("wuhua_admin", Role.COUNTY_ADMIN, WUHUA)


def _client(client, client_for, request, persona):
    if persona is None:
        return client
    user = request.getfixturevalue(persona)
    return client_for(user)


# --- the matrix for every page ------------------------------------------------------------------

LIST_PAGES = ["/accounts/users/", "/accounts/users/new/", "/accounts/users/import/", "/accounts/users/template.xlsx"]


@pytest.mark.parametrize(
    "url", [*LIST_PAGES, "/accounts/workbench/", "/accounts/password/", "/accounts/villages/template.xlsx"]
)
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", [*LIST_PAGES, "/accounts/villages/template.xlsx"])
@pytest.mark.parametrize("persona", ["clerk", "auditor", "department"])
def test_without_account_management_it_is_403_in_chinese(client, client_for, request, url, persona):
    response = _client(client, client_for, request, persona).get(url)
    assert response.status_code == 403
    assert "没有" in response.content.decode() and "权限" in response.content.decode()


@pytest.mark.parametrize("url", [*LIST_PAGES, "/accounts/villages/template.xlsx"])
@pytest.mark.parametrize("persona", ["county_admin", "outsider", "province_admin"])
def test_account_managers_open_the_pages(client, client_for, request, url, persona):
    response = _client(client, client_for, request, persona).get(url)
    assert response.status_code == 200


def test_users_list_shows_only_accounts_in_scope(client_for, county_admin, outsider):
    html = client_for(county_admin).get("/accounts/users/").content.decode()
    assert "village_clerk" in html and "township_officer" in html
    assert "wuhua_admin" not in html and "province_admin" not in html
    mine = client_for(outsider).get("/accounts/users/").content.decode()
    assert "village_clerk" not in mine and "wuhua_admin" in mine
    found = client_for(county_admin).get("/accounts/users/?q=经办").content.decode()
    assert "village_clerk" in found and "county_reviewer" not in found


def test_users_list_queries_do_not_grow_with_the_accounts(client_for, county_admin, django_assert_max_num_queries):
    client = client_for(county_admin)
    client.get("/accounts/users/")
    with django_assert_max_num_queries(12) as small:
        client.get("/accounts/users/")
    for i in range(15):
        make_user(f"extra{i}", Role.VILLAGE_CLERK, VILLAGE)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/accounts/users/")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        (None, 302),
        ("other_clerk", 404),
        ("outsider", 404),
        ("clerk", 403),
        ("auditor", 403),
        ("township_officer", 403),
        ("county_admin", 200),
        ("prefecture_admin", 200),
    ],
)
def test_user_detail_matrix(client, client_for, request, persona, status):
    target = User.objects.get(username="village_head")
    response = _client(client, client_for, request, persona).get(f"/accounts/users/{target.pk}/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "村主要负责人" in html and "结束任职并交接" in html


def test_user_detail_masks_the_phone(client_for, county_admin):
    user = make_user("phoned", Role.VILLAGE_CLERK, VILLAGE, phone="13812345678")
    html = client_for(county_admin).get(f"/accounts/users/{user.pk}/").content.decode()
    assert "138****5678" in html and "13812345678" not in html


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("outsider", 404), ("auditor", 403), ("clerk", 403), ("county_admin", 302)],
)
def test_password_reset_matrix(client, client_for, request, persona, status):
    target = User.objects.get(username="village_head")
    before = target.password
    c = _client(client, client_for, request, persona)
    response = c.post(f"/accounts/users/{target.pk}/reset/")
    assert response.status_code == status
    target.refresh_from_db()
    assert (target.password != before) == (persona == "county_admin")
    if persona == "county_admin":
        assert target.must_change_password
        shown = c.get(f"/accounts/users/{target.pk}/").content.decode()
        assert "已为 village_head 重置密码" in shown


def test_reset_needs_post(client_for, county_admin, head):
    assert client_for(county_admin).get(f"/accounts/users/{head.pk}/reset/").status_code == 405


@pytest.mark.parametrize(
    ("persona", "status", "ended"),
    [
        (None, 302, False),
        ("outsider", 404, False),
        ("auditor", 403, False),
        ("clerk", 403, False),
        ("county_admin", 302, True),
    ],
)
def test_hand_over_matrix(client, client_for, request, persona, status, ended):
    holder = make_user("leaving", Role.SUPERVISOR, VILLAGE)
    membership = holder.memberships.get()
    response = _client(client, client_for, request, persona).post(
        f"/accounts/memberships/{membership.pk}/hand-over/", {"successor": "", "reason": "换届"}
    )
    assert response.status_code == status
    membership.refresh_from_db()
    assert membership.active is not ended


def test_hand_over_page_flow_names_the_successor(client_for, county_admin):
    holder = make_user("old_sup", Role.SUPERVISOR, VILLAGE)
    successor = make_user("new_sup", Role.VILLAGE_CLERK, VILLAGE)
    client = client_for(county_admin)
    membership = holder.memberships.get()
    response = client.post(
        f"/accounts/memberships/{membership.pk}/hand-over/", {"successor": "new_sup", "reason": "换届"}, follow=True
    )
    assert "已完成交接。接任人：new_sup。" in response.content.decode()
    assert Membership.objects.filter(user=successor, role=Role.SUPERVISOR, region_id=VILLAGE, active=True).exists()
    unknown = client.post(
        f"/accounts/memberships/{successor.memberships.get(role=Role.SUPERVISOR).pk}/hand-over/",
        {"successor": "nobody", "reason": "换届"},
        follow=True,
    )
    assert "找不到账号“nobody”" in unknown.content.decode()
    assert client.post("/accounts/memberships/999999/hand-over/", {"reason": "换届"}).status_code == 404


# --- creating an account through the form -------------------------------------------------------


def _form_errors(response) -> dict[str, list[str]]:
    html = response.content.decode()
    out: dict[str, list[str]] = {}
    for block in re.findall(
        r'<div class="field has-error">(.*?)</div>\s*(?=<div class="field|<div class="actions)', html, re.S
    ):
        label = re.search(r"<label[^>]*>([^<]*)</label>", block).group(1)
        out[label] = re.findall(r'<p class="error">([^<]*)</p>', block)
    return out


def test_new_account_through_the_form(client_for, county_admin):
    client = client_for(county_admin)
    response = client.post(
        "/accounts/users/new/",
        {
            "username": "form_user",
            "display_name": "赵六",
            "phone": "",
            "role": Role.VILLAGE_CLERK,
            "region": VILLAGE,
            "password": PASSWORD,
        },
    )
    user = User.objects.get(username="form_user")
    assert response.status_code == 302 and response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.memberships.get().region_id == VILLAGE
    assert AuditEntry.objects.filter(action="user.create", object_id=str(user.pk), actor=county_admin).exists()


@pytest.mark.parametrize(
    ("change", "label", "words"),
    [
        ({"username": "village_clerk"}, "用户名", "已被使用"),
        ({"region": "5301"}, "所在区划代码", "12位数字"),
        ({"region": "530124999999"}, "所在区划代码", "没有代码为 530124999999"),
        ({"region": "530102000000"}, "所在区划代码", "不在您的管辖范围内"),
        ({"password": "123"}, "初始密码", "密码太短"),
        ({"display_name": ""}, "姓名", "这个字段是必填项。"),
        ({"role": Role.DEPARTMENT_OFFICER}, "所属部门（部门工作人员必选）", "党政群机构"),
    ],
)
def test_new_account_errors_sit_at_the_field_and_keep_the_input(client_for, county_admin, change, label, words):
    data = {
        "username": "form_user2",
        "display_name": "赵六",
        "phone": "",
        "role": Role.VILLAGE_CLERK,
        "region": VILLAGE,
        "password": PASSWORD,
    } | change
    response = client_for(county_admin).post("/accounts/users/new/", data)
    assert response.status_code == 422
    errors = _form_errors(response)
    assert any(words in e for e in errors.get(label, [])), errors
    assert f'value="{data["username"]}"' in response.content.decode()
    assert not User.objects.filter(username="form_user2").exists()
