"""axe-core (WCAG 2.1 A/AA, the automated part) on every public page and the main staff pages (issue 16).

axe-core comes from the npm registry (package.json / package-lock.json; `make node_modules` runs
`npm ci`) and is injected through Playwright into Debian's Chromium. Each page is checked at 375 px
and at 1280 px; any serious or critical violation fails the test, printed page by page with the
rule, its help text and the offending elements. The pages are listed here explicitly: a new public
page or a main staff page gets a line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cunwu.certificates.tests.helpers import make_application, make_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = ({"width": 375, "height": 812}, {"width": 1280, "height": 900})
BLOCKING = ("serious", "critical")
VILLAGE = "530124103200"
COUNTY = "530124000000"

# Every public page that renders HTML (files, feeds, JSON and htmx fragments such as /jubao/diqu/ are not pages).
PUBLIC_PAGES = (
    "/",
    "/zhaocun/?q=dqc",
    "/gongkai/",
    f"/gongkai/{COUNTY}/",
    f"/gongkai/{VILLAGE}/",
    f"/gongkai/{VILLAGE}/cert_retained/",
    f"/gongkai/{COUNTY}/tiaozheng/",
    "/kaizhengming/",
    f"/kaizhengming/{VILLAGE}/",
    f"/kaizhengming/{VILLAGE}/?q=亲属关系证明",
    "/v/",
    "/v/{token}",
    "/v/not-a-token",
    "/apply/certificate/",
    "/apply/certificate/?q=大箐",
    "/apply/certificate/status/",
    f"/apply/certificate/{VILLAGE}/",
    "/certificate-samples/",
    "/facilities/standard/",
    "/zhunru/",
    f"/zhunru/zhize/{COUNTY}/",
    "/manyi/",
    f"/gangwei/{VILLAGE}/",
    "/ledger/",
    "/gongkai/fudan",
    "/jubao/",
    "/jubao/chaxun/",
    "/tongbao/",
    "/accounts/login/",
)

# The main staff pages, each as the person who works on it.
STAFF_PAGES = (
    ("village_clerk", "/accounts/workbench/"),
    ("village_clerk", "/certificates/"),
    ("village_clerk", "/certificates/new/"),
    ("village_clerk", "/certificates/a/{application}/"),
    ("village_head", "/accounts/workbench/"),
    ("village_head", "/certificates/c/{certificate}/"),
    ("village_clerk", "/signs/"),
    ("village_clerk", "/seals/"),
    ("village_clerk", "/reporting/"),
    ("township_officer", "/accounts/workbench/"),
    ("county_reviewer", "/complaints/"),
    ("county_admin", "/catalogs/"),
    ("county_admin", "/admission/"),
    ("county_admin", "/oversight/"),
    ("county_admin", "/ledger/"),
)


def _violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            resultTypes: ["violations"],
          });
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary,
                                       html: n.html.slice(0, 200)}))}));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING]


def _report(found: dict[str, list[dict[str, Any]]]) -> str:
    lines = []
    for where, violations in found.items():
        lines.append(f"\n== {where}")
        for v in violations:
            lines.append(f"  [{v['impact']}] {v['id']}: {v['help']}")
            for node in v["nodes"][:6]:
                lines.append(f"      at {node['target']}\n         {node['html']}")
                lines.append("         " + (node["summary"] or "").replace("\n", "\n         "))
    return "\n".join(lines)


def _check(browser: Any, base: str, pages: list[tuple[str | None, str]]) -> dict[str, list[dict[str, Any]]]:
    from cunwu.accounts.demo import demo_password

    found: dict[str, list[dict[str, Any]]] = {}
    for viewport in WIDTHS:
        sessions: dict[str | None, Any] = {}
        for username, path in pages:
            if username not in sessions:
                # bypass_csp lets the test inject axe; the pages themselves are served as always.
                context = browser.new_context(viewport=viewport, locale="zh-CN", bypass_csp=True)
                page = context.new_page()
                page.set_default_timeout(15000)
                if username:
                    page.goto(f"{base}/accounts/login/")
                    page.get_by_label("用户名").fill(username)
                    page.get_by_label("密码").fill(demo_password())
                    page.get_by_role("button", name="登录").click()
                    page.wait_for_url("**/accounts/workbench/")
                sessions[username] = (context, page)
            page = sessions[username][1]
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status < 400, (
                f"{path} as {username}: {response and response.status}"
            )
            violations = _violations(page)
            if violations:
                found[f"{path} ({username or 'public'}, {viewport['width']} px)"] = violations
        for context, _ in sessions.values():
            context.close()
    return found


@pytest.fixture
def axe_ready(settings: Any, tmp_path: Path) -> Iterator[None]:
    """axe-core is there; uploads go to a temporary folder and key caches start empty (as in the certificates tests)."""
    from cunwu.certificates.keys import clear_caches

    if not AXE.exists():
        pytest.fail(f"axe-core not installed at {AXE}: run `make node_modules` (npm ci)")
    settings.MEDIA_ROOT = tmp_path / "media"
    clear_caches()
    yield
    clear_caches()


def test_public_pages_have_no_serious_or_critical_axe_violations(
    axe_ready: None, browser: Any, seeded_live_server: Any, clerk: Any, head: Any, village: Any
) -> None:
    cert = make_certificate(clerk, head, village)
    pages = [(None, p.replace("{token}", cert.token)) for p in PUBLIC_PAGES]
    found = _check(browser, seeded_live_server.url, pages)
    assert not found, "axe-core found serious or critical problems:" + _report(found)


def test_main_staff_pages_have_no_serious_or_critical_axe_violations(
    axe_ready: None, browser: Any, seeded_live_server: Any, clerk: Any, head: Any, village: Any
) -> None:
    cert = make_certificate(clerk, head, village)
    app = make_application(clerk, village, text="银行要我开亲属关系证明")
    ids = {"application": app.pk, "certificate": cert.pk}
    pages = [(user, path.format(**ids)) for user, path in STAFF_PAGES]
    found = _check(browser, seeded_live_server.url, pages)
    assert not found, "axe-core found serious or critical problems:" + _report(found)


def test_axe_reports_a_planted_violation(axe_ready: None, browser: Any, seeded_live_server: Any) -> None:
    """The check itself works: an unlabeled input on a live page is caught and reported readably."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(f"{seeded_live_server.url}/")
    page.evaluate(
        "() => { const i = document.createElement('input'); i.type = 'text'; document.querySelector('main').append(i); }"
    )
    found = {"/": _violations(page)}
    context.close()
    assert any(v["id"] == "label" for v in found["/"]), json.dumps(found, ensure_ascii=False)
    assert "[critical] label" in _report(found)
