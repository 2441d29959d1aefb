"""Issue 12 (registries, learning from use): what the registry look-up adds to a screening, and what
approved lexicon entries and aliases cost the triage matcher.

Run: .venv/bin/python bench/bench_learning.py  (a throw-away SQLite test database with the base data)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
os.environ.setdefault("CUNWU_SECRET_KEY", "bench-learning")

import django

django.setup()

from django.db import connection  # noqa: E402

ROUNDS, N = 5, 300


def best_rate(fn, n: int = N) -> tuple[float, float]:
    """(calls per second in the best round, median µs per call over all rounds)."""
    per_call = []
    best = 0.0
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for i in range(n):
            fn(i)
        elapsed = time.perf_counter() - start
        best = max(best, n / elapsed)
        per_call.append(elapsed / n * 1e6)
    return best, statistics.median(per_call)


def main() -> None:
    connection.creation.create_test_db(verbosity=0)
    from conftest import seed_base

    seed_base()
    from django.utils import timezone

    from cunwu.accounts.models import User
    from cunwu.accounts.tests.factories import make_user
    from cunwu.admission import rules, selectors, services
    from cunwu.catalogs import services as catalogs
    from cunwu.catalogs.selectors import clear_cache
    from cunwu.catalogs.triage import certificate_triage
    from cunwu.regions.models import Region
    from cunwu.regions.selectors import province

    county = Region.objects.get(code="530124000000")
    admin = User.objects.get(username="province_admin")
    second = make_user("province_admin_b", "province_admin", "530000000000")
    for i in range(200):
        services.approval_register(
            actor=admin,
            region=province(),
            kind="pledge",
            number=f"云发〔2026〕{i + 1}号",
            title="责任书",
            issued_on=timezone.localdate() - timedelta(days=1),
            scope="全省",
        )
    text = "要求各村签订2027年度森林防火目标责任书，并由村委会负责巡山护林。"

    def screen(basis: str):
        return lambda i: selectors.screening_for(rules.ScreenInput(title="森林防火", content=text, basis=basis), county)

    selectors.screening_for(rules.ScreenInput(title="热身", content=text), county)
    plain = best_rate(screen("《森林防火条例》"))
    cited = best_rate(screen("依据云发[2026]7号"))
    requests = [f"开个证明我家娃{i}要上学，家里屋头穷" for i in range(N)]
    certificate_triage("热身", province())
    before = best_rate(lambda i: certificate_triage(requests[i], province()))
    for i in range(20):
        row = catalogs.phrasing_note(text=f"村里开个第{i}种屋头穷的条子", source="triage")
        entry = catalogs.lexicon_propose(actor=admin, phrasing=row, phrase="屋头穷", canonical="家庭经济困难")
        catalogs.lexicon_approve(actor=second, entry=entry)
    for i in range(20):
        row = catalogs.phrasing_note(text=f"学校要的第{i}号穷困条子", source="triage")
        catalogs.phrasing_propose_alias(actor=admin, phrasing=row, kind="cert_retained", code="R07")
        catalogs.phrasing_approve(actor=second, phrasing=row)
    clear_cache()
    start = time.perf_counter()
    certificate_triage("热身", province())
    rebuild = (time.perf_counter() - start) * 1000
    after = best_rate(lambda i: certificate_triage(requests[i], province()))
    print("## Registries and learning from use (issue 12)\n")
    print(
        "Command: `.venv/bin/python bench/bench_learning.py` (SQLite test database with the base data, one process)\n"
    )
    print("| what | best round | median per call |")
    print("|---|---:|---:|")
    print(f"| `screening_for`, basis cites no document number | {plain[0]:,.0f}/s | {plain[1]:,.0f} µs |")
    print(
        f"| `screening_for`, basis cites a number (registry of 200 looked up) | {cited[0]:,.0f}/s | {cited[1]:,.0f} µs |"
    )
    print(f"| `certificate_triage`, seed lexicon, example catalogs | {before[0]:,.0f}/s | {before[1]:,.0f} µs |")
    print(
        f"| `certificate_triage` after 20 approved lexicon entries and 20 approved aliases | {after[0]:,.0f}/s | {after[1]:,.0f} µs |"
    )
    print(f"\nRebuilding the triage matcher after an approval (first triage after it): {rebuild:,.0f} ms.")


if __name__ == "__main__":
    main()
