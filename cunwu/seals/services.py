"""Every write about seals: registry, filing, status, requests, approval, stamping, handover.

Each service checks scope and permission, decides through `rules`, writes in one transaction with
its audit row, and moves states by conditional updates (0 rows changed → Conflict).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.permissions import Perm, Role
from cunwu.accounts.scope import scope_for
from cunwu.accounts.services import notification_close, notification_send
from cunwu.audit.services import audit_record
from cunwu.certificates.services import certificate_link_seal_use
from cunwu.documents import UploadError, check_upload, clean_image
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from cunwu.ledger import rules as ledger_rules
from cunwu.ledger.services import chain_append
from cunwu.regions.choices import VILLAGE_ORG_KINDS
from cunwu.regions.codes import VILLAGE_LEVELS
from cunwu.regions.selectors import region_parent_code
from cunwu.transitions import sources

from . import rules
from .choices import MAJOR_CATEGORIES, Category, EventKind, HandoverStatus, RequestStatus, SealKind, SealStatus
from .models import (
    Seal,
    SealApprover,
    SealDocument,
    SealEvent,
    SealHandover,
    SealHandoverItem,
    SealRefusal,
    SealRequest,
    SealResolution,
    SealUse,
)
from .payloads import CHAIN_KIND_HANDOVER, CHAIN_KIND_USE, display_name, people_snapshot, use_payload

if TYPE_CHECKING:
    from cunwu.regions.models import Organisation, Region

ALLOWED_UPLOADS = {"pdf", "jpeg", "png"}
OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.APPROVED)
# A device's clock may run a little ahead of the server's.
_CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class Upload:
    """An uploaded file as received: its bytes and the name the uploader gave it."""

    data: bytes
    filename: str


@dataclass(frozen=True)
class ResolutionIn:
    """A meeting resolution as typed, with its scanned file."""

    upload: Upload
    meeting: rules.Meeting


# --- helpers ---------------------------------------------------------------------------------


def _invalid(findings: Sequence[rules.Finding], detail: str | None = None) -> Invalid:
    return Invalid(
        detail or findings[0].message,
        [FieldError(f.field, f.message) for f in findings],
        code=findings[0].rule,
    )


def _holds_role(user: Any, role: str, code: str) -> bool:
    return any(g.role == role and g.region_code == code for g in scope_for(user).grants)


def is_principal(user: Any, code: str) -> bool:
    """The village's principal (主要负责人): its village head."""
    return _holds_role(user, Role.VILLAGE_HEAD, code)


def _require(actor: Any, perm: Perm, code: str) -> None:
    scope_for(actor).require(perm, code, view=Perm.SEAL_VIEW)


def _url(name: str, pk: Any) -> str:
    return reverse(name, args=[pk])


def _township_code(region_id: str) -> str | None:
    return region_parent_code(region_id)


def _store(data: bytes, kind: str, sha256: str) -> str:
    """Write a file once under its hash; a rolled-back transaction leaves at most an unreferenced copy."""
    name = f"seals/{sha256[:2]}/{sha256}.{kind}"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(data))
    return name


def _checked_upload(upload: Upload, field: str) -> tuple[bytes, Any, str]:
    """The bytes to keep (images without metadata), their check result and the original's hash."""
    try:
        checked = check_upload(
            upload.data, upload.filename, allowed=ALLOWED_UPLOADS, max_bytes=settings.UPLOAD_MAX_BYTES
        )
        data = upload.data if checked.kind == "pdf" else clean_image(upload.data)
    except UploadError as exc:
        raise Invalid(exc.message, [FieldError(field, exc.message)], code="bad_upload") from exc
    original = checked.sha256
    if data is not upload.data:
        checked = check_upload(data, upload.filename, allowed=ALLOWED_UPLOADS, max_bytes=settings.UPLOAD_MAX_BYTES)
    return data, checked, original


def _title(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (name or "未命名文件")[:120]


def _add_document(request: SealRequest, upload: Upload, *, purpose: str, actor: Any, field: str) -> SealDocument:
    data, checked, original = _checked_upload(upload, field)
    if SealDocument.objects.filter(request=request, sha256=checked.sha256).exists():
        raise Invalid.field(field, "该文件已经上传过。")
    stored = _store(data, checked.kind, checked.sha256)
    return SealDocument.objects.create(
        request=request,
        purpose=purpose,
        title=_title(upload.filename),
        kind=checked.kind,
        mime=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
        original_sha256=original,
        stored_name=stored,
        uploaded_by=actor,
    )


def _village(region: Region) -> Region:
    if region.level not in VILLAGE_LEVELS:
        raise Invalid.field("region", "印章登记在村（社区）一级，请选择村委会或社区。")
    return region


def _people(users: Iterable[Any]) -> str:
    return "、".join(u.display_name or u.username for u in users)


# --- registry --------------------------------------------------------------------------------


def seal_register(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    name: str,
    scope_of_use: str,
    custodian: Any,
    approvers: Sequence[Any],
) -> Seal:
    """Register a seal of one of the village's organisations. Needs SEAL_MANAGE at the village."""
    region = _village(organisation.region)
    _require(actor, Perm.SEAL_MANAGE, region.code)
    errors: list[FieldError] = []
    name = (name or "").strip()
    if not name:
        errors.append(FieldError("name", "请填写印章名称（印文）。"))
    elif len(name) > 64:
        errors.append(FieldError("name", "印章名称最多 64 个字。"))
    if kind not in SealKind.values:
        errors.append(FieldError("kind", "请选择印章类别。"))
    if organisation.kind not in VILLAGE_ORG_KINDS:
        errors.append(FieldError("organisation", "请选择本村（社区）的组织。"))
    if not (scope_of_use or "").strip():
        errors.append(FieldError("scope_of_use", "请写明用印范围（该印章可用于哪些事项）。"))
    elif len(scope_of_use) > 500:
        errors.append(FieldError("scope_of_use", "用印范围最多 500 个字。"))
    if custodian is None or not scope_for(custodian).can(Perm.SEAL_STAMP, region.code):
        errors.append(FieldError("custodian", "保管人须在本村担任印章保管人。"))
    for person in approvers:
        if not scope_for(person).can(Perm.SEAL_APPROVE, region.code):
            errors.append(FieldError("approvers", f"{person.display_name or person.username} 在本村没有用印审批权限。"))
    errors += [
        FieldError(f.field, f.message)
        for f in rules.check_seal_roles(
            custodian_id=getattr(custodian, "pk", 0), approver_ids=[a.pk for a in approvers]
        )
    ]
    if name and Seal.objects.filter(region=region, name=name).exists():
        errors.append(FieldError("name", f"本村已登记名为“{name}”的印章。"))
    if errors:
        raise Invalid(errors[0].message, errors)
    try:
        with transaction.atomic():
            seal = Seal.objects.create(
                region=region,
                organisation=organisation,
                kind=kind,
                name=name,
                scope_of_use=scope_of_use.strip(),
                custodian=custodian,
                registered_by=actor,
            )
            SealApprover.objects.bulk_create([SealApprover(seal=seal, user=a) for a in approvers])
            SealEvent.objects.create(
                seal=seal,
                kind=EventKind.REGISTERED,
                actor=actor,
                after=f"保管人：{_people([custodian])}；审批人：{_people(approvers)}",
            )
            audit_record(
                actor=actor,
                action="seal.register",
                obj=seal,
                region_code=region.code,
                after={
                    "name": name,
                    "kind": kind,
                    "organisation": organisation.pk,
                    "custodian": custodian.pk,
                    "approvers": [a.pk for a in approvers],
                },
            )
            township = region.parent_id
            if township:
                notification_send(
                    kind="seal.file",
                    title=f"{region.name}登记了印章“{name}”，请办理备案",
                    url=_url("seals:seal_detail", seal.pk),
                    role=Role.TOWNSHIP_OFFICER,
                    region=township,
                    subject=("seal", str(seal.pk)),
                )
    except IntegrityError as exc:
        raise Conflict(f"本村已登记名为“{name}”的印章。", "duplicate_seal") from exc
    return seal


def seal_update(*, actor: Any, seal: Seal, scope_of_use: str, approvers: Sequence[Any]) -> Seal:
    """Change the scope of use or the approvers. The custodian changes only through a handover."""
    _require(actor, Perm.SEAL_MANAGE, seal.region_id)
    errors: list[FieldError] = []
    if not (scope_of_use or "").strip():
        errors.append(FieldError("scope_of_use", "请写明用印范围。"))
    elif len(scope_of_use) > 500:
        errors.append(FieldError("scope_of_use", "用印范围最多 500 个字。"))
    for person in approvers:
        if not scope_for(person).can(Perm.SEAL_APPROVE, seal.region_id):
            errors.append(FieldError("approvers", f"{person.display_name or person.username} 在本村没有用印审批权限。"))
    errors += [
        FieldError(f.field, f.message)
        for f in rules.check_seal_roles(custodian_id=seal.custodian_id, approver_ids=[a.pk for a in approvers])
    ]
    if errors:
        raise Invalid(errors[0].message, errors)
    with transaction.atomic():
        before_ids = sorted(SealApprover.objects.filter(seal=seal).values_list("user_id", flat=True))
        before_scope = seal.scope_of_use
        Seal.objects.filter(pk=seal.pk).update(scope_of_use=scope_of_use.strip())
        SealApprover.objects.filter(seal=seal).delete()
        SealApprover.objects.bulk_create([SealApprover(seal=seal, user=a) for a in approvers])
        SealEvent.objects.create(
            seal=seal,
            kind=EventKind.DETAILS,
            actor=actor,
            before=f"用印范围：{before_scope[:80]}",
            after=f"用印范围：{scope_of_use.strip()[:80]}；审批人：{_people(approvers)}"[:200],
        )
        audit_record(
            actor=actor,
            action="seal.update",
            obj=seal,
            region_code=seal.region_id,
            before={"scope_of_use": before_scope, "approvers": before_ids},
            after={"scope_of_use": scope_of_use.strip(), "approvers": sorted(a.pk for a in approvers)},
        )
    seal.refresh_from_db()
    return seal


def seal_file(*, actor: Any, seal: Seal, filed_on: date | None, reference: str) -> Seal:
    """Record the township's filing (备案) of a seal: date and reference. Needs SEAL_FILE."""
    _require(actor, Perm.SEAL_FILE, seal.region_id)
    errors = []
    reference = (reference or "").strip()
    if filed_on is None:
        errors.append(FieldError("filed_on", "请填写备案日期。"))
    elif filed_on > timezone.localdate():
        errors.append(FieldError("filed_on", "备案日期不能晚于今天。"))
    if not reference:
        errors.append(FieldError("reference", "请填写备案编号。"))
    elif len(reference) > 64:
        errors.append(FieldError("reference", "备案编号最多 64 个字符。"))
    if errors:
        raise Invalid(errors[0].message, errors)
    assert filed_on is not None
    with transaction.atomic():
        changed = Seal.objects.filter(pk=seal.pk, filed_on__isnull=True).update(
            filed_on=filed_on, filing_reference=reference, filed_by=actor
        )
        if not changed:
            raise Conflict("该印章已经备案。", "already_filed")
        SealEvent.objects.create(
            seal=seal, kind=EventKind.FILED, actor=actor, on=filed_on, after=f"备案编号：{reference}"
        )
        audit_record(
            actor=actor,
            action="seal.file",
            obj=seal,
            region_code=seal.region_id,
            after={"filed_on": filed_on.isoformat(), "reference": reference},
        )
        notification_close(subject=("seal", str(seal.pk)), kind="seal.file")
    seal.refresh_from_db()
    return seal


def seal_set_status(*, actor: Any, seal: Seal, status: str, on: date | None, reason: str) -> Seal:
    """Seal away, destroy, report lost or return to use, with the date and the reason."""
    _require(actor, Perm.SEAL_MANAGE, seal.region_id)
    if status not in SealStatus.values:
        raise Invalid.field("status", "请选择印章状态。")
    findings = rules.check_status_change(
        old=seal.status, new=status, on=on, reason=reason or "", today=timezone.localdate()
    )
    if findings:
        raise _invalid(findings)
    assert on is not None
    with transaction.atomic():
        changed = Seal.objects.filter(pk=seal.pk, status=seal.status).update(
            status=status, status_on=on, status_reason="" if status == SealStatus.IN_USE else reason.strip()[:200]
        )
        if not changed:
            raise Conflict("印章状态已被他人修改，请刷新后再试。", "stale")
        SealEvent.objects.create(
            seal=seal,
            kind=EventKind.STATUS,
            actor=actor,
            on=on,
            before=SealStatus(seal.status).label,
            after=SealStatus(status).label,
            reason=reason.strip()[:300],
        )
        audit_record(
            actor=actor,
            action="seal.status",
            obj=seal,
            region_code=seal.region_id,
            before={"status": seal.status},
            after={"status": status, "on": on.isoformat()},
            note=reason.strip(),
        )
        township = _township_code(seal.region_id)
        if township and status != SealStatus.IN_USE:
            notification_send(
                kind="seal.status",
                title=f"印章“{seal.name}”{SealStatus(status).label}：{reason.strip()[:60]}",
                url=_url("seals:seal_detail", seal.pk),
                role=Role.TOWNSHIP_OFFICER,
                region=township,
                subject=("seal", str(seal.pk)),
            )
    seal.refresh_from_db()
    return seal


# --- requests --------------------------------------------------------------------------------


def _record_refusal(
    *, actor: Any, seal: Seal, category: str, matter: str, remarks: str, findings: list[rules.Finding]
) -> None:
    """Keep a refused attempt for the township: the request itself is not created."""
    with transaction.atomic():
        refusal = SealRefusal.objects.create(
            region_id=seal.region_id,
            seal=seal,
            category=category if category in Category.values else Category.OTHER,
            matter=(matter or "")[:400],
            remarks=(remarks or "")[:600],
            rules=[f.rule for f in findings],
            messages=[f.message for f in findings],
            requester=actor,
        )
        audit_record(
            actor=actor,
            action="seal.request_refused",
            obj=refusal,
            region_code=seal.region_id,
            after={"rules": [f.rule for f in findings], "seal": seal.pk},
        )


def request_create(
    *,
    actor: Any,
    seal: Seal,
    category: str,
    matter: str,
    impressions: int | None,
    remarks: str = "",
    certificate_serial: str = "",
    documents: Sequence[Upload] = (),
    resolution: ResolutionIn | None = None,
) -> SealRequest:
    """Ask to use a seal for one matter. Goes straight to the approver when nothing is missing.

    A request tying the seal to villagers' obligations, or bundling matters, is refused and the
    attempt is recorded for the township's oversight.
    """
    _require(actor, Perm.SEAL_REQUEST, seal.region_id)
    if seal.status != SealStatus.IN_USE:
        raise Conflict(f"印章“{seal.name}”当前为“{seal.get_status_display()}”状态，不能申请使用。", "seal_not_in_use")
    matter, remarks = (matter or "").strip(), (remarks or "").strip()
    findings = rules.check_request(matter=matter, remarks=remarks, category=category, impressions=impressions)
    refusing = [f for f in findings if f.rule in rules.PRECONDITION_RULES]
    if refusing:
        _record_refusal(actor=actor, seal=seal, category=category, matter=matter, remarks=remarks, findings=refusing)
        raise _invalid(findings, refusing[0].message)
    if findings:
        raise _invalid(findings)
    certificate_serial = (certificate_serial or "").strip()
    if len(certificate_serial) > 40:
        raise Invalid.field("certificate_serial", "证明编号最多 40 个字符。")
    if certificate_serial and category != Category.DAILY_CERTIFICATE:
        raise Invalid.field("certificate_serial", "只有“出具证明等日常事务”的用印申请才关联证明编号。")
    if certificate_serial and not certificate_serial.startswith(seal.region_id):
        raise Invalid.field("certificate_serial", f"证明编号应以本村（社区）代码 {seal.region_id} 开头，请核对。")
    if resolution is not None:
        _check_resolution(resolution, category)
    for i, upload in enumerate(documents):
        _checked_upload(upload, f"documents.{i}")  # refuse a bad file before anything is written
    assert impressions is not None
    with transaction.atomic():
        request = SealRequest.objects.create(
            region_id=seal.region_id,
            seal=seal,
            category=category,
            matter=matter,
            remarks=remarks,
            impressions=impressions,
            certificate_serial=certificate_serial,
            requester=actor,
            custodian_id=seal.custodian_id,
        )
        for i, upload in enumerate(documents):
            _add_document(request, upload, purpose="document", actor=actor, field=f"documents.{i}")
        if resolution is not None:
            _add_resolution(request, resolution, actor=actor)
        audit_record(
            actor=actor,
            action="seal.request_create",
            obj=request,
            region_code=seal.region_id,
            after={"seal": seal.pk, "category": category, "impressions": impressions, "documents": len(documents)},
        )
        if not _missing(request):
            _submit(request, actor=actor)
    request.refresh_from_db()
    return request


def _check_resolution(resolution: ResolutionIn, category: str) -> None:
    if category not in MAJOR_CATEGORIES:
        raise Invalid.field("resolution", "只有合同签订、集体资产处置等重大事项需要上传会议决议。")
    findings = rules.check_meeting(resolution.meeting, today=timezone.localdate())
    if findings:
        raise _invalid(findings)


def _add_resolution(request: SealRequest, resolution: ResolutionIn, *, actor: Any) -> SealResolution:
    document = _add_document(request, resolution.upload, purpose="resolution", actor=actor, field="resolution_file")
    m = resolution.meeting
    assert m.held_on is not None and m.members_total is not None and m.attended is not None and m.in_favour is not None
    return SealResolution.objects.create(
        request=request,
        document=document,
        meeting_kind=m.kind,
        basis=m.basis,
        held_on=m.held_on,
        members_total=m.members_total,
        attended=m.attended,
        in_favour=m.in_favour,
        recorded_by=actor,
    )


def _missing(request: SealRequest) -> list[rules.Finding]:
    documents = SealDocument.objects.filter(request=request, purpose="document").count()
    has_resolution = SealResolution.objects.filter(request=request).exists()
    return rules.check_ready(category=request.category, document_count=documents, has_resolution=has_resolution)


def request_missing(request: SealRequest) -> list[rules.Finding]:
    """What a draft still lacks before it can go to the approver."""
    return _missing(request)


def _require_requester(actor: Any, request: SealRequest) -> None:
    _require(actor, Perm.SEAL_REQUEST, request.region_id)
    if actor.pk != request.requester_id:
        raise Forbidden("只有提出申请的经办人才能办理此操作。", "not_requester")


def request_add_document(*, actor: Any, request: SealRequest, upload: Upload) -> SealDocument:
    """Attach a document to stamp to one's own draft."""
    _require_requester(actor, request)
    with transaction.atomic():
        if not SealRequest.objects.select_for_update().filter(pk=request.pk, status=RequestStatus.DRAFT).exists():
            raise Conflict("只有待补材料的申请才能添加文件。", "not_draft")
        document = _add_document(request, upload, purpose="document", actor=actor, field="file")
        audit_record(
            actor=actor,
            action="seal.document_add",
            obj=document,
            region_code=request.region_id,
            after={"request": request.pk, "sha256": document.sha256, "kind": document.kind},
        )
    return document


def request_add_resolution(*, actor: Any, request: SealRequest, resolution: ResolutionIn) -> SealResolution:
    """Attach the meeting resolution a major matter needs (（十四）) to one's own draft."""
    _require_requester(actor, request)
    _check_resolution(resolution, request.category)
    with transaction.atomic():
        if not SealRequest.objects.select_for_update().filter(pk=request.pk, status=RequestStatus.DRAFT).exists():
            raise Conflict("只有待补材料的申请才能添加会议决议。", "not_draft")
        record = _add_resolution(request, resolution, actor=actor)
        audit_record(
            actor=actor,
            action="seal.resolution_add",
            obj=record,
            region_code=request.region_id,
            after={
                "request": request.pk,
                "meeting_kind": record.meeting_kind,
                "held_on": record.held_on.isoformat(),
                "members_total": record.members_total,
                "attended": record.attended,
                "in_favour": record.in_favour,
                "sha256": record.document.sha256,
            },
        )
    return record


def _submit(request: SealRequest, *, actor: Any) -> None:
    now = timezone.now()
    submittable = sources(rules.REQUEST_TRANSITIONS, RequestStatus.SUBMITTED)
    changed = SealRequest.objects.filter(pk=request.pk, status__in=submittable).update(
        status=RequestStatus.SUBMITTED, submitted_at=now
    )
    if not changed:
        raise Conflict("该申请已经提交或已结束。", "not_draft")
    audit_record(
        actor=actor,
        action="seal.request_submit",
        obj=request,
        region_code=request.region_id,
        before={"status": RequestStatus.DRAFT},
        after={"status": RequestStatus.SUBMITTED},
    )
    approvers = (
        SealApprover.objects.filter(seal_id=request.seal_id)
        .exclude(user_id=request.requester_id)
        .select_related("user")
    )
    for approver in approvers:
        notification_send(
            kind="seal.approve",
            title=f"用印申请待审批：{request.matter[:60]}",
            url=_url("seals:request_detail", request.pk),
            user=approver.user,
            subject=("seal_request", str(request.pk)),
        )


def _user(pk: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=pk)


def request_submit(*, actor: Any, request: SealRequest) -> SealRequest:
    """Send one's own complete draft to the approvers; a major matter needs its resolution first."""
    _require_requester(actor, request)
    with transaction.atomic():
        locked = SealRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.DRAFT:
            raise Conflict("该申请已经提交或已结束。", "not_draft")
        missing = _missing(locked)
        if missing:
            raise _invalid(missing)
        _submit(locked, actor=actor)
    request.refresh_from_db()
    return request


def request_withdraw(*, actor: Any, request: SealRequest, reason: str = "") -> SealRequest:
    """The requester withdraws a request not yet stamped."""
    _require_requester(actor, request)
    with transaction.atomic():
        withdrawable = sources(rules.REQUEST_TRANSITIONS, RequestStatus.WITHDRAWN)
        changed = SealRequest.objects.filter(pk=request.pk, status__in=withdrawable).update(
            status=RequestStatus.WITHDRAWN, decision_note=(reason or "").strip()[:300]
        )
        if not changed:
            raise Conflict("该申请已用印或已结束，不能撤回。", "not_open")
        audit_record(
            actor=actor,
            action="seal.request_withdraw",
            obj=request,
            region_code=request.region_id,
            before={"status": request.status},
            after={"status": RequestStatus.WITHDRAWN},
            note=reason or "",
        )
        notification_close(subject=("seal_request", str(request.pk)))
    request.refresh_from_db()
    return request


def _approval_findings(actor: Any, request: SealRequest, seal: Seal) -> list[rules.Finding]:
    listed = SealApprover.objects.filter(seal_id=request.seal_id, user=actor).exists()
    findings = rules.check_approval(
        category=request.category,
        requester_id=request.requester_id,
        custodian_id=seal.custodian_id,
        approver_id=actor.pk,
        approver_is_listed=listed,
        approver_is_principal=is_principal(actor, request.region_id),
        has_resolution=request.category in MAJOR_CATEGORIES and SealResolution.objects.filter(request=request).exists(),
    )
    return findings


def request_decision_refusal(*, actor: Any, request: SealRequest, approving: bool = True) -> rules.Finding | None:
    """Why `actor` may not approve (or refuse) this request, or None: decides the page's buttons and
    the service's refusal alike (`rules.decision_refusal`). 404 outside what they can see."""
    scope = scope_for(actor)
    if not scope.covers(request.region_id, Perm.SEAL_VIEW):
        raise NotFound("找不到该记录，或不在您的管辖范围内。")
    seal = Seal.objects.get(pk=request.seal_id)
    return rules.decision_refusal(
        _approval_findings(actor, request, seal),
        may_approve=scope.can(Perm.SEAL_APPROVE, request.region_id),
        approving=approving,
    )


def request_approve(*, actor: Any, request: SealRequest, note: str = "") -> SealRequest:
    """Approve a submitted request: the principal's signature （十四）, never by requester or custodian."""
    refusal = request_decision_refusal(actor=actor, request=request)
    if refusal is not None:
        raise Forbidden(refusal.message, refusal.rule)
    seal = Seal.objects.select_related("custodian").get(pk=request.seal_id)
    findings = _approval_findings(actor, request, seal)
    if findings:
        raise _invalid(findings)
    if seal.status != SealStatus.IN_USE:
        raise Conflict(f"印章“{seal.name}”当前为“{seal.get_status_display()}”状态，不能批准用印。", "seal_not_in_use")
    now = timezone.now()
    try:
        with transaction.atomic():
            approvable = sources(rules.REQUEST_TRANSITIONS, RequestStatus.APPROVED)
            changed = SealRequest.objects.filter(pk=request.pk, status__in=approvable).update(
                status=RequestStatus.APPROVED,
                approver=actor,
                decided_at=now,
                decision_note=(note or "").strip()[:300],
                principal_signed=is_principal(actor, request.region_id),
                custodian_id=seal.custodian_id,
            )
            if not changed:
                raise Conflict("该申请不在待审批状态（可能已被审批、撤回或尚未提交）。", "not_submitted")
            audit_record(
                actor=actor,
                action="seal.request_approve",
                obj=request,
                region_code=request.region_id,
                before={"status": RequestStatus.SUBMITTED},
                after={"status": RequestStatus.APPROVED},
                note=note or "",
            )
            notification_close(subject=("seal_request", str(request.pk)), kind="seal.approve")
            notification_send(
                kind="seal.stamp",
                title=f"已批准，请用印：{request.matter[:60]}",
                url=_url("seals:request_detail", request.pk),
                user=seal.custodian,
                subject=("seal_request", str(request.pk)),
            )
    except IntegrityError as exc:
        # The database's own separation-of-duties constraint: the same words as the rule.
        raise Forbidden("印章使用的审批人与印章保管人、申请人不得为同一人（十四）", "separation_of_duties") from exc
    request.refresh_from_db()
    return request


def request_reject(*, actor: Any, request: SealRequest, reason: str) -> SealRequest:
    """Refuse a submitted request, with the reason the requester will read."""
    refusal = request_decision_refusal(actor=actor, request=request, approving=False)
    if refusal is not None:
        raise Forbidden(refusal.message, refusal.rule)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.field("reason", "请填写不予批准的理由。")
    with transaction.atomic():
        rejectable = sources(rules.REQUEST_TRANSITIONS, RequestStatus.REJECTED)
        changed = SealRequest.objects.filter(pk=request.pk, status__in=rejectable).update(
            status=RequestStatus.REJECTED, approver=actor, decided_at=timezone.now(), decision_note=reason[:300]
        )
        if not changed:
            raise Conflict("该申请不在待审批状态。", "not_submitted")
        audit_record(
            actor=actor,
            action="seal.request_reject",
            obj=request,
            region_code=request.region_id,
            before={"status": RequestStatus.SUBMITTED},
            after={"status": RequestStatus.REJECTED},
            note=reason,
        )
        notification_close(subject=("seal_request", str(request.pk)))
        notification_send(
            kind="seal.rejected",
            title=f"用印申请未获批准：{reason[:60]}",
            url=_url("seals:request_detail", request.pk),
            user=_user(request.requester_id),
            subject=("seal_request", str(request.pk)),
        )
    request.refresh_from_db()
    return request


def _require_custodian(actor: Any, request: SealRequest) -> Seal:
    _require(actor, Perm.SEAL_STAMP, request.region_id)
    seal = Seal.objects.get(pk=request.seal_id)
    if seal.custodian_id != actor.pk:
        raise Forbidden("只有该印章的保管人才能用印并登记。", "not_custodian")
    return seal


def request_claim(*, actor: Any, request: SealRequest, device: str) -> SealRequest:
    """A smart seal (智能印章) held by the custodian claims an approved request before it unlocks."""
    _require_custodian(actor, request)
    device = (device or "").strip()
    if not device or len(device) > 64:
        raise Invalid.field("device", "请提供设备编号（1–64 个字符）。")
    with transaction.atomic():
        # A device claims only a request that may be stamped next.
        stampable = sources(rules.REQUEST_TRANSITIONS, RequestStatus.STAMPED)
        changed = SealRequest.objects.filter(pk=request.pk, status__in=stampable, claimed_at__isnull=True).update(
            claimed_by=device, claimed_at=timezone.now()
        )
        if not changed:
            current = SealRequest.objects.filter(pk=request.pk).values("status", "claimed_by").get()
            if current["status"] == RequestStatus.STAMPED:
                raise Conflict("该申请已经用印，不能重复用印。", "already_stamped")
            if current["status"] != RequestStatus.APPROVED:
                raise Conflict("该申请尚未批准，不能用印。", "not_approved")
            if current["claimed_by"] == device:
                request.refresh_from_db()
                return request  # the same device asking again (e.g. after a lost reply) is fine
            raise Conflict(f"该申请已由设备“{current['claimed_by']}”领取。", "claimed_elsewhere")
        audit_record(
            actor=actor,
            action="seal.request_claim",
            obj=request,
            region_code=request.region_id,
            after={"device": device},
        )
    request.refresh_from_db()
    return request


def request_stamp(
    *,
    actor: Any,
    request: SealRequest,
    impressions: int | None,
    document_sha256: str,
    stamped_at: datetime | None = None,
    device: str = "",
) -> SealUse:
    """The custodian records the stamping of an approved request; it joins the village's hash chain.

    Stamping a request that is not approved, or stamping it twice, is a Conflict (409).
    """
    seal = _require_custodian(actor, request)
    current = SealRequest.objects.select_related("approver", "requester").get(pk=request.pk)
    if current.status == RequestStatus.STAMPED:
        raise Conflict("该申请已经用印登记，不能重复用印。", "already_stamped")
    if current.status != RequestStatus.APPROVED:
        raise Conflict(f"该申请当前为“{current.get_status_display()}”，未经批准不能用印。", "not_approved")
    if seal.status != SealStatus.IN_USE:
        raise Conflict(f"印章“{seal.name}”当前为“{seal.get_status_display()}”状态，不能用印。", "seal_not_in_use")
    if current.approver_id == actor.pk:
        raise Forbidden("印章使用的审批人与印章保管人不得为同一人（十四）", "custodian_approval")
    device = (device or "").strip()[:64]
    if current.claimed_by and device != current.claimed_by:
        raise Conflict(f"该申请已由设备“{current.claimed_by}”领取，请在该设备上完成用印。", "claimed_elsewhere")
    now = timezone.now()
    stamped_at = stamped_at or now
    if timezone.is_naive(stamped_at):
        raise Invalid.field("stamped_at", "用印时间须带时区，例如 2027-03-01T09:30:00+08:00。")
    hashes = set(SealDocument.objects.filter(request=current, purpose="document").values_list("sha256", flat=True))
    assert current.decided_at is not None
    findings = rules.check_stamp(
        approved_impressions=current.impressions,
        impressions=impressions,
        document_sha256=document_sha256,
        request_hashes=hashes,
        stamped_at=stamped_at,
        approved_at=current.decided_at,
        now=now + _CLOCK_SKEW,
    )
    if findings:
        raise _invalid(findings)
    assert impressions is not None and current.approver_id is not None
    resolution = SealResolution.objects.filter(request=current).select_related("document").first()
    with transaction.atomic():
        stampable = sources(rules.REQUEST_TRANSITIONS, RequestStatus.STAMPED)
        changed = SealRequest.objects.filter(pk=current.pk, status__in=stampable).update(
            status=RequestStatus.STAMPED, stamped_at=stamped_at, custodian=actor
        )
        if not changed:
            raise Conflict("该申请已经用印登记，不能重复用印。", "already_stamped")
        # Mirror the update just made instead of reading the row again.
        current.status, current.stamped_at, current.custodian = RequestStatus.STAMPED, stamped_at, actor
        use = SealUse(
            request=current,
            seal=seal,
            region_id=current.region_id,
            category=current.category,
            custodian=actor,
            approver_id=current.approver_id,
            requester_id=current.requester_id,
            custodian_name=display_name(actor),
            approver_name=display_name(current.approver),
            requester_name=display_name(current.requester),
            impressions=impressions,
            document_sha256=document_sha256.strip().lower(),
            stamped_at=stamped_at,
            device=device,
            chain_seq=0,
            entry_hash="",
        )
        payload = use_payload(use, current, resolution.document.sha256 if resolution else None)
        entry = chain_append(
            chain=current.region_id,
            kind=CHAIN_KIND_USE,
            payload=payload,
            ref_type="seal_use",
            ref_id=str(use.pk),
            actor=actor,
        )
        use.chain_seq, use.entry_hash = entry.seq, entry.hash
        use.save(force_insert=True)
        if current.certificate_serial:
            # The certificate records the seal use that stamped it; an unknown, revoked or already
            # stamped certificate refuses, and the whole stamping rolls back with it.
            certificate_link_seal_use(certificate=current.certificate_serial, seal_use_ref=str(use.pk), actor=actor)
        audit_record(
            actor=actor,
            action="seal.stamp",
            obj=current,
            region_code=current.region_id,
            before={"status": RequestStatus.APPROVED},
            after={
                "status": RequestStatus.STAMPED,
                "impressions": impressions,
                "document_sha256": use.document_sha256,
                "chain_seq": entry.seq,
                "use": str(use.pk),
            },
        )
        notification_close(subject=("seal_request", str(current.pk)))
    return use


# --- handover --------------------------------------------------------------------------------


def handover_create(
    *,
    actor: Any,
    region: Region,
    from_user: Any,
    to_user: Any | None,
    witness: Any | None,
    items: Sequence[tuple[Seal, str]],
    note: str = "",
) -> SealHandover:
    """Start a handover of the giver's seals to a successor, before a witness (移交).

    The custodian, or the village head (SEAL_MANAGE) when the custodian cannot, starts it; the seals
    stay with the giver until the receiver confirms.
    """
    region = _village(region)
    scope = scope_for(actor)
    if not scope.covers(region.code, Perm.SEAL_VIEW):
        raise NotFound("找不到该村（社区），或不在您的管辖范围内。")
    if not (
        (actor.pk == getattr(from_user, "pk", None) and scope.can(Perm.SEAL_STAMP, region.code))
        or scope.can(Perm.SEAL_MANAGE, region.code)
    ):
        raise Forbidden("只有印章保管人本人或村主要负责人才能发起印章移交。", "forbidden")
    seals = [seal for seal, _ in items]
    errors: list[FieldError] = []
    if any(s.region_id != region.code for s in seals):
        raise NotFound("找不到所选印章，或不属于该村（社区）。")
    if len({s.pk for s in seals}) != len(seals):
        errors.append(FieldError("seals", "同一枚印章不能重复列入。"))
    for i, (_seal, condition) in enumerate(items):
        if not (condition or "").strip():
            errors.append(FieldError(f"seals.{i}.condition", "请写明印章状况（如印面完好、无缺损）。"))
        elif len(condition) > 120:
            errors.append(FieldError(f"seals.{i}.condition", "印章状况最多 120 个字。"))
    approver_ids = set(SealApprover.objects.filter(seal__in=seals).values_list("user_id", flat=True))
    findings = rules.check_handover(
        from_id=from_user.pk,
        to_id=getattr(to_user, "pk", None),
        witness_id=getattr(witness, "pk", None),
        seal_ids=[s.pk for s in seals],
        custodian_ids={s.custodian_id for s in seals},
        approver_ids=approver_ids,
        receiver_can_keep=to_user is not None and scope_for(to_user).can(Perm.SEAL_STAMP, region.code),
    )
    errors += [FieldError(f.field, f.message) for f in findings]
    if witness is not None and not scope_for(witness).covers(region.code, Perm.SEAL_VIEW):
        errors.append(FieldError("witness", "监交人须是本村（社区）或上级的工作人员。"))
    if len((note or "").strip()) > 300:
        errors.append(FieldError("note", "移交说明最多 300 个字。"))
    if errors:
        code = next((f.rule for f in findings), "validation_error")
        raise Invalid(errors[0].message, errors, code=code)
    assert to_user is not None and witness is not None
    with transaction.atomic():
        locked = list(Seal.objects.select_for_update().filter(pk__in=[s.pk for s in seals]).order_by("pk"))
        if any(s.custodian_id != from_user.pk for s in locked):
            raise Conflict("所选印章的保管人已经变更，请刷新后再试。", "stale")
        busy = SealHandoverItem.objects.filter(seal__in=locked, handover__status=HandoverStatus.PENDING)
        if busy.exists():
            raise Conflict("所选印章已有一项待确认的移交，请先完成或撤销。", "handover_pending")
        handover = SealHandover.objects.create(
            region=region,
            from_user=from_user,
            to_user=to_user,
            witness=witness,
            initiated_by=actor,
            note=(note or "").strip(),
        )
        by_pk = {s.pk: s for s in locked}
        SealHandoverItem.objects.bulk_create(
            [
                SealHandoverItem(
                    handover=handover, seal=seal, seal_status=by_pk[seal.pk].status, condition=condition.strip()
                )
                for seal, condition in items
            ]
        )
        audit_record(
            actor=actor,
            action="seal.handover_create",
            obj=handover,
            region_code=region.code,
            after={"from": from_user.pk, "to": to_user.pk, "witness": witness.pk, "seals": [s.pk for s in seals]},
        )
        notification_send(
            kind="seal.handover",
            title=f"请确认接收印章（{len(seals)} 枚）",
            url=_url("seals:handover_detail", handover.pk),
            user=to_user,
            subject=("seal_handover", str(handover.pk)),
        )
    return handover


def _handover_locked(handover: SealHandover) -> SealHandover:
    return SealHandover.objects.select_for_update().get(pk=handover.pk)


def handover_confirm(*, actor: Any, handover: SealHandover) -> SealHandover:
    """The receiver confirms: from now on the seals are theirs to keep, and the township is told."""
    _require(actor, Perm.SEAL_VIEW, handover.region_id)
    if actor.pk != handover.to_user_id:
        raise Forbidden("只有接收人本人才能确认接收。", "not_receiver")
    with transaction.atomic():
        locked = _handover_locked(handover)
        if locked.status != HandoverStatus.PENDING:
            raise Conflict("该移交已处理，不能重复确认。", "not_pending")
        items = list(SealHandoverItem.objects.filter(handover=locked).select_related("seal"))
        seal_ids = [i.seal_id for i in items]
        if SealApprover.objects.filter(seal_id__in=seal_ids, user_id=actor.pk).exists():
            raise Forbidden(
                "您是其中印章的用印审批人，审批人与保管人不得为同一人（十四）。请先调整审批人。", "receiver_approver"
            )
        if not scope_for(actor).can(Perm.SEAL_STAMP, locked.region_id):
            raise Forbidden("您在本村不担任印章保管人，不能接收印章。", "receiver_role")
        moved = Seal.objects.filter(pk__in=seal_ids, custodian_id=locked.from_user_id).update(custodian_id=actor.pk)
        if moved != len(seal_ids):
            raise Conflict("部分印章的保管人已经变更，本次移交无法确认，请撤销后重新发起。", "stale")
        now = timezone.now()
        confirmable = sources(rules.HANDOVER_TRANSITIONS, HandoverStatus.CONFIRMED)
        SealHandover.objects.filter(pk=locked.pk, status__in=confirmable).update(
            status=HandoverStatus.CONFIRMED, answered_at=now
        )
        # Open requests now wait for the new custodian (never one of their own approvers).
        SealRequest.objects.filter(seal_id__in=seal_ids, status__in=OPEN_STATUSES).exclude(approver_id=actor.pk).update(
            custodian_id=actor.pk
        )
        giver = _user(locked.from_user_id)
        for item in items:
            SealEvent.objects.create(
                seal_id=item.seal_id,
                kind=EventKind.CUSTODIAN,
                actor=actor,
                before=_people([giver]),
                after=_people([actor]),
                reason=f"移交单 {locked.pk}，监交人 {_people([_user(locked.witness_id)])}；印章状况：{item.condition}"[
                    :300
                ],
            )
        chain_append(
            chain=locked.region_id,
            kind=CHAIN_KIND_HANDOVER,
            ref_type="seal_handover",
            ref_id=str(locked.pk),
            actor=actor,
            payload={
                "handover": locked.pk,
                "from": people_snapshot(giver),
                "to": people_snapshot(actor),
                "witness": people_snapshot(_user(locked.witness_id)),
                "seals": [
                    {"id": i.seal_id, "name": i.seal.name, "status": i.seal_status, "condition": i.condition}
                    for i in items
                ],
                "confirmed_at": ledger_rules.canonical_time(now),
            },
        )
        audit_record(
            actor=actor,
            action="seal.handover_confirm",
            obj=locked,
            region_code=locked.region_id,
            before={"status": HandoverStatus.PENDING, "custodian": locked.from_user_id},
            after={"status": HandoverStatus.CONFIRMED, "custodian": actor.pk, "seals": seal_ids},
        )
        notification_close(subject=("seal_handover", str(locked.pk)), kind="seal.handover")
        township = _township_code(locked.region_id)
        if township:
            notification_send(
                kind="seal.handover_ack",
                title=f"印章移交已确认，请签收（移交单 {locked.pk}）",
                url=_url("seals:handover_detail", locked.pk),
                role=Role.TOWNSHIP_OFFICER,
                region=township,
                subject=("seal_handover", str(locked.pk)),
            )
    handover.refresh_from_db()
    return handover


def handover_refuse(*, actor: Any, handover: SealHandover, reason: str) -> SealHandover:
    """The receiver refuses (e.g. a seal missing or damaged); the giver stays responsible."""
    _require(actor, Perm.SEAL_VIEW, handover.region_id)
    if actor.pk != handover.to_user_id:
        raise Forbidden("只有接收人本人才能拒收。", "not_receiver")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.field("reason", "请填写拒收原因。")
    with transaction.atomic():
        refusable = sources(rules.HANDOVER_TRANSITIONS, HandoverStatus.REFUSED)
        changed = SealHandover.objects.filter(pk=handover.pk, status__in=refusable).update(
            status=HandoverStatus.REFUSED, refusal_reason=reason[:300], answered_at=timezone.now()
        )
        if not changed:
            raise Conflict("该移交已处理。", "not_pending")
        audit_record(
            actor=actor, action="seal.handover_refuse", obj=handover, region_code=handover.region_id, note=reason
        )
        notification_close(subject=("seal_handover", str(handover.pk)))
        notification_send(
            kind="seal.handover_refused",
            title=f"印章移交被拒收：{reason[:60]}",
            url=_url("seals:handover_detail", handover.pk),
            user=_user(handover.initiated_by_id),
            subject=("seal_handover", str(handover.pk)),
        )
    handover.refresh_from_db()
    return handover


def handover_cancel(*, actor: Any, handover: SealHandover) -> SealHandover:
    """Whoever started a handover (or the giver) withdraws it before the receiver answers."""
    _require(actor, Perm.SEAL_VIEW, handover.region_id)
    if actor.pk not in (handover.initiated_by_id, handover.from_user_id):
        raise Forbidden("只有发起人或移交人才能撤销移交。", "forbidden")
    with transaction.atomic():
        cancellable = sources(rules.HANDOVER_TRANSITIONS, HandoverStatus.CANCELLED)
        changed = SealHandover.objects.filter(pk=handover.pk, status__in=cancellable).update(
            status=HandoverStatus.CANCELLED, answered_at=timezone.now()
        )
        if not changed:
            raise Conflict("该移交已处理，不能撤销。", "not_pending")
        audit_record(actor=actor, action="seal.handover_cancel", obj=handover, region_code=handover.region_id)
        notification_close(subject=("seal_handover", str(handover.pk)))
    handover.refresh_from_db()
    return handover


def handover_acknowledge(*, actor: Any, handover: SealHandover) -> SealHandover:
    """The township acknowledges a confirmed handover (SEAL_FILE)."""
    _require(actor, Perm.SEAL_FILE, handover.region_id)
    with transaction.atomic():
        acknowledgeable = sources(rules.HANDOVER_TRANSITIONS, HandoverStatus.ACKNOWLEDGED)
        changed = SealHandover.objects.filter(pk=handover.pk, status__in=acknowledgeable).update(
            status=HandoverStatus.ACKNOWLEDGED, acknowledged_by=actor, acknowledged_at=timezone.now()
        )
        if not changed:
            raise Conflict("只有接收人已确认的移交才能签收。", "not_confirmed")
        audit_record(actor=actor, action="seal.handover_acknowledge", obj=handover, region_code=handover.region_id)
        notification_close(subject=("seal_handover", str(handover.pk)), kind="seal.handover_ack")
    handover.refresh_from_db()
    return handover
