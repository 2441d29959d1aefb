"""Every write of the certificates app: atomic, audited, state changes as conditional updates.

Audit rows, notifications and the hash chain receive masked personal data only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from cunwu.accounts.scope import scope_for
from cunwu.accounts.services import notification_close, notification_send
from cunwu.audit.services import audit_record
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import CatalogItem, catalog_item_get
from cunwu.catalogs.services import phrasing_note
from cunwu.catalogs.triage import certificate_triage
from cunwu.documents import UploadError, check_upload, clean_image
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound, Problems
from cunwu.masking import mask_id_number, mask_name
from cunwu.privacy.services import pii_reveal
from cunwu.transitions import sources

from . import rules
from .keys import content_digest, token_sign
from .models import (
    Application,
    CaseAction,
    CaseStatus,
    Certificate,
    CertificateCopy,
    CertificateStatus,
    CertificateTemplate,
    Channel,
    CoordinationCase,
    CounterKind,
    Material,
    MaterialKind,
    Outcome,
    SerialCounter,
    Status,
    TemplateStatus,
)
from .selectors import certificate_item_for, template_for, verify_rows_forget
from .selectors import issuer_name as _issuer_name

if TYPE_CHECKING:
    from cunwu.regions.models import Region

ALLOWED_UPLOADS = {"pdf", "jpeg", "png"}
APP_SUBJECT = "certificate_application"
CASE_SUBJECT = "certificate_case"


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (for messages only), bytes and an optional label (材料名称)."""

    name: str
    data: bytes
    label: str = ""


@dataclass(frozen=True)
class _Checked:
    upload: Upload
    data: bytes
    kind: str
    mime: str
    sha256: str


def _display(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return user.display_name or user.username


def _check_uploads(uploads: Sequence[Upload], field: str, problems: Problems) -> list[_Checked]:
    """Check every upload by its bytes (PDF, JPEG, PNG; size limit); images lose their metadata."""
    checked = []
    for i, up in enumerate(uploads):
        path = f"{field}.{i}" if field != "authorisation" else field
        try:
            info = check_upload(up.data, up.name, allowed=ALLOWED_UPLOADS, max_bytes=settings.UPLOAD_MAX_BYTES)
            data = clean_image(up.data, max_side=2400) if info.kind in {"jpeg", "png"} else up.data
        except UploadError as exc:
            problems.add(path, exc.message)
            continue
        if len(up.label) > 100:
            problems.add(path, "材料名称过长（最多 100 个字）。")
            continue
        checked.append(_Checked(up, data, info.kind, info.mime, hashlib.sha256(data).hexdigest()))
    return checked


def _store(
    application: Application, files: Sequence[_Checked], kind: str, actor: Any, saved: list[str], at: dt.datetime
) -> None:
    ext = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
    for f in files:
        material = Material(
            application=application,
            kind=kind,
            label=f.upload.label.strip() or MaterialKind(kind).label,
            original_name=f.upload.name[:200],
            mime=f.mime,
            size=len(f.data),
            sha256=f.sha256,
            uploaded_at=at,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        material.file.save(f"upload.{ext[f.kind]}", ContentFile(f.data), save=False)
        saved.append(material.file.name or "")
        material.save()


def _discard(saved: list[str]) -> None:
    # The transaction rolled back: remove files written for it, so nothing is half-written.
    for name in saved:
        default_storage.delete(name)


def _next_number(region: Region, year: int, kind: str) -> int:
    """The next number of a village's yearly counter, locked until the caller's transaction ends.

    The counter row is locked (SELECT … FOR UPDATE) and incremented in the same transaction as the
    record that uses the number, so a rollback returns the number and no two writers share one.
    """
    counter = SerialCounter.objects.select_for_update().filter(region=region, year=year, kind=kind).first()
    if counter is None:
        SerialCounter.objects.bulk_create(
            [SerialCounter(region=region, year=year, kind=kind, last=0)], ignore_conflicts=True
        )
        counter = SerialCounter.objects.select_for_update().get(region=region, year=year, kind=kind)
    SerialCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def _masked(app: Application) -> dict[str, Any]:
    return {
        "receipt": app.receipt_number,
        "status": app.status,
        "applicant": mask_name(app.applicant_name),
        "id_number": mask_id_number(app.applicant_id_number),
        "outcome": app.outcome,
        "item_code": app.item_code,
        "agency": app.requesting_agency,
    }


PERSONAL_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "agent_name",
    "agent_id_number",
    "agent_phone",
)


def application_personal_data(*, actor: Any, application: Application) -> dict[str, str]:
    """The applicant's and agent's full name, ID and phone for the clerk handling the application.

    Needs CERT_INTAKE for the village (others see masked values only); every view is audited.
    """
    scope_for(actor).require(Perm.CERT_INTAKE, application.region_id, view=Perm.CERT_VIEW)
    fields = [f for f in PERSONAL_FIELDS if application.by_proxy or not f.startswith("agent_")]
    return pii_reveal(actor=actor, obj=application, fields=fields, region_code=application.region_id)


def _require_village(region: Region) -> None:
    if not region.is_village:
        raise Invalid.field("region", "证明由村（社区）出具，请选择具体的村（社区）。")


# --- intake --------------------------------------------------------------------------------


def application_receive(
    *,
    actor: Any,
    region: Region,
    channel: str,
    applicant_name: str,
    applicant_id_number: str,
    request_text: str,
    purpose: str,
    applicant_phone: str = "",
    requesting_agency: str = "",
    agency_basis: str = "",
    by_proxy: bool = False,
    agent_name: str = "",
    agent_id_number: str = "",
    agent_phone: str = "",
    materials: Sequence[Upload] = (),
    authorisation: Upload | None = None,
    at: dt.datetime | None = None,
) -> Application:
    """Receive an application (受理) and give it a receipt number; online ones need no account.

    Desk and platform channels need CERT_INTAKE for the village. The request is triaged against the
    catalogs in force for the village; the clerk decides later.
    """
    if channel not in Channel.values:
        raise Invalid.field("channel", "受理渠道不正确。")
    if channel != Channel.ONLINE:
        scope_for(actor).require(Perm.CERT_INTAKE, region.code, view=Perm.CERT_VIEW)
    _require_village(region)
    now = at or timezone.now()
    problems = Problems()
    intake = rules.IntakeInput(
        applicant_name=applicant_name,
        applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone,
        request_text=request_text,
        purpose=purpose,
        requesting_agency=requesting_agency,
        agency_basis=agency_basis,
        by_proxy=by_proxy,
        agent_name=agent_name,
        agent_id_number=agent_id_number,
        agent_phone=agent_phone,
        has_authorisation=authorisation is not None,
        phone_required=channel == Channel.ONLINE,
    )
    for f in rules.check_intake(intake):
        problems.add(f.field, f.message)
    if len(materials) > rules.MAX_MATERIALS:
        problems.add("materials", f"一次最多上传 {rules.MAX_MATERIALS} 个材料文件。")
    checked = _check_uploads(materials, "materials", problems)
    letter = _check_uploads([authorisation], "authorisation", problems) if (by_proxy and authorisation) else []
    triage = None
    if not any(e.field == "request_text" for e in problems.items):
        try:
            triage = certificate_triage(request_text, region, now.date())
        except Invalid as exc:
            problems.add("request_text", exc.errors[0].message if exc.errors else exc.detail)
    problems.raise_if_any()
    assert triage is not None

    saved: list[str] = []
    try:
        with transaction.atomic():
            seq = _next_number(region, timezone.localtime(now).year, CounterKind.RECEIPT)
            app = Application.objects.create(
                region=region,
                receipt_number=rules.receipt_text(timezone.localtime(now).year, seq),
                channel=channel,
                applicant_name=applicant_name.strip(),
                applicant_name_masked=mask_name(applicant_name),
                applicant_id_number=applicant_id_number.strip().upper(),
                applicant_phone=applicant_phone.strip(),
                by_proxy=by_proxy,
                agent_name=agent_name.strip() if by_proxy else "",
                agent_id_number=agent_id_number.strip().upper() if by_proxy else "",
                agent_phone=agent_phone.strip() if by_proxy else "",
                request_text=request_text.strip(),
                purpose=purpose.strip(),
                requesting_agency=requesting_agency.strip(),
                agency_basis=agency_basis.strip(),
                outcome=triage.outcome,
                item_code=triage.item.code if triage.item else "",
                item_name=triage.item.name if triage.item else "",
                triage_advice=triage.advice,
                triage_clauses=list(triage.clauses),
                triage_candidates=[{k: c[k] for k in ("code", "name", "kind", "score")} for c in triage.candidates],
                received_at=now,
                received_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _store(app, checked, MaterialKind.SUPPORTING, actor, saved, now)
            _store(app, letter, MaterialKind.AUTHORISATION, actor, saved, now)
            audit_record(
                actor=actor or "public",
                action="certificates.application.receive",
                obj=app,
                region_code=region.code,
                after={
                    **_masked(app),
                    "channel": channel,
                    "materials": len(checked) + len(letter),
                    "by_proxy": by_proxy,
                },
            )
            if channel != Channel.DESK:
                notification_send(
                    kind="certificate.intake",
                    title=f"新的证明申请 {app.receipt_number}：{app.item_name or '目录外事项'}（{Channel(channel).label}）",
                    url=reverse("certificates:detail", args=[app.pk]),
                    role=Role.VILLAGE_CLERK,
                    region=region,
                    subject=(APP_SUBJECT, str(app.pk)),
                )
    except BaseException:
        _discard(saved)
        raise
    return app


def application_add_materials(
    *, actor: Any, application: Application, uploads: Sequence[Upload], kind: str = MaterialKind.SUPPORTING
) -> list[Material]:
    """Add supporting files to an application still being handled (received or awaiting signature)."""
    scope_for(actor).require(Perm.CERT_INTAKE, application.region_id, view=Perm.CERT_VIEW)
    if kind not in MaterialKind.values:
        raise Invalid.field("kind", "材料类别不正确。")
    if application.status not in (Status.RECEIVED, Status.PENDING):
        raise Conflict(f"该申请{application.get_status_display()}，不能再补充材料。", "application_closed")
    if not uploads:
        raise Invalid.field("materials", "请选择要上传的文件（PDF、JPG 或 PNG）。")
    problems = Problems()
    if len(uploads) > rules.MAX_MATERIALS:
        problems.add("materials", f"一次最多上传 {rules.MAX_MATERIALS} 个材料文件。")
    checked = _check_uploads(uploads, "materials", problems)
    problems.raise_if_any()
    now = timezone.now()
    saved: list[str] = []
    try:
        with transaction.atomic():
            _store(application, checked, kind, actor, saved, now)
            audit_record(
                actor=actor,
                action="certificates.application.materials",
                obj=application,
                region_code=application.region_id,
                after={"receipt": application.receipt_number, "kind": kind, "count": len(checked)},
            )
    except BaseException:
        _discard(saved)
        raise
    return list(application.materials.filter(file__in=saved))


# --- decision ------------------------------------------------------------------------------


def _alternative(item: CatalogItem | None) -> rules.Alternative | None:
    if item is None or item.kind != kinds.CERT_FORBIDDEN:
        return None
    kind = item.get("alternative_kind", "") or ""
    return rules.Alternative(
        kind,
        kinds.ALTERNATIVE_KINDS.get(kind, "其他方式"),
        item.get("alternative_agency", "") or "",
        item.get("alternative_text", "") or "",
    )


_OUTCOME_KIND: dict[str, str] = {Outcome.RETAINED: kinds.CERT_RETAINED, Outcome.FORBIDDEN: kinds.CERT_FORBIDDEN}


def application_decide(
    *,
    actor: Any,
    application: Application,
    action: str,
    item_code: str | None = None,
    materials_checked: Sequence[str] = (),
    verification_method: str = "",
    verified_facts: str = "",
    validity_days: int | None = None,
    refusal_ground: str = "",
    note: str = "",
    major_matter: bool = False,
    investigation_record: str = "",
    meeting_resolution: str = "",
    legal_risk: bool = False,
    lawyer_review: str = "",
    uploads: Sequence[tuple[str, Upload]] = (),
    at: dt.datetime | None = None,
) -> Application:
    """The clerk's decision on a received application, checked by rules.decide_application.

    Refuse → 告知书 number, and a township case when an agency demanded a forbidden certificate.
    Issue → awaits the principal's signature （十四）.
    """
    region = application.region
    scope_for(actor).require(Perm.CERT_INTAKE, region.code, view=Perm.CERT_VIEW)
    if application.status != Status.RECEIVED:
        raise Conflict(f"该申请{application.get_status_display()}，不能再次审查。", "already_decided")
    now = at or timezone.now()
    if item_code is None:
        outcome, item = (
            certificate_item_for(region, application.item_code, now.date())
            if application.item_code
            else (Outcome.UNLISTED, None)
        )
    else:
        outcome, item = certificate_item_for(region, item_code, now.date())
    problems = Problems()
    validity_msg = rules.validity_problem(validity_days)
    if validity_msg:
        problems.add("validity_days", validity_msg)
    for name, value, limit in (
        ("verification_method", verification_method, 500),
        ("verified_facts", verified_facts, 2000),
        ("note", note, 500),
        ("investigation_record", investigation_record, 4000),
        ("meeting_resolution", meeting_resolution, 2000),
        ("lawyer_review", lawyer_review, 2000),
    ):
        if len(value or "") > limit:
            problems.add(name, f"内容过长（最多 {limit} 个字）。")
    required = tuple(item.get("materials") or ()) if item is not None and outcome == Outcome.RETAINED else ()
    alternative = _alternative(item)
    decision = rules.decide_application(
        rules.DecisionInput(
            action=action,
            outcome=outcome,
            item_name=item.name if item else "",
            required_materials=required,
            materials_checked=tuple(materials_checked),
            alternative=alternative,
            refusal_ground=refusal_ground,
            note=note,
            verification_method=verification_method,
            verified_facts=verified_facts,
            major_matter=major_matter,
            investigation_record=investigation_record,
            meeting_resolution=meeting_resolution,
            legal_risk=legal_risk,
            lawyer_review=lawyer_review,
            agency_named=bool(application.requesting_agency.strip()),
        )
    )
    for f in decision.problems:
        problems.add(f.field or "action", f"{f.message}")
    staged: list[tuple[str, list[_Checked]]] = []
    for i, (kind, up) in enumerate(uploads):
        if kind not in (
            MaterialKind.INVESTIGATION,
            MaterialKind.RESOLUTION,
            MaterialKind.LAWYER_REVIEW,
            MaterialKind.SUPPORTING,
        ):
            problems.add(f"uploads.{i}", "材料类别不正确。")
            continue
        staged.append((kind, _check_uploads([up], f"uploads.{i}", problems)))
    problems.raise_if_any("无法作出决定：" + "；".join(p.message for p in problems.items[:2]))

    new_status = Status.PENDING if decision.action == rules.ISSUE else Status.REFUSED
    template = (
        template_for(region, item.code if item else rules.UNLISTED_CODE, application.requesting_agency)
        if new_status == Status.PENDING
        else None
    )
    saved: list[str] = []
    try:
        with transaction.atomic():
            refusal_number = ""
            if new_status == Status.REFUSED:
                seq = _next_number(region, timezone.localtime(now).year, CounterKind.REFUSAL)
                refusal_number = rules.refusal_text(timezone.localtime(now).year, seq)
            changed = Application.objects.filter(
                pk=application.pk, status__in=sources(rules.TRANSITIONS, new_status)
            ).update(
                status=new_status,
                outcome=outcome,
                item_code=item.code if item else "",
                item_name=item.name if item else "",
                decided_at=now,
                decided_by=actor,
                decision_rule=decision.rule,
                decision_clause=decision.clause,
                decision_reason=decision.reason,
                refusal_ground=decision.ground,
                refusal_number=refusal_number,
                alternative=alternative.as_dict() if alternative else None,
                materials_checked=[m for m in materials_checked if m],
                verification_method=verification_method.strip(),
                verified_facts=verified_facts.strip(),
                validity_days=validity_days,
                major_matter=major_matter,
                investigation_record=investigation_record.strip(),
                meeting_resolution=meeting_resolution.strip(),
                legal_risk=legal_risk,
                lawyer_review=lawyer_review.strip(),
                template=template,
                returned_note="",
            )
            if not changed:
                raise Conflict("该申请已被他人处理，请刷新后查看。", "already_decided")
            proposed = (_OUTCOME_KIND.get(application.outcome, ""), application.item_code)
            chosen = (item.kind, item.code) if item is not None else ("", "")
            if item_code is not None and chosen[1] != proposed[1]:
                # The clerk read the request differently from triage: keep the wording for the queue.
                phrasing_note(
                    text=application.request_text,
                    source="intake",
                    proposed=proposed,
                    chosen=chosen,
                    names=(application.applicant_name, application.agent_name),
                )
            application.refresh_from_db()
            for kind, files in staged:
                _store(application, files, kind, actor, saved, now)
            case = None
            if decision.coordinate and region.parent_id:
                case = CoordinationCase.objects.create(
                    application=application,
                    region=region,
                    township_id=region.parent_id,
                    item_code=application.item_code,
                    item_name=application.item_name,
                    agency=application.requesting_agency,
                    opened_at=now,
                )
                notification_send(
                    kind="certificate.coordinate",
                    title=f"待协调：{application.requesting_agency}仍索要“{application.item_name}”（{region.name}）",
                    url=reverse("certificates:case", args=[case.pk]),
                    role=Role.TOWNSHIP_OFFICER,
                    region=region.parent_id,
                    subject=(CASE_SUBJECT, str(case.pk)),
                )
            if new_status == Status.PENDING:
                notification_send(
                    kind="certificate.sign_off",
                    title=f"待签字：{application.item_name or '目录外证明'}（{application.receipt_number}）",
                    url=reverse("certificates:detail", args=[application.pk]),
                    role=Role.VILLAGE_HEAD,
                    region=region,
                    subject=(APP_SUBJECT, str(application.pk)),
                )
            notification_close(subject=(APP_SUBJECT, str(application.pk)), kind="certificate.intake", at=now)
            audit_record(
                actor=actor,
                action="certificates.application.decide",
                obj=application,
                region_code=region.code,
                before={"status": Status.RECEIVED},
                after={
                    **_masked(application),
                    "rule": decision.rule,
                    "clause": decision.clause,
                    "ground": decision.ground,
                    "refusal_number": refusal_number,
                    "coordination_case": case.pk if case else None,
                    "major_matter": major_matter,
                    "legal_risk": legal_risk,
                },
            )
    except BaseException:
        _discard(saved)
        raise
    return application


def application_return(*, actor: Any, application: Application, note: str) -> Application:
    """The principal sends a proposed certificate back to the clerk instead of signing it."""
    scope_for(actor).require(Perm.CERT_SIGN_OFF, application.region_id, view=Perm.CERT_VIEW)
    note = (note or "").strip()
    if not note:
        raise Invalid.field("note", "请写明退回原因，便于经办人补正。")
    if len(note) > 500:
        raise Invalid.field("note", "退回原因过长（最多 500 个字）。")
    with transaction.atomic():
        changed = Application.objects.filter(
            pk=application.pk, status__in=sources(rules.TRANSITIONS, Status.RECEIVED)
        ).update(status=Status.RECEIVED, returned_note=note)
        if not changed:
            raise Conflict("该申请不在待签字状态，不能退回。", "not_pending")
        application.refresh_from_db()
        notification_close(subject=(APP_SUBJECT, str(application.pk)), kind="certificate.sign_off")
        notification_send(
            kind="certificate.intake",
            title=f"证明申请被退回：{application.receipt_number}（{note[:40]}）",
            url=reverse("certificates:detail", args=[application.pk]),
            role=Role.VILLAGE_CLERK,
            region=application.region_id,
            subject=(APP_SUBJECT, str(application.pk)),
        )
        audit_record(
            actor=actor,
            action="certificates.application.return",
            obj=application,
            region_code=application.region_id,
            before={"status": Status.PENDING},
            after={"status": Status.RECEIVED, "note": note},
        )
    return application


def application_withdraw(*, actor: Any, application: Application, reason: str) -> Application:
    """The applicant withdraws a request not yet decided (recorded by the clerk)."""
    scope_for(actor).require(Perm.CERT_INTAKE, application.region_id, view=Perm.CERT_VIEW)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.field("reason", "请写明撤回原因。")
    with transaction.atomic():
        changed = Application.objects.filter(
            pk=application.pk, status__in=sources(rules.TRANSITIONS, Status.WITHDRAWN)
        ).update(status=Status.WITHDRAWN, withdrawn_reason=reason[:200], withdrawn_at=timezone.now())
        if not changed:
            raise Conflict("只有待审查的申请可以撤回。", "not_received")
        application.refresh_from_db()
        notification_close(subject=(APP_SUBJECT, str(application.pk)))
        audit_record(
            actor=actor,
            action="certificates.application.withdraw",
            obj=application,
            region_code=application.region_id,
            before={"status": Status.RECEIVED},
            after={"status": Status.WITHDRAWN, "reason": reason[:200]},
        )
    return application


# --- issue ---------------------------------------------------------------------------------


def _signer_title(actor: Any, region: Region) -> str:
    """The principal's title as it stands today, kept with the certificate (OpenSID's register)."""
    signing_roles = [r for r, perms in ROLE_PERMISSIONS.items() if Perm.CERT_SIGN_OFF in perms]
    for m in actor.memberships.filter(active=True, role__in=signing_roles).select_related("region"):
        if m.region.contains(region.code):
            return f"{m.region.name}{Role(m.role).label.removeprefix('村')}"
    return "主要负责人"


def _template_parts(app: Application) -> tuple[str, str, int | None]:
    """Title, body and validity days: the agency's 式样, or the default for the item."""
    if app.template_id:
        t = app.template
        assert t is not None
        return t.title, t.body, t.validity_days
    if app.outcome == Outcome.RETAINED:
        return app.item_name, rules.RETAINED_DEFAULT_BODY, None
    return rules.UNLISTED_DEFAULT_TITLE, rules.UNLISTED_DEFAULT_BODY, None


def build_content(
    app: Application, *, serial: str, issuer_name: str, issued_on: dt.date
) -> tuple[dict[str, Any], dt.date | None]:
    """The printed content of the certificate for an application, and its last valid day."""
    title, body, template_days = _template_parts(app)
    days = app.validity_days or template_days
    valid_until = issued_on + dt.timedelta(days=days - 1) if days else None
    item_code = app.item_code if app.outcome == Outcome.RETAINED else rules.UNLISTED_CODE
    item_name = app.item_name if app.outcome == Outcome.RETAINED else "目录外证明事项"
    values = {
        "姓名": app.applicant_name,
        "身份证号": app.applicant_id_number,
        "村": issuer_name,
        "事项": app.item_name or title,
        "核实情况": app.verified_facts,
        "核实方式": app.verification_method or "入户核实",
        "用途": app.purpose,
        "索要单位": app.requesting_agency or "有关单位",
        "有效期至": rules.date_text(valid_until) if valid_until else "长期",
        "日期": rules.date_text(issued_on),
    }
    fields = [("证明事项", item_name if app.outcome == Outcome.RETAINED else title)]
    if app.requesting_agency:
        fields.append(("索要单位", app.requesting_agency))
    fields.append(("主要负责人签字", ""))
    content = rules.printed_content(
        title=title,
        serial=serial,
        issuer_code=app.region_id,
        issuer_name=issuer_name,
        item_code=item_code,
        item_name=item_name,
        paragraphs=rules.fill_template(body, values),
        fields=fields,
        purpose=app.purpose,
        valid_until=valid_until,
        issued_on=issued_on,
    )
    return content, valid_until


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def certificate_issue(*, actor: Any, application: Application, at: dt.datetime | None = None) -> Certificate:
    """The principal signs off （十四） and the certificate is issued: serial, token, chain entry.

    Only a holder of CERT_SIGN_OFF for the village may do it; a second call is a Conflict.
    """
    from cunwu.ledger.services import chain_append

    region = application.region
    scope = scope_for(actor)
    if not scope.covers(region.code, Perm.CERT_VIEW):
        raise NotFound("找不到该记录，或不在您的管辖范围内。")
    finding = rules.check_signer(is_principal=scope.can(Perm.CERT_SIGN_OFF, region.code))
    if finding:
        raise Forbidden(finding.message, finding.rule)
    if application.status == Status.ISSUED:
        raise Conflict("该申请已出具证明，不能重复出具；如需再次打印，请在证明页面补打。", "already_issued")
    if application.status != Status.PENDING:
        raise Conflict(f"该申请{application.get_status_display()}，没有待签字的证明。", "not_pending")
    now = at or timezone.now()
    issued_on = timezone.localtime(now).date()
    issuer_name = _issuer_name(region)
    with transaction.atomic():
        issuable = sources(rules.TRANSITIONS, Status.ISSUED)
        if not Application.objects.filter(pk=application.pk, status__in=issuable).update(status=Status.ISSUED):
            raise Conflict("该申请已出具证明或已被退回，不能重复出具。", "already_issued")
        seq = _next_number(region, issued_on.year, CounterKind.CERTIFICATE)
        serial = rules.serial_text(region.code, issued_on.year, seq)
        content, valid_until = build_content(application, serial=serial, issuer_name=issuer_name, issued_on=issued_on)
        digest = content_digest(content)
        subject = mask_name(application.applicant_name)
        claims: dict[str, Any] = {
            "sn": serial,
            "iss": region.code,
            "item": content["item"]["code"],
            "sub": subject,
            "iat": int(now.timestamp()),
            "dig": digest,
        }
        until = _end_of_day(valid_until) if valid_until else None
        if until is not None:
            claims["exp"] = int(until.timestamp())
        token, kid = token_sign(claims)
        cert = Certificate.objects.create(
            application=application,
            region=region,
            year=issued_on.year,
            seq=seq,
            serial=serial,
            issuer_name=issuer_name,
            item_code=content["item"]["code"],
            item_name=content["item"]["name"],
            title=content["title"],
            subject_masked=subject,
            content=content,
            digest=digest,
            token=token,
            kid=kid,
            issued_at=now,
            valid_until=until,
            signer=actor,
            signer_name=_display(actor),
            signer_title=_signer_title(actor, region),
            clerk_name=_display(application.decided_by),
        )
        entry = chain_append(
            chain=region.code,
            kind="certificate.issue",
            payload={
                "serial": serial,
                "item": cert.item_code,
                "title": cert.title,
                "subject": subject,
                "digest": digest,
                "kid": kid,
                "issued_at": timezone.localtime(now).isoformat(timespec="seconds"),
                "valid_until": timezone.localtime(until).isoformat(timespec="seconds") if until else None,
                "signer": cert.signer_name,
                "receipt": application.receipt_number,
            },
            ref_type="certificate",
            ref_id=str(cert.pk),
            actor=actor,
        )
        Certificate.objects.filter(pk=cert.pk).update(chain_seq=entry.seq)
        cert.chain_seq = entry.seq
        notification_close(subject=(APP_SUBJECT, str(application.pk)), at=now)
        audit_record(
            actor=actor,
            action="certificates.certificate.issue",
            obj=cert,
            region_code=region.code,
            before={"status": Status.PENDING},
            after={
                "serial": serial,
                "receipt": application.receipt_number,
                "item": cert.item_code,
                "subject": subject,
                "kid": kid,
                "chain_seq": entry.seq,
            },
        )
    application.status = Status.ISSUED
    return cert


def certificate_revoke(
    *, actor: Any, certificate: Certificate, reason: str, at: dt.datetime | None = None
) -> Certificate:
    """The principal revokes an issued certificate with a reason; verifiers then see 已撤销."""
    from cunwu.ledger.services import chain_append

    scope_for(actor).require(Perm.CERT_REVOKE, certificate.region_id, view=Perm.CERT_VIEW)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid.field("reason", "请写明撤销原因（将在核验页面向查验人显示）。")
    if len(reason) > 300:
        raise Invalid.field("reason", "撤销原因过长（最多 300 个字）。")
    if certificate.status == CertificateStatus.REVOKED:
        raise Conflict(
            f"该证明已于{rules.date_text(timezone.localtime(certificate.revoked_at).date())}撤销，不能重复撤销。",
            "already_revoked",
        )
    now = at or timezone.now()
    with transaction.atomic():
        revocable = sources(rules.CERTIFICATE_TRANSITIONS, CertificateStatus.REVOKED)
        changed = Certificate.objects.filter(pk=certificate.pk, status__in=revocable).update(
            status=CertificateStatus.REVOKED, revoked_at=now, revoked_by=actor, revocation_reason=reason
        )
        if not changed:
            raise Conflict("该证明已被撤销，不能重复撤销。", "already_revoked")
        certificate.refresh_from_db()
        chain_append(
            chain=certificate.region_id,
            kind="certificate.revoke",
            payload={
                "serial": certificate.serial,
                "digest": certificate.digest,
                "revoked_at": timezone.localtime(now).isoformat(timespec="seconds"),
                "reason": reason,
                "by": _display(actor),
            },
            ref_type="certificate",
            ref_id=str(certificate.pk),
            actor=actor,
        )
        audit_record(
            actor=actor,
            action="certificates.certificate.revoke",
            obj=certificate,
            region_code=certificate.region_id,
            before={"status": CertificateStatus.VALID},
            after={"status": CertificateStatus.REVOKED, "serial": certificate.serial, "reason": reason},
        )
        # This process shows it at once (forgotten now, and again once committed in case another
        # thread read the old row meanwhile); other processes within VERIFY_FRESH (selectors).
        region_id, serial = certificate.region_id, certificate.serial
        verify_rows_forget(region_id, serial)
        transaction.on_commit(lambda: verify_rows_forget(region_id, serial))
    return certificate


def certificate_print(*, actor: Any, certificate: Certificate, reason: str = "") -> tuple[bytes, CertificateCopy]:
    """Print a copy: the first is the original, later ones are reprints of the same certificate."""
    from .printing import certificate_pdf

    scope_for(actor).require(Perm.CERT_INTAKE, certificate.region_id, view=Perm.CERT_VIEW)
    if certificate.status == CertificateStatus.REVOKED:
        raise Conflict("该证明已撤销，不能再打印。", "revoked")
    if len(reason or "") > 200:
        raise Invalid.field("reason", "补打原因过长（最多 200 个字）。")
    now = timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == CertificateStatus.REVOKED:
            raise Conflict("该证明已撤销，不能再打印。", "revoked")
        number = locked.copies + 1
        pdf = certificate_pdf(locked, copy_number=number)
        copy = CertificateCopy.objects.create(
            certificate=locked,
            number=number,
            printed_at=now,
            printed_by=actor,
            printed_by_name=_display(actor),
            reason=(reason or "").strip(),
        )
        Certificate.objects.filter(pk=locked.pk).update(copies=number)
        audit_record(
            actor=actor,
            action="certificates.certificate.print",
            obj=locked,
            region_code=locked.region_id,
            after={"serial": locked.serial, "copy": number, "reprint": number > 1, "reason": copy.reason},
        )
    certificate.copies = number
    return pdf, copy


def certificate_link_seal_use(*, certificate: Certificate | str, seal_use_ref: str, actor: Any = None) -> Certificate:
    """Record which seal use stamped this certificate (called by the seals app inside its transaction).

    `certificate` is a Certificate or its serial (the serial starts with the village code, so it
    names one certificate). Linking the same reference again is harmless; a different one, an
    unknown serial or a revoked certificate is refused.
    """
    ref = (seal_use_ref or "").strip()
    if not ref or len(ref) > 64:
        raise Invalid.field("seal_use_ref", "用印记录编号应为 1–64 个字符。")
    if isinstance(certificate, str):
        serial = certificate.strip()
        found = Certificate.objects.filter(region_id=serial[:12], serial=serial).first()
        if found is None:
            raise Invalid.field("certificate_serial", f"没有编号为 {serial} 的证明，请核对证明编号。")
        certificate = found
    with transaction.atomic():
        current = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if current.status == CertificateStatus.REVOKED:
            raise Conflict(f"证明 {current.serial} 已撤销，不能再用印。", "certificate_revoked")
        if current.seal_use_ref:
            if current.seal_use_ref == ref:
                certificate.seal_use_ref = ref
                return certificate
            raise Conflict(f"证明 {current.serial} 已关联用印记录 {current.seal_use_ref}。", "seal_already_linked")
        Certificate.objects.filter(pk=current.pk).update(seal_use_ref=ref)
        audit_record(
            actor=actor or "seals",
            action="certificates.certificate.link_seal",
            obj=current,
            region_code=current.region_id,
            after={"serial": current.serial, "seal_use_ref": ref},
        )
    certificate.seal_use_ref = ref
    return certificate


# --- township coordination （十三） ----------------------------------------------------------


def coordination_case_close(*, actor: Any, case: CoordinationCase, action: str, result: str) -> CoordinationCase:
    """The township closes a coordination case, saying what it did （十三）."""
    scope_for(actor).require(Perm.CERT_COORDINATE, case.region_id, view=Perm.CERT_VIEW)
    problems = Problems()
    if action not in CaseAction.values:
        problems.add("action", "请选择处理方式。")
    result = (result or "").strip()
    if not result:
        problems.add("result", "请写明乡镇做了什么（与哪个单位沟通、结果如何）。")
    elif len(result) > 2000:
        problems.add("result", "处理情况过长（最多 2000 个字）。")
    problems.raise_if_any()
    now = timezone.now()
    with transaction.atomic():
        open_ = sources(rules.CASE_TRANSITIONS, CaseStatus.CLOSED)
        changed = CoordinationCase.objects.filter(pk=case.pk, status__in=open_).update(
            status=CaseStatus.CLOSED, closed_at=now, closed_by=actor, action=action, result=result
        )
        if not changed:
            raise Conflict("该协调事项已办结。", "already_closed")
        case.refresh_from_db()
        notification_close(subject=(CASE_SUBJECT, str(case.pk)), at=now)
        audit_record(
            actor=actor,
            action="certificates.case.close",
            obj=case,
            region_code=case.region_id,
            before={"status": CaseStatus.OPEN},
            after={"status": CaseStatus.CLOSED, "action": action, "agency": case.agency, "item": case.item_code},
        )
    return case


# --- templates (式样) （十二） -----------------------------------------------------------------


def _template_item_name(region: Region, item_code: str) -> str:
    if item_code == rules.UNLISTED_CODE:
        return "目录外证明事项（通用式样）"
    try:
        return catalog_item_get(kinds.CERT_RETAINED, region, item_code).name
    except NotFound as exc:
        raise Invalid.field("item_code", f"保留证明事项目录中没有编码为 {item_code} 的事项。") from exc


def template_save(
    *,
    actor: Any,
    region: Region,
    item_code: str,
    title: str,
    body: str,
    requesting_agency: str,
    validity_days: int | None = None,
    organisation_id: int | None = None,
    template: CertificateTemplate | None = None,
) -> CertificateTemplate:
    """Create or edit a draft 式样 for a retained item (or the general one for unlisted items)."""
    scope = scope_for(actor)
    target = template.region if template else region
    if template is not None:
        org_id = template.organisation_id
    elif any(not g.is_department and g.covers(target.code) for g in scope.grants if Perm.CERT_TEMPLATE in g.perms):
        org_id = organisation_id  # a county-level editor may publish on behalf of a department, or none
    else:
        departments = scope.department_ids(Perm.CERT_TEMPLATE)
        org_id = organisation_id if organisation_id in departments else (departments[0] if departments else None)
    # Regions are public, so a template for a region one does not manage is refused, not hidden.
    if not scope.can(Perm.CERT_TEMPLATE, target.code, org_id):
        raise Forbidden("您没有为该地区制定证明式样的权限。")
    if template is not None and template.status != TemplateStatus.DRAFT:
        raise Conflict("已公布或停用的式样不能修改；请新建一份式样。", "template_not_draft")
    if target.is_village or target.level == "township":
        raise Invalid.field("region", "式样由县级及以上部门制定，适用于辖区内所有村（社区）。")
    item_code = (item_code or "").strip().upper()
    problems = Problems()
    for f in rules.template_problems(title, body):
        problems.add(f.field, f.message)
    agency = (requesting_agency or "").strip()
    if not agency:
        problems.add("requesting_agency", "请填写索要证明的单位（式样由索要单位提出）。")
    elif len(agency) > 128:
        problems.add("requesting_agency", "索要单位名称过长（最多 128 个字）。")
    msg = rules.validity_problem(validity_days)
    if msg:
        problems.add("validity_days", msg)
    item_name = ""
    try:
        item_name = _template_item_name(target, item_code)
    except Invalid as exc:
        problems.items.extend(exc.errors)
    problems.raise_if_any()
    with transaction.atomic():
        if template is None:
            template = CertificateTemplate.objects.create(
                item_code=item_code,
                item_name=item_name,
                region=target,
                organisation_id=org_id,
                requesting_agency=agency,
                title=title.strip(),
                body=body.strip(),
                validity_days=validity_days,
                created_at=timezone.now(),
                created_by=actor,
            )
            action = "certificates.template.create"
        else:
            changed = CertificateTemplate.objects.filter(pk=template.pk, status=TemplateStatus.DRAFT).update(
                item_code=item_code,
                item_name=item_name,
                requesting_agency=agency,
                title=title.strip(),
                body=body.strip(),
                validity_days=validity_days,
            )
            if not changed:
                raise Conflict("已公布或停用的式样不能修改。", "template_not_draft")
            template.refresh_from_db()
            action = "certificates.template.update"
        audit_record(
            actor=actor,
            action=action,
            obj=template,
            region_code=target.code,
            after={"item_code": item_code, "title": template.title, "agency": agency, "validity_days": validity_days},
        )
    return template


def template_publish(*, actor: Any, template: CertificateTemplate) -> CertificateTemplate:
    """Publish a draft 式样: it is shown on the portal and used for new certificates （十二）."""
    scope_for(actor).require(Perm.CERT_TEMPLATE, template.region_id, template.organisation_id, view=Perm.CERT_TEMPLATE)
    now = timezone.now()
    with transaction.atomic():
        publishable = sources(rules.TEMPLATE_TRANSITIONS, TemplateStatus.PUBLISHED)
        if not CertificateTemplate.objects.filter(pk=template.pk, status__in=publishable).update(
            status=TemplateStatus.PUBLISHED, published_at=now, published_by=actor
        ):
            raise Conflict("只有草稿可以公布。", "template_not_draft")
        template.refresh_from_db()
        audit_record(
            actor=actor,
            action="certificates.template.publish",
            obj=template,
            region_code=template.region_id,
            before={"status": TemplateStatus.DRAFT},
            after={"status": TemplateStatus.PUBLISHED, "item_code": template.item_code},
        )
    return template


def template_withdraw(*, actor: Any, template: CertificateTemplate) -> CertificateTemplate:
    """Stop using a published 式样; certificates already issued keep their printed text."""
    scope_for(actor).require(Perm.CERT_TEMPLATE, template.region_id, template.organisation_id, view=Perm.CERT_TEMPLATE)
    with transaction.atomic():
        withdrawable = sources(rules.TEMPLATE_TRANSITIONS, TemplateStatus.WITHDRAWN)
        if not CertificateTemplate.objects.filter(pk=template.pk, status__in=withdrawable).update(
            status=TemplateStatus.WITHDRAWN, withdrawn_at=timezone.now()
        ):
            raise Conflict("只有已公布的式样可以停用。", "template_not_published")
        template.refresh_from_db()
        audit_record(
            actor=actor,
            action="certificates.template.withdraw",
            obj=template,
            region_code=template.region_id,
            before={"status": TemplateStatus.PUBLISHED},
            after={"status": TemplateStatus.WITHDRAWN},
        )
    return template


__all__ = [
    "Upload",
    "application_add_materials",
    "application_decide",
    "application_receive",
    "application_return",
    "application_withdraw",
    "certificate_issue",
    "certificate_link_seal_use",
    "certificate_print",
    "certificate_revoke",
    "coordination_case_close",
    "template_publish",
    "template_save",
    "template_withdraw",
]
