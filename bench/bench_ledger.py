"""Benchmark the tamper-evident registers: appends/s (one chain, many chains, concurrent writers) and
verification throughput (entries/s) on ~200,000 entries, on SQLite and on PostgreSQL.

Run: .venv/bin/python bench/bench_ledger.py  (prints a Markdown section to stdout)
Each backend runs in its own process on a throwaway database (a temp SQLite file; a PostgreSQL
database created for the run and dropped afterwards). Options: --entries N, --backend sqlite|postgres.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
APPENDS = 2000
MANY_CHAINS = 500
THREADS = 4
VERIFY_CHAINS = 1000


def setup_django(backend: str, var: str, pg_db: str) -> None:
    os.environ["CUNWU_VAR_DIR"] = var
    os.environ.setdefault("CUNWU_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cunwu.settings"
    if backend == "postgres":
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_db}"
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    # Only what the ledger needs (and its audit log): independent of the other apps' migrations.
    for app in ("audit", "ledger"):
        call_command("migrate", app, verbosity=0)


def village(i: int) -> str:
    return f"5301241{i // 200:02d}{200 + i % 200:03d}"


def timed_appends(chains: list[str]) -> float:
    """Appends per second, one transaction per append as a certificate issuance would do it."""
    from django.db import transaction

    from cunwu.ledger.services import chain_append

    started = time.perf_counter()
    for n, chain in enumerate(chains):
        with transaction.atomic():
            chain_append(
                chain=chain,
                kind="certificate.issue",
                payload={"serial": f"{chain}-2027-{n:06d}", "subject": "张*丰", "item": "C001"},
                ref_type="certificates.certificate",
                ref_id=str(n),
            )
    return len(chains) / (time.perf_counter() - started)


def concurrent_appends(chain: str, threads: int, per_thread: int) -> float:
    from django.db import connections, transaction

    from cunwu.ledger.services import chain_append

    barrier = threading.Barrier(threads + 1)

    def worker(t: int) -> None:
        barrier.wait()
        for i in range(per_thread):
            with transaction.atomic():
                chain_append(chain=chain, kind="seal.use", payload={"thread": t, "i": i})
        connections.close_all()

    pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for th in pool:
        th.start()
    barrier.wait()
    started = time.perf_counter()
    for th in pool:
        th.join()
    return threads * per_thread / (time.perf_counter() - started)


def bulk_load(total: int) -> float:
    """~`total` valid entries over VERIFY_CHAINS chains, hashed by the rules and bulk-inserted."""
    from django.db import transaction
    from django.utils import timezone

    from cunwu.ledger import rules
    from cunwu.ledger.models import ChainEntry, ChainHead

    per_chain = total // VERIFY_CHAINS
    start = timezone.now() - timedelta(days=365)
    started = time.perf_counter()
    heads = []
    for c in range(VERIFY_CHAINS):
        chain = f"5325{c // 100:02d}100{200 + c % 100:03d}"
        prev = rules.GENESIS_HASH
        batch = []
        for seq in range(1, per_chain + 1):
            entry = ChainEntry(
                chain=chain,
                seq=seq,
                kind="seal.use" if seq % 3 == 0 else "certificate.issue",
                ref_type="certificates.certificate",
                ref_id=str(seq),
                payload={"serial": f"{chain}-{seq:06d}", "subject": "李*华", "item": "C012", "copies": 1},
                recorded_at=start + timedelta(minutes=seq),
                prev_hash=prev,
            )
            entry.hash = rules.entry_hash(prev, entry)
            prev = entry.hash
            batch.append(entry)
        with transaction.atomic():
            ChainEntry.objects.bulk_create(batch, batch_size=2000)
        heads.append(ChainHead(chain=chain, seq=per_chain, hash=prev))
    ChainHead.objects.bulk_create(heads)
    return time.perf_counter() - started


def run_backend(backend: str, total: int) -> None:
    pg_db = f"cunwu_bench_ledger_{os.getpid()}"
    with tempfile.TemporaryDirectory() as var:
        if backend == "postgres":
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {pg_db}")
        try:
            setup_django(backend, var, pg_db)
            measure(backend, total)
        finally:
            if backend == "postgres":
                from django.db import connections

                connections.close_all()
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {pg_db}")


def measure(backend: str, total: int) -> None:
    from cunwu.ledger.models import ChainEntry
    from cunwu.ledger.selectors import VerifyStats, chain_verify_iter
    from cunwu.ledger.services import checkpoint_create_all

    one = timed_appends([village(0)] * APPENDS)
    many = timed_appends([village(1 + i % MANY_CHAINS) for i in range(APPENDS)])
    conc = concurrent_appends(village(999), THREADS, APPENDS // THREADS // 2)
    load_s = bulk_load(total)
    started = time.perf_counter()
    made = checkpoint_create_all()
    checkpoint_s = time.perf_counter() - started
    count = ChainEntry.objects.count()
    stats = VerifyStats()
    problems = list(chain_verify_iter(None, stats))
    label = "SQLite (WAL, file in a temp dir)" if backend == "sqlite" else "PostgreSQL 15 (local, throwaway database)"
    print(f"### {label}")
    print()
    print(f"- Appends, one chain: {one:,.0f}/s ({APPENDS:,} appends, one transaction each, audit row included)")
    print(f"- Appends, {MANY_CHAINS} chains round-robin: {many:,.0f}/s ({APPENDS:,} appends)")
    print(
        f"- Appends, one chain, {THREADS} threads with their own connections: {conc:,.0f}/s (serialised by the chain's lock)"
    )
    print(
        f"- Verify (`cunwu audit verify` path, all chains): {stats.entries / stats.seconds:,.0f} entries/s — "
        f"{stats.entries:,} entries in {stats.chains:,} chains in {stats.seconds:.1f} s, "
        f"{len(problems)} problems"
    )
    print(
        f"- Checkpoint of {made:,} chains (verifies every new entry first): {checkpoint_s:.1f} s "
        f"({count / checkpoint_s:,.0f} entries/s); test data load: {load_s:.1f} s"
    )
    print()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--entries", type=int, default=200_000)
    args = parser.parse_args()
    if args.backend:
        run_backend(args.backend, args.entries)
        return
    print("## Tamper-evident registers (ledger)")
    print()
    print(f"Command: `.venv/bin/python bench/bench_ledger.py` (--entries {args.entries:,}; 2-core machine)")
    print()
    for backend in ("sqlite", "postgres"):
        result = subprocess.run(
            [sys.executable, __file__, "--backend", backend, "--entries", str(args.entries)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode == 0:
            print(result.stdout.rstrip())
        else:
            print(
                f"### {backend}: not measured ({result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'failed'})"
            )
        print()


if __name__ == "__main__":
    main()
