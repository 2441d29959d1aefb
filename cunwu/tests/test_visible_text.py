"""No internal codes or command names on screen (issue 16): the main pages, public and staff, rendered
as the people who use them, and their visible text scanned for snake_case identifiers (a rule id, a
status code, a field name) and command names.

Visible text is what a person reads or hears: text nodes and the alt, title, placeholder and
aria-label attributes. Exempt, each for a reason:
- <code>, <pre>, <script>, <style>: code blocks shown as code on purpose (an API example, a
  placeholder table, a hash-chain record's content exactly as it was hashed, so anyone can recompute
  the hash), and what is not text at all;
- login usernames (`village_clerk`): a person's account name is what they type to sign in, so
  account pages and the header show it as it is.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from .matrix import PERSONAS, Caller
from .world import build_world

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"(?<![\w./:#-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])")
COMMANDS = re.compile(
    r"\bcunwu\s+[a-z_]+\b|manage\.py|\bpython\b|\bpip install\b|chinese-calendar|\bmakemigrations\b|\bsigns_scan\b"
)
SKIP = {"script", "style", "code", "pre", "template"}
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")

# (persona, URL name, world value names for the path) — the pages people use most, each as its user.
MAIN_PAGES: list[tuple[str, str, dict[str, str]]] = [
    ("anonymous", "portal:home", {}),
    ("anonymous", "certificates_public:apply", {}),
    ("anonymous", "certificates_public:apply_form", {"code": "village"}),
    ("anonymous", "certificates_public:samples", {}),
    ("anonymous", "certificates_public:apply_status", {}),
    ("anonymous", "certificates_public:apply_done", {"ticket": "ticket"}),
    ("anonymous", "certificates_public:verify_form", {}),
    ("anonymous", "certificates_public:verify", {"token": "token"}),
    ("anonymous", "accounts:login", {}),
    ("clerk", "accounts:workbench", {}),
    ("clerk", "certificates:list", {}),
    ("clerk", "certificates:new", {}),
    ("clerk", "certificates:detail", {"pk": "application"}),
    ("head", "certificates:certificate", {"pk": "certificate"}),
    ("head", "certificates:revoke", {"pk": "certificate"}),
    ("auditor", "certificates:register", {}),
    ("clerk", "seals:request_detail", {"pk": "seal_request"}),
    ("head", "seals:request_detail", {"pk": "seal_request"}),
    ("custodian", "seals:request_detail", {"pk": "seal_request"}),
    ("department", "admission:request_new", {}),
    ("reviewer", "admission:requests", {}),
    ("reviewer", "admission:review", {}),
    ("township", "accounts:workbench", {}),
    ("county_admin", "accounts:workbench", {}),
    ("clerk", "signs:village", {"code": "village"}),
    ("reviewer", "admission:request_detail", {"pk": "admission_request"}),
    ("clerk", "admission:village", {}),
    ("reviewer", "admission:ledger", {}),
    ("supervisor", "accounts:workbench", {}),
    ("supervisor", "oversight:formula", {}),
    ("supervisor", "ledger:chain", {"chain": "chain"}),
    # oversight: records behind a figure, alert rules (issue 15 review)
    ("township", "oversight:records", {"code": "village", "figure": "burden_figure"}),
    ("supervisor", "oversight:rules", {}),
    ("supervisor", "oversight:rule", {"code": "alert_rule"}),
]


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.skipping = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skipping += 1
        if not self.skipping:
            self.parts.extend(v for k, v in attrs if k in ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def internal_words(text: str, usernames: set[str]) -> list[str]:
    found = [m.group(0) for m in SNAKE.finditer(text) if m.group(0) not in usernames]
    return found + [m.group(0) for m in COMMANDS.finditer(text)]


def test_the_scanner_sees_what_people_see() -> None:
    html = '<p title="x_y">筛查结果：rejected <code>rule_id</code> village_clerk</p><script>var a_b;</script>'
    assert visible_text(html) == "x_y 筛查结果：rejected village_clerk"
    assert internal_words("需 needs_review，请运行 cunwu audit verify", set()) == ["needs_review", "cunwu audit"]
    assert internal_words("账号 village_clerk，网址 /api/v1/x_y", {"village_clerk"}) == []


def test_main_pages_show_no_internal_codes_or_command_names(settings: Any, tmp_path: Any) -> None:
    from cunwu.accounts.models import User

    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    usernames = set(User.objects.values_list("username", flat=True))
    caller = Caller()
    found: list[str] = []
    for persona, name, kw in MAIN_PAGES:
        assert persona in PERSONAS
        url = reverse(name, kwargs={p: world[v] for p, v in kw.items()})
        response = caller.pages[persona].get(url)
        assert response.status_code == 200, f"{name} as {persona}: {response.status_code}"
        words = internal_words(visible_text(response.content.decode()), usernames)
        if words:
            found.append(f"{name} as {persona} ({url}): {sorted(set(words))}")
    assert not found, "\n".join(found)


def test_the_screening_result_shows_no_rule_ids(client_for: Any) -> None:
    """The answer of 先筛查一下 (an htmx partial) in words: outcome, rules and effects from the label table."""
    from cunwu.accounts.models import User

    department = User.objects.get(username="department_officer")
    response = client_for(department).post(
        reverse("admission:screen_preview"),
        {"title": "安全生产责任书", "content": "请各村签订安全生产责任书，村委会为责任主体，每周上报截图。"},
        headers={"HX-Request": "true"},
    )
    text = visible_text(response.content.decode())
    assert "筛查结果" in text and "不予通过" in text
    assert internal_words(text, set()) == []
