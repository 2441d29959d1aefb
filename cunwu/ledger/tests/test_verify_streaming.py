"""`cunwu audit verify` reads entries and tree leaves a page at a time: findings must not depend on the page size."""

from __future__ import annotations

import pytest

from cunwu.ledger import selectors
from cunwu.ledger.models import TreeHead
from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries, tampering

pytestmark = pytest.mark.django_db

# One row a page, pages that end inside a chain and at its last entry, and everything in one page.
PAGE_SIZES = (1, 2, 3, 5, 5000)


def test_chains_broken_on_both_sides_of_page_edges_are_found_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    make_entries(5)
    make_entries(4, chain=OTHER)
    with tampering() as cursor:
        cursor.execute("DELETE FROM ledger_chainentry WHERE chain = %s AND seq = 3", [CHAIN])
        cursor.execute("UPDATE ledger_chainentry SET kind = 'x' WHERE chain = %s AND seq = 1", [OTHER])
    found = {}
    for size in PAGE_SIZES:
        monkeypatch.setattr(selectors, "CHUNK", size)
        stats = selectors.VerifyStats()
        problems = list(selectors.chain_verify_iter(None, stats))
        found[size] = ([(p.chain, p.seq, p.problem) for p in problems], stats.chains, stats.entries)
    assert all(result == found[5000] for result in found.values())
    assert found[5000] == ([(CHAIN, 3, "deleted"), (OTHER, 1, "changed")], 2, 8)


def test_signed_checkpoints_are_checked_alike_whatever_the_page_size(monkeypatch: pytest.MonkeyPatch) -> None:
    for n in (2, 3, 4):
        make_entries(1, chain=f"5301241032{n:02d}")
        checkpoint_create_all()
    make_entries(2, chain=OTHER)
    checkpoint_create_all()
    assert list(TreeHead.objects.order_by("size").values_list("size", flat=True)) == [1, 2, 3, 4]
    for size in PAGE_SIZES:
        monkeypatch.setattr(selectors, "CHUNK", size)
        assert selectors.tree_verify() == []
    # The third leaf goes: the trees of size 1 and 2 still hold, those of 3 and 4 no longer can.
    with tampering("ledger_treeleaf") as cursor:
        cursor.execute('DELETE FROM ledger_treeleaf WHERE "index" = 2')
    found = {}
    for size in PAGE_SIZES:
        monkeypatch.setattr(selectors, "CHUNK", size)
        found[size] = selectors.tree_verify()
    assert all(result == found[5000] for result in found.values())
    assert [(p.size, p.problem) for p in found[5000]] == [(3, "tree_mismatch"), (4, "tree_mismatch")]
    assert "只剩 2 片树叶" in found[5000][0].message
