"""Text understanding on wording in the wild (issue 12): triage and screening accuracy per labelled
set, and the matcher's speed with the lexicon, jieba and pinyin readings.

Run: .venv/bin/python bench/bench_text.py  (prints a Markdown section to stdout)
Triage is scored as `certificate_triage` decides (the province's example catalogs, the seed
lexicon, `TRIAGE_THRESHOLD`); screening with `find_violations` and no registered approvals.
"""

from __future__ import annotations

import os
import sys
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
os.environ.setdefault("CUNWU_SECRET_KEY", "bench-text")

import django

django.setup()

from cunwu.admission import rules  # noqa: E402
from cunwu.admission.screening import find_violations  # noqa: E402
from cunwu.admission.tests.labelled import evaluate, load, retained_signs, to_input  # noqa: E402
from cunwu.catalogs.triage import TRIAGE_THRESHOLD  # noqa: E402
from cunwu.matching import Matcher, segment  # noqa: E402
from cunwu.matching.lexicon import load_seed  # noqa: E402
from cunwu.matching.tests.examples import STRIP_NAMES, load_catalog, load_labelled  # noqa: E402

CERT_SETS = ("cert_requests", "cert_requests_wild", "cert_requests_fresh1", "cert_requests_fresh2")
SCREEN_SETS = ("wild", "fresh1", "fresh2")


def triage_accuracy(matcher: Matcher, rows: list[tuple[str, str]]) -> tuple[float, float]:
    """Share right on outcome and item (below the threshold = unlisted), and on outcome alone."""
    right = outcome_right = 0
    for text, expected in rows:
        found = matcher.match(text, strip_names=STRIP_NAMES, limit=1)
        got = found[0].code if found and found[0].score >= TRIAGE_THRESHOLD else ""
        right += got == expected
        outcome_right += got[:1] == expected[:1]
    return right / len(rows), outcome_right / len(rows)


def screening_outcome(rows: list[dict]) -> float:
    signs = retained_signs()
    right = 0
    for row in rows:
        found = {v.rule for v in find_violations(to_input(row), signs)}
        if any(rules.RULES[r].effect == rules.REJECT for r in found):
            outcome = "rejected"
        else:
            outcome = "needs_review" if found else "no_violation"
        right += outcome == row["outcome"]
    return right / len(rows)


def main() -> None:
    started = time.perf_counter()
    segment.initialize()
    init_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    matcher = Matcher(load_catalog("cert_retained", "cert_forbidden"), load_seed())
    build_ms = (time.perf_counter() - started) * 1000
    lines = [
        "Command: `.venv/bin/python bench/bench_text.py`",
        "",
        f"- jieba dictionary loaded in {init_ms:.0f} ms (cached under the temp dir or `CUNWU_VAR_DIR/jieba`);"
        f" matcher over the 29 example certificate items with the seed lexicon ({len(load_seed().mapping)} phrases)"
        f" built in {build_ms:.0f} ms.",
        "",
        "| set | rows | triage right (outcome and item) | outcome right |",
        "|---|---:|---:|---:|",
    ]
    texts: list[str] = []
    for name in CERT_SETS:
        rows = load_labelled(name)
        texts += [t for t, _ in rows]
        both, outcome = triage_accuracy(matcher, rows)
        lines.append(f"| {name} | {len(rows)} | {both:.1%} | {outcome:.1%} |")
    lines += ["", "| set | rows | screening exact (rule ids) | screening outcome |", "|---|---:|---:|---:|"]
    for name in SCREEN_SETS:
        rows = load(name)
        _, _, exact = evaluate(rows)
        lines.append(f"| screening_{name} | {len(rows)} | {exact / len(rows):.1%} | {screening_outcome(rows):.1%} |")

    def run() -> None:
        for text in texts:
            matcher.match(text, strip_names=STRIP_NAMES, limit=5)

    run()
    best = min(timeit.repeat(run, number=1, repeat=5))
    lines += [
        "",
        f"- Speed: {len(texts) / best:,.0f} triage matches/s on one core ({best / len(texts) * 1e6:.0f} µs each,"
        f" best of 5 rounds over the {len(texts)} labelled requests, three readings each).",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
