"""Sessions and tokens end when they should; admin-set passwords change first; TOTP for admins (issue 10)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cunwu.accounts.demo import demo_password
from cunwu.accounts.models import ApiToken, User
from cunwu.accounts.permissions import Role
from cunwu.accounts.services import (
    api_token_issue,
    api_token_user,
    membership_hand_over,
    password_change,
    password_reset,
    user_create,
)
from cunwu.audit.models import AuditEntry

from .factories import PASSWORD

TOKEN = "auth/token"
VILLAGE = "530124103200"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/accounts/workbench/").status_code == 200
    return client


def _signed_out(client: Client) -> bool:
    response = client.get("/accounts/workbench/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return str(totp.token()).zfill(device.digits)


@pytest.fixture
def admin_made(county_admin, village) -> User:
    """A clerk account whose password the county admin chose."""
    return user_create(
        actor=county_admin, username="admin_made", password=PASSWORD, display_name="新经办",
        role=Role.VILLAGE_CLERK, region=village,
    )  # fmt: skip


# --- a password an administrator set ---------------------------------------------------------


def test_no_token_is_issued_while_the_password_must_change(api, admin_made):
    response = api(None).post(TOKEN, {"username": "admin_made", "password": PASSWORD})
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"
    assert not ApiToken.objects.filter(user=admin_made).exists()


def test_a_token_from_before_a_reset_no_longer_reads(api, county_admin, clerk):
    raw, _ = api_token_issue(user=clerk)
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)  # as a reset leaves it
    assert api_token_user(raw) is None
    client = api(None)
    client.headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("me").status_code == 401


def test_the_session_api_is_refused_too_while_the_password_must_change(admin_made):
    client = Client()
    client.force_login(admin_made, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 401


def test_demo_accounts_keep_working_as_printed(api, db):
    assert not User.objects.filter(username__in=["village_clerk", "county_admin"], must_change_password=True).exists()
    response = api(None).post(TOKEN, {"username": "village_clerk", "password": demo_password()})
    assert response.status_code == 200


# --- everything ends together ------------------------------------------------------------------


def test_a_reset_ends_every_token_and_session(county_admin, clerk):
    raw, _ = api_token_issue(user=clerk)
    browser = _signed_in(clerk)
    password_reset(actor=county_admin, user=clerk)
    assert api_token_user(raw) is None and _signed_out(browser)
    assert AuditEntry.objects.filter(action="user.password_reset", after__tokens_revoked=1).exists()


def test_changing_ones_password_ends_other_sessions_and_tokens_but_keeps_this_one(clerk):
    raw, _ = api_token_issue(user=clerk)
    other_browser = _signed_in(clerk)
    this_browser = _signed_in(clerk)
    response = this_browser.post(
        "/accounts/password/",
        {"old_password": demo_password(), "new_password1": "Fresh-pass-2027x", "new_password2": "Fresh-pass-2027x"},
    )
    assert response.status_code == 302
    assert this_browser.get("/accounts/workbench/").status_code == 200
    assert _signed_out(other_browser) and api_token_user(raw) is None


def test_the_end_of_a_membership_ends_sessions_and_tokens(county_admin, township):
    person = user_create(
        actor=None, username="two_roles", password=PASSWORD, display_name="双职",
        role=Role.VILLAGE_CLERK, region=User.objects.get(username="village_clerk").memberships.get().region,
    )  # fmt: skip
    browser = _signed_in(person)
    raw, _ = api_token_issue(user=person)
    membership_hand_over(actor=county_admin, membership=person.memberships.get(), successor=None)
    assert api_token_user(raw) is None and _signed_out(browser)


def test_a_lock_out_ends_every_token_and_session(client, api, head, settings):
    raw, _ = api_token_issue(user=head)
    browser = _signed_in(head)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "village_head", "password": "wrong-password"})
    assert api_token_user(raw) is None and _signed_out(browser)
    assert AuditEntry.objects.filter(action="user.locked_out", object_id=str(head.pk)).exists()


def test_own_change_clears_must_change(admin_made):
    password_change(actor=admin_made, new_password="Another-pass-2027")
    admin_made.refresh_from_db()
    assert not admin_made.must_change_password


# --- last used, shown to the owner -------------------------------------------------------------


def test_the_owner_sees_when_each_token_was_last_used(api, clerk, other_clerk, client_for):
    raw = api(None).post(TOKEN, {"username": "village_clerk", "password": demo_password()}).json()["token"]
    user_client = api(None)
    user_client.headers = {"Authorization": f"Bearer {raw}"}
    listed = user_client.get("auth/tokens").json()
    assert len(listed) == 1 and listed[0]["last_used_at"] is not None
    html = client_for(clerk).get("/accounts/tokens/").content.decode()
    assert "从未使用" not in html and "有效" in html
    # Nobody else's tokens: another clerk sees none of them.
    assert "尚无令牌" in client_for(other_clerk).get("/accounts/tokens/").content.decode()
    token = ApiToken.objects.get(user=clerk)
    assert client_for(other_clerk).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert client_for(clerk).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api_token_user(raw) is None


# --- two-factor sign-in ------------------------------------------------------------------------


@pytest.fixture
def two_factor_on(settings):
    settings.CUNWU_2FA_REQUIRED = True


def test_an_admin_binds_a_phone_then_passes_the_code(two_factor_on, county_admin):
    browser = Client()
    browser.force_login(county_admin, backend="django.contrib.auth.backends.ModelBackend")
    first = browser.get("/accounts/users/")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/two-factor/")
    page = browser.get(first["Location"])
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=county_admin, confirmed=False)
    wrong = browser.post("/accounts/two-factor/", {"otp": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 422 and "动态口令不正确" in wrong.content.decode()
    # Straight after a failure the device makes the next try wait (django-otp throttling).
    assert "次数过多" in browser.post("/accounts/two-factor/", {"otp": _code(device)}).content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    ok = browser.post("/accounts/two-factor/", {"otp": _code(device), "next": "/accounts/users/"})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/users/"
    assert browser.get("/accounts/users/").status_code == 200
    assert TOTPDevice.objects.get(user=county_admin).confirmed
    # The next sign-in asks for the code again (no QR).
    again = Client()
    again.force_login(county_admin, backend="django.contrib.auth.backends.ModelBackend")
    assert again.get("/accounts/users/").status_code == 302
    assert "data:image/svg+xml" not in again.get("/accounts/two-factor/").content.decode()


def test_a_clerk_needs_no_second_factor(two_factor_on, clerk, api):
    assert _signed_in(clerk).get("/accounts/workbench/").status_code == 200
    assert api(None).post(TOKEN, {"username": "village_clerk", "password": demo_password()}).status_code == 200


def test_the_token_endpoint_takes_the_otp_where_required(two_factor_on, api, county_admin):
    body = {"username": "county_admin", "password": demo_password()}
    unbound = api(None).post(TOKEN, body)
    assert unbound.status_code == 403 and unbound.json()["code"] == "two_factor_enrolment_required"
    device = TOTPDevice.objects.create(user=county_admin, name="手机", confirmed=True)
    missing = api(None).post(TOKEN, body)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "otp"
    ok = api(None).post(TOKEN, body | {"otp": _code(device)})
    assert ok.status_code == 200 and ok.json()["token"]


def test_without_the_setting_the_otp_field_is_optional(api, county_admin):
    assert api(None).post(TOKEN, {"username": "county_admin", "password": demo_password()}).status_code == 200


def test_the_session_api_needs_a_verified_session_where_required(two_factor_on, county_admin):
    browser = Client()
    browser.force_login(county_admin, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/api/v1/me").status_code == 401


# --- production profile and the command line ----------------------------------------------------


def test_the_seed_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("seed", scale="demo")


def test_province_admins_come_from_the_command_line(db, capsys):
    province = User.objects.get(username="province_admin").memberships.get().region_id
    call_command("province-admin", "prov_new", name="省管新", region=province)
    user = User.objects.get(username="prov_new")
    assert user.must_change_password and user.memberships.get().role == Role.PROVINCE_ADMIN
    assert "初始密码" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("province-admin", "prov_bad", name="错级", region=VILLAGE)
