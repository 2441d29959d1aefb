"""`cunwu seals verify` walks the register a page at a time: what it finds must not depend on the page size."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from cunwu.accounts.models import User
from cunwu.seals.models import SealUse
from cunwu.seals.selectors import register_problems

from .factories import stamped

pytestmark = pytest.mark.django_db

# One row a page, pages that end inside and at the edge of a village, and everything in one page.
PAGE_SIZES = (1, 2, 3, 1000)


@pytest.fixture
def uses(
    seal: Any, other_seal: Any, clerk: Any, head: Any, custodian: Any, other_clerk: Any, other_head: Any
) -> list[SealUse]:
    other_custodian = User.objects.get(username="seal_custodian2")
    mine = [stamped(seal, clerk, head, custodian, text=f"doc-{i}", matter=f"为村民出具居住证明{i}") for i in range(3)]
    theirs = [
        stamped(other_seal, other_clerk, other_head, other_custodian, text=f"other-{i}", matter=f"出具收入证明{i}")
        for i in range(2)
    ]
    return mine + theirs


def attacker_sql(sql: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE seals_sealuse DISABLE TRIGGER ALL")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
        cursor.execute(sql, params)


def key(use: SealUse) -> str:
    return use.pk.hex if connection.vendor == "sqlite" else str(use.pk)


def test_the_untouched_register_passes_at_every_page_size(uses: list[SealUse]) -> None:
    assert {size: register_problems(chunk=size) for size in PAGE_SIZES} == dict.fromkeys(PAGE_SIZES, (5, []))


def test_tampering_on_both_sides_of_page_edges_is_found_alike_at_every_page_size(
    uses: list[SealUse], village: Any, other_village: Any
) -> None:
    edited, moved, deleted = uses[1], uses[2], uses[3]
    attacker_sql("UPDATE seals_sealuse SET impressions = 7 WHERE id = %s", [key(edited)])
    # A second row claiming position 1: the walk's order now has a tie that pages must not lose or repeat.
    attacker_sql("UPDATE seals_sealuse SET chain_seq = 1 WHERE id = %s", [key(moved)])
    attacker_sql("DELETE FROM seals_sealuse WHERE id = %s", [key(deleted)])

    found = {size: register_problems(chunk=size) for size in PAGE_SIZES}

    assert all(result == found[1000] for result in found.values())
    checked, problems = found[1000]
    assert checked == 4 and len(problems) == 3
    mine = [p for p in problems if village.code in p]
    assert any(str(edited.pk) in p and "登记簿被改动" in p for p in mine)
    assert any(str(moved.pk) in p and "链上位置或哈希与存证链不符" in p for p in mine)
    assert [p for p in problems if other_village.code in p] == [
        f"村（社区）{other_village.code}，链上第 1 条：用印登记簿中缺少用印登记 {deleted.pk}（登记被删除）"
    ]


def test_one_region_is_walked_alike_at_every_page_size(uses: list[SealUse], village: Any) -> None:
    attacker_sql("DELETE FROM seals_sealuse WHERE id = %s", [key(uses[0])])
    found = {size: register_problems(region=village.code, chunk=size) for size in PAGE_SIZES}
    assert all(result == found[1000] for result in found.values())
    checked, problems = found[1000]
    assert checked == 2 and len(problems) == 1 and str(uses[0].pk) in problems[0]
