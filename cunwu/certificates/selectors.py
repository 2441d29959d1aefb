"""Every read of the certificates app, scoped to the person asking (outside scope → 404).

Public reads (verification, published 式样) are marked as such and return no personal data beyond
the masked name.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cunwu import months
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import CatalogItem, catalog_item_get, defining_regions
from cunwu.errors import Invalid, NotFound
from cunwu.masking import mask_in_text
from cunwu.privacy.cipher import blind_indexes
from cunwu.regions.choices import OrgKind
from cunwu.regions.selectors import organisations_at, region_find

from . import rules
from .keys import token_check
from .models import (
    Application,
    CaseStatus,
    Certificate,
    CertificateStatus,
    CertificateTemplate,
    CoordinationCase,
    Material,
    Outcome,
    Status,
    TemplateStatus,
)

if TYPE_CHECKING:
    from cunwu.regions.models import Region

_NOT_FOUND = "找不到该记录，或不在您的管辖范围内。"


@dataclass(frozen=True)
class Filters:
    """Register and list filters as people type them; blank means "any"."""

    status: str = ""
    outcome: str = ""
    item: str = ""
    agency: str = ""
    region: str = ""
    q: str = ""
    since: dt.date | None = None
    until: dt.date | None = None


def issuer_name(region: Region) -> str:
    """The village committee as printed: 罗免镇大箐村民委员会 (township + committee name)."""
    committee = next((o.name for o in organisations_at(region, kinds=(OrgKind.COMMITTEE,))), None)
    name = committee or region.name
    township = region.parent.name if region.parent_id and region.parent else ""
    return f"{township}{name}" if township and not name.startswith(township) else name


def certificate_item_for(region: Region, code: str, at: dt.date | None = None) -> tuple[str, CatalogItem | None]:
    """The outcome and catalog item for a code ("" or UNLISTED: in neither catalog) for a village."""
    code = (code or "").strip()
    if not code or code.upper() == rules.UNLISTED_CODE:
        return Outcome.UNLISTED, None
    for kind, outcome in ((kinds.CERT_RETAINED, Outcome.RETAINED), (kinds.CERT_FORBIDDEN, Outcome.FORBIDDEN)):
        try:
            return outcome, catalog_item_get(kind, region, code, at)
        except NotFound:
            continue
    raise Invalid.field("item_code", f"本村（社区）适用的证明事项目录中没有编码为 {code} 的事项；目录外事项请留空。")


def _scoped(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(scope_for(user).region_q("region_id", Perm.CERT_VIEW))


def _apply(qs: QuerySet[Application], f: Filters) -> QuerySet[Application]:
    if f.status == "revoked":
        qs = qs.filter(certificate__status=CertificateStatus.REVOKED)
    elif f.status in Status.values:
        qs = qs.filter(status=f.status)
    if f.outcome in Outcome.values:
        qs = qs.filter(outcome=f.outcome)
    if f.item:
        item = f.item.strip()
        qs = qs.filter(Q(item_code__iexact=item) | Q(item_name__icontains=item))
    if f.agency:
        qs = qs.filter(requesting_agency__icontains=f.agency.strip())
    if f.region.strip().isdigit() and len(f.region.strip()) == 12:
        code = f.region.strip()
        region = region_find(code)
        qs = qs.filter(region.subtree_q("region_id")) if region else qs.none()
    if f.since:
        qs = qs.filter(received_at__date__gte=f.since)
    if f.until:
        qs = qs.filter(received_at__date__lte=f.until)
    if f.q:
        q = f.q.strip()
        # Numbers, words and masked names (张*丰), never full names or ID numbers: a query string ends
        # up in access logs, and full names are encrypted at rest.
        qs = qs.filter(
            Q(receipt_number__iexact=q)
            | Q(refusal_number__iexact=q)
            | Q(certificate__serial__iexact=q)
            | Q(item_name__icontains=q)
            | Q(request_text__icontains=q)
            | Q(applicant_name_masked=q)
        )
    return qs


def application_list_for(user: Any, filters: Filters | None = None) -> QuerySet[Application]:
    """Applications in the user's certificate scope, newest first (names are masked when shown)."""
    qs = _apply(_scoped(user), filters or Filters())
    return qs.select_related("region", "certificate").order_by("-received_at", "-id")


def application_get_for(user: Any, pk: int) -> Application:
    app = (
        _scoped(user)
        .select_related("region", "region__parent", "received_by", "decided_by", "template")
        .filter(pk=pk)
        .first()
    )
    if app is None:
        raise NotFound(_NOT_FOUND)
    return app


def application_status_lookup(village: str, receipt_number: str, id_number: str) -> Application | None:
    """The application matching all three (the public status check); the ID number through its blind index."""
    return (
        Application.objects.select_related("region", "region__parent")
        .filter(
            region_id=village.strip(),
            receipt_number=receipt_number.strip().upper(),
            applicant_id_number_hmac__in=blind_indexes(id_number),
        )
        .first()
    )


def material_get_for(user: Any, pk: int) -> Material:
    scope = scope_for(user)
    material = (
        Material.objects.filter(scope.region_q("application__region_id", Perm.CERT_VIEW), pk=pk)
        .select_related("application")
        .first()
    )
    if material is None:
        raise NotFound(_NOT_FOUND)
    return material


def certificate_get_for(user: Any, pk: int) -> Certificate:
    scope = scope_for(user)
    cert = (
        Certificate.objects.filter(scope.region_q("region_id", Perm.CERT_VIEW), pk=pk)
        .select_related("application", "region")
        .first()
    )
    if cert is None:
        raise NotFound(_NOT_FOUND)
    return cert


def register_list_for(user: Any, filters: Filters | None = None) -> QuerySet[Application]:
    """The register (台账): issued certificates and refusals in scope."""
    qs = _apply(_scoped(user).filter(status__in=[Status.ISSUED, Status.REFUSED]), filters or Filters())
    return qs.select_related("region", "certificate").order_by("-decided_at", "-id")


def register_stats_for(user: Any, filters: Filters | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per-item and per-agency counts for oversight: which agencies keep asking for forbidden ones."""
    qs = _apply(_scoped(user).exclude(status=Status.WITHDRAWN), filters or Filters())
    per_item = (
        qs.values("outcome", "item_code", "item_name")
        .annotate(
            total=Count("id"),
            issued=Count("id", filter=Q(status=Status.ISSUED)),
            refused=Count("id", filter=Q(status=Status.REFUSED)),
            pending=Count("id", filter=Q(status__in=[Status.RECEIVED, Status.PENDING])),
        )
        .order_by("-total", "item_code")
    )
    per_agency = (
        qs.exclude(requesting_agency="")
        .values("requesting_agency")
        .annotate(
            total=Count("id"),
            forbidden=Count("id", filter=Q(outcome=Outcome.FORBIDDEN)),
            refused=Count("id", filter=Q(status=Status.REFUSED)),
            issued=Count("id", filter=Q(status=Status.ISSUED)),
            cases=Count("coordination_case"),
        )
        .order_by("-forbidden", "-total", "requesting_agency")
    )
    items = [{**row, "item_name": row["item_name"] or "目录外事项"} for row in per_item]
    agencies = [
        {"agency": row["requesting_agency"], **{k: v for k, v in row.items() if k != "requesting_agency"}}
        for row in per_agency
    ]
    return {"per_item": items, "per_agency": agencies}


def case_list_for(user: Any, *, status: str = "") -> QuerySet[CoordinationCase]:
    scope = scope_for(user)
    qs = CoordinationCase.objects.filter(scope.region_q("region_id", Perm.CERT_VIEW))
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("region", "township", "application").order_by("status", "-opened_at")


def case_get_for(user: Any, pk: int) -> CoordinationCase:
    case = case_list_for(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_NOT_FOUND)
    return case


def work_counts_for(user: Any) -> dict[str, int]:
    """What waits for this person: applications to decide, certificates to sign, cases to close."""
    scope = scope_for(user)
    out = {"to_decide": 0, "to_sign": 0, "cases": 0}
    if scope.has(Perm.CERT_INTAKE):
        out["to_decide"] = Application.objects.filter(
            scope.region_q("region_id", Perm.CERT_INTAKE), status=Status.RECEIVED
        ).count()
    if scope.has(Perm.CERT_SIGN_OFF):
        out["to_sign"] = Application.objects.filter(
            scope.region_q("region_id", Perm.CERT_SIGN_OFF), status=Status.PENDING
        ).count()
    if scope.has(Perm.CERT_COORDINATE):
        out["cases"] = CoordinationCase.objects.filter(
            scope.region_q("region_id", Perm.CERT_COORDINATE), status=CaseStatus.OPEN
        ).count()
    return out


# --- templates (式样) -------------------------------------------------------------------------


def template_list_for(user: Any) -> QuerySet[CertificateTemplate]:
    """式样 the user may edit: a department sees its own, a county editor its whole area."""
    scope = scope_for(user)
    qs = CertificateTemplate.objects.filter(scope.records_q("region_id", Perm.CERT_TEMPLATE, "organisation_id"))
    return qs.select_related("region", "organisation").order_by("item_code", "-id")


def template_get_for(user: Any, pk: int) -> CertificateTemplate:
    template = template_list_for(user).filter(pk=pk).first()
    if template is None:
        raise NotFound(_NOT_FOUND)
    return template


def template_public_list(*, region: Region | None = None, item_code: str = "") -> QuerySet[CertificateTemplate]:
    """Published 式样 (public （十二）), optionally those applying to one village or region."""
    qs = CertificateTemplate.objects.filter(status=TemplateStatus.PUBLISHED)
    if region is not None:
        qs = qs.filter(region_id__in=defining_regions(region))
    if item_code:
        qs = qs.filter(item_code=item_code.strip().upper())
    return qs.select_related("region", "organisation").order_by("item_code", "-published_at")


def template_public_get(pk: int) -> CertificateTemplate:
    template = template_public_list().filter(pk=pk).first()
    if template is None:
        raise NotFound("找不到该证明式样，或已停用。")
    return template


def template_for(region: Region, item_code: str, agency: str = "") -> CertificateTemplate | None:
    """The 式样 a village uses for an item: the requesting agency's own if it published one, else
    the most local published one, else None (the default template)."""
    chain = defining_regions(region)
    candidates = list(template_public_list().filter(region_id__in=chain, item_code=item_code))
    if not candidates:
        return None
    depth = {code: i for i, code in enumerate(chain)}
    agency = (agency or "").strip()

    def rank(t: CertificateTemplate) -> tuple[int, int, float]:
        matches = bool(agency) and (t.requesting_agency in agency or agency in t.requesting_agency)
        return (1 if matches else 0, depth.get(t.region_id, -1), t.published_at.timestamp() if t.published_at else 0.0)

    return max(candidates, key=rank)


# --- verification (public) --------------------------------------------------------------------


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _not_genuine(reason: str) -> dict[str, Any]:
    return {
        "valid": False,
        "status": "invalid",
        "reason": reason,
        "serial": None,
        "issuer": None,
        "item": None,
        "issued_at": None,
        "valid_until": None,
        "revoked_at": None,
        "revocation_reason": None,
        "subject": None,
    }


_VERIFY_COLUMNS = (
    "serial",
    "region_id",
    "issuer_name",
    "item_code",
    "item_name",
    "issued_at",
    "valid_until",
    "revoked_at",
    "revocation_reason",
    "subject_masked",
    "digest",
    "status",
)
_VERIFY_SQL = (
    f"SELECT {', '.join(_VERIFY_COLUMNS)} FROM {Certificate._meta.db_table} WHERE region_id = %s AND serial = %s"  # noqa: S608 - constant names
)


def _aware(value: Any) -> dt.datetime | None:
    """A raw cursor gives aware datetimes on PostgreSQL and text on SQLite; both stored in UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


def _verify_row(iss: str, sn: str) -> dict[str, Any] | None:
    # The hot path of verification (>1,000 req/s): one query on the (region, serial) unique index,
    # written out so no ORM compilation runs per request.
    with connection.cursor() as cursor:
        cursor.execute(_VERIFY_SQL, [iss, sn])
        row = cursor.fetchone()
    if row is None:
        return None
    out = dict(zip(_VERIFY_COLUMNS, row, strict=True))
    out["expires"] = _aware(out["valid_until"])
    for key in ("issued_at", "valid_until", "revoked_at"):
        out[key] = _iso(_aware(out[key]))  # formatted once: the row may be reused (VERIFY_FRESH)
    return out


# Per process, a certificate's verification row is reused for at most VERIFY_FRESH seconds: a
# revocation made by any process (its row update committed) shows to every verifier within one
# second (issue 17), while a QR code scanned again and again is not read from the database each time.
VERIFY_FRESH = 0.5
_VERIFY_CACHE_MAX = 4096
_verify_rows: dict[tuple[str, str], tuple[float, dict[str, Any] | None]] = {}


def _verify_row_fresh(iss: str, sn: str) -> dict[str, Any] | None:
    key = (iss, sn)
    asked = time.monotonic()  # before the read: the kept row is never older than its stamp says
    kept = _verify_rows.get(key)
    if kept is not None and asked - kept[0] < VERIFY_FRESH:
        return kept[1]
    row = _verify_row(iss, sn)
    if len(_verify_rows) >= _VERIFY_CACHE_MAX:
        _verify_rows.clear()
    _verify_rows[key] = (asked, row)
    return row


def verify_rows_forget(iss: str | None = None, sn: str | None = None) -> None:
    """Drop this process's kept verification rows (one certificate's, or all): after a revocation here."""
    if iss is None or sn is None:
        _verify_rows.clear()
    else:
        _verify_rows.pop((iss, sn), None)


def certificate_verify(token: str, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Public: what a token says — genuine and valid, revoked, expired, or not genuine (with why).

    The signature is checked with cached public keys (a token that verified once is remembered);
    the certificate is one indexed lookup by (iss, sn), reused for at most VERIFY_FRESH seconds.
    No personal data beyond the masked name.
    """
    check = token_check(token)
    if check.reason is not None or check.claims is None:
        return _not_genuine(check.reason or "malformed")
    claims = check.claims
    row = _verify_row_fresh(claims["iss"], claims["sn"])
    if row is None or row["digest"] != claims["dig"]:
        return _not_genuine("not_found")
    status = rules.verify_status(
        revoked=row["status"] == CertificateStatus.REVOKED, valid_until=row["expires"], now=now or timezone.now()
    )
    return {
        "valid": status == "valid",
        "status": status,
        "reason": None,
        "serial": row["serial"],
        "issuer": {"code": row["region_id"], "name": row["issuer_name"]},
        "item": {"code": row["item_code"], "name": row["item_name"]},
        "issued_at": row["issued_at"],
        "valid_until": row["valid_until"],
        "revoked_at": row["revoked_at"],
        "revocation_reason": row["revocation_reason"] or None,
        "subject": row["subject_masked"],
    }


def certificate_printed_for_verify(verified: dict[str, Any]) -> dict[str, Any] | None:
    """What the paper of a genuine certificate says, for the relying party to compare line by line.

    `verified` is `certificate_verify`'s answer (only genuine ones have a serial). The wording is the
    printed content (the `dig` input) as printed — the verified facts such as an address or a date of
    residence in full — with the holder's name masked as on every public page and every ID or phone
    number masked. None when the token was not genuine.
    """
    if not verified.get("serial") or not verified.get("issuer"):
        return None
    cert = (
        Certificate.objects.select_related("application")
        .filter(region_id=verified["issuer"]["code"], serial=verified["serial"])
        .first()
    )
    if cert is None:
        return None
    c = cert.content
    names = (cert.application.applicant_name,)

    def shown(text: str | None) -> str:
        return mask_in_text(text or "", names=names)

    return {
        "title": shown(c["title"]),
        "serial": c["serial"],
        "paragraphs": [shown(p) for p in c["paragraphs"]],
        "fields": [(label, shown(value)) for label, value in c["fields"] if value],
        "purpose_line": shown(c.get("purpose_line")),
        "validity_line": shown(c.get("validity_line")) or "证明上未规定有效期。",
        "issuer": c["issuer"]["name"],
        "date_text": c["date_text"],
        "signer_title": cert.signer_title,
    }


def coordination_case_of(application: Application) -> CoordinationCase | None:
    """The township's coordination case opened when this application was refused, if any."""
    return CoordinationCase.objects.filter(application=application).first()


def application_public_get(pk: Any) -> Application | None:
    """An application named by a signed ticket the applicant holds (the ticket is the authorisation)."""
    return Application.objects.select_related("region", "region__parent").filter(pk=pk).first()


def refusal_reference(region_code: str, refusal_number: str) -> str | None:
    """The item name on a village's refusal notice (numbers run per village), or None when there is none."""
    row = (
        Application.objects.filter(region_id=region_code, refusal_number=refusal_number)
        .exclude(refusal_number="")
        .values_list("item_name", flat=True)
        .first()
    )
    return (row or "不予出具证明告知书") if row is not None else None


def refusal_prefill(region_code: str, refusal_number: str) -> dict[str, str] | None:
    """What a report filed from a refusal notice's QR starts with: item and agency — nothing about the person."""
    row = (
        Application.objects.filter(region_id=region_code, refusal_number=refusal_number)
        .exclude(refusal_number="")
        .values("item_code", "requesting_agency", "outcome")
        .first()
    )
    if row is None:
        return None
    return {
        "item": row["item_code"],
        "subject": row["requesting_agency"],
        "forbidden": "1" if row["outcome"] == "forbidden" else "",
    }


# --- burden figures for oversight （十五）（十六） ---------------------------------------------------


def burden_queries(start: dt.date, end: dt.date) -> list[months.FigureQuery]:
    """Certificates' burden figures for applications received in [start, end) (the register's date),
    with the requesting agency where recorded; coordination cases by the month they were opened."""
    lo, hi = months.start_of(start), months.start_of(end)
    received = Application.objects.filter(received_at__gte=lo, received_at__lt=hi)
    q = months.FigureQuery
    return [
        q("certificates_issued", received.filter(status=Status.ISSUED), region="region_id", when="received_at"),
        q(
            "certificates_refused",
            received.filter(status=Status.REFUSED),
            region="region_id",
            when="received_at",
            subject="requesting_agency",
        ),
        q(
            "certificates_forbidden_demands",
            received.filter(outcome=Outcome.FORBIDDEN).exclude(requesting_agency=""),
            region="region_id",
            when="received_at",
            subject="requesting_agency",
        ),
        q(
            "certificates_escalated",
            CoordinationCase.objects.filter(opened_at__gte=lo, opened_at__lt=hi),
            region="region_id",
            when="opened_at",
            subject="agency",
        ),
    ]


def burden_rows(start: dt.date, end: dt.date) -> list[tuple[str, str, str, str | None, int]]:
    return months.figure_counts(burden_queries(start, end))
