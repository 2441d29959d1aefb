"""The self-check of a labelled set of department forms (bench/reporting_forms_fresh*.py): the labels are
consistent and every form writes as a file and reads back. It never runs the overlap finder."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from cunwu.reporting.tests.sheets import FormSpec, form_bytes, form_rows


def label_problems(
    specs: list[FormSpec], unit_size: dict[str, tuple[str, float]], near_misses: list[tuple[str, str]]
) -> list[str]:
    """What is wrong with the labels: a unit outside unit_size, one concept in units of different kinds,
    a data column without a concept, a near-miss naming a concept no form collects or pairing a concept
    with itself, a near-miss listed twice, or two columns of one form with the same concept."""
    problems: list[str] = []
    kinds: dict[str, set[str]] = {}
    for spec in specs:
        seen: set[str] = set()
        for col in spec.flat():
            if col.role == "data" and not col.concept:
                problems.append(f"{spec.title}: {col.header} has no concept")
            if not col.concept:
                continue
            if col.concept in seen:
                problems.append(f"{spec.title}: {col.concept} twice")
            seen.add(col.concept)
            if col.unit is None:
                continue
            if col.unit not in unit_size:
                problems.append(f"{spec.title}: {col.header} in unknown unit {col.unit}")
                continue
            kinds.setdefault(col.concept, set()).add(unit_size[col.unit][0])
    problems += [f"{c}: units of kinds {sorted(k)}" for c, k in kinds.items() if len(k) > 1]
    concepts = {col.concept for spec in specs for col in spec.flat() if col.concept}
    listed: set[frozenset[str]] = set()
    for a, b in near_misses:
        problems += [f"near miss names unknown concept {c}" for c in (a, b) if c not in concepts]
        if a == b:
            problems.append(f"near miss {a} pairs a concept with itself")
        if frozenset((a, b)) in listed:
            problems.append(f"near miss {a}/{b} listed twice")
        listed.add(frozenset((a, b)))
    return problems


def written_and_read_back(specs: list[FormSpec], folder: Path) -> int:
    """Write every form as its department would upload it and read it back; the number of files."""
    for spec in specs:
        path = folder / spec.filename
        path.write_bytes(form_bytes(spec))
        if spec.fmt == "xlsx":
            sheet = load_workbook(path).active
            assert sheet is not None
            rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        else:
            text = path.read_bytes().decode("gbk" if spec.fmt == "csv-gbk" else "utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
        if len(rows) != len(form_rows(spec)[0]):
            raise ValueError(f"{spec.filename}: {len(rows)} rows read back")
    return len(specs)


def self_check(
    specs: list[FormSpec],
    unit_size: dict[str, tuple[str, float]],
    near_misses: list[tuple[str, str]],
    true_pairs: Callable[[list[FormSpec]], dict[Any, float | None]],
) -> str:
    """One line: forms written and read back, departments, true pairs, unit factors, near misses, problems."""
    with tempfile.TemporaryDirectory() as tmp:
        files = written_and_read_back(specs, Path(tmp))
    truth = true_pairs(specs)
    problems = label_problems(specs, unit_size, near_misses)
    return (
        f"{files} forms written and read back, {len({s.department for s in specs})} departments, "
        f"{len(truth)} true pairs, {sum(f not in (1.0, None) for f in truth.values())} with a unit factor, "
        f"{len(near_misses)} near misses; label problems: {problems or 'none'}"
    )
