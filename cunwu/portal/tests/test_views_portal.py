"""The public portal and the shell every page shares: Chinese, error pages, CSP-clean markup."""

from __future__ import annotations

import re
from unittest import mock

import pytest

from cunwu.accounts.navigation import Section

CJK = re.compile("[\u4e00-\u9fff]")


@pytest.mark.parametrize("persona", [None, "clerk", "auditor"])
def test_portal_home_is_public(client, client_for, request, persona):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    response = c.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "公开门户" in html and "（十六）" in html
    assert ("工作人员请" in html) is (persona is None)


def test_portal_lists_the_public_sections_of_every_app(client, db):
    sections = [
        Section("清单公开", "/catalogs/", "五张清单及其依据"),
        Section("我要开证明", "/certificates/guide/", ""),
    ]
    with mock.patch("cunwu.portal.views.public_sections", return_value=sections):
        html = client.get("/").content.decode()
    assert (
        '<a class="card link-card" href="/catalogs/"><h3>清单公开</h3><p class="muted small">五张清单及其依据</p></a>'
        in html
    )
    assert 'href="/certificates/guide/"><h3>我要开证明</h3></a>' in html
    assert "正在建设中" not in html


def test_portal_without_sections_says_so(client, db):
    with mock.patch("cunwu.portal.views.public_sections", return_value=[]):
        assert "公开栏目正在建设中" in client.get("/").content.decode()


def test_public_sections_come_from_the_apps_nav_modules(db):
    from cunwu.accounts.navigation import public_nav, public_sections

    assert [(s.label, s.url) for s in public_sections()] == public_nav()


@pytest.mark.parametrize("persona", [None, "clerk"])
def test_unknown_page_is_a_chinese_404(client, client_for, request, persona):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    response = c.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到该页面或记录" in html and "公开门户" in html
    assert ("回到工作台" in html) is (persona is not None)


def test_forbidden_page_is_chinese(client_for, clerk):
    response = client_for(clerk).get("/audit/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "没有权限" in html and "没有查看操作日志的权限" in html and "回到工作台" in html


def test_domain_404_carries_its_detail(client_for, county_admin):
    response = client_for(county_admin).get("/accounts/users/999999/")
    assert response.status_code == 404
    assert "找不到该账号，或不在您的管辖范围内。" in response.content.decode()


def test_error_views_render(rf, db):
    from django.contrib.auth.models import AnonymousUser

    from cunwu.portal.views import forbidden, not_found, server_error

    request = rf.get("/x")
    request.user = AnonymousUser()
    assert not_found(request).status_code == 404
    assert forbidden(request).status_code == 403
    response = server_error(request)
    assert response.status_code == 500 and "系统暂时出错" in response.content.decode()


def test_robots_and_favicon(client, db):
    robots = client.get("/robots.txt")
    assert robots["Content-Type"].startswith("text/plain") and "Disallow: /accounts/" in robots.content.decode()
    favicon = client.get("/favicon.ico")
    assert favicon.status_code == 301 and favicon["Location"].endswith("favicon.svg")


PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/workbench/",
    "/accounts/users/",
    "/accounts/users/new/",
    "/accounts/users/import/",
    "/audit/",
    "/accounts/password/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_no_inline_script_or_style(client, client_for, county_admin, url):
    response = (client if "login" in url else client_for(county_admin)).get(url)
    html = response.content.decode()
    # CSP forbids inline scripts and style attributes: every script has a src, no style="…".
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
    assert not re.search(r"\sstyle=", html), url
    assert "javascript:" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert 'lang="zh-Hans"' in html and CJK.search(html)


@pytest.mark.parametrize("url", PAGES[:2])
def test_every_input_has_a_label(client, db, url):
    html = client.get(url).content.decode()
    ids = re.findall(r'<input[^>]*\bid="([^"]+)"', html)
    for input_id in ids:
        assert f'for="{input_id}"' in html, input_id


def test_static_assets_are_served_locally(client, db):
    html = client.get("/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg))"', html)
    assert sources and all(s.startswith("/static/") for s in sources)
    for src in sources:
        assert client.get(src).status_code == 200, src
