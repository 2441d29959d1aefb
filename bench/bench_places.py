"""Benchmark finding a village or township (找村, /zhaocun/) at Yunnan scale, on SQLite and PostgreSQL.

Run: .venv/bin/python bench/bench_places.py  (prints a Markdown section to stdout)

A throwaway database per backend (SQLite in a temporary CUNWU_VAR_DIR; PostgreSQL as `cunwu_placesbench`
on 127.0.0.1:5432, dropped afterwards, skipped and said so when not reachable) is migrated and given the
real divisions plus the 14,888 generated village-level units (`seed_regions("yunnan")`, the regions part of
`seed --scale yunnan`). Then `places_search` is timed for names, pinyin and initials, and the whole page
through Django's test client (rate limit off).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_regions import PG_SERVER, _base_env  # noqa: E402

PG_NAME = "cunwu_placesbench"
ROUNDS = 200
# Queries a villager types: a Chinese name fragment, full pinyin, initials, a township, a homophone.
QUERIES = ("大箐", "daqing", "dqc", "罗免", "lmz", "大青村", "s", "新村")


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def _child(backend: str) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cunwu.regions.models import Region
    from cunwu.regions.seeding import seed_regions
    from cunwu.regions.selectors import places_search

    out: dict[str, Any] = {"backend": backend, "vendor": connection.vendor}
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed_regions("yunnan")
    out["seed_s"] = time.perf_counter() - started
    out["places"] = Region.objects.filter(level__in=["township", "village", "community"]).count()
    per_query = {}
    for q in QUERIES:
        places_search(q)  # warm-up
        times = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            found = places_search(q)
            times.append(time.perf_counter() - t0)
        per_query[q] = {"found": len(found), "p50": _percentile(times, 0.5), "p95": _percentile(times, 0.95)}
    out["queries"] = per_query
    client = Client()
    times = []
    for i in range(ROUNDS):
        q = QUERIES[i % len(QUERIES)]
        t0 = time.perf_counter()
        response = client.get("/zhaocun/", {"q": q})
        times.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"/zhaocun/?q={q} → {response.status_code}")
    out["page_p50"], out["page_p95"] = _percentile(times, 0.5), _percentile(times, 0.95)
    return out


def _run(backend: str, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", backend], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{backend} child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _postgres_ready() -> str | None:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "unknown version"
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here", reported as such
        print(f"PostgreSQL not reachable at {PG_SERVER}: {exc}", file=sys.stderr)
        return None


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def main() -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="cunwu-bench-places-") as tmp:
        results.append(_run("SQLite", _base_env() | {"CUNWU_VAR_DIR": tmp}))
    version = _postgres_ready()
    if version:
        with tempfile.TemporaryDirectory(prefix="cunwu-bench-places-pg-") as tmp:
            env = _base_env() | {"CUNWU_VAR_DIR": tmp, "DATABASE_URL": f"{PG_SERVER}/{PG_NAME}"}
            try:
                results.append(_run(f"PostgreSQL {version}", env))
            finally:
                _drop_postgres()
    print("## Finding a village (找村)\n")
    print(
        "Command: `.venv/bin/python bench/bench_places.py` — the divisions and 14,888 generated units "
        f"({results[0]['places']:,} searchable townships, villages and communities), {ROUNDS} runs per query, "
        "`places_search` in-process and `GET /zhaocun/?q=` through Django's test client (rate limit off).\n"
    )
    print("| query | " + " | ".join(f"{r['backend']}: found, p50 / p95" for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    for q in QUERIES:
        cells = [
            f"{r['queries'][q]['found']}, {r['queries'][q]['p50']:.2f} / {r['queries'][q]['p95']:.2f} ms"
            for r in results
        ]
        print(f"| `{q}` | " + " | ".join(cells) + " |")
    page = [f"{r['page_p50']:.2f} / {r['page_p95']:.2f} ms" for r in results]
    print("| whole page `/zhaocun/?q=` (the queries in turn), p50 / p95 | " + " | ".join(page) + " |")
    seed = ", ".join(f"{r['backend']} {r['seed_s']:.1f} s" for r in results)
    print(f"\nRegions seeding with the pinyin keys computed for every row: {seed}.")
    if not version:
        print("\nPostgreSQL was not reachable, so only SQLite was measured.")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2])))
    else:
        raise SystemExit(main())
