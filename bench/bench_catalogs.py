"""Benchmark the catalogs: catalog_in_force (cold and cached), GET /api/v1/catalogs and triage requests/s,
at Yunnan scale (14,888 village-level units) with refinements by every prefecture and a third of the counties.

Run: .venv/bin/python bench/bench_catalogs.py  (prints a Markdown section to stdout)
Options: --backend sqlite|postgres|both (default both; PostgreSQL is skipped, and said so, when unreachable),
--requests N (API requests per measurement, default 2000).

Each backend runs in a child process on a throwaway database: SQLite in a temporary CUNWU_VAR_DIR,
PostgreSQL as `cunwu_catalogsbench` on 127.0.0.1:5432 (dropped afterwards).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "cunwu_catalogsbench"
KINDS = ("duty", "assist", "sign", "cert_retained", "cert_forbidden")


def _percentiles(latencies: list[float]) -> tuple[float, float]:
    latencies = sorted(latencies)
    return latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.95)] * 1000


def _refinements(rng: random.Random) -> tuple[int, int]:
    """Approved revisions as prefectures and counties would publish them: refine, add locally, withdraw.

    Every prefecture refines both certificate catalogs; every third county refines two catalogs, in two
    successive documents, the second one due in the future (so `at` matters).
    """
    from cunwu.catalogs.selectors import catalog_in_force
    from cunwu.catalogs.services import revision_approve, revision_draft
    from cunwu.regions.models import Region

    today = date.today()
    revisions = statements = 0

    def publish(region: Region, kind: str, rows: list[dict[str, Any]], effective: date, document: str) -> None:
        nonlocal revisions, statements
        revision = revision_draft(
            actor=None, region=region, kind=kind, change="改", document=document, effective=effective, rows=rows
        )
        revision_approve(actor=None, revision=revision)
        revisions += 1
        statements += len(rows)

    def local_rows(region: Region, kind: str, n: int, effective: date) -> list[dict[str, Any]]:
        # Three items in force there on that day: one reworded, one withdrawn, one copied as a local item.
        base = [i.values() for i in rng.sample(list(catalog_in_force(kind, region, effective)), 3)]
        rows = [dict(base[0], name=f"{base[0]['name']}（{region.name}表述{n}）")]
        rows.append({"code": base[1]["code"], "op": "withdraw", "basis": f"{region.name}规定第{n}条"})
        rows.append(dict(base[2], code=f"L{region.code[:6]}-{n}", name=f"{region.name}本地事项{n}"))
        return rows

    for prefecture in Region.objects.filter(level="prefecture").order_by("code"):
        for kind in ("cert_retained", "cert_forbidden"):
            publish(
                prefecture,
                kind,
                local_rows(prefecture, kind, 1, date(2024, 1, 1)),
                date(2024, 1, 1),
                f"{prefecture.name}发〔2024〕1号",
            )
    for county in list(Region.objects.filter(level="county").order_by("code"))[::3]:
        for kind in rng.sample(KINDS, 2):
            publish(
                county,
                kind,
                local_rows(county, kind, 1, date(2024, 6, 1)),
                date(2024, 6, 1),
                f"{county.name}发〔2024〕2号",
            )
            publish(
                county,
                kind,
                local_rows(county, kind, 2, today + timedelta(days=30)),
                today + timedelta(days=30),
                f"{county.name}发〔2027〕1号",
            )
    return revisions, statements


def _child(backend: str, requests: int) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from cunwu.catalogs.demo import load_examples
    from cunwu.catalogs.models import Statement
    from cunwu.catalogs.selectors import catalog_in_force, clear_cache
    from cunwu.catalogs.triage import certificate_triage
    from cunwu.regions.models import Region
    from cunwu.regions.seeding import seed_regions

    out: dict[str, Any] = {"backend": backend, "vendor": connection.vendor}
    started = time.perf_counter()
    for app in ("regions", "accounts", "audit", "catalogs"):
        call_command("migrate", app, verbosity=0)
    seed_regions("yunnan")
    load_examples()
    out["setup_s"] = time.perf_counter() - started
    rng = random.Random(2027)
    started = time.perf_counter()
    out["revisions"], out["statements_refined"] = _refinements(rng)
    out["refine_s"] = time.perf_counter() - started
    out["statements"] = Statement.objects.count()
    villages = list(Region.objects.filter(level__in=["village", "community"]).values_list("code", flat=True))
    out["villages"] = len(villages)
    by_code = {r.code: r for r in Region.objects.filter(code__in=rng.sample(villages, 2000))}
    sample = [(rng.choice(list(by_code)), rng.choice(KINDS)) for _ in range(requests)]

    # catalog_in_force, cold: every call computes from the database (cache cleared before each).
    latencies = []
    started = time.perf_counter()
    for code, kind in sample[:500]:
        clear_cache()
        t0 = time.perf_counter()
        catalog_in_force(kind, by_code[code])
        latencies.append(time.perf_counter() - t0)
    out["cold_per_s"] = 500 / (time.perf_counter() - started)
    out["cold_p50_ms"], out["cold_p95_ms"] = _percentiles(latencies)

    # catalog_in_force, cached: one computation per (county chain, kind, date), shared by its villages.
    clear_cache()
    for code, kind in sample:
        catalog_in_force(kind, by_code[code])
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for code, kind in sample:
            catalog_in_force(kind, by_code[code])
    out["warm_per_s"] = rounds * len(sample) / (time.perf_counter() - started)
    out["items_per_village"] = sum(len(catalog_in_force(k, by_code[sample[0][0]])) for k in KINDS)

    client = Client()

    def measure(call: Any, items: list[Any]) -> tuple[float, float, float]:
        for item in items:  # warm-up pass: imports, URL resolver, each county's cached catalogs
            call(item)
        lat = []
        begun = time.perf_counter()
        for item in items:
            t0 = time.perf_counter()
            response = call(item)
            lat.append(time.perf_counter() - t0)
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
        rps = len(items) / (time.perf_counter() - begun)
        return (rps, *_percentiles(lat))

    out["api_rps"], out["api_p50_ms"], out["api_p95_ms"] = measure(
        lambda s: client.get(f"/api/v1/catalogs/{s[1]}", {"region": s[0]}), sample
    )
    future = (date.today() + timedelta(days=60)).isoformat()
    out["api_at_rps"], out["api_at_p50_ms"], out["api_at_p95_ms"] = measure(
        lambda s: client.get(f"/api/v1/catalogs/{s[1]}", {"region": s[0], "at": future}), sample
    )
    with (ROOT / "cunwu" / "matching" / "tests" / "data" / "cert_requests.csv").open(encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    asks = [(rng.choice(list(by_code)), rng.choice(texts)) for _ in range(requests)]
    out["api_q_rps"], out["api_q_p50_ms"], out["api_q_p95_ms"] = measure(
        lambda s: client.get("/api/v1/catalogs/cert_forbidden", {"region": s[0], "q": s[1][:20]}), asks
    )
    out["triage_rps"], out["triage_p50_ms"], out["triage_p95_ms"] = measure(
        lambda s: client.post(
            "/api/v1/certificates/triage", {"text": s[1], "region": s[0]}, content_type="application/json"
        ),
        asks,
    )
    started = time.perf_counter()
    for code, text in asks:
        certificate_triage(text, by_code[code])
    out["triage_fn_per_s"] = len(asks) / (time.perf_counter() - started)
    return out


def _run_child(backend: str, env: dict[str, str], requests: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", backend, "--requests", str(requests)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{backend} child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cunwu.settings",
            "CUNWU_SECRET_KEY": "bench-only-secret-key",
            "CUNWU_DEBUG": "0",
            "CUNWU_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "CUNWU_RATE_LIMIT_ENABLED": "0",  # the public limit (120/min per client) would stop the run at once
            "CUNWU_LOG_LEVEL": "ERROR",
        }
    )
    return env


def _postgres(action: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
            if action == "create":
                conn.execute(f"CREATE DATABASE {PG_NAME}")
            return str(conn.execute("SHOW server_version").fetchone()[0])
    except Exception as exc:  # noqa: BLE001 - any failure means "no PostgreSQL here", reported as such
        print(f"PostgreSQL not reachable at {PG_SERVER}: {exc}", file=sys.stderr)
        return None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--backend", default="both", choices=["sqlite", "postgres", "both"])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.requests)))
        return 0

    results = []
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="cunwu-bench-catalogs-") as tmp:
            results.append(_run_child("SQLite", _env() | {"CUNWU_VAR_DIR": tmp}, args.requests))
    pg_version = None
    if args.backend in ("postgres", "both"):
        pg_version = _postgres("create")
        if pg_version:
            with tempfile.TemporaryDirectory(prefix="cunwu-bench-catalogs-pg-") as tmp:
                env = _env() | {"CUNWU_VAR_DIR": tmp, "DATABASE_URL": f"{PG_SERVER}/{PG_NAME}"}
                try:
                    results.append(_run_child(f"PostgreSQL {pg_version}", env, args.requests))
                finally:
                    _postgres("drop")

    first = results[0]
    print("## Catalogs: catalog in force, catalog API, triage\n")
    print(
        f"Command: `.venv/bin/python bench/bench_catalogs.py` (`--requests {args.requests}`), a throwaway database per backend.\n"
    )
    print(
        f"Data: the 14,888 generated village-level units of Yunnan ({first['villages']:,} here), the five example catalogs as the "
        f"province base, and {first['revisions']} approved refinements ({first['statements_refined']} statements: a local wording, "
        "a withdrawal and a local item each) — both certificate catalogs in all 16 prefectures, two catalogs in every third county "
        f"in two successive documents, the second due in 30 days; {first['statements']:,} statements in all. A village sees "
        f"{first['items_per_village']} items across the five catalogs.\n"
    )
    print("| | " + " | ".join(r["backend"] for r in results) + " |")
    print("|---|" + "---:|" * len(results))
    rows = [
        ("setup: migrate, seed Yunnan, load the example base", lambda r: f"{r['setup_s']:.1f} s"),
        (
            "publish the refinements (draft + approve each)",
            lambda r: f"{r['refine_s']:.1f} s ({r['revisions'] / r['refine_s']:.0f} revisions/s)",
        ),
        ("`catalog_in_force`, cold (computed from the database), calls/s", lambda r: f"{r['cold_per_s']:,.0f}"),
        ("… cold latency p50 / p95", lambda r: f"{r['cold_p50_ms']:.2f} / {r['cold_p95_ms']:.2f} ms"),
        ("**`catalog_in_force`, cached, calls/s**", lambda r: f"**{r['warm_per_s']:,.0f}**"),
        ("**`GET /api/v1/catalogs/{kind}?region=<village>`, req/s**", lambda r: f"**{r['api_rps']:,.0f}**"),
        ("… latency p50 / p95", lambda r: f"{r['api_p50_ms']:.2f} / {r['api_p95_ms']:.2f} ms"),
        ("`GET …&at=<in 60 days>` (pending refinements due), req/s", lambda r: f"{r['api_at_rps']:,.0f}"),
        ("`GET /api/v1/catalogs/cert_forbidden?q=…` (matcher search), req/s", lambda r: f"{r['api_q_rps']:,.0f}"),
        ("**`POST /api/v1/certificates/triage` (village region), req/s**", lambda r: f"**{r['triage_rps']:,.0f}**"),
        ("… latency p50 / p95", lambda r: f"{r['triage_p50_ms']:.2f} / {r['triage_p95_ms']:.2f} ms"),
        ("`certificate_triage()` called directly, calls/s", lambda r: f"{r['triage_fn_per_s']:,.0f}"),
    ]
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    print()
    print(
        "Requests go through Django's test client in one process (full middleware and API stack, rate limit off, no network "
        "server), for random villages and kinds, after one untimed pass (so each county's catalogs are cached, as in steady "
        "use); triage texts are the labelled requests of cunwu/matching. The catalog in force is computed once per (county "
        "chain, kind, date) and shared by all villages of a county (129 counties × 5 kinds fit the cache); an approval "
        "invalidates it at once in the approving process and within one second elsewhere. The machine is shared: figures "
        "vary with its load."
    )
    if args.backend == "both" and not pg_version:
        print("\n**PostgreSQL was not reachable: only SQLite was measured.**")
    return 0


if __name__ == "__main__":
    sys.exit(main())
