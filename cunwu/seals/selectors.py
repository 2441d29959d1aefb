"""Every read about seals, scoped to the person: outside their scope is 404, never a leak."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncTime
from django.utils import timezone

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import regions_in_scope
from cunwu.errors import NotFound
from cunwu.ledger.selectors import chain_entries_for_ref
from cunwu.regions.codes import VILLAGE_LEVELS
from cunwu.regions.selectors import region_find, regions_where
from cunwu.workdays import is_workday

from . import rules
from .choices import MAJOR_CATEGORIES, Category, HandoverStatus, RequestStatus, SealStatus
from .models import Seal, SealApprover, SealDocument, SealHandover, SealRefusal, SealRequest, SealResolution, SealUse
from .payloads import CHAIN_KIND_USE, use_payload

if TYPE_CHECKING:
    from cunwu.regions.models import Region

NOT_FOUND = "找不到该记录，或不在您的管辖范围内。"


def _scoped(user: Any, perm: Perm = Perm.SEAL_VIEW) -> Q:
    return scope_for(user).region_q("region_id", perm)


def _within(qs: QuerySet[Any], region: str | None) -> QuerySet[Any]:
    """Narrow to a region's subtree (a township, a village) given by its code."""
    if not region:
        return qs
    found = region_find(region)
    if found is None:
        return qs.none()
    return qs.filter(found.subtree_q("region_id"))


# --- registry --------------------------------------------------------------------------------


def seal_list_for(user: Any, *, region: str | None = None, status: str | None = None) -> QuerySet[Seal]:
    """Seals of the villages the user may see, optionally under one region or in one status."""
    qs = Seal.objects.filter(_scoped(user)).select_related("region", "organisation", "custodian")
    qs = _within(qs, region)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("region_id", "kind", "name")


def seal_get_for(user: Any, pk: int) -> Seal:
    seal = seal_list_for(user).filter(pk=pk).first()
    if seal is None:
        raise NotFound(NOT_FOUND)
    return seal


def seal_approvers(seal: Seal) -> list[Any]:
    return list(seal.approvers.order_by("username"))


def villages_for(user: Any, perm: Perm = Perm.SEAL_VIEW) -> list[Region]:
    """Villages and communities in the user's scope for `perm` (for filters and forms)."""
    return regions_in_scope(user, perm, levels=VILLAGE_LEVELS, limit=500)


# --- requests --------------------------------------------------------------------------------


def request_list_for(
    user: Any,
    *,
    region: str | None = None,
    status: str | None = None,
    seal: int | None = None,
    category: str | None = None,
) -> QuerySet[SealRequest]:
    qs = SealRequest.objects.filter(_scoped(user)).select_related("seal", "requester", "approver", "region")
    qs = _within(qs, region)
    if status:
        qs = qs.filter(status=status)
    if seal:
        qs = qs.filter(seal_id=seal)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-created_at", "-id")


def request_get_for(user: Any, pk: int) -> SealRequest:
    request = request_list_for(user).select_related("custodian", "seal__custodian").filter(pk=pk).first()
    if request is None:
        raise NotFound(NOT_FOUND)
    return request


def request_documents(request: SealRequest) -> list[SealDocument]:
    return list(
        SealDocument.objects.filter(request=request).select_related("uploaded_by").order_by("uploaded_at", "id")
    )


def request_resolution(request: SealRequest) -> SealResolution | None:
    return SealResolution.objects.filter(request=request).select_related("document").first()


def document_get_for(user: Any, request_pk: int, document_pk: int) -> SealDocument:
    request = request_get_for(user, request_pk)
    document = SealDocument.objects.filter(request=request, pk=document_pk).first()
    if document is None:
        raise NotFound(NOT_FOUND)
    return document


def awaiting_approval_for(user: Any) -> QuerySet[SealRequest]:
    """Submitted requests of seals the user is listed to approve (not their own)."""
    return (
        SealRequest.objects.filter(_scoped(user, Perm.SEAL_APPROVE), status=RequestStatus.SUBMITTED)
        .filter(seal__in=SealApprover.objects.filter(user=user).values("seal_id"))
        .exclude(requester=user)
        .select_related("seal", "requester")
    )


def awaiting_stamp_for(user: Any) -> QuerySet[SealRequest]:
    """Approved requests of seals the user keeps."""
    return SealRequest.objects.filter(
        _scoped(user, Perm.SEAL_STAMP), status=RequestStatus.APPROVED, seal__custodian=user
    ).select_related("seal", "requester", "approver")


def device_next_for(user: Any, seal_pk: int) -> SealRequest | None:
    """The oldest approved, unclaimed request of a seal the user keeps: what a smart seal does next."""
    seal = seal_get_for(user, seal_pk)
    if seal.custodian_id != user.pk:
        return None
    return (
        SealRequest.objects.filter(seal=seal, status=RequestStatus.APPROVED, claimed_at__isnull=True)
        .order_by("decided_at", "id")
        .first()
    )


# --- the stamping register -------------------------------------------------------------------


def _month_range(month: str) -> tuple[datetime, datetime] | None:
    """'2027-03' → [start, next start) in local time; None when malformed."""
    try:
        year, mon = (int(p) for p in month.split("-", 1))
        start = date(year, mon, 1)
    except (ValueError, TypeError):
        return None
    end = date(year + (mon == 12), 1 if mon == 12 else mon + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, datetime.min.time()), tz),
        timezone.make_aware(datetime.combine(end, datetime.min.time()), tz),
    )


def use_list_for(
    user: Any,
    *,
    region: str | None = None,
    seal: int | None = None,
    category: str | None = None,
    month: str | None = None,
    year: int | None = None,
) -> QuerySet[SealUse]:
    """The stamping register (用印登记簿) in the user's scope, newest first."""
    qs = SealUse.objects.filter(_scoped(user)).select_related(
        "seal", "region", "request", "custodian", "approver", "requester"
    )
    qs = _within(qs, region)
    if seal:
        qs = qs.filter(seal_id=seal)
    if category:
        qs = qs.filter(category=category)
    if month:
        bounds = _month_range(month)
        qs = qs.filter(stamped_at__gte=bounds[0], stamped_at__lt=bounds[1]) if bounds else qs.none()
    if year:
        qs = qs.filter(stamped_at__gte=_year_start(year), stamped_at__lt=_year_start(year + 1))
    return qs.order_by("-stamped_at")


def _year_start(year: int) -> datetime:
    return timezone.make_aware(datetime(year, 1, 1), timezone.get_current_timezone())


def use_get_for(user: Any, pk: str) -> SealUse:
    try:
        key = uuid.UUID(str(pk))
    except ValueError:
        raise NotFound(NOT_FOUND) from None  # a malformed id is simply not found
    use = use_list_for(user).filter(pk=key).first()
    if use is None:
        raise NotFound(NOT_FOUND)
    return use


def use_chain_entry(use: SealUse) -> Any:
    """The hash-chain entry that records this stamping (None if it is missing: verify will say so)."""
    return chain_entries_for_ref("seal_use", str(use.pk)).first()


def use_matches_chain(use: SealUse) -> bool:
    """Whether the register row still says what its chain entry says (a direct edit of either shows)."""
    entry = use_chain_entry(use)
    if entry is None or entry.seq != use.chain_seq or entry.hash != use.entry_hash:
        return False
    resolution = SealResolution.objects.filter(request_id=use.request_id).select_related("document").first()
    from cunwu.ledger.rules import canonical_payload

    return (
        canonical_payload(use_payload(use, use.request, resolution.document.sha256 if resolution else None))
        == entry.payload
    )


def register_rows(uses: QuerySet[SealUse]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of the register export (xlsx)."""
    headers = [
        "用印时间",
        "村（社区）",
        "印章",
        "类别",
        "用印事由",
        "申请次数",
        "实际次数",
        "经办人",
        "审批人",
        "主要负责人签字",
        "用印人（保管人）",
        "所盖文件 SHA-256",
        "链上序号",
        "链上哈希",
        "设备",
    ]
    rows = []
    for u in uses:
        rows.append(
            [
                timezone.localtime(u.stamped_at).replace(tzinfo=None),
                u.region.name,
                u.seal.name,
                Category(u.category).label,
                u.request.matter,
                u.request.impressions,
                u.impressions,
                u.requester.display_name or u.requester.username,
                u.approver.display_name or u.approver.username,
                "是" if u.request.principal_signed else "否",
                u.custodian.display_name or u.custodian.username,
                u.document_sha256,
                u.chain_seq,
                u.entry_hash,
                u.device,
            ]
        )
    return headers, rows


# --- handovers and refusals ------------------------------------------------------------------


def handover_list_for(user: Any, *, region: str | None = None, status: str | None = None) -> QuerySet[SealHandover]:
    qs = SealHandover.objects.filter(_scoped(user)).select_related("region", "from_user", "to_user", "witness")
    qs = _within(qs, region)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def handover_get_for(user: Any, pk: int) -> SealHandover:
    handover = handover_list_for(user).filter(pk=pk).first()
    if handover is None:
        raise NotFound(NOT_FOUND)
    return handover


def refusal_list_for(user: Any, *, region: str | None = None) -> QuerySet[SealRefusal]:
    qs = SealRefusal.objects.filter(_scoped(user)).select_related("seal", "region", "requester")
    return _within(qs, region).order_by("-at")


# --- oversight -------------------------------------------------------------------------------


@dataclass
class Anomaly:
    code: str
    kind: str
    label: str
    at: datetime
    village: str
    seal: str
    detail: str
    url: str = ""


@dataclass
class VillageSummary:
    code: str
    name: str
    uses: int = 0
    impressions: int = 0
    major: int = 0
    refusals: int = 0
    anomalies: int = 0
    unfiled: int = 0
    pending_handovers: int = 0


@dataclass
class Oversight:
    """What the township sees for its villages in one year."""

    year: int
    villages: list[VillageSummary] = field(default_factory=list)
    by_category: list[tuple[str, str, int, int]] = field(default_factory=list)
    by_seal: list[tuple[int, str, str, int, int]] = field(default_factory=list)
    by_month: list[tuple[str, int, int]] = field(default_factory=list)
    major: list[dict[str, Any]] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    seals_unfiled: list[Seal] = field(default_factory=list)
    anomaly_counts: dict[str, int] = field(default_factory=dict)


ANOMALY_KINDS = ("off_hours", "many_impressions", "precondition")
# The page lists the latest of each kind; the counts always cover the whole year.
ANOMALY_LIST = 200


def off_hours_q(year: int) -> Q:
    """Stamped on a non-working day or outside 08:30–18:00 local time (needs local_day/local_time)."""
    return (
        Q(local_day__in=rules.non_working_days(year))
        | Q(local_time__lt=rules.OFFICE_OPENS)
        | Q(local_time__gte=rules.OFFICE_CLOSES)
    )


def many_impressions_q() -> Q:
    q = Q(pk__in=[])
    for category, limit in rules.MANY_IMPRESSIONS.items():
        q |= Q(category=category, impressions__gt=limit)
    return q | (~Q(category__in=list(rules.MANY_IMPRESSIONS)) & Q(impressions__gt=rules.MANY_IMPRESSIONS_DEFAULT))


def oversight_for(user: Any, *, region: str | None = None, year: int | None = None) -> Oversight:
    """Uses by category, seal and month; major matters and their resolutions; anomalies — per village.

    Needs OVERSIGHT_VIEW (township, supervisors, county and above); everything stays in scope.
    """
    scope = scope_for(user)
    year = year or timezone.localdate().year
    result = Oversight(year=year)
    if not scope.has(Perm.OVERSIGHT_VIEW):
        return result
    in_scope = scope.region_q("region_id", Perm.OVERSIGHT_VIEW) & scope.region_q("region_id", Perm.SEAL_VIEW)
    uses = _within(SealUse.objects.filter(in_scope), region).filter(
        stamped_at__gte=_year_start(year), stamped_at__lt=_year_start(year + 1)
    )
    villages = {
        r.code: VillageSummary(r.code, r.name)
        for r in regions_where(
            scope.region_q("code", Perm.OVERSIGHT_VIEW) & _region_filter(region), levels=VILLAGE_LEVELS, limit=2000
        )
    }
    for row in uses.values("region_id").annotate(n=Count("pk"), imp=Sum("impressions")):
        v = villages.get(row["region_id"])
        if v:
            v.uses, v.impressions = row["n"], row["imp"] or 0
    for row in uses.filter(category__in=MAJOR_CATEGORIES).values("region_id").annotate(n=Count("pk")):
        if v := villages.get(row["region_id"]):
            v.major = row["n"]
    result.by_category = [
        (r["category"], Category(r["category"]).label, r["n"], r["imp"] or 0)
        for r in uses.values("category").annotate(n=Count("pk"), imp=Sum("impressions")).order_by("category")
    ]
    result.by_seal = [
        (r["seal_id"], r["region__name"], r["seal__name"], r["n"], r["imp"] or 0)
        for r in uses.values("seal_id", "region__name", "seal__name")
        .annotate(n=Count("pk"), imp=Sum("impressions"))
        .order_by("region__name", "seal__name")
    ]
    tz = timezone.get_current_timezone()
    result.by_month = [
        (
            timezone.localtime(r["m"]).strftime("%Y-%m") if isinstance(r["m"], datetime) else r["m"].strftime("%Y-%m"),
            r["n"],
            r["imp"] or 0,
        )
        for r in uses.annotate(m=TruncMonth("stamped_at", tzinfo=tz))
        .values("m")
        .annotate(n=Count("pk"), imp=Sum("impressions"))
        .order_by("m")
    ]
    # Anomalies are found by the database, so a county's year of uses is never walked in Python;
    # the list shows the latest ones of each kind, the counts cover all of them.
    counts: Counter[tuple[str, str]] = Counter()
    anomalies: list[Anomaly] = []
    off_hours = off_hours_q(year)
    for kind, label, q in (
        ("off_hours", "非工作时间用印", off_hours),
        ("many_impressions", "一事多次用印", many_impressions_q()),
    ):
        found = uses.annotate(
            local_day=TruncDate("stamped_at", tzinfo=tz), local_time=TruncTime("stamped_at", tzinfo=tz)
        ).filter(q)
        for row in found.values("region_id").annotate(n=Count("pk")):
            counts[(row["region_id"], kind)] = row["n"]
        for u in found.select_related("seal", "region", "request").order_by("-stamped_at")[:ANOMALY_LIST]:
            local = timezone.localtime(u.stamped_at)
            if kind == "off_hours":
                detail = f"{local:%Y-%m-%d %H:%M}（{_weekday(local)}）：{u.request.matter[:40]}"
            else:
                limit = rules.many_impressions_limit(u.category)
                detail = (
                    f"{u.impressions} 次（{Category(u.category).label}，提示阈值 {limit} 次）：{u.request.matter[:40]}"
                )
            anomalies.append(
                Anomaly(
                    u.region_id, kind, label, u.stamped_at, u.region.name, u.seal.name, detail, _req_url(u.request_id)
                )
            )
    refusals = _within(SealRefusal.objects.filter(in_scope), region).filter(
        at__gte=_year_start(year), at__lt=_year_start(year + 1)
    )
    for row in refusals.values("region_id").annotate(n=Count("pk")):
        counts[(row["region_id"], "precondition")] = row["n"]
        if v := villages.get(row["region_id"]):
            v.refusals = row["n"]
    for r in refusals.select_related("seal", "region").order_by("-at")[:ANOMALY_LIST]:
        anomalies.append(
            Anomaly(
                r.region_id,
                "precondition",
                "因前置条件被拒绝的申请",
                r.at,
                r.region.name,
                r.seal.name,
                "；".join(r.messages)[:160] + f"（事由：{r.matter[:40]}）",
            )
        )
    for (code, _kind), n in counts.items():
        if v := villages.get(code):
            v.anomalies += n
    result.anomaly_counts = {kind: sum(n for (_, k), n in counts.items() if k == kind) for kind in ANOMALY_KINDS}
    result.anomalies = sorted(anomalies, key=lambda a: a.at, reverse=True)
    major_requests = (
        _within(SealRequest.objects.filter(in_scope), region)
        .filter(category__in=MAJOR_CATEGORIES, created_at__gte=_year_start(year), created_at__lt=_year_start(year + 1))
        .exclude(status=RequestStatus.WITHDRAWN)
        .select_related("seal", "region")
        .order_by("-created_at")
    )
    resolutions = {
        r.request_id: r for r in SealResolution.objects.filter(request__in=major_requests).select_related("document")
    }
    for req in major_requests:
        res = resolutions.get(req.pk)
        result.major.append({"request": req, "resolution": res})
    seals = _within(Seal.objects.filter(in_scope), region).select_related("region")
    result.seals_unfiled = [s for s in seals if s.filed_on is None and s.status != SealStatus.DESTROYED]
    for s in result.seals_unfiled:
        if v := villages.get(s.region_id):
            v.unfiled += 1
    for row in (
        _within(SealHandover.objects.filter(in_scope), region)
        .filter(status__in=[HandoverStatus.PENDING, HandoverStatus.CONFIRMED])
        .values("region_id")
        .annotate(n=Count("pk"))
    ):
        if v := villages.get(row["region_id"]):
            v.pending_handovers = row["n"]
    result.villages = sorted(villages.values(), key=lambda v: v.code)
    return result


def _region_filter(region: str | None) -> Q:
    if not region:
        return Q()
    found = region_find(region)
    return found.subtree_q("code") if found else Q(pk__in=[])


def _weekday(local: datetime) -> str:
    day = "一二三四五六日"[local.weekday()]
    return f"周{day}" + ("" if is_workday(local.date()) else "，非工作日")


def _req_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("seals:request_detail", args=[pk])


def anomaly_counts(anomalies: list[Anomaly]) -> dict[str, int]:
    """Counts of the anomalies listed (the Oversight's own anomaly_counts cover the whole year)."""
    counts: dict[str, int] = defaultdict(int)
    for a in anomalies:
        counts[a.kind] += 1
    return dict(counts)


VERIFY_CHUNK = 2000
# What `use_payload` and the problem messages read: the rest of each row (and of its joins) stays in the database.
VERIFY_FIELDS = (
    *("id", "region_id", "seal_id", "request_id", "category", "impressions", "document_sha256", "stamped_at"),
    *("device", "chain_seq", "entry_hash", "custodian_name", "approver_name", "requester_name"),
    *("seal__name", "seal__kind", "request__matter", "request__impressions", "request__principal_signed"),
    *(f"{who}__{f}" for who in ("custodian", "approver", "requester") for f in ("display_name", "username")),
)


def register_problems(*, region: str | None = None, chunk: int = VERIFY_CHUNK) -> tuple[int, list[str]]:
    """Unscoped check for the command line: each stamping row against its chain entry, and back.

    Returns (rows checked, problems in Chinese naming the village, chain position and use id). Streams:
    register rows in (village, chain position) order and seal-use entries in (chain, seq) order, `chunk`
    at a time, each page looked up by id, so memory does not grow with the register. On PostgreSQL
    outside a transaction both walks read one snapshot (REPEATABLE READ, read only).
    """
    found = None
    if region:
        found = region_find(region)
        if found is None:
            return 0, [f"没有代码为 {region} 的行政区划"]
    own_snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic() if own_snapshot else nullcontext():
        if own_snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        checked, problems = _uses_against_chain(found, chunk)
        problems.extend(_entries_without_use(found, chunk))
    return checked, problems


def _uses_in(found: Region | None) -> QuerySet[SealUse]:
    uses = SealUse.objects.all()
    return uses.filter(found.subtree_q("region_id")) if found is not None else uses


def _uses_against_chain(found: Region | None, chunk: int) -> tuple[int, list[str]]:
    """Every register row (in the region) against the seal-use entry that names it."""
    from cunwu.ledger.rules import canonical_payload
    from cunwu.ledger.selectors import chain_entries_of_kind

    uses = (
        _uses_in(found)
        .select_related("seal", "request", "custodian", "approver", "requester")
        .only(*VERIFY_FIELDS)
        .order_by("region_id", "chain_seq", "id")
    )
    entries = chain_entries_of_kind(CHAIN_KIND_USE, "seal_use", found).order_by("chain", "seq")
    problems: list[str] = []
    checked = 0
    for page in _pages(uses.iterator(chunk_size=chunk), chunk):
        checked += len(page)
        # The last entry naming a use wins, as it did when they were all read into one dictionary.
        by_ref = {e.ref_id: e for e in entries.filter(ref_id__in=[str(u.pk) for u in page])}
        resolutions = dict(
            SealResolution.objects.filter(request_id__in=[u.request_id for u in page]).values_list(
                "request_id", "document__sha256"
            )
        )
        for use in page:
            entry = by_ref.get(str(use.pk))
            where = f"村（社区）{use.region_id}，用印登记 {use.pk}（链上第 {use.chain_seq} 条）"
            if entry is None:
                problems.append(f"{where}：存证链中找不到对应记录")
            elif entry.chain != use.region_id or entry.seq != use.chain_seq or entry.hash != use.entry_hash:
                problems.append(f"{where}：登记的链上位置或哈希与存证链不符（链上为第 {entry.seq} 条）")
            elif canonical_payload(use_payload(use, use.request, resolutions.get(use.request_id))) != entry.payload:
                problems.append(f"{where}：登记内容与存证链记录不一致（登记簿被改动）")
    return checked, problems


def _entries_without_use(found: Region | None, chunk: int) -> Iterator[str]:
    """Seal-use entries (in the region) whose register row is gone, by chain and position."""
    from cunwu.ledger.selectors import chain_entries_of_kind

    entries = (
        chain_entries_of_kind(CHAIN_KIND_USE, "seal_use", found)
        .order_by("chain", "seq")
        .values_list("chain", "seq", "ref_id")
    )
    for page in _pages(entries.iterator(chunk_size=chunk), chunk):
        ids = [ref for _chain, _seq, ref in page if _canonical_uuid(ref)]
        present = {str(pk) for pk in _uses_in(found).filter(pk__in=ids).values_list("pk", flat=True)}
        for chain, seq, ref in page:
            if ref not in present:
                yield f"村（社区）{chain}，链上第 {seq} 条：用印登记簿中缺少用印登记 {ref}（登记被删除）"


def _pages(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """`rows` in lists of `size` (the last may be shorter)."""
    page: list[Any] = []
    for row in rows:
        page.append(row)
        if len(page) == size:
            yield page
            page = []
    if page:
        yield page


def _canonical_uuid(text: str) -> bool:
    """Whether `text` is a UUID written as `str(uuid)` writes it (the only form a use's entry names)."""
    try:
        return str(uuid.UUID(text)) == text
    except ValueError:
        return False


def use_of_request(request: SealRequest) -> SealUse | None:
    """The stamping that carried out a request (None until it is stamped); the request is in scope."""
    if request.status != RequestStatus.STAMPED:
        return None
    return (
        SealUse.objects.select_related("seal", "request", "custodian", "approver", "requester")
        .filter(request=request)
        .first()
    )


def seal_use_reference(ref: str) -> tuple[str, str] | None:
    """(village code, label) of a stamping-register row by its id, or None (for complaints to link to)."""
    try:
        pk = uuid.UUID(ref)
    except ValueError:
        return None
    row = SealUse.objects.filter(pk=pk).values_list("region_id", "stamped_at").first()
    return (row[0], f"用印登记 {timezone.localtime(row[1]):%Y-%m-%d %H:%M}") if row else None


# --- burden figures for oversight （十五）（十六） ---------------------------------------------------


def burden_queries(start: date, end: date) -> list[months.FigureQuery]:
    """Seals' burden figures in [start, end): stampings, and anomalies found the way the township's
    oversight page finds them (off-hours, many impressions, requests refused for preconditions)."""
    lo, hi = months.start_of(start), months.start_of(end)
    tz = timezone.get_current_timezone()
    uses = SealUse.objects.filter(stamped_at__gte=lo, stamped_at__lt=hi)
    local = uses.annotate(local_day=TruncDate("stamped_at", tzinfo=tz), local_time=TruncTime("stamped_at", tzinfo=tz))
    anomalous = many_impressions_q()
    for year in range(start.year, end.year + 1):
        anomalous |= Q(stamped_at__year=year) & off_hours_q(year)
    q = months.FigureQuery
    return [
        q("seals_uses", uses, region="region_id", when="stamped_at"),
        q("seals_anomalies", local.filter(anomalous), region="region_id", when="stamped_at"),
        q("seals_anomalies", SealRefusal.objects.filter(at__gte=lo, at__lt=hi), region="region_id", when="at"),
    ]


def burden_rows(start: date, end: date) -> list[tuple[str, str, str, str | None, int]]:
    return months.figure_counts(burden_queries(start, end))
