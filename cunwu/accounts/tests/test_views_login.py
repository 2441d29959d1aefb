"""Signing in: Chinese form, lockout (django-axes), rate limit, session expiry, password rules."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from cunwu.accounts.demo import demo_password
from cunwu.accounts.models import User
from cunwu.audit.models import AuditEntry

LOGIN = "/accounts/login/"
CJK = re.compile("[\u4e00-\u9fff]")


def _errors(response) -> list[str]:
    html = response.content.decode()
    summary = "".join(re.findall(r"data-error-summary>(.*?)</div>", html, re.S))  # the shared error summary
    return re.findall(r'class="error">([^<]*)<', html) + re.findall(r"<li>([^<]*)</li>", summary)


def test_login_page_is_chinese_with_labelled_fields(client, db):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    assert '<label for="id_username">用户名</label>' in html and '<label for="id_password">密码</label>' in html
    assert "工作人员登录" in html and 'lang="zh-Hans"' in html


def test_blank_fields_are_required_in_chinese(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert _errors(response) == ["这个字段是必填项。", "这个字段是必填项。"]


def test_wrong_password_is_explained_and_the_username_kept(client, clerk):
    response = client.post(LOGIN, {"username": "village_clerk", "password": "wrong-password"})
    assert response.status_code == 200
    assert "用户名或密码不正确。连续输错多次账号将被暂时锁定。" in _errors(response)
    assert 'value="village_clerk"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_good_login_goes_to_the_workbench_or_next(client, clerk):
    response = client.post(LOGIN, {"username": "village_clerk", "password": demo_password()})
    assert response.status_code == 302 and response["Location"] == "/accounts/workbench/"
    assert client.session["_auth_user_id"] == str(clerk.pk)
    other = Client()
    response = other.post(
        LOGIN + "?next=/audit/", {"username": "village_clerk", "password": demo_password(), "next": "/audit/"}
    )
    assert response["Location"] == "/audit/"
    # An open redirect elsewhere is ignored.
    third = Client()
    response = third.post(
        LOGIN, {"username": "village_clerk", "password": demo_password(), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/accounts/workbench/"


def test_signed_in_person_visiting_login_goes_to_the_workbench(client_for, clerk):
    assert client_for(clerk).get(LOGIN)["Location"] == "/accounts/workbench/"


def test_inactive_account_cannot_sign_in(client, clerk):
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    response = client.post(LOGIN, {"username": "village_clerk", "password": demo_password()})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_must_change_password_goes_to_the_password_page_after_login(client, clerk):
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)
    response = client.post(LOGIN, {"username": "village_clerk", "password": demo_password()})
    assert response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert "为了账号安全" in page.content.decode()
    # Until the password is changed, other pages lead back to the password page.
    assert client.get("/accounts/workbench/")["Location"] == "/accounts/password/"


def test_lockout_after_the_failure_limit(client, clerk, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == int(__import__("os").environ.get("CUNWU_LOGIN_FAILURE_LIMIT", 5))
    for _ in range(limit - 1):
        assert client.post(LOGIN, {"username": "village_clerk", "password": "wrong-password"}).status_code == 200
    locked = client.post(LOGIN, {"username": "village_clerk", "password": "wrong-password"})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "账号已暂时锁定" in html and f"连续 {limit} 次登录失败" in html and "15 分钟" in html
    # The right password does not open a locked account.
    again = client.post(LOGIN, {"username": "village_clerk", "password": demo_password()})
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # Other accounts from the same address are not locked.
    assert client.post(LOGIN, {"username": "village_head", "password": demo_password()}).status_code == 302


def test_login_posts_are_rate_limited(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": 3}
    for i in range(3):
        client.post(LOGIN, {"username": f"someone{i}", "password": "x"})
    response = client.post(LOGIN, {"username": "village_clerk", "password": demo_password()})
    assert response.status_code == 429
    assert "请求过于频繁，请稍后再试。" in response.content.decode()
    assert client.get(LOGIN).status_code == 200  # reading the page is not limited


def test_session_expires(client, clerk):
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and django_settings.SESSION_COOKIE_HTTPONLY
    client.post(LOGIN, {"username": "village_clerk", "password": demo_password()})
    assert client.session.get_expire_at_browser_close()
    assert 0 < client.session.get_expiry_age() <= 8 * 3600


def test_logout_needs_post_and_ends_the_session(client_for, clerk):
    client = client_for(clerk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/accounts/workbench/").status_code == 302


# --- password rules and the password page -------------------------------------------------------


def test_password_validators_speak_chinese(db):
    with pytest.raises(ValidationError) as exc:
        validate_password("123", User(username="abc"))
    assert exc.value.messages == ["密码太短，至少需要 10 个字符。", "这个密码太常见了。", "密码只包含数字。"]
    with pytest.raises(ValidationError) as similar:
        validate_password("zhangsan_lm1", User(username="zhangsan_lm1"))
    assert all(CJK.search(m) for m in similar.value.messages)


def test_password_change_page(client_for, clerk):
    client = client_for(clerk)
    bad = client.post(
        "/accounts/password/", {"old_password": demo_password(), "new_password1": "12345", "new_password2": "12345"}
    )
    assert bad.status_code == 200
    errors = _errors(bad)
    assert "密码太短，至少需要 10 个字符。" in errors and "密码只包含数字。" in errors
    mismatch = client.post(
        "/accounts/password/",
        {"old_password": demo_password(), "new_password1": "Good-pass-2027", "new_password2": "Good-pass-2028"},
    )
    assert "输入的两个密码不一致。" in _errors(mismatch)
    wrong_old = client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "Good-pass-2027", "new_password2": "Good-pass-2027"},
    )
    assert any("旧密码" in e for e in _errors(wrong_old))
    User.objects.filter(pk=clerk.pk).update(must_change_password=True)
    ok = client.post(
        "/accounts/password/",
        {"old_password": demo_password(), "new_password1": "Good-pass-2027", "new_password2": "Good-pass-2027"},
    )
    assert ok.status_code == 302 and ok["Location"] == "/accounts/workbench/"
    clerk.refresh_from_db()
    assert clerk.check_password("Good-pass-2027") and not clerk.must_change_password
    assert AuditEntry.objects.filter(action="user.password_change", object_id=str(clerk.pk)).count() == 1
    # Still signed in after the change (session hash updated).
    assert client.get("/accounts/workbench/").status_code == 200


def test_password_page_needs_login(client, db):
    assert client.get("/accounts/password/")["Location"].startswith("/accounts/login/")


def test_django_chinese_translations_are_active():
    assert django_settings.LANGUAGE_CODE == "zh-hans"
    assert "django.middleware.locale.LocaleMiddleware" in django_settings.MIDDLEWARE
    from django import forms
    from django.utils import translation

    with translation.override("zh-hans"):
        field = forms.IntegerField()
        with pytest.raises(ValidationError) as exc:
            field.clean("abc")
    assert exc.value.messages == ["输入整数。"]
