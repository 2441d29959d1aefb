"""Personas and helpers shared by every app's tests.

The test database holds the real divisions, the demo county's generated villages, the demo
accounts and the example catalogs, loaded once per session through the same code as `cunwu seed`.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

VILLAGE = "530124103200"
OTHER_VILLAGE = "530124103201"
TOWNSHIP = "530124103000"
COUNTY = "530124000000"


def seed_base() -> None:
    """Regions, demo accounts and example catalogs: what every area builds on."""
    from cunwu.accounts import demo as accounts_demo
    from cunwu.catalogs import demo as catalogs_demo
    from cunwu.regions.seeding import seed_regions

    seed_regions("demo")
    out = io.StringIO()
    accounts_demo.seed(scale="demo", stdout=out)
    catalogs_demo.seed(scale="demo", stdout=out)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        seed_base()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test (browser journeys, concurrency) ends by flushing every table; seed the base
    data again so a test run after it in the same worker finds the regions, accounts and catalogs."""
    yield
    if nextitem is None:  # the session (and its test database) has just been torn down
        return
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if not marked and "transactional_db" not in getattr(item, "fixturenames", ()):
        return
    from pytest_django.plugin import blocking_manager_key

    from cunwu.accounts.models import User

    with item.config.stash[blocking_manager_key].unblock():
        if not User.objects.exists():
            seed_base()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # Rate-limit counters, cached catalogs and registry look-ups must not leak from one test into the next.
    from cunwu.admission.selectors import clear_registry_cache
    from cunwu.catalogs.selectors import clear_cache
    from cunwu.certificates.selectors import verify_rows_forget

    cache.clear()
    clear_cache()
    clear_registry_cache()
    verify_rows_forget()
    yield
    cache.clear()
    clear_cache()
    clear_registry_cache()
    verify_rows_forget()


def _user(username: str) -> Any:
    from cunwu.accounts.models import User

    return User.objects.get(username=username)


@pytest.fixture
def clerk(db: Any) -> Any:
    """Village clerk (经办人) of the first village of 罗免镇."""
    return _user("village_clerk")


@pytest.fixture
def head(db: Any) -> Any:
    """Principal (主要负责人) of the same village."""
    return _user("village_head")


@pytest.fixture
def custodian(db: Any) -> Any:
    return _user("seal_custodian")


@pytest.fixture
def supervisor(db: Any) -> Any:
    return _user("supervisor")


@pytest.fixture
def other_clerk(db: Any) -> Any:
    """Clerk of the second village of 罗免镇: an outsider to the first village."""
    return _user("village_clerk2")


@pytest.fixture
def other_head(db: Any) -> Any:
    return _user("village_head2")


@pytest.fixture
def township_officer(db: Any) -> Any:
    return _user("township_officer")


@pytest.fixture
def reviewer(db: Any) -> Any:
    return _user("county_reviewer")


@pytest.fixture
def county_admin(db: Any) -> Any:
    return _user("county_admin")


@pytest.fixture
def department(db: Any) -> Any:
    """Officer of 富民县民政局."""
    return _user("department_officer")


@pytest.fixture
def other_department(db: Any) -> Any:
    """Officer of 富民县公安局."""
    return _user("department_officer2")


@pytest.fixture
def auditor(db: Any) -> Any:
    """Read-only oversight at the county."""
    return _user("auditor")


@pytest.fixture
def province_admin(db: Any) -> Any:
    return _user("province_admin")


@pytest.fixture
def prefecture_admin(db: Any) -> Any:
    return _user("prefecture_admin")


@pytest.fixture
def village(db: Any) -> Any:
    from cunwu.regions.models import Region

    return Region.objects.get(code=VILLAGE)


@pytest.fixture
def other_village(db: Any) -> Any:
    from cunwu.regions.models import Region

    return Region.objects.get(code=OTHER_VILLAGE)


@pytest.fixture
def township(db: Any) -> Any:
    from cunwu.regions.models import Region

    return Region.objects.get(code=TOWNSHIP)


@pytest.fixture
def county(db: Any) -> Any:
    from cunwu.regions.models import Region

    return Region.objects.get(code=COUNTY)


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Client]:
    """A browser-like client signed in as the given person (session + CSRF checks on)."""

    def make(user: Any) -> Client:
        client = Client(enforce_csrf_checks=False)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make


class ApiClient:
    """JSON client for /api/v1/ carrying a bearer token (or none, for the public)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data: Any = None, **kwargs: Any) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        fn = getattr(self.client, method)
        if method in ("get", "delete"):
            return fn(url, data or {}, headers=self.headers, **kwargs)
        return fn(
            url, data if data is not None else {}, content_type="application/json", headers=self.headers, **kwargs
        )

    def get(self, path: str, params: Any = None, **kw: Any) -> Any:
        return self._call("get", path, params, **kw)

    def post(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._call("post", path, data, **kw)

    def put(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._call("put", path, data, **kw)

    def patch(self, path: str, data: Any = None, **kw: Any) -> Any:
        return self._call("patch", path, data, **kw)

    def delete(self, path: str, params: Any = None, **kw: Any) -> Any:
        return self._call("delete", path, params, **kw)


@pytest.fixture
def api(db: Any) -> Callable[[Any], ApiClient]:
    """`api(user)` → a client with that person's bearer token; `api(None)` → anonymous."""
    from cunwu.accounts.services import api_token_issue

    def make(user: Any = None) -> ApiClient:
        if user is None:
            return ApiClient()
        raw, _ = api_token_issue(user=user, label="test")
        return ApiClient(raw)

    return make


# --- browser tests -------------------------------------------------------------------------

CHROMIUM = os.environ.get("CUNWU_CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make deps` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def seeded_live_server(transactional_db: Any, live_server: Any) -> Any:
    """A live server over a freshly seeded database (transactional tests flush after each test)."""
    seed_base()
    return live_server


@pytest.fixture
def page_for(browser: Any, seeded_live_server: Any) -> Iterator[Callable[..., Any]]:
    """`page_for(username, phone=False)` → a Playwright page signed in through the real login form."""
    from cunwu.accounts.demo import demo_password

    contexts = []

    def make(username: str | None = None, phone: bool = False) -> Any:
        context = browser.new_context(viewport=PHONE if phone else {"width": 1280, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        if username:
            page.goto(f"{seeded_live_server.url}/accounts/login/")
            page.get_by_label("用户名").fill(username)
            page.get_by_label("密码").fill(demo_password())
            page.get_by_role("button", name="登录").click()
            page.wait_for_url("**/accounts/workbench/")
        return page

    make.base_url = seeded_live_server.url  # type: ignore[attr-defined]
    yield make
    for context in contexts:
        context.close()
