"""API operations of the admission app (mounted at /api/v1/ by cunwu/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from cunwu.errors import Forbidden
from cunwu.regions.selectors import organisation_find

from . import rules, selectors, services
from .models import Assignment, WorkRequest
from .schemas import AssignmentActIn, AssignmentOut, DecisionIn, OffListIn, RequestIn, RequestOut, ScreenIn, ScreenOut

router = Router(tags=["admission"])


@router.post("/admission/screen", response=ScreenOut)
def screen(request: HttpRequest, payload: ScreenIn) -> dict[str, Any]:
    """Screen a request for village work against the catalogs and the rules of （二）（四）（五）（六）."""
    if not selectors.can_screen(request.user):
        raise Forbidden("只有党政群机构和县级工作人员可以使用准入筛查。")
    region = services.region_or_422(payload.region, "region")
    inp = rules.ScreenInput(
        title=payload.title,
        content=payload.content,
        type=payload.type or "",
        basis=payload.basis or "",
        pledge=payload.pledge,
        responsible_body=payload.responsible_body or "",
        evidence=payload.evidence or "",
    )
    return selectors.screening_for(inp, region).as_api()


def _request_out(r: WorkRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "title": r.title,
        "department": r.department.name,
        "county": r.county_id,
        "type": r.type,
        "status": r.status,
        "version": r.version,
        "outcome": r.outcome,
        "screening": {k: v for k, v in r.screening.items()}
        | {"violations": [{k: v for k, v in x.items() if k != "evidence"} for x in r.screening.get("violations", [])]},
        "targets": r.targets,
        "village_count": r.village_count,
        "deadline": r.deadline,
        "triage": r.triage or None,
        "deployment": r.deployment or None,
        "submitted_at": r.submitted_at,
    }


def _data(payload: RequestIn) -> services.RequestData:
    return services.RequestData(
        title=payload.title,
        content=payload.content,
        targets=payload.targets,
        type=payload.type,
        basis=payload.basis,
        period_start=payload.period_start,
        period_end=payload.period_end,
        deadline=payload.deadline,
        pledge=payload.pledge,
        responsible_body=payload.responsible_body,
        evidence=payload.evidence,
        provisions=payload.provisions,
        meeting_reason=payload.meeting_reason,
        department_id=payload.department,
    )


@router.post("/admission/requests", response={201: RequestOut})
def request_file(request: HttpRequest, payload: RequestIn) -> Status:
    """File a request (department officers); screened at once, rejected on the spot when it breaks a rule."""
    r = services.request_file(actor=request.user, data=_data(payload))
    return Status(201, _request_out(r))


@router.get("/admission/requests", response=list[RequestOut])
def request_list(request: HttpRequest, status: str = "", year: int | None = None) -> list[dict[str, Any]]:
    return [_request_out(r) for r in selectors.request_list_for(request.user, status=status, year=year)[:200]]


@router.get("/admission/requests/{pk}", response=RequestOut)
def request_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _request_out(selectors.request_get_for(request.user, pk))


@router.post("/admission/requests/{pk}/revise", response=RequestOut)
def request_revise(request: HttpRequest, pk: int, payload: RequestIn) -> dict[str, Any]:
    r = selectors.request_get_for(request.user, pk)
    return _request_out(services.request_revise(actor=request.user, request=r, data=_data(payload), note=payload.note))


@router.post("/admission/requests/{pk}/decision", response=RequestOut)
def request_decide(request: HttpRequest, pk: int, payload: DecisionIn) -> dict[str, Any]:
    """County reviewers: approve (triage + 统一部署), return, or reject citing clauses. Once per version (409)."""
    r = selectors.request_get_for(request.user, pk)
    services.request_decide(
        actor=request.user,
        request=r,
        outcome=payload.outcome,
        reasons=payload.reasons,
        clauses=payload.clauses,
        triage=payload.triage,
        deployment=payload.deployment,
        service_channel=payload.service_channel,
    )
    return _request_out(selectors.request_get_for(request.user, pk))


def _assignment_out(a: Assignment) -> dict[str, Any]:
    r = a.request
    return {
        "id": a.pk,
        "request": r.pk,
        "title": r.title,
        "department": r.department.name,
        "village": a.village_id,
        "township": a.township_id,
        "status": a.status,
        "deadline": a.deadline,
        "progress": a.progress,
        "responsible_body": a.responsible_body,
        "basis": r.basis,
        "provisions": r.provisions,
    }


@router.get("/admission/assignments", response=list[AssignmentOut])
def assignment_list(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    return [_assignment_out(a) for a in selectors.assignment_list_for(request.user, status=status)[:500]]


@router.post("/admission/assignments/{pk}/{action}", response=AssignmentOut)
def assignment_act(request: HttpRequest, pk: int, action: str, payload: AssignmentActIn) -> dict[str, Any]:
    """A village: action ∈ acknowledge, progress, complete. Work not assigned to it is a 404."""
    a = selectors.assignment_get_for(request.user, pk)
    return _assignment_out(
        services.assignment_act(
            actor=request.user, assignment=a, action=action, progress=payload.progress, note=payload.note
        )
    )


@router.post("/admission/offlist-reports", response={201: dict})
def offlist_report(request: HttpRequest, payload: OffListIn) -> Status:
    """A village reports work that reached it outside the system (清单外摊派)."""
    village = services.region_or_422(payload.village, "village")
    department = organisation_find(payload.department) if payload.department else None
    r = services.offlist_report(
        actor=request.user,
        village=village,
        department=department,
        department_name=payload.department_name,
        what=payload.what,
        channel=payload.channel,
        received_on=payload.received_on or timezone.localdate(),
    )
    return Status(201, {"id": r.pk, "status": r.status, "county": r.county_id, "department": r.department_name})


@router.get("/admission/public/results", auth=None)
def public_results(
    request: HttpRequest,
    # Bounded so an impossible year is a 422, not a database error (issue 10).
    year: int | None = Query(None, ge=2000, le=2100, description="年份，默认今年"),
    county: str = Query("", max_length=12),
) -> dict[str, Any]:
    """Public （二）: approved work and the yearly counts of rejected and returned requests per department."""
    year = year or timezone.localdate().year
    approved = list(selectors.public_approved(year, county)[:500])
    villages = selectors.approved_villages([r.pk for r in approved])
    return {
        "year": year,
        "approved": [
            {
                "title": r.title,
                "department": r.department.name,
                "county": r.county_id,
                "basis": r.basis,
                "villages": villages.get(r.pk, []),
                "period_start": r.period_start,
                "period_end": r.period_end,
                "deadline": r.deadline,
                "triage": r.triage,
                "deployment": r.deployment,
                "service_channel": r.service_channel or None,
            }
            for r in approved
        ],
        "departments": [
            {
                "department": d["department__name"],
                "county": d["county__name"],
                "filed": d["filed"],
                "approved": d["approved"],
                "rejected": d["rejected"] + d["screen_rejected"],
                "returned": d["returned"],
            }
            for d in selectors.public_department_counts(year, county)
        ],
    }
