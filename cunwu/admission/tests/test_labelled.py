"""Precision and recall of the screening rules on the labelled sets (floors, not timings)."""

from __future__ import annotations

import pytest

from .labelled import evaluate, load


def test_sets_are_big_and_cover_every_rule() -> None:
    rows = load("dev") + load("holdout") + load("holdout2") + load("holdout3")
    assert len(rows) >= 60
    scores, _, _ = evaluate(rows)
    for rule, s in scores.items():
        assert s.support >= 3, rule
    assert sum(1 for r in rows if not r["rules"]) >= 30  # hard negatives: 协助/配合/宣传, negations


@pytest.mark.parametrize("name", ["dev", "holdout", "holdout2", "holdout3"])
def test_precision_recall_floors(name: str) -> None:
    scores, wrong, exact = evaluate(load(name))
    for rule, s in scores.items():
        assert s.precision >= 0.8, (rule, s)
        assert s.recall >= 0.8, (rule, s)
    assert exact / len(load(name)) >= 0.85, [r["title"] for r, _ in wrong]
