"""The labelled screening sets (tests/data/screening_*.jsonl) and per-rule precision/recall.

`dev` is the set the rules were written against; the holdout sets were written afterwards and
each first scored without changes (bench/bench_admission.py prints those first-run figures).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cunwu.admission.rules import RULE_IDS, ScreenInput
from cunwu.admission.screening import find_violations

DATA = Path(__file__).resolve().parent / "data"
SIGN_CSV = Path(__file__).resolve().parents[3] / "data" / "catalogs" / "sign.csv"


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / f"screening_{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def retained_signs() -> list[str]:
    """Names and aliases of the example sign catalog (what the service passes in from the DB)."""
    names: list[str] = []
    with SIGN_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names.append(row["name"])
            names.extend(a for a in row["aliases"].split("|") if a)
    return names


def to_input(row: dict[str, Any]) -> ScreenInput:
    return ScreenInput(
        title=row["title"],
        content=row["content"],
        type=row.get("type", ""),
        basis=row.get("basis", ""),
        pledge=row.get("pledge"),
        responsible_body=row.get("responsible_body", ""),
        evidence=row.get("evidence", ""),
    )


@dataclass
class RuleScore:
    rule: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(rows: list[dict[str, Any]]) -> tuple[dict[str, RuleScore], list[tuple[dict[str, Any], set[str]]], int]:
    """Per-rule scores, the rows that were not exactly right (with what was found), and how many
    rows were exactly right."""
    signs = retained_signs()
    scores = {r: RuleScore(r) for r in RULE_IDS}
    wrong = []
    exact = 0
    for row in rows:
        got = {v.rule for v in find_violations(to_input(row), signs)}
        want = set(row["rules"])
        for r in RULE_IDS:
            s = scores[r]
            if r in got and r in want:
                s.tp += 1
            elif r in got:
                s.fp += 1
            elif r in want:
                s.fn += 1
        if got == want:
            exact += 1
        else:
            wrong.append((row, got))
    return scores, wrong, exact
