"""Benchmark `cunwu seed --scale yunnan` on SQLite and PostgreSQL, and the region API in-process.

Run: .venv/bin/python bench/bench_regions.py  (prints a Markdown section to stdout)

Each database is a throwaway one: SQLite in a temporary CUNWU_VAR_DIR, PostgreSQL as the database
`cunwu_seedbench` on 127.0.0.1:5432 (dropped and created again; skipped, and said so, when PostgreSQL
is not reachable). Every measurement runs in a child process of its own, because Django's settings
(and so the database) are fixed once per process.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "cunwu_seedbench"
API_REQUESTS = 2000


def _child(backend: str) -> dict[str, Any]:
    """In the child process: migrate a fresh database, seed Yunnan, then time the region API."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cunwu.regions.models import Organisation, Region
    from cunwu.regions.seeding import seed_regions

    out: dict[str, Any] = {"backend": backend, "vendor": connection.vendor}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    out["migrate_s"] = time.perf_counter() - started

    started = time.perf_counter()
    regions = seed_regions("yunnan")
    out["regions_s"] = time.perf_counter() - started
    out["regions_created"] = regions.regions
    out["organisations_created"] = regions.organisations

    # The whole command as a person runs it: regions (already there: a no-op pass) plus every app's demo data.
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("seed", scale="yunnan", stdout=devnull)
    out["apps_s"] = time.perf_counter() - started
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("seed", scale="yunnan", stdout=devnull)
    out["second_run_s"] = time.perf_counter() - started

    units = Region.objects.filter(level__in=["village", "community"])
    out["units"] = units.count()
    out["townships"] = Region.objects.filter(level="township").count()
    out["townships_with_units"] = units.values("parent_id").distinct().count()
    out["mean_households"] = statistics.mean(h or 0 for h in units.values_list("households", flat=True))
    out["organisations"] = Organisation.objects.count()

    # Region API, in-process (Django test client: the full middleware stack, no network, no server).
    rng = random.Random(7)
    codes = list(Region.objects.values_list("code", flat=True))
    sample = [rng.choice(codes) for _ in range(API_REQUESTS)]
    client = Client()
    for code in sample[:100]:  # warm-up: connections, imports, URL resolver
        client.get(f"/api/v1/regions/{code}")
    latencies = []
    started = time.perf_counter()
    for code in sample:
        t0 = time.perf_counter()
        response = client.get(f"/api/v1/regions/{code}")
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"GET /api/v1/regions/{code} → {response.status_code}")
    elapsed = time.perf_counter() - started
    latencies.sort()
    out["api_rps"] = API_REQUESTS / elapsed
    out["api_p50_ms"] = latencies[len(latencies) // 2] * 1000
    out["api_p95_ms"] = latencies[int(len(latencies) * 0.95)] * 1000
    return out


def _run_child(backend: str, env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", backend], env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{backend} child failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_s"] = time.perf_counter() - started
    return result


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cunwu.settings",
            "CUNWU_SECRET_KEY": "bench-only-secret-key",
            "CUNWU_DEBUG": "0",
            "CUNWU_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            # The API benchmark would hit the public rate limit (120/min per client) at once.
            "CUNWU_RATE_LIMIT_ENABLED": "0",
            "CUNWU_DEMO_PASSWORD": "Bench-demo-2027",
            "CUNWU_LOG_LEVEL": "ERROR",
        }
    )
    return env


def _postgres_ready() -> str | None:
    """Drop and create the throwaway database; None when PostgreSQL is not reachable."""
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
            row = conn.execute("SHOW server_version").fetchone()
            version = str(row[0]) if row else "unknown version"
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here", reported as such
        print(f"PostgreSQL not reachable at {PG_SERVER}: {exc}", file=sys.stderr)
        return None
    return version


def _drop_postgres() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def main() -> int:
    results = []
    with tempfile.TemporaryDirectory(prefix="cunwu-bench-regions-") as tmp:
        env = _base_env() | {"CUNWU_VAR_DIR": tmp}
        results.append(_run_child("SQLite", env))
    pg_version = _postgres_ready()
    if pg_version:
        with tempfile.TemporaryDirectory(prefix="cunwu-bench-regions-pg-") as tmp:
            env = _base_env() | {"CUNWU_VAR_DIR": tmp, "DATABASE_URL": f"{PG_SERVER}/{PG_NAME}"}
            try:
                results.append(_run_child(f"PostgreSQL {pg_version}", env))
            finally:
                _drop_postgres()

    print("## Regions and seeding\n")
    print(
        "Command: `.venv/bin/python bench/bench_regions.py` — a fresh throwaway database per backend "
        f"(SQLite in a temporary `CUNWU_VAR_DIR`; PostgreSQL as `{PG_NAME}` on 127.0.0.1:5432, dropped afterwards).\n"
    )
    print(
        "`cunwu seed --scale yunnan` loads the real divisions (1 province, 16 prefectures, 129 counties, 1,461 "
        "townships) and generates the 14,888 village-level units with their four organisations each (bulk inserts). "
        "The requirement is under a minute on each database.\n"
    )
    print("| | " + " | ".join(r["backend"] for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    rows = [
        ("migrate (all apps, empty database)", "migrate_s", "{:.1f} s"),
        ("**regions: divisions + 14,888 units + organisations**", "regions_s", "**{:.1f} s**"),
        ("every app's demo data for `--scale yunnan`", "apps_s", "{:.1f} s"),
        ("second `seed --scale yunnan` (idempotent, adds nothing)", "second_run_s", "{:.1f} s"),
        ("regions created", "regions_created", "{:,}"),
        ("village-level units", "units", "{:,}"),
        ("townships with units / townships", None, None),
        ("mean households per unit", "mean_households", "{:.0f}"),
        ("organisations", "organisations", "{:,}"),
        ("`GET /api/v1/regions/{code}` in-process, req/s", "api_rps", "{:,.0f}"),
        ("… latency p50 / p95", None, None),
    ]
    for label, key, fmt in rows:
        if key and fmt:
            cells = [fmt.format(r[key]) for r in results]
        elif label.startswith("townships"):
            cells = [f"{r['townships_with_units']:,} / {r['townships']:,}" for r in results]
        else:
            cells = [f"{r['api_p50_ms']:.2f} ms / {r['api_p95_ms']:.2f} ms" for r in results]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    total = ", ".join(f"{r['backend']} {r['regions_s'] + r['apps_s']:.1f} s" for r in results)
    print(f"Whole `seed --scale yunnan` on a migrated empty database (regions + apps): {total}.")
    print(
        f"The API figure is {API_REQUESTS:,} requests for random codes of every level through Django's test client in one "
        "process (rate limit off), so it measures the view, the query and the middleware, not a network server."
    )
    if not pg_version:
        print("\n**PostgreSQL was not reachable: only SQLite was measured.**")
    bad = [r["backend"] for r in results if r["units"] != 14_888 or r["townships_with_units"] != 1_461]
    if bad:
        print(f"\n**Wrong totals on {', '.join(bad)}: expected 14,888 units under all 1,461 townships.**")
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
