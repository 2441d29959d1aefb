"""The workbench: each person's roles, work items, notifications and menu."""

from __future__ import annotations

import pytest

from cunwu.accounts.models import User
from cunwu.accounts.permissions import Role
from cunwu.accounts.services import notification_send

from .factories import add_role, make_user


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("clerk", ["村经办人", "受理证明申请", "大箐村委会"], ["在用账号", "近7天操作记录", "人员账号"]),
        ("reviewer", ["县级审查人员", "富民县", "近7天操作记录"], ["在用账号"]),
        ("county_admin", ["县级管理员", "在用账号", "人员账号", "操作日志"], []),
        ("auditor", ["监督检查人员（只读）", "近7天操作记录"], ["在用账号", "新建账号"]),
        ("department", ["部门工作人员", "富民县民政局"], ["在用账号"]),
    ],
)
def test_workbench_per_role(client_for, request, persona, expected, absent):
    response = client_for(request.getfixturevalue(persona)).get("/accounts/workbench/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_account_count_on_the_county_admins_workbench(client_for, county_admin):
    make_user("fresh", Role.VILLAGE_CLERK, "530124103200")
    User.objects.filter(username="fresh").update(must_change_password=True)
    html = client_for(county_admin).get("/accounts/workbench/").content.decode()
    active = User.objects.filter(memberships__region__code__startswith="530124", is_active=True).distinct().count()
    assert f'<span class="count">{active}</span>' in html
    assert "其中 1 人尚未修改初始密码" in html


def test_must_change_password_leads_from_the_workbench_to_the_password_page(client_for, clerk):
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)
    clerk.refresh_from_db()
    response = client_for(clerk).get("/accounts/workbench/", follow=True)
    assert response.redirect_chain == [("/accounts/password/", 302)]
    assert "为了账号安全" in response.content.decode()


def test_a_person_with_two_roles_sees_both(client_for, township):
    user = make_user("two_hat", Role.VILLAGE_HEAD, "530124103200", display_name="杨两职")
    add_role(user, Role.TOWNSHIP_OFFICER, township.code)
    html = client_for(user).get("/accounts/workbench/").content.decode()
    assert "村主要负责人" in html and "乡镇工作人员" in html and "罗免镇" in html


def test_notifications_reach_the_workbench_and_the_header(client_for, clerk, other_clerk, village):
    notification_send(
        kind="test", title="有一份证明申请待受理", url="/accounts/workbench/", role=Role.VILLAGE_CLERK, region=village
    )
    client = client_for(clerk)
    html = client.get("/accounts/workbench/").content.decode()
    assert "有一份证明申请待受理" in html and 'id="notification-count" aria-label="1 条待办"' in html
    assert 'hx-get="/accounts/notifications/count/"' in html  # the header count refreshes itself
    assert client.get("/accounts/notifications/count/").content == b"1"
    other = client_for(other_clerk)
    assert "有一份证明申请待受理" not in other.get("/accounts/workbench/").content.decode()
    assert other.get("/accounts/notifications/count/").content == b"0"


def test_notification_count_needs_login(client, db):
    assert client.get("/accounts/notifications/count/").status_code == 302


def test_workbench_query_count_is_bounded(client_for, county_admin, django_assert_max_num_queries):
    client = client_for(county_admin)
    client.get("/accounts/workbench/")
    with django_assert_max_num_queries(20):
        client.get("/accounts/workbench/")


def test_menu_follows_permissions(client_for, clerk, county_admin):
    clerk_html = client_for(clerk).get("/accounts/workbench/").content.decode()
    admin_html = client_for(county_admin).get("/accounts/workbench/").content.decode()
    assert 'href="/accounts/users/"' not in clerk_html and 'href="/audit/"' not in clerk_html
    assert 'href="/accounts/users/"' in admin_html and 'href="/audit/"' in admin_html
