"""API operations of the certificates app (mounted at /api/v1/ by cunwu/api.py).

Everything the desk does is here too, so the provincial platform (一体化政务服务平台) can take
applications online and hand them to the village. /certificates/triage belongs to the catalogs app.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.documents import write_table
from cunwu.errors import DomainError, Forbidden, Invalid, NotFound
from cunwu.masking import mask_id_number, mask_name
from cunwu.regions.selectors import region_get
from cunwu.textinput import clean_query
from cunwu.throttling import check_rate

from . import printing
from .models import Application, Certificate, CertificateStatus, CertificateTemplate, CoordinationCase, MaterialKind
from .models import Status as AppStatus
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    CaseCloseIn,
    CaseOut,
    CertificateOut,
    DecisionIn,
    NoteIn,
    Page,
    PrintIn,
    ReasonIn,
    RegisterPage,
    StatsOut,
    TemplateIn,
    TemplateOut,
    VerifyOut,
)
from .selectors import (
    Filters,
    application_get_for,
    application_list_for,
    case_get_for,
    case_list_for,
    certificate_get_for,
    certificate_verify,
    coordination_case_of,
    register_list_for,
    register_stats_for,
    template_get_for,
    template_public_list,
)
from .services import (
    Upload,
    application_add_materials,
    application_decide,
    application_receive,
    application_return,
    application_withdraw,
    certificate_issue,
    certificate_print,
    certificate_revoke,
    coordination_case_close,
    template_publish,
    template_save,
    template_withdraw,
)
from .views import REGISTER_HEADERS, pdf_response, register_rows

router = Router(tags=["证明事项"])


# --- verification (public) --------------------------------------------------------------------


# Public: banks, police stations and anyone holding a paper certificate check it without an
# account (DESIGN.md §4). Rate-limited per client; answers 200 for any token string.
@router.get("/certificates/verify", response={200: VerifyOut}, auth=None, summary="核验证明真伪（扫码核验）")
def verify(request: HttpRequest, token: str | None = None) -> HttpResponse:
    check_rate(request, "verify")
    if token is None:
        raise Invalid.field("token", "请提供 token 参数（证明二维码中 /v/ 之后的核验码）。")
    # Serialised here rather than through the schema: this is the hot path (see the bench).
    body = json.dumps(certificate_verify(token), ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def verify_view(request: HttpRequest) -> HttpResponse:
    """The same operation as a plain Django view, mounted ahead of the API in cunwu/urls.py.

    django-ninja's per-request work (resolving among every API route, building the parameter model,
    the temporal response) was a fifth of a verification's time (docs/benchmarks.md, issue 17). This
    view answers exactly as the operation above does: the query cleaned as the API's TextParser
    cleans it (422 for control characters), the rate limit, 422 without a token, 405 for other
    methods; the operation stays for the OpenAPI schema.
    """
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"], content=b"Method not allowed")
    from cunwu.api import domain_error

    try:
        query = clean_query(request.GET)
        return verify(request, query.get("token"))
    except DomainError as exc:
        return domain_error(request, exc)


verify_view.csrf_exempt = True  # type: ignore[attr-defined]  # GET only; as django-ninja marks its views


# --- serialisation -----------------------------------------------------------------------------


def _t(value: dt.datetime | None) -> dt.datetime | None:
    """Times leave the API in Asia/Shanghai, e.g. 2027-03-01T09:30:00+08:00 (DESIGN.md §4)."""
    return timezone.localtime(value) if value else None


def _cn(code: str, name: str) -> dict[str, str]:
    return {"code": code, "name": name}


def _cert_out(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "serial": c.serial,
        "status": c.status,
        "title": c.title,
        "item": _cn(c.item_code, c.item_name),
        "issuer": _cn(c.region_id, c.issuer_name),
        "subject": c.subject_masked,
        "issued_at": _t(c.issued_at),
        "valid_until": _t(c.valid_until),
        "revoked_at": _t(c.revoked_at),
        "revocation_reason": c.revocation_reason or None,
        "signer_name": c.signer_name,
        "signer_title": c.signer_title,
        "copies": c.copies,
        "seal_use_ref": c.seal_use_ref or None,
        "chain_seq": c.chain_seq,
        "token": c.token,
        "verify_url": printing.verify_url(c.token),
        "application_id": c.application_id,
    }


def _app_out(a: Application) -> dict[str, Any]:
    cert = getattr(a, "certificate", None) if a.status == AppStatus.ISSUED else None
    case = coordination_case_of(a) if a.status == AppStatus.REFUSED else None
    decision = None
    if a.decided_at:
        decision = {
            "rule": a.decision_rule,
            "clause": a.decision_clause,
            "reason": a.decision_reason,
            "refusal_ground": a.refusal_ground or None,
            "refusal_number": a.refusal_number or None,
            "alternative": a.alternative,
            "decided_at": timezone.localtime(a.decided_at).isoformat(timespec="seconds"),
            "verified_facts": a.verified_facts or None,
            "verification_method": a.verification_method or None,
            "validity_days": a.validity_days,
            "major_matter": a.major_matter,
            "legal_risk": a.legal_risk,
            "returned_note": a.returned_note or None,
        }
    return {
        "id": a.pk,
        "receipt_number": a.receipt_number,
        "region": _cn(a.region_id, a.region.name),
        "channel": a.channel,
        "status": a.status,
        "applicant": mask_name(a.applicant_name),
        "applicant_id_number": mask_id_number(a.applicant_id_number),
        "by_proxy": a.by_proxy,
        "agent": mask_name(a.agent_name) if a.by_proxy else None,
        "request_text": a.request_text,
        "purpose": a.purpose,
        "requesting_agency": a.requesting_agency or None,
        "agency_basis": a.agency_basis or None,
        "outcome": a.outcome,
        "item": _cn(a.item_code, a.item_name) if a.item_code else None,
        "triage": {"advice": a.triage_advice, "clauses": a.triage_clauses, "candidates": a.triage_candidates},
        "received_at": _t(a.received_at),
        "decision": decision,
        "certificate": _cert_out(cert) if cert else None,
        "coordination_case": {"id": case.pk, "status": case.status} if case else None,
        "materials": [
            {
                "id": m.pk,
                "kind": m.kind,
                "label": m.label,
                "mime": m.mime,
                "size": m.size,
                "sha256": m.sha256,
                "uploaded_at": _t(m.uploaded_at),
            }
            for m in a.materials.all()
        ],
    }


def _case_out(c: CoordinationCase) -> dict[str, Any]:
    return {
        "id": c.pk,
        "application_id": c.application_id,
        "region": _cn(c.region_id, c.region.name),
        "township": _cn(c.township_id, c.township.name),
        "item": _cn(c.item_code, c.item_name),
        "agency": c.agency,
        "status": c.status,
        "opened_at": _t(c.opened_at),
        "closed_at": _t(c.closed_at),
        "action": c.action or None,
        "result": c.result or None,
    }


def _template_out(t: CertificateTemplate) -> dict[str, Any]:
    published = t.status == "published"
    return {
        "id": t.pk,
        "item_code": t.item_code,
        "item_name": t.item_name,
        "region": _cn(t.region_id, t.region.name),
        "requesting_agency": t.requesting_agency,
        "title": t.title,
        "body": t.body,
        "validity_days": t.validity_days,
        "status": t.status,
        "published_at": _t(t.published_at),
        "sample_pdf": reverse("certificates_public:sample_pdf", args=[t.pk]) if published else None,
    }


class ListQuery(Schema):
    status: str = ""
    outcome: str = ""
    item: str = ""
    agency: str = ""
    region: str = ""
    q: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0)

    def filters(self) -> Filters:
        return Filters(self.status, self.outcome, self.item, self.agency, self.region, self.q, self.since, self.until)


def _need(request: HttpRequest, perm: Perm) -> None:
    if not scope_for(request.user).has(perm):
        raise Forbidden("您没有查看证明事项的权限。")


# --- applications ------------------------------------------------------------------------------


@router.get("/certificates/applications", response=Page, summary="证明申请列表（管辖范围内，姓名脱敏）")
def applications(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    _need(request, Perm.CERT_VIEW)
    qs = application_list_for(request.user, query.filters()).prefetch_related("materials")
    rows = list(qs[query.offset : query.offset + query.limit])
    return {"count": qs.count(), "items": [_app_out(a) for a in rows]}


@router.post(
    "/certificates/applications", response={201: ApplicationOut}, summary="受理证明申请（窗口或政务服务平台转来）"
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    region = region_get(payload.region)
    app = application_receive(
        actor=request.user,
        region=region,
        channel=payload.channel,
        applicant_name=payload.applicant_name,
        applicant_id_number=payload.applicant_id_number,
        applicant_phone=payload.applicant_phone,
        request_text=payload.request_text,
        purpose=payload.purpose,
        requesting_agency=payload.requesting_agency,
        agency_basis=payload.agency_basis,
        by_proxy=payload.by_proxy,
        agent_name=payload.agent_name,
        agent_id_number=payload.agent_id_number,
        agent_phone=payload.agent_phone,
        materials=[Upload(m.filename, m.data(), m.label) for m in payload.materials],
        authorisation=Upload(payload.authorisation.filename, payload.authorisation.data(), "授权委托书")
        if payload.authorisation
        else None,
    )
    return Status(201, _app_out(application_get_for(request.user, app.pk)))


@router.get("/certificates/applications/{app_id}", response=ApplicationOut, summary="证明申请详情")
def application_detail(request: HttpRequest, app_id: int) -> dict[str, Any]:
    return _app_out(application_get_for(request.user, app_id))


@router.post(
    "/certificates/applications/{app_id}/materials",
    response={201: ApplicationOut},
    summary="补充上传材料（PDF、JPG、PNG）",
)
def application_materials(
    request: HttpRequest,
    app_id: int,
    files: File[list[UploadedFile]],
    label: Form[str] = "",
    kind: Form[str] = MaterialKind.SUPPORTING,
) -> Status[dict[str, Any]]:
    app = application_get_for(request.user, app_id)
    uploads = [Upload(f.name or "文件", f.read(), label) for f in files]
    application_add_materials(actor=request.user, application=app, uploads=uploads, kind=kind)
    return Status(201, _app_out(application_get_for(request.user, app_id)))


@router.post(
    "/certificates/applications/{app_id}/decision",
    response=ApplicationOut,
    summary="审查决定：拟出具或不予出具（规则注明条款）",
)
def application_decision(request: HttpRequest, app_id: int, payload: DecisionIn) -> dict[str, Any]:
    app = application_get_for(request.user, app_id)
    application_decide(actor=request.user, application=app, **payload.dict())
    return _app_out(application_get_for(request.user, app_id))


@router.post(
    "/certificates/applications/{app_id}/issue",
    response={201: CertificateOut},
    summary="主要负责人签字并出具证明（十四）",
)
def application_issue(request: HttpRequest, app_id: int) -> Status[dict[str, Any]]:
    app = application_get_for(request.user, app_id)
    cert = certificate_issue(actor=request.user, application=app)
    return Status(201, _cert_out(cert))


@router.post("/certificates/applications/{app_id}/return", response=ApplicationOut, summary="主要负责人退回经办人")
def application_send_back(request: HttpRequest, app_id: int, payload: NoteIn) -> dict[str, Any]:
    app = application_get_for(request.user, app_id)
    application_return(actor=request.user, application=app, note=payload.note)
    return _app_out(application_get_for(request.user, app_id))


@router.post("/certificates/applications/{app_id}/withdraw", response=ApplicationOut, summary="申请人撤回申请")
def application_cancel(request: HttpRequest, app_id: int, payload: ReasonIn) -> dict[str, Any]:
    app = application_get_for(request.user, app_id)
    application_withdraw(actor=request.user, application=app, reason=payload.reason)
    return _app_out(application_get_for(request.user, app_id))


@router.get("/certificates/applications/{app_id}/receipt.pdf", summary="受理回执（PDF）")
def application_receipt(request: HttpRequest, app_id: int) -> HttpResponse:
    app = application_get_for(request.user, app_id)
    return pdf_response(printing.receipt_pdf(app), f"受理回执-{app.receipt_number}.pdf")


@router.get("/certificates/applications/{app_id}/refusal.pdf", summary="不予出具告知书（PDF）")
def application_refusal(request: HttpRequest, app_id: int) -> HttpResponse:
    app = application_get_for(request.user, app_id)
    if app.status != AppStatus.REFUSED:
        raise NotFound("该申请没有不予出具告知书。", "no_refusal")
    return pdf_response(printing.refusal_pdf(app), f"不予出具告知书-{app.refusal_number}.pdf")


@router.get("/certificates/applications/{app_id}/commitment.pdf", summary="告知承诺书（PDF）")
def application_commitment(request: HttpRequest, app_id: int) -> HttpResponse:
    app = application_get_for(request.user, app_id)
    if app.status != AppStatus.REFUSED or (app.alternative or {}).get("kind") != "commitment":
        raise NotFound("该事项不实行告知承诺。", "no_commitment")
    return pdf_response(printing.commitment_pdf(app), f"告知承诺书-{app.receipt_number}.pdf")


# --- issued certificates ---------------------------------------------------------------------


@router.get("/certificates/issued/{cert_id}", response=CertificateOut, summary="已出具证明详情")
def certificate_detail(request: HttpRequest, cert_id: int) -> dict[str, Any]:
    return _cert_out(certificate_get_for(request.user, cert_id))


@router.post("/certificates/issued/{cert_id}/print", summary="打印（下载）证明 PDF；每次打印都登记为一份")
def certificate_print_pdf(request: HttpRequest, cert_id: int, payload: PrintIn | None = None) -> HttpResponse:
    cert = certificate_get_for(request.user, cert_id)
    pdf, copy = certificate_print(actor=request.user, certificate=cert, reason=payload.reason if payload else "")
    response = pdf_response(pdf, f"证明-{cert.serial}-第{copy.number}份.pdf")
    response["X-Copy-Number"] = str(copy.number)
    return response


@router.post("/certificates/issued/{cert_id}/revoke", response=CertificateOut, summary="撤销证明（主要负责人）")
def certificate_revoke_op(request: HttpRequest, cert_id: int, payload: ReasonIn) -> dict[str, Any]:
    cert = certificate_get_for(request.user, cert_id)
    return _cert_out(certificate_revoke(actor=request.user, certificate=cert, reason=payload.reason))


# --- register (台账) ---------------------------------------------------------------------------


def _register_row(a: Application) -> dict[str, Any]:
    cert = getattr(a, "certificate", None) if a.status == AppStatus.ISSUED else None
    result = (
        "refused"
        if a.status == AppStatus.REFUSED
        else ("revoked" if cert and cert.status == CertificateStatus.REVOKED else "issued")
    )
    return {
        "application_id": a.pk,
        "receipt_number": a.receipt_number,
        "region": _cn(a.region_id, a.region.name),
        "applicant": mask_name(a.applicant_name),
        "outcome": a.outcome,
        "item": _cn(a.item_code, a.item_name) if a.item_code else None,
        "requesting_agency": a.requesting_agency or None,
        "purpose": a.purpose,
        "result": result,
        "serial": cert.serial if cert else None,
        "refusal_number": a.refusal_number or None,
        "decision_rule": a.decision_rule,
        "decision_clause": a.decision_clause,
        "signer_name": cert.signer_name if cert else None,
        "signer_title": cert.signer_title if cert else None,
        "decided_at": _t(a.decided_at),
        "issued_at": _t(cert.issued_at) if cert else None,
        "valid_until": _t(cert.valid_until) if cert else None,
        "revoked_at": _t(cert.revoked_at) if cert else None,
        "copies": cert.copies if cert else None,
    }


@router.get("/certificates/register", response=RegisterPage, summary="证明台账：已出具和不予出具（管辖范围内）")
def register(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    _need(request, Perm.CERT_VIEW)
    qs = register_list_for(request.user, query.filters())
    return {"count": qs.count(), "items": [_register_row(a) for a in qs[query.offset : query.offset + query.limit]]}


@router.get("/certificates/register.xlsx", summary="导出证明台账（Excel）")
def register_xlsx(request: HttpRequest, query: Query[ListQuery]) -> HttpResponse:
    _need(request, Perm.CERT_VIEW)
    data = write_table(
        "证明台账", REGISTER_HEADERS, register_rows(register_list_for(request.user, query.filters())[:50_000])
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote('证明台账.xlsx')}"
    return response


@router.get("/certificates/stats", response=StatsOut, summary="按事项、按索要单位统计（哪些单位仍索要不应出具的证明）")
def stats(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    _need(request, Perm.CERT_VIEW)
    return register_stats_for(request.user, query.filters())


# --- township coordination ---------------------------------------------------------------------


@router.get("/certificates/cases", response=list[CaseOut], summary="乡镇协调事项（十三）")
def cases(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    _need(request, Perm.CERT_VIEW)
    return [_case_out(c) for c in case_list_for(request.user, status=status)[:500]]


@router.get("/certificates/cases/{case_id}", response=CaseOut, summary="协调事项详情")
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _case_out(case_get_for(request.user, case_id))


@router.post("/certificates/cases/{case_id}/close", response=CaseOut, summary="乡镇办结协调事项，写明处理情况")
def case_close(request: HttpRequest, case_id: int, payload: CaseCloseIn) -> dict[str, Any]:
    case = case_get_for(request.user, case_id)
    return _case_out(
        coordination_case_close(actor=request.user, case=case, action=payload.action, result=payload.result)
    )


# --- templates (式样) -----------------------------------------------------------------------------


# Public: 式样 are published for anyone to read （十二）; drafts are never listed here.
@router.get("/certificates/templates", response=list[TemplateOut], auth=None, summary="已公布的证明式样（公开）")
def templates_public(request: HttpRequest, region: str = "", item: str = "") -> list[dict[str, Any]]:
    check_rate(request, "public")
    place = region_get(region) if region else None
    return [_template_out(t) for t in template_public_list(region=place, item_code=item)[:500]]


@router.post("/certificates/templates", response={201: TemplateOut}, summary="新建证明式样草稿（索要单位、县级）")
def template_create(request: HttpRequest, payload: TemplateIn) -> Status[dict[str, Any]]:
    region = region_get(payload.region)
    t = template_save(
        actor=request.user,
        region=region,
        item_code=payload.item_code,
        title=payload.title,
        body=payload.body,
        requesting_agency=payload.requesting_agency,
        validity_days=payload.validity_days,
    )
    return Status(201, _template_out(t))


@router.post("/certificates/templates/{template_id}/publish", response=TemplateOut, summary="公布式样")
def template_publish_op(request: HttpRequest, template_id: int) -> dict[str, Any]:
    return _template_out(template_publish(actor=request.user, template=template_get_for(request.user, template_id)))


@router.post("/certificates/templates/{template_id}/withdraw", response=TemplateOut, summary="停用式样")
def template_withdraw_op(request: HttpRequest, template_id: int) -> dict[str, Any]:
    return _template_out(template_withdraw(actor=request.user, template=template_get_for(request.user, template_id)))
