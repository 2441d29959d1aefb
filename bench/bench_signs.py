"""Benchmark the province-wide sign compliance scan （九）（十） on PostgreSQL.

Run: .venv/bin/python bench/bench_signs.py  (prints a Markdown section to stdout)

A throwaway database `cunwu_bench_signs` on 127.0.0.1:5432 (dropped and created again) gets the
Yunnan divisions with generated villages (`cunwu seed --scale yunnan` logic: 14,888 villages and
communities with their organisations), the example catalogs, county refinements of the sign catalog
in a few counties, and ~15 realistic plates per village from the demo generator (place names,
party plates in full or short form, bilingual plates, look-alikes, awards, duplicates, misplaced
plates). Then the scan runs over the whole province, reported per county, and a campaign is opened
for the largest county.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "cunwu_bench_signs"
REFINED_COUNTIES = 8


def prepare_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def main() -> None:
    try:
        prepare_database()
    except Exception as exc:  # noqa: BLE001 - any connection problem means: say so and stop
        print("## Signs: province-wide compliance scan\n")
        print(f"PostgreSQL is not reachable at {PG_SERVER} ({type(exc).__name__}): not measured.")
        sys.exit(1)
    os.environ["DATABASE_URL"] = f"{PG_SERVER}/{DB_NAME}"
    os.environ.setdefault("CUNWU_SECRET_KEY", "bench-only-secret-key")
    os.environ["CUNWU_VAR_DIR"] = tempfile.mkdtemp(prefix="cunwu-bench-signs-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cunwu.accounts import demo as accounts_demo
    from cunwu.catalogs.demo import load_examples
    from cunwu.catalogs.services import revision_approve, revision_draft
    from cunwu.regions import codes
    from cunwu.regions.models import VILLAGE_LEVELS, Region
    from cunwu.regions.seeding import seed_regions
    from cunwu.signs import compliance, services
    from cunwu.signs.demo import plates_for
    from cunwu.signs.models import CampaignTask, Sign

    timings: dict[str, float] = {}
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings["migrate"] = time.perf_counter() - t

    t = time.perf_counter()
    seed_regions("yunnan")
    with open(os.devnull, "w") as devnull:
        accounts_demo.seed(scale="demo", stdout=devnull)
    load_examples()
    timings["seed"] = time.perf_counter() - t

    # A few counties refine the sign catalog, so the scan meets several catalogs in force.
    rng = random.Random(20270301)
    counties = list(Region.objects.filter(level=codes.COUNTY).order_by("code"))
    for county in rng.sample(counties, REFINED_COUNTIES):
        rev = revision_draft(
            actor=None,
            region=county,
            kind="sign",
            change="改",
            document=f"{county.name}办发〔2027〕1号",
            effective=date(2024, 1, 1),
            rows=[
                {
                    "code": "S10",
                    "name": "功能区域门牌",
                    "aliases": "党员活动室|村民议事室|农家书屋|人民调解室|卫生室|图书室|档案室|警务室",
                    "placement": "interior",
                    "max_count": 4,
                    "basis": "县细化",
                    "source": "县细化目录",
                }
            ],
        )
        revision_approve(actor=None, revision=rev)

    t = time.perf_counter()
    names = dict(Region.objects.exclude(level__in=VILLAGE_LEVELS).values_list("code", "name"))
    villages = list(
        Region.objects.filter(level__in=VILLAGE_LEVELS)
        .order_by("code")
        .values_list("code", "name", "level", "parent_id")
    )
    batch: list[Sign] = []
    total = 0
    for code, name, level, parent in villages:
        county_name = names.get(codes.prefix(code, codes.COUNTY) + "000000", "")
        for plate, placement in plates_for(code, name, level, rng, township=names.get(parent, ""), county=county_name):
            batch.append(Sign(region_id=code, name=plate, placement=placement))
        if len(batch) >= 20000:
            Sign.objects.bulk_create(batch, batch_size=5000)
            total += len(batch)
            batch = []
    Sign.objects.bulk_create(batch, batch_size=5000)
    total += len(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["plates"] = time.perf_counter() - t

    province = Region.objects.get(code="530000000000")
    t, c = time.perf_counter(), time.process_time()
    cold = compliance.scan(province)
    timings["scan_cold"], timings["cpu_cold"] = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    warm = compliance.scan(province)
    timings["scan_warm"], timings["cpu_warm"] = time.perf_counter() - t, time.process_time() - c
    load = os.getloadavg()[0]
    t = time.perf_counter()
    report = services.scan_record(actor=None, region=province)
    timings["scan_stored"] = time.perf_counter() - t

    biggest = max(cold.rows, key=lambda r: r.villages)
    county = Region.objects.get(code=biggest.code)
    from cunwu.accounts.models import User

    admin = User.objects.get(username="county_admin")
    from cunwu.accounts.services import membership_add

    if county.code != "530124000000":
        membership_add(actor=None, user=admin, role="county_admin", region=county)
        admin = User.objects.get(pk=admin.pk)
    t = time.perf_counter()
    campaign = services.campaign_open(
        actor=admin, county=county, title="基准测试清理行动", deadline=date.today() + timedelta(days=30)
    )
    timings["campaign"] = time.perf_counter() - t
    tasks = CampaignTask.objects.filter(campaign=campaign).count()

    totals = cold.totals
    print("## Signs: province-wide compliance scan")
    print()
    print(
        "Command: `.venv/bin/python bench/bench_signs.py` (PostgreSQL 127.0.0.1:5432, throwaway database "
        f"`{DB_NAME}`, one process)"
    )
    print()
    print(
        f'- Data: {len(villages):,} villages and communities (`seed_regions("yunnan")`), {total:,} hanging plates '
        f"({total / len(villages):.1f} per village) from the demo generator; example sign catalog with "
        f"{REFINED_COUNTIES} county refinements. Setup: migrate {timings['migrate']:.0f} s, regions and catalogs "
        f"{timings['seed']:.0f} s, plates {timings['plates']:.0f} s."
    )
    print(
        f"- **Scan of the province, per county: {timings['scan_cold']:.1f} s** (first run, matchers built per county "
        f"catalog; {timings['cpu_cold']:.1f} s CPU in this process), {timings['scan_warm']:.1f} s second run "
        f"({timings['cpu_warm']:.1f} s CPU); stored as a report by `services.scan_record` in {timings['scan_stored']:.1f} s. "
        f"Target: under 30 s. Load average during the scans: {load:.1f} on {os.cpu_count()} cores (shared machine)."
    )
    print(
        f"- Throughput: {total / timings['scan_cold']:,.0f} plates/s (first run), {total / timings['scan_warm']:,.0f} plates/s (second)."
    )
    print(
        f"- Result: {totals.compliant_villages:,} of {totals.villages:,} villages compliant; plates with findings "
        f"{totals.plates_with_findings:,}; not_in_catalog {totals.problems['not_in_catalog']:,}, wrong_placement "
        f"{totals.problems['wrong_placement']:,}, duplicate {totals.problems['duplicate']:,}, over_limit "
        f"{totals.problems['over_limit']:,}; {len(cold.rows)} counties (report rows: {len(report.rows)})."
    )
    print(
        f"- Opening a campaign for the largest county ({county.name}, {biggest.villages} villages): "
        f"{timings['campaign']:.1f} s, {tasks:,} tasks."
    )
    print()
    print("| county | villages | compliant | plates | not_in_catalog | wrong_placement | duplicate | over_limit |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in sorted(cold.rows, key=lambda r: -r.villages)[:8]:
        p = row.problems
        print(
            f"| {row.name} | {row.villages} | {row.compliant_villages} | {row.plates} | {p['not_in_catalog']} | "
            f"{p['wrong_placement']} | {p['duplicate']} | {p['over_limit']} |"
        )
    print()
    print(
        f"(8 largest of {len(cold.rows)} counties; warm and cold scans agree: "
        f"{[r.as_dict() for r in cold.rows] == [r.as_dict() for r in warm.rows]}.)"
    )
    connection.close()


if __name__ == "__main__":
    main()
