"""Every write of the complaints area: atomic, audited, one conditional update per transition.

A complaint's reporter is the public: `complaint_file` and `question_ask` take no actor. An
anonymous report's audit rows keep no IP address (`audit_record(keep_ip=False)`).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunwu.accounts.scope import scope_for
from cunwu.admission.rules import ScreenInput
from cunwu.admission.selectors import offlists_about, screening_for
from cunwu.audit.services import audit_record
from cunwu.documents import UploadError, check_upload, clean_image
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Problems
from cunwu.masking import mask_name, mask_phone
from cunwu.regions import codes
from cunwu.regions.selectors import region_get

from . import references, rules
from .models import (
    Complaint,
    Decision,
    DocumentStatus,
    Event,
    Finding,
    Photo,
    Question,
    Reference,
    ReviewedDocument,
    ReviewFinding,
    Status,
    TypicalCase,
)

PHOTO_KINDS = {"jpeg", "png", "webp"}
_EXT = {"jpeg": "jpg", "png": "png", "webp": "webp"}
_MIME = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
# An off-list report the village filed within this many days before is taken as the same matter.
OFFLIST_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str = ""


@dataclass
class Filing:
    """What a reporter sends: the API body or the public form, already parsed."""

    category: str
    region: str
    text: str
    subject: str = ""
    anonymous: bool = True
    contact_name: str = ""
    contact_phone: str = ""
    photos: list[Upload] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    source: str = ""
    contact_given: bool = False  # the API's `contact` object was sent at all (refused when anonymous)


def _snapshot(c: Complaint) -> dict[str, Any]:
    """What an audit row may hold about a complaint: masked contact, never the text."""
    return {
        "tracking_code": c.tracking_code,
        "status": c.status,
        "category": c.category,
        "region": c.region_id,
        "handler": c.handler_id,
        "anonymous": c.anonymous,
        "contact": None if c.anonymous else {"name": mask_name(c.contact_name), "phone": mask_phone(c.contact_phone)},
        "due": str(c.due),
    }


# --- filing ---------------------------------------------------------------------------------------


def _check_filing(f: Filing, problems: Problems) -> Any:
    if f.category not in rules.CATEGORIES:
        problems.add("category", "请选择举报类别。")
    problem = rules.text_problem(f.text)
    if problem:
        problems.add("text", problem)
    if len(f.subject) > rules.SUBJECT_MAX:
        problems.add("subject", f"涉及部门或事项最多 {rules.SUBJECT_MAX} 字。")
    if f.anonymous:
        if f.contact_given or f.contact_name.strip() or f.contact_phone.strip():
            problems.add("contact", "匿名举报不留姓名和电话；如愿意留下联系方式，请选择实名举报。")
    else:
        for name, problem in (
            ("contact.name", rules.name_problem(f.contact_name)),
            ("contact.phone", rules.phone_problem(f.contact_phone)),
        ):
            if problem:
                problems.add(name, problem)
    if len(f.photos) > rules.PHOTOS_MAX:
        problems.add("photos", f"最多上传 {rules.PHOTOS_MAX} 张照片。")
    region = None
    problem = codes.code_problem(f.region)
    if problem:
        problems.add("region", problem)
    else:
        try:
            region = region_get(f.region)
        except NotFound:
            problems.add("region", f"没有代码为 {f.region} 的行政区划，请从列表中选择。")
    return region


def _prepare_photos(photos: list[Upload], problems: Problems) -> list[tuple[bytes, str]]:
    """Check each photo's bytes and re-encode it without EXIF/GPS, before anything is saved."""
    out = []
    for i, up in enumerate(photos[: rules.PHOTOS_MAX]):
        try:
            checked = check_upload(up.data, up.filename, allowed=PHOTO_KINDS, max_bytes=rules.PHOTO_MAX_BYTES)
            out.append(
                (
                    clean_image(up.data, max_pixels=rules.PHOTO_MAX_PIXELS, max_dimension=rules.PHOTO_MAX_SIDE),
                    checked.kind,
                )
            )
        except UploadError as exc:
            problems.add(f"photos.{i}", exc.message)
    return out


def _store_photos(complaint: Complaint, prepared: list[tuple[bytes, str]], written: list[Path]) -> None:
    for data, kind in prepared:
        relative = f"complaints/{uuid.uuid4().hex}.{_EXT[kind]}"
        path = Path(settings.MEDIA_ROOT) / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
        Photo.objects.create(
            complaint=complaint,
            path=relative,
            kind=kind,
            mime=_MIME[kind],
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
        )


def _link_offlist(complaint: Complaint) -> None:
    """A pushed_work report about work a village already reported off-list is the same matter （二）."""
    if complaint.category != "pushed_work" or not complaint.subject.strip():
        return
    if codes.level_of(complaint.region_id) not in (codes.VILLAGE, codes.COMMUNITY):
        return
    since = timezone.localdate() - timedelta(days=OFFLIST_WINDOW_DAYS)
    for pk in offlists_about(complaint.region_id, complaint.subject, since):
        found = references.resolve("offlist_report", str(pk), complaint.region)
        if found:
            Reference.objects.get_or_create(complaint=complaint, kind=found.kind, ref=found.ref, label=found.label)


def complaint_file(f: Filing) -> Complaint:
    """File a report from the public. Routing by region alone; due in 15 working days （十六）.

    Raises Invalid (422) with every field problem at once; nothing is kept when anything is wrong.
    """
    problems = Problems()
    region = _check_filing(f, problems)
    prepared = _prepare_photos(f.photos, problems)
    refs = []
    if region is not None:
        for kind, ref in f.references:
            if not ref:
                continue
            found = references.resolve(kind, ref, region)
            if found is None:
                problems.add(f"references.{kind}", f"找不到编号为 {ref[:32]} 的{references.KINDS.get(kind, '记录')}。")
            else:
                refs.append(found)
    problems.raise_if_any()
    assert region is not None
    handler = region_get(rules.handler_code(region.code))
    now = timezone.now()
    written: list[Path] = []
    try:
        for _attempt in range(5):
            try:
                with transaction.atomic():
                    complaint = Complaint.objects.create(
                        tracking_code=rules.new_tracking_code(),
                        category=f.category,
                        region=region,
                        handler=handler,
                        subject=f.subject.strip(),
                        text=f.text,
                        anonymous=f.anonymous,
                        contact_name="" if f.anonymous else f.contact_name.strip(),
                        contact_phone="" if f.anonymous else f.contact_phone.strip().replace(" ", ""),
                        source=f.source[:16],
                        received_at=now,
                        due=rules.due_date(timezone.localtime(now).date()),
                    )
                    Event.objects.create(complaint=complaint, action="received", status=Status.RECEIVED, at=now)
                    for r in refs:
                        Reference.objects.create(complaint=complaint, kind=r.kind, ref=r.ref, label=r.label)
                    _link_offlist(complaint)
                    _store_photos(complaint, prepared, written)
                    audit_record(
                        actor="公众" if f.anonymous else "",
                        action="complaint.file",
                        obj=complaint,
                        region_code=region.code,
                        after=_snapshot(complaint) | {"photos": len(prepared)},
                        keep_ip=not f.anonymous,
                    )
                    return complaint
            except IntegrityError:
                # A tracking-code collision (2⁻⁶⁰) or a constraint; try a fresh code, then give up.
                for path in written:
                    path.unlink(missing_ok=True)
                written.clear()
        raise Conflict("举报暂时无法保存，请稍后再试。", "try_again")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


# --- handling -------------------------------------------------------------------------------------


def _require_handler(actor: Any, complaint: Complaint) -> None:
    """Staff of the handling body only; anyone else who cannot see the report gets 404 from the selector."""
    scope = scope_for(actor)
    if complaint.handler_id not in rules.handling_codes(scope):
        raise Forbidden("只有办理单位的工作人员可以办理该举报。")


def _move(
    *,
    actor: Any,
    complaint: Complaint,
    new: str,
    action: str,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> Complaint:
    """One transition as a conditional update, its event and its audit row, in one transaction."""
    _require_handler(actor, complaint)
    if not rules.can_move(complaint.status, new):
        raise Conflict(
            f"该举报当前状态为“{Status(complaint.status).label}”，不能{rules.STEP_LABELS[action]}。", "wrong_status"
        )
    now = timezone.now()
    fields = dict(changes or {})
    if new in (Status.DECLINED, Status.CONCLUDED):
        fields["closed_at"] = now
    with transaction.atomic():
        before = _snapshot(complaint)
        changed = Complaint.objects.filter(pk=complaint.pk, status__in=rules.sources_from(new)).update(
            status=new, **fields
        )
        if not changed:
            raise Conflict("该举报已被他人办理，请刷新后查看。", "wrong_status")
        complaint.refresh_from_db()
        Event.objects.create(complaint=complaint, action=action, status=new, note=note, at=now, by=actor)
        audit_record(
            actor=actor,
            action=f"complaint.{action}",
            obj=complaint,
            region_code=complaint.region_id,
            before=before,
            after=_snapshot(complaint),
            note=note[:300],
        )
    return complaint


def _reason(value: str, label: str = "理由") -> str:
    problem = rules.text_problem(value, label=label, limit=rules.REASON_MAX)
    if problem:
        raise Invalid.field("reason", problem)
    return value.strip()


def complaint_accept(*, actor: Any, complaint: Complaint, note: str = "") -> Complaint:
    """received → accepted (under investigation)."""
    return _move(actor=actor, complaint=complaint, new=Status.ACCEPTED, action="accepted", note=note.strip()[:300])


def complaint_decline(*, actor: Any, complaint: Complaint, reason: str) -> Complaint:
    """received → declined, with the reason the reporter reads (e.g. outside the measures)."""
    reason = _reason(reason, "不予受理的理由")
    return _move(
        actor=actor,
        complaint=complaint,
        new=Status.DECLINED,
        action="declined",
        note=reason,
        changes={"decline_reason": reason},
    )


def complaint_conclude(*, actor: Any, complaint: Complaint, outcome: str, finding: str) -> Complaint:
    """received or accepted → concluded with a finding and what was done; a second conclusion → 409."""
    problems = Problems()
    problem = rules.text_problem(outcome, label="办理结果", limit=rules.OUTCOME_MAX)
    if problem:
        problems.add("outcome", problem)
    if finding not in Finding.values:
        problems.add("finding", "请选择核查结论：属实、部分属实或不属实。")
    if complaint.status == Status.CONCLUDED:
        raise Conflict("该举报已经办结，不能再次办结。", "already_concluded")
    problems.raise_if_any()
    return _move(
        actor=actor,
        complaint=complaint,
        new=Status.CONCLUDED,
        action="concluded",
        note=outcome.strip(),
        changes={"outcome": outcome.strip(), "finding": finding},
    )


def _step(*, actor: Any, complaint: Complaint, action: str, note: str, public: bool = True, **changes: Any) -> None:
    """A step that keeps the status (extend, transfer): conditional on the case still being open."""
    _require_handler(actor, complaint)
    now = timezone.now()
    with transaction.atomic():
        before = _snapshot(complaint)
        qs = Complaint.objects.filter(pk=complaint.pk, status__in=rules.OPEN, handler_id=complaint.handler_id)
        if action == "extended":
            qs = qs.filter(extension_reason="")
        if not qs.update(**changes):
            raise Conflict("该举报已办结、已移交或已延期过，请刷新后查看。", "wrong_status")
        complaint.refresh_from_db()
        Event.objects.create(
            complaint=complaint, action=action, status=complaint.status, note=note, at=now, by=actor, public=public
        )
        audit_record(
            actor=actor,
            action=f"complaint.{action}",
            obj=complaint,
            region_code=complaint.region_id,
            before=before,
            after=_snapshot(complaint),
            note=note[:300],
        )


def complaint_extend(*, actor: Any, complaint: Complaint, reason: str) -> Complaint:
    """Once only: another 15 working days from the current due date, with a reason the reporter sees."""
    reason = _reason(reason, "延期理由")
    if complaint.extension_reason:
        raise Conflict("办理期限只能延长一次。", "already_extended")
    due = rules.extended_due(complaint.due)
    _step(actor=actor, complaint=complaint, action="extended", note=reason, extension_reason=reason, due=due)
    return complaint


def complaint_transfer(*, actor: Any, complaint: Complaint, reason: str) -> Complaint:
    """Hand the report up one level (county → prefecture → province) with a reason."""
    reason = _reason(reason, "移交理由")
    target = rules.transfer_target(complaint.handler_id)
    if target is None:
        raise Conflict("省级是最高一级办理单位，不能再向上移交。", "no_higher_body")
    handler = region_get(target)
    _step(actor=actor, complaint=complaint, action="transferred", note=f"移交{handler.name}：{reason}", handler=handler)
    return complaint


def complaint_note(*, actor: Any, complaint: Complaint, note: str, public: bool) -> Complaint:
    """An internal note (e.g. the explanation asked of the township), or a progress note the reporter sees."""
    note = _reason(note, "说明")
    _require_handler(actor, complaint)
    with transaction.atomic():
        Event.objects.create(
            complaint=complaint, action="explanation", status=complaint.status, note=note, by=actor, public=public
        )
        audit_record(actor=actor, action="complaint.note", obj=complaint, region_code=complaint.region_id)
    return complaint


def complaint_callback(*, actor: Any, complaint: Complaint, note: str, satisfied: bool | None) -> Complaint:
    """回访: the handler called a named reporter back after closing the case and records the result."""
    _require_handler(actor, complaint)
    if complaint.anonymous:
        raise Conflict("匿名举报没有联系方式，无法回访。", "anonymous")
    if complaint.is_open:
        raise Conflict("办结或不予受理后再回访。", "wrong_status")
    note = _reason(note, "回访情况")
    now = timezone.now()
    with transaction.atomic():
        Complaint.objects.filter(pk=complaint.pk).update(
            callback_at=now, callback_note=note, callback_satisfied=satisfied
        )
        complaint.refresh_from_db()
        Event.objects.create(
            complaint=complaint, action="callback", status=complaint.status, note=note, at=now, by=actor, public=False
        )
        audit_record(
            actor=actor,
            action="complaint.callback",
            obj=complaint,
            region_code=complaint.region_id,
            after={"satisfied": satisfied},
        )
    return complaint


def question_ask(*, complaint: Complaint, text: str) -> Question:
    """The reporter adds a follow-up question by tracking code (no account; anonymous keeps no IP)."""
    problem = rules.text_problem(text, label="追问内容", limit=rules.QUESTION_MAX)
    if problem:
        raise Invalid.field("text", problem)
    with transaction.atomic():
        question = Question.objects.create(complaint=complaint, text=text)
        Event.objects.create(complaint=complaint, action="question", status=complaint.status, public=True)
        audit_record(
            actor="公众" if complaint.anonymous else "",
            action="complaint.question",
            obj=complaint,
            region_code=complaint.region_id,
            keep_ip=not complaint.anonymous,
        )
    return question


def question_answer(*, actor: Any, question: Question, answer: str) -> Question:
    problem = rules.text_problem(answer, label="答复", limit=rules.QUESTION_MAX)
    if problem:
        raise Invalid.field("answer", problem)
    _require_handler(actor, question.complaint)
    now = timezone.now()
    with transaction.atomic():
        if not Question.objects.filter(pk=question.pk, answered_at__isnull=True).update(
            answer=answer.strip(), answered_at=now, answered_by=actor
        ):
            raise Conflict("该追问已经答复。", "already_answered")
        question.refresh_from_db()
        Event.objects.create(
            complaint=question.complaint, action="answer", status=question.complaint.status, at=now, by=actor
        )
        audit_record(
            actor=actor, action="complaint.answer", obj=question.complaint, region_code=question.complaint.region_id
        )
    return question


# --- typical cases (通报曝光) -----------------------------------------------------------------------


@dataclass
class CaseDraft:
    title: str
    summary: str
    department: str
    clause: str
    action_taken: str


def typical_case_check(complaint: Complaint, draft: CaseDraft) -> None:
    """Raise Invalid unless the draft can be published: concluded case, no personal data （十六）."""
    if complaint.status != Status.CONCLUDED:
        raise Conflict("只有已办结的举报可以作为典型案例通报。", "not_concluded")
    names = [complaint.contact_name] if complaint.contact_name else []
    check = rules.check_typical_case(
        title=draft.title,
        summary=draft.summary,
        department=draft.department,
        clause=draft.clause,
        action_taken=draft.action_taken,
        names=names,
    )
    if not check.ok:
        raise Invalid("；".join(check.problems), [_field_of(p) for p in check.problems])


def _field_of(problem: str) -> FieldError:
    for label, name in (
        ("标题", "title"),
        ("案情摘要", "summary"),
        ("处理结果", "action_taken"),
        ("部门", "department"),
        ("条款", "clause"),
    ):
        if label in problem:
            return FieldError(name, problem)
    return FieldError("summary", problem)


def typical_case_publish(*, actor: Any, complaint: Complaint, draft: CaseDraft) -> TypicalCase:
    """A county or province admin publishes a concluded case, after the masking check and confirmation."""
    if not rules.can_publish(scope_for(actor), complaint.region_id):
        raise Forbidden("只有县级或省级管理员可以发布典型案例。")
    typical_case_check(complaint, draft)
    prefecture = region_get(codes.prefix(complaint.region_id, codes.PREFECTURE) + "0" * 8)
    with transaction.atomic():
        try:
            with transaction.atomic():
                case = TypicalCase.objects.create(
                    complaint=complaint,
                    title=draft.title.strip(),
                    summary=draft.summary.strip(),
                    department=draft.department.strip(),
                    clause=draft.clause,
                    action_taken=draft.action_taken.strip(),
                    prefecture=prefecture,
                    published_by=actor,
                )
        except IntegrityError as exc:
            raise Conflict("该举报已经作为典型案例发布。", "already_published") from exc
        audit_record(
            actor=actor,
            action="complaint.publish",
            obj=case,
            region_code=complaint.region_id,
            after={"complaint": complaint.tracking_code, "clause": case.clause, "department": case.department},
        )
    return case


# --- review of regulatory documents (梳理排查制度性文件) ------------------------------------------------


@dataclass
class DocumentInput:
    county: str
    title: str
    issuer: str
    text: str
    source: str
    reference: str = ""


def document_review(*, actor: Any, doc: DocumentInput) -> ReviewedDocument:
    """Split the text into sentences and screen each with the admission engine （十六）（二）（四）（五）（六）.

    Only sentences with violations are kept as findings, each with the rule and clause it breaches.
    """
    problems = Problems()
    if not doc.title.strip():
        problems.add("title", "请填写文件名称。")
    if not doc.issuer.strip():
        problems.add("issuer", "请填写制发部门。")
    sentences = rules.split_sentences(doc.text)
    if not sentences:
        problems.add("text", "没有读到文件正文，请检查文件或直接粘贴文字。")
    if len(doc.text) > rules.DOCUMENT_MAX_CHARS:
        problems.add("text", f"文件正文超过 {rules.DOCUMENT_MAX_CHARS} 字，请分篇审查。")
    county = None
    try:
        county = region_get(doc.county)
    except (NotFound, Invalid):
        problems.add("county", "请选择文件适用的县（市、区）。")
    problems.raise_if_any()
    assert county is not None
    if not rules.can_review(scope_for(actor), county.code):
        raise Forbidden("只有县级及以上工作人员或部门工作人员可以审查制度性文件。")
    found = []
    for i, sentence in enumerate(sentences, start=1):
        screening = screening_for(ScreenInput(title="", content=sentence), county)
        if screening.violations:
            found.append((i, sentence, [v.as_api() for v in screening.violations]))
    with transaction.atomic():
        document = ReviewedDocument.objects.create(
            county=county,
            title=doc.title.strip()[:200],
            issuer=doc.issuer.strip()[:128],
            reference=doc.reference.strip()[:64],
            source=doc.source,
            text=doc.text,
            sentence_count=len(sentences),
            status=DocumentStatus.OPEN if found else DocumentStatus.DONE,
            created_by=actor,
        )
        ReviewFinding.objects.bulk_create(
            ReviewFinding(document=document, index=i, sentence=s, violations=v) for i, s, v in found
        )
        audit_record(
            actor=actor,
            action="complaint.document_review",
            obj=document,
            region_code=county.code,
            after={"title": document.title, "sentences": len(sentences), "findings": len(found)},
        )
    return document


def finding_decide(*, actor: Any, finding: ReviewFinding, decision: str, basis: str) -> ReviewFinding:
    """Record revise / repeal / keep with a basis; the document is done when every finding is decided."""
    problems = Problems()
    if decision not in Decision.values:
        problems.add("decision", "请选择处理方式：修改、废止或保留。")
    if not basis.strip():
        problems.add("basis", "请写明处理依据或说明（保留的须说明法律法规依据）。")
    elif len(basis) > 500:
        problems.add("basis", "处理依据最多 500 字。")
    problems.raise_if_any()
    if not rules.can_review(scope_for(actor), finding.document.county_id):
        raise Forbidden("您没有处理该文件审查的权限。")
    with transaction.atomic():
        ReviewFinding.objects.filter(pk=finding.pk).update(
            decision=decision, basis=basis.strip(), decided_by=actor, decided_at=timezone.now()
        )
        open_left = ReviewFinding.objects.filter(document_id=finding.document_id, decision="").exists()
        ReviewedDocument.objects.filter(pk=finding.document_id).update(
            status=DocumentStatus.OPEN if open_left else DocumentStatus.DONE
        )
        finding.refresh_from_db()
        audit_record(
            actor=actor,
            action="complaint.finding_decide",
            obj=finding,
            region_code=finding.document.county_id,
            after={"decision": decision},
        )
    return finding
