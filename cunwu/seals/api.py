"""API operations of the seals app (mounted at /api/v1/ by cunwu/api.py).

Everything the pages do — registry, requests, approvals, stamping, handover, register queries — so
that smart seals (智能印章) can be driven by it: a device signed in with its custodian's token polls
`GET /seals/{id}/next-request`, claims the request, unlocks for the approved number of impressions
and reports the stamping with `POST /seals/requests/{id}/stamp`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import people_holding, user_find
from cunwu.errors import FieldError, Forbidden, Invalid, NotFound
from cunwu.regions.selectors import organisation_find, region_get

from . import selectors as sel
from . import services as svc
from .choices import Category, HandoverStatus, RequestStatus, SealStatus
from .models import Seal, SealHandover, SealRefusal, SealRequest, SealResolution, SealUse
from .rules import Meeting
from .schemas import (
    ClaimIn,
    FilingIn,
    HandoverIn,
    HandoverOut,
    NoteIn,
    OptionalReasonIn,
    OversightOut,
    ReasonIn,
    RefusalOut,
    RequestIn,
    RequestList,
    RequestOut,
    ResolutionForm,
    SealIn,
    SealList,
    SealOut,
    SealPatch,
    StampIn,
    StatusIn,
    UseList,
    UseOut,
)

router = Router(tags=["印章"])
MAX_LIMIT = 500
_FILE = File(...)


def _person(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "username": user.username, "name": user.display_name or user.username}


def _seal_out(seal: Seal) -> dict[str, Any]:
    return {
        "id": seal.pk,
        "region": seal.region_id,
        "region_name": seal.region.name,
        "organisation": {"id": seal.organisation_id, "name": seal.organisation.name, "kind": seal.organisation.kind},
        "kind": seal.kind,
        "kind_label": seal.get_kind_display(),
        "name": seal.name,
        "scope_of_use": seal.scope_of_use,
        "custodian": _person(seal.custodian),
        "approvers": [_person(u) for u in sel.seal_approvers(seal)],
        "filed_on": seal.filed_on,
        "filing_reference": seal.filing_reference or None,
        "status": seal.status,
        "status_label": seal.get_status_display(),
        "status_on": seal.status_on,
        "status_reason": seal.status_reason or None,
        "registered_at": seal.registered_at,
    }


def _resolution_out(res: SealResolution | None) -> dict[str, Any] | None:
    if res is None:
        return None
    return {
        "meeting_kind": res.meeting_kind,
        "basis": res.basis,
        "held_on": res.held_on,
        "members_total": res.members_total,
        "attended": res.attended,
        "in_favour": res.in_favour,
        "document_sha256": res.document.sha256,
    }


def _use_out(use: SealUse) -> dict[str, Any]:
    return {
        "id": str(use.pk),
        "request": use.request_id,
        "seal": use.seal_id,
        "seal_name": use.seal.name,
        "region": use.region_id,
        "category": use.category,
        "approved_impressions": use.request.impressions,
        "impressions": use.impressions,
        "document_sha256": use.document_sha256,
        "stamped_at": use.stamped_at,
        "recorded_at": use.recorded_at,
        "custodian": _person(use.custodian),
        "approver": _person(use.approver),
        "requester": _person(use.requester),
        "principal_signed": use.request.principal_signed,
        "device": use.device or None,
        "chain": {"chain": use.region_id, "seq": use.chain_seq, "hash": use.entry_hash},
    }


def _request_out(req: SealRequest) -> dict[str, Any]:
    documents = sel.request_documents(req)
    use = sel.use_of_request(req)
    missing = svc.request_missing(req) if req.status == RequestStatus.DRAFT else []
    return {
        "id": req.pk,
        "region": req.region_id,
        "seal": req.seal_id,
        "seal_name": req.seal.name,
        "category": req.category,
        "category_label": req.get_category_display(),
        "matter": req.matter,
        "remarks": req.remarks or None,
        "impressions": req.impressions,
        "certificate_serial": req.certificate_serial or None,
        "status": req.status,
        "status_label": req.get_status_display(),
        "requester": _person(req.requester),
        "custodian": _person(req.custodian),
        "approver": _person(req.approver) if req.approver else None,
        "principal_signed": req.principal_signed,
        "created_at": req.created_at,
        "submitted_at": req.submitted_at,
        "decided_at": req.decided_at,
        "decision_note": req.decision_note or None,
        "claimed_by": req.claimed_by or None,
        "claimed_at": req.claimed_at,
        "stamped_at": req.stamped_at,
        "documents": [
            {
                "id": d.pk,
                "purpose": d.purpose,
                "title": d.title,
                "kind": d.kind,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_at": d.uploaded_at,
            }
            for d in documents
        ],
        "resolution": _resolution_out(sel.request_resolution(req)) if req.is_major else None,
        "missing": [{"rule": f.rule, "clause": f.clause, "field": f.field, "message": f.message} for f in missing],
        "use": _use_out(use) if use else None,
    }


def _handover_out(h: SealHandover) -> dict[str, Any]:
    return {
        "id": h.pk,
        "region": h.region_id,
        "from_user": _person(h.from_user),
        "to_user": _person(h.to_user),
        "witness": _person(h.witness),
        "status": h.status,
        "status_label": h.get_status_display(),
        "note": h.note or None,
        "created_at": h.created_at,
        "answered_at": h.answered_at,
        "refusal_reason": h.refusal_reason or None,
        "acknowledged_at": h.acknowledged_at,
        "items": [
            {"seal": i.seal_id, "seal_name": i.seal.name, "seal_status": i.seal_status, "condition": i.condition}
            for i in h.items.select_related("seal").order_by("seal_id")
        ],
    }


def _people(code: str, usernames: list[str], perm: Perm, field: str, *, single: bool = False) -> list[Any]:
    """Users by username who hold `perm` at the village; unknown names are a field error."""
    allowed = {u.username: u for u in people_holding(code, perm)}
    errors = [
        FieldError(field if single else f"{field}.{i}", f"“{name}”在本村没有相应职务或账号不存在。")
        for i, name in enumerate(usernames)
        if name not in allowed
    ]
    if errors:
        raise Invalid(errors[0].message, errors)
    return [allowed[name] for name in usernames]


def _user_in_scope(code: str, username: str, field: str) -> Any:
    """An active person who can see the village (a receiver or witness), else a field error."""
    user = user_find(username, active_only=True)
    if user is None or not scope_for(user).covers(code, Perm.SEAL_VIEW):
        raise Invalid.field(field, f"“{username}”不是本村（社区）或上级的在职人员。")
    return user


def _page(limit: int, offset: int) -> slice:
    limit = max(1, min(limit, MAX_LIMIT))
    return slice(max(0, offset), max(0, offset) + limit)


# --- registry --------------------------------------------------------------------------------


def _require_seal_view(request: HttpRequest) -> None:
    """Lists answer 403 to a person without seal:view, as the pages do (not an empty list)."""
    if not scope_for(request.user).has(Perm.SEAL_VIEW):
        raise Forbidden("您没有查看印章的权限。")


@router.get("/seals", response=SealList, summary="印章登记（本人管辖范围）")
def seals_list(
    request: HttpRequest, region: str = "", status: SealStatus | None = None, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    _require_seal_view(request)
    qs = sel.seal_list_for(request.user, region=region or None, status=status)
    return {"count": qs.count(), "items": [_seal_out(s) for s in qs[_page(limit, offset)]]}


@router.post("/seals", response={201: SealOut}, summary="登记印章（村主要负责人）")
def seal_create(request: HttpRequest, payload: SealIn) -> Status:
    organisation = organisation_find(payload.organisation)
    if organisation is None or not scope_for(request.user).covers(organisation.region_id, Perm.SEAL_VIEW):
        raise NotFound("找不到该组织，或不在您的管辖范围内。")
    code = organisation.region_id
    custodian = _people(code, [payload.custodian], Perm.SEAL_STAMP, "custodian", single=True)[0]
    approvers = _people(code, payload.approvers, Perm.SEAL_APPROVE, "approvers")
    seal = svc.seal_register(
        actor=request.user,
        organisation=organisation,
        kind=payload.kind,
        name=payload.name,
        scope_of_use=payload.scope_of_use,
        custodian=custodian,
        approvers=approvers,
    )
    return Status(201, _seal_out(sel.seal_get_for(request.user, seal.pk)))


@router.get("/seals/{int:seal_id}", response=SealOut, summary="印章详情")
def seal_detail(request: HttpRequest, seal_id: int) -> dict[str, Any]:
    return _seal_out(sel.seal_get_for(request.user, seal_id))


@router.patch("/seals/{int:seal_id}", response=SealOut, summary="修改用印范围和审批人（保管人只能通过移交变更）")
def seal_patch(request: HttpRequest, seal_id: int, payload: SealPatch) -> dict[str, Any]:
    seal = sel.seal_get_for(request.user, seal_id)
    approvers = _people(seal.region_id, payload.approvers, Perm.SEAL_APPROVE, "approvers")
    svc.seal_update(actor=request.user, seal=seal, scope_of_use=payload.scope_of_use, approvers=approvers)
    return _seal_out(sel.seal_get_for(request.user, seal_id))


@router.post("/seals/{int:seal_id}/filing", response=SealOut, summary="记录乡镇备案（乡镇工作人员）")
def seal_filing(request: HttpRequest, seal_id: int, payload: FilingIn) -> dict[str, Any]:
    seal = sel.seal_get_for(request.user, seal_id)
    svc.seal_file(actor=request.user, seal=seal, filed_on=payload.filed_on, reference=payload.reference)
    return _seal_out(sel.seal_get_for(request.user, seal_id))


@router.post("/seals/{int:seal_id}/status", response=SealOut, summary="封存、销毁、遗失或重新启用（附日期和原因）")
def seal_status(request: HttpRequest, seal_id: int, payload: StatusIn) -> dict[str, Any]:
    seal = sel.seal_get_for(request.user, seal_id)
    svc.seal_set_status(actor=request.user, seal=seal, status=payload.status, on=payload.on, reason=payload.reason)
    return _seal_out(sel.seal_get_for(request.user, seal_id))


@router.get(
    "/seals/{int:seal_id}/next-request",
    response={200: RequestOut, 204: None},
    summary="智能印章轮询：该印章下一个已批准、未领取的用印申请（保管人令牌）",
)
def seal_next_request(request: HttpRequest, seal_id: int) -> Any:
    found = sel.device_next_for(request.user, seal_id)
    if found is None:
        return Status(204, None)
    return Status(200, _request_out(sel.request_get_for(request.user, found.pk)))


# --- requests --------------------------------------------------------------------------------


@router.get("/seals/requests", response=RequestList, summary="用印申请列表")
def requests_list(
    request: HttpRequest,
    region: str = "",
    status: RequestStatus | None = None,
    seal: int | None = None,
    category: Category | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    _require_seal_view(request)
    qs = sel.request_list_for(request.user, region=region or None, status=status, seal=seal, category=category)
    return {
        "count": qs.count(),
        "items": [_request_out(r) for r in qs.select_related("custodian")[_page(limit, offset)]],
    }


@router.post("/seals/requests", response={201: RequestOut}, summary="申请用印（一事一申请；文件另行上传）")
def request_create(request: HttpRequest, payload: RequestIn) -> Status:
    seal = sel.seal_get_for(request.user, payload.seal)
    created = svc.request_create(
        actor=request.user,
        seal=seal,
        category=payload.category,
        matter=payload.matter,
        impressions=payload.impressions,
        remarks=payload.remarks,
        certificate_serial=payload.certificate_serial,
    )
    return Status(201, _request_out(sel.request_get_for(request.user, created.pk)))


@router.get("/seals/requests/{int:request_id}", response=RequestOut, summary="用印申请详情")
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _request_out(sel.request_get_for(request.user, request_id))


@router.post(
    "/seals/requests/{int:request_id}/documents",
    response={201: RequestOut},
    summary="上传需盖章的文件（PDF/JPEG/PNG，记录 SHA-256）",
)
def request_document(request: HttpRequest, request_id: int, file: UploadedFile = _FILE) -> Status:
    req = sel.request_get_for(request.user, request_id)
    svc.request_add_document(actor=request.user, request=req, upload=svc.Upload(file.read(), file.name or ""))
    return Status(201, _request_out(sel.request_get_for(request.user, request_id)))


@router.post(
    "/seals/requests/{int:request_id}/resolution",
    response={201: RequestOut},
    summary="上传村民（代表）会议决议（重大事项）",
)
def request_resolution(
    request: HttpRequest, request_id: int, data: Form[ResolutionForm], file: UploadedFile = _FILE
) -> Status:
    req = sel.request_get_for(request.user, request_id)
    meeting = Meeting(
        kind=data.meeting_kind,
        basis=data.basis,
        held_on=data.held_on,
        members_total=data.members_total,
        attended=data.attended,
        in_favour=data.in_favour,
    )
    svc.request_add_resolution(
        actor=request.user,
        request=req,
        resolution=svc.ResolutionIn(upload=svc.Upload(file.read(), file.name or ""), meeting=meeting),
    )
    return Status(201, _request_out(sel.request_get_for(request.user, request_id)))


@router.post("/seals/requests/{int:request_id}/submit", response=RequestOut, summary="提交审批")
def request_submit(request: HttpRequest, request_id: int) -> dict[str, Any]:
    req = sel.request_get_for(request.user, request_id)
    svc.request_submit(actor=request.user, request=req)
    return _request_out(sel.request_get_for(request.user, request_id))


@router.post(
    "/seals/requests/{int:request_id}/approve",
    response=RequestOut,
    summary="批准（主要负责人签字；不得是申请人或保管人）",
)
def request_approve(request: HttpRequest, request_id: int, payload: NoteIn) -> dict[str, Any]:
    req = sel.request_get_for(request.user, request_id)
    svc.request_approve(actor=request.user, request=req, note=payload.note)
    return _request_out(sel.request_get_for(request.user, request_id))


@router.post("/seals/requests/{int:request_id}/reject", response=RequestOut, summary="不予批准（附理由）")
def request_reject(request: HttpRequest, request_id: int, payload: ReasonIn) -> dict[str, Any]:
    req = sel.request_get_for(request.user, request_id)
    svc.request_reject(actor=request.user, request=req, reason=payload.reason)
    return _request_out(sel.request_get_for(request.user, request_id))


@router.post("/seals/requests/{int:request_id}/withdraw", response=RequestOut, summary="撤回（经办人本人，用印前）")
def request_withdraw(request: HttpRequest, request_id: int, payload: OptionalReasonIn) -> dict[str, Any]:
    req = sel.request_get_for(request.user, request_id)
    svc.request_withdraw(actor=request.user, request=req, reason=payload.reason)
    return _request_out(sel.request_get_for(request.user, request_id))


@router.post(
    "/seals/requests/{int:request_id}/claim", response=RequestOut, summary="智能印章领取已批准的申请（保管人令牌）"
)
def request_claim(request: HttpRequest, request_id: int, payload: ClaimIn) -> dict[str, Any]:
    req = sel.request_get_for(request.user, request_id)
    svc.request_claim(actor=request.user, request=req, device=payload.device)
    return _request_out(sel.request_get_for(request.user, request_id))


@router.post(
    "/seals/requests/{int:request_id}/stamp",
    response={201: UseOut},
    summary="登记用印（保管人或其智能印章；写入存证链；重复用印 409）",
)
def request_stamp(request: HttpRequest, request_id: int, payload: StampIn) -> Status:
    req = sel.request_get_for(request.user, request_id)
    use = svc.request_stamp(
        actor=request.user,
        request=req,
        impressions=payload.impressions,
        document_sha256=payload.document_sha256,
        stamped_at=payload.stamped_at,
        device=payload.device,
    )
    return Status(201, _use_out(sel.use_get_for(request.user, str(use.pk))))


# --- register --------------------------------------------------------------------------------


@router.get("/seals/uses", response=UseList, summary="用印登记簿（month 形如 2027-03）")
def uses_list(
    request: HttpRequest,
    region: str = "",
    seal: int | None = None,
    category: Category | None = None,
    month: str = "",
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    _require_seal_view(request)
    qs = sel.use_list_for(request.user, region=region or None, seal=seal, category=category, month=month or None)
    return {"count": qs.count(), "items": [_use_out(u) for u in qs[_page(limit, offset)]]}


@router.get("/seals/uses/{use_id}", response=UseOut, summary="一条用印登记")
def use_detail(request: HttpRequest, use_id: str) -> dict[str, Any]:
    return _use_out(sel.use_get_for(request.user, use_id))


@router.get("/seals/refusals", response=list[RefusalOut], summary="因前置条件（义务、搭车）被拒绝的申请")
def refusals_list(request: HttpRequest, region: str = "", limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
    _require_seal_view(request)
    rows: list[SealRefusal] = list(sel.refusal_list_for(request.user, region=region or None)[_page(limit, offset)])
    return [
        {
            "id": r.pk,
            "region": r.region_id,
            "seal": r.seal_id,
            "category": r.category,
            "matter": r.matter,
            "rules": r.rules,
            "messages": r.messages,
            "at": r.at,
        }
        for r in rows
    ]


# --- handovers -------------------------------------------------------------------------------


@router.get("/seals/handovers", response=list[HandoverOut], summary="印章移交列表")
def handovers_list(
    request: HttpRequest, region: str = "", status: HandoverStatus | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    _require_seal_view(request)
    return [
        _handover_out(h)
        for h in sel.handover_list_for(request.user, region=region or None, status=status)[_page(limit, offset)]
    ]


@router.post("/seals/handovers", response={201: HandoverOut}, summary="发起印章移交（保管人本人或村主要负责人）")
def handover_create(request: HttpRequest, payload: HandoverIn) -> Status:
    region = region_get(payload.region)
    if not scope_for(request.user).covers(region.code, Perm.SEAL_VIEW):
        raise NotFound("找不到该村（社区），或不在您的管辖范围内。")
    seals = {s.pk: s for s in sel.seal_list_for(request.user, region=region.code)}
    missing = [
        FieldError(f"seals.{i}.seal", "找不到该印章，或不属于该村（社区）。")
        for i, item in enumerate(payload.seals)
        if item.seal not in seals
    ]
    if missing:
        raise Invalid(missing[0].message, missing)
    from_user = _user_in_scope(region.code, payload.from_user, "from_user") if payload.from_user else request.user
    handover = svc.handover_create(
        actor=request.user,
        region=region,
        from_user=from_user,
        to_user=_user_in_scope(region.code, payload.to_user, "to_user"),
        witness=_user_in_scope(region.code, payload.witness, "witness"),
        items=[(seals[i.seal], i.condition) for i in payload.seals],
        note=payload.note,
    )
    return Status(201, _handover_out(sel.handover_get_for(request.user, handover.pk)))


@router.get("/seals/handovers/{int:handover_id}", response=HandoverOut, summary="移交单详情")
def handover_detail(request: HttpRequest, handover_id: int) -> dict[str, Any]:
    return _handover_out(sel.handover_get_for(request.user, handover_id))


@router.post("/seals/handovers/{int:handover_id}/confirm", response=HandoverOut, summary="接收人确认接收")
def handover_confirm(request: HttpRequest, handover_id: int) -> dict[str, Any]:
    svc.handover_confirm(actor=request.user, handover=sel.handover_get_for(request.user, handover_id))
    return _handover_out(sel.handover_get_for(request.user, handover_id))


@router.post("/seals/handovers/{int:handover_id}/refuse", response=HandoverOut, summary="接收人拒收（附原因）")
def handover_refuse(request: HttpRequest, handover_id: int, payload: ReasonIn) -> dict[str, Any]:
    svc.handover_refuse(
        actor=request.user, handover=sel.handover_get_for(request.user, handover_id), reason=payload.reason
    )
    return _handover_out(sel.handover_get_for(request.user, handover_id))


@router.post("/seals/handovers/{int:handover_id}/cancel", response=HandoverOut, summary="撤销移交（发起人或移交人）")
def handover_cancel(request: HttpRequest, handover_id: int) -> dict[str, Any]:
    svc.handover_cancel(actor=request.user, handover=sel.handover_get_for(request.user, handover_id))
    return _handover_out(sel.handover_get_for(request.user, handover_id))


@router.post("/seals/handovers/{int:handover_id}/acknowledge", response=HandoverOut, summary="乡镇签收移交")
def handover_acknowledge(request: HttpRequest, handover_id: int) -> dict[str, Any]:
    svc.handover_acknowledge(actor=request.user, handover=sel.handover_get_for(request.user, handover_id))
    return _handover_out(sel.handover_get_for(request.user, handover_id))


# --- oversight -------------------------------------------------------------------------------


@router.get(
    "/seals/oversight", response=OversightOut, summary="乡镇用印监管：分村、分类别、分印章、分月统计，重大事项与异常"
)
def oversight(request: HttpRequest, region: str = "", year: int | None = None) -> dict[str, Any]:
    if not scope_for(request.user).has(Perm.OVERSIGHT_VIEW):
        raise Forbidden("您没有查看用印监管的权限。")
    data = sel.oversight_for(request.user, region=region or None, year=year)
    return {
        "year": data.year,
        "villages": [v.__dict__ for v in data.villages],
        "by_category": [
            {"key": k, "label": label, "uses": n, "impressions": imp} for k, label, n, imp in data.by_category
        ],
        "by_seal": [
            {"key": str(pk), "label": f"{village} · {name}", "uses": n, "impressions": imp}
            for pk, village, name, n, imp in data.by_seal
        ],
        "by_month": [{"key": m, "label": m, "uses": n, "impressions": imp} for m, n, imp in data.by_month],
        "anomalies": [
            {
                "kind": a.kind,
                "label": a.label,
                "at": a.at,
                "region": a.code,
                "village": a.village,
                "seal": a.seal,
                "detail": a.detail,
            }
            for a in data.anomalies
        ],
        "major": [
            {
                "request": m["request"].pk,
                "region": m["request"].region_id,
                "category": m["request"].category,
                "matter": m["request"].matter,
                "status": m["request"].status,
                "resolution": _resolution_out(m["resolution"]),
            }
            for m in data.major
        ],
    }
