"""Every read of the complaints area. Staff lists filter by the handling body, never by region scope;
reports are never shown to the village or township they are about. The public reads by tracking code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope, scope_for
from cunwu.errors import Forbidden, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import counties_under

from . import rules
from .models import (
    Complaint,
    Event,
    Photo,
    Question,
    Reference,
    ReviewedDocument,
    ReviewFinding,
    Status,
    TypicalCase,
)

PUBLIC_NOT_FOUND = "没有查到这个查询码。请核对查询码（形如 JB-7K3M9Q2XA4TD，共 12 位字母数字）后重试。"


# --- the public, by tracking code ----------------------------------------------------------------


def complaint_public_get(code: str) -> Complaint:
    """A report by tracking code. Malformed and unknown codes take the same path (one query) → 404."""
    found = (
        Complaint.objects.filter(tracking_code=rules.normalise_tracking_code(code))
        .select_related("region", "handler")
        .first()
    )
    if found is None:
        raise NotFound(PUBLIC_NOT_FOUND, "unknown_tracking_code")
    return found


def public_history(complaint: Complaint) -> list[Event]:
    return list(complaint.events.filter(public=True).order_by("at", "id"))


def status_history(complaint: Complaint) -> list[dict[str, Any]]:
    """The contract's history: each status reached and when (extensions and notes are not statuses)."""
    rows = complaint.events.filter(action__in=list(rules.TRANSITIONS)).order_by("at", "id")
    return [{"status": e.status, "at": timezone.localtime(e.at).isoformat()} for e in rows]


def questions_of(complaint: Complaint) -> list[Question]:
    return list(complaint.questions.all())


# --- staff ---------------------------------------------------------------------------------------


def _not_own(scope: Scope) -> Q:
    """Excludes reports about the viewer's own village or township (their subtree)."""
    q = Q()
    for code in rules.own_areas(scope):
        low, high = codes.prefix_range(codes.subtree_prefix(code))
        q &= ~Q(region_id__gte=low, region_id__lte=high)
    return q


def complaint_list_for(
    user: Any,
    *,
    status: str = "",
    category: str = "",
    region: str = "",
    overdue: bool = False,
    received: tuple[date | None, date | None] = (None, None),
) -> QuerySet[Complaint]:
    """Reports handled by the person's body (county, prefecture or province); 403 without complaint:handle.

    `region` narrows to a subtree (a 12-digit code); `received` to [from, to) local dates.
    """
    scope = scope_for(user)
    if not scope.has(Perm.COMPLAINT_HANDLE):
        raise Forbidden("您没有办理举报的权限。")
    qs = Complaint.objects.filter(handler_id__in=sorted(rules.handling_codes(scope))).filter(_not_own(scope))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if region and codes.is_code(region):
        low, high = codes.prefix_range(codes.subtree_prefix(region))
        qs = qs.filter(region_id__gte=low, region_id__lte=high)
    if overdue:
        qs = qs.filter(status__in=rules.OPEN, due__lt=timezone.localdate())
    tz = timezone.get_current_timezone()
    if received[0]:
        qs = qs.filter(received_at__gte=datetime.combine(received[0], datetime.min.time(), tz))
    if received[1]:
        qs = qs.filter(received_at__lt=datetime.combine(received[1], datetime.min.time(), tz))
    return qs.select_related("region", "handler").order_by("due", "id")


def complaint_get_for(user: Any, code: str) -> Complaint:
    """One report for its handling body's staff; anyone else (the village it is about included) → 404."""
    scope = scope_for(user)
    if scope.is_empty:
        raise NotFound("找不到该举报，或不由您所在单位办理。")
    found = (
        Complaint.objects.filter(tracking_code=rules.normalise_tracking_code(code))
        .filter(handler_id__in=sorted(rules.handling_codes(scope)))
        .filter(_not_own(scope))
        .select_related("region", "handler")
        .first()
    )
    if found is None:
        raise NotFound("找不到该举报，或不由您所在单位办理。")
    return found


def events_of(complaint: Complaint) -> list[Event]:
    return list(complaint.events.select_related("by").order_by("at", "id"))


def references_of(complaint: Complaint) -> list[Reference]:
    return list(complaint.references.all())


def photos_of(complaint: Complaint) -> list[Photo]:
    return list(complaint.photos.all())


def photo_get_for(user: Any, code: str, pk: int) -> Photo:
    complaint = complaint_get_for(user, code)
    found = complaint.photos.filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该照片。")
    return found


def question_get_for(user: Any, code: str, pk: int) -> Question:
    complaint = complaint_get_for(user, code)
    found = complaint.questions.filter(pk=pk).select_related("complaint").first()
    if found is None:
        raise NotFound("找不到该追问。")
    return found


def overdue_for(user: Any) -> tuple[int, int]:
    """(open reports past due that the person's body handles, those handled anywhere in a prefecture
    the person administers) — the county and prefecture workbench flags."""
    scope = scope_for(user)
    if not scope.has(Perm.COMPLAINT_HANDLE):
        return 0, 0
    today = timezone.localdate()
    open_late = Complaint.objects.filter(status__in=rules.OPEN, due__lt=today)
    own = open_late.filter(handler_id__in=sorted(rules.handling_codes(scope))).filter(_not_own(scope)).count()
    q = Q(pk__in=[])
    for g in scope.grants:
        if Perm.COMPLAINT_HANDLE in g.perms and g.region_level == codes.PREFECTURE:
            low, high = codes.prefix_range(codes.subtree_prefix(g.region_code))
            q |= Q(handler_id__gte=low, handler_id__lte=high) & ~Q(handler_id=g.region_code)
    below = open_late.filter(q).count()
    return own, below


def waiting_for(user: Any) -> int:
    scope = scope_for(user)
    if not scope.has(Perm.COMPLAINT_HANDLE):
        return 0
    return complaint_list_for(user, status=Status.RECEIVED).count()


# --- typical cases (public) ------------------------------------------------------------------------


def typical_case_list(*, clause: str = "", prefecture: str = "") -> QuerySet[TypicalCase]:
    qs = TypicalCase.objects.select_related("prefecture", "complaint")
    if clause:
        qs = qs.filter(clause=clause)
    if prefecture:
        qs = qs.filter(prefecture_id=prefecture)
    return qs.order_by("-published_at", "-id")


def typical_case_get(pk: int) -> TypicalCase:
    found = TypicalCase.objects.select_related("prefecture", "complaint").filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该典型案例。")
    return found


def typical_case_prefectures() -> list[tuple[str, str]]:
    """Prefectures that have published cases (for the filter), code and name."""
    rows = TypicalCase.objects.values_list("prefecture_id", "prefecture__name").distinct().order_by("prefecture_id")
    return list(rows)


def can_publish(user: Any, complaint: Complaint) -> bool:
    return rules.can_publish(scope_for(user), complaint.region_id)


# --- document review ---------------------------------------------------------------------------------


def _documents_q(scope: Scope) -> Q:
    q = Q(pk__in=[])
    for g in scope.grants:
        if g.region_level in rules.HANDLING_LEVELS or g.is_department:
            q |= g.region_q("county_id")
    return q


def document_list_for(user: Any, *, county: str = "", status: str = "") -> QuerySet[ReviewedDocument]:
    """The register of reviewed documents in the counties the person works for, with finding counts."""
    qs = ReviewedDocument.objects.filter(_documents_q(scope_for(user)))
    if county and codes.is_code(county):
        qs = qs.filter(county_id=county)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("county")
        .annotate(finding_count=Count("findings"), open_count=Count("findings", filter=Q(findings__decision="")))
        .order_by("-created_at", "-id")
    )


def document_get_for(user: Any, pk: int) -> ReviewedDocument:
    found = ReviewedDocument.objects.filter(_documents_q(scope_for(user)), pk=pk).select_related("county").first()
    if found is None:
        raise NotFound("找不到该文件审查记录，或不在您的管辖范围内。")
    return found


def findings_of(document: ReviewedDocument) -> list[ReviewFinding]:
    return list(document.findings.select_related("decided_by").order_by("index"))


def finding_get_for(user: Any, pk: int) -> ReviewFinding:
    found = ReviewFinding.objects.filter(pk=pk).select_related("document").first()
    if found is None:
        raise NotFound("找不到该审查发现。")
    document_get_for(user, found.document_id)
    return found


def can_review(user: Any) -> bool:
    scope = scope_for(user)
    return any(g.region_level in rules.HANDLING_LEVELS or g.is_department for g in scope.grants)


def review_counties_for(user: Any) -> list[tuple[str, str]]:
    """Counties where the person may review documents: (code, name), from the region tree's selector."""
    out: dict[str, str] = {}
    for g in scope_for(user).grants:
        if g.region_level in rules.HANDLING_LEVELS or g.is_department:
            for code, name in counties_under(g.region_code):
                out[code] = name
    return sorted(out.items())


# --- numbers (for oversight; it reads these through this function, never the tables) ----------------


@dataclass(frozen=True)
class ComplaintNumbers:
    by_category: dict[str, int]
    by_handler: dict[str, int]
    by_subject: dict[str, int]
    by_finding: dict[str, int]
    closed: int
    on_time: int

    @property
    def on_time_rate(self) -> float | None:
        return round(self.on_time / self.closed, 4) if self.closed else None


def complaint_numbers(start: date, end: date, *, region: str = "") -> ComplaintNumbers:
    """Reports received in [start, end) in a region subtree: per category, county, department or agency
    (the subject as written), finding, and the share closed by their due date. Counted by the database."""
    tz = timezone.get_current_timezone()
    qs = Complaint.objects.filter(
        received_at__gte=datetime.combine(start, datetime.min.time(), tz),
        received_at__lt=datetime.combine(end, datetime.min.time(), tz),
    )
    if region and codes.is_code(region):
        low, high = codes.prefix_range(codes.subtree_prefix(region))
        qs = qs.filter(region_id__gte=low, region_id__lte=high)

    def grouped(field: str) -> dict[str, int]:
        rows = qs.exclude(**{field: ""}).values(field).annotate(n=Count("id")).order_by(field)
        return {r[field]: r["n"] for r in rows}

    by_handler: dict[str, int] = {}
    for r in qs.values("handler_id").annotate(n=Count("id")):
        by_handler[r["handler_id"]] = r["n"]
    closed = qs.filter(closed_at__isnull=False)
    # closed_at's local date (USE_TZ: __date converts to the current time zone) ≤ due, in the database.
    on_time = closed.filter(closed_at__date__lte=F("due")).count()
    return ComplaintNumbers(
        by_category=grouped("category"),
        by_handler=by_handler,
        by_subject=grouped("subject"),
        by_finding=grouped("finding"),
        closed=closed.count(),
        on_time=on_time,
    )


def linked_offlist_q() -> Q:
    """Reports linked to a village's off-list report: that report is already counted by admission."""
    return Q(Exists(Reference.objects.filter(complaint=OuterRef("pk"), kind="offlist_report")))
