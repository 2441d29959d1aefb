"""Every write about people: accounts, memberships, passwords, hand-over, tokens — each audited."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from cunwu.accounts import services
from cunwu.accounts.models import ApiToken, Membership, Notification, User
from cunwu.accounts.permissions import Role
from cunwu.accounts.selectors import notification_list_for
from cunwu.accounts.services import (
    api_token_issue,
    api_token_revoke,
    api_token_user,
    membership_add,
    membership_hand_over,
    notification_close,
    notification_send,
    password_change,
    password_reset,
    user_create,
)
from cunwu.audit.models import AuditEntry
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.regions.models import Organisation, Region

from .factories import PASSWORD, WUHUA, add_role, make_user

VILLAGE = "530124103200"


def _login_ok(username: str, password: str) -> bool:
    return authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password) is not None


def _audit(action: str) -> AuditEntry:
    return AuditEntry.objects.filter(action=action).order_by("-id").first()


# --- user_create ----------------------------------------------------------------------------


def test_county_admin_creates_an_account_with_its_audit_row(county_admin, village):
    user = user_create(
        actor=county_admin,
        username="li_clerk",
        password=PASSWORD,
        display_name="李四光",
        role=Role.VILLAGE_CLERK,
        region=village,
        phone="13812345678",
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and user.password != PASSWORD
    assert list(user.memberships.values_list("role", "region_id", "active")) == [(Role.VILLAGE_CLERK, VILLAGE, True)]
    row = _audit("user.create")
    assert (row.actor, row.actor_name, row.object_type, row.object_id, row.region_code) == (
        county_admin,
        "county_admin",
        "accounts.user",
        str(user.pk),
        VILLAGE,
    )
    # Personal data is masked in the audit log.
    assert row.after["phone"] == "138****5678" and row.after["display_name"] == "李*光"
    assert "13812345678" not in str(row.after) and "李四光" not in str(row.after)


def test_duplicate_username_is_refused_at_the_field_and_nothing_is_written(county_admin, village):
    before = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    with pytest.raises(Invalid) as exc:
        user_create(
            actor=county_admin,
            username="village_clerk",
            password=PASSWORD,
            display_name="某",
            role=Role.VILLAGE_CLERK,
            region=village,
        )
    assert [(e.field, e.message) for e in exc.value.errors] == [
        ("username", "用户名“village_clerk”已被使用，请换一个。")
    ]
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"username": ""}, "username", "请填写用户名"),
        ({"username": "张 三"}, "username", "英文字母"),
        ({"display_name": " "}, "display_name", "请填写姓名"),
        ({"role": "mayor"}, "role", "角色"),
        ({"password": "1234567890"}, "password", "数字"),
        ({"password": "short"}, "password", "密码太短"),
        ({"role": Role.DEPARTMENT_OFFICER}, "organisation", "党政群机构"),
    ],
)
def test_bad_input_names_the_field_in_chinese(county_admin, village, kwargs, field, words):
    args = {"username": "new_one", "password": PASSWORD, "display_name": "王五", "role": Role.VILLAGE_CLERK} | kwargs
    with pytest.raises(Invalid) as exc:
        user_create(actor=county_admin, region=village, **args)
    messages = {e.field: e.message for e in exc.value.errors}
    assert words in messages[field]
    assert not User.objects.filter(username="new_one").exists()


def test_outsider_gets_404_and_read_only_gets_403(village, auditor, clerk):
    outsider = make_user("wuhua_admin", Role.COUNTY_ADMIN, WUHUA)
    args = {
        "username": "x_user",
        "password": PASSWORD,
        "display_name": "某",
        "role": Role.VILLAGE_CLERK,
        "region": village,
    }
    with pytest.raises(NotFound):
        user_create(actor=outsider, **args)
    with pytest.raises(Forbidden):
        user_create(actor=auditor, **args)
    with pytest.raises(Forbidden):
        user_create(actor=clerk, **args)
    assert not User.objects.filter(username="x_user").exists()


def test_the_write_rolls_back_when_the_audit_row_cannot_be_written(county_admin, village):
    with (
        mock.patch.object(services, "audit_record", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        user_create(
            actor=county_admin,
            username="ghost",
            password=PASSWORD,
            display_name="某",
            role=Role.VILLAGE_CLERK,
            region=village,
        )
    assert not User.objects.filter(username="ghost").exists()
    assert not Membership.objects.filter(user__username="ghost").exists()


# --- memberships ----------------------------------------------------------------------------


def test_membership_add_gives_one_more_role_and_is_audited(county_admin, township):
    user = make_user("two_roles", Role.VILLAGE_CLERK, VILLAGE)
    membership = membership_add(actor=county_admin, user=user, role=Role.TOWNSHIP_OFFICER, region=township)
    assert set(user.memberships.filter(active=True).values_list("role", flat=True)) == {
        Role.VILLAGE_CLERK,
        Role.TOWNSHIP_OFFICER,
    }
    row = _audit("membership.add")
    assert row.object_id == str(membership.pk) and row.region_code == township.code and row.actor == county_admin
    with pytest.raises(Conflict):
        membership_add(actor=county_admin, user=user, role=Role.TOWNSHIP_OFFICER, region=township)


# --- passwords ------------------------------------------------------------------------------


def test_password_reset_sets_a_one_time_password_to_change(county_admin, clerk):
    new = password_reset(actor=county_admin, user=clerk)
    clerk.refresh_from_db()
    assert clerk.must_change_password and clerk.check_password(new) and len(new) >= 10
    row = _audit("user.password_reset")
    assert row.object_id == str(clerk.pk) and row.region_code == VILLAGE
    assert new not in str(row.before) + str(row.after) + row.note


def test_password_reset_scope(clerk, auditor):
    outsider = make_user("wuhua_admin2", Role.COUNTY_ADMIN, WUHUA)
    with pytest.raises(NotFound):
        password_reset(actor=outsider, user=clerk)
    with pytest.raises(Forbidden):
        password_reset(actor=auditor, user=clerk)


def test_password_change_clears_the_flag_and_is_audited(clerk):
    clerk.must_change_password = True
    clerk.save()
    password_change(actor=clerk, new_password="Another-good-pass-9")
    clerk.refresh_from_db()
    assert not clerk.must_change_password and clerk.check_password("Another-good-pass-9")
    assert _audit("user.password_change").actor == clerk


def test_password_change_refuses_weak_passwords_in_chinese(clerk):
    with pytest.raises(Invalid) as exc:
        password_change(actor=clerk, new_password="12345")
    messages = [e.message for e in exc.value.errors]
    assert all(e.field == "new_password1" for e in exc.value.errors)
    assert any("密码太短" in m for m in messages) and any("数字" in m for m in messages)


# --- hand-over at 换届 -------------------------------------------------------------------------


def test_hand_over_ends_the_old_membership_and_gives_the_successor_the_role(county_admin):
    old = make_user("old_head", Role.VILLAGE_HEAD, VILLAGE)
    new = make_user("new_head", Role.VILLAGE_CLERK, VILLAGE)
    raw, token = api_token_issue(user=old)
    membership = old.memberships.get()
    created = membership_hand_over(actor=county_admin, membership=membership, successor=new, reason="2027年换届")
    membership.refresh_from_db()
    old.refresh_from_db()
    token.refresh_from_db()
    assert not membership.active and membership.ended_on == timezone.localdate()
    assert created.user == new and created.role == Role.VILLAGE_HEAD and created.region_id == VILLAGE and created.active
    # No active membership left: the account is deactivated and its tokens revoked.
    assert not old.is_active and token.revoked_at is not None
    assert api_token_user(raw) is None
    assert not _login_ok("old_head", PASSWORD)
    row = _audit("membership.hand_over")
    assert row.before == {"user": "old_head", "role": Role.VILLAGE_HEAD}
    assert row.after["user"] == "new_head" and row.note == "2027年换届"


def test_hand_over_keeps_a_person_with_another_role_active(county_admin, township):
    person = make_user("double", Role.VILLAGE_CLERK, VILLAGE)
    add_role(person, Role.TOWNSHIP_OFFICER, township.code)
    raw, token = api_token_issue(user=person)
    membership_hand_over(actor=county_admin, membership=person.memberships.get(role=Role.VILLAGE_CLERK), successor=None)
    person.refresh_from_db()
    token.refresh_from_db()
    # Still an active account, but what it may do changed: its tokens end and it signs in anew.
    assert person.is_active and token.revoked_at is not None and api_token_user(raw) is None
    assert list(person.memberships.filter(active=True).values_list("role", flat=True)) == [Role.TOWNSHIP_OFFICER]


def test_hand_over_twice_is_a_conflict_and_bad_input_is_refused(county_admin):
    holder = make_user("holder", Role.SUPERVISOR, VILLAGE)
    membership = holder.memberships.get()
    with pytest.raises(Invalid) as same:
        membership_hand_over(actor=county_admin, membership=membership, successor=holder)
    assert same.value.errors[0].field == "successor"
    with pytest.raises(Invalid) as no_reason:
        membership_hand_over(actor=county_admin, membership=membership, successor=None, reason=" ")
    assert no_reason.value.errors[0].field == "reason"
    membership_hand_over(actor=county_admin, membership=membership, successor=None)
    with pytest.raises(Conflict):
        membership_hand_over(actor=county_admin, membership=membership, successor=None)


def test_hand_over_to_someone_already_holding_the_role_changes_nothing(county_admin, head):
    holder = make_user("second_head", Role.VILLAGE_HEAD, VILLAGE)
    membership = holder.memberships.get()
    with pytest.raises(Conflict):
        membership_hand_over(actor=county_admin, membership=membership, successor=head)
    membership.refresh_from_db()
    assert membership.active  # the whole hand-over rolled back


def test_hand_over_needs_account_management_at_the_region(auditor, clerk):
    with pytest.raises(Forbidden):
        membership_hand_over(actor=auditor, membership=clerk.memberships.get(), successor=None)


# --- API tokens -----------------------------------------------------------------------------


def test_token_issue_stores_only_a_hash_and_expires(clerk, settings):
    raw, token = api_token_issue(user=clerk, label="手机")
    assert token.key_hash != raw and len(token.key_hash) == 64
    assert abs((token.expires_at - timezone.now()) - settings.API_TOKEN_TTL) < timedelta(seconds=5)
    assert api_token_user(raw) == clerk
    row = _audit("api_token.issue")
    assert row.region_code == VILLAGE and raw not in str(row.after)


def test_expired_revoked_unknown_and_inactive_tokens_are_refused(clerk):
    raw, token = api_token_issue(user=clerk)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_user(raw) is None
    raw2, token2 = api_token_issue(user=clerk)
    api_token_revoke(actor=clerk, token=token2)
    assert api_token_user(raw2) is None
    with pytest.raises(Conflict):
        api_token_revoke(actor=clerk, token=token2)
    assert api_token_user("nonsense") is None and api_token_user("") is None and api_token_user("x" * 500) is None
    raw3, _ = api_token_issue(user=clerk)
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    assert api_token_user(raw3) is None


def test_token_use_is_touched_at_most_once_a_minute(clerk, django_assert_num_queries):
    raw, token = api_token_issue(user=clerk)
    api_token_user(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None
    with django_assert_num_queries(1):  # the lookup only, no write
        api_token_user(raw)


# --- notifications --------------------------------------------------------------------------


def test_notification_to_a_role_at_a_region_reaches_exactly_its_holders(clerk, other_clerk, head, village):
    n = notification_send(
        kind="cert.intake",
        title="有新的证明申请",
        url="/x/",
        role=Role.VILLAGE_CLERK,
        region=village,
        subject=("cert", 1),
    )
    assert list(notification_list_for(clerk)) == [n]
    assert not notification_list_for(other_clerk).exists() and not notification_list_for(head).exists()
    personal = notification_send(kind="note", title="请补充材料", user=head)
    assert list(notification_list_for(head)) == [personal]
    assert notification_close(subject=("cert", 1)) == 1
    assert not notification_list_for(clerk).exists()
    assert Notification.objects.get(pk=n.pk).done_at is not None


def test_ip_address_is_recorded_from_the_request(client_for, county_admin, db):
    client = client_for(county_admin)
    client.post(f"/accounts/users/{User.objects.get(username='village_clerk').pk}/reset/", REMOTE_ADDR="10.1.2.3")
    assert _audit("user.password_reset").ip == "10.1.2.3"


def test_department_accounts_need_a_department(county_admin, county):
    civil = Organisation.objects.get(name="富民县民政局")
    user = user_create(
        actor=county_admin,
        username="civil2",
        password=PASSWORD,
        display_name="某",
        role=Role.DEPARTMENT_OFFICER,
        region=county,
        organisation=civil,
    )
    assert user.memberships.get().organisation == civil
    assert Region.objects.filter(code=county.code).exists()
