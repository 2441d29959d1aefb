"""Benchmark seal use: request → approve → stamp (chain append included), through the services and
through the HTTP API, on SQLite and on PostgreSQL; then the register checks and the township view.

Run: .venv/bin/python bench/bench_seals.py  (prints a Markdown section to stdout)
Each backend runs in its own process on a throwaway database (a temp SQLite file; a PostgreSQL
database created for the run and dropped afterwards). Options: --cycles N, --backend sqlite|postgres.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
VILLAGE = "530124103200"


def setup_django(backend: str, var: str, pg_db: str) -> None:
    os.environ["CUNWU_VAR_DIR"] = var
    os.environ.setdefault("CUNWU_SECRET_KEY", "bench-only")
    # Fast password hashing for the demo accounts made during setup only (not measured).
    os.environ["CUNWU_TESTING"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cunwu.settings"
    if backend == "postgres":
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_db}"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from cunwu.accounts import demo as accounts_demo
    from cunwu.regions.seeding import seed_regions

    seed_regions("demo")
    accounts_demo.seed(scale="demo", stdout=io.StringIO())


def pdf(n: int) -> bytes:
    from cunwu.seals.demo import _pdf

    return _pdf(f"bench document {n}")


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def p95(values: list[float]) -> str:
    return f"{sorted(values)[int(len(values) * 0.95) - 1] * 1000:.1f} ms"


def service_cycles(seal: Any, users: dict[str, Any], cycles: int) -> dict[str, list[float]]:
    from cunwu.seals import services as svc

    times: dict[str, list[float]] = {"request": [], "approve": [], "stamp": [], "cycle": []}
    for n in range(cycles):
        t0 = time.perf_counter()
        req = svc.request_create(
            actor=users["clerk"],
            seal=seal,
            category="daily_certificate",
            matter=f"为村民出具居住证明（第{n}件）",
            impressions=1,
            documents=[svc.Upload(pdf(n), "证明.pdf")],
        )
        t1 = time.perf_counter()
        svc.request_approve(actor=users["head"], request=req)
        t2 = time.perf_counter()
        svc.request_stamp(
            actor=users["custodian"], request=req, impressions=1, document_sha256=req.documents.get().sha256
        )
        t3 = time.perf_counter()
        times["request"].append(t1 - t0)
        times["approve"].append(t2 - t1)
        times["stamp"].append(t3 - t2)
        times["cycle"].append(t3 - t0)
    return times


def api_cycles(seal: Any, users: dict[str, Any], cycles: int) -> list[float]:
    """create (JSON) → upload (multipart) → submit → approve → stamp, five HTTP calls per cycle."""
    from django.test import Client

    from cunwu.accounts.services import api_token_issue

    tokens = {k: {"Authorization": f"Bearer {api_token_issue(user=u)[0]}"} for k, u in users.items()}
    client = Client(HTTP_HOST="localhost")
    out = []
    for n in range(cycles):
        t0 = time.perf_counter()
        r = client.post(
            "/api/v1/seals/requests",
            {
                "seal": seal.pk,
                "category": "daily_certificate",
                "matter": f"为村民出具亲属关系证明（第{n}件）",
                "impressions": 1,
            },
            content_type="application/json",
            headers=tokens["clerk"],
        )
        rid = r.json()["id"]
        from django.core.files.uploadedfile import SimpleUploadedFile

        r = client.post(
            f"/api/v1/seals/requests/{rid}/documents",
            {"file": SimpleUploadedFile("d.pdf", pdf(100000 + n))},
            headers=tokens["clerk"],
        )
        sha = r.json()["documents"][0]["sha256"]
        client.post(f"/api/v1/seals/requests/{rid}/submit", content_type="application/json", headers=tokens["clerk"])
        client.post(
            f"/api/v1/seals/requests/{rid}/approve", {}, content_type="application/json", headers=tokens["head"]
        )
        r = client.post(
            f"/api/v1/seals/requests/{rid}/stamp",
            {"impressions": 1, "document_sha256": sha, "device": "BENCH-1"},
            content_type="application/json",
            headers=tokens["custodian"],
        )
        assert r.status_code == 201, r.content
        out.append(time.perf_counter() - t0)
    return out


def measure(backend: str, cycles: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cunwu.regions.models import Region
    from cunwu.seals.selectors import oversight_for, register_problems
    from cunwu.seals.tests.factories import make_seal

    users = {
        k: get_user_model().objects.get(username=u)
        for k, u in (("clerk", "village_clerk"), ("head", "village_head"), ("custodian", "seal_custodian"))
    }
    seal = make_seal(Region.objects.get(code=VILLAGE), users["custodian"], [users["head"]])
    service_cycles(seal, users, 10)  # warm-up: imports, caches, first chain head
    started = time.perf_counter()
    times = service_cycles(seal, users, cycles)
    elapsed = time.perf_counter() - started
    api_n = max(10, cycles // 3)
    started = time.perf_counter()
    api = api_cycles(seal, users, api_n)
    api_elapsed = time.perf_counter() - started
    started = time.perf_counter()
    checked, problems = register_problems()
    cross_s = time.perf_counter() - started
    started = time.perf_counter()
    call_command("audit", "verify", stdout=io.StringIO())
    verify_s = time.perf_counter() - started
    officer = get_user_model().objects.get(username="township_officer")
    started = time.perf_counter()
    oversight_for(officer)
    oversight_s = time.perf_counter() - started

    label = "SQLite (WAL, file in a temp dir)" if backend == "sqlite" else "PostgreSQL 15 (local, throwaway database)"
    print(f"### {label}")
    print()
    print(
        f"- Services, {cycles} cycles (request with a 1-page PDF upload, approve, stamp + chain append, audit rows): "
        f"**{cycles / elapsed:,.1f} cycles/s**, median cycle **{ms(times['cycle'])}** (p95 {p95(times['cycle'])})"
    )
    print(f"  - request {ms(times['request'])}, approve {ms(times['approve'])}, stamp {ms(times['stamp'])} (medians)")
    print(
        f"- HTTP API in-process (Django test client, bearer tokens), {api_n} cycles of 5 calls "
        f"(create, upload, submit, approve, stamp): {api_n / api_elapsed:,.1f} cycles/s, median cycle {ms(api)}"
    )
    print(
        f"- `cunwu seals verify` over {checked:,} uses: {cross_s:.2f} s ({len(problems)} problems); "
        f"`cunwu audit verify`: {verify_s:.2f} s"
    )
    print(f"- Township oversight page data (both villages, this year, {checked:,} uses): {oversight_s * 1000:.0f} ms")
    print()


def run_backend(backend: str, cycles: int) -> None:
    pg_db = f"cunwu_bench_seals_{os.getpid()}"
    with tempfile.TemporaryDirectory() as var:
        if backend == "postgres":
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {pg_db}")
        try:
            setup_django(backend, var, pg_db)
            measure(backend, cycles)
        finally:
            if backend == "postgres":
                from django.db import connections

                connections.close_all()
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {pg_db}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--cycles", type=int, default=300)
    args = parser.parse_args()
    if args.backend:
        run_backend(args.backend, args.cycles)
        return
    print("## Seals (印章): request → approve → stamp")
    print()
    print(
        f"Command: `.venv/bin/python bench/bench_seals.py` (--cycles {args.cycles}; 2-core machine shared with other work; "
        "one village chain, sequential, one transaction per step)"
    )
    print()
    for backend in ("sqlite", "postgres"):
        result = subprocess.run(
            [sys.executable, __file__, "--backend", backend, "--cycles", str(args.cycles)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            print(result.stdout.rstrip())
        else:
            tail = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "failed"
            print(f"### {backend}: not measured ({tail})")
        print()


if __name__ == "__main__":
    main()
