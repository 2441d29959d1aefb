"""Every read of the reporting app, scoped to the viewer (outside scope 404, no permission 403)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import Forbidden, Invalid, NotFound
from cunwu.matching import Entry, Matcher
from cunwu.regions import codes
from cunwu.regions.choices import OrgKind
from cunwu.regions.selectors import (
    departments_named,
    organisations_at,
    region_get,
    region_names,
    villages_under,
)

from . import compare, rules
from .formfiles import Column
from .models import (
    DataElement,
    DataValue,
    ElementMerge,
    Filing,
    FilingStatus,
    FormRequest,
    MergeStatus,
    Plan,
    PlanElement,
    PlanStatus,
    RequestField,
    RequestStatus,
    Window,
)

# A request corresponds to a plan entry when its text names the form or its fields this well.
COVER_THRESHOLD = 0.5


def request_list_for(user: Any, *, year: int | None = None) -> QuerySet[FormRequest]:
    """Requests the viewer may see: a department its own, the county all of its county's."""
    scope = scope_for(user)
    q = scope.records_q("county_id", Perm.FORM_VIEW, department_field="department_id")
    found = FormRequest.objects.filter(q).select_related("department").annotate(field_count=Count("fields"))
    return found.filter(year=year) if year else found


def request_get_for(user: Any, pk: int) -> FormRequest:
    found = request_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该填报需求，或不在您的管辖范围内。")
    return found


def element_list(county_code: str) -> list[DataElement]:
    """The county's dictionary (merged elements left out)."""
    return list(DataElement.objects.filter(county_id=county_code, merged_into__isnull=True).order_by("code"))


@dataclass(frozen=True)
class FieldProposal:
    """What registering a column would do: reuse an element (maybe collected already) or define one."""

    index: int
    element: DataElement | None
    score: float
    unit_factor: float
    note: str


def element_list_for(user: Any, county_code: str) -> list[DataElement]:
    """The county's element dictionary (merged-away elements left out), for staff who integrate its forms."""
    scope_for(user).require(Perm.FORM_INTEGRATE, county_code, view=Perm.FORM_VIEW)
    return list(DataElement.objects.filter(county_id=county_code, merged_into__isnull=True).order_by("code"))


def element_get_for(user: Any, county_code: str, pk: int) -> DataElement:
    """One element of the county's dictionary to edit; 404 outside the county or once merged away."""
    scope_for(user).require(Perm.FORM_INTEGRATE, county_code, view=Perm.FORM_VIEW)
    found = DataElement.objects.filter(county_id=county_code, pk=pk, merged_into__isnull=True).first()
    if found is None:
        raise NotFound("找不到该数据项，或它已并入另一个数据项。")
    return found


def county_departments(county_code: str) -> list[tuple[int, str]]:
    """(id, name) of the county's departments, for choosing an element's owner."""
    return [(o.pk, o.name) for o in organisations_at(region_get(county_code), kinds=[OrgKind.DEPARTMENT])]


def element_in_county(county_code: str, pk: Any) -> DataElement | None:
    """A data element of the county's dictionary by id (as posted), or None for anything else."""
    try:
        number = int(pk or 0)
    except (TypeError, ValueError):
        return None
    return DataElement.objects.filter(county_id=county_code, pk=number).first()


def field_proposals(county_code: str, year: int, columns: list[Column]) -> list[FieldProposal]:
    """Per data column of an uploaded form: the existing element for the same datum, and who collects it."""
    elements = element_list(county_code)
    known = [compare.Known(e.pk, e.name, tuple(e.synonyms or ()), e.unit or None) for e in elements]
    found = compare.propose(columns, known)
    by_id = {e.pk: e for e in elements}
    collected = _collected_by(county_code, year, [p.element_id for p in found.values()])
    out = []
    for col in columns:
        if col.role != "data":
            continue
        p = found.get(col.index)
        if p is None:
            out.append(FieldProposal(col.index, None, 0.0, 1.0, "新数据项"))
            continue
        element = by_id[p.element_id]
        who = collected.get(element.pk)
        note = f"已由{who[0]}{rules.FREQUENCY_LABEL[who[1]]}采集 — 直接复用" if who else "目录中已有 — 直接复用"
        if p.unit_factor != 1:
            note += f"（单位换算：{element.unit} × {p.unit_factor:g} = {col.unit}）"
        out.append(FieldProposal(col.index, element, p.score, p.unit_factor, note))
    return out


def _collected_by(county_code: str, year: int, element_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Element → (department name, its highest frequency) among the year's live requests."""
    rows = (
        RequestField.objects.filter(
            element_id__in=element_ids,
            request__county_id=county_code,
            request__year=year,
            request__status__in=[RequestStatus.SUBMITTED, RequestStatus.APPROVED],
        )
        .values_list("element_id", "request__department_id", "request__frequency")
        .order_by("request_id")
    )
    best: dict[int, tuple[int, str]] = {}
    for element_id, department_id, frequency in rows:
        if element_id not in best or rules.FREQUENCY_ORDER.index(frequency) > rules.FREQUENCY_ORDER.index(
            best[element_id][1]
        ):
            best[element_id] = (department_id, frequency)
    names = departments_named(sorted({d for d, _ in best.values()}))
    return {e: (names.get(d, "其他部门"), f) for e, (d, f) in best.items()}


@dataclass(frozen=True)
class MergeProposal:
    keep: DataElement
    drop: DataElement
    score: float
    factor: float  # a value in drop's unit × factor = keep's unit


def consolidation_proposals(county_code: str, year: int) -> list[MergeProposal]:
    """Elements of different departments' requests for the year that look like one datum (undecided only)."""
    used = (
        RequestField.objects.filter(request__county_id=county_code, request__year=year)
        .exclude(request__status=RequestStatus.REFUSED)
        .values_list("element_id", flat=True)
        .distinct()
    )
    elements = list(DataElement.objects.filter(pk__in=used, merged_into__isnull=True).order_by("pk"))
    by_department: dict[int, list[DataElement]] = defaultdict(list)
    for e in elements:
        by_department[e.department_id].append(e)
    groups = list(by_department.values())
    columns = [[Column(e.pk, [e.name], e.name, e.unit or None, e.type, "data") for e in group] for group in groups]
    decided = set(ElementMerge.objects.filter(county_id=county_code).values_list("keep_id", "drop_id"))
    out = []
    by_id = {e.pk: e for e in elements}
    for o in compare.overlaps(columns):
        a, b = by_id[o.a[1]], by_id[o.b[1]]
        keep, drop = (a, b) if a.pk < b.pk else (b, a)
        factor = o.unit_factor if drop is a else (1 / o.unit_factor)
        if (keep.pk, drop.pk) in decided or (drop.pk, keep.pk) in decided:
            continue
        out.append(MergeProposal(keep, drop, o.score, float(f"{factor:.6g}")))
    return out


def plan_get(county_code: str, year: int) -> Plan | None:
    return Plan.objects.filter(county_id=county_code, year=year).first()


def plan_get_for(user: Any, county_code: str, year: int) -> Plan:
    """The county's plan for the year, for anyone with form:view in or above the county, or below it."""
    scope = scope_for(user)
    below = any(code.startswith(county_code[:6]) for code, _ in scope.regions(Perm.FORM_VIEW))
    if not (scope.covers(county_code, Perm.FORM_VIEW) or below):
        raise NotFound("找不到该计划，或不在您的管辖范围内。")
    plan = plan_get(county_code, year)
    if plan is None:
        raise NotFound(f"{year} 年度填报计划尚未制定。")
    return plan


def form_plan_covers(*, department_code: str, county_code: str, year: int, title: str, content: str) -> bool:
    """True when the department has an approved request in the county's published plan for the year
    that this request (title and content, as filed for admission) corresponds to (（四）).

    `department_code` is the department organisation's id as text (or its exact name).
    """
    plan = Plan.objects.filter(county_id=county_code, year=year, status=PlanStatus.PUBLISHED).first()
    if plan is None:
        return False
    requests = FormRequest.objects.filter(county_id=county_code, year=year, status=RequestStatus.APPROVED)
    if department_code.isdigit():
        requests = requests.filter(department_id=int(department_code))
    else:
        requests = requests.filter(department__name=department_code)
    entries = []
    for r in requests.prefetch_related("fields"):
        labels = tuple(f.label for f in r.fields.all())
        entries.append(Entry(code=str(r.pk), name=r.title, aliases=labels))
    if not entries:
        return False
    text = f"{title}。{content}"
    matcher = Matcher(entries)
    best = matcher.best(title, threshold=COVER_THRESHOLD) or matcher.best(text, threshold=COVER_THRESHOLD)
    return best is not None


# ---------------------------------------------------------------- filings


def filing_get_for(user: Any, pk: int) -> Filing:
    scope = scope_for(user)
    filing = Filing.objects.filter(pk=pk).select_related("plan").first()
    if filing is None or not scope.covers(filing.village_id, Perm.FORM_VIEW):
        raise NotFound("找不到该填报，或不在您的管辖范围内。")
    return filing


def filing_find_for(user: Any, plan: Plan, village_code: str, period: str) -> Filing:
    """An existing filing, for those who check rather than fill (the township)."""
    found = filing_list_for(user).filter(plan=plan, village_id=village_code, period=period).first()
    if found is None:
        raise NotFound("该村本期还没有开始填报。")
    return found


def filing_list_for(user: Any, *, status: str = "") -> QuerySet[Filing]:
    scope = scope_for(user)
    found = Filing.objects.filter(scope.region_q("village_id", Perm.FORM_VIEW)).select_related("plan")
    return found.filter(status=status) if status else found


@dataclass(frozen=True)
class FilingToCheck:
    filing: Filing
    village_name: str


def filings_to_check_for(user: Any, *, limit: int = 100) -> list[FilingToCheck]:
    """Submitted filings in the user's scope, by period then village, each with its village's name
    (a township officer knows villages by name, not by code)."""
    found = list(filing_list_for(user, status=FilingStatus.SUBMITTED).order_by("period", "village_id")[:limit])
    names = region_names({f.village_id for f in found})
    return [FilingToCheck(f, names.get(f.village_id, f.village_id)) for f in found]


@dataclass
class FilingRow:
    element: DataElement
    value: str
    prefilled: bool


@dataclass
class FilingSection:
    department: str
    rows: list[FilingRow]


def filing_sections(filing: Filing) -> list[FilingSection]:
    """The filing's elements grouped by owning department, with saved values or last period's for
    elements that rarely change (prefilled, to be confirmed)."""
    frequency = rules.frequency_of(filing.period)
    plan_elements = list(
        PlanElement.objects.filter(plan_id=filing.plan_id, frequency=frequency)
        .select_related("element")
        .order_by("position")
    )
    ids = [pe.element_id for pe in plan_elements]
    saved = dict(DataValue.objects.filter(filing=filing, element_id__in=ids).values_list("element_id", "value"))
    stable = [pe.element_id for pe in plan_elements if pe.element.stable and pe.element_id not in saved]
    previous: dict[int, str] = {}
    if stable:
        for element_id, _period, value in (
            DataValue.objects.filter(element_id__in=stable, village_id=filing.village_id, period__lt=filing.period)
            .order_by("element_id", "-period")
            .values_list("element_id", "period", "value")
        ):
            previous.setdefault(element_id, value)
    names = departments_named(sorted({pe.element.department_id for pe in plan_elements}))
    sections: dict[int, FilingSection] = {}
    for pe in plan_elements:
        e = pe.element
        section = sections.setdefault(e.department_id, FilingSection(names.get(e.department_id, "其他"), []))
        if e.pk in saved:
            section.rows.append(FilingRow(e, saved[e.pk], False))
        else:
            section.rows.append(FilingRow(e, previous.get(e.pk, ""), e.pk in previous))
    return list(sections.values())


def filing_window(filing: Filing) -> Window:
    return Window.objects.get(plan_id=filing.plan_id, period=filing.period)


def village_periods(plan: Plan) -> list[Window]:
    return list(Window.objects.filter(plan=plan).order_by("opens", "period"))


# ---------------------------------------------------------------- departments' own forms and values


def department_elements(user: Any) -> dict[int, list[RequestField]]:
    """Element id → the viewer's departments' request fields collecting it (approved requests only)."""
    scope = scope_for(user)
    ids = scope.department_ids(Perm.FORM_VIEW)
    fields_of: dict[int, list[RequestField]] = defaultdict(list)
    for rf in RequestField.objects.filter(
        request__department_id__in=ids, request__status=RequestStatus.APPROVED
    ).select_related("request"):
        fields_of[rf.element_id].append(rf)
    return fields_of


def values_for(user: Any, *, element: str = "", period: str = "", region: str = "") -> list[dict[str, Any]]:
    """Values of the department's own elements (DHIS2 dataValueSets): element, period, village, value, status.

    403 for an element the department has no approved request for; regions outside scope give nothing.
    """
    scope = scope_for(user)
    if not scope.department_ids(Perm.FORM_VIEW):
        raise Forbidden("只有提出填报需求的部门可以取用填报数据。")
    own = department_elements(user)
    q = Q(element_id__in=list(own))
    if element:
        found = DataElement.objects.filter(code=element).values_list("pk", flat=True)
        wanted = [pk for pk in found if pk in own]
        if not wanted:
            raise Forbidden(f"数据项 {element} 不在本部门已纳入计划的填报需求中。")
        q &= Q(element_id__in=wanted)
    if period:
        if rules.parse_period(period) is None:
            raise Invalid.field("period", "报告期格式应为 2027、2027H1、2027Q1 或 2027-03。")
        q &= Q(period=period)
    if region:
        if not codes.is_code(region):
            raise Invalid.field("region", "区划代码应为 12 位数字。")
        low, high = codes.code_range(region, codes.level_of(region))
        q &= Q(village_id__gte=low, village_id__lte=high)
    q &= scope.region_q("village_id", Perm.FORM_VIEW)
    rows = (
        DataValue.objects.filter(q)
        .select_related("element", "filing")
        .order_by("element__code", "period", "village_id")
    )
    return [
        {
            "element": v.element.code,
            "period": v.period,
            "region": v.village_id,
            "value": v.value,
            "status": v.filing.status,
        }
        for v in rows
    ]


def merge_list(county_code: str, *, status: str = MergeStatus.CONFIRMED) -> QuerySet[ElementMerge]:
    return ElementMerge.objects.filter(county_id=county_code, status=status).select_related("keep", "drop")


# ---------------------------------------------------------------- burden


@dataclass
class Burden:
    """What departments asked of each village for a year against what villages fill after consolidation."""

    forms_requested: int
    fields_requested: int  # fields × periods per year, summed over requests
    forms_after: int  # filings per village per year (one per period of the plan)
    fields_after: int  # plan elements × periods per year
    expected_filings: int
    actual_filings: int
    on_time_filings: int

    @property
    def field_reduction(self) -> float:
        return 1 - self.fields_after / self.fields_requested if self.fields_requested else 0.0

    @property
    def form_reduction(self) -> float:
        return 1 - self.forms_after / self.forms_requested if self.forms_requested else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time_filings / self.expected_filings if self.expected_filings else 0.0


def burden_for(county_code: str, year: int, *, village_code: str = "", today: Any = None) -> Burden:
    """Burden figures for a county (or one of its villages): requests as asked vs the published plan.

    Requested forms count every request the departments registered (refused ones included: that is
    what villages would have filled without consolidation); forms after = filings per village.
    """
    today = today or timezone.localdate()
    requests = list(FormRequest.objects.filter(county_id=county_code, year=year).annotate(n=Count("fields")))
    fields_requested = sum(r.n * rules.PERIODS_PER_YEAR[r.frequency] for r in requests)
    plan = Plan.objects.filter(county_id=county_code, year=year, status=PlanStatus.PUBLISHED).first()
    if plan is None:
        return Burden(len(requests), fields_requested, 0, 0, 0, 0, 0)
    fields_after = sum(
        rules.PERIODS_PER_YEAR[f] for f in PlanElement.objects.filter(plan=plan).values_list("frequency", flat=True)
    )
    windows = list(Window.objects.filter(plan=plan))
    due = [w.period for w in windows if w.closes < today]
    villages = 1 if village_code else _village_count(county_code)
    filings = Filing.objects.filter(plan=plan, period__in=due, status__in=["submitted", "accepted"])
    if village_code:
        filings = filings.filter(village_id=village_code)
    closes = {w.period: w.closes for w in windows}
    on_time = sum(
        1
        for period, submitted in filings.values_list("period", "submitted_at")
        if submitted is not None and timezone.localtime(submitted).date() <= closes[period]
    )
    return Burden(
        forms_requested=len(requests),
        fields_requested=fields_requested,
        forms_after=len(windows),
        fields_after=fields_after,
        expected_filings=villages * len(due),
        actual_filings=filings.count(),
        on_time_filings=on_time,
    )


def _village_count(county_code: str) -> int:
    return len(villages_under(region_get(county_code)))
