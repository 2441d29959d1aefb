"""Benchmark burden monitoring at Yunnan scale on PostgreSQL: the province's burden API and dashboard
read from the pre-aggregated tables, against computing the same answer from the raw records.

Run: .venv/bin/python bench/bench_oversight.py [--months 36] [--rate 0.6]  (prints a Markdown section)
Data: seed_regions("yunnan") (14,888 village-level units), then three years of off-list work reports
(清单外摊派) written with COPY — about `rate` reports per village per month — on a throwaway database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "cunwu_bench_oversight"
TITLE = "## Oversight: burden index at Yunnan scale (PostgreSQL)"


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--rate", type=float, default=0.6)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--figure-rate", type=float, default=0.1, help="records per village and month of every other figure"
    )
    parser.add_argument("--villages", type=float, default=1.0, help="share of villages given records (1 = all)")
    parser.add_argument("--reuse", action="store_true", help="measure the reads on the database a previous run left")
    args = parser.parse_args()
    try:
        if not args.reuse:
            prepare_database()
    except Exception as exc:  # noqa: BLE001 - any connection problem means: say so and stop
        print(f"{TITLE}\n\nPostgreSQL is not reachable at {PG_SERVER} ({type(exc).__name__}): not measured.")
        sys.exit(1)
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ.setdefault("CUNWU_SECRET_KEY", "bench-only-secret-key")
    os.environ["CUNWU_TESTING"] = "1"
    os.environ["CUNWU_VAR_DIR"] = tempfile.mkdtemp(prefix="cunwu-bench-oversight-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from cunwu.accounts import demo as accounts_demo
    from cunwu.accounts.models import User
    from cunwu.catalogs import demo as catalogs_demo
    from cunwu.oversight import aggregation, figures, rules
    from cunwu.regions import codes
    from cunwu.regions.seeding import seed_regions
    from cunwu.regions.selectors import region_with_children, village_level_codes

    setup_test_environment()  # the test client's host is allowed; nothing else changes
    call_command("migrate", verbosity=0)
    if not args.reuse:
        seed_regions("yunnan")
        with open(os.devnull, "w") as devnull:
            accounts_demo.seed(scale="demo", stdout=devnull)
            catalogs_demo.seed(scale="demo", stdout=devnull)
    villages = village_level_codes()
    clerk = User.objects.get(username="village_clerk")
    province = "53" + "0" * 10

    # --- three years of raw records, with COPY ---------------------------------------------------
    rng = random.Random(2027)
    today = timezone.localdate()
    first = today.replace(day=1)
    for _ in range(args.months - 1):
        first = rules.previous_month(first)
    departments = ["县农业农村局", "县卫生健康局", "县应急管理局", "县住房城乡建设局", "县林草局", "县统计局"]
    channels = ["phone", "chat_group", "meeting", "document"]
    t = time.perf_counter()
    rows = 0
    now = timezone.now()
    if args.reuse:
        villages_written: list[str] = []
    else:
        villages_written = villages
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg cursor: COPY FROM STDIN
        with raw.copy(
            "COPY admission_offlistreport (village_id, county_id, department_name, what, channel, received_on,"
            " status, handling_note, reported_by_id, created_at) FROM STDIN"
        ) as copy:
            month = first
            while month <= today:
                days = ((rules.next_month(month) - timedelta(days=1)) - month).days + 1
                for code in villages_written:
                    n = int(args.rate) + (rng.random() < args.rate - int(args.rate))
                    for _ in range(n):
                        day = month + timedelta(days=rng.randrange(days))
                        if day > today:
                            continue
                        copy.write_row(
                            (
                                code,
                                codes.prefix(code, codes.COUNTY).ljust(12, "0"),
                                rng.choice(departments),
                                "电话要求当天报送材料",
                                rng.choice(channels),
                                day,
                                "open",
                                "",
                                clerk.pk,
                                now,
                            )
                        )
                        rows += 1
                month = rules.next_month(month)
    generate = time.perf_counter() - t

    # --- every other figure's raw records: copies of the test world's records, with bulk_create ------
    per_figure: dict[str, int] = {}
    t = time.perf_counter()
    if not args.reuse:
        from bench import oversight_scale
        from cunwu.oversight.tests.helpers import make_the_figures_the_world_lacks
        from cunwu.regions.selectors import regions_at_level
        from cunwu.tests.world import build_world

        make_the_figures_the_world_lacks(build_world())
        month_days = []
        month = first
        while month <= today:
            month_days.append(month)
            month = rules.next_month(month)
        chosen = [v for v in villages if rng.random() < args.villages]
        places = {"village": chosen, "county": [r.code for r in regions_at_level(province, codes.COUNTY)]}
        queries = []
        for module in figures.burden_modules():
            queries += [q for q in module.burden_queries(month_days[0], today + timedelta(days=1))]
        queries = [q for q in queries if q.figure != "admission_offlist"]  # written with COPY above
        per_figure = oversight_scale.generate(queries, places, month_days, today, args.figure_rate, seed=2027)
    generate_all = time.perf_counter() - t

    # --- pre-aggregation: full build, then the incremental refresh --------------------------------
    months = []
    month = first
    while month <= today:
        months.append(month.strftime("%Y-%m"))
        month = rules.next_month(month)
    t = time.perf_counter()
    count_rows = 0 if args.reuse else aggregation.refresh_months(months)
    full = time.perf_counter() - t
    if args.reuse:
        from cunwu.admission.models import OffListReport
        from cunwu.oversight.models import FigureCount

        rows, count_rows = OffListReport.objects.count(), FigureCount.objects.count()
    t = time.perf_counter()
    aggregation.refresh_months(aggregation.recent_months(today))
    incremental = time.perf_counter() - t

    # --- reads ---------------------------------------------------------------------------------------
    admin = User.objects.get(username="province_admin")
    client = Client()
    client.force_login(admin)
    period = rules.Period(today.year)
    api_url = f"/api/v1/oversight/burden?region={province}&year={today.year}"
    last_year_url = f"/api/v1/oversight/burden?region={province}&year={today.year - 1}"
    dash_url = f"/oversight/r/{province}/?year={today.year}"

    def timed(url: str) -> list[float]:
        assert client.get(url).status_code == 200, url  # warm
        out = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            r = client.get(url)
            out.append(time.perf_counter() - t0)
            assert r.status_code == 200
        return out

    aggregation.refresh_months(aggregation.recent_months(today))  # fresh: reads do not refresh while measured
    api_times = timed(api_url)
    api_last = timed(last_year_url) if args.months > today.month else []
    dash_times = timed(dash_url)
    body = client.get(api_url).json()

    # --- freshness: a record written now, seen through the API after the every-minute refresh ----------
    from cunwu.admission import services as admission_services
    from cunwu.regions.selectors import region_get

    before = client.get(api_url).json()["components"].get("admission_offlist", 0)
    t0 = time.perf_counter()
    admission_services.offlist_report(
        actor=clerk,
        village=region_get("530124103200"),  # the demo village clerk's village
        department=None,
        department_name="县农业农村局",
        what="电话要求当天报送春耕进度表",
        channel="phone",
        received_on=today,
    )
    aggregation.refresh_months(aggregation.recent_months(today))
    after = client.get(api_url).json()["components"].get("admission_offlist", 0)
    fresh_seconds = time.perf_counter() - t0
    assert after == before + 1, (before, after)

    # --- the naive way: the same answer computed from the raw records on every request -------------
    body = client.get(api_url).json()
    formula = aggregation.current_formula()

    def naive() -> dict[str, float]:
        per_village: dict[str, dict[str, int]] = {}
        for figure, code, _m, _s, n in figures.counts(period.start, period.end):
            comps = per_village.setdefault(code, {})
            comps[figure] = comps.get(figure, 0) + n
        _, children = region_with_children(province)
        months_in = period.elapsed_months(today)
        sums: dict[str, float] = {c.code: 0.0 for c in children}
        counts_: dict[str, int] = {c.code: 0 for c in children}
        for code in village_level_codes():
            pref = codes.prefix(code, codes.PREFECTURE).ljust(12, "0")
            counts_[pref] = counts_.get(pref, 0) + 1
            sums[pref] = sums.get(pref, 0.0) + rules.village_index(per_village.get(code, {}), formula, months_in)
        return {c: rules.mean(sums[c], counts_[c]) for c in sums}

    naive_times = []
    for _ in range(max(3, args.runs // 5)):
        t0 = time.perf_counter()
        answer = naive()
        naive_times.append(time.perf_counter() - t0)
    for child in body["children"]:
        assert abs(answer[child["code"]] - child["index"]) < 0.05, (child, answer[child["code"]])

    speedup = statistics.median(naive_times) / statistics.median(api_times)
    print(TITLE + "\n")
    print(
        f"Command: `.venv/bin/python bench/bench_oversight.py --months {args.months} --rate {args.rate} "
        f"--figure-rate {args.figure_rate} --villages {args.villages}`  "
    )
    print(f"Measured {datetime.now():%Y-%m-%d %H:%M}, PostgreSQL 15 local, 2 shared cores.\n")
    written = "reused from the previous run" if args.reuse else f"written with COPY in {generate:.1f} s"
    print(
        f'- Data: {len(villages):,} village-level units (`seed_regions("yunnan")`), {rows:,} off-list reports over '
        f"{args.months} months ({written}); {count_rows:,} pre-aggregated count rows."
    )
    if not args.reuse:
        print(
            f"- Full build of the pre-aggregated tables ({len(months)} months, their quarters and years): {full:.1f} s"
        )
    if per_figure:
        from django.db.models import Sum

        from cunwu.oversight.models import FigureCount

        counted = dict(FigureCount.objects.values_list("figure").annotate(n=Sum("count")).order_by())
        print(
            f"- Every other figure: {sum(per_figure.values()):,} records copied from the test world's records "
            f"with bulk_create in {generate_all:.1f} s ({args.figure_rate} per village and month, ×20 per county "
            f"for county-level figures, {args.villages:.0%} of villages; copies that would break a unique "
            f"constraint are dropped). Counted per figure over {args.months} months: "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(counted.items()))
        )
    print(f"- Incremental refresh (current + previous month, as every minute): {incremental:.2f} s")
    print(
        f"- Freshness: an off-list report written now counted by the province API after the next refresh: "
        f"{fresh_seconds:.1f} s from the write (the refresh runs every minute, so within a minute plus this)"
    )
    print(
        f"- `GET /api/v1/oversight/burden` province, this year (16 prefectures): median {ms(api_times)} over {args.runs}"
    )
    if api_last:
        print(f"- Same, last year: median {ms(api_last)}")
    print(f"- Province dashboard page (index, 16 prefectures, 12-month trend, two SVG charts): median {ms(dash_times)}")
    print(
        f"- Naive: the same 16 indexes computed from the raw records (GROUP BY per village, index per village, "
        f"means): median {ms(naive_times)} — the API is {speedup:.0f}× faster; the answers agree."
    )
    connection.close()


if __name__ == "__main__":
    main()
