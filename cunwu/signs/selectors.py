"""Every read a person sees in the signs app, scoped: outside scope is a 404.

Villages see their own inventory; townships and the county see the villages under them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope, scope_for
from cunwu.errors import Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.codes import VILLAGE_LEVELS
from cunwu.regions.selectors import region_ancestors, region_find, region_get

from . import compliance, rules
from .models import (
    ApprovalRequest,
    Campaign,
    CampaignTask,
    CampaignVillage,
    Facility,
    Mechanism,
    MechanismStatus,
    Photo,
    RemovalReason,
    RequestKind,
    RequestStatus,
    ScanReport,
    Sign,
    SignStatus,
    TaskAction,
    TaskStatus,
    Zone,
)

if TYPE_CHECKING:
    from cunwu.regions.models import Region

OUT_OF_SCOPE = "找不到该记录，或不在您的管辖范围内。"


def _visible(user: Any, code: str) -> Scope:
    scope = scope_for(user)
    if not scope.covers(code, Perm.SIGN_VIEW):
        raise NotFound(OUT_OF_SCOPE)
    return scope


def region_get_for(user: Any, code: str) -> Region:
    """Any region the user may see signs for (a village's own page, a township, a county …)."""
    try:
        region = region_get(code)
    except Invalid as exc:
        raise NotFound(OUT_OF_SCOPE) from exc
    _visible(user, region.code)
    return region


def village_get_for(user: Any, code: str) -> Region:
    """A village or community in the user's scope; anything else is a 404."""
    region = region_get_for(user, code)
    if region.level not in VILLAGE_LEVELS:
        raise NotFound("请选择村（社区）。")
    return region


def check_region_for(user: Any, code: str) -> Region:
    """The village named in an API check: 422 for a malformed code or a level above villages, 404 outside scope."""
    problem = codes.code_problem(code or "")
    if problem:
        raise Invalid.field("region", problem)
    region = region_get(code)
    _visible(user, region.code)
    if region.level not in VILLAGE_LEVELS:
        raise Invalid.field("region", f"“{region.name}”不是村（社区），请填写村委会或社区的区划代码。")
    return region


def home_region_for(user: Any) -> Region | None:
    """Where the signs pages start for this person: the widest region they see signs in."""
    regions = scope_for(user).regions(Perm.SIGN_VIEW)
    if not regions:
        return None
    code = min(regions, key=lambda r: (codes.PREFIX_LENGTH[r[1]], r[0]))[0]
    return region_find(code)


def can_edit(user: Any, region: Region) -> bool:
    return region.level in VILLAGE_LEVELS and scope_for(user).can(Perm.SIGN_EDIT, region.code)


# --- inventory ------------------------------------------------------------------------------------


def sign_get_for(user: Any, pk: int) -> Sign:
    scope = scope_for(user)
    sign = (
        Sign.objects.filter(scope.region_q("region_id", Perm.SIGN_VIEW), pk=pk)
        .select_related("region", "photo")
        .first()
    )
    if sign is None:
        raise NotFound(OUT_OF_SCOPE)
    return sign


def removed_signs(region: Region) -> list[Sign]:
    return list(Sign.objects.filter(region=region, status=SignStatus.REMOVED).order_by("-removed_on", "-id")[:100])


def photo_get_for(user: Any, pk: int) -> Photo:
    """A photo, only for people who see its village's inventory."""
    scope = scope_for(user)
    photo = Photo.objects.filter(scope.region_q("region_id", Perm.SIGN_VIEW), pk=pk).first()
    if photo is None:
        raise NotFound(OUT_OF_SCOPE)
    return photo


@dataclass
class MechanismRow:
    mechanism: Mechanism
    findings: list[rules.Finding]


def mechanism_rows(region: Region) -> list[MechanismRow]:
    """The village's active mechanisms, each with its （六）（八） findings."""
    rows = []
    for m in (
        Mechanism.objects.filter(region=region, status=MechanismStatus.ACTIVE).select_related("approval").order_by("id")
    ):
        findings = rules.check_mechanism(
            basis_kind=m.basis_kind,
            approval_reference=m.approval_reference,
            dedicated_posts=m.dedicated_posts,
            in_facility=m.in_facility,
        )
        if m.approval is not None and m.approval.status != RequestStatus.APPROVED:
            findings.insert(
                0, rules.Finding("unapproved_mechanism", "（六）", "关联的省级批准已撤销，该机制不再有设立依据（六）。")
            )
        rows.append(MechanismRow(m, findings))
    return rows


def ended_mechanisms(region: Region) -> list[Mechanism]:
    return list(
        Mechanism.objects.filter(region=region).exclude(status=MechanismStatus.ACTIVE).order_by("-ended_on")[:50]
    )


def mechanism_get_for(user: Any, pk: int) -> Mechanism:
    scope = scope_for(user)
    m = (
        Mechanism.objects.filter(scope.region_q("region_id", Perm.SIGN_VIEW), pk=pk)
        .select_related("region", "approval")
        .first()
    )
    if m is None:
        raise NotFound(OUT_OF_SCOPE)
    return m


def mechanism_approvals_for(region: Region) -> list[ApprovalRequest]:
    """Approved new-mechanism requests that apply to this village (set at it or any level above)."""
    covering = [*codes.ancestor_codes(region.code), region.code]
    return list(
        ApprovalRequest.objects.filter(
            kind=RequestKind.MECHANISM, status=RequestStatus.APPROVED, region_id__in=covering
        )
        .select_related("region")
        .order_by("-decided_at")
    )


@dataclass
class FacilityView:
    facility: Facility | None
    area: rules.AreaCheck | None
    findings: list[rules.Finding]
    residents_share: float | None
    zones: list[tuple[str, Decimal, float]] = field(default_factory=list)


def facility_view(region: Region) -> FacilityView:
    """The facility with its （七）（八） findings and the share of each zone (residents' share shown)."""
    facility = Facility.objects.filter(region=region).first()
    if facility is None:
        return FacilityView(None, None, [], None)
    facts = rules.FacilityFacts(
        building_area=facility.building_area,
        households=facility.households,
        zones=facility.zones(),
        open_plan=facility.open_plan,
        one_stop=facility.one_stop,
    )
    total = float(facility.building_area)
    zones = [
        (z.label, getattr(facility, z.value), float(getattr(facility, z.value)) / total if total else 0.0) for z in Zone
    ]
    return FacilityView(
        facility,
        rules.check_facility_area(facility.households, facility.building_area),
        rules.check_facility(facts),
        rules.residents_share(facts),
        zones,
    )


# --- approvals -----------------------------------------------------------------------------------


def request_list_for(user: Any, *, status: str = "", kind: str = "", region: str = "") -> QuerySet[ApprovalRequest]:
    scope = scope_for(user)
    qs = ApprovalRequest.objects.filter(scope.region_q("region_id", Perm.SIGN_VIEW)).select_related(
        "region", "filed_by"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if region:
        qs = qs.filter(region_id=region)
    return qs.order_by("-filed_at", "-id")


def request_get_for(user: Any, pk: int) -> ApprovalRequest:
    req = request_list_for(user).filter(pk=pk).select_related("reviewed_by", "decided_by", "revoked_by").first()
    if req is None:
        raise NotFound(OUT_OF_SCOPE)
    return req


def requests_waiting_for(user: Any) -> tuple[int, int]:
    """(awaiting county review that the user may review, awaiting provincial approval that the user may decide)."""
    scope = scope_for(user)
    review = approve = 0
    if scope.has(Perm.SIGN_REVIEW):
        review = ApprovalRequest.objects.filter(
            scope.region_q("region_id", Perm.SIGN_REVIEW), status=RequestStatus.SUBMITTED
        ).count()
    if scope.has(Perm.SIGN_APPROVE):
        approve = ApprovalRequest.objects.filter(
            scope.region_q("region_id", Perm.SIGN_APPROVE), status=RequestStatus.FORWARDED
        ).count()
    return review, approve


# --- campaigns -----------------------------------------------------------------------------------


def _campaign_q(scope: Scope) -> Q:
    """Campaigns of counties the user sees, and of the county above the user's township or village."""
    q = scope.region_q("county_id", Perm.SIGN_VIEW)
    counties = {
        codes.prefix(g.region_code, codes.COUNTY) + "000000"
        for g in scope.grants
        if Perm.SIGN_VIEW in g.perms and codes.PREFIX_LENGTH[g.region_level] > codes.PREFIX_LENGTH[codes.COUNTY]
    }
    if counties:
        q |= Q(county_id__in=counties)
    return q


def campaign_list_for(user: Any) -> QuerySet[Campaign]:
    scope = scope_for(user)
    return (
        Campaign.objects.filter(_campaign_q(scope)).select_related("county", "opened_by").order_by("-opened_at", "-id")
    )


def campaign_get_for(user: Any, pk: int) -> Campaign:
    campaign = campaign_list_for(user).filter(pk=pk).first()
    if campaign is None:
        raise NotFound(OUT_OF_SCOPE)
    return campaign


def open_campaign_for(region: Region) -> Campaign | None:
    county = codes.prefix(region.code, codes.COUNTY) + "000000"
    return Campaign.objects.filter(county_id=county, status="open").first()


def task_list(campaign: Campaign | None, region: Region, *, open_only: bool = False) -> list[CampaignTask]:
    if campaign is None:
        return []
    qs = CampaignTask.objects.filter(campaign=campaign, region=region).select_related("sign", "batch", "photo")
    if open_only:
        qs = qs.filter(status=TaskStatus.OPEN)
    return list(qs.order_by("status", "id"))


def task_get_for(user: Any, pk: int) -> CampaignTask:
    scope = scope_for(user)
    task = (
        CampaignTask.objects.filter(scope.region_q("region_id", Perm.SIGN_VIEW), pk=pk)
        .select_related("campaign", "region", "sign", "batch")
        .first()
    )
    if task is None:
        raise NotFound(OUT_OF_SCOPE)
    return task


def open_tasks_for(user: Any) -> QuerySet[CampaignTask]:
    """Open tasks in open campaigns at the villages where the user keeps the inventory."""
    scope = scope_for(user)
    return CampaignTask.objects.filter(
        scope.region_q("region_id", Perm.SIGN_EDIT), status=TaskStatus.OPEN, campaign__status="open"
    )


@dataclass
class ProgressRow:
    """Campaign progress for one township or village: plates before and after, what was done （九）."""

    code: str
    name: str
    villages: int = 0
    plates_before: int = 0
    plates_now: int = 0
    removed: int = 0
    tasks: int = 0
    tasks_done: int = 0
    tasks_open: int = 0
    excepted: int = 0
    exceptions: int = 0
    replace_total: int = 0
    replace_done: int = 0
    villages_done: int = 0
    by_action: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def percent(self) -> int:
        return round(100 * (self.tasks - self.tasks_open) / self.tasks) if self.tasks else 100

    def add(self, other: ProgressRow) -> None:
        for name in (
            "villages",
            "plates_before",
            "plates_now",
            "removed",
            "tasks",
            "tasks_done",
            "tasks_open",
            "excepted",
            "exceptions",
            "replace_total",
            "replace_done",
            "villages_done",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for key, value in other.by_action.items():
            self.by_action[key] += value


@dataclass
class Progress:
    total: ProgressRow
    rows: list[ProgressRow]
    level: str  # "township" (rows per township) or "village"


def campaign_progress(user: Any, campaign: Campaign, *, township: str = "") -> Progress:
    """Progress of a campaign over the villages the user sees, per township (or per village).

    Five aggregate queries, whatever the number of villages.
    """
    scope = scope_for(user)
    visible = scope.region_q("region_id", Perm.SIGN_VIEW)
    cvs = CampaignVillage.objects.filter(visible, campaign=campaign)
    if township:
        low, high = codes.code_range(township, codes.TOWNSHIP)
        cvs = cvs.filter(region_id__gte=low, region_id__lte=high)
    village_rows = list(
        cvs.values_list("region_id", "region__name", "region__parent_id", "region__parent__name", "plates_before")
    )
    codes_in = cvs.values("region_id")
    hanging = dict(
        Sign.objects.filter(region_id__in=codes_in, status=SignStatus.HANGING)
        .values("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    removed = dict(
        Sign.objects.filter(
            region_id__in=codes_in, status=SignStatus.REMOVED, removal_recorded_at__gte=campaign.opened_at
        )
        .exclude(removal_reason=RemovalReason.REPLACE)
        .values("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    exceptions = dict(
        ApprovalRequest.objects.filter(region_id__in=codes_in, kind=RequestKind.SIGN, status=RequestStatus.APPROVED)
        .values("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    tasks: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for code, action, status, n in (
        CampaignTask.objects.filter(campaign=campaign, region_id__in=codes_in)
        .values("region_id", "action", "status")
        .annotate(n=Count("id"))
        .values_list("region_id", "action", "status", "n")
    ):
        tasks[code].append((action, status, n))
    per_village = []
    for code, name, parent, parent_name, before in village_rows:
        row = ProgressRow(
            code,
            name,
            villages=1,
            plates_before=before,
            plates_now=hanging.get(code, 0),
            removed=removed.get(code, 0),
            exceptions=exceptions.get(code, 0),
        )
        for action, status, n in tasks.get(code, ()):
            if status == TaskStatus.CANCELLED:
                continue
            row.tasks += n
            row.by_action[action] += n
            if status == TaskStatus.DONE:
                row.tasks_done += n
            elif status == TaskStatus.EXCEPTED:
                row.excepted += n
            else:
                row.tasks_open += n
            if action == TaskAction.REPLACE:
                row.replace_total += n
                row.replace_done += n if status == TaskStatus.DONE else 0
        row.villages_done = 1 if row.tasks_open == 0 else 0
        per_village.append((parent, parent_name, row))
    total = ProgressRow(campaign.county_id, campaign.county.name)
    for _p, _n, row in per_village:
        total.add(row)
    if township or all(p == per_village[0][0] for p, _n, _r in per_village):
        rows = sorted((r for _p, _n, r in per_village), key=lambda r: r.code)
        return Progress(total, rows, "village")
    grouped: dict[str, ProgressRow] = {}
    for parent, parent_name, row in per_village:
        key = parent or ""
        group = grouped.get(key)
        if group is None:
            group = grouped[key] = ProgressRow(key, parent_name or "")
        group.add(row)
    return Progress(total, sorted(grouped.values(), key=lambda r: r.code), "township")


def batch_progress(campaign: Campaign, user: Any) -> list[tuple[Any, int, int]]:
    """(batch, replace tasks, done) for the campaign's batches, over the villages the user sees."""
    scope = scope_for(user)
    counts = {
        (b, s): n
        for b, s, n in CampaignTask.objects.filter(
            scope.region_q("region_id", Perm.SIGN_VIEW), campaign=campaign, batch__isnull=False
        )
        .values("batch_id", "status")
        .annotate(n=Count("id"))
        .values_list("batch_id", "status", "n")
    }
    out = []
    for batch in campaign.batches.order_by("id"):
        total = sum(n for (b, s), n in counts.items() if b == batch.pk and s != TaskStatus.CANCELLED)
        out.append((batch, total, counts.get((batch.pk, TaskStatus.DONE), 0)))
    return out


# --- overview and reports ------------------------------------------------------------------------

LIVE_SCAN_LEVELS = (codes.COUNTY, codes.TOWNSHIP)


def overview_for(user: Any, region: Region) -> compliance.ScanResult | None:
    """Live compliance under a county (per township) or a township (per village); None above a county."""
    _visible(user, region.code)
    if region.level == codes.COUNTY:
        return compliance.scan(region, group_level=codes.TOWNSHIP)
    if region.level == codes.TOWNSHIP:
        return compliance.scan(region, group_level=codes.VILLAGE)
    return None


def scan_report_latest(user: Any, region: Region) -> ScanReport | None:
    """The last stored scan covering the region (its own, or the province's)."""
    _visible(user, region.code)
    covering = [region.code, *codes.ancestor_codes(region.code)]
    return ScanReport.objects.filter(region_id__in=covering).order_by("-started_at", "-id").first()


def report_rows_for(report: ScanReport, region: Region) -> list[dict[str, Any]]:
    """The stored per-county rows that fall inside the region."""
    return [row for row in report.rows if region.contains(row["code"])]


def breadcrumbs(region: Region) -> list[Region]:
    return [*region_ancestors(region), region]


def sign_reference(pk: int) -> tuple[str, str] | None:
    """(village code, name as written) of a recorded plate, or None (for complaints to link to)."""
    row = Sign.objects.filter(pk=pk).values_list("region_id", "name").first()
    return (row[0], row[1]) if row else None


# --- burden figures for oversight （十五）（十六） ---------------------------------------------------


def burden_queries(start: date, end: date) -> list[months.FigureQuery]:
    """Signs' burden figures in [start, end): plates found outside the catalog when a county's
    clean-up opened (by the month it opened), and clean-up tasks still open after the campaign's
    deadline (by the deadline's month; only deadlines already passed count)."""
    lo, hi = months.start_of(start), months.start_of(end)
    today = timezone.localdate()
    q = months.FigureQuery
    return [
        q(
            "signs_offcatalog",
            CampaignTask.objects.filter(
                problem=rules.NOT_IN_CATALOG, campaign__opened_at__gte=lo, campaign__opened_at__lt=hi
            ),
            region="region_id",
            when="campaign__opened_at",
        ),
        q(
            "signs_overdue_tasks",
            CampaignTask.objects.filter(
                status=TaskStatus.OPEN,
                campaign__deadline__gte=start,
                campaign__deadline__lt=min(end, today),
            ),
            region="region_id",
            when="campaign__deadline",
        ),
    ]


def burden_rows(start: date, end: date) -> list[tuple[str, str, str, str | None, int]]:
    return months.figure_counts(burden_queries(start, end))
