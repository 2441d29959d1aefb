"""Benchmark the form reader and the overlap finder on labelled county forms (（四）).

Run: .venv/bin/python bench/bench_reporting.py [--accuracy-only]  (prints a Markdown section)

Accuracy: each form of bench/reporting_forms.py is written as the department would upload it
(xlsx with merged headers, or GBK CSV), read back by `formfiles.read_form`, and all forms of a half
are compared at once (`compare.overlaps`). Pairs are right when both columns carry the same label;
a unit factor is right when it equals the factor between the labelled units. TRAIN was used for
tuning; HELD_OUT was written before any tuning and not looked at while tuning.
Scale (issue 14): consolidation proposals for 30 departments × 10 requests × 40 fields; a village's
filing page of 300 elements rendered through the Django test client (p50/p95 of 20 renders); a
department's xlsx export for 200 villages × 300 elements (the view's own functions, read back with
openpyxl). The last two run on a throwaway SQLite database (temp dir), seeded with the demo county
and topped up to 200 villages; `--backend postgres` runs them on a PostgreSQL database made for the
run and dropped afterwards.
"""

from __future__ import annotations

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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cunwu.settings")
os.environ.setdefault("CUNWU_SECRET_KEY", "bench")
PG_SERVER = os.environ.get("CUNWU_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
ELEMENTS = 300
VILLAGES = 200
RENDERS = 20


def _printed(spec, col) -> bool:
    """Whether the form prints the column's unit (in its header, a unit row or a 单位： line)."""
    unit = col.unit or ""
    bracketed = any(f"{o}{unit}{c}" in col.header for o, c in (("（", "）"), ("(", ")")))
    return bool(unit) and (bracketed or bool(col.unit_cell) or any(unit in m for m in spec.meta))


def accuracy(train: list, held_out: list, factor: Any = None) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Reader and overlap figures per half; held-out pairs are those with a held-out form on either side.

    `factor(unit_a, unit_b)` gives a true pair's unit factor; by default the code's own `fields.unit_factor`,
    for the FRESH forms a table kept apart from the code measured (`reporting_forms_fresh.true_factor`).
    """
    from cunwu.reporting import compare, fields
    from cunwu.reporting.formfiles import read_form
    from cunwu.reporting.tests.sheets import form_bytes

    specs = train + held_out
    forms = [read_form(form_bytes(s), s.filename) for s in specs]
    half = ["train"] * len(train) + ["held-out"] * len(held_out)
    figures: dict[str, dict[str, int]] = {
        h: dict.fromkeys(("forms", "columns", "roles", "units", "true", "found", "hits", "factors"), 0)
        for h in ("train", "held-out")
    }
    misses: list[str] = []
    for n, (spec, form) in enumerate(zip(specs, forms, strict=True)):
        f = figures[half[n]]
        f["forms"] += 1
        by_index = {c.index: c for c in form.columns}
        for i, col in enumerate(spec.flat()):
            f["columns"] += 1
            column = by_index.get(i)
            role_ok = bool(column and column.role == col.role)
            unit_ok = column is not None and (
                col.role != "data" or column.unit == col.unit or (column.unit is None and not _printed(spec, col))
            )
            f["roles"] += role_ok
            f["units"] += unit_ok
            if not (role_ok and unit_ok):
                misses.append(
                    f"{half[n]}: {spec.title}[{i}] {col.header}: {column and (column.role, column.unit, column.name)}"
                )
    truth: dict[tuple[tuple[int, int], tuple[int, int]], float] = {}
    for i, a in enumerate(specs):
        for j in range(i + 1, len(specs)):
            for ci, ca in enumerate(a.flat()):
                for cj, cb in enumerate(specs[j].flat()):
                    if ca.concept and ca.concept == cb.concept:
                        truth[((i, ci), (j, cj))] = (factor or fields.unit_factor)(ca.unit, cb.unit) or 0.0
    found = {
        (o.a, o.b): o.unit_factor for o in compare.overlaps([f.columns for f in forms], titles=[f.name for f in forms])
    }

    def half_of(k: tuple[tuple[int, int], tuple[int, int]]) -> str:
        return "train" if half[k[0][0]] == half[k[1][0]] == "train" else "held-out"

    for k in truth:
        figures[half_of(k)]["true"] += 1
    for k, factor in found.items():
        f = figures[half_of(k)]
        f["found"] += 1
        if k not in truth:
            misses.append(f"{half_of(k)}: false pair {_label(forms, k)}")
            continue
        f["hits"] += 1
        if abs(factor - truth[k]) <= 1e-6 * max(1.0, abs(truth[k])):
            f["factors"] += 1
        else:
            misses.append(f"{half_of(k)}: wrong factor {_label(forms, k)}: {factor} ≠ {truth[k]}")
    for k in truth.keys() - found.keys():
        misses.append(f"{half_of(k)}: missed pair {_label(forms, k)}")
    return figures, sorted(misses)


def _label(forms: list, key: tuple[tuple[int, int], tuple[int, int]]) -> str:
    (fa, ca), (fb, cb) = key
    name = {(i, c.index): c.name for i, f in enumerate(forms) for c in f.columns}
    return f"{forms[fa].name[:8]}:{name.get((fa, ca))} ↔ {forms[fb].name[:8]}:{name.get((fb, cb))}"


def scale() -> list[str]:
    """Consolidation proposals for a county of 30 departments × 10 requests × 40 fields (no database).

    As in `selectors.consolidation_proposals`, fields are grouped per department (a department's own
    requests reuse its elements), so each of the 30 groups holds up to 400 distinct elements whose
    names are drawn from the labelled forms with qualifiers (新增, 累计, 本年…) for variety.
    """
    import random

    from bench.reporting_forms import HELD_OUT, TRAIN
    from cunwu.reporting import compare
    from cunwu.reporting.formfiles import Column

    names = sorted({(c.header, c.unit) for s in TRAIN + HELD_OUT for c in s.flat() if c.role == "data"})
    qualifiers = ["", "新增", "累计", "本年", "上年", "城镇", "农村", "男性", "女性", "少数民族", "外来", "在校"]
    rng = random.Random(14)
    forms = []
    for _department in range(30):
        combos = rng.sample([(q, n) for q in qualifiers for n in names], 400)
        forms.append([Column(k, [q + h], q + h, unit, "integer", "data") for k, (q, (h, unit)) in enumerate(combos)])
    # The matcher's reading dictionaries (pypinyin) load once per process, as in a running server: not timed.
    compare.overlaps([forms[0][:2], forms[1][:2]])
    started, cpu = time.perf_counter(), time.process_time()
    found = compare.overlaps(forms)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return [
        f"- Consolidation proposals, 30 departments × 400 elements (10 requests × 40 fields each, 12,000 fields): "
        f"{seconds:.2f} s wall, {cpu:.2f} s CPU, after a warm-up call; {len(found):,} proposed pairs (target < 2 s)"
    ]


def _database(backend: str, var: str, pg_db: str) -> None:
    """Point Django at a throwaway database (before setup), migrate it and seed the demo county."""
    os.environ["CUNWU_VAR_DIR"] = var
    os.environ["CUNWU_TESTING"] = "1"  # fast password hashing for the demo accounts (setup only)
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


def _county_of_200() -> list[Any]:
    """The demo county's villages, topped up with generated ones to VILLAGES (setup, not measured)."""
    from cunwu.regions.models import Region
    from cunwu.regions.seeding import DEMO_COUNTY

    county = Region.objects.get(code=DEMO_COUNTY)
    townships = list(Region.objects.filter(parent=county, level="township").order_by("code"))
    have = list(Region.objects.filter(county.subtree_q(), level__in=["village", "community"]))
    taken = {r.code for r in have}
    extra: list[Region] = []
    n = 0
    while len(have) + len(extra) < VILLAGES:
        township = townships[n % len(townships)]
        number = 400 + n // len(townships)
        code = township.code[:9] + f"{number:03d}"
        n += 1
        if code not in taken:
            extra.append(Region(code=code, name=f"压测{n}村委会", level="village", parent=township, generated=True))
    Region.objects.bulk_create([r.fill_search_keys() for r in extra])
    return have + extra


def _plan_of_300(year: int) -> tuple[Any, Any, list[int]]:
    """A department's approved monthly request of ELEMENTS fields, in a published plan."""
    from cunwu.accounts.models import User
    from cunwu.regions.seeding import DEMO_COUNTY
    from cunwu.reporting import services
    from cunwu.reporting.services import FieldIn
    from cunwu.reporting.tests.factories import make_request

    officer = User.objects.get(username="department_officer")
    reviewer = User.objects.get(username="county_reviewer")
    fields = [
        FieldIn(f"压测指标{k:03d}", "integer" if k % 3 else "decimal", "人" if k % 3 else "万元")
        for k in range(ELEMENTS)
    ]
    request = make_request(officer, fields, title="村级综合情况月报（压测）", year=year)
    services.request_decide(actor=reviewer, request=request, approve=True)
    plan = services.plan_publish(actor=reviewer, county_code=DEMO_COUNTY, year=year)
    return request, plan, [f.element_id for f in request.fields.order_by("position")]


def _value(k: int, v: int) -> str:
    return str((k * 7 + v * 13) % 500) if k % 3 else f"{(k + v) % 97}.25"


def scale_db(backend: str) -> list[str]:
    """Filing page render and department export on a real database (see the module docstring)."""
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from openpyxl import load_workbook

    from cunwu.accounts.models import User
    from cunwu.reporting import rebuild, services
    from cunwu.reporting.models import DataValue, Filing, FilingStatus, Window

    year = 2027
    villages = _county_of_200()
    request, plan, elements = _plan_of_300(year)
    period = f"{year}-01"
    today = timezone.localdate()
    Window.objects.filter(plan=plan, period=period).update(
        opens=today - timedelta(days=1), closes=today + timedelta(days=5)
    )
    clerk = User.objects.get(username="village_clerk")
    home = next(v for v in villages if v.code == "530124103200")
    filing = services.filing_open(actor=clerk, plan=plan, village_code=home.code, period=period)
    services.filing_save(actor=clerk, filing=filing, values={e: _value(k, 0) for k, e in enumerate(elements)})
    # The other villages' filings, accepted, written in bulk (setup, not measured).
    others = [v for v in villages if v.code != home.code]
    Filing.objects.bulk_create(
        [Filing(plan=plan, village=v, period=period, status=FilingStatus.ACCEPTED) for v in others]
    )
    filing_of = dict(Filing.objects.filter(plan=plan, period=period).values_list("village_id", "pk"))
    DataValue.objects.bulk_create(
        [
            DataValue(element_id=e, period=period, village=v, filing_id=filing_of[v.code], value=_value(k, n + 1))
            for n, v in enumerate(others)
            for k, e in enumerate(elements)
        ],
        batch_size=5000,
    )
    stored = DataValue.objects.filter(period=period).count()

    client = Client(HTTP_HOST="localhost")
    client.force_login(clerk)
    url = f"/reporting/villages/{home.code}/{period}/"
    first = client.get(url)
    assert first.status_code == 200 and first.content.decode().count('name="e') >= ELEMENTS, first.status_code
    renders, render_cpu = [], []
    for _ in range(RENDERS):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(url)
        renders.append(time.perf_counter() - t0)
        render_cpu.append(time.process_time() - c0)
    renders.sort()

    exports, export_cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        data = rebuild.export_xlsx(rebuild.rebuild(request, period))
        exports.append(time.perf_counter() - t0)
        export_cpu.append(time.process_time() - c0)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    # Typed-in request: title row, one header row (乡镇, 村委会, then the fields), one row per village.
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if any(c is not None for c in r[2:])]
    cells = sum(1 for r in rows for c in r[2 : 2 + ELEMENTS] if c is not None)
    p95 = renders[min(len(renders) - 1, round(0.95 * (len(renders) - 1)))]
    return [
        f"- Village filing page, {ELEMENTS} elements with saved values ({backend}, Django test client, "
        f"{RENDERS} renders): p50 {statistics.median(renders) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms wall "
        f"(CPU p50 {statistics.median(render_cpu) * 1000:.0f} ms) (target < 300 ms)",
        f"- Department xlsx export, {len(villages)} villages × {ELEMENTS} elements ({stored:,} stored values, "
        f"{backend}; `rebuild.rebuild` + `rebuild.export_xlsx`, 3 runs): median "
        f"{statistics.median(exports):.2f} s wall ({statistics.median(export_cpu):.2f} s CPU), {len(data) / 1e6:.1f} MB; read back with openpyxl: {len(rows)} village rows, "
        f"{cells:,} value cells (target < 5 s)",
    ]


def _scale_db_in_child(backend: str) -> list[str]:
    """Run `scale_db` in a fresh process (its own Django settings and throwaway database)."""
    with tempfile.TemporaryDirectory() as var:
        pg_db = f"cunwu_bench_reporting_{os.getpid()}"
        if backend == "postgres":
            subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f"CREATE DATABASE {pg_db}"], check=True)
        try:
            out = subprocess.run(
                [sys.executable, __file__, "--scale-db", backend, var, pg_db],
                check=True,
                capture_output=True,
                text=True,
            )
        finally:
            if backend == "postgres":
                subprocess.run(["psql", PG_SERVER + "/postgres", "-qc", f"DROP DATABASE IF EXISTS {pg_db}"], check=True)
    return out.stdout.strip().splitlines()


FRESH_FIRST_RUN = """**First run of FRESH** (2026-12-06, code of fed9f43, scored once before any tuning on it — the honest \
figure for department forms the finder has never seen): precision **1.000**, recall **0.797** (59/74; target 0.9: \
not met), unit factors 59/59, roles 0.996, units 0.956. The 15 missed pairs: 农村户籍人口 on a township water form \
against 户籍人口 / 户籍总人口 / 总人口 on six forms (6), a two-level 地类面积（公顷）> 耕地 / 林地 against 耕地面积 / \
林地面积 (5), 生猪年末存栏 ↔ 生猪存栏, 受威胁群众 ↔ 威胁人数, 户籍人口 ↔ 农村户籍人口. Any FRESH figure printed \
below this line after a later commit is tuned, not honest."""


FRESH3_FIRST_RUN = """**First run of FRESH3** (2026-12-06, 31 forms of 25 departments, 91 true pairs, written by a third \
engineer during the FRESH2 tuning; code of d41ffc7 — after tuning on FRESH2 — scored once before any tuning on it): \
precision **0.805**, recall **0.363** (33/91; target 0.9: not met), unit factors 33/33, roles 0.796, units 0.802. \
The reader is the weak part: on three forms (农村经济主要指标, 新时代文明实践站, 农村电子商务服务站点) the header row \
was not found — a 填报单位 / 统计期：年月 line was taken for the header, so the whole form was read wrong and 8 false \
pairs were 填报单位 ↔ 填报单位; people in charge named by their post (分管领导, 驻村队长, 村委会主任, 村民小组长, 专武干部) \
and places (建制村, 乡镇武装部) were read as data; compound units (吨/日) and count units (例, 具) were not read; and \
paraphrases of sanitation and organisation data (使用卫生厕所农户 ↔ 卫生户厕, 公共厕所 ↔ 村内公厕, 村庄保洁员 ↔ \
保洁员, 民兵应急分队 ↔ 民兵应急排, 选派驻村第一书记 ↔ 第一书记) were missed; 60岁以上 paired with 60岁以上党员."""

FRESH3_TUNING = """Tuning on FRESH3 (2026-12-06, after its first run; load average 4.4 on 2 shared cores): the reader \
first, then roles, units and paraphrases, each family a general rule with tests (`cunwu/reporting/tests/test_formfiles.py`, \
`test_fields.py`), none a pair. (1) Header rows: a line whose cells are all "xxx：…" labels (统计期：年月, 截止时间：, \
单位负责人：, in whatever columns they sit; `formfiles._LABEL`, 其中： excepted) is metadata, and a header row needs two \
heading cells that are not such labels; such a label line below the data ends the samples; 合计（万元） under a merged \
band is a sub-header, not a total row; a headerless first column of village names is the key. The three misread forms \
(农村经济主要指标, 新时代文明实践站, 农村电子商务服务站点, and 老年人健康体检 too) are now read whole. (2) Roles: a post or a person in charge \
printed with no unit (分管领导, 驻村队长, 村委会主任, 村民小组长, 专武干部, 站长, 村（组）负责人, 排查人, …（签字）; \
`fields._POST`, `_SIGNED`) is a signature — 选派驻村第一书记（人） and 干部人数 stay data; any …名称, 建制村, 自然村, \
乡镇武装部, 服务站, 烟站 are keys. (3) Units: 吨/日, 公斤/日, 立方米/日 kept whole (吨/日 = 1000 公斤/日, never 日); \
a 日均/每日 amount in 公斤 or 吨 is a rate (日均清运量（公斤） = 公斤/日); counts 例, 具, 册, 万册, 顶, 床, 把, 部, 盏; 纠纷, 件数, 案件 count in 件, so a 单位：件、人 line reaches them. \
(4) Precision: an age bracket beside a group (60岁以上党员) is not the elderly at large (60岁以上, 60岁以上户籍老年人), \
and 其中：60岁以上 under 退役军人 stays a part of it. (5) Lexicon rows (noted "FRESH3 tuning"): 公共厕所 = 公厕, \
使用卫生厕所农户 = 卫生户厕, 村庄保洁 = 保洁, 驻村第一书记 = 第一书记 (选派 dropped), 种烟农户 = 种烟户, \
群测群防监测员 = 群测群防员; 民兵应急分队 ↔ 民兵应急排 left apart (a squad and a platoon need not be one datum). \
Before → after, same command: FRESH3 precision 0.805 → 1.000, recall 0.363 → 0.659 (60/91), factors 33/33 → 60/60, \
roles 0.796 → 1.000, units 0.802 → 0.997; train, held-out, FRESH and FRESH2 unchanged (1.000/1.000, 1.000/0.983, \
1.000/1.000, 1.000/0.986). Left: 31 FRESH3 pairs, mostly one datum in other words (地质灾害隐患点数量 ↔ 隐患点个数, \
应急广播（大喇叭） ↔ 预警大喇叭, 本月化解矛盾纠纷 ↔ 调解成功, 农产品网络零售额 ↔ 农产品上行, 撂荒耕地面积 ↔ 撂荒地, \
生活垃圾日收运处理量 ↔ 日均清运量). ㎡ / m² / m2 are read as 平方米. The FRESH3 row is now tuned; the next unseen set is the figure \
to trust."""


FRESH2_FIRST_RUN = """**First run of FRESH2** (2026-12-06, code of e4aa057 — after tuning on FRESH — scored once before any \
tuning on it): precision **1.000**, recall **0.580** (40/69; target 0.9: not met), unit factors 40/40, roles 0.936, \
units 0.958. The tuning on FRESH did not carry over. Missed families: a two-level header whose parent names the \
population (汇总农户 > 人口 / 户数 / 劳动力 ↔ 户籍人口 / 总户数 / 农村劳动力; 8 pairs), a parent naming a category \
(新型农业经营主体 > 农民合作社 / 家庭农场 ↔ 农民专业合作社 / 家庭农场; 5), 土地经营权流转总面积 ↔ 土地流转面积 and \
流转出承包耕地的农户数 ↔ 流转涉及农户 (3), 60周岁以上 ↔ 60岁及以上 and 80周岁以上 ↔ 80岁及以上 (2), 村集体经济组织总收入 \
↔ 村集体经济收入 (2), 外出务工劳动力 ↔ 外出务工人员 (2), 医保参保人数 ↔ 医保已参保, 已缴费 ↔ 缴费人数, 本年出生人口 ↔ \
活产数, 村域内企业 ↔ 企业, 危房改造补助 ↔ 补助资金, 重度残疾人护理补贴人数 ↔ 享受护理补贴人数, 家庭承包经营耕地面积 ↔ \
家庭承包耕地. Roles: key columns named after an organisation (派出所, 乡镇卫生院, 村团支部, 村（社区）名称) were read as \
data, and the header of the river-chief form (填报单位 and 填报时间 above the header) was not found."""


FRESH_TUNING = """Tuning on FRESH (2026-12-06, after its first run; load average 7.9 on 2 shared cores): its misses were taken as \
families, not pairs, and each family got a general rule with a unit test (`cunwu/reporting/tests/test_fields.py`): \
a 农村/本村 qualifier on a village's population (`农村户籍`, `农村常住` in the lexicon; 全村/辖区 were already \
dropped); a top header that names only a measure (`地类面积（公顷）`, `面积`, `各类人数` over 耕地 / 林地) gives that \
measure to the types below it (`fields._MEASURE_HEADER`); time qualifiers 年末/年底/期末 dropped like 本年/当年; \
群众/村民 count people (受威胁群众 = 威胁人数); 人口 that only qualifies a 人数 count (脱贫人口务工就业人数); a 其中 \
part whose name already contains its whole's topic (其中：脱贫劳动力 under 农村劳动力) pairs as a datum of its own; \
户籍老年人 = 老年人; 在岗 dropped; `生猪存栏` kept whole (猪存栏 inside it was spelled again, 生生生猪存栏); a \
`单位：户、人` line read after a `填报单位：（盖章）` line (the reader stopped at the first 单位); 村（居）委会 is a key; \
a name ending in 劳动力 or 员 with no other measure word counts people (so the table unit 人 reaches it). \
For families FRESH did not show but the next set may: age brackets spelled one way (60-79岁 = 60至79岁), 男性劳动力 = \
劳动力 / 男, a bare 户数 / 人口 on a village form = 总户数 / 总人口, 特困供养人员 = 特困人员 (tests beside the others); \
the figures above are unchanged by them. \
Before → after, same command: train precision 1.000 → 1.000, recall 0.973 → 1.000 (110/110), factors 107/107 → \
110/110; held-out 1.000 → 1.000, 0.983 → 0.983 (the one miss is a 其中 under 优抚对象人数 labelled as a part of \
退役军人, left alone); FRESH precision 1.000 → 1.000, recall 0.797 → 1.000 (74/74), factors 59/59 → 74/74, units \
0.956 → 1.000, roles 0.996 → 1.000. The FRESH row is now tuned; the next unseen set is the figure to trust."""

FRESH2_TUNING = """Tuning on FRESH2 (2026-12-06, after its first run; load average 5.0 on 2 shared cores): each missed \
family got a general rule with unit tests (`cunwu/reporting/tests/test_fields.py`, `test_formfiles.py`), none a pair. \
(1) A top header naming the unit of observation (汇总农户, 农户, 全村, 本村, 辖区, 户籍, 住户; `fields._OBSERVED`) \
leaves a headcount below (户数, 人口, 劳动力) as the village's total (农户 > 收入 keeps its 农户): 汇总农户 > 人口 = 户籍人口, > 户数 = 总户数, > 劳动力 = 农村劳动力. \
(2) A top header naming a category or a breakdown (ending 主体, 类型, 种类, 结构, 构成; added to `fields._SECTION`) is \
only a section title, so 新型农业经营主体 > 家庭农场 is 家庭农场 and 人口年龄结构 > 60岁及以上 is 60岁及以上. \
(3) Paraphrases as rules and lexicon rows (`data/lexicon/form_fields.csv`, noted "FRESH2 tuning"): 享受 and 已 \
dropped before an action (应 kept: 应参保 ≠ 已参保), a bare 参保/缴费/签约 counts people, 村域内 and 经营/经营权 \
dropped, 集体经济组织 = 集体经济, 专业合作社 = 合作社, 流转出承包耕地的农户 / 流转涉及农户 = 土地流转户, 活产 = 出生, \
重度残疾人护理补贴 = 护理补贴 (only 重度 disabled people get it; 生活补贴 stays apart), 60岁以上老年人 = 60岁以上; a \
其中 part whose printed name contains its whole's topic (其中：外出务工劳动力 under 劳动力) or names an age bracket \
(其中：80岁及以上 under 60岁及以上) pairs as a datum of its own. (4) Roles: a column named after the organisation \
serving a place and printed without a unit is a key (派出所, 乡镇卫生院, 村卫生室（村委会）, 乡镇团委, 村团支部, \
村（社区）名称, 户籍所在村; `fields._KEY_NAME`; 卫生院（个） stays data); a bare person-in-charge column (征收人员, \
民警, 包村干部; `fields._RESPONSIBLE`) is a signature. (5) 填报时间 / 填表时间 / 报送时间 / 报出日期 lines are meta lines, \
so the river-chief form's header is found. (6) Units 场次 and 剂次 (counts); 余额 is money, so 贷款余额 takes the \
table's 万元. For counts the next set may print: 项, 宗, 期, 批(次), 栋, 眼, 口, 块, 份, 支, 队 are \
counts and 户次 a dimension of its own (never 人次); 村小组 / 小组 are keys. Before → after, same command: FRESH2 precision 1.000 → 1.000, recall 0.580 → 0.986 (68/69), factors \
40/40 → 68/68, roles 0.936 → 1.000, units 0.958 → 1.000; train, held-out and FRESH unchanged (1.000/1.000, \
1.000/0.983, 1.000/1.000). The one FRESH2 pair left, 危房改造补助 ↔ 补助资金, needs the form's title (a 危房改造 form's \
补助资金) and was left alone: a generic column takes no topic from its title yet. The FRESH2 row is now tuned; the \
next unseen set is the figure to trust."""


FRESH3_TUNING2 = """Second tuning on FRESH3 (2026-12-06, after the first; load average 6–8 on 2 shared cores), for \
department forms not yet written (FRESH4): four families of general rules, each with unit tests \
(`cunwu/reporting/tests/test_fields.py`, `test_api_forms.py`), none naming a pair. (1) Form-title context \
(`compare._titled`): a bare name — a measure, count, action or role word of two or three characters once its \
measure words are dropped (收购量, 站内队员, 补助资金, 受威胁人口, 调解成功, 实际移栽面积) — pairs with a name that is it \
plus the topic its own form's title opens with (烤烟收购量 on a 烤烟种植收购情况 form's partner, 微型消防站队员, 危房改造补助, \
地质灾害隐患点威胁人数, 化解矛盾纠纷); `POST /forms/compare` and the bench pass the titles. Guards, checked on all 108 \
bench forms pooled (their cross-set pairs have no labels, so each new one was read): a name another form prints alone \
(党员, 宅基地, 脱贫户) is a datum of its own; only the topic the title opens with counts (闲置 in 宅基地和闲置农房, \
重点人群 in 家庭医生签约服务和重点人群 qualify another part); a negation or modal (未, 应, 拟, 新增, 计划, 合同) is never a \
topic. (2) Count words (`fields.canonical(name, measure)`): a count drops X数量 / X个数 / X数 / X总数 / X站数 / X宗数 \
(隐患点数量 = 隐患点个数 = 隐患点, 宅基地宗数 = 宅基地（宗）, which is no longer read as 宅基地面积); a rate per day drops \
its day words (日均清运量 = 日收运处理量); a trailing bracket with no number explains the name (应急广播（大喇叭））; \
年满65周岁 = 65岁以上, 65岁以上常住老年人 = 65岁以上; 干部人数 = 干部; an amount's 量 is a measure word; 设施/设备 over \
types is a section title. (3) Topic qualifiers: 受威胁人口 ↔ 地质灾害隐患点威胁人数 through (1) and 人口 counting people; \
an object and its action either way round agree (纠纷排查 = 排查纠纷). (4) Lexicon rows noted "general synonym" \
(`data/lexicon/form_fields.csv`): 地质灾害 = 地灾, 矛盾纠纷 = 纠纷, 调解成功 = 化解, 收运(处理) = 清运, 服务(站)点 / 网点 \
= 站点, 寄递 = 快递, 零售额 = 销售额, 农产品上行 = 农产品网络销售额, 藏书 = 图书, 体育(健身)器材 = 健身器材, 两委成员 = \
两委干部, 撂荒耕地 = 撂荒地, 建筑面积 = 面积, 综合文化服务中心 = 文化室, 垃圾收集池/房/箱 = 垃圾收集点, (预警)大喇叭 = \
应急广播, 种烟 = 烤烟种植, 移栽 = 种植; 村级 dropped. 实际 was dropped too, then restored: pooled, it let a bare 实际参保 \
on a pension form pair with 已参保 on a medical-insurance form (a bare 实际 is now read through (1) only). \
Before → after, same command (`--accuracy-only`): train 1.000 / 1.000 → 1.000 / 1.000 (110/110); held-out \
1.000 / 0.983 → 1.000 / 0.983; FRESH 1.000 / 1.000 → 1.000 / 1.000; FRESH2 1.000 / 0.986 → 1.000 / **1.000** (69/69: \
危房改造补助 ↔ 补助资金 through the title); FRESH3 1.000 / 0.659 → 1.000 / **0.967** (88/91; by family: count words \
0.703, lexicon 0.857, titles 0.967), unit factors 60/60 → 88/88. Speed: the 108 bench forms compared at once 197 → \
209 ms CPU; consolidation proposals (no titles there) 1.16–1.28 → 1.02–1.19 s CPU. Left on FRESH3: 其中：硬化路 under \
村道总里程 ↔ 累计硬化村道 and 其中：第一书记 under 驻村工作队队员 ↔ 选派驻村第一书记 (a part standing for a datum of its \
own: no rule tells it from 其中：脱贫户 under 低保户), 民兵应急分队 ↔ 民兵应急排 (left apart on purpose). Two bare names \
alike on forms of different topics (收购量 on a tea form and on a tobacco form) still pair, as before. FRESH3 is now \
tuned twice; FRESH4, written meanwhile by another engineer and not read, is the figure to trust."""

FRESH4_FIRST_RUN = """**First run of FRESH4** (2026-12-06, 36 forms of 27 departments, 88 true pairs, 29 with a unit \
factor, 140 near misses, written by a fourth engineer during the second FRESH3 tuning; code of 6c00a5b — after that \
tuning — scored once before any tuning on it): precision **0.981**, recall **0.580** (51/88; target 0.9: not met), unit \
factors 49/51, roles 0.963, units 0.970. The writer read none of the finder, the lexicon or the bench, but a grep for \
FRESH3 printed a dozen lines of the FRESH3 first-run and tuning notes to them (they say so in the set's docstring). The \
second tuning on FRESH3 (recall 0.659 → 0.967 there) did not carry over either. Missed families: one datum under a \
section header that names a topic or a kind (特色产业种植面积 > 咖啡 / 核桃 / 茶叶 ↔ 咖啡种植面积; 重点人群 > 吸毒人员 / \
社区矫正对象 / 刑满释放人员; 乡村旅游 > 接待游客 / 旅游综合收入; 养殖业保险 > 能繁母猪); insurance paraphrases (参保农户 \
↔ 投保农户数, 已决赔款 ↔ 理赔金额, 保费合计 ↔ 保费收入, 承保面积 ↔ 投保面积); 村级债务 ↔ 负债合计, 村集体资产总额 ↔ \
资产总额; 总户数 / 全村总户数 / 年末户籍户数 ↔ 农户总数; 自然村 ↔ 自然村总数 and 村民小组 (a count printed with （个） was \
read as a key); 辖区河流 ↔ 流经河流; 本年诊疗 ↔ 总诊疗人次; 能繁母猪 ↔ 能繁母猪存栏. Reader and roles: a unit row under \
bare headers (头 / 万头) was not read, so two factors came out 1 instead of 0.0001 and the animal-husbandry form's units \
were lost; posts and people (村级协保员, 村报账员, 村妇联主席, 核损人员, 排查人员, 村级田长（签字）) read as data; places \
(供电所, 基层供销社, 村级综合服务社) read as data; 千伏安 and 本 not read as units. The one false pair: 发放创业担保贷款 ↔ \
妇女创业担保贷款 (a part of the loans for one group)."""


FRESH4_TUNING = """Tuning on FRESH4 (2026-12-06, after its first run; load average 4–8 on 2 shared cores): first a mechanism \
meant to carry over to forms not yet seen, then FRESH4's families as general rules, each with unit tests \
(`cunwu/reporting/tests/test_compare.py`, `test_fields.py`, `test_formfiles.py`), none naming a pair. (1) A structural \
tier (`compare._structural`, COMA-style): after the exact, canonical and title rules, two columns left over between \
two forms pair when each is the other's best match there (one-to-one; a tie takes none), by IDF-weighted character \
bigrams over every name compared (a name read as printed, with its own header last and without it; threshold 0.4), \
they count in the same measure (户 ≠ 人 ≠ 人次; only such columns compete), neither is a 其中 part, they carry the same \
qualifiers (a group such as 妇女/残疾/脱贫/劳动力, a crop or animal, an age, 应/未/新增/计划, a scheme 医保/养老; \
the check now guards the matcher tier too) and what one says beyond the other is only generic words \
(总/合计/全村/本村/村级/村集体/辖区/在册/累计/年末/本年/现有/数量…, a leading 登记) or words of its own header \
(重点人群 > 吸毒人员, 特色产业种植面积 > 核桃) or of the other form's title (接待游客 on a 乡村旅游 form) — never of its \
own title, never an action (签约, 参保, 救助, 安置…: 重点人群签约 > 脱贫人口 is a part), never a word on each side \
(排查隐患 against 纠纷排查); a name its own title prints (宅基地 on a 闲置农房和宅基地 form) takes nothing from it. \
Similarity and best matches are computed once per kind of field (name, header, measure, unit). Speed: the 144 \
bench forms pooled 0.29 → 0.33 s CPU; consolidation proposals (30 × 400 fields, `scale()`) 1.0–1.15 → 1.6–1.7 s CPU \
(2.4 s wall on the loaded machine), 78,396 → 77,496 proposed pairs (the qualifier check drops 1,728 synthetic pairs \
whose names differ by 男性/女性/城镇/新增…, the tier adds 828). Checked on all 144 bench forms pooled (2022 → 2047 \
pairs, the 7 new cross-set ones read: \
村集体资产总额 = 资产总额, 核桃种植面积 = 特色产业种植面积 > 核桃 (2), 矛盾纠纷排查 = 本月排查矛盾纠纷 / 排查纠纷总数, \
矛盾纠纷调解成功 = 本月化解矛盾纠纷, 河道长度 = 流经河道长度); on the way it had paired 土地流转面积 ↔ 集体土地总面积, \
资助参保 ↔ 实际参保 and 医保应参保 ↔ a pension form's 应参保, which made 集体 and 实际 no generic words, an own title \
no explanation and the scheme a qualifier. Alone it takes FRESH4 from 0.705 (the rules below) to 0.909. (2) Roles: a \
place counted in a unit (自然村（个）, 村民小组（个）) is data; posts (…主席, 田长, 村级…员, 核损人员) and …（签字）/ \
（盖章） sign; organisations serving a place (供电所, 基层供销社, 村级综合服务社) are keys when printed without a unit. \
(3) Units 千伏安 (apparent power, never 千瓦), 本, 万羽 (the missing 万羽 was why the animal-husbandry unit row was \
not read). (4) A 其中 naming a kind of its whole (其中：能繁母猪 under 生猪) is a datum of its own; a number of head \
is its stock (能繁母猪 = 能繁母猪存栏); 能繁母猪存栏 is no longer spelled 能繁母生猪存栏. (5) Lexicon rows noted \
"FRESH4 tuning": 投保 / 承保 = 参保, 赔款 / 赔付 / 已决赔款 = 理赔, 保费合计 / 保费收入 = 保费, 债务 = 负债, 农户总数 = \
总户数, 茶园 = 茶叶种植, 宽带互联网 = 宽带. Before → after, same command (`--accuracy-only`): train 1.000 / 1.000 → \
1.000 / 1.000 (110/110); held-out 1.000 / 0.983 → 1.000 / 0.983; FRESH 1.000 / 1.000 → 1.000 / 1.000; FRESH2 1.000 / \
1.000 → 1.000 / 1.000; FRESH3 1.000 / 0.967 → 1.000 / 0.967; FRESH4 precision 0.981 → **1.000**, recall 0.580 → \
**0.909** (80/88), unit factors 49/51 → 80/80, roles 0.963 → 0.995, units 0.970 → 1.000. Left on FRESH4 (8): 农家乐 ↔ \
农家乐餐饮, 送教上门 ↔ 送教上门残疾儿童 and 适龄残疾儿童少年 ↔ 6-15周岁… (a qualifier on one side only), 养殖业保险 > \
能繁母猪 ↔ 能繁母猪投保, 年末常住人口 ↔ 服务常住人口, 两项补贴发放金额 ↔ 发放, 化肥施用量（折纯，吨） ↔ \
农用化肥施用折纯量, 乡村公益性岗位安置 ↔ 公益性岗位在岗人员. The other sets were already at or near 1.0, so the \
structural tier is untested on them for recall; FRESH4 is now tuned, and FRESH5 is the figure to trust."""

FRESH5_FIRST_RUN = """**First run of FRESH5** (2026-12-06, 36 forms of 29 departments, 87 true pairs, 24 with a unit \
factor, 177 near misses, written by a fifth engineer during the FRESH4 tuning; code of 78d41c4 — after that tuning, \
with the structural tier — scored once before any tuning on it): precision **0.891**, recall **0.655** (57/87; target \
0.9: not met), unit factors 53/57, roles 0.973, units 0.953. Better than FRESH4's first run (0.580) and still short. \
The writer read none of the finder, the lexicon or the bench; `git worktree add` printed main's last commit message, \
which gave FRESH4's first-run figures. Missed families: a unit row under bare two-level headers not read on the crop \
form (粮食 / 烤烟 / 蔬菜 > 播种面积 / 产量 in 亩 and 吨 against 公顷 and 公斤: four wrong factors, and 特色产业种植面积 > \
蔬菜 / 烤烟 / 水果 ↔ 蔬菜播种面积 / 果园面积 missed); 村域面积 ↔ 村域国土面积 ↔ 行政区域面积; 农户 on a village form ↔ \
户籍户数; insurance payments (已缴费人数 ↔ 已参保人数, 征收金额 ↔ 个人缴费金额, 本年缴费 ↔ 缴费人数); 农机总动力 ↔ 农业机械 \
总动力, 农膜 ↔ 农用塑料薄膜; 60周岁以上老年人 ↔ 60周岁以上. Units 担, 枚, 万件, 笔 not read. Posts (灾害信息员, 烟技员, \
农机管理员, 民政协理员, 社会救助协理员, 户籍民警, 文化专管员) read as data; places (烟叶站（点）, 作业点所在村, 乡镇工会) \
read as data. False pairs (6): 低保 / 特困 counts against a poverty form's 纳入农村低保 / 纳入特困供养 (a part of the \
poverty population), 已参保人数 on the pension form ↔ on the medical-insurance form (the scheme is only in the titles), \
拖拉机 ↔ 登记拖拉机, 享受补贴农户 on two subsidy forms, 农户 ↔ 发放农户."""


FRESH5_TUNING = """Tuning on FRESH5 (2026-12-06, after its first run; load average 4–5 on 2 shared cores), general \
rules only, each with unit tests (`cunwu/reporting/tests/test_formfiles.py`, `test_fields.py`, `test_compare.py`), none \
naming a pair. (1) Reader: the crop form's unit row (亩/吨/万千瓦 under 粮食 / 烤烟 > 播种面积 / 产量) was dropped \
because 万千瓦 was no known unit and the row had to be all units; a unit row is now a row whose cells are mostly units \
(one short unknown word beside ≥ 3× as many known units does not unread it), in the header scan and below it. Units \
担 (= 50 公斤), 枚, 发, 笔, 万笔, 万件, 艘, 架, 万台, 根, 箱, 袋, 篇, 幢, 万千瓦, 棵, 万棵, 尾, 万尾, 方 (立方米), \
m³/km² spellings; a name ending in 金/费 (保障金) measures money; a 其中 part with no measure word (集中供养) takes \
its whole's unit from a units line. (2) Roles by pattern: a header ending in a one-person \
post (…管理员, …协理员, …协管员, …信息员, …联络员, …技术员, …技员, …专管员, …指导员, 专干, 民警) printed with no unit \
signs (护林员（人）, 网格员人数 and a bare 生态护林员 stay counts); …所在村 / …所在乡镇 is a key; an organisation \
(…站, 站（点）, …所, 工会, …社, …院, …室, 中心…) printed with no unit or 是/否 hint among the leading place columns is a \
key — unless the column's sample values are numbers (a count of 合作社 or of 指导员 stays data). (3) Precision: a scheme named only in the form titles (…保险, …补贴, …津贴; 医保 = 大病保险 = 医疗) keeps two \
alike-named scheme columns (参保/缴费/补贴/享受/领取/待遇/发放) apart when the titles name different schemes and \
neither name does (户籍人口 still pairs); 纳入X with no parent is a part of its form's population, neither X nor \
the other form's X (it took no 其中 whole either); a leading 登记 is only dropped before people (登记拖拉机 ≠ 拖拉机). \
(4) Recall: 60周岁以上 under a 其中 band of 户籍人口 is its own datum (the check read the canonical 户籍人, not 人口); \
a measure over bare types (特色产业种植面积 > 蔬菜, 农作物受灾面积 > 干旱) names each type's measure (蔬菜种植面积); \
列入X名录 = X; a bare 农户 counted in 户 = 户籍户数; 转移就业农民工 counts people like 转移就业; lexicon rows "FRESH5 \
tuning": 村域国土面积 / 行政区域面积 = 村域面积, 农业机械 = 农机, 农用塑料薄膜 / 农用薄膜 = 农膜, 园林水果 / 果园 = 水果, \
征收金额 / 个人缴费金额 = 缴费金额, 临时饮水困难 = 饮水困难, 播种面积 = 种植面积. Not done: 已缴费 = 已参保 for medical \
insurance — FRESH2 labels 医保已缴费 = 缴费人数 ≠ 已参保 and FRESH5 labels 已缴费人数 = 已参保人数, so the labels \
conflict and FRESH2's stands. Checked on all 180 bench forms pooled (2804 → 2843 pairs; every changed cross-set pair \
read): gone are 纳入农村低保 / 纳入特困供养 against 22 低保 and 特困 counts, 养老 ↔ 医疗 已参保 / 应参保 (4), 登记拖拉机 (2), \
灾害信息员 (now a signature), 享受补贴农户 and 护理补贴金额 ↔ 耕地地力补贴资金; new ones are 农户 = 总户数 / 户籍户数 (23 \
forms), 60周岁以上 (11), 转移就业农民工 = 外出务工 / 转移就业 counts (13, as the lexicon's 转移就业 = 外出务工 already \
says), 征收金额 = 缴费金额 (4), the area, 农机, 农膜, fruit and crop-area families, and unit factors now read on the crop \
form (公顷, 吨). Speed: pooled compare 1.41 → 1.31–1.43 s CPU (load 5); consolidation proposals (`scale()`) 1.52–1.70 s \
CPU against 1.56–1.74 s on main in the same minutes, 77,496 pairs unchanged. Before → after, same command \
(`--accuracy-only`): train 1.000 / 1.000 → 1.000 / 1.000; held-out 1.000 / 0.983 → 1.000 / 0.983; FRESH 1.000 / 1.000 \
→ 1.000 / 1.000; FRESH2 1.000 / 1.000 → 1.000 / 1.000; FRESH3 1.000 / 0.967 → 1.000 / 0.967; FRESH4 1.000 / 0.909 → \
1.000 / 0.909; FRESH5 precision 0.891 → **1.000**, recall 0.655 → **0.908** (79/87), unit factors 53/57 → 79/79, roles \
0.973 → 1.000, units 0.953 → 1.000. Left on FRESH5 (8): 医保已缴费 / 应缴费 ↔ 已参保 / 应参保 (the label conflict \
above), 烤烟受灾 ↔ 烟叶受雹灾面积, 村级寄递物流综合服务站 ↔ 服务站点, 林下经济利用面积 ↔ 种植面积, 野生菌采集量 ↔ \
野生菌, 发放养老金 ↔ 养老保险待遇, 本年缴费 (其中 of 已参保) ↔ 养老保险缴费人数. \
FRESH5 is now tuned; FRESH6 is the figure to trust."""

FRESH6_FIRST_RUN = """**First run of FRESH6** (2026-12-06, 36 forms of 29 departments — four of them community forms and \
four from county branches of prefecture or national bodies — 86 true pairs, 29 with a unit factor, 116 near misses, \
written by a sixth engineer during the FRESH5 tuning; code of b23af99 — after that tuning — scored once before any \
tuning on it): precision **0.901**, recall **0.744** (64/86; target 0.9: not met), unit factors 64/64, roles 0.980, \
units 0.995. The writer read none of the finder, the lexicon or the bench, nor main's log. First runs so far: 0.797, \
0.580, 0.363, 0.580, 0.655, 0.744. False pairs (7): 外出务工劳动力 / 外出务工人员 ↔ 转移就业人数 (the lexicon, tuned \
on FRESH, reads 转移就业 as 外出务工; this set labels them apart), 户籍户数 / 总户数 ↔ a housing-safety form's 农户数 \
(the FRESH5 tuning made a bare 农户 the village's households; here it counts households with a rural house), \
直接经济损失 ↔ 农业直接经济损失. Missed families: 村民小组 ↔ 村（居）民小组; a 其中 or topic from the title \
(少数民族 ↔ 少数民族人口, 绝收 ↔ 绝收面积, 装机容量 ↔ 并网容量, 兑现X ↔ 兑付金额 > X); 茶叶产量 ↔ 干毛茶产量 ↔ 茶园茶叶 \
产量; 核桃年末面积 ↔ 核桃种植面积; 损毁 / 水毁 村组道路; 损坏房屋 ↔ 因灾损坏农房; 脱贫人口参加基本医保 ↔ 已参保 and \
参保人数 ↔ 已缴费人数 (labelled one datum here, two in FRESH2); posts (民兵连长, 征收员, 调查员, 台区经理, 网格员, \
残疾人专职委员, 村级公示人) read as data."""


FRESH6_TUNING = """Tuning on FRESH6 (2026-12-06, after its first run; load average 4 on 2 shared cores), general rules \
with unit tests (`cunwu/reporting/tests/test_formfiles.py`, `test_fields.py`, `test_compare.py`), none naming a pair. \
(1) Posts as signatures (`fields.post_shaped`): a header shaped like a post (…长, …员, …经理, …委员, or 公示/填报/联系/审核…人) \
printed with no unit, no type hint and no measure word, whose column holds no numbers, is the person answering for the \
row (民兵连长, 征收员, 调查员, 台区经理, 网格员, 残疾人专职委员, 村级公示人); members and changes stay data (党员, 队员, \
人员, 增长), and a counted post (护林员（人）, 网格员人数, 生态护林员 filled with numbers) stays data. 安置社区 / 安置点 is a key. \
(2) Precision: 农业 and 工业 are qualifiers, so 农业直接经济损失 is a part of 直接经济损失, not the same datum. (3) Recall \
families as general synonyms: 村（居）民小组 = 村民小组; 干毛茶 and 茶园茶叶 = 茶叶; a year-end area (年末面积, 年末实有面积) is \
the planted area of a standing crop, and 果园 now reads 水果种植 like 茶园 (茶叶种植); 水毁 = 损毁; 因灾损坏 = 损坏 and \
损坏农房 = 损坏房屋; 参加（基本）医保 = 医保参保; 兑现 = 兑付金额; the unit 头只 counts heads; and an area unit says 面积 \
(`compare.field_key`: 绝收 in 亩 = 绝收面积; the same for 人 was tried and dropped — it lost three labelled pairs of FRESH4 \
and FRESH5); a group under the people at large (其中：少数民族 under 户籍人口, `compare._POPULATION`) is the \
group's people (少数民族人口 = 少数民族 in the lexicon). Before → after (precision / recall): train 1.000 / 1.000 → 1.000 / 1.000; held-out 1.000 / 0.983 → same; \
FRESH 1.000 / 1.000 → same; FRESH2 1.000 / 1.000 → same; FRESH3 1.000 / 0.967 → same; FRESH4 1.000 / 0.909 → same; \
FRESH5 1.000 / 0.908 → same; FRESH6 0.901 / 0.744 → **0.927 / 0.884** (76/86; roles 0.980 → 1.000, units 0.995 → \
0.997, unit factors 76/76). Checked on all 216 bench forms pooled (3928 → 3942 pairs; every changed cross-set pair \
read): 6 dropped, all wrong (农业直接经济损失 against three sets' 直接经济损失; 网格员 and 残疾人专职委员 signatures against \
counts), 9 added, all right (核桃年末面积 = 核桃种植面积 ×3, 村（居）民小组 = 村民小组 ×4, 绝收 = 绝收面积 ×2). Pooled \
compare 1.32 → 1.49–1.56 s CPU. Label conflicts, reported and left as they are: FRESH6 labels 外出务工 apart from 转移就业 \
(it includes local non-farm work), while train, held-out and FRESH label 外出务工人员 / 外出务工人数 / 转移输出劳动力 = \
转移就业人数 (dropping the lexicon's 转移就业 = 外出务工 lost 7 labelled pairs in 5 sets to fix 2 in FRESH6); and FRESH6 \
labels a housing-safety form's 农户数 apart from the village's households, while FRESH4 (农村房屋安全隐患排查整治: 农户总数) \
and FRESH5 (传统村落保护和农房风貌: 农户) label the same column on the same kind of form as the village's households. Left: \
装机容量 ↔ 并网容量 and 安装 ↔ 并网 户用光伏, 补助资金 on a 危房 form, 两项补贴发放金额, \
参保 ↔ 已缴费, 脱贫人口参加基本医保 ↔ 已参保, 选聘生态护林员, 脱贫家庭学生; the structural tier's threshold was swept (0.15–0.6) on all eight sets: \
every set scores the same from 0.15 to 0.45 (FRESH4 recall drops to 0.898 at 0.5 and 0.886 at 0.6), so a \
leave-one-set-out choice lands on that plateau for every left-out set and leaves each figure as above — the threshold \
is not what limits recall (the qualifier and residue gates are), and, the sets all having been tuned on, those figures \
are no unseen-form estimate; a leave-one-out fit of the generic-word list was not done."""

FRESH7_FIRST_RUN = """**First run of FRESH7** (2026-12-06, 36 forms of 30 departments, 102 true pairs, 21 with a unit \
factor, 148 near misses, written by a seventh engineer during the FRESH6 tuning; code of da7991a — after that tuning — \
scored once before any tuning on it): precision **0.892**, recall **0.725** (74/102; target 0.9: not met), unit factors \
73/74, roles 1.000, units 0.978. First runs so far: 0.797, 0.580, 0.363, 0.580, 0.655, 0.744, 0.725 — the rise has \
stopped around three quarters. Part of what is left is disagreement between the engineers who label: FRESH6 and FRESH7 \
keep 转移就业 and 外出务工 apart while train, held-out and FRESH label them one datum (2 false pairs here); a bare 农户 \
on a housing form is the village's households in FRESH4 and FRESH5 and not in FRESH6 and FRESH7 (5 false pairs here); \
已参保 ↔ 缴费人数 for resident medical insurance is one datum in FRESH5–FRESH7 and two in FRESH2. The rest are the \
finder's: 存栏牛 ↔ 牛年末存栏 (word order of animal and measure, 6 pairs), monitoring objects (防返贫监测对象 ↔ 监测对象 \
↔ 监测对象人数), 最低生活保障 = 低保, 两项补贴 > 护理补贴 / 生活补贴 ↔ 重度残疾人护理补贴 / 困难残疾人生活补贴, \
以工代赈 on the title against 以工代赈劳务报酬, 蚕茧 ↔ 鲜茧, 咖啡产量（生豆） ↔ 咖啡生豆产量, 经营性收入 ↔ 经营收入 \
(labelled apart in FRESH4), the population form's sex and age columns read without the 单位：人 line."""


def main() -> None:
    import django

    django.setup()
    from bench.reporting_forms import HELD_OUT, TRAIN
    from bench.reporting_forms_fresh import FRESH, true_factor
    from bench.reporting_forms_fresh2 import FRESH2
    from bench.reporting_forms_fresh2 import true_factor as true_factor2
    from bench.reporting_forms_fresh3 import FRESH3
    from bench.reporting_forms_fresh3 import true_factor as true_factor3
    from bench.reporting_forms_fresh4 import FRESH4
    from bench.reporting_forms_fresh4 import true_factor as true_factor4
    from bench.reporting_forms_fresh5 import FRESH5
    from bench.reporting_forms_fresh5 import true_factor as true_factor5
    from bench.reporting_forms_fresh6 import FRESH6
    from bench.reporting_forms_fresh6 import true_factor as true_factor6
    from bench.reporting_forms_fresh7 import FRESH7
    from bench.reporting_forms_fresh7 import true_factor as true_factor7

    lines = [
        "## Reporting: form reader and overlaps",
        "",
        "Command: `.venv/bin/python bench/bench_reporting.py` — labelled forms in `bench/reporting_forms.py` "
        "(written as xlsx/GBK CSV by `cunwu/reporting/tests/sheets.py`, read back by `formfiles.read_form`).",
        "",
        "| half | forms | columns | roles right | units right | true pairs | found | precision | recall | unit factors right |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    figures, misses = accuracy(TRAIN, HELD_OUT)
    for label, f in figures.items():
        precision = f["hits"] / f["found"] if f["found"] else 1.0
        recall = f["hits"] / f["true"] if f["true"] else 1.0
        lines.append(
            f"| {label} | {f['forms']} | {f['columns']} | {f['roles'] / f['columns']:.3f} | {f['units'] / f['columns']:.3f} | "
            f"{f['true']} | {f['found']} | {precision:.3f} | {recall:.3f} | {f['factors']}/{f['hits']} |"
        )
    lines.append("")
    lines += [
        "Fresh sets, each written by another engineer while the finder was being tuned, without reading the finder, "
        "with true unit factors from a table of their own, and compared among themselves: `FRESH` "
        "(`bench/reporting_forms_fresh.py`: 18 forms of 16 departments, 74 true pairs, 18 with a unit factor) and "
        "`FRESH2` (`bench/reporting_forms_fresh2.py`: 23 forms of 19 departments, 69 true pairs, 14 with a unit factor, "
        "93 near-miss concept pairs) and `FRESH3` (`bench/reporting_forms_fresh3.py`: 31 forms of 25 departments, 91 true "
        "pairs, 15 with a unit factor, 88 near-miss pairs) and `FRESH4` (`bench/reporting_forms_fresh4.py`: 36 forms of "
        "27 departments, 88 true pairs, 29 with a unit factor, 140 near-miss pairs) and `FRESH5` "
        "(`bench/reporting_forms_fresh5.py`: 36 forms of 29 departments, 87 true pairs, 24 with a unit factor, "
        "177 near-miss pairs) and `FRESH6` (`bench/reporting_forms_fresh6.py`: 36 forms of 29 departments, 86 true "
        "pairs, 29 with a unit factor, 116 near-miss pairs) and `FRESH7` (`bench/reporting_forms_fresh7.py`: 36 forms of 30 "
        "departments, 102 true pairs, 21 with a unit factor, 148 near-miss pairs):",
        "",
        "| set | forms | columns | roles right | units right | true pairs | found | precision | recall | unit factors right |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sets = (
        ("FRESH", FRESH, true_factor),
        ("FRESH2", FRESH2, true_factor2),
        ("FRESH3", FRESH3, true_factor3),
        ("FRESH4", FRESH4, true_factor4),
        ("FRESH5", FRESH5, true_factor5),
        ("FRESH6", FRESH6, true_factor6),
        ("FRESH7", FRESH7, true_factor7),
    )
    for name, specs, factor in sets:
        fresh_figures, fresh_misses = accuracy([], specs, factor=factor)
        f = fresh_figures["held-out"]
        lines.append(
            f"| {name} | {f['forms']} | {f['columns']} | {f['roles'] / f['columns']:.3f} | "
            f"{f['units'] / f['columns']:.3f} | {f['true']} | {f['found']} | "
            f"{f['hits'] / f['found'] if f['found'] else 1.0:.3f} | {f['hits'] / f['true'] if f['true'] else 1.0:.3f} | "
            f"{f['factors']}/{f['hits']} |"
        )
        misses += [m.replace("held-out:", f"{name}:", 1) for m in fresh_misses]
    lines += [
        "",
        FRESH_FIRST_RUN,
        "",
        FRESH_TUNING,
        "",
        FRESH2_FIRST_RUN,
        "",
        FRESH2_TUNING,
        "",
        FRESH3_FIRST_RUN,
        "",
        FRESH3_TUNING,
        "",
        FRESH3_TUNING2,
        "",
        FRESH4_FIRST_RUN,
        "",
        FRESH4_TUNING,
        "",
        FRESH5_FIRST_RUN,
        "",
        FRESH5_TUNING,
        "",
        FRESH6_FIRST_RUN,
        "",
        FRESH6_TUNING,
        "",
        FRESH7_FIRST_RUN,
        "",
    ]
    lines += [
        "History, so the figures above are read honestly: the first half written (7 county forms, now `SEEN`) measured "
        "before any tuning at precision 0.920, recall 0.622; it was then tuned on. A fresh half of 8 forms (`HELD_OUT`) "
        "written after that tuning measured **once at precision 0.900, recall 0.675, unit factors 27/27** — that is the "
        "figure on forms the code had never seen (below the 0.9 recall target). The code was then tuned again on the "
        "misses printed for it, so the held-out row above is no longer an unseen-forms figure (it stood at 0.950 recall "
        "before the element-dictionary pass). That pass added 11 TRAIN forms of its own in two batches: `WIDER` (6 forms) "
        "first measured on the 65 new true pairs involving them at precision 1.000, recall 0.738 (48/65) before any "
        "tuning on them; after tuning on their misses, `WIDER_PROBE` (5 more forms) first measured on its 27 new pairs "
        "at precision 1.000, recall 1.000 (27/27) — written by the same person who tuned, so a fresh set from someone "
        "else is the figure to trust.",
        "",
    ]
    if misses:
        lines += ["Errors left:", "", *[f"- {m}" for m in misses], ""]
    if "--accuracy-only" not in sys.argv:
        lines += ["", "Scale:", ""]
        lines += scale()
        backend = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else "sqlite"
        lines += _scale_db_in_child(backend)
        lines += ["", f"Load average at the end: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (2 shared cores)."]
    print("\n".join(lines))


if __name__ == "__main__":
    if "--scale-db" in sys.argv:
        at = sys.argv.index("--scale-db")
        _database(sys.argv[at + 1], sys.argv[at + 2], sys.argv[at + 3])
        print("\n".join(scale_db(sys.argv[at + 1])))
    else:
        main()
