"""Demo seals for both demo villages, kept by seal_custodian(2) and approved by village_head(2).

The first village also gets a few requests going through the real services: a stamped daily
certificate, a stamped contract backed by a representatives' meeting, one waiting for approval,
and one refused because it tied the seal to a villager's fee (so the township's page has content).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from cunwu.errors import Invalid
from cunwu.regions.models import Organisation, OrgKind, Region

from . import services as svc
from .choices import Category, MeetingKind, QuorumBasis, SealKind
from .models import Seal
from .rules import Meeting

VILLAGES = (("530124103200", ""), ("530124103201", "2"))
_SEALS = (
    (OrgKind.PARTY, SealKind.PARTY, "", "党组织对外联系、党员组织关系介绍信、党务材料"),
    (OrgKind.COMMITTEE, SealKind.COMMITTEE, "", "保留证明事项清单内的证明、村委会对外合同和协议、村务公开材料"),
    (OrgKind.SUPERVISION, SealKind.SUPERVISION, "", "村务监督委员会监督意见、审核意见"),
    (OrgKind.COLLECTIVE, SealKind.COLLECTIVE, "", "集体经济组织合同、集体资产发包、出租、处置文书"),
    (OrgKind.COMMITTEE, SealKind.FINANCE, "财务专用章", "村级财务收支凭证、票据（限财务事项）"),
)


def _pdf(text: str) -> bytes:
    """A small but well-formed PDF standing in for a scanned document."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n"
        + f"4 0 obj<</Length {len(body)}>>stream\n".encode()
        + body
        + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def seed(scale: str, stdout: Any) -> None:
    if scale != "demo":
        return
    users = get_user_model().objects
    made = 0
    for code, suffix in VILLAGES:
        village = Region.objects.filter(code=code).first()
        custodian = users.filter(username=f"seal_custodian{suffix}").first()
        head = users.filter(username=f"village_head{suffix}").first()
        if village is None or custodian is None or head is None or Seal.objects.filter(region=village).exists():
            continue
        orgs = {o.kind: o for o in Organisation.objects.filter(region=village)}
        for org_kind, seal_kind, name, scope in _SEALS:
            org = orgs.get(org_kind)
            if org is None:
                continue
            svc.seal_register(
                actor=head,
                organisation=org,
                kind=seal_kind,
                name=f"{org.name}{name}",
                scope_of_use=scope,
                custodian=custodian,
                approvers=[head],
            )
            made += 1
        _file_seals(village, suffix)
        if not suffix:
            _requests(village)
    stdout.write(f"印章：登记 {made} 枚")


def _file_seals(village: Region, suffix: str) -> None:
    officer = get_user_model().objects.filter(username="township_officer").first()
    if officer is None:
        return
    filed_on = timezone.localdate() - timedelta(days=30)
    for i, seal in enumerate(Seal.objects.filter(region=village).order_by("pk"), start=1):
        # One seal of the second village is left for the township to file, as a demo to-do.
        if suffix and seal.kind == SealKind.SUPERVISION:
            continue
        svc.seal_file(
            actor=officer,
            seal=seal,
            filed_on=filed_on,
            reference=f"罗免镇印备〔{filed_on.year}〕{village.code[-3:]}-{i}号",
        )


def _requests(village: Region) -> None:
    users = get_user_model().objects
    clerk, head, custodian = (users.get(username=n) for n in ("village_clerk", "village_head", "seal_custodian"))
    committee = Seal.objects.get(region=village, kind=SealKind.COMMITTEE)
    collective = Seal.objects.get(region=village, kind=SealKind.COLLECTIVE)

    daily = svc.request_create(
        actor=clerk,
        seal=committee,
        category=Category.DAILY_CERTIFICATE,
        matter="为村民出具居住证明（保留证明事项）",
        impressions=1,
        documents=[svc.Upload(_pdf("residence certificate"), "居住证明.pdf")],
    )
    svc.request_approve(actor=head, request=daily, note="情况属实")
    svc.request_stamp(actor=custodian, request=daily, impressions=1, document_sha256=daily.documents.get().sha256)

    contract = svc.request_create(
        actor=clerk,
        seal=collective,
        category=Category.CONTRACT,
        matter="与种植合作社签订集体大棚租赁合同（一式三份）",
        impressions=3,
        documents=[svc.Upload(_pdf("greenhouse lease"), "大棚租赁合同.pdf")],
        resolution=svc.ResolutionIn(
            upload=svc.Upload(_pdf("representatives meeting resolution"), "村民代表会议决议.pdf"),
            meeting=Meeting(
                kind=MeetingKind.REPRESENTATIVES,
                basis=QuorumBasis.MEMBERS,
                held_on=timezone.localdate() - timedelta(days=7),
                members_total=35,
                attended=30,
                in_favour=27,
            ),
        ),
    )
    svc.request_approve(actor=head, request=contract, note="经村民代表会议表决通过")
    document = contract.documents.get(purpose="document")
    svc.request_stamp(actor=custodian, request=contract, impressions=3, document_sha256=document.sha256)

    svc.request_create(
        actor=clerk,
        seal=committee,
        category=Category.DAILY_CERTIFICATE,
        matter="为村民出具亲属关系证明",
        impressions=1,
        documents=[svc.Upload(_pdf("kinship certificate"), "亲属关系证明.pdf")],
    )
    # Refused on purpose, and recorded for the township's oversight.
    with contextlib.suppress(Invalid):
        svc.request_create(
            actor=clerk,
            seal=committee,
            category=Category.DAILY_CERTIFICATE,
            matter="为村民出具居住证明",
            remarks="须先缴清卫生费再盖章",
            impressions=1,
        )
