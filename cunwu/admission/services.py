"""Every write of the admission area: atomic, audited, state changes as conditional updates."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.permissions import Perm, Role
from cunwu.accounts.scope import scope_for
from cunwu.accounts.services import notification_close, notification_send
from cunwu.audit.services import audit_record
from cunwu.documents import UploadError, check_upload, clean_image
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound, Problems
from cunwu.masking import mask_text
from cunwu.regions import codes
from cunwu.regions.selectors import organisation_find, region_find, region_get, regions_by_code, villages_under
from cunwu.reporting.selectors import form_plan_covers
from cunwu.transitions import sources

from . import rules, screening
from .models import (
    Approval,
    Assignment,
    AssignmentEvent,
    AssignmentStatus,
    Attachment,
    Channel,
    Decision,
    DecisionOutcome,
    DepartmentRemit,
    Evaluation,
    Indicator,
    OffListReport,
    OffListStatus,
    RequestStatus,
    RequestVersion,
    RoutedWork,
    RouteStatus,
    RuleMiss,
    Score,
    WorkRequest,
)
from .selectors import clear_registry_cache, remit_item_names, screening_for

if TYPE_CHECKING:
    from cunwu.regions.models import Organisation, Region

TITLE_MAX, CONTENT_MAX, FIELD_MAX = 200, 20000, 500
MAX_TARGETS, MAX_ATTACHMENTS = 500, 5
ATTACHMENT_KINDS = {"pdf", "jpeg", "png", "webp"}
CLAUSES = tuple(
    f"（{n}）"
    for n in [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
        "十六",
        "十七",
    ]
)
REQUEST_SUBJECT = "admission.request"
ASSIGNMENT_SUBJECT = "admission.assignment"
OFFLIST_SUBJECT = "admission.offlist"


@dataclass
class RequestData:
    """What a department officer fills in; parsed by the form or the API schema."""

    title: str
    content: str
    targets: list[str]
    type: str = "task"
    basis: str = ""
    period_start: date | None = None
    period_end: date | None = None
    deadline: date | None = None
    pledge: bool = False
    responsible_body: str = ""
    evidence: str = ""
    provisions: str = ""
    meeting_reason: str = ""
    department_id: int | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)

    def screen_input(self) -> rules.ScreenInput:
        return rules.ScreenInput(
            title=self.title,
            content=self.content,
            type=self.type,
            basis=self.basis,
            pledge=self.pledge,
            responsible_body=self.responsible_body,
            evidence=self.evidence,
            in_form_plan=_form_plan_covers(self),
        )

    def snapshot(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("attachments")
        for key in ("period_start", "period_end", "deadline"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def _form_plan_covers(request: RequestData) -> bool:
    """Whether the county's published annual form plan （四） holds an approved form request of this
    department that this request corresponds to. The request's own wording (已纳入县级统一整合, 一表通)
    never counts: only the plan does.
    """
    if request.department_id is None or not request.targets:
        return False
    year = (request.period_start or timezone.localdate()).year
    return form_plan_covers(
        department_code=str(request.department_id),
        county_code=codes.county_code(request.targets[0]),
        year=year,
        title=request.title,
        content=request.content,
    )


def check_text(problems: Problems, name: str, value: str, label: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        problems.add(name, f"请填写{label}。")
    elif len(value) > limit:
        problems.add(name, f"{label}过长（{len(value)} 字），最多 {limit} 字。")
    return value


def _department_for(actor: Any, department_id: int | None, problems: Problems) -> Organisation | None:
    scope = scope_for(actor)
    ids = scope.department_ids(Perm.ADMISSION_FILE)
    if not ids:
        raise Forbidden("只有党政群机构的工作人员可以提交准入申请。")
    if department_id is None:
        department_id = ids[0]
    if department_id not in ids:
        problems.add("department", "您不是该部门的工作人员。")
        return None
    return organisation_find(department_id)


def _resolve_targets(
    actor: Any, department: Organisation | None, targets: list[str], problems: Problems
) -> tuple[Region | None, list[Region]]:
    """The county under review and the villages the work reaches; every target must lie in the
    officer's jurisdiction and in one county （二）: the county reviews what reaches its villages."""
    scope = scope_for(actor)
    if not targets:
        problems.add("targets", "请选择派往的乡镇或村（社区）。")
        return None, []
    if len(targets) > MAX_TARGETS:
        problems.add("targets", f"派往区划过多，一次最多 {MAX_TARGETS} 个。")
        return None, []
    found = regions_by_code(str(t) for t in targets)
    villages: dict[str, Region] = {}
    counties: set[str] = set()
    for i, raw in enumerate(targets):
        code = str(raw).strip()
        problem = codes.code_problem(code)
        region = found.get(code)
        if problem:
            problems.add(f"targets.{i}", problem)
            continue
        if region is None:
            problems.add(f"targets.{i}", f"没有代码为 {code} 的行政区划。")
            continue
        org_id = department.pk if department else None
        if not scope.can(Perm.ADMISSION_FILE, code, org_id):
            problems.add(f"targets.{i}", f"{region.name}不在您的管辖范围内。")
            continue
        if region.level in (codes.PROVINCE, codes.PREFECTURE):
            problems.add(f"targets.{i}", "请按县（市、区）选择乡镇或村（社区）：准入由县级审查。")
            continue
        county_code = codes.prefix(code, codes.COUNTY).ljust(12, "0")
        counties.add(county_code)
        if region.is_village:
            villages[region.code] = region
        else:
            for v in villages_under(region):
                villages[v.code] = v
    if len(counties) > 1:
        problems.add("targets", "派往区划须在同一个县（市、区）内：请按县分别提交，由各县审查。")
    if counties and not villages and not problems.items:
        problems.add("targets", "所选区划下没有村（社区）。")
    county = region_find(next(iter(counties))) if len(counties) == 1 else None
    return county, sorted(villages.values(), key=lambda r: r.code)


def _validate(actor: Any, data: RequestData) -> tuple[Organisation, Region, list[Region], list[tuple[str, bytes, Any]]]:
    problems = Problems()
    data.title = check_text(problems, "title", data.title, "标题", TITLE_MAX)
    data.content = check_text(problems, "content", data.content, "工作内容", CONTENT_MAX)
    data.basis = check_text(problems, "basis", data.basis, "依据", FIELD_MAX, required=False)
    data.responsible_body = check_text(
        problems, "responsible_body", data.responsible_body, "责任主体", 200, required=False
    )
    data.evidence = check_text(problems, "evidence", data.evidence, "完成佐证方式", FIELD_MAX, required=False)
    data.provisions = check_text(
        problems, "provisions", data.provisions, "部门提供的工作条件", FIELD_MAX, required=False
    )
    data.meeting_reason = check_text(problems, "meeting_reason", data.meeting_reason, "开会理由", 2000, required=False)
    if data.type not in rules.TYPES:
        problems.add("type", "事项类型不在可选范围内。")
    if data.type == "meeting" and not data.meeting_reason:
        problems.add("meeting_reason", "会议须说明为什么不能以文件、电话通知等方式安排（（四））。")
    today = timezone.localdate()
    if data.deadline is None:
        problems.add("deadline", "请填写完成时限。")
    elif data.deadline < today:
        problems.add("deadline", f"完成时限 {data.deadline.isoformat()} 已经过去，请选择今天或以后的日期。")
    if data.period_start and data.period_end and data.period_end < data.period_start:
        problems.add("period_end", "结束日期不能早于起始日期。")
    if data.period_end and data.period_end < today:
        problems.add("period_end", "结束日期已经过去。")
    if data.deadline and data.period_start and data.deadline < data.period_start:
        problems.add("deadline", "完成时限不能早于起始日期。")
    files = []
    if len(data.attachments) > MAX_ATTACHMENTS:
        problems.add("attachments", f"附件最多 {MAX_ATTACHMENTS} 个。")
    else:
        for i, (name, blob) in enumerate(data.attachments):
            try:
                checked = check_upload(blob, name, allowed=ATTACHMENT_KINDS, max_bytes=settings.UPLOAD_MAX_BYTES)
            except UploadError as exc:
                problems.add(f"attachments.{i}", exc.message)
                continue
            files.append((name, blob, checked))
    department = _department_for(actor, data.department_id, problems)
    county, villages = _resolve_targets(actor, department, list(data.targets or []), problems)
    problems.raise_if_any()
    assert department is not None and county is not None
    return department, county, villages, files


def _save_attachments(actor: Any, request: WorkRequest, files: list[tuple[str, bytes, Any]]) -> None:
    for name, blob, checked in files:
        if checked.kind in ("jpeg", "png", "webp"):
            blob = clean_image(blob)  # strip EXIF/GPS before it is stored
        safe = re.sub(r"[^\w.\-\u4e00-\u9fff]", "_", name)[-120:] or f"附件.{checked.kind}"
        att = Attachment(
            request=request,
            version=request.version,
            filename=name[:200],
            kind=checked.kind,
            mime=checked.mime,
            size=len(blob),
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        att.file.save(safe, ContentFile(blob), save=False)
        att.save()


def _request_url(request: WorkRequest) -> str:
    return reverse("admission:request_detail", args=[request.pk])


def _notify_after_screening(request: WorkRequest) -> None:
    notification_close(subject=(REQUEST_SUBJECT, str(request.pk)))
    if request.status == RequestStatus.PENDING:
        notification_send(
            kind="admission.review",
            title=f"准入审查：{request.department.name}“{request.title}”",
            url=_request_url(request),
            role=Role.COUNTY_REVIEWER,
            region=request.county_id,
            subject=(REQUEST_SUBJECT, str(request.pk)),
        )


def request_file(*, actor: Any, data: RequestData) -> WorkRequest:
    """A department files a request; it is screened at once and, unless rejected on the spot,
    waits for the county's review （二）."""
    department, county, villages, files = _validate(actor, data)
    data.department_id = department.pk  # the form plan is the department's own (（四）)
    screening = screening_for(data.screen_input(), county)
    status = rules.status_after_screening(screening)
    with transaction.atomic():
        request = WorkRequest.objects.create(
            department=department,
            county=county,
            filed_by=actor,
            title=data.title,
            content=data.content,
            basis=data.basis,
            type=data.type,
            targets=[str(t).strip() for t in data.targets],
            village_count=len(villages),
            period_start=data.period_start,
            period_end=data.period_end,
            deadline=data.deadline,
            pledge=data.pledge,
            responsible_body=data.responsible_body,
            evidence=data.evidence,
            provisions=data.provisions,
            meeting_reason=data.meeting_reason,
            status=status,
            outcome=screening.outcome,
            screening=screening.as_record(),
        )
        RequestVersion.objects.create(
            request=request,
            number=1,
            snapshot=data.snapshot(),
            screening=screening.as_record(),
            outcome=screening.outcome,
            created_by=actor,
        )
        _save_attachments(actor, request, files)
        audit_record(
            actor=actor,
            action="admission.request.file",
            obj=request,
            region_code=county.code,
            after={
                "title": request.title,
                "status": status,
                "outcome": screening.outcome,
                "violations": sorted(screening.rules()),
                "villages": len(villages),
            },
        )
        _notify_after_screening(request)
    return request


def request_revise(*, actor: Any, request: WorkRequest, data: RequestData, note: str = "") -> WorkRequest:
    """A returned (or screen-rejected) request is revised and submitted again as a new version."""
    scope_for(actor).require(Perm.ADMISSION_FILE, request.county_id, request.department_id, view=Perm.ADMISSION_VIEW)
    if not rules.can_transition(request.status, RequestStatus.PENDING):
        raise Conflict("只有退回修改或筛查未通过的申请可以修改后重新提交。", "not_revisable")
    data.department_id = request.department_id
    _department, county, villages, files = _validate(actor, data)
    if county.code != request.county_id:
        raise Invalid.field("targets", "修改后的派往区划须仍在原审查县内；派往其他县请新提交申请。")
    screening = screening_for(data.screen_input(), county)
    status = rules.status_after_screening(screening)
    old_status, number = request.status, request.version + 1
    with transaction.atomic():
        changed = WorkRequest.objects.filter(pk=request.pk, status=old_status, version=request.version).update(
            title=data.title,
            content=data.content,
            basis=data.basis,
            type=data.type,
            targets=[str(t).strip() for t in data.targets],
            village_count=len(villages),
            period_start=data.period_start,
            period_end=data.period_end,
            deadline=data.deadline,
            pledge=data.pledge,
            responsible_body=data.responsible_body,
            evidence=data.evidence,
            provisions=data.provisions,
            meeting_reason=data.meeting_reason,
            status=status,
            version=number,
            outcome=screening.outcome,
            screening=screening.as_record(),
            submitted_at=timezone.now(),
        )
        if not changed:
            raise Conflict("该申请刚被修改过，请刷新后再试。", "stale")
        request.refresh_from_db()
        RequestVersion.objects.create(
            request=request,
            number=number,
            snapshot=data.snapshot(),
            screening=screening.as_record(),
            outcome=screening.outcome,
            note=note.strip()[:500],
            created_by=actor,
        )
        _save_attachments(actor, request, files)
        audit_record(
            actor=actor,
            action="admission.request.revise",
            obj=request,
            region_code=county.code,
            before={"status": old_status, "version": number - 1},
            after={"status": status, "version": number, "outcome": screening.outcome},
            note=note[:200],
        )
        _notify_after_screening(request)
    return request


def request_withdraw(*, actor: Any, request: WorkRequest) -> WorkRequest:
    scope_for(actor).require(Perm.ADMISSION_FILE, request.county_id, request.department_id, view=Perm.ADMISSION_VIEW)
    with transaction.atomic():
        changed = WorkRequest.objects.filter(
            pk=request.pk, status__in=sources(rules.TRANSITIONS, RequestStatus.WITHDRAWN)
        ).update(status=RequestStatus.WITHDRAWN)
        if not changed:
            raise Conflict("该申请已有审查决定，不能撤回。", "already_decided")
        audit_record(
            actor=actor,
            action="admission.request.withdraw",
            obj=request,
            region_code=request.county_id,
            before={"status": request.status},
            after={"status": RequestStatus.WITHDRAWN},
        )
        notification_close(subject=(REQUEST_SUBJECT, str(request.pk)))
    request.refresh_from_db()
    return request


def _target_villages(request: WorkRequest) -> list[Region]:
    villages: dict[str, Region] = {}
    for region in regions_by_code(request.targets).values():
        if region.is_village:
            villages[region.code] = region
        else:
            for v in villages_under(region):
                villages[v.code] = v
    return sorted(villages.values(), key=lambda r: r.code)


def request_decide(
    *,
    actor: Any,
    request: WorkRequest,
    outcome: str,
    reasons: str = "",
    clauses: list[str] | None = None,
    triage: str = "",
    deployment: str = "",
    service_channel: str = "",
) -> Decision:
    """The county decides once per version: approve (统一部署 + triage （三）, which creates the
    assignments), return for revision, or reject citing clauses. A second decision is a 409."""
    scope_for(actor).require(Perm.ADMISSION_REVIEW, request.county_id, request.department_id, view=Perm.ADMISSION_VIEW)
    problems = Problems()
    reasons = (reasons or "").strip()
    deployment = (deployment or "").strip()
    clauses = [c.strip() for c in (clauses or []) if c and c.strip()]
    # （十七）: work the village will not do needs a channel citizens are told about.
    service_channel = check_text(problems, "service_channel", service_channel, "群众办事渠道", 300, required=False)
    if outcome not in DecisionOutcome.values:
        problems.add("outcome", "请选择准入、退回修改或不予准入。")
    if len(reasons) > 2000:
        problems.add("reasons", "理由过长，最多 2000 字。")
    if outcome == DecisionOutcome.APPROVE:
        if triage not in rules.TRIAGE:
            problems.add("triage", "请选择分流类别（（三））。")
        if rules.channel_required(triage) and not service_channel:
            problems.add(
                "service_channel",
                "分流到乡镇或政府购买服务的事项，村里不再承担，请写明群众今后到哪里办理（（三）（十七））。",
            )
        if not deployment:
            problems.add("deployment", "请填写统一部署的文号或说明（（二）：经县委县政府审查后统一部署）。")
        elif len(deployment) > 200:
            problems.add("deployment", "统一部署说明过长，最多 200 字。")
    if outcome in (DecisionOutcome.RETURN, DecisionOutcome.REJECT) and not reasons:
        problems.add("reasons", "请写明理由。")
    found = [v.get("rule", "") for v in request.screening.get("violations", [])]
    if outcome == DecisionOutcome.APPROVE and rules.decision_overrides(found, outcome) and not reasons:
        problems.add("reasons", "筛查发现了问题，仍要准入的，请写明理由（记入筛查改判，用于改进筛查规则）。")
    if outcome == DecisionOutcome.REJECT:
        if not clauses:
            clauses = sorted({v["clause"] for v in request.screening.get("violations", [])}) or []
        if not clauses:
            problems.add("clauses", "不予准入须引用所依据的条款，如（二）。")
        bad = [
            c
            for c in clauses
            if not all(part in CLAUSES for part in re.findall(r"（[一二三四五六七八九十]+）", c))
            or not re.fullmatch(r"(?:（[一二三四五六七八九十]+）)+", c)
        ]
        if bad:
            problems.add("clauses", f"条款写法有误：{'、'.join(bad)}，应为（一）至（十七）。")
    problems.raise_if_any()
    new_status = {
        DecisionOutcome.APPROVE: RequestStatus.APPROVED,
        DecisionOutcome.RETURN: RequestStatus.RETURNED,
        DecisionOutcome.REJECT: RequestStatus.REJECTED,
    }[DecisionOutcome(outcome)]
    now = timezone.now()
    try:
        with transaction.atomic():
            changed = WorkRequest.objects.filter(
                pk=request.pk, status__in=sources(rules.TRANSITIONS, new_status), version=request.version
            ).update(
                status=new_status,
                decided_at=now,
                triage=triage if outcome == DecisionOutcome.APPROVE else "",
                deployment=deployment if outcome == DecisionOutcome.APPROVE else "",
                service_channel=service_channel,
            )
            if not changed:
                raise Conflict("该申请已有审查决定（或已被修改、撤回），不能再次决定。", "already_decided")
            decision = Decision.objects.create(
                request=request,
                version=request.version,
                outcome=outcome,
                reasons=reasons,
                clauses=clauses if outcome == DecisionOutcome.REJECT else [],
                triage=triage if outcome == DecisionOutcome.APPROVE else "",
                deployment=deployment if outcome == DecisionOutcome.APPROVE else "",
                service_channel=service_channel,
                decided_by=actor,
                decided_at=now,
            )
            request.refresh_from_db()
            # （三）: work routed to the township or to purchased services is not assigned to villages.
            approved = outcome == DecisionOutcome.APPROVE
            villages = _target_villages(request) if approved and rules.creates_assignments(triage) else []
            if villages:
                body = request.responsible_body or request.department.name
                Assignment.objects.bulk_create(
                    [
                        Assignment(
                            request=request,
                            village=v,
                            township_id=cast(str, v.parent_id),  # a village always has its township
                            deadline=request.deadline,
                            responsible_body=body[:200],
                            created_at=now,
                            updated_at=now,
                        )
                        for v in villages
                    ]
                )
            audit_record(
                actor=actor,
                action=f"admission.request.{outcome}",
                obj=request,
                region_code=request.county_id,
                before={"status": RequestStatus.PENDING},
                after={"status": new_status, "triage": triage, "clauses": clauses, "assignments": len(villages)},
                note=reasons[:200],
            )
            notification_close(subject=(REQUEST_SUBJECT, str(request.pk)))
            words = {
                DecisionOutcome.APPROVE: "已准入",
                DecisionOutcome.RETURN: "被退回修改",
                DecisionOutcome.REJECT: "不予准入",
            }
            notification_send(
                kind=f"admission.{outcome}",
                title=f"您的申请“{request.title}”{words[DecisionOutcome(outcome)]}",
                url=_request_url(request),
                user=request.filed_by,
                subject=(REQUEST_SUBJECT, str(request.pk)) if outcome == DecisionOutcome.RETURN else None,
            )
            if villages:
                _notify_villages(request)
            if approved:
                _route_away(request, triage, service_channel, now)
            if approved or outcome == DecisionOutcome.REJECT:
                _note_rule_miss(actor, request, outcome, reasons, now)
    except IntegrityError as exc:
        raise Conflict("该申请已有审查决定，不能再次决定。", "already_decided") from exc
    return decision


def _route_away(request: WorkRequest, triage: str, service_channel: str, now: Any) -> list[RoutedWork]:
    """（三）（十七）: work routed to the township becomes a task of each township whose villages it
    targeted; work routed to purchased services a purchase record of the county. Never an
    assignment of a village."""
    if triage not in rules.ROUTED_TRIAGE:
        return []
    if triage == "township":
        codes_ = sorted({cast(str, v.parent_id) for v in _target_villages(request)})
    else:
        codes_ = [request.county_id]
    rows = RoutedWork.objects.bulk_create(
        [
            RoutedWork(
                request=request,
                route=triage,
                region_id=code,
                service_channel=service_channel,
                created_at=now,
                updated_at=now,
            )
            for code in codes_
        ]
    )
    for row in rows:
        notification_send(
            kind="admission.routed",
            title=f"县级分流到{'乡镇统筹' if triage == 'township' else '政府购买服务'}：{request.title}",
            url=reverse("admission:routed"),
            role=Role.TOWNSHIP_OFFICER if triage == "township" else Role.COUNTY_REVIEWER,
            region=row.region_id,
            subject=(REQUEST_SUBJECT + ".routed", f"{request.pk}:{row.region_id}"),
        )
    return rows


def _note_rule_miss(actor: Any, request: WorkRequest, outcome: str, reasons: str, now: Any) -> None:
    """A decision that contradicts the screening is kept, with the reviewer's reason, for the
    queue of rule misses."""
    found = [v.get("rule", "") for v in request.screening.get("violations", [])]
    if not rules.decision_overrides(found, outcome):
        return
    excerpt = mask_text(f"{request.title}：{request.content}")[:500]
    RuleMiss.objects.create(
        request=request,
        version=request.version,
        county_id=request.county_id,
        screened=request.outcome,
        rules_found=found,
        decided=outcome,
        reason=reasons,
        excerpt=excerpt,
        decided_by=actor,
        created_at=now,
    )


ROUTE_FLOW = {
    RouteStatus.OPEN: {RouteStatus.IN_PROGRESS, RouteStatus.DONE},
    RouteStatus.IN_PROGRESS: {RouteStatus.IN_PROGRESS, RouteStatus.DONE},
    RouteStatus.DONE: set(),
}


def routed_update(*, actor: Any, routed: RoutedWork, status: str, note: str = "", provider: str = "") -> RoutedWork:
    """The township (or, for purchased services, the county) reports on work routed to it."""
    scope_for(actor).require(Perm.ADMISSION_HANDLE, routed.region_id, view=Perm.ADMISSION_VIEW)
    problems = Problems()
    note = check_text(problems, "note", note, "进展说明", 500)
    provider = check_text(problems, "provider", provider, "承接主体", 200, required=False)
    if status not in ROUTE_FLOW.get(RouteStatus(routed.status), set()):
        problems.add("status", "该事项已办结，或状态不在可选范围内。")
    problems.raise_if_any()
    with transaction.atomic():
        changed = RoutedWork.objects.filter(pk=routed.pk, status=routed.status).update(
            status=status, note=note, provider=provider or routed.provider, updated_at=timezone.now()
        )
        if not changed:
            raise Conflict("该事项刚被更新过，请刷新后再试。", "stale")
        audit_record(
            actor=actor,
            action="admission.routed.update",
            obj=routed,
            region_code=routed.region_id,
            before={"status": routed.status},
            after={"status": status, "provider": provider},
            note=note[:200],
        )
    routed.refresh_from_db()
    return routed


def rule_miss_review(*, actor: Any, miss: RuleMiss) -> RuleMiss:
    """A province admin marks a rule miss as reviewed (the rules were checked against it)."""
    scope_for(actor).require(Perm.CATALOG_APPROVE, codes.prefix(miss.county_id, codes.PROVINCE).ljust(12, "0"))
    with transaction.atomic():
        if not RuleMiss.objects.filter(pk=miss.pk, reviewed=False).update(reviewed=True):
            raise Conflict("该条已复核。", "already_decided")
        audit_record(actor=actor, action="admission.rule_miss.review", obj=miss, region_code=miss.county_id)
    miss.refresh_from_db()
    return miss


# --- registries of approvals （二）（五）（六） ----------------------------------------------------

APPROVAL_SUBJECT = "admission.approval"


def approval_register(
    *, actor: Any, region: Region, kind: str, number: str, title: str, issued_on: date | None, scope: str
) -> Approval:
    """Record an approval with its document number: pledges （二） and mechanisms （六） by the
    province, the county's evaluation （五） by the county. One unrevoked record per number."""
    problems = Problems()
    level = rules.APPROVAL_LEVELS.get(kind)
    if level is None:
        problems.add("kind", "类别不在可选范围内。")
    elif region.level != level:
        problems.add("kind", "责任状和村级工作机制的批准由省级登记，统一考评由县级登记。")
    number = check_text(problems, "number", number, "文号", 100)
    title = check_text(problems, "title", title, "文件标题", 200)
    scope = check_text(problems, "scope", scope, "适用范围", 300)
    key = screening.normalise_document(number) if number else ""
    if number and not screening.cited_documents(number):
        problems.add("number", "文号写法不对，应如“云发〔2027〕3号”（机关代字、〔年份〕、序号）。")
    if issued_on is None:
        problems.add("issued_on", "请填写印发日期。")
    elif issued_on > timezone.localdate():
        problems.add("issued_on", "印发日期不能晚于今天。")
    problems.raise_if_any()
    assert issued_on is not None  # reported above when missing
    scope_for(actor).require(rules_perm(kind), region.code)
    if Approval.objects.filter(kind=kind, region=region, number_key=key, revoked_at__isnull=True).exists():
        raise Invalid.field("number", f"文号 {key} 已经登记过。")
    try:
        with transaction.atomic():
            approval = Approval.objects.create(
                kind=kind,
                region=region,
                number=number,
                number_key=key,
                title=title,
                issued_on=issued_on,
                scope=scope,
                registered_by=actor,
            )
            audit_record(
                actor=actor,
                action="admission.approval.register",
                obj=approval,
                region_code=region.code,
                after={"kind": kind, "number": key, "title": title, "issued_on": str(issued_on)},
            )
    except IntegrityError as exc:
        raise Invalid.field("number", f"文号 {key} 已经登记过。") from exc
    clear_registry_cache()
    transaction.on_commit(clear_registry_cache)
    return approval


def rules_perm(kind: str) -> Perm:
    """Who records an approval of this kind: the province's approvers, or the county's evaluators."""
    return Perm.EVALUATION_MANAGE if rules.APPROVAL_LEVELS.get(kind) == codes.COUNTY else Perm.SIGN_APPROVE


def approval_revoke(*, actor: Any, approval: Approval, reason: str) -> Approval:
    """Revoke a recorded approval (wrongly entered or withdrawn); requests citing it lose the exemption."""
    scope_for(actor).require(rules_perm(approval.kind), approval.region_id, view=Perm.ADMISSION_VIEW)
    problems = Problems()
    reason = check_text(problems, "reason", reason, "撤销理由", 300)
    problems.raise_if_any()
    with transaction.atomic():
        now = timezone.now()
        if not Approval.objects.filter(pk=approval.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=actor, revoke_reason=reason
        ):
            raise Conflict("该登记已撤销。", "already_decided")
        audit_record(
            actor=actor,
            action="admission.approval.revoke",
            obj=approval,
            region_code=approval.region_id,
            before={"number": approval.number_key},
            after={"revoked": True},
            note=reason[:200],
        )
    clear_registry_cache()
    transaction.on_commit(clear_registry_cache)
    approval.refresh_from_db()
    return approval


def _notify_villages(request: WorkRequest) -> None:
    url = reverse("admission:village")
    townships: set[str] = set()
    for a in request.assignments.select_related("village"):
        notification_send(
            kind="admission.assignment",
            title=f"新派工作：{request.title}（{request.department.name}）",
            url=url,
            role=Role.VILLAGE_CLERK,
            region=a.village_id,
            subject=(ASSIGNMENT_SUBJECT, str(a.pk)),
        )
        townships.add(a.township_id)
    for code in sorted(townships):
        notification_send(
            kind="admission.township",
            title=f"县级统一部署：{request.title}，请督促所辖村办理",
            url=reverse("admission:ledger") + f"?region={code}",
            role=Role.TOWNSHIP_OFFICER,
            region=code,
            subject=(REQUEST_SUBJECT + ".township", f"{request.pk}:{code}"),
        )


ACTIONS = {
    "acknowledge": AssignmentStatus.ACKNOWLEDGED,
    "progress": AssignmentStatus.IN_PROGRESS,
    "complete": AssignmentStatus.DONE,
}


def assignment_act(
    *, actor: Any, assignment: Assignment, action: str, progress: int | None = None, note: str = ""
) -> Assignment:
    """A village acknowledges, reports progress on or completes work assigned to it."""
    scope_for(actor).require(
        Perm.ADMISSION_RECEIVE, assignment.village_id, assignment.request.department_id, view=Perm.ADMISSION_VIEW
    )
    problems = Problems()
    note = (note or "").strip()
    if action not in ACTIONS:
        problems.add("action", "操作不在可选范围内（签收、报告进展、办结）。")
    if len(note) > 500:
        problems.add("note", "说明过长，最多 500 字。")
    if action == "progress":
        if progress is None or not 0 <= progress <= 99:
            problems.add("progress", "进度应为 0 到 99 之间的整数（办结请点“办结”）。")
        if not note:
            problems.add("note", "请简要说明进展。")
    problems.raise_if_any()
    new = ACTIONS[action]
    now = timezone.now()
    allowed = [s for s in AssignmentStatus.values if rules.can_progress(s, new)]
    updates: dict[str, Any] = {"status": new, "updated_at": now}
    if action == "acknowledge":
        updates["acknowledged_at"] = now
    elif action == "progress":
        updates["progress"] = progress
        updates["progress_note"] = note
    else:
        updates.update(progress=100, completed_at=now, progress_note=note or "已办结")
    with transaction.atomic():
        changed = Assignment.objects.filter(pk=assignment.pk, status__in=allowed).update(**updates)
        if not changed:
            words = {
                "acknowledge": "该事项已签收",
                "progress": "该事项已办结，不能再报告进展",
                "complete": "该事项已办结",
            }
            raise Conflict(f"{words[action]}。", "already_done" if action != "acknowledge" else "already_acknowledged")
        if action == "acknowledge" or not assignment.acknowledged_at:
            Assignment.objects.filter(pk=assignment.pk, acknowledged_at__isnull=True).update(acknowledged_at=now)
        AssignmentEvent.objects.create(
            assignment=assignment,
            kind=action,
            progress=updates.get("progress", assignment.progress),
            note=note,
            actor=actor,
            at=now,
        )
        audit_record(
            actor=actor,
            action=f"admission.assignment.{action}",
            obj=assignment,
            region_code=assignment.village_id,
            before={"status": assignment.status, "progress": assignment.progress},
            after={"status": new, "progress": updates.get("progress", assignment.progress)},
        )
        notification_close(subject=(ASSIGNMENT_SUBJECT, str(assignment.pk)))
        if action == "complete":
            request = assignment.request
            if not request.assignments.exclude(status=AssignmentStatus.DONE).exists():
                notification_send(
                    kind="admission.done",
                    title=f"“{request.title}”所涉 {request.village_count} 个村（社区）均已办结",
                    url=_request_url(request),
                    user=request.filed_by,
                )
    assignment.refresh_from_db()
    return assignment


# --- off-list work （二）（十六） ----------------------------------------------------------------------


def offlist_report(
    *,
    actor: Any,
    village: Region,
    department: Organisation | None,
    department_name: str,
    what: str,
    channel: str,
    received_on: date | None,
) -> OffListReport:
    """A village reports work that reached it outside the system; the county's queue gets it."""
    scope_for(actor).require(Perm.ADMISSION_REPORT, village.code, view=Perm.ADMISSION_VIEW)
    problems = Problems()
    county_code = codes.prefix(village.code, codes.COUNTY).ljust(12, "0")
    if department is not None and (department.region_id != county_code or department.kind != "department"):
        problems.add("department", "请选择本县的党政群机构。")
    name = department.name if department else (department_name or "").strip()
    if not name:
        problems.add("department", "请选择或填写派出部门。")
    elif len(name) > 128:
        problems.add("department_name", "部门名称过长。")
    what = check_text(problems, "what", what, "交办内容", 2000)
    if channel not in rules.CHANNELS:
        problems.add("channel", "请选择交办渠道（电话、工作群、会议等）。")
    if received_on is None:
        problems.add("received_on", "请填写收到日期。")
    elif received_on > timezone.localdate():
        problems.add("received_on", "收到日期不能晚于今天。")
    problems.raise_if_any()
    assert received_on is not None  # checked above
    with transaction.atomic():
        report = OffListReport.objects.create(
            village=village,
            county_id=county_code,
            department=department,
            department_name=name,
            what=what,
            channel=channel,
            received_on=received_on,
            reported_by=actor,
        )
        audit_record(
            actor=actor,
            action="admission.offlist.report",
            obj=report,
            region_code=village.code,
            after={"department": name, "channel": channel},
        )
        notification_send(
            kind="admission.offlist",
            title=f"清单外摊派反映：{village.name}反映{name}",
            url=reverse("admission:offlist_detail", args=[report.pk]),
            role=Role.COUNTY_REVIEWER,
            region=county_code,
            subject=(OFFLIST_SUBJECT, str(report.pk)),
        )
    return report


def offlist_handle(*, actor: Any, report: OffListReport, status: str, note: str) -> OffListReport:
    """The county records what it found: confirmed (and corrected) or dismissed."""
    scope_for(actor).require(Perm.COMPLAINT_HANDLE, report.county_id, view=Perm.ADMISSION_VIEW)
    problems = Problems()
    if not sources(rules.OFFLIST_TRANSITIONS, status):
        problems.add("status", "请选择核处结论。")
    note = check_text(problems, "note", note, "核处意见", 2000)
    problems.raise_if_any()
    with transaction.atomic():
        changed = OffListReport.objects.filter(
            pk=report.pk, status__in=sources(rules.OFFLIST_TRANSITIONS, status)
        ).update(status=status, handling_note=note, handled_by=actor, handled_at=timezone.now())
        if not changed:
            raise Conflict("该反映已经核处。", "already_handled")
        audit_record(
            actor=actor,
            action="admission.offlist.handle",
            obj=report,
            region_code=report.village_id,
            before={"status": OffListStatus.OPEN},
            after={"status": status},
        )
        notification_close(subject=(OFFLIST_SUBJECT, str(report.pk)))
        notification_send(
            kind="admission.offlist_done",
            title=f"您反映的清单外摊派已核处：{OffListStatus(status).label}",
            url=reverse("admission:offlist_detail", args=[report.pk]),
            user=report.reported_by,
        )
    report.refresh_from_db()
    return report


# --- the one evaluation （五） ---------------------------------------------------------------------


def _county_of(actor: Any, perm: Perm, county: Region) -> None:
    if county.level != codes.COUNTY:
        raise Invalid.field("county", "统一考评和清理工作以县（市、区）为单位。")
    scope_for(actor).require(perm, county.code, view=Perm.ADMISSION_VIEW)


def evaluation_create(*, actor: Any, county: Region, year: int, title: str) -> Evaluation:
    """The county's single evaluation of its villages for a year; a second one is a 409."""
    _county_of(actor, Perm.EVALUATION_MANAGE, county)
    problems = Problems()
    title = check_text(problems, "title", title, "名称", 200)
    if not 2000 <= int(year) <= 2100:
        problems.add("year", "年度不正确。")
    problems.raise_if_any()
    try:
        with transaction.atomic():
            ev = Evaluation.objects.create(county=county, year=year, title=title, created_by=actor)
            audit_record(
                actor=actor, action="admission.evaluation.create", obj=ev, region_code=county.code, after={"year": year}
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{county.name}{year} 年度已有统一考评：一年只搞一次考评（（五））。", "evaluation_exists"
        ) from exc
    return ev


def indicator_add(
    *, actor: Any, evaluation: Evaluation, name: str, description: str, weight: Any, evidence: list[str]
) -> Indicator:
    _county_of(actor, Perm.EVALUATION_MANAGE, evaluation.county)
    if evaluation.published_at:
        raise Conflict("考评已发布，不能再增加指标。", "evaluation_published")
    problems = Problems()
    name = check_text(problems, "name", name, "指标名称", 200)
    description = check_text(problems, "description", description, "评价内容", 500, required=False)
    try:
        w = Decimal(str(weight))
        if not (0 < w <= 100):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.add("weight", "权重应为大于 0、不超过 100 的数。")
        w = Decimal(0)
    msg = rules.check_indicator_evidence(evidence)
    if msg:
        problems.add("evidence", msg)
    problems.raise_if_any()
    with transaction.atomic():
        ind = Indicator.objects.create(
            evaluation=evaluation,
            name=name,
            description=description,
            weight=w,
            evidence=sorted(set(evidence)),
            order=evaluation.indicators.count() + 1,
        )
        audit_record(
            actor=actor,
            action="admission.indicator.add",
            obj=ind,
            region_code=evaluation.county_id,
            after={"name": name, "weight": str(w), "evidence": sorted(set(evidence))},
        )
    return ind


def evaluation_publish(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    _county_of(actor, Perm.EVALUATION_MANAGE, evaluation.county)
    weights = [float(i.weight) for i in evaluation.indicators.all()]
    if not weights:
        raise Invalid.field("indicators", "请先设置考评指标。")
    msg = rules.check_weights(weights)
    if msg:
        raise Invalid.field("indicators", msg)
    with transaction.atomic():
        changed = Evaluation.objects.filter(pk=evaluation.pk, published_at__isnull=True).update(
            published_at=timezone.now()
        )
        if not changed:
            raise Conflict("考评已经发布。", "evaluation_published")
        audit_record(
            actor=actor, action="admission.evaluation.publish", obj=evaluation, region_code=evaluation.county_id
        )
    evaluation.refresh_from_db()
    return evaluation


def score_record(*, actor: Any, evaluation: Evaluation, village: Region, scores: dict[int, Any], note: str = "") -> int:
    """Record a village's scores (0–100 per indicator) in the published evaluation."""
    _county_of(actor, Perm.EVALUATION_MANAGE, evaluation.county)
    if not evaluation.published_at:
        raise Conflict("考评尚未发布，发布后再评分。", "evaluation_draft")
    if not village.is_village or not evaluation.county.contains(village.code):
        raise Invalid.field("village", "请选择本县的村（社区）。")
    indicators = {i.pk: i for i in evaluation.indicators.all()}
    problems = Problems()
    clean: dict[int, Decimal] = {}
    for key, raw in scores.items():
        if raw in (None, ""):
            continue
        if int(key) not in indicators:
            problems.add(f"scores.{key}", "没有这个指标。")
            continue
        try:
            value = Decimal(str(raw))
            if not (0 <= value <= 100):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            problems.add(f"scores.{key}", "得分应为 0 到 100 之间的数。")
            continue
        clean[int(key)] = value
    if not clean and not problems.items:
        problems.add("scores", "请至少填写一项得分。")
    note = check_text(problems, "note", note, "评分说明", 500, required=False)
    problems.raise_if_any()
    with transaction.atomic():
        for ind_id, value in clean.items():
            Score.objects.update_or_create(
                indicator_id=ind_id,
                village=village,
                defaults={"score": value, "note": note, "recorded_by": actor, "recorded_at": timezone.now()},
            )
        audit_record(
            actor=actor,
            action="admission.score.record",
            obj=evaluation,
            region_code=village.code,
            after={str(k): str(v) for k, v in clean.items()},
        )
    return len(clean)


# --- chat groups and apps （五） -------------------------------------------------------------------


def channel_register(
    *, actor: Any, county: Region, kind: str, name: str, owner: Organisation | None, purpose: str, villages: list[str]
) -> Channel:
    _county_of(actor, Perm.GROUP_MANAGE, county)
    problems = Problems()
    if kind not in rules.CHANNEL_KINDS:
        problems.add("kind", "请选择类别（微信群、QQ群、APP）。")
    name = check_text(problems, "name", name, "名称", 128)
    purpose = check_text(problems, "purpose", purpose, "用途", 300)
    if owner is None or owner.region_id != county.code:
        problems.add("owner", "请选择本县的主管部门。")
    codes_ = sorted({str(v).strip() for v in villages if str(v).strip()})
    known = {c for c, r in regions_by_code(codes_).items() if r.is_village and county.contains(c)}
    if not codes_:
        problems.add("villages", "请选择涉及的村（社区）。")
    for i, c in enumerate(codes_):
        if c not in known:
            problems.add(f"villages.{i}", f"{c} 不是本县的村（社区）。")
    problems.raise_if_any()
    assert owner is not None  # checked above
    with transaction.atomic():
        ch = Channel.objects.create(
            county=county, kind=kind, name=name, owner=owner, purpose=purpose, villages=codes_, registered_by=actor
        )
        audit_record(
            actor=actor,
            action="admission.channel.register",
            obj=ch,
            region_code=county.code,
            after={"kind": kind, "name": name, "villages": len(codes_)},
        )
    return ch


def channel_decide(
    *,
    actor: Any,
    channel: Channel,
    decision: str,
    merged_into: Channel | None = None,
    note: str = "",
    decided_on: date | None = None,
) -> Channel:
    """Clean-up decision on one entry: keep, merge into another, or close （五）."""
    _county_of(actor, Perm.GROUP_MANAGE, channel.county)
    problems = Problems()
    if decision not in rules.CLEANUP:
        problems.add("decision", "请选择保留、合并或关停。")
    if decision == "merge":
        if merged_into is None or merged_into.pk == channel.pk or merged_into.county_id != channel.county_id:
            problems.add("merged_into", "请选择本县另一个要并入的群或应用。")
        elif merged_into.decision in ("merge", "close"):
            problems.add("merged_into", "不能并入已合并或关停的群或应用。")
    note = check_text(problems, "note", note, "说明", 300, required=decision in ("merge", "close"))
    problems.raise_if_any()
    with transaction.atomic():
        changed = Channel.objects.filter(pk=channel.pk, decision__in=["", "keep"]).update(
            decision=decision,
            merged_into=merged_into if decision == "merge" else None,
            decision_note=note,
            decided_on=decided_on or timezone.localdate(),
            decided_by=actor,
        )
        if not changed:
            raise Conflict("该群或应用已合并或关停。", "already_decided")
        audit_record(
            actor=actor,
            action="admission.channel.decide",
            obj=channel,
            region_code=channel.county_id,
            before={"decision": channel.decision},
            after={"decision": decision, "merged_into": merged_into.pk if merged_into else None},
        )
    channel.refresh_from_db()
    return channel


def region_or_422(code: str, field_name: str) -> Region:
    """A region by code, or a field error (422) for bodies that name one."""
    try:
        return region_get(str(code or "").strip())
    except (Invalid, NotFound) as exc:
        raise Invalid.field(field_name, exc.detail) from exc


# --- departments' responsibilities toward villages （一） --------------------------------------------

REMIT_TEXT_LIMIT = 2000


def remit_save(
    *,
    actor: Any,
    county: Region,
    department: Organisation,
    responsibilities: str,
    own_work: str,
    village_work: str = "",
    items: list[str] | None = None,
) -> DepartmentRemit:
    """The county sets a department's rural-revitalisation responsibilities and 履职方式 （一）.

    What the department does itself, what it asks villages to assist with and through which duty or
    assist items in force in the county. Published once saved; every change is audited.
    """
    if county.level != codes.COUNTY:
        raise Invalid.field("county", "部门职责和履职方式由县（市、区）确定。")
    scope_for(actor).require(Perm.REGION_MANAGE, county.code, view=Perm.ADMISSION_VIEW)
    problems = Problems()
    if department.kind != "department" or not county.contains(department.region_id):
        problems.add("department", f"“{department.name}”不是{county.name}的党政群机构。")
    responsibilities = check_text(problems, "responsibilities", responsibilities, "乡村振兴职责范围", REMIT_TEXT_LIMIT)
    own_work = check_text(problems, "own_work", own_work, "本部门自行承担的工作", REMIT_TEXT_LIMIT)
    village_work = check_text(
        problems, "village_work", village_work, "请村（社区）协助的工作", REMIT_TEXT_LIMIT, required=False
    )
    codes_given = list(dict.fromkeys(c.strip() for c in items or () if c and c.strip()))
    known = remit_item_names(county)
    unknown = [c for c in codes_given if c not in known]
    if unknown:
        problems.add(
            "items",
            f"目录事项 {'、'.join(unknown)} 不在{county.name}施行的履职事项、协助服务事项目录中，请核对编码。",
        )
    elif village_work and not codes_given:
        problems.add("items", "请选择请村协助所依的目录事项：请村协助的工作应通过目录中的事项安排（一）（二）。")
    elif codes_given and not village_work:
        problems.add("village_work", "选择了目录事项，请写明请村（社区）协助做什么。")
    problems.raise_if_any()
    after = {
        "responsibilities": responsibilities,
        "own_work": own_work,
        "village_work": village_work,
        "items": codes_given,
    }
    with transaction.atomic():
        remit = DepartmentRemit.objects.select_for_update().filter(county=county, department=department).first()
        before = None
        if remit is None:
            remit = DepartmentRemit(county=county, department=department)
        else:
            before = {k: getattr(remit, k) for k in after}
        for key, value in after.items():
            setattr(remit, key, value)
        remit.updated_by = actor
        remit.updated_at = timezone.now()
        remit.save()
        audit_record(
            actor=actor,
            action="admission.remit.save",
            obj=remit,
            region_code=county.code,
            before=before,
            after={"department": department.name, **after},
        )
    return remit
