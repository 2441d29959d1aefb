"""POST/DELETE /api/v1/auth/token and GET /api/v1/me: credentials, expiry, revocation, Chinese errors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cunwu.accounts.demo import demo_password
from cunwu.accounts.models import ApiToken

TOKEN = "auth/token"


def _token(api, username: str = "village_clerk") -> str:
    response = api(None).post(TOKEN, {"username": username, "password": demo_password()})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _bearer(api, raw: str):
    client = api(None)
    client.headers = {"Authorization": f"Bearer {raw}"}
    return client


def test_good_credentials_give_a_token_with_an_expiry_in_beijing_time(api, clerk, settings):
    response = api(None).post(TOKEN, {"username": "village_clerk", "password": demo_password()})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00", body["expires_at"])
    expires = datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + settings.API_TOKEN_TTL)) < timedelta(seconds=10)
    me = _bearer(api, body["token"]).get("me")
    assert me.status_code == 200 and me.json()["username"] == "village_clerk"


@pytest.mark.parametrize(("username", "password"), [("village_clerk", "wrong-password"), ("nobody_here", "whatever-1")])
def test_bad_credentials_are_401_in_chinese(api, db, username, password):
    response = api(None).post(TOKEN, {"username": username, "password": password})
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码不正确。", "code": "invalid_credentials"}
    assert not ApiToken.objects.filter(user__username=username).exists()


def test_missing_fields_are_422_with_the_field_and_a_chinese_message(api, db):
    response = api(None).post(TOKEN, {"username": "village_clerk"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"] == [{"field": "password", "message": "此项为必填项。"}]
    assert "password" in body["detail"]
    both = api(None).post(TOKEN, {}).json()
    assert {e["field"] for e in both["errors"]} == {"username", "password"}
    empty = api(None).post(TOKEN, {"username": "", "password": "x"}).json()
    assert empty["errors"][0]["field"] == "username" and "不能为空" in empty["errors"][0]["message"]


def test_malformed_json_is_422(api, db):
    client = api(None).client
    response = client.post("/api/v1/auth/token", "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert re.search("[\u4e00-\u9fff]", response.json()["detail"])


def test_expired_token_is_401(api, clerk):
    raw = _token(api)
    ApiToken.objects.filter(user=clerk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = _bearer(api, raw).get("me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated" and "令牌" in response.json()["detail"]


def test_delete_revokes_the_token_in_use(api, clerk):
    raw = _token(api)
    client = _bearer(api, raw)
    response = client.delete(TOKEN)
    assert response.status_code == 204
    assert ApiToken.objects.get(user=clerk, label="api").revoked_at is not None
    assert client.get("me").status_code == 401  # revoked token
    assert client.delete(TOKEN).status_code == 401


def test_delete_needs_a_token(api, client_for, clerk):
    assert api(None).delete(TOKEN).status_code == 401
    response = client_for(clerk).delete("/api/v1/auth/token")
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_token_session"


def test_lockout_after_the_failure_limit_answers_json(api, clerk, settings):
    client = api(None)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(TOKEN, {"username": "village_clerk", "password": "wrong-password"}).status_code == 401
    locked = client.post(TOKEN, {"username": "village_clerk", "password": "wrong-password"})
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out" and "锁定" in locked.json()["detail"]
    # While locked, even the right password is refused.
    right = client.post(TOKEN, {"username": "village_clerk", "password": demo_password()})
    assert right.status_code == 429 and right.json()["code"] == "locked_out"


def test_token_endpoint_is_rate_limited(api, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "token": 2}
    client = api(None)
    for i in range(2):
        client.post(TOKEN, {"username": f"someone{i}", "password": "x"})
    response = client.post(TOKEN, {"username": "someone9", "password": "x"})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


# --- /api/v1/me: the authorization matrix -----------------------------------------------------


def test_me_anonymous_is_401(api, db):
    response = api(None).get("me")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("persona", "role", "region"),
    [
        ("clerk", "village_clerk", "530124103200"),
        ("auditor", "auditor", "530124000000"),
        ("county_admin", "county_admin", "530124000000"),
    ],
)
def test_me_lists_the_callers_memberships(api, request, persona, role, region):
    body = api(request.getfixturevalue(persona)).get("me").json()
    assert [(m["role"], m["region"]) for m in body["memberships"]] == [(role, region)]
    assert body["memberships"][0]["role_label"]


def test_me_names_a_department_officers_department(api, department):
    body = api(department).get("me").json()
    assert body["memberships"][0]["organisation"] == "富民县民政局"


def test_me_over_the_browser_session(client_for, clerk):
    assert client_for(clerk).get("/api/v1/me").json()["username"] == "village_clerk"


def test_deactivated_account_token_is_refused(api, clerk):
    client = api(clerk)
    clerk.is_active = False
    clerk.save()
    assert client.get("me").status_code == 401
