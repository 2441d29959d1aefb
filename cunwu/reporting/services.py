"""Every write of the reporting app: elements, requests, consolidation, plans and filings (（四）).

Each service is atomic and audited; state changes are conditional updates consulting rules.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from cunwu import workdays
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound, Problems
from cunwu.regions import codes
from cunwu.regions.selectors import department_get

from . import fields as fieldnames
from . import rules
from .models import (
    DataElement,
    DataValue,
    ElementMerge,
    ElementType,
    Filing,
    FilingStatus,
    FormRequest,
    Frequency,
    MergeStatus,
    Plan,
    PlanElement,
    PlanStatus,
    RequestField,
    RequestStatus,
    Rollup,
    Window,
)

MAX_FIELDS = 400


@dataclass
class FieldIn:
    """A column of a department's request: reuse `element_id`, or define a new element."""

    label: str
    type: str = ElementType.INTEGER
    unit: str = ""
    headers: list[str] = field(default_factory=list)
    element_id: int | None = None
    factor: float = 1.0


def _county_department(actor: Any, department_id: int) -> Any:
    scope = scope_for(actor)
    if department_id not in scope.department_ids(Perm.FORM_REQUEST):
        if not scope.has(Perm.FORM_REQUEST):
            raise Forbidden("只有党政群机构的工作人员可以登记填报需求。")
        raise Forbidden("您不是该部门的工作人员。")
    department = department_get(department_id)
    if department.region.level != codes.COUNTY:
        raise Invalid.field("department", "只有县级部门向村级组织提出填报需求时需要登记（由县统一整合）。")
    return department


def _next_code(county_id: str) -> str:
    count = DataElement.objects.filter(county_id=county_id).count()
    code = f"E{count + 1:04d}"
    while DataElement.objects.filter(county_id=county_id, code=code).exists():
        count += 1
        code = f"E{count + 1:04d}"
    return code


def element_resolve(element: DataElement) -> DataElement:
    """The element a merged element now lives on (follows merged_into)."""
    seen = set()
    while element.merged_into_id is not None and element.pk not in seen:
        seen.add(element.pk)
        element = DataElement.objects.get(pk=element.merged_into_id)
    return element


@dataclass(frozen=True)
class ElementChanges:
    """A data element's definition as the county edits it."""

    code: str
    name: str
    synonyms: list[str]
    type: str
    unit: str
    definition: str
    department_id: int
    min_value: Decimal | None
    max_value: Decimal | None
    rollup: str


_EDITABLE = (
    "code",
    "name",
    "synonyms",
    "type",
    "unit",
    "definition",
    "department_id",
    "min_value",
    "max_value",
    "rollup",
)


def element_update(*, actor: Any, element: DataElement, changes: ElementChanges) -> DataElement:
    """Change a dictionary element's definition (county staff who integrate forms only); audited with
    before and after. The type stays once villages have filed values, so no stored value changes meaning."""
    scope_for(actor).require(Perm.FORM_INTEGRATE, element.county_id, view=Perm.FORM_VIEW)
    problems = Problems()
    for name, message in rules.check_element_definition(
        name=changes.name,
        type=changes.type,
        unit=changes.unit,
        known_units=tuple(fieldnames.UNITS),
        min_value=changes.min_value,
        max_value=changes.max_value,
    ):
        problems.add(name, message)
    if not changes.code.strip():
        problems.add("code", "请填写数据项代码。")
    elif DataElement.objects.filter(county_id=element.county_id, code=changes.code).exclude(pk=element.pk).exists():
        problems.add("code", f"代码「{changes.code}」已被本县另一个数据项使用，请换一个。")
    if changes.type != element.type and DataValue.objects.filter(element=element).exists():
        problems.add("type", "村里已经按原类型填报了数值，不能再改类型；如需不同类型，请新建数据项。")
    try:
        department = department_get(changes.department_id)
    except NotFound:
        department = None
    if department is None or department.region_id != element.county_id:
        problems.add("department_id", "请选择本县的一个部门作为所属部门。")
    problems.raise_if_any()
    before = {k: _plain(getattr(element, k)) for k in _EDITABLE}
    after = {k: _plain(getattr(changes, k)) for k in _EDITABLE}
    with transaction.atomic():
        updated = DataElement.objects.filter(pk=element.pk, merged_into__isnull=True).update(
            **{k: getattr(changes, k) for k in _EDITABLE}
        )
        if not updated:
            raise Conflict("该数据项已并入另一个数据项，请修改合并后的数据项。")
        audit_record(
            actor=actor,
            action="reporting.element_update",
            obj=element,
            region_code=element.county_id,
            before={k: v for k, v in before.items() if v != after[k]},
            after={k: v for k, v in after.items() if v != before[k]},
        )
    element.refresh_from_db()
    return element


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _new_element(county_id: str, department_id: int, f: FieldIn) -> DataElement:
    unit = f.unit or ""
    measure = fieldnames.measure_of(f.label, unit or None)
    return DataElement.objects.create(
        county_id=county_id,
        code=_next_code(county_id),
        name=f.label,
        type=f.type,
        unit=unit,
        department_id=department_id,
        rollup=Rollup.LAST if measure in {"person", "household", "area", "head", "count"} else Rollup.SUM,
        stable=measure in {"area", "count"},
    )


def _check_fields(items: Sequence[FieldIn], county_id: str, problems: Problems) -> dict[int, DataElement]:
    wanted = [f.element_id for f in items if f.element_id]
    known = {e.pk: e for e in DataElement.objects.filter(pk__in=wanted, county_id=county_id)}
    if len(items) > MAX_FIELDS:
        problems.add("fields", f"一张表最多 {MAX_FIELDS} 个数据项。")
    for i, f in enumerate(items):
        if not f.label.strip():
            problems.add(f"fields.{i}.label", "请填写数据项名称。")
        elif len(f.label) > 128:
            problems.add(f"fields.{i}.label", "数据项名称最多 128 字。")
        if f.type not in ElementType.values:
            problems.add(f"fields.{i}.type", "类型不在可选范围内。")
        if f.unit and f.unit not in fieldnames.UNITS:
            problems.add(f"fields.{i}.unit", f"不认识的单位「{f.unit}」。")
        if f.element_id and f.element_id not in known:
            problems.add(f"fields.{i}.element", "该数据项不在本县数据项目录中。")
        if not f.factor or f.factor <= 0:
            problems.add(f"fields.{i}.factor", "单位换算系数应大于 0。")
    return known


def request_register(
    *,
    actor: Any,
    department_id: int,
    year: int,
    title: str,
    purpose: str,
    basis: str,
    frequency: str,
    fields: Sequence[FieldIn],
    layout: dict[str, Any] | None = None,
) -> FormRequest:
    """A department registers what it needs from villages for a year; new columns become elements."""
    department = _county_department(actor, department_id)
    problems = Problems()
    for finding in rules.check_request(title=title, purpose=purpose, basis=basis, fields_count=len(fields)):
        problems.add(finding.rule, finding.message)
    if frequency not in Frequency.values:
        problems.add("frequency", "频次只能是每年、每半年、每季度或每月。")
    if not 2000 <= year <= 2100:
        problems.add("year", "年度不正确。")
    county_id = department.region_id
    known = _check_fields(fields, county_id, problems)
    problems.raise_if_any()
    with transaction.atomic():
        request = FormRequest.objects.create(
            department=department,
            county_id=county_id,
            year=year,
            title=title.strip()[:200],
            purpose=purpose.strip(),
            basis=basis.strip(),
            frequency=frequency,
            layout=layout or {},
            created_by=actor,
        )
        for i, f in enumerate(fields):
            element = (
                element_resolve(known[f.element_id]) if f.element_id else _new_element(county_id, department.pk, f)
            )
            RequestField.objects.create(
                request=request,
                position=i,
                headers=f.headers or [f.label],
                label=f.label.strip(),
                unit=f.unit,
                element=element,
                factor=f.factor,
            )
        audit_record(
            actor=actor,
            action="reporting.request_register",
            obj=request,
            region_code=county_id,
            after={"title": request.title, "year": year, "frequency": frequency, "fields": len(fields)},
        )
    return request


def _require_integrate(actor: Any, county_code: str) -> None:
    scope_for(actor).require(Perm.FORM_INTEGRATE, county_code, view=Perm.FORM_VIEW)


def request_decide(*, actor: Any, request: FormRequest, approve: bool, reason: str = "") -> FormRequest:
    """The county approves a request into the year's plan or refuses it with a reason."""
    _require_integrate(actor, request.county_id)
    reason = reason.strip()
    if not approve and not reason:
        raise Invalid.field("reason", "不予纳入时请写明理由（如：没有政策依据、属临时性填表）。")
    new = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    with transaction.atomic():
        changed = FormRequest.objects.filter(pk=request.pk, status=RequestStatus.SUBMITTED).update(
            status=new, refusal_reason="" if approve else reason, decided_by=actor, decided_at=timezone.now()
        )
        if not changed:
            raise Conflict("该填报需求已处理过。")
        audit_record(
            actor=actor,
            action="reporting.request_decide",
            obj=request,
            region_code=request.county_id,
            before={"status": request.status},
            after={"status": new, "reason": reason},
        )
    request.refresh_from_db()
    return request


def merge_decide(
    *, actor: Any, keep: DataElement, drop: DataElement, year: int, factor: float, confirm: bool, score: float = 0.0
) -> ElementMerge:
    """The county confirms (or rejects) that two elements are one datum.

    Confirming keeps every value: the dropped element's values move to the kept one, times `factor`
    (a value in the dropped unit × factor = the kept unit), where the kept one has none for that
    village and period; the others stay on the dropped element and are listed in the audit row.
    """
    _require_integrate(actor, keep.county_id)
    if keep.county_id != drop.county_id or keep.pk == drop.pk:
        raise Invalid.field("drop", "只能合并本县两个不同的数据项。")
    if factor <= 0:
        raise Invalid.field("factor", "换算系数应大于 0。")
    with transaction.atomic():
        try:
            merge = ElementMerge.objects.create(
                county_id=keep.county_id,
                year=year,
                keep=keep,
                drop=drop,
                factor=factor,
                score=score,
                status=MergeStatus.CONFIRMED if confirm else MergeStatus.REJECTED,
                decided_by=actor,
                decided_at=timezone.now(),
            )
        except IntegrityError as exc:
            raise Conflict("这两个数据项的合并已经处理过。") from exc
        kept_values: list[dict[str, str]] = []
        if confirm:
            if DataElement.objects.filter(pk=drop.pk, merged_into__isnull=True).update(merged_into=keep) != 1:
                raise Conflict("该数据项已并入其他数据项。")
            for rf in RequestField.objects.filter(element=drop):
                RequestField.objects.filter(pk=rf.pk).update(element=keep, factor=rf.factor / factor)
            taken = set(DataValue.objects.filter(element=keep).values_list("period", "village_id"))
            for value in DataValue.objects.filter(element=drop):
                if (value.period, value.village_id) in taken:
                    kept_values.append({"period": value.period, "village": value.village_id, "value": value.value})
                    continue
                DataValue.objects.filter(pk=value.pk).update(
                    element=keep, value=_scaled(value.value, factor, keep.type)
                )
        audit_record(
            actor=actor,
            action="reporting.merge_confirm" if confirm else "reporting.merge_reject",
            obj=merge,
            region_code=keep.county_id,
            after={"keep": keep.code, "drop": drop.code, "factor": factor, "left_on_dropped": kept_values},
        )
    return merge


def _scaled(value: str, factor: float, kind: str) -> str:
    if factor == 1 or kind not in {ElementType.INTEGER, ElementType.DECIMAL}:
        return value
    try:
        number = Decimal(value) * Decimal(str(factor))
    except ArithmeticError:
        return value
    return format(number.normalize(), "f")


def plan_publish(*, actor: Any, county_code: str, year: int) -> Plan:
    """Build the year's plan from the approved requests and publish it to townships and villages.

    Each element once, at the highest frequency any approved request needs; an input window per
    period, opening on the first working day after the period and closing ten working days later.
    """
    _require_integrate(actor, county_code)
    requests = list(FormRequest.objects.filter(county_id=county_code, year=year))
    if any(r.status == RequestStatus.SUBMITTED for r in requests):
        raise Invalid.field("requests", "还有未处理的填报需求，请先逐一纳入或不予纳入。")
    approved = [r for r in requests if r.status == RequestStatus.APPROVED]
    if not approved:
        raise Invalid.field("requests", f"{year} 年没有已纳入的填报需求，无需发布计划。")
    frequency_of: dict[int, list[str]] = {}
    order: list[int] = []
    for rf in RequestField.objects.filter(request__in=approved).select_related("element", "request"):
        element = element_resolve(rf.element)
        if element.pk not in frequency_of:
            order.append(element.pk)
        frequency_of.setdefault(element.pk, []).append(rf.request.frequency)
    with transaction.atomic():
        plan, _ = Plan.objects.select_for_update().get_or_create(county_id=county_code, year=year)
        if plan.status == PlanStatus.PUBLISHED:
            raise Conflict(f"{year} 年度填报计划已经发布。")
        PlanElement.objects.filter(plan=plan).delete()
        Window.objects.filter(plan=plan).delete()
        PlanElement.objects.bulk_create(
            PlanElement(plan=plan, element_id=pk, frequency=rules.highest_frequency(frequency_of[pk]), position=i)
            for i, pk in enumerate(order)
        )
        used = {rules.highest_frequency(f) for f in frequency_of.values()}
        windows = []
        for frequency in used:
            for period in rules.periods_of(year, frequency):
                opens, closes = rules.window_for(period, workdays.is_workday)
                windows.append(Window(plan=plan, period=period, opens=opens, closes=closes))
        Window.objects.bulk_create(windows)
        Plan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.PUBLISHED, published_by=actor, published_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="reporting.plan_publish",
            obj=plan,
            region_code=county_code,
            after={"year": year, "elements": len(order), "requests": len(approved), "windows": len(windows)},
        )
    plan.refresh_from_db()
    return plan


# ---------------------------------------------------------------- filings


def filing_open(*, actor: Any, plan: Plan, village_code: str, period: str) -> Filing:
    """The village's filing for a period of a published plan (created as a draft on first visit)."""
    scope_for(actor).require(Perm.FORM_FILL, village_code, view=Perm.FORM_VIEW)
    if plan.status != PlanStatus.PUBLISHED:
        raise NotFound("本年度填报计划尚未发布。")
    if not Window.objects.filter(plan=plan, period=period).exists():
        raise NotFound("该报告期不在本年度填报计划中。")
    with transaction.atomic():
        filing, created = Filing.objects.get_or_create(plan=plan, village_id=village_code, period=period)
        if created:
            audit_record(actor=actor, action="reporting.filing_open", obj=filing, region_code=village_code)
    return filing


def _window(filing: Filing) -> Window:
    return Window.objects.get(plan_id=filing.plan_id, period=filing.period)


def _decide(filing: Filing, action: str, today: date) -> None:
    window = _window(filing)
    finding = rules.decide_filing(
        action, filing.status, today=today, closes=window.closes, reopened_until=filing.reopened_until
    )
    if finding is not None:
        raise Conflict(finding.message, code=finding.rule)


def element_spec(element: DataElement) -> rules.ElementSpec:
    return rules.ElementSpec(
        name=element.name,
        type=element.type,
        unit=element.unit,
        min_value=element.min_value,
        max_value=element.max_value,
        choices=tuple(element.choices or ()),
    )


def filing_save(
    *, actor: Any, filing: Filing, values: dict[int, str], submit: bool = False, today: date | None = None
) -> Filing:
    """Save a filing's values (a draft), and submit it when asked; every value is checked first.

    `values` maps element id → text as typed. Nothing is written when any value is wrong.
    """
    scope_for(actor).require(Perm.FORM_FILL, filing.village_id, view=Perm.FORM_VIEW)
    today = today or timezone.localdate()
    _decide(filing, "submit" if submit else "save", today)
    elements = {pe.element_id: pe.element for pe in _period_elements(filing)}
    problems = Problems()
    clean: dict[int, str] = {}
    for element_id, raw in values.items():
        element = elements.get(element_id)
        if element is None:
            problems.add(f"values.{element_id}", "该数据项不在本期填报范围内。")
            continue
        text, error = rules.check_value(element_spec(element), raw)
        if error:
            problems.add(f"values.{element_id}", error)
        clean[element_id] = text
    if submit:
        stored = set(DataValue.objects.filter(filing=filing).exclude(value="").values_list("element_id", flat=True))
        for element_id, element in elements.items():
            if not clean.get(element_id, "") and (element_id in clean or element_id not in stored):
                problems.add(f"values.{element_id}", f"请填写「{element.name}」。")
    problems.raise_if_any("有数据项填写有误，请按提示修改后再保存。")
    with transaction.atomic():
        old_status = filing.status
        new_status = rules.FILING_TRANSITIONS["submit" if submit else "save"][old_status]
        changed = Filing.objects.filter(pk=filing.pk, status=old_status).update(
            status=new_status,
            **({"submitted_by": actor, "submitted_at": timezone.now()} if submit else {}),
        )
        if not changed:
            raise Conflict("该填报刚被他人处理，请刷新后再试。")
        for element_id, text in clean.items():
            if text == "":
                DataValue.objects.filter(filing=filing, element_id=element_id).delete()
                continue
            DataValue.objects.update_or_create(
                element_id=element_id,
                period=filing.period,
                village_id=filing.village_id,
                defaults={"value": text, "filing": filing, "updated_by": actor},
            )
        audit_record(
            actor=actor,
            action="reporting.filing_submit" if submit else "reporting.filing_save",
            obj=filing,
            region_code=filing.village_id,
            before={"status": old_status},
            after={"status": new_status, "values": len(clean)},
        )
    filing.refresh_from_db()
    return filing


def _period_elements(filing: Filing) -> list[PlanElement]:
    frequency = rules.frequency_of(filing.period)
    return list(
        PlanElement.objects.filter(plan_id=filing.plan_id, frequency=frequency)
        .select_related("element")
        .order_by("position")
    )


def filing_accept(*, actor: Any, filing: Filing) -> Filing:
    """The township accepts a submitted filing."""
    return _township_decide(actor, filing, "accept", "")


def filing_return(*, actor: Any, filing: Filing, reason: str) -> Filing:
    """The township returns a submitted filing with a reason the village can act on."""
    if not reason.strip():
        raise Invalid.field("reason", "退回时请写明理由，村里才知道要改什么。")
    return _township_decide(actor, filing, "return", reason.strip())


def _township_decide(actor: Any, filing: Filing, action: str, reason: str) -> Filing:
    scope_for(actor).require(Perm.FORM_ACCEPT, filing.village_id, view=Perm.FORM_VIEW)
    finding = rules.decide_filing(
        action, filing.status, today=timezone.localdate(), closes=date.max, reopened_until=None
    )
    if finding is not None:
        raise Conflict(finding.message, code=finding.rule)
    new = rules.FILING_TRANSITIONS[action][filing.status]
    with transaction.atomic():
        changed = Filing.objects.filter(pk=filing.pk, status=filing.status).update(
            status=new, return_reason=reason, decided_by=actor, decided_at=timezone.now()
        )
        if not changed:
            raise Conflict("该填报刚被他人处理，请刷新后再试。")
        audit_record(
            actor=actor,
            action=f"reporting.filing_{action}",
            obj=filing,
            region_code=filing.village_id,
            before={"status": filing.status},
            after={"status": new, "reason": reason},
        )
    filing.refresh_from_db()
    return filing


def filing_reopen(*, actor: Any, filing: Filing, until: date) -> Filing:
    """The township reopens a locked filing until a date (for a correction after the window)."""
    scope_for(actor).require(Perm.FORM_ACCEPT, filing.village_id, view=Perm.FORM_VIEW)
    if until < timezone.localdate():
        raise Invalid.field("until", "重新开放的截止日期不能早于今天。")
    with transaction.atomic():
        Filing.objects.filter(pk=filing.pk).update(
            reopened_until=until,
            status=F("status") if filing.status != FilingStatus.ACCEPTED else FilingStatus.RETURNED,
            return_reason=filing.return_reason or "乡镇重新开放以便更正",
        )
        audit_record(
            actor=actor,
            action="reporting.filing_reopen",
            obj=filing,
            region_code=filing.village_id,
            after={"until": until.isoformat()},
        )
    filing.refresh_from_db()
    return filing
