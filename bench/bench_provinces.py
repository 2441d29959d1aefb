"""A nation on one machine: do the hot queries stay flat as provinces are added? (PostgreSQL)

Loads synthetic activity for 1, 2, 4 and 8 provinces into the yearly-partitioned audit log and chain
entries (each province: --villages villages in 15 counties, one year of rows per village, COPY), and
after each step times the hot queries of *one* province (the first), median of --repeat runs:

  village month     one village's chain register for one month (what its register page reads)
  village audit     one village's audit rows for one month, newest first (the audit log page)
  county chain      the county's latest 50 chain entries of the month (the county's chain page)
  province summary  audit rows of the month counted by action, scoped to the province (its dashboard)

Run: .venv/bin/python bench/bench_provinces.py  (prints a Markdown section to stdout)
Options: --provinces 1,2,4,8 --villages 2000 --chain-per-village 60 --audit-per-village 120 --repeat 15.
A throwaway database (`cunwu_partition_bench`) is created for the run and dropped afterwards; only
the audit and ledger migrations are applied (they make the partitions). Hashes in the synthetic chain
rows are random: the bench reads, it does not verify.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = "cunwu_partition_bench"
# Province-level division codes (GB/T 2260): Yunnan first, the one whose queries are timed.
PROVINCES = ["53", "52", "51", "50", "45", "44", "43", "42"]
COUNTIES = 15
KINDS = ["certificate.issue", "certificate.refuse", "seal.use", "certificate.revoke"]
ACTIONS = ["certificate.receive", "certificate.issue", "seal.request", "seal.use", "admission.assign", "login"]
YEAR = datetime.now(UTC).year
MONTH = 6  # the month the queries ask about


def village_code(province: str, v: int) -> str:
    county = 1 + v % COUNTIES
    n = v // COUNTIES
    return f"{province}01{county:02d}{100 + n // 50:03d}{200 + n % 50:03d}"


def county_prefix(province: str, county: int = 1) -> str:
    return f"{province}01{county:02d}"


def _moments(rng: random.Random, n: int) -> list[datetime]:
    start = datetime(YEAR, 1, 1, tzinfo=UTC)
    return sorted(start + timedelta(seconds=rng.randrange(364 * 86400)) for _ in range(n))


def load_province(cursor: Any, province: str, args: argparse.Namespace) -> tuple[int, float]:
    """COPY one province's year into both tables, month by month (rows arrive in time order)."""
    rng = random.Random(int(province))
    started = time.perf_counter()
    chain_rows: list[tuple[datetime, str]] = []
    audit_rows: list[tuple[datetime, str]] = []
    for v in range(args.villages):
        code = village_code(province, v)
        for seq, at in enumerate(_moments(rng, args.chain_per_village), start=1):
            kind = KINDS[seq % len(KINDS)]
            payload = json.dumps({"serial": f"{code}-{YEAR}-{seq:06d}", "subject": "张*丰", "item": "C001"})
            line = (
                f"{code}\t{seq}\t{kind}\tcertificates.certificate\t{seq}\t{payload}\t{at.isoformat()}\t"
                f"{rng.getrandbits(256):064x}\t{rng.getrandbits(256):064x}\n"
            )
            chain_rows.append((at, line))
        for i, at in enumerate(_moments(rng, args.audit_per_village)):
            action = ACTIONS[i % len(ACTIONS)]
            after = json.dumps({"status": "issued", "n": i})
            line = f"{at.isoformat()}\tofficer{v % 7}\t{action}\tcertificates.application\t{i}\t{code}\t\\N\t{after}\t\\N\t\n"
            audit_rows.append((at, line))
    chain_rows.sort(key=lambda r: r[0])
    audit_rows.sort(key=lambda r: r[0])
    chain_cols = "chain, seq, kind, ref_type, ref_id, payload, recorded_at, prev_hash, hash"
    audit_cols = "at, actor_name, action, object_type, object_id, region_code, before, after, ip, note"
    for table, cols, rows in (
        ("ledger_chainentry", chain_cols, chain_rows),
        ("audit_auditentry", audit_cols, audit_rows),
    ):
        with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for k in range(0, len(rows), 20000):
                copy.write("".join(line for _, line in rows[k : k + 20000]))
    return len(chain_rows) + len(audit_rows), time.perf_counter() - started


def hot_queries(province: str) -> dict[str, tuple[str, list[Any]]]:
    village = village_code(province, 0)
    county = county_prefix(province)
    month_start = datetime(YEAR, MONTH, 1, tzinfo=UTC)
    month_end = datetime(YEAR, MONTH + 1, 1, tzinfo=UTC)
    return {
        "village month": (
            "SELECT seq, kind, recorded_at, hash FROM ledger_chainentry "
            "WHERE chain = %s AND recorded_at >= %s AND recorded_at < %s ORDER BY seq",
            [village, month_start, month_end],
        ),
        "village audit": (
            "SELECT id, at, action, object_id FROM audit_auditentry "
            "WHERE region_code = %s AND at >= %s AND at < %s ORDER BY at DESC, id DESC LIMIT 50",
            [village, month_start, month_end],
        ),
        "county chain": (
            "SELECT chain, seq, kind, recorded_at FROM ledger_chainentry "
            "WHERE chain >= %s AND chain < %s AND recorded_at >= %s AND recorded_at < %s "
            "ORDER BY recorded_at DESC LIMIT 50",
            [county, county[:-1] + chr(ord(county[-1]) + 1), month_start, month_end],
        ),
        "province summary": (
            "SELECT action, count(*) FROM audit_auditentry "
            "WHERE region_code >= %s AND region_code < %s AND at >= %s AND at < %s GROUP BY action",
            [province, f"{int(province) + 1}", month_start, month_end],
        ),
    }


def time_query(cursor: Any, sql: str, params: list[Any], repeat: int) -> tuple[float, int]:
    cursor.execute(sql, params)
    rows = len(cursor.fetchall())
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), rows


def partitions_scanned(cursor: Any, sql: str, params: list[Any]) -> int:
    """How many tables (partitions) the plan reads: pruning leaves one year partition."""
    cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if "Relation Name" in node:
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(cursor.fetchone()[0][0]["Plan"])
    return len(found)


def run(args: argparse.Namespace) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DB}")
        admin.execute(f"CREATE DATABASE {DB}")
    env = dict(os.environ, DATABASE_URL=f"{PG_SERVER}/{DB}", CUNWU_SECRET_KEY="bench-only")
    env.setdefault("CUNWU_VAR_DIR", "/tmp/cunwu-bench-provinces")
    started = time.perf_counter()
    for app in ("audit", "ledger"):
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", app, "-v", "0", "--skip-checks"],
            env=env,
            check=True,
            cwd=ROOT,
        )
    migrate_s = time.perf_counter() - started
    steps = [int(n) for n in args.provinces.split(",")]
    results: list[tuple[int, int, float, float, dict[str, tuple[float, int]]]] = []
    scanned: dict[str, int] = {}
    sizes: dict[str, tuple[int, int, int]] = {}
    try:
        with psycopg.connect(f"{PG_SERVER}/{DB}", autocommit=True) as conn, conn.cursor() as cursor:
            loaded = 0
            for n in steps:
                load_s = 0.0
                for province in PROVINCES[loaded:n]:
                    with conn.transaction():
                        _, seconds = load_province(cursor, province, args)
                    load_s += seconds
                loaded = n
                cursor.execute("ANALYZE ledger_chainentry")
                cursor.execute("ANALYZE audit_auditentry")
                sizes = {}
                for table in ("ledger_chainentry", "audit_auditentry"):
                    cursor.execute(
                        f"SELECT count(*), pg_relation_size('{table}_y{YEAR}'), "
                        f"pg_total_relation_size('{table}_y{YEAR}') FROM {table}"
                    )
                    n_rows, heap, total = cursor.fetchone() or (0, 0, 0)
                    sizes[table] = (n_rows, heap, total)
                rows = sum(v[0] for v in sizes.values())
                size = sum(v[2] for v in sizes.values())
                timings = {
                    name: time_query(cursor, sql, params, args.repeat)
                    for name, (sql, params) in hot_queries(PROVINCES[0]).items()
                }
                scanned = {
                    name: partitions_scanned(cursor, sql, params)
                    for name, (sql, params) in hot_queries(PROVINCES[0]).items()
                }
                results.append((n, rows, size / 1e6, load_s, timings))
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    names = list(hot_queries(PROVINCES[0]))
    print("## Provinces on one PostgreSQL: hot queries as provinces are added\n")
    print(
        f"Command: `.venv/bin/python bench/bench_provinces.py --provinces {args.provinces} --villages {args.villages} "
        f"--chain-per-village {args.chain_per_village} --audit-per-village {args.audit_per_village}` "
        f"(load average before the run {args.load_before}, after {os.getloadavg()[0]:.2f}; migrate {migrate_s:.1f} s).\n"
    )
    print(
        f"Each province: {args.villages:,} villages in {COUNTIES} counties, one year ({YEAR}) of "
        f"{args.chain_per_village} chain entries and {args.audit_per_village} audit rows per village, loaded with "
        f"COPY into the yearly partitions. Times: median of {args.repeat} runs, milliseconds, for the first "
        f"province's village 0 / county 01 / province, month {MONTH}. Rows returned in brackets.\n"
    )
    print("| provinces | rows (both tables) | year partitions (MB) | load s | " + " | ".join(names) + " |")
    print("|---:|---:|---:|---:|" + "---:|" * len(names))
    for n, rows, size_mb, load_s, timings in results:
        cells = " | ".join(f"{timings[k][0]:.2f} ({timings[k][1]})" for k in names)
        print(f"| {n} | {rows:,} | {size_mb:,.0f} | {load_s:.1f} | {cells} |")
    per_row = "; ".join(
        f"{t}: {heap / n:.0f} B heap, {total / n:.0f} B with its indexes" for t, (n, heap, total) in sizes.items()
    )
    print(f"\nBytes per row at the last step ({per_row}).")
    print(
        "\nHow to read it: each query is pruned to one year partition and reads an index range that starts "
        "with the village, county or province code, so other provinces' rows are not read; a time that stays in "
        "the same range from the first to the last row of the table is the point (load average moves single "
        "figures by a few milliseconds)."
    )
    print(
        "\nPartitions in each plan (pruning; one year partition each): "
        + ", ".join(f"{k} {v}" for k, v in scanned.items())
        + "."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provinces", default="1,2,4,8")
    parser.add_argument("--villages", type=int, default=2000)
    parser.add_argument("--chain-per-village", type=int, default=60)
    parser.add_argument("--audit-per-village", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    args.load_before = f"{os.getloadavg()[0]:.2f}"
    run(args)


if __name__ == "__main__":
    main()
