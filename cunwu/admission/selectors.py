"""Every read of the admission area, scoped to the person asking (outside scope → 404)."""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import regions_in_scope
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force, catalog_matcher
from cunwu.errors import NotFound
from cunwu.matching import DEFAULT_THRESHOLD, Entry, Matcher
from cunwu.regions import codes
from cunwu.regions.choices import OrgKind
from cunwu.regions.selectors import (
    organisations_at,
    organisations_by_pk,
    region_find,
    region_place_names,
    regions_by_code,
)

from . import rules, screening
from .models import (
    Approval,
    Assignment,
    AssignmentStatus,
    Attachment,
    Channel,
    Decision,
    DecisionOutcome,
    DepartmentRemit,
    Evaluation,
    OffListReport,
    OffListStatus,
    RequestStatus,
    RoutedWork,
    RuleMiss,
    WorkRequest,
)

if TYPE_CHECKING:
    from cunwu.regions.models import Organisation, Region

MATCH_LIMIT = 5


# --- screening -------------------------------------------------------------------------------


def catalog_matches(title: str, content: str, region: Region, at: date | None = None) -> list[rules.Match]:
    """Duty and assist items in force at `region` that the request's title or sentences name,
    best score per item, at most five, only those at or above the matcher's threshold."""
    matcher, items = catalog_matcher([kinds.DUTY, kinds.ASSIST], region, at)
    strip = region_place_names(region)
    best: dict[tuple[str, str], float] = {}
    for piece in screening.match_texts(title, content):
        for cand in matcher.match(piece, strip_names=strip, limit=3):
            key = (cand.kind, cand.code)
            if cand.score > best.get(key, 0.0):
                best[key] = cand.score
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        rules.Match(kind=k, code=c, name=items[(k, c)].name, score=round(s, 4))
        for (k, c), s in ranked
        if s >= DEFAULT_THRESHOLD
    ][:MATCH_LIMIT]


def retained_sign_names(region: Region, at: date | None = None) -> list[str]:
    names: list[str] = []
    for item in catalog_in_force(kinds.SIGN, region, at):
        names.append(item.name)
        names.extend(item.aliases)
    return names


# Registry look-ups are cached briefly per process (a preview and the filing that follows cite the
# same numbers): a write in this process clears the cache (`clear_registry_cache`, called by the
# services), a write in another process shows here within REGISTRY_TTL seconds.
REGISTRY_TTL = 1.0
_REGISTRY_MAX = 1024
_registry_cache: dict[tuple[Any, ...], tuple[float, dict[str, set[str]]]] = {}
_registry_lock = threading.Lock()


def clear_registry_cache() -> None:
    """Forget cached registry look-ups (on every registration or revocation)."""
    with _registry_lock:
        _registry_cache.clear()


def registered_approvals(cited: list[str], county: Region, at: date | None = None) -> dict[str, set[str]]:
    """Of the cited document numbers (normalised), those on the registries in force for a county:
    pledges and mechanisms recorded by its province, evaluations recorded by the county itself."""
    if not cited:
        return {}
    at = at or timezone.localdate()
    province_code = codes.prefix(county.code, codes.PROVINCE).ljust(12, "0")
    deep = codes.PREFIX_LENGTH[county.level] >= codes.PREFIX_LENGTH[codes.COUNTY]
    county_code = codes.prefix(county.code, codes.COUNTY).ljust(12, "0") if deep else province_code
    key = (tuple(sorted(cited)), province_code, county_code, at)
    now = time.monotonic()
    held = _registry_cache.get(key)
    if held is not None and now - held[0] < REGISTRY_TTL:
        return {kind: set(numbers) for kind, numbers in held[1].items()}
    found = _registered_now(cited, province_code, county_code, at)
    with _registry_lock:
        if len(_registry_cache) >= _REGISTRY_MAX:
            _registry_cache.clear()
        _registry_cache[key] = (now, found)
    return {kind: set(numbers) for kind, numbers in found.items()}


def _registered_now(cited: list[str], province_code: str, county_code: str, at: date) -> dict[str, set[str]]:
    rows = Approval.objects.filter(
        number_key__in=cited, revoked_at__isnull=True, issued_on__lte=at, region_id__in=[province_code, county_code]
    ).values_list("kind", "region_id", "number_key")
    out: dict[str, set[str]] = {}
    for kind, region_code, key in rows:
        level = codes.PROVINCE if region_code == province_code else codes.COUNTY
        if rules.APPROVAL_LEVELS.get(kind) == level:
            out.setdefault(kind, set()).add(key)
    return out


def with_registry_facts(inp: rules.ScreenInput, county: Region, at: date | None = None) -> rules.ScreenInput:
    """The input with the exemptions its basis earns from the registries （二）（五）（六）."""
    cited = screening.cited_documents(inp.basis)
    registered = registered_approvals(cited, county, at)
    facts = rules.registry_facts(cited, registered)
    return replace(
        inp,
        approved_pledge=facts["approved_pledge"],
        approved_mechanism=facts["approved_mechanism"],
        approved_evaluation=facts["approved_evaluation"],
        approvals=rules.registered_numbers(cited, registered),
    )


def screening_for(inp: rules.ScreenInput, region: Region, at: date | None = None) -> rules.Screening:
    """Screen a request against the catalogs in force at `region` (DESIGN.md §4), with the
    approvals its basis cites looked up on the registries."""
    inp = with_registry_facts(inp, region, at)
    matches = catalog_matches(inp.title, inp.content, region, at)
    return screening.screen(inp, matches, retained_sign_names(region, at))


def can_screen(user: Any) -> bool:
    """Department officers and county-level (or higher) staff may use the screen."""
    scope = scope_for(user)
    if scope.has(Perm.ADMISSION_FILE) or scope.has(Perm.ADMISSION_REVIEW):
        return True
    upper = {codes.PROVINCE, codes.PREFECTURE, codes.COUNTY}
    return any(g.region_level in upper and Perm.ADMISSION_VIEW in g.perms for g in scope.grants)


# --- requests --------------------------------------------------------------------------------


def request_list_for(user: Any, *, status: str = "", year: int | None = None, q: str = "") -> QuerySet[WorkRequest]:
    """Requests the person may see: county staff their counties', officers their department's."""
    scope = scope_for(user)
    qs = WorkRequest.objects.filter(scope.records_q("county_id", Perm.ADMISSION_VIEW, "department_id"))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(created_at__year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(content__icontains=q))
    return qs.select_related("department", "county", "filed_by")


def request_get_for(user: Any, pk: int) -> WorkRequest:
    found = request_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该准入申请，或不在您的管辖范围内。")
    return found


def review_queue_for(user: Any) -> QuerySet[WorkRequest]:
    """Pending requests in the counties where the person reviews, oldest first."""
    scope = scope_for(user)
    return (
        WorkRequest.objects.filter(scope.region_q("county_id", Perm.ADMISSION_REVIEW), status=RequestStatus.PENDING)
        .select_related("department", "county", "filed_by")
        .order_by("submitted_at", "id")
    )


@dataclass(frozen=True)
class DepartmentHistory:
    filed: int
    approved: int
    rejected: int
    screen_rejected: int
    returned: int
    offlist: int


def department_history(department_ids: list[int], year: int) -> dict[int, DepartmentHistory]:
    """This year's record per department: requests filed, approved, rejected (by the county or
    on screening), returned, and off-list work villages reported against it."""
    rows = (
        WorkRequest.objects.filter(department_id__in=department_ids, created_at__year=year)
        .values("department_id", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts[r["department_id"]][r["status"]] += r["n"]
    returned_ever = (
        WorkRequest.objects.filter(department_id__in=department_ids, created_at__year=year, decisions__outcome="return")
        .values("department_id")
        .annotate(n=Count("id", distinct=True))
    )
    ret = {r["department_id"]: r["n"] for r in returned_ever}
    off = dict(
        OffListReport.objects.filter(department_id__in=department_ids, received_on__year=year)
        .exclude(status=OffListStatus.DISMISSED)
        .values_list("department_id")
        .annotate(n=Count("id"))
    )
    out = {}
    for dep in department_ids:
        c = counts.get(dep, Counter())
        out[dep] = DepartmentHistory(
            filed=sum(c.values()),
            approved=c[RequestStatus.APPROVED],
            rejected=c[RequestStatus.REJECTED],
            screen_rejected=c[RequestStatus.SCREEN_REJECTED],
            returned=ret.get(dep, 0),
            offlist=off.get(dep, 0),
        )
    return out


def departments_for_filing(user: Any) -> list[Organisation]:
    scope = scope_for(user)
    return organisations_by_pk(scope.department_ids(Perm.ADMISSION_FILE))


def villages_in_scope(user: Any, perm: Perm, limit: int = 2000) -> list[Region]:
    return regions_in_scope(user, perm, levels=codes.VILLAGE_LEVELS, limit=limit, with_parents=True)


def townships_in_scope(user: Any, perm: Perm) -> list[Region]:
    return regions_in_scope(user, perm, levels=(codes.TOWNSHIP,))


# --- assignments and ledgers （十五） -------------------------------------------------------------


def assignment_list_for(
    user: Any, *, status: str = "", region: str = "", year: int | None = None
) -> QuerySet[Assignment]:
    """Assignments in the person's area; a department officer sees its own department's."""
    scope = scope_for(user)
    qs = Assignment.objects.filter(scope.records_q("village_id", Perm.ADMISSION_VIEW, "request__department_id"))
    if status == "open":
        qs = qs.exclude(status=AssignmentStatus.DONE)
    elif status == "overdue":
        qs = qs.exclude(status=AssignmentStatus.DONE).filter(deadline__lt=timezone.localdate())
    elif status:
        qs = qs.filter(status=status)
    if region:
        r = region_find(region)
        qs = qs.filter(r.subtree_q("village_id")) if r else qs.none()
    if year:
        qs = qs.filter(created_at__year=year)
    return qs.select_related("request", "request__department", "village", "township")


def assignment_get_for(user: Any, pk: int) -> Assignment:
    found = assignment_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该派发事项：它没有派给您所在的村（社区），或不在您的管辖范围内。")
    return found


def village_workbench_for(user: Any) -> QuerySet[Assignment]:
    """What the person's villages were given, open first, nearest deadline first."""
    scope = scope_for(user)
    return (
        Assignment.objects.filter(scope.region_q("village_id", Perm.ADMISSION_RECEIVE))
        .select_related("request", "request__department", "village", "township")
        .order_by("status", "deadline", "id")
    )


@dataclass(frozen=True)
class LedgerRow:
    """One ledger line per approved request, aggregated over the villages in view."""

    request: WorkRequest
    villages: int
    done: int
    overdue: int
    progress: int

    @property
    def is_overdue(self) -> bool:
        return self.overdue > 0


def ledger_rows_for(user: Any, *, region: str = "", overdue_only: bool = False) -> list[LedgerRow]:
    """The work ledger （十五）: every approved item with its villages' progress within the view."""
    qs = assignment_list_for(user, region=region)
    today = timezone.localdate()
    agg = (
        qs.values("request_id")
        .annotate(
            villages=Count("id"),
            done=Count("id", filter=Q(status=AssignmentStatus.DONE)),
            overdue=Count("id", filter=~Q(status=AssignmentStatus.DONE) & Q(deadline__lt=today)),
        )
        .order_by()
    )
    progress: dict[int, list[int]] = defaultdict(list)
    for rid, p in qs.values_list("request_id", "progress"):
        progress[rid].append(p)
    by_id = {a["request_id"]: a for a in agg}
    requests = (
        WorkRequest.objects.filter(pk__in=list(by_id)).select_related("department", "county").order_by("deadline", "id")
    )
    rows = []
    for req in requests:
        a = by_id[req.pk]
        values = progress[req.pk]
        row = LedgerRow(req, a["villages"], a["done"], a["overdue"], round(sum(values) / len(values)) if values else 0)
        if overdue_only and not row.is_overdue:
            continue
        rows.append(row)
    rows.sort(key=lambda r: (not r.is_overdue, r.request.deadline or date.max, r.request.pk))
    return rows


def meeting_counts_for(user: Any, year: int) -> list[dict[str, Any]]:
    """Each village's meetings this year （四）: summoned (approved meeting requests) and attended."""
    qs = assignment_list_for(user, year=year).filter(request__type="meeting")
    rows = (
        qs.values("village_id", "village__name", "township__name")
        .annotate(summoned=Count("id"), attended=Count("id", filter=Q(status=AssignmentStatus.DONE)))
        .order_by("-summoned", "village_id")
    )
    return [dict(r) for r in rows]


# --- off-list reports ------------------------------------------------------------------------


def offlist_list_for(user: Any, *, status: str = "") -> QuerySet[OffListReport]:
    """Off-list reports: villages see their own, county and township staff those in their area."""
    scope = scope_for(user)
    q = scope.region_q("village_id", Perm.ADMISSION_REPORT) | scope.region_q("village_id", Perm.COMPLAINT_HANDLE)
    q |= scope.region_q("village_id", Perm.OVERSIGHT_VIEW)
    qs = OffListReport.objects.filter(q)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("village", "department", "reported_by")


def offlist_get_for(user: Any, pk: int) -> OffListReport:
    found = offlist_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该反映，或不在您的管辖范围内。")
    return found


def county_departments(county: Region) -> list[Organisation]:
    return organisations_at(county, kinds=(OrgKind.DEPARTMENT,), order_by=("name",))


# --- evaluation and registry ------------------------------------------------------------------


def evaluation_list_for(user: Any) -> QuerySet[Evaluation]:
    scope = scope_for(user)
    return Evaluation.objects.filter(scope.region_q("county_id", Perm.ADMISSION_VIEW)).select_related("county")


def evaluation_get_for(user: Any, pk: int) -> Evaluation:
    found = evaluation_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该考评，或不在您的管辖范围内。")
    return found


def evaluation_results(evaluation: Evaluation, villages: list[Region]) -> list[dict[str, Any]]:
    """Per village: its score on each indicator and the weighted total."""
    indicators = list(evaluation.indicators.all())
    weights = {i.pk: float(i.weight) for i in indicators}
    scores: dict[str, dict[int, float]] = defaultdict(dict)
    for ind, village, score in evaluation.indicators.values_list("pk", "scores__village_id", "scores__score"):
        if village:
            scores[village][ind] = float(score)
    out = []
    for v in villages:
        s = scores.get(v.code, {})
        out.append(
            {
                "village": v,
                "scores": [s.get(i.pk) for i in indicators],
                "complete": len(s) == len(indicators) and bool(indicators),
                "total": rules.weighted_total(s, weights) if s else None,
            }
        )
    return out


def channel_list_for(user: Any) -> QuerySet[Channel]:
    scope = scope_for(user)
    return Channel.objects.filter(scope.region_q("county_id", Perm.ADMISSION_VIEW)).select_related(
        "owner", "merged_into"
    )


def channel_get_for(user: Any, pk: int) -> Channel:
    found = channel_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该工作群或应用，或不在您的管辖范围内。")
    return found


LOOKALIKE_THRESHOLD = 0.55


def channel_lookalikes(channels: list[Channel]) -> dict[int, list[tuple[Channel, float]]]:
    """Active entries whose name or purpose looks like another active entry's (the shared matcher)."""
    active = [c for c in channels if c.decision not in ("merge", "close")]
    if len(active) < 2:
        return {}
    matcher = Matcher(Entry(code=str(c.pk), name=c.name, aliases=(c.purpose,), kind=c.kind) for c in active)
    by_id = {c.pk: c for c in active}
    out: dict[int, list[tuple[Channel, float]]] = {}
    for c in active:
        found: list[tuple[Channel, float]] = []
        for text in (c.name, c.purpose):
            for cand in matcher.match(text, limit=4):
                other = int(cand.code)
                if other != c.pk and cand.score >= LOOKALIKE_THRESHOLD and other not in [o.pk for o, _ in found]:
                    found.append((by_id[other], cand.score))
        if found:
            out[c.pk] = sorted(found, key=lambda x: -x[1])
    return out


def channel_counts(channels: list[Channel]) -> list[tuple[Region, int, int]]:
    """Per village: groups and apps reaching its staff before clean-up and after."""
    counts = rules.counts_before_after((c.pk, set(c.villages), c.decision, c.merged_into_id) for c in channels)
    regions = regions_by_code(counts)
    return [(regions[code], a, b) for code, (a, b) in sorted(counts.items()) if code in regions]


# --- public results （二） ------------------------------------------------------------------------


def public_approved(year: int, county: str = "") -> QuerySet[WorkRequest]:
    """Approved work is public: title, department, basis, villages, period （二）（十六）."""
    qs = WorkRequest.objects.filter(status=RequestStatus.APPROVED, decided_at__year=year)
    if county:
        qs = qs.filter(county_id=county)
    return qs.select_related("department", "county").order_by("-decided_at", "-id")


def public_department_counts(year: int, county: str = "") -> list[dict[str, Any]]:
    """Per department this year: requests rejected (by the county or on screening) and returned."""
    qs = WorkRequest.objects.filter(created_at__year=year)
    if county:
        qs = qs.filter(county_id=county)
    rows = (
        qs.values("department_id", "department__name", "county__name")
        .annotate(
            filed=Count("id", distinct=True),
            approved=Count("id", filter=Q(status=RequestStatus.APPROVED), distinct=True),
            rejected=Count("id", filter=Q(status=RequestStatus.REJECTED), distinct=True),
            screen_rejected=Count("id", filter=Q(status=RequestStatus.SCREEN_REJECTED), distinct=True),
            returned=Count("id", filter=Q(decisions__outcome="return"), distinct=True),
        )
        .order_by("county__name", "department__name")
    )
    return [dict(r) for r in rows]


def approved_villages(request_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for rid, name in (
        Assignment.objects.filter(request_id__in=request_ids)
        .values_list("request_id", "village__name")
        .order_by("village_id")
    ):
        out[rid].append(name)
    return out


def attachment_get_for(user: Any, pk: int) -> Attachment:
    """An attachment of a request the user can see; 404 otherwise (also outside scope)."""
    found = Attachment.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该附件。")
    request_get_for(user, found.request_id)
    return found


def channel_in_county(pk: Any, county_id: str) -> Channel | None:
    """Another group or app of the same county (the one a channel is merged into), or None."""
    return Channel.objects.filter(pk=pk, county_id=county_id).first()


# --- references from other apps (complaints link to records by id, never read these tables) -----


def request_reference(pk: int) -> tuple[str, str] | None:
    """(county code, title) of an admission request, or None when there is none with that id."""
    row = WorkRequest.objects.filter(pk=pk).values_list("county_id", "title").first()
    return (row[0], row[1]) if row else None


def offlist_reference(pk: int) -> tuple[str, str] | None:
    """(village code, department name) of an off-list report (清单外摊派反映), or None."""
    row = OffListReport.objects.filter(pk=pk).values_list("village_id", "department_name").first()
    return (row[0], row[1]) if row else None


def offlists_about(village_code: str, department_name: str, since: date) -> list[int]:
    """Off-list reports a village filed since `since` about work from the named department."""
    qs = OffListReport.objects.filter(village_id=village_code, department_name=department_name.strip())
    return list(qs.filter(received_on__gte=since).order_by("id").values_list("id", flat=True))


# --- burden figures for oversight （十五）（十六） ---------------------------------------------------


def burden_queries(start: date, end: date) -> list[months.FigureQuery]:
    """Admission's burden figures for records dated in [start, end), one query per figure.

    Requests are about a county (the reviewing county); assignments and off-list reports about a
    village; groups and apps and the evaluation about the county that registered them.
    """
    lo, hi = months.start_of(start), months.start_of(end)
    requests = WorkRequest.objects.filter(created_at__gte=lo, created_at__lt=hi)
    # The records page titles decisions and assignments by their request; counting ignores the join.
    decisions = Decision.objects.filter(decided_at__gte=lo, decided_at__lt=hi).select_related("request")
    assignments = Assignment.objects.filter(created_at__gte=lo, created_at__lt=hi).select_related("request")
    dept = "request__department__name"
    q = months.FigureQuery
    return [
        q(
            "admission_screen_rejected",
            requests.filter(status=RequestStatus.SCREEN_REJECTED),
            region="county_id",
            when="created_at",
            subject="department__name",
        ),
        q(
            "admission_rejected",
            decisions.filter(outcome=DecisionOutcome.REJECT),
            region="request__county_id",
            when="decided_at",
            subject=dept,
        ),
        q(
            "admission_assigned",
            assignments.exclude(request__type__in=["meeting", "evaluation"]),
            region="village_id",
            when="created_at",
            subject=dept,
        ),
        q(
            "admission_meetings",
            assignments.filter(request__type="meeting"),
            region="village_id",
            when="created_at",
            subject=dept,
        ),
        q(
            "admission_evaluations",
            assignments.filter(request__type="evaluation"),
            region="village_id",
            when="created_at",
            subject=dept,
        ),
        q(
            "admission_offlist",
            OffListReport.objects.filter(received_on__gte=start, received_on__lt=end).exclude(
                status=OffListStatus.DISMISSED
            ),
            region="village_id",
            when="received_on",
            subject="department_name",
        ),
        q(
            "admission_channels",
            Channel.objects.filter(created_at__gte=lo, created_at__lt=hi),
            region="county_id",
            when="created_at",
            subject="owner__name",
        ),
    ]


def burden_rows(start: date, end: date) -> list[tuple[str, str, str, str | None, int]]:
    """Admission's burden counts for records dated in [start, end), one GROUP BY per figure."""
    return months.figure_counts(burden_queries(start, end))


# --- departments' responsibilities toward villages （一） --------------------------------------------


def remit_item_names(county: Region, at: date | None = None) -> dict[str, str]:
    """Code → name of the duty and assist items in force in the county: what a department may cite."""
    day = at or timezone.localdate()
    out: dict[str, str] = {}
    for kind in rules.REMIT_KINDS:
        out.update({i.code: i.name for i in catalog_in_force(kind, county, day)})
    return out


@dataclass(frozen=True)
class RemitRow:
    """One department of a county with its published responsibilities (None until the county sets them)."""

    department: Organisation
    remit: DepartmentRemit | None
    items: list[tuple[str, str]]  # (code, name) of the catalog items it asks villages to assist through


def remit_rows(county: Region) -> list[RemitRow]:
    """Every department of the county with its responsibilities and 履职方式, as published （一）. Public."""
    remits = {r.department_id: r for r in DepartmentRemit.objects.filter(county=county).select_related("updated_by")}
    names = remit_item_names(county)
    return [
        RemitRow(
            d,
            remits.get(d.pk),
            [(c, names.get(c, "（已不在目录中）")) for c in (remits[d.pk].items if d.pk in remits else [])],
        )
        for d in county_departments(county)
    ]


def remit_counties_for(user: Any) -> list[Region]:
    """The counties where the person may set departments' responsibilities."""
    return regions_in_scope(user, Perm.REGION_MANAGE, levels=(codes.COUNTY,), limit=50)


def remit_department_for(user: Any, department_id: int) -> tuple[Region, Organisation]:
    """A department of a county the person manages, with that county; 404 outside."""
    for county in remit_counties_for(user):
        for d in county_departments(county):
            if d.pk == department_id:
                return county, d
    raise NotFound("找不到该部门，或不在您管理的县（市、区）。")


def remit_get(county_code: str, department_id: int) -> DepartmentRemit | None:
    return DepartmentRemit.objects.filter(county_id=county_code, department_id=department_id).first()


def remit_notes(requests: list[WorkRequest]) -> dict[int, tuple[DepartmentRemit | None, rules.RemitCheck]]:
    """For each request: its department's published entry and whether the request lies within it （一）.

    Only shown to the reviewer; the screening outcome and its rules are untouched.
    """
    pairs = {(r.county_id, r.department_id) for r in requests}
    remits = {
        (m.county_id, m.department_id): m
        for m in DepartmentRemit.objects.filter(
            county_id__in={c for c, _ in pairs}, department_id__in={d for _, d in pairs}
        )
    }
    out = {}
    for r in requests:
        remit = remits.get((r.county_id, r.department_id))
        matches = [
            (m.get("kind", ""), m.get("code", ""), m.get("name", "")) for m in (r.screening or {}).get("matches", [])
        ]
        check = rules.remit_check(
            has_remit=remit is not None, remit_items=remit.items if remit else (), matches=matches
        )
        out[r.pk] = (remit, check)
    return out


# --- registries, routed work, rule misses ----------------------------------------------------


def approval_list_for(user: Any) -> QuerySet[Approval]:
    """Recorded approvals the person may see: those of the province or counties in their scope."""
    scope = scope_for(user)
    provinces = {codes.prefix(code, codes.PROVINCE).ljust(12, "0") for code, _ in scope.regions(Perm.ADMISSION_VIEW)}
    return Approval.objects.filter(
        scope.region_q("region_id", Perm.ADMISSION_VIEW) | Q(region_id__in=provinces)
    ).select_related("region")


def approval_get_for(user: Any, pk: int) -> Approval:
    found = approval_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该批准登记，或不在您的管辖范围内。")
    return found


def approval_regions_for(user: Any) -> list[tuple[str, Region]]:
    """(kind, region) pairs the person may record: province kinds where they approve for the
    province, the evaluation kind in counties where they manage evaluations."""
    out: list[tuple[str, Region]] = []
    for kind, level in rules.APPROVAL_LEVELS.items():
        perm = Perm.EVALUATION_MANAGE if level == codes.COUNTY else Perm.SIGN_APPROVE
        for region in regions_in_scope(user, perm, levels=(level,), limit=50):
            out.append((kind, region))
    return out


def routed_list_for(user: Any) -> QuerySet[RoutedWork]:
    """Work routed away from villages （三）: a township sees its tasks, a county all in the county."""
    scope = scope_for(user)
    return RoutedWork.objects.filter(scope.records_q("region_id", Perm.ADMISSION_VIEW)).select_related(
        "request", "region", "request__department"
    )


def routed_get_for(user: Any, pk: int) -> RoutedWork:
    found = routed_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该分流事项，或不在您的管辖范围内。")
    return found


def rule_miss_list_for(user: Any) -> QuerySet[RuleMiss]:
    """Decisions that contradicted the screening, in the counties the person oversees."""
    scope = scope_for(user)
    return RuleMiss.objects.filter(scope.records_q("county_id", Perm.ADMISSION_VIEW)).select_related("request")


def rule_miss_get_for(user: Any, pk: int) -> RuleMiss:
    found = rule_miss_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该条改判记录，或不在您的管辖范围内。")
    return found
