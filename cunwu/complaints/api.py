"""API operations of the complaints app (mounted at /api/v1/ by cunwu/api.py), DESIGN.md §4."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from cunwu.throttling import check_rate

from . import selectors, services
from .models import Complaint, TypicalCase
from .schemas import (
    ComplaintIn,
    ConcludeIn,
    FiledOut,
    ListOut,
    PublicOut,
    ReasonIn,
    StatusOut,
    TypicalCaseListOut,
)

router = Router(tags=["举报与通报曝光"])


def _region(r: Any) -> dict[str, str]:
    return {"code": r.code, "name": r.name}


def _time(value: Any) -> str:
    return timezone.localtime(value).isoformat()


def _status(c: Complaint) -> dict[str, Any]:
    return {
        "tracking_code": c.tracking_code,
        "status": c.status,
        "due": c.due.isoformat(),
        "handler": _region(c.handler),
    }


def _public(c: Complaint) -> dict[str, Any]:
    return {
        "tracking_code": c.tracking_code,
        "status": c.status,
        "category": c.category,
        "region": _region(c.region),
        "received_at": _time(c.received_at),
        "due": c.due.isoformat(),
        "outcome": c.outcome or c.decline_reason or None,
        "finding": c.finding or None,
        "history": selectors.status_history(c),
    }


def _item(c: Complaint) -> dict[str, Any]:
    return {
        "tracking_code": c.tracking_code,
        "status": c.status,
        "category": c.category,
        "region": _region(c.region),
        "subject": c.subject,
        "text": c.text,
        "anonymous": c.anonymous,
        "received_at": _time(c.received_at),
        "due": c.due.isoformat(),
        "handler": _region(c.handler),
    }


# Public: anyone may report a breach of the measures without an account （十六）; rate-limited.
@router.post("/complaints", response={201: FiledOut}, auth=None, summary="举报（无需登录，可匿名）")
def complaint_create(request: HttpRequest, payload: ComplaintIn) -> Status[dict[str, Any]]:
    check_rate(request, "public")
    contact = payload.contact
    filing = services.Filing(
        category=payload.category,
        region=payload.region,
        text=payload.text,
        subject=payload.subject,
        anonymous=payload.anonymous,
        contact_name=contact.name if contact else "",
        contact_phone=contact.phone if contact else "",
        references=[(r.kind, r.ref) for r in payload.references],
        source="api",
        contact_given=contact is not None,
    )
    complaint = services.complaint_file(filing)
    return Status(201, _status(complaint))


# Public: the reporter follows the case by tracking code; nothing personal is returned.
@router.get("/complaints/{tracking_code}", response=PublicOut, auth=None, summary="按查询码查看举报办理进度")
def complaint_public(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    check_rate(request, "public")
    return _public(selectors.complaint_public_get(tracking_code))


@router.get("/complaints", response=ListOut, summary="本单位办理的举报（办理单位工作人员）")
def complaint_list(request: HttpRequest, status: str = "", category: str = "", region: str = "") -> dict[str, Any]:
    qs = selectors.complaint_list_for(request.user, status=status, category=category, region=region)
    items = [_item(c) for c in qs[:500]]
    return {"count": qs.count(), "items": items}


@router.post("/complaints/{tracking_code}/conclude", response=StatusOut, summary="办结（从已收到或已受理）")
def complaint_conclude(request: HttpRequest, tracking_code: str, payload: ConcludeIn) -> dict[str, Any]:
    c = selectors.complaint_get_for(request.user, tracking_code)
    return _status(
        services.complaint_conclude(actor=request.user, complaint=c, outcome=payload.outcome, finding=payload.finding)
    )


@router.post("/complaints/{tracking_code}/accept", response=StatusOut, summary="受理，开始调查核实")
def complaint_accept(request: HttpRequest, tracking_code: str, payload: ReasonIn) -> dict[str, Any]:
    c = selectors.complaint_get_for(request.user, tracking_code)
    return _status(services.complaint_accept(actor=request.user, complaint=c, note=payload.reason))


@router.post("/complaints/{tracking_code}/decline", response=StatusOut, summary="不予受理（须说明理由）")
def complaint_decline(request: HttpRequest, tracking_code: str, payload: ReasonIn) -> dict[str, Any]:
    c = selectors.complaint_get_for(request.user, tracking_code)
    return _status(services.complaint_decline(actor=request.user, complaint=c, reason=payload.reason))


@router.post("/complaints/{tracking_code}/extend", response=StatusOut, summary="延长办理期限（仅一次，须说明理由）")
def complaint_extend(request: HttpRequest, tracking_code: str, payload: ReasonIn) -> dict[str, Any]:
    c = selectors.complaint_get_for(request.user, tracking_code)
    return _status(services.complaint_extend(actor=request.user, complaint=c, reason=payload.reason))


@router.post("/complaints/{tracking_code}/transfer", response=StatusOut, summary="移交上一级办理（须说明理由）")
def complaint_transfer(request: HttpRequest, tracking_code: str, payload: ReasonIn) -> dict[str, Any]:
    c = selectors.complaint_get_for(request.user, tracking_code)
    return _status(services.complaint_transfer(actor=request.user, complaint=c, reason=payload.reason))


def typical_case_out(case: TypicalCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "title": case.title,
        "summary": case.summary,
        "department": case.department,
        "clause": case.clause,
        "action_taken": case.action_taken,
        "category": case.complaint.category,
        "prefecture": _region(case.prefecture),
        "published_at": _time(case.published_at),
        "url": settings.BASE_URL + reverse("complaints_public:case", args=[case.pk]),
    }


# Public: typical cases are published for everyone （十六 通报曝光）.
@router.get("/typical-cases", response=TypicalCaseListOut, auth=None, summary="典型案例通报（公开）")
def typical_cases(request: HttpRequest, clause: str = "", prefecture: str = "") -> dict[str, Any]:
    check_rate(request, "public")
    qs = selectors.typical_case_list(clause=clause, prefecture=prefecture)
    return {"count": qs.count(), "items": [typical_case_out(c) for c in qs[:200]]}
