"""Every page of the URL conf × every persona answers the status the access table expects."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from .access_table import PAGE_NAMESPACES, PAGES
from .matrix import PERSONAS, Caller, Row, page_patterns, pattern_params
from .world import build_world

pytestmark = pytest.mark.django_db


def _row(name: str) -> Row | None:
    return PAGES.get(name) or PAGE_NAMESPACES.get(name.split(":")[0])


def test_every_page_has_a_row_in_the_access_table() -> None:
    missing = [name for name, _ in page_patterns() if _row(name) is None]
    assert not missing, (
        "These pages have no expected statuses: add a row per URL name to PAGES in "
        f"cunwu/tests/access_table.py (and their objects to cunwu/tests/world.py): {missing}"
    )
    stale = sorted(set(PAGES) - {name for name, _ in page_patterns()})
    assert not stale, f"Rows for pages that no longer exist (remove them from PAGES): {stale}"


def test_every_page_answers_each_persona_as_the_table_says(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    world.setdefault("app_label", "accounts")
    caller = Caller()
    wrong: list[str] = []
    asked = 0
    for name, pattern in page_patterns():
        row = _row(name)
        assert row is not None  # the test above names what is missing
        params = pattern_params(pattern)
        names = {p: row.kw.get(p, p) for p in params}
        if any(v not in world for v in names.values()):
            assert name.startswith("admin:"), f"{name}: no world value for {names} (add kw= to its row)"
            continue  # admin change/delete pages of single objects: the namespace rule is checked on the rest
        url = reverse(name, kwargs={p: world[v] for p, v in names.items()})
        for persona, status in row.expected(api=False).items():
            got = caller.page(persona, url)
            asked += 1
            if got != status:
                wrong.append(f"{name} ({url}) as {persona}: expected {status}, got {got}")
    assert asked > 14 * 150
    assert not wrong, "\n".join(wrong)


def test_the_personas_are_the_fourteen_of_the_issue() -> None:
    assert len(PERSONAS) == 14 and "anonymous" in PERSONAS
