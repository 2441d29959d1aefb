"""Reads of the registers: entries by chain and by object, heads, checkpoint history, scoped lists."""

from __future__ import annotations

import pytest

from cunwu.errors import Forbidden
from cunwu.ledger.selectors import (
    chain_entries,
    chain_entries_for_ref,
    chain_heads,
    chain_list_for,
    chain_verify_for,
    checkpoint_list,
)
from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, OTHER, make_entries

pytestmark = pytest.mark.django_db


def test_chain_entries_in_order_and_after_a_seq() -> None:
    make_entries(4)
    make_entries(1, chain=OTHER)
    assert list(chain_entries(CHAIN).values_list("seq", flat=True)) == [1, 2, 3, 4]
    assert list(chain_entries(CHAIN, after_seq=2).values_list("seq", flat=True)) == [3, 4]


def test_entries_of_one_object() -> None:
    make_entries(3)
    make_entries(3, chain=OTHER)
    found = chain_entries_for_ref("certificates.certificate", 2)
    assert [(e.chain, e.seq) for e in found] == [(CHAIN, 2), (OTHER, 2)]


def test_heads_are_the_latest_checkpoint_per_chain(django_assert_num_queries) -> None:
    make_entries(2)
    checkpoint_create_all()
    make_entries(2)
    make_entries(1, chain=OTHER)
    checkpoint_create_all()
    with django_assert_num_queries(1):
        heads = [(c.chain, c.seq) for c in chain_heads()]
    assert heads == [(CHAIN, 4), (OTHER, 1)]
    assert [(c.chain, c.seq) for c in chain_heads(OTHER)] == [(OTHER, 1)]
    assert [c.chain for c in chain_heads(prefix="530124103")] == [CHAIN, OTHER]
    assert list(chain_heads(prefix="530125")) == []
    assert [c.seq for c in checkpoint_list(CHAIN)] == [4, 2]
    assert len(checkpoint_list()) == 3


def test_chain_list_is_scoped(supervisor, auditor, clerk) -> None:
    make_entries(1)
    make_entries(1, chain=OTHER)
    assert [h.chain for h in chain_list_for(supervisor)] == [CHAIN]
    assert [h.chain for h in chain_list_for(auditor)] == [CHAIN, OTHER]
    assert [h.chain for h in chain_list_for(auditor, q="530124103201")] == [OTHER]
    with pytest.raises(Forbidden):
        chain_list_for(clerk)
    assert chain_verify_for(supervisor, CHAIN) == []
