"""The staff menu: grouped by the work an entry belongs to, each entry once, only what the role may open."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.accounts.navigation import GROUPS, nav_for, nav_groups_for

pytestmark = pytest.mark.django_db


def test_menu_groups_follow_the_fixed_order_and_hold_every_entry_once(township_officer: Any) -> None:
    groups = nav_groups_for(township_officer)
    headings = [g for g, _ in groups]
    assert headings == [g for g in GROUPS if g in headings]
    assert groups[0] == ("", [("工作台", "/accounts/workbench/")])
    flat = [entry for _, entries in groups for entry in entries]
    assert flat == nav_for(township_officer)
    assert len({url for _, url in flat}) == len(flat)


def test_an_entry_granted_by_two_permissions_is_listed_once(province_admin: Any) -> None:
    labels = [label for label, _ in nav_for(province_admin)]
    assert len(labels) == len(set(labels))


def test_a_village_clerk_sees_no_county_headings(clerk: Any) -> None:
    entries = dict(nav_for(clerk))
    assert "准入审查" not in entries and "人员账号" not in entries
    assert "证明受理" in dict(dict(nav_groups_for(clerk))["证明"])
