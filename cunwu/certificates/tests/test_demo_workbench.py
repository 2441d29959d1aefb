"""Demo data and the workbench cards: what each person sees waiting for them."""

from __future__ import annotations

import io
from typing import Any

import pytest

from cunwu.accounts.navigation import nav_for, public_nav, work_items_for

from .. import demo
from ..models import Application, Certificate, CoordinationCase, Status

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(village: Any) -> None:
    demo.seed("demo", io.StringIO())
    assert Application.objects.count() == 5
    assert Certificate.objects.count() == 1 and CoordinationCase.objects.count() == 1
    assert set(Application.objects.values_list("status", flat=True)) == {
        Status.ISSUED,
        Status.REFUSED,
        Status.PENDING,
        Status.RECEIVED,
    }
    demo.seed("demo", io.StringIO())
    demo.seed("yunnan", io.StringIO())
    assert Application.objects.count() == 5


def test_workbench_cards(
    village: Any, clerk: Any, head: Any, township_officer: Any, department: Any, client_for: Any
) -> None:
    demo.seed("demo", io.StringIO())

    def cards(user: Any) -> dict[str, int | None]:
        return {w.title: w.count for w in work_items_for(user) if w.area == "证明事项"}

    assert cards(clerk)["待审查的证明申请"] == 1
    assert cards(head)["待签字出具的证明"] == 1
    assert cards(township_officer) == {"待协调的证明事项": 1}
    assert cards(department) == {}
    page = client_for(township_officer).get("/accounts/workbench/").content.decode()
    assert "待协调的证明事项" in page


def test_menus(clerk: Any, department: Any) -> None:
    assert "证明受理" in dict(nav_for(clerk)) and "证明式样" not in dict(nav_for(clerk))
    assert "证明式样" in dict(nav_for(department))
    assert {"在线申请开证明", "证明真伪核验"} <= set(dict(public_nav()))
