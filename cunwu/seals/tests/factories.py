"""Test data made through the services, as a village would make it."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.utils import timezone
from PIL import Image

from cunwu.regions.models import Organisation, OrgKind

from .. import services as svc
from ..choices import Category, MeetingKind, QuorumBasis, SealKind
from ..demo import _pdf
from ..models import Seal, SealRequest
from ..rules import Meeting


def pdf(text: str = "document") -> bytes:
    return _pdf(text)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def upload(text: str = "document", name: str = "文件.pdf") -> svc.Upload:
    return svc.Upload(pdf(text), name)


def make_seal(
    village: Any, custodian: Any, approvers: list[Any], *, kind: str = SealKind.COMMITTEE, name: str = ""
) -> Seal:
    org_kind = {SealKind.COLLECTIVE: OrgKind.COLLECTIVE, SealKind.PARTY: OrgKind.PARTY}.get(kind, OrgKind.COMMITTEE)
    org = Organisation.objects.get(region=village, kind=org_kind)
    return svc.seal_register(
        actor=approvers[0],
        organisation=org,
        kind=kind,
        name=name or f"{org.name}{'' if kind != SealKind.FINANCE else '财务专用章'}",
        scope_of_use="证明、合同",
        custodian=custodian,
        approvers=approvers,
    )


def meeting(**overrides: Any) -> Meeting:
    values: dict[str, Any] = {
        "kind": MeetingKind.REPRESENTATIVES,
        "basis": QuorumBasis.MEMBERS,
        "held_on": timezone.localdate() - timedelta(days=3),
        "members_total": 30,
        "attended": 25,
        "in_favour": 20,
    }
    values.update(overrides)
    return Meeting(**values)


def resolution(text: str = "resolution", **overrides: Any) -> svc.ResolutionIn:
    return svc.ResolutionIn(upload=upload(text, "决议.pdf"), meeting=meeting(**overrides))


def make_request(
    seal: Seal,
    requester: Any,
    *,
    category: str = Category.DAILY_CERTIFICATE,
    matter: str = "为村民出具居住证明",
    impressions: int = 1,
    with_document: bool = True,
    with_resolution: bool | None = None,
    text: str = "doc",
) -> SealRequest:
    major = category in (Category.CONTRACT, Category.ASSET_DISPOSAL, Category.MAJOR_OTHER)
    return svc.request_create(
        actor=requester,
        seal=seal,
        category=category,
        matter=matter,
        impressions=impressions,
        documents=[upload(text)] if with_document else [],
        resolution=resolution(text + "-res") if (with_resolution if with_resolution is not None else major) else None,
    )


def approved(seal: Seal, requester: Any, approver: Any, **kwargs: Any) -> SealRequest:
    req = make_request(seal, requester, **kwargs)
    return svc.request_approve(actor=approver, request=req)


def stamped(seal: Seal, requester: Any, approver: Any, custodian: Any, **kwargs: Any) -> Any:
    req = approved(seal, requester, approver, **kwargs)
    return svc.request_stamp(
        actor=custodian,
        request=req,
        impressions=req.impressions,
        document_sha256=req.documents.get(purpose="document").sha256,
    )


def backdate_approval(req: SealRequest, when: Any) -> None:
    """Tests of office hours stamp at chosen past times; the approval must come before."""
    SealRequest.objects.filter(pk=req.pk).update(decided_at=when - timedelta(hours=1))
    req.refresh_from_db()


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> Any:
    return timezone.make_aware(timezone.datetime(y, m, d, hh, mm), timezone.get_current_timezone())
