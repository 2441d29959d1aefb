"""Three years of Yunnan on PostgreSQL: load time, disk, chain verification, page times, hot plans.

Run: .venv/bin/python bench/bench_scale.py                 (a 2 % fraction of the villages, ≈ 1–2 min)
     .venv/bin/python bench/bench_scale.py --fraction 1     (the whole province: ≈ 3 million applications)
     .venv/bin/python bench/bench_scale.py --existing URL   (measure a database already seeded, load nothing)
     --database NAME names the throwaway database (default cunwu_bench_scale_<pid>); --no-plans;
     --no-verify leaves out `cunwu audit verify` and `cunwu seals verify` (about 17 and 34 min at full size)

Without --existing it creates a throwaway database, migrates it, runs `cunwu seed --scale yunnan
--years 3 --fraction F` (COPY; timings per phase), then measures and drops the database. It prints
a Markdown section: rows and disk per table, `cunwu audit verify` and `cunwu seals verify` times,
the p50 of 10 requests (Django test client, warm) of the registers, workbenches, searches, the
province dashboard and the verification API, and EXPLAIN ANALYZE of the ten slowest queries those
pages ran. Say the load average next to the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BUDGET_MS = 300
REPEAT = 10
TABLES = (
    "certificates_application",
    "certificates_certificate",
    "seals_sealrequest",
    "seals_sealuse",
    "ledger_chainentry",
    "ledger_chainhead",
    "audit_auditentry",
    "certificates_serialcounter",
    "accounts_user",
    "seals_seal",
    "regions_region",
    "regions_organisation",
)


def _psql(db: str, sql: str) -> None:
    subprocess.run(["psql", "-q", f"{PG_SERVER}/{db}", "-c", sql], check=True, capture_output=True)


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CUNWU_SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cunwu.settings"
    import django

    django.setup()


def seed(fraction: float, jobs: int) -> str:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    out = io.StringIO()
    started = time.perf_counter()
    call_command("seed", scale="yunnan", years=3, fraction=fraction, jobs=jobs, stdout=out)
    total = time.perf_counter() - started
    lines = [line for line in out.getvalue().splitlines() if line.startswith(("业务数据", "用时", "行政区划"))]
    return "\n".join([f"- whole `seed` command (regions included): {total:.0f} s", *(f"- {line}" for line in lines)])


def sizes() -> list[str]:
    from django.db import connection

    rows = ["| table | rows | heap + TOAST | indexes | total |", "|---|---:|---:|---:|---:|"]
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                "SELECT (SELECT count(*) FROM " + table + "),"
                " pg_size_pretty(pg_table_size(%s::regclass)), pg_size_pretty(pg_indexes_size(%s::regclass)),"
                " pg_size_pretty(pg_total_relation_size(%s::regclass))",
                [table, table, table],
            )
            count, heap, index, total = cursor.fetchone()
            rows.append(f"| {table} | {count:,} | {heap} | {index} | {total} |")
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        rows.append(f"\nWhole database (`pg_database_size`): **{cursor.fetchone()[0]}**.")
    return rows


def verify_times() -> list[str]:
    from django.core.management import call_command

    out = []
    for name, args in (("cunwu audit verify", ["audit", "verify"]), ("cunwu seals verify", ["seals", "verify"])):
        buf = io.StringIO()
        started = time.perf_counter()
        call_command(*args, stdout=buf)
        out.append(f"- `{name}`: {time.perf_counter() - started:.1f} s — {buf.getvalue().strip().splitlines()[-1]}")
    return out


def pages() -> tuple[list[str], list[tuple[float, str, str]]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cunwu.accounts.models import User
    from cunwu.certificates.models import Certificate
    from cunwu.regions.models import Region

    province = User.objects.get(username="province_admin")
    county_admin = User.objects.get(username="county_admin")
    reviewer = User.objects.get(username="county_reviewer")
    township = User.objects.get(username="township_officer")
    clerk = User.objects.get(username="village_clerk")
    clerk_village = clerk.memberships.values_list("region_id", flat=True).first()
    cert = Certificate.objects.order_by("-id").only("token").first()
    village = Region.objects.filter(level="village").order_by("code")[7000:7001].first()
    token = cert.token if cert else "x"
    cases = [
        ("certificate register, province", province, "/certificates/register/"),
        ("certificate register, village", clerk, "/certificates/register/"),
        ("certificate workbench, village", clerk, "/certificates/"),
        ("seal-use register, province", province, "/seals/register/"),
        ("seal-use register, village", clerk, "/seals/register/"),
        ("admission requests, province", province, "/admission/requests/"),
        ("admission review, county", reviewer, "/admission/review/"),
        ("assignments, village", clerk, "/admission/village/"),
        ("complaints, province", province, "/complaints/"),
        ("complaints, county", county_admin, "/complaints/"),
        ("plates, province", province, "/signs/region/530000000000/"),
        ("plates, village", clerk, f"/signs/village/{clerk_village}/"),
        ("forms and filings, county", county_admin, "/reporting/"),
        ("forms and filings, township", township, "/reporting/"),
        ("province dashboard", province, "/oversight/r/530000000000/"),
        ("audit log, province", province, "/audit/"),
        ("village search (portal)", None, f"/zhaocun/?q={village.name if village else '大箐'}"),
        ("verification API", None, f"/api/v1/certificates/verify?token={token}"),
        ("verification page", None, f"/v/{token}"),
    ]
    rows = ["| page | p50 ms | max ms | status | queries |", "|---|---:|---:|---:|---:|"]
    slow: list[tuple[float, str, str]] = []
    for label, user, url in cases:
        client = Client(HTTP_HOST="127.0.0.1")
        if user is not None:
            client.force_login(user)
        client.get(url)  # warm: caches, the first connection
        times = []
        status = 0
        for i in range(REPEAT):
            ctx = CaptureQueriesContext(connection)
            started = time.perf_counter()
            with ctx:
                status = client.get(url).status_code
            times.append((time.perf_counter() - started) * 1000)
            if i == REPEAT - 1:
                slow += [(float(q["time"]), label, q["sql"]) for q in ctx.captured_queries]
                queries = len(ctx.captured_queries)
        p50 = statistics.median(times)
        flag = "" if p50 <= BUDGET_MS else " ⚠"
        rows.append(f"| {label} | {p50:.0f}{flag} | {max(times):.0f} | {status} | {queries} |")
    return rows, slow


def plans(slow: list[tuple[float, str, str]]) -> list[str]:
    from django.db import connection

    seen: set[str] = set()
    picked = []
    for seconds, label, sql in sorted(slow, reverse=True):
        key = sql[:120]
        if key in seen or not sql.lstrip().upper().startswith("SELECT"):
            continue
        seen.add(key)
        picked.append((seconds, label, sql))
        if len(picked) == 10:
            break
    out = []
    for n, (seconds, label, sql) in enumerate(picked, start=1):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        out += [
            f"**{n}. {label}** ({seconds * 1000:.0f} ms in the page)",
            "",
            "```sql",
            sql[:1500] + (" …" if len(sql) > 1500 else ""),
            "```",
            "",
            "```",
            plan,
            "```",
            "",
        ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.02, help="share of the villages to load (1 = all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--existing", default="", help="measure this already-seeded database; load nothing")
    parser.add_argument("--no-plans", action="store_true", help="leave out the EXPLAIN ANALYZE section")
    parser.add_argument("--no-verify", action="store_true", help="leave out audit verify and seals verify (long)")
    parser.add_argument("--database", default="", help="name of the throwaway database (made and dropped here)")
    args = parser.parse_args()
    db = ""
    if args.existing:
        setup_django(args.existing)
        loaded = f"- measured an existing database ({args.existing.rsplit('/', 1)[-1]}), nothing loaded"
    else:
        db = args.database or f"cunwu_bench_scale_{os.getpid()}"
        _psql("postgres", f"CREATE DATABASE {db}")
    try:
        if db:
            setup_django(f"{PG_SERVER}/{db}")
            loaded = seed(args.fraction, args.jobs)
        lines = [
            "## Three years of Yunnan (bench_scale)",
            "",
            f"Command: `.venv/bin/python bench/bench_scale.py {' '.join(sys.argv[1:])}`".rstrip(),
            f"Load average before measuring: {_loadavg()} (2 cores, shared).",
            "",
            loaded,
            "",
            *sizes(),
            "",
            *([] if args.no_verify else verify_times()),
            "",
        ]
        print("\n".join(lines), flush=True)
        page_rows, slow = pages()
        print("\n".join([f"Pages (p50 of {REPEAT}, warm, test client; budget {BUDGET_MS} ms):", "", *page_rows, ""]))
        print(f"Load average after: {_loadavg()}.\n")
        if not args.no_plans:
            print("\n".join(["### The ten slowest queries of those pages", "", *plans(slow)]))
    finally:
        if db:
            from django.db import connections

            connections.close_all()
            _psql("postgres", f"DROP DATABASE IF EXISTS {db}")


if __name__ == "__main__":
    main()
