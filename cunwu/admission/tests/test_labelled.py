"""Precision and recall of the screening rules on the labelled sets (floors, not timings)."""

from __future__ import annotations

import pytest

from .labelled import evaluate, load

SETS = ["dev", "holdout", "holdout2", "holdout3"]


def everything() -> list[dict]:
    return [row for name in SETS for row in load(name)]


def test_sets_are_big_and_cover_every_rule() -> None:
    rows = everything()
    assert len(rows) >= 60
    scores, _, _ = evaluate(rows)
    for rule, s in scores.items():
        assert s.support >= 5, rule
    assert sum(1 for r in rows if not r["rules"]) >= 30  # hard negatives: 协助/配合/宣传, negations


def test_per_rule_precision_recall_floors() -> None:
    scores, _, _ = evaluate(everything())
    for rule, s in scores.items():
        assert s.precision >= 0.9, (rule, s)
        assert s.recall >= 0.9, (rule, s)


@pytest.mark.parametrize("name", SETS)
def test_each_set_mostly_exact(name: str) -> None:
    rows = load(name)
    _, wrong, exact = evaluate(rows)
    assert exact / len(rows) >= 0.85, [r["title"] for r, _ in wrong]
