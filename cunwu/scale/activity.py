"""County work around the villages, loaded with COPY after the certificate years (`seed --years N`).

Per county that has villages in the load, deterministically from (seed, county code):

- admission （二）（三）: departments file requests for village work (a dozen kinds of request, each
  screened once by the real screening, `admission.selectors.screening_for`); the county decides
  them as its reviewers do (approve with triage, return, reject citing the clauses found), approved
  village work becomes one assignment per target village, acknowledged, reported on and completed
  (or late); work routed to the township or to purchased services becomes `RoutedWork`. Targets are
  drawn from the county's full village list, so a village's assignments do not depend on
  `--fraction`; assignments are written only for the villages loaded.
- signs （九）: each village's plates, from the sign catalog in force and a share of look-alike and
  off-catalog plates; a county clean-up campaign in the second year whose tasks take most
  off-catalog plates down.
- form filings （四）: three departments' quarterly forms (24 data elements in all) registered and
  approved each year, the county's plan published with its input windows, and every loaded
  village's filing for each quarter: opened, submitted with its 24 values within the window,
  accepted by the township.
- complaints （十六）: a few reports per village and year with their tracking codes, routed to the
  county, accepted and concluded (or declined) within the 15 working days, some still open.

Each write carries the audit row its service writes (same action, object, region, before/after);
none of these areas writes to the hash chains. Notifications are not generated.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import random
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection

from cunwu.accounts.models import Membership, Role, User
from cunwu.admission import rules as admission_rules
from cunwu.admission.models import (
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Decision,
    RequestVersion,
    RoutedWork,
    RuleMiss,
    WorkRequest,
)
from cunwu.admission.models import RequestStatus as AdmissionStatus
from cunwu.admission.selectors import screening_for
from cunwu.admission.services import RequestData
from cunwu.audit.models import AuditEntry
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.complaints import rules as complaint_rules
from cunwu.complaints.models import Category, Complaint, Finding
from cunwu.complaints.models import Event as ComplaintEvent
from cunwu.complaints.models import Status as ComplaintStatus
from cunwu.masking import mask_name, mask_phone, mask_text
from cunwu.regions.seeding import ensure_departments
from cunwu.regions.selectors import region_get, regions_by_code, village_committees
from cunwu.reporting import rules as reporting_rules
from cunwu.reporting.models import (
    DataElement,
    DataValue,
    Filing,
    FilingStatus,
    FormRequest,
    Plan,
    PlanElement,
    PlanStatus,
    RequestField,
    Window,
)
from cunwu.signs import rules as sign_rules
from cunwu.signs.models import (
    Campaign,
    CampaignStatus,
    CampaignTask,
    CampaignVillage,
    RemovalReason,
    Sign,
    SignStatus,
    TaskAction,
    TaskStatus,
)
from cunwu.workdays import is_workday

from .copying import Table, copy_rows, next_id, reset_sequence

# Requests filed per village of the county and year; with the targets below (a township, a few,
# the whole county or a handful of villages) about 4 assignments per village and year: ≈ 12,500
# requests and ≈ 180,000 assignments in three years for the province.
REQUESTS_PER_VILLAGE_YEAR = 0.28
COMPLAINTS_PER_VILLAGE_YEAR = 2.5
BLOCK = 1_000_000  # ids per county, so the rows do not depend on the number of workers

# Requests as departments write them: (department index in COUNTY_DEPARTMENTS, fields, decision).
# The decision is the county's when the screening lets the request through to review.
TEMPLATES: tuple[tuple[int, dict[str, Any], dict[str, Any]], ...] = (
    (
        1,
        dict(
            title="关于协助开展低保对象入户调查的通知",
            content="请各村协助县民政局开展低保申请家庭入户调查，核实家庭人口、收入和财产状况。",
            basis="《社会救助暂行办法》第四条",
            provisions="业务培训和每户 20 元入户调查经费",
            responsible_body="县民政局（村委会协助）",
        ),
        dict(outcome="approve", triage="assist"),
    ),
    (
        1,
        dict(
            title="关于协助做好高龄老人探访关爱的通知",
            content="请各村协助开展高龄独居老人每月探访，县民政局提供探访经费。",
            provisions="探访经费",
        ),
        dict(outcome="approve", triage="assist"),
    ),
    (
        6,
        dict(
            title="关于做好春耕备耕农资供应情况摸底的通知",
            content="请各村协助县农业农村局了解本村春耕农资需求，由乡镇农业服务中心汇总。",
            basis="县农业农村局年度工作要点",
            provisions="统计表格和业务指导",
        ),
        dict(outcome="approve", triage="assist"),
    ),
    (
        4,
        dict(
            title="关于协助开展适龄儿童疫苗接种通知的通知",
            content="请各村在村务公开栏张贴疫苗接种通知，提醒适龄儿童家长按时到乡镇卫生院接种。",
            basis="《中华人民共和国疫苗管理法》第四十八条",
        ),
        dict(outcome="approve", triage="duty"),
    ),
    (
        5,
        dict(
            title="关于汛期地质灾害隐患点巡查的通知",
            content="汛期请各村落实地质灾害隐患点群测群防，发现险情及时报告乡镇。",
            basis="《地质灾害防治条例》第二十九条",
            provisions="巡查补助和预警设备",
        ),
        dict(outcome="approve", triage="duty"),
    ),
    (
        13,
        dict(
            title="关于开展森林防火巡护的通知",
            content="请由乡镇统筹护林员开展森林防火巡护，村委会协助宣传野外用火规定。",
            basis="《森林防火条例》第二十一条",
        ),
        dict(outcome="approve", triage="township", service_channel="乡镇林业站（工作日 8:30–17:30）"),
    ),
    (
        11,
        dict(
            title="关于城乡居民医保参保缴费代收的通知",
            content="请各村代收城乡居民医保费并开具收据。",
            basis="县医疗保障局年度征缴方案",
        ),
        dict(
            outcome="approve",
            triage="purchase",
            service_channel="农村信用合作社网点或手机银行缴费",
            reasons="代收代缴适合由金融机构承担，纳入政府购买服务（（三））。",
        ),
    ),
    (
        2,
        dict(
            title="关于报送出租房屋登记表的通知",
            content="请各村每月5日前填报辖区出租房屋登记表并报送派出所。",
        ),
        dict(outcome="return", reasons="属于年度计划外填表报数，请纳入县级一表通统一采集（（四））。"),
    ),
    (
        2,
        dict(
            title="关于召开全县禁毒工作推进会的通知",
            content="请各村党组织书记到县公安局会议室参加禁毒工作推进会。",
            type="meeting",
        ),
        dict(outcome="reject", reasons="可以文件和电话部署，无须村干部到县开会（（四））。", clauses=["（四）"]),
    ),
    (
        8,
        dict(
            title="关于开展食品安全示范村创建的通知",
            content="请各村成立食品安全工作站，悬挂食品安全工作站牌子，并明确专人负责。",
            type="mechanism",
        ),
        dict(outcome="reject", reasons="新设村级工作机制和牌子未经省委、省政府同意（（六）（九））。"),
    ),
    (
        5,
        dict(
            title="关于签订安全生产目标责任书的通知",
            content="要求各村签订年度安全生产目标责任书，发生事故的实行一票否决。",
        ),
        dict(outcome="reject", reasons="要求村级组织签订责任状（（二））。"),
    ),
    (
        9,
        dict(
            title="关于上报控辍保学工作照片的通知",
            content="请各村每周上传入户劝返照片和工作台账，作为考核依据。",
            evidence="照片、台账",
        ),
        dict(outcome="reject", reasons="以照片、台账作为工作落实依据（（五））。"),
    ),
)
TEMPLATE_WEIGHTS = (14, 10, 10, 10, 10, 6, 4, 8, 8, 6, 7, 7)

ASSIGNMENT_NOTES = ("已组织人员入户开展", "已完成一半，正在逐户核实", "已张贴通知并入户提醒", "已安排专人按要求落实")

OFF_CATALOG_PLATES = (
    "综治维稳工作站",
    "食品安全工作站",
    "扶贫工作站",
    "安全生产监管站",
    "老年体育协会",
    "平安创建示范村",
    "文明创建工作室",
    "计划生育协会",
    "科普惠农服务站",
    "禁毒工作站",
)
COMPLAINTS = (
    (Category.PUSHED_WORK, "县直部门", "部门通过工作群要求村里每天上报材料，没有经过准入审查。"),
    (Category.FORBIDDEN_CERTIFICATE, "银行网点", "办理贷款时银行要求村委会开具亲属关系证明。"),
    (Category.CERTIFICATE_REFUSED, "", "到村委会开居住证明，村里说不能开，让我去派出所。"),
    (Category.SIGN, "", "村委会门口又挂了好几块新牌子，清理后又挂回来了。"),
    (Category.SEAL, "", "村里盖章要先交材料费，不交不给盖。"),
    (Category.MEETING_FORM, "乡镇", "一个月要村干部去乡镇开四次会，还要填很多报表。"),
    (Category.OTHER, "", "村务公开栏很久没有更新，财务收支看不到。"),
)
COMPLAINT_WEIGHTS = (30, 15, 10, 12, 8, 15, 10)
FINDINGS = (
    (Finding.SUBSTANTIATED, "经核查属实，已责令整改并向反映人反馈。"),
    (Finding.PARTLY, "部分属实，已督促纠正。"),
)
UNSUBSTANTIATED = (Finding.UNSUBSTANTIATED, "经调查核实，反映的问题不属实，已向村（社区）核对相关记录。")
DECLINE = "反映的事项不属于本办法规定的受理范围，请向有关部门反映。"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# Quarterly forms the county takes into its plan （四）: (department index, title, elements as
# (name, type, unit, low, high)). 24 values per village and quarter.
FORMS: tuple[tuple[int, str, tuple[tuple[str, str, str, int, int], ...]], ...] = (
    (
        1,
        "农村社会救助对象情况季报",
        (
            ("低保户数", "integer", "户", 0, 120),
            ("低保人数", "integer", "人", 0, 300),
            ("特困供养人数", "integer", "人", 0, 40),
            ("临时救助人次", "integer", "人次", 0, 60),
            ("高龄老人人数", "integer", "人", 0, 200),
            ("留守儿童人数", "integer", "人", 0, 150),
            ("残疾人人数", "integer", "人", 0, 120),
            ("本季度走访困难家庭户数", "integer", "户", 0, 200),
        ),
    ),
    (
        6,
        "农业生产情况季报",
        (
            ("粮食播种面积", "decimal", "亩", 0, 20000),
            ("经济作物面积", "decimal", "亩", 0, 10000),
            ("生猪存栏", "integer", "头", 0, 5000),
            ("牛存栏", "integer", "头", 0, 2000),
            ("羊存栏", "integer", "只", 0, 3000),
            ("农民专业合作社数", "integer", "个", 0, 30),
            ("高标准农田面积", "decimal", "亩", 0, 10000),
            ("村集体经营性收入", "decimal", "万元", 0, 500),
        ),
    ),
    (
        4,
        "基层卫生健康服务季报",
        (
            ("家庭医生签约人数", "integer", "人", 0, 5000),
            ("65岁以上老人健康管理人数", "integer", "人", 0, 1000),
            ("孕产妇人数", "integer", "人", 0, 60),
            ("0至6岁儿童人数", "integer", "人", 0, 600),
            ("高血压患者管理人数", "integer", "人", 0, 800),
            ("糖尿病患者管理人数", "integer", "人", 0, 400),
            ("村卫生室是否正常运行", "yesno", "", 0, 0),
            ("本季度健康教育活动次数", "integer", "次", 0, 20),
        ),
    ),
)


@dataclass
class County:
    code: str
    name: str
    index: int
    departments: list[tuple[int, str]]  # COUNTY_DEPARTMENTS order
    villages: list[str]  # every village of the county
    loaded: set[str]  # those being loaded now
    clerks: dict[str, tuple[int, str]]  # loaded village → its generated clerk (id, username)


class _Tables:
    def __init__(self) -> None:
        self.user = Table(User)
        self.membership = Table(Membership, with_pk=False)
        self.request = Table(WorkRequest)
        self.version = Table(RequestVersion, with_pk=False)
        self.decision = Table(Decision, with_pk=False)
        self.assignment = Table(Assignment)
        self.event = Table(AssignmentEvent, with_pk=False)
        self.routed = Table(RoutedWork, with_pk=False)
        self.miss = Table(RuleMiss, with_pk=False)
        self.sign = Table(Sign)
        self.campaign = Table(Campaign)
        self.campaign_village = Table(CampaignVillage, with_pk=False)
        self.task = Table(CampaignTask, with_pk=False)
        self.element = Table(DataElement)
        self.form = Table(FormRequest)
        self.field = Table(RequestField, with_pk=False)
        self.plan = Table(Plan)
        self.plan_element = Table(PlanElement, with_pk=False)
        self.window = Table(Window, with_pk=False)
        self.filing = Table(Filing)
        self.value = Table(DataValue, with_pk=False)
        self.complaint = Table(Complaint)
        self.complaint_event = Table(ComplaintEvent, with_pk=False)
        self.audit = Table(AuditEntry, with_pk=False)

    def order(self) -> list[Table]:
        return [
            self.user,
            self.membership,
            self.request,
            self.version,
            self.decision,
            self.assignment,
            self.event,
            self.routed,
            self.miss,
            self.sign,
            self.campaign,
            self.campaign_village,
            self.task,
            self.element,
            self.form,
            self.field,
            self.plan,
            self.plan_element,
            self.window,
            self.filing,
            self.value,
            self.complaint,
            self.complaint_event,
            self.audit,
        ]


MODELS = [t.model for t in _Tables().order()]
NUMBERED = (User, WorkRequest, Assignment, Sign, Campaign, DataElement, FormRequest, Plan, Filing, Complaint)

_JOB: dict[str, Any] = {}


@functools.cache
def _due(received: dt.date) -> dt.date:
    """`complaints.rules.due_date`, once per day (the holiday calendar lookup is slow)."""
    return complaint_rules.due_date(received)


@functools.cache
def _window(period: str) -> tuple[dt.date, dt.date]:
    """`reporting.rules.window_for` by the official calendar, once per period."""
    return reporting_rules.window_for(period, is_workday)


def counties_for(village_codes: list[str], user_ids: dict[str, tuple[int, str]]) -> list[County]:
    """The counties of the villages being loaded, with their departments (made if missing) and
    every village of each county (targets are drawn from all of them)."""
    loaded = set(village_codes)
    by_county: dict[str, list[str]] = defaultdict(list)
    for code, *_rest in village_committees():
        by_county[code[:6] + "000000"].append(code)
    wanted = sorted({c[:6] + "000000" for c in loaded})
    regions = regions_by_code(wanted)
    out = []
    for index, code in enumerate(wanted):
        county = regions[code]
        departments = [(o.pk, o.name) for o in ensure_departments(county)[2:]]
        villages = by_county[code]
        mine = loaded.intersection(villages)
        clerks = {v: user_ids[v] for v in mine if v in user_ids}
        out.append(County(code, county.name, index, departments, villages, mine, clerks))
    return out


def _screened(region: Any, at: dt.date) -> list[tuple[dict[str, Any], str]]:
    """Each template screened once, as `request_file` screens it (catalogs in force at the start):
    the stored screening and the status it leads to."""
    out = []
    for _dep, fields, _decision in TEMPLATES:
        data = RequestData(targets=[], **fields)
        screening = screening_for(data.screen_input(), region, at)
        out.append((screening.as_record(), admission_rules.status_after_screening(screening)))
    return out


def _snapshots() -> list[dict[str, Any]]:
    """Each template's version snapshot as `RequestData.snapshot` writes it (targets etc. filled per request)."""
    return [RequestData(targets=[], **fields).snapshot() for _dep, fields, _decision in TEMPLATES]


def load(
    *, villages: list[Any], years: int, calendar: Any, end: dt.date, now: dt.datetime, seed: int, jobs: int
) -> dict[str, Any]:
    """Generate and COPY the county work for the villages just loaded; returns rows and timings.

    Runs inside `history.generate`'s deferred keys and indexes (its models are in `MODELS`)."""
    started = time.perf_counter()
    codes_ = [v.code for v in villages]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT username, id FROM accounts_user WHERE username = ANY(%s)", [[f"village_clerk_{c}" for c in codes_]]
        )
        clerks = {name.removeprefix("village_clerk_"): (pk, name) for name, pk in cursor.fetchall()}
    counties = counties_for(codes_, clerks)
    out: dict[str, Any] = {"counties": len(counties), "rows": {}, "seconds": {}}
    if not counties:
        return out
    region = region_get(counties[0].code)
    start = calendar.days[0]
    signs = [
        (x.name, x.placement, x.max_count)
        for x in sign_rules.catalog_signs(catalog_in_force(kinds.SIGN, region, start))
    ]
    _JOB.update(
        counties=counties,
        years=years,
        calendar=calendar,
        end=end,
        now=now,
        seed=seed,
        screened=_screened(region, start),
        snapshots=_snapshots(),
        signs=signs,
        first={m: next_id(m) for m in NUMBERED},
    )
    out["seconds"]["prepare"] = time.perf_counter() - started
    t = time.perf_counter()
    connection.close()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for rows, seconds in pool.imap_unordered(_county_job, range(len(counties))):
            for name, n in rows.items():
                out["rows"][name] = out["rows"].get(name, 0) + n
            for name, s in seconds.items():
                out["seconds"][name] = out["seconds"].get(name, 0.0) + s
    out["seconds"]["generate_and_copy"] = time.perf_counter() - t
    for model in NUMBERED:
        reset_sequence(model)
    return out


def county_rows(county: County, job: dict[str, Any]) -> tuple[_Tables, dict[int, list[list[Any]]]]:
    """Every row of one county's work, in memory (the same for the same seed and county)."""
    t = _Tables()
    rows: dict[int, list[list[Any]]] = {id(x): [] for x in t.order()}
    ids = {m: job["first"][m] + county.index * BLOCK for m in NUMBERED}
    g = _Gen(county, job, t, rows, ids)
    g.staff()
    g.admission()
    g.signs()
    g.filings()
    g.complaints()
    return t, rows


def _county_job(index: int) -> tuple[dict[str, int], dict[str, float]]:
    started = time.perf_counter()
    t, rows = county_rows(_JOB["counties"][index], _JOB)
    seconds = {"generate": time.perf_counter() - started}
    raw = connection.cursor().cursor.connection
    counts = {}
    for table in t.order():
        if rows[id(table)]:
            s = time.perf_counter()
            copy_rows(raw, table, rows[id(table)])
            seconds[f"copy {table.name}"] = time.perf_counter() - s
            counts[table.name] = len(rows[id(table)])
    return counts, seconds


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    seconds = 8 * 3600 + 1800 + int(rng.random() * 9 * 3600)
    return dt.datetime(day.year, day.month, day.day, seconds // 3600, seconds // 60 % 60, seconds % 60, tzinfo=_tz())


def _tz() -> Any:
    from .history import TZ

    return TZ


class _Gen:
    """One county's rows."""

    def __init__(
        self, county: County, job: dict[str, Any], t: _Tables, rows: dict[int, list[list[Any]]], ids: dict[Any, int]
    ):
        self.c, self.job, self.t, self.rows, self.ids = county, job, t, rows, ids
        self.seed, self.now, self.end = job["seed"], job["now"], job["end"]
        self.calendar = job["calendar"]

    def add(self, table: Table, **values: Any) -> None:
        self.rows[id(table)].append(table.row(**values))

    def next(self, model: Any) -> int:
        pk = self.ids[model]
        self.ids[model] += 1
        return pk

    def audit(self, at: dt.datetime, actor: Any, action: str, obj: str, pk: Any, region: str, **extra: Any) -> None:
        self.add(
            self.t.audit,
            at=at,
            actor_id=actor.pk if actor is not None else None,
            actor_name=actor.username if actor is not None else extra.pop("actor_name", ""),
            action=action,
            object_type=obj,
            object_id=str(pk),
            region_code=region,
            **extra,
        )

    # --- people -----------------------------------------------------------------------------

    def staff(self) -> None:
        from .history import _person

        rng = random.Random(f"{self.seed}:{self.c.code}:staff")
        joined = _at(self.calendar.days[0], rng)
        self.users: dict[str, Any] = {}
        c = self.c
        # (username stem, role, region, organisation): the county's staff, an officer for each
        # department that files, one township officer per township with loaded villages.
        plan: list[tuple[str, Role, str, int | None]] = [
            ("county_reviewer", Role.COUNTY_REVIEWER, c.code, None),
            ("county_admin", Role.COUNTY_ADMIN, c.code, None),
        ]
        departments = {d for d, _f, _x in TEMPLATES} | {d for d, _t, _e in FORMS}
        plan += [
            (f"department_officer_{d}", Role.DEPARTMENT_OFFICER, c.code, c.departments[d][0])
            for d in sorted(departments)
        ]
        plan += [
            ("township_officer", Role.TOWNSHIP_OFFICER, t, None) for t in sorted({v[:9] + "000" for v in c.loaded})
        ]
        for key, role, where, organisation in plan:
            pk = self.next(User)
            username = f"{key}_{where}"
            name = _person(rng, c.code)[0]
            self.add(self.t.user, id=pk, password="!", username=username, display_name=name, date_joined=joined)
            self.add(
                self.t.membership,
                user_id=pk,
                role=role.value,
                region_id=where,
                organisation_id=organisation,
                started_on=self.calendar.days[0],
            )
            self.users[username.removesuffix(f"_{c.code}")] = SimpleNamespace(pk=pk, username=username)

    # --- admission ---------------------------------------------------------------------------

    def admission(self) -> None:
        c, t = self.c, self.t
        rng = random.Random(f"{self.seed}:{c.code}:admission")
        reviewer = self.users["county_reviewer"]
        n = max(1, round(REQUESTS_PER_VILLAGE_YEAR * len(c.villages) * self.job["years"]))
        townships: dict[str, list[str]] = defaultdict(list)
        for v in c.villages:
            townships[v[:9] + "000"].append(v)
        town_codes = sorted(townships)
        for filed in self.calendar.moments(rng, n):
            which = rng.choices(range(len(TEMPLATES)), TEMPLATE_WEIGHTS)[0]
            dep, fields, plan = TEMPLATES[which]
            screening, status = self.job["screened"][which]
            officer = self.users[f"department_officer_{dep}"]
            roll = rng.random()
            if roll < 0.45:
                targets = [rng.choice(town_codes)]
            elif roll < 0.70:
                targets = sorted(rng.sample(town_codes, min(len(town_codes), rng.randint(2, 3))))
            elif roll < 0.85:
                targets = [c.code]
            else:
                targets = sorted(rng.sample(c.villages, min(len(c.villages), rng.randint(1, 5))))
            if targets == [c.code]:
                villages = list(c.villages)
            else:
                villages = sorted({v for x in targets for v in townships.get(x, [x])})
            deadline = filed.date() + dt.timedelta(days=rng.randint(30, 90))
            pk = self.next(WorkRequest)
            found = [v.get("rule", "") for v in screening["violations"]]
            decided = filed + dt.timedelta(days=rng.randint(2, 12), minutes=rng.randint(0, 300))
            values: dict[str, Any] = dict(
                id=pk,
                department_id=c.departments[dep][0],
                county_id=c.code,
                filed_by_id=officer.pk,
                title=fields["title"],
                content=fields["content"],
                basis=fields.get("basis", ""),
                type=fields.get("type", "task"),
                targets=targets,
                village_count=len(villages),
                deadline=deadline,
                responsible_body=fields.get("responsible_body", ""),
                evidence=fields.get("evidence", ""),
                provisions=fields.get("provisions", ""),
                status=status,
                outcome=screening["outcome"],
                screening=screening,
                created_at=filed,
                submitted_at=filed,
            )
            snapshot = self.job["snapshots"][which] | {
                "targets": targets,
                "deadline": deadline.isoformat(),
                "department_id": c.departments[dep][0],
            }
            self.add(
                t.version,
                request_id=pk,
                number=1,
                snapshot=snapshot,
                screening=screening,
                outcome=screening["outcome"],
                created_by_id=officer.pk,
                created_at=filed,
            )
            self.audit(
                filed,
                officer,
                "admission.request.file",
                "admission.workrequest",
                pk,
                c.code,
                after={
                    "title": fields["title"],
                    "status": status,
                    "outcome": screening["outcome"],
                    "violations": sorted(set(found)),
                    "villages": len(villages),
                },
            )
            if status != AdmissionStatus.PENDING or decided > self.now:
                self.add(t.request, **values)
                continue
            outcome = plan["outcome"]
            triage = plan.get("triage", "")
            reasons = plan.get("reasons", "")
            channel = plan.get("service_channel", "")
            if outcome == "approve" and admission_rules.decision_overrides(found, outcome) and not reasons:
                reasons = "经审查，部门已提供工作条件，属协助事项，准予统一部署（（三））。"
            clauses = plan.get("clauses") or sorted({v["clause"] for v in screening["violations"]})
            if outcome != "reject":
                clauses = []
            new_status = {"approve": "approved", "return": "returned", "reject": "rejected"}[outcome]
            deployment = f"{c.name[:2]}办通〔{decided.year}〕{pk % 1000 + 1}号" if outcome == "approve" else ""
            assigned = villages if outcome == "approve" and admission_rules.creates_assignments(triage) else []
            values.update(
                status=new_status,
                decided_at=decided,
                triage=triage if outcome == "approve" else "",
                deployment=deployment,
                service_channel=channel,
            )
            self.add(t.request, **values)
            self.add(
                t.decision,
                request_id=pk,
                version=1,
                outcome=outcome,
                reasons=reasons,
                clauses=clauses,
                triage=triage if outcome == "approve" else "",
                deployment=deployment,
                service_channel=channel,
                decided_by_id=reviewer.pk,
                decided_at=decided,
            )
            self.audit(
                decided,
                reviewer,
                f"admission.request.{outcome}",
                "admission.workrequest",
                pk,
                c.code,
                before={"status": AdmissionStatus.PENDING},
                after={"status": new_status, "triage": triage, "clauses": clauses, "assignments": len(assigned)},
                note=reasons[:200],
            )
            if outcome in ("approve", "reject") and admission_rules.decision_overrides(found, outcome):
                self.add(
                    t.miss,
                    request_id=pk,
                    version=1,
                    county_id=c.code,
                    screened=screening["outcome"],
                    rules_found=found,
                    decided=outcome,
                    reason=reasons,
                    excerpt=mask_text(f"{fields['title']}：{fields['content']}")[:500],
                    decided_by_id=reviewer.pk,
                    created_at=decided,
                )
            if outcome == "approve" and triage in admission_rules.ROUTED_TRIAGE:
                where = sorted({v[:9] + "000" for v in villages}) if triage == "township" else [c.code]
                done = decided + dt.timedelta(days=rng.randint(10, 60))
                for code in where:
                    closed = done <= self.now
                    self.add(
                        t.routed,
                        request_id=pk,
                        route=triage,
                        region_id=code,
                        status="done" if closed else "open",
                        service_channel=channel,
                        note="已办结" if closed else "",
                        created_at=decided,
                        updated_at=done if closed else decided,
                    )
            body = (fields.get("responsible_body") or c.departments[dep][1])[:200]
            for v in assigned:
                self._assignment(rng, pk, v, deadline, body, decided)

    def _assignment(
        self, rng: random.Random, request_id: int, village: str, deadline: dt.date, body: str, created: dt.datetime
    ) -> None:
        """One village's line of approved work, with what the village did and when."""
        if village not in self.c.loaded:
            return
        rng_v = random.Random(f"{self.seed}:{request_id}:{village}")
        pk = self.next(Assignment)
        clerk_pk, clerk_name = self.c.clerks.get(village, (None, ""))
        clerk = SimpleNamespace(pk=clerk_pk, username=clerk_name) if clerk_pk else None
        due = dt.datetime.combine(deadline, dt.time(17, 30), tzinfo=_tz())
        span = due - created
        steps: list[tuple[str, dt.datetime, int, str]] = [
            ("acknowledge", created + dt.timedelta(hours=rng_v.randint(1, 72)), 0, "")
        ]
        if rng_v.random() < 0.6:
            steps.append(
                (
                    "progress",
                    created + span * rng_v.uniform(0.3, 0.6),
                    rng_v.choice((30, 50, 60, 80)),
                    rng_v.choice(ASSIGNMENT_NOTES),
                )
            )
        late = rng_v.random() < 0.06
        finish = due + dt.timedelta(days=rng_v.randint(1, 20)) if late else created + span * rng_v.uniform(0.6, 0.98)
        steps.append(("complete", finish, 100, "已办结"))
        status, progress, note = str(AssignmentStatus.ASSIGNED), 0, ""
        acknowledged = completed = None
        updated = created
        for action, at, value, text in steps:
            if at > self.now or clerk is None:
                break
            new = {"acknowledge": "acknowledged", "progress": "in_progress", "complete": "done"}[action]
            before = {"status": status, "progress": progress}
            if action != "acknowledge":
                progress, note = value, text or note
            if action == "complete":
                completed = at
            if acknowledged is None:
                acknowledged = at
            self.add(
                self.t.event, assignment_id=pk, kind=action, progress=progress, note=text, actor_id=clerk.pk, at=at
            )
            self.audit(
                at,
                clerk,
                f"admission.assignment.{action}",
                "admission.assignment",
                pk,
                village,
                before=before,
                after={"status": new, "progress": progress},
            )
            status, updated = new, at
        self.add(
            self.t.assignment,
            id=pk,
            request_id=request_id,
            village_id=village,
            township_id=village[:9] + "000",
            status=status,
            deadline=deadline,
            responsible_body=body,
            progress=progress,
            progress_note=note,
            created_at=created,
            acknowledged_at=acknowledged,
            completed_at=completed,
            updated_at=updated,
        )

    # --- signs --------------------------------------------------------------------------------

    def signs(self) -> None:
        c, t = self.c, self.t
        admin = self.users["county_admin"]
        days = self.calendar.days
        opened = _at(days[min(len(days) - 1, 400)], random.Random(f"{self.seed}:{c.code}:campaign"))
        deadline = (opened + dt.timedelta(days=90)).date()
        closed = dt.datetime.combine(deadline, dt.time(17), tzinfo=_tz())
        campaign = self.next(Campaign) if opened <= self.now else None
        tasks = 0
        for village in sorted(c.loaded):
            clerk_pk, clerk_name = c.clerks.get(village, (None, ""))
            if clerk_pk is None:
                continue
            clerk = SimpleNamespace(pk=clerk_pk, username=clerk_name)
            rng = random.Random(f"{self.seed}:{village}:signs")
            # The catalog's plates (nine in ten of them, up to the number allowed, 4 % in the wrong place),
            # then a few off-catalog ones: ≈ 13 a village.
            plates: list[tuple[str, str, bool]] = []
            for name, where, most in self.job["signs"]:
                if rng.random() < 0.9:
                    for _ in range(1 if most == 1 else rng.randint(1, min(most, 4))):
                        wrong = not where or rng.random() < 0.04
                        plates.append((name, rng.choice(sign_rules.PLACEMENTS) if wrong else where, False))
            for _ in range(rng.choices((0, 1, 2, 3, 4, 5), (10, 15, 25, 25, 15, 10))[0]):
                plates.append((rng.choice(OFF_CATALOG_PLATES), rng.choice(sign_rules.PLACEMENTS), True))
            hanging = findings = 0
            for name, placement, off in plates:
                pk = self.next(Sign)
                put_up = days[0] - dt.timedelta(days=rng.randint(100, 3000))
                recorded = _at(days[rng.randint(0, 60)], rng)
                values: dict[str, Any] = dict(
                    id=pk,
                    region_id=village,
                    name=name,
                    placement=placement,
                    size=rng.choice(("60×40厘米", "80×50厘米", "120×80厘米")),
                    material=rng.choice(("铝塑板", "不锈钢", "木质")),
                    put_up_by=rng.choice(("乡镇人民政府", "县直部门", "村委会")),
                    put_up_on=put_up,
                    status=SignStatus.HANGING,
                    created_by_id=clerk.pk,
                    created_at=recorded,
                    updated_at=recorded,
                )
                snapshot = {
                    "name": name,
                    "placement": placement,
                    "size": values["size"],
                    "material": values["material"],
                    "put_up_by": values["put_up_by"],
                    "put_up_on": str(put_up),
                    "status": SignStatus.HANGING,
                    "photo": None,
                }
                self.audit(recorded, clerk, "signs.sign_add", "signs.sign", pk, village, after=snapshot)
                hanging += 1
                if off and campaign is not None:
                    findings += 1
                    tasks += 1
                    removed = opened + dt.timedelta(days=rng.randint(3, 80))
                    done = rng.random() < 0.85 and removed <= self.now
                    self.add(
                        t.task,
                        campaign_id=campaign,
                        region_id=village,
                        sign_id=pk,
                        action=TaskAction.REMOVE,
                        problem=sign_rules.NOT_IN_CATALOG,
                        clause=sign_rules.SIGN_CLAUSES[sign_rules.NOT_IN_CATALOG],
                        message=f"“{name}”不在村级组织保留挂牌指导目录内，应摘除（九）。",
                        status=TaskStatus.DONE if done else TaskStatus.OPEN,
                        done_on=removed.date() if done else None,
                        done_by_id=clerk.pk if done else None,
                        note="已摘除：摘除撤销（无实质性业务或不在目录内）" if done else "",
                    )
                    if done:
                        values.update(
                            status=SignStatus.REMOVED,
                            removed_on=removed.date(),
                            removal_reason=RemovalReason.REMOVE,
                            removal_note="清理行动摘除",
                            removal_recorded_at=removed,
                            updated_at=removed,
                        )
                        self.audit(
                            removed,
                            clerk,
                            "signs.sign_remove",
                            "signs.sign",
                            pk,
                            village,
                            before=snapshot,
                            after={
                                **snapshot,
                                "status": SignStatus.REMOVED,
                                "removed_on": str(removed.date()),
                                "reason": RemovalReason.REMOVE,
                                "removal_photo": None,
                            },
                        )
                self.add(t.sign, **values)
            if campaign is not None:
                self.add(
                    t.campaign_village,
                    campaign_id=campaign,
                    region_id=village,
                    plates_before=hanging,
                    findings_before=findings,
                )
        if campaign is None:
            return
        is_closed = closed <= self.now
        self.add(
            t.campaign,
            id=campaign,
            county_id=c.code,
            title=f"{opened.year}年村级组织挂牌清理",
            deadline=deadline,
            note="对照保留挂牌指导目录逐村清理，摘除目录外牌子（九）。",
            status=CampaignStatus.CLOSED if is_closed else CampaignStatus.OPEN,
            opened_by_id=admin.pk,
            opened_at=opened,
            closed_by_id=admin.pk if is_closed else None,
            closed_at=closed if is_closed else None,
        )
        self.audit(
            opened,
            admin,
            "signs.campaign_open",
            "signs.campaign",
            campaign,
            c.code,
            after={
                "title": f"{opened.year}年村级组织挂牌清理",
                "deadline": str(deadline),
                "villages": len(c.loaded),
                "tasks": tasks,
            },
        )
        if is_closed:
            open_tasks = sum(
                1
                for r in self.rows[id(t.task)]
                if r[t.task.position["campaign_id"]] == campaign and r[t.task.position["status"]] == TaskStatus.OPEN
            )
            self.audit(
                closed,
                admin,
                "signs.campaign_close",
                "signs.campaign",
                campaign,
                c.code,
                before={"status": "open"},
                after={"status": "closed", "open_tasks": open_tasks},
            )

    # --- form filings --------------------------------------------------------------------------

    def filings(self) -> None:
        c, t = self.c, self.t
        reviewer = self.users["county_reviewer"]
        rng = random.Random(f"{self.seed}:{c.code}:forms")
        first_day = self.calendar.days[0]
        created = _at(first_day, rng)
        elements: list[list[tuple[int, str, str, int, int]]] = []
        number = 0
        for dep, _title, fields in FORMS:
            mine = []
            for name, kind, unit, low, high in fields:
                number += 1
                pk = self.next(DataElement)
                self.add(
                    t.element,
                    id=pk,
                    county_id=c.code,
                    code=f"E{number:03d}",
                    name=name,
                    type=kind,
                    unit=unit,
                    department_id=c.departments[dep][0],
                    min_value=low if kind != "yesno" else None,
                    max_value=high if kind != "yesno" else None,
                    rollup="sum",
                    created_at=created,
                )
                mine.append((pk, kind, unit, low, high))
            elements.append(mine)
        for year in range(first_day.year, self.end.year + 1):
            periods = [(p, *_window(p)) for p in reporting_rules.periods_of(year, "quarterly")]
            periods = [(p, o, cl) for p, o, cl in periods if reporting_rules.parse_period(p)[0] >= first_day]  # type: ignore[index]
            periods = [(p, o, cl) for p, o, cl in periods if _at(o, rng) <= self.now]
            if not periods:
                continue
            registered = max(created, _at(dt.date(year, 1, 4), rng)) - dt.timedelta(days=20)
            decided = registered + dt.timedelta(days=5)
            published = decided + dt.timedelta(days=2)
            for (dep, title, fields), mine in zip(FORMS, elements, strict=True):
                officer = self.users[f"department_officer_{dep}"]
                pk = self.next(FormRequest)
                self.add(
                    t.form,
                    id=pk,
                    department_id=c.departments[dep][0],
                    county_id=c.code,
                    year=year,
                    title=title,
                    purpose="掌握全县基本情况，纳入县级年度填报计划统一采集（四）。",
                    frequency="quarterly",
                    status="approved",
                    created_by_id=officer.pk,
                    created_at=registered,
                    decided_by_id=reviewer.pk,
                    decided_at=decided,
                )
                for position, (element_id, _k, unit, _l, _h) in enumerate(mine, start=1):
                    label = fields[position - 1][0]
                    self.add(
                        t.field,
                        request_id=pk,
                        position=position,
                        headers=[label],
                        label=label,
                        unit=unit,
                        element_id=element_id,
                    )
                self.audit(
                    registered,
                    officer,
                    "reporting.request_register",
                    "reporting.formrequest",
                    pk,
                    c.code,
                    after={"title": title, "year": year, "frequency": "quarterly", "fields": len(mine)},
                )
                self.audit(
                    decided,
                    reviewer,
                    "reporting.request_decide",
                    "reporting.formrequest",
                    pk,
                    c.code,
                    before={"status": "submitted"},
                    after={"status": "approved", "reason": ""},
                )
            plan = self.next(Plan)
            self.add(
                t.plan,
                id=plan,
                county_id=c.code,
                year=year,
                status=PlanStatus.PUBLISHED,
                published_by_id=reviewer.pk,
                published_at=published,
            )
            flat = [e for mine in elements for e in mine]
            for position, (element_id, *_rest) in enumerate(flat):
                self.add(t.plan_element, plan_id=plan, element_id=element_id, frequency="quarterly", position=position)
            every = [(p, *_window(p)) for p in reporting_rules.periods_of(year, "quarterly")]
            for period, opens, closes in every:
                self.add(t.window, plan_id=plan, period=period, opens=opens, closes=closes)
            self.audit(
                published,
                reviewer,
                "reporting.plan_publish",
                "reporting.plan",
                plan,
                c.code,
                after={"year": year, "elements": len(flat), "requests": len(FORMS), "windows": len(every)},
            )
            for village in sorted(c.loaded):
                clerk_pk, clerk_name = c.clerks.get(village, (None, ""))
                if clerk_pk is None:
                    continue
                self._filings(village, SimpleNamespace(pk=clerk_pk, username=clerk_name), plan, periods, flat)

    def _filings(
        self, village: str, clerk: Any, plan: int, periods: list[tuple[str, dt.date, dt.date]], flat: list[Any]
    ) -> None:
        township = self.users[f"township_officer_{village[:9]}000"]
        for period, opens, closes in periods:
            rng = random.Random(f"{self.seed}:{village}:{period}")
            pk = self.next(Filing)
            opened = _at(opens, rng)
            span = dt.datetime.combine(closes, dt.time(17), tzinfo=_tz()) - opened
            submitted = opened + span * rng.uniform(0.1, 0.9)
            accepted = submitted + dt.timedelta(hours=rng.randint(2, 72))
            self.audit(opened, clerk, "reporting.filing_open", "reporting.filing", pk, village)
            values: dict[str, Any] = dict(
                id=pk, plan_id=plan, village_id=village, period=period, status=FilingStatus.DRAFT
            )
            if submitted <= self.now:
                values.update(status=FilingStatus.SUBMITTED, submitted_by_id=clerk.pk, submitted_at=submitted)
                for element_id, kind, _unit, low, high in flat:
                    if kind == "yesno":
                        text = "是" if rng.random() < 0.9 else "否"
                    elif kind == "decimal":
                        text = format(Decimal(f"{rng.uniform(low, high / 4):.1f}").normalize(), "f")
                    else:
                        text = str(int(rng.triangular(low, high, low + (high - low) / 6)))
                    self.add(
                        self.t.value,
                        element_id=element_id,
                        period=period,
                        village_id=village,
                        filing_id=pk,
                        value=text,
                        updated_by_id=clerk.pk,
                        updated_at=submitted,
                    )
                self.audit(
                    submitted,
                    clerk,
                    "reporting.filing_submit",
                    "reporting.filing",
                    pk,
                    village,
                    before={"status": FilingStatus.DRAFT},
                    after={"status": FilingStatus.SUBMITTED, "values": len(flat)},
                )
                if accepted <= self.now:
                    values.update(status=FilingStatus.ACCEPTED, decided_by_id=township.pk, decided_at=accepted)
                    self.audit(
                        accepted,
                        township,
                        "reporting.filing_accept",
                        "reporting.filing",
                        pk,
                        village,
                        before={"status": FilingStatus.SUBMITTED},
                        after={"status": FilingStatus.ACCEPTED, "reason": ""},
                    )
            self.add(self.t.filing, **values)

    # --- complaints ---------------------------------------------------------------------------

    def complaints(self) -> None:
        from .history import _person

        c, t = self.c, self.t
        handler = self.users["county_reviewer"]
        for village in sorted(c.loaded):
            rng = random.Random(f"{self.seed}:{village}:complaints")
            n = sum(1 for _ in range(self.job["years"] * 6) if rng.random() < COMPLAINTS_PER_VILLAGE_YEAR / 6)
            for received in self.calendar.moments(rng, n):
                pk = self.next(Complaint)
                category, subject, text = COMPLAINTS[rng.choices(range(len(COMPLAINTS)), COMPLAINT_WEIGHTS)[0]]
                anonymous = rng.random() < 0.7
                name, _id, phone = _person(rng, village)
                bits = rng.getrandbits(60)
                code = "JB-" + "".join(_CROCKFORD[(bits >> (5 * i)) & 31] for i in reversed(range(12)))
                due = _due(received.date())
                snap = {
                    "tracking_code": code,
                    "status": ComplaintStatus.RECEIVED,
                    "category": category,
                    "region": village,
                    "handler": c.code,
                    "anonymous": anonymous,
                    "contact": None if anonymous else {"name": mask_name(name), "phone": mask_phone(phone)},
                    "due": str(due),
                }
                values: dict[str, Any] = dict(
                    id=pk,
                    tracking_code=code,
                    category=category,
                    region_id=village,
                    handler_id=c.code,
                    subject=subject,
                    text=text,
                    anonymous=anonymous,
                    contact_name="" if anonymous else name,
                    contact_phone="" if anonymous else phone,
                    source="web" if rng.random() < 0.6 else "wechat",
                    status=ComplaintStatus.RECEIVED,
                    received_at=received,
                    due=due,
                )
                self.add(
                    t.complaint_event, complaint_id=pk, action="received", status=ComplaintStatus.RECEIVED, at=received
                )
                self.audit(
                    received,
                    None,
                    "complaint.file",
                    "complaints.complaint",
                    pk,
                    village,
                    actor_name="公众" if anonymous else "",
                    after=snap | {"photos": 0},
                )
                deadline = dt.datetime.combine(due, dt.time(17), tzinfo=_tz())
                accepted = received + (deadline - received) * rng.uniform(0.05, 0.2)
                concluded = received + (deadline - received) * rng.uniform(0.4, 0.95)
                if rng.random() < 0.04:
                    concluded = deadline + dt.timedelta(days=rng.randint(1, 10))  # late
                steps: list[tuple[str, dt.datetime, str, dict[str, Any]]] = []
                if rng.random() < 0.08:
                    steps.append(("declined", accepted, DECLINE, {"decline_reason": DECLINE}))
                else:
                    steps.append(("accepted", accepted, "已受理，正在调查核实。", {}))
                    finding, outcome = rng.choice(FINDINGS) if rng.random() < 0.55 else UNSUBSTANTIATED
                    steps.append(("concluded", concluded, outcome, {"outcome": outcome, "finding": finding}))
                status = ComplaintStatus.RECEIVED
                for action, at, note, changes in steps:
                    if at > self.now:
                        break
                    new = {
                        "accepted": ComplaintStatus.ACCEPTED,
                        "declined": ComplaintStatus.DECLINED,
                        "concluded": ComplaintStatus.CONCLUDED,
                    }[action]
                    before = dict(snap)
                    snap["status"] = new
                    values.update(status=new, **changes)
                    if new in (ComplaintStatus.DECLINED, ComplaintStatus.CONCLUDED):
                        values["closed_at"] = at
                    self.add(
                        t.complaint_event,
                        complaint_id=pk,
                        action=action,
                        status=new,
                        note=note,
                        at=at,
                        by_id=handler.pk,
                    )
                    self.audit(
                        at,
                        handler,
                        f"complaint.{action}",
                        "complaints.complaint",
                        pk,
                        village,
                        before=before,
                        after=dict(snap),
                        note=note[:300],
                    )
                    status = new
                values["status"] = status
                self.add(t.complaint, **values)
