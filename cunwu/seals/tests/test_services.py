"""Writes about seals, asserting the database after each one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunwu.accounts.models import Notification, User
from cunwu.accounts.permissions import Role
from cunwu.accounts.services import membership_add, user_create
from cunwu.audit.models import AuditEntry
from cunwu.certificates.models import Certificate
from cunwu.certificates.services import certificate_revoke
from cunwu.certificates.tests.helpers import make_certificate
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.ledger.models import ChainEntry
from cunwu.regions.models import Organisation, OrgKind
from cunwu.seals import services as svc
from cunwu.seals.choices import Category, HandoverStatus, RequestStatus, SealKind, SealStatus
from cunwu.seals.models import (
    AppendOnlyError,
    Seal,
    SealApprover,
    SealDocument,
    SealEvent,
    SealHandover,
    SealRefusal,
    SealRequest,
    SealResolution,
    SealUse,
)

from .factories import (
    approved,
    backdate_approval,
    local,
    make_request,
    make_seal,
    png,
    resolution,
    stamped,
    upload,
)

pytestmark = pytest.mark.django_db


def second_custodian(village: Any) -> User:
    return user_create(
        actor=None,
        username="seal_keeper_b",
        password="x",
        display_name="赵保管",
        role=Role.SEAL_CUSTODIAN,
        region=village,
        check_password=False,
    )


# --- registry ---------------------------------------------------------------------------------


def test_head_registers_a_seal_and_the_township_is_asked_to_file_it(village: Any, head: Any, custodian: Any) -> None:
    seal = make_seal(village, custodian, [head])
    assert seal.custodian == custodian and list(seal.approvers.all()) == [head] and seal.status == SealStatus.IN_USE
    assert SealEvent.objects.filter(seal=seal, kind="registered").count() == 1
    assert AuditEntry.objects.filter(action="seal.register", object_id=str(seal.pk)).exists()
    assert Notification.objects.filter(
        kind="seal.file", role=Role.TOWNSHIP_OFFICER, region_id=village.parent_id, done_at=None
    ).exists()


def test_registration_refuses_the_custodian_as_approver_and_people_without_the_role(
    village: Any, head: Any, custodian: Any, clerk: Any
) -> None:
    org = Organisation.objects.get(region=village, kind=OrgKind.COMMITTEE)
    with pytest.raises(Invalid) as exc:
        svc.seal_register(
            actor=head,
            organisation=org,
            kind=SealKind.COMMITTEE,
            name="章",
            scope_of_use="证明",
            custodian=clerk,
            approvers=[head, clerk],
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"custodian", "approvers"}
    assert not Seal.objects.filter(region=village).exists()


def test_only_the_village_head_registers_and_outsiders_see_nothing(
    village: Any, head: Any, custodian: Any, clerk: Any, other_head: Any
) -> None:
    org = Organisation.objects.get(region=village, kind=OrgKind.COMMITTEE)
    kwargs = {
        "organisation": org,
        "kind": SealKind.COMMITTEE,
        "name": "章",
        "scope_of_use": "证明",
        "custodian": custodian,
        "approvers": [head],
    }
    with pytest.raises(Forbidden):
        svc.seal_register(actor=clerk, **kwargs)
    with pytest.raises(NotFound):
        svc.seal_register(actor=other_head, **kwargs)
    assert not Seal.objects.filter(region=village).exists()


def test_duplicate_names_are_refused(seal: Any, head: Any, custodian: Any, village: Any) -> None:
    with pytest.raises(Invalid) as exc:
        make_seal(village, custodian, [head], name=seal.name)
    assert exc.value.errors[0].field == "name"


def test_township_files_a_seal_once(seal: Any, township_officer: Any, head: Any) -> None:
    today = timezone.localdate()
    svc.seal_file(actor=township_officer, seal=seal, filed_on=today, reference="罗免镇印备〔2027〕1号")
    seal.refresh_from_db()
    assert seal.filed_on == today and seal.filed_by == township_officer
    assert Notification.objects.filter(kind="seal.file", subject_id=str(seal.pk), done_at=None).count() == 0
    with pytest.raises(Conflict):
        svc.seal_file(actor=township_officer, seal=seal, filed_on=today, reference="again")
    with pytest.raises(Forbidden):
        svc.seal_file(actor=head, seal=seal, filed_on=today, reference="x")
    with pytest.raises(Invalid):
        svc.seal_file(
            actor=township_officer, seal=Seal.objects.get(pk=seal.pk), filed_on=today + timedelta(days=1), reference=""
        )


def test_sealing_away_and_using_again_records_dates_and_reasons(seal: Any, head: Any, clerk: Any) -> None:
    today = timezone.localdate()
    svc.seal_set_status(actor=head, seal=seal, status=SealStatus.SEALED_AWAY, on=today, reason="换届期间封存")
    seal.refresh_from_db()
    assert seal.status == SealStatus.SEALED_AWAY and seal.status_reason == "换届期间封存"
    with pytest.raises(Conflict) as exc:
        make_request(seal, clerk)
    assert exc.value.code == "seal_not_in_use"
    svc.seal_set_status(actor=head, seal=seal, status=SealStatus.IN_USE, on=today, reason="换届完成启用")
    assert list(SealEvent.objects.filter(seal=seal, kind="status").values_list("after", flat=True)) == ["封存", "在用"]
    with pytest.raises(Invalid) as exc2:
        svc.seal_set_status(actor=head, seal=Seal.objects.get(pk=seal.pk), status=SealStatus.LOST, on=today, reason="")
    assert exc2.value.errors[0].field == "reason"


def test_approvers_change_but_never_to_the_custodian(seal: Any, head: Any, custodian: Any) -> None:
    with pytest.raises(Invalid):
        svc.seal_update(actor=head, seal=seal, scope_of_use="证明", approvers=[head, custodian])
    svc.seal_update(actor=head, seal=seal, scope_of_use="仅限证明", approvers=[head])
    seal.refresh_from_db()
    assert seal.scope_of_use == "仅限证明" and SealApprover.objects.filter(seal=seal).count() == 1


# --- requests ---------------------------------------------------------------------------------


def test_a_complete_daily_certificate_request_goes_to_the_approver(seal: Any, clerk: Any, head: Any) -> None:
    req = make_request(seal, clerk)
    assert req.status == RequestStatus.SUBMITTED and req.custodian_id == seal.custodian_id
    doc = SealDocument.objects.get(request=req)
    assert len(doc.sha256) == 64 and doc.kind == "pdf"
    assert Notification.objects.filter(kind="seal.approve", user=head, subject_id=str(req.pk), done_at=None).exists()


def test_a_contract_without_resolution_stays_a_draft_until_one_is_attached(
    collective_seal: Any, clerk: Any, head: Any
) -> None:
    req = make_request(
        collective_seal, clerk, category=Category.CONTRACT, matter="签订大棚租赁合同", with_resolution=False
    )
    assert req.status == RequestStatus.DRAFT
    with pytest.raises(Invalid) as exc:
        svc.request_submit(actor=clerk, request=req)
    assert exc.value.code == "resolution_missing" and "村民会议或村民代表会议" in exc.value.detail
    with pytest.raises(Invalid) as early:
        svc.request_approve(actor=head, request=req)  # a major matter without a resolution
    assert early.value.code == "resolution_missing"
    with pytest.raises(Invalid) as bad:
        svc.request_add_resolution(actor=clerk, request=req, resolution=resolution(attended=10, in_favour=8))
    assert bad.value.code == "quorum"
    assert (
        not SealResolution.objects.filter(request=req).exists()
        and SealDocument.objects.filter(request=req).count() == 1
    )
    svc.request_add_resolution(actor=clerk, request=req, resolution=resolution())
    svc.request_submit(actor=clerk, request=req)
    approved_req = svc.request_approve(actor=head, request=req)
    assert approved_req.status == RequestStatus.APPROVED and approved_req.principal_signed


def test_obligation_conditions_are_refused_and_recorded_for_the_township(seal: Any, clerk: Any) -> None:
    before = SealRequest.objects.count()
    with pytest.raises(Invalid) as exc:
        svc.request_create(
            actor=clerk,
            seal=seal,
            category=Category.DAILY_CERTIFICATE,
            matter="出具居住证明",
            remarks="先缴清卫生费再盖章",
            impressions=1,
            documents=[upload()],
        )
    assert exc.value.code == "obligation_precondition" and "履行义务" in exc.value.detail
    assert SealRequest.objects.count() == before and not SealDocument.objects.exists()
    refusal = SealRefusal.objects.get()
    assert refusal.rules == ["obligation_precondition"] and refusal.requester == clerk


def test_piggy_backed_matters_are_refused(seal: Any, clerk: Any) -> None:
    with pytest.raises(Invalid) as exc:
        make_request(seal, clerk, matter="出具居住证明，顺便出具收入证明")
    assert exc.value.code == "piggyback" and exc.value.errors[0].field == "matter"
    assert SealRefusal.objects.get().rules == ["piggyback"]
    assert not SealRequest.objects.exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00 not a pdf", "a.exe", "不是允许的文件类型"),
        (b"", "empty.pdf", "空文件"),
        (b"%PDF-1.4 " + b"0" * 200, "cut.pdf", "不是允许的文件类型"),
    ],
)
def test_bad_uploads_are_refused_with_nothing_written(
    seal: Any, clerk: Any, data: bytes, name: str, message: str
) -> None:
    with pytest.raises(Invalid) as exc:
        svc.request_create(
            actor=clerk,
            seal=seal,
            category=Category.DAILY_CERTIFICATE,
            matter="出具居住证明",
            impressions=1,
            documents=[svc.Upload(data, name)],
        )
    assert message in exc.value.detail and exc.value.errors[0].field == "documents.0"
    assert not SealRequest.objects.exists() and not SealDocument.objects.exists()


def test_too_large_uploads_are_refused(seal: Any, clerk: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(Invalid) as exc:
        make_request(seal, clerk)
    assert "太大" in exc.value.detail
    assert not SealRequest.objects.exists()


def test_images_are_kept_without_metadata_and_hashed(seal: Any, clerk: Any) -> None:
    req = svc.request_create(
        actor=clerk,
        seal=seal,
        category=Category.DAILY_CERTIFICATE,
        matter="出具居住证明",
        impressions=1,
        documents=[svc.Upload(png(), "scan.png")],
    )
    doc = SealDocument.objects.get(request=req)
    assert doc.kind == "png" and doc.mime == "image/png" and len(doc.original_sha256) == 64


def test_only_the_requester_adds_files_and_only_to_drafts(collective_seal: Any, clerk: Any, head: Any) -> None:
    req = make_request(collective_seal, clerk, category=Category.CONTRACT, matter="签订合同", with_resolution=False)
    with pytest.raises(Forbidden):
        svc.request_add_document(actor=head, request=req, upload=upload("other"))
    with pytest.raises(Invalid):
        svc.request_add_document(actor=clerk, request=req, upload=upload("doc"))  # the same file again
    svc.request_add_document(actor=clerk, request=req, upload=upload("second"))
    assert SealDocument.objects.filter(request=req).count() == 2


# --- approval ---------------------------------------------------------------------------------


def test_the_head_cannot_approve_their_own_request(seal: Any, head: Any) -> None:
    req = make_request(seal, head)
    with pytest.raises(Forbidden) as exc:
        svc.request_approve(actor=head, request=req)
    assert exc.value.code == "self_approval" and "本人" in exc.value.detail
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.SUBMITTED


def test_a_custodian_who_is_also_a_head_cannot_approve(seal: Any, clerk: Any, custodian: Any, village: Any) -> None:
    membership_add(actor=None, user=custodian, role=Role.VILLAGE_HEAD, region=village)
    custodian = User.objects.get(pk=custodian.pk)  # a fresh scope with both roles
    req = make_request(seal, clerk)
    with pytest.raises(Forbidden) as exc:
        svc.request_approve(actor=custodian, request=req)
    assert exc.value.code == "custodian_approval"
    assert exc.value.detail == "印章使用的审批人与印章保管人不得为同一人（十四）"
    assert SealRequest.objects.get(pk=req.pk).approver is None


def test_the_database_refuses_self_approval_and_custodian_approval(seal: Any, clerk: Any, custodian: Any) -> None:
    req = make_request(seal, clerk)
    for who in (clerk, custodian):
        with pytest.raises(IntegrityError), transaction.atomic():
            SealRequest.objects.filter(pk=req.pk).update(approver=who)
    assert SealRequest.objects.get(pk=req.pk).approver is None


def test_a_clerk_cannot_approve_and_an_outsider_cannot_see(
    seal: Any, clerk: Any, other_head: Any, supervisor: Any
) -> None:
    req = make_request(seal, clerk)
    with pytest.raises(Forbidden):
        svc.request_approve(actor=supervisor, request=req)
    with pytest.raises(NotFound):
        svc.request_approve(actor=other_head, request=req)


def test_reject_needs_a_reason_and_tells_the_requester(seal: Any, clerk: Any, head: Any) -> None:
    req = make_request(seal, clerk)
    with pytest.raises(Invalid):
        svc.request_reject(actor=head, request=req, reason=" ")
    svc.request_reject(actor=head, request=req, reason="用途不明")
    req.refresh_from_db()
    assert req.status == RequestStatus.REJECTED and req.decision_note == "用途不明"
    assert Notification.objects.filter(kind="seal.rejected", user=clerk).exists()
    with pytest.raises(Conflict):
        svc.request_approve(actor=head, request=req)


def test_withdraw_by_the_requester_only(seal: Any, clerk: Any, head: Any) -> None:
    req = make_request(seal, clerk)
    with pytest.raises(Forbidden):
        svc.request_withdraw(actor=head, request=req)
    svc.request_withdraw(actor=clerk, request=req, reason="不再需要")
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.WITHDRAWN
    with pytest.raises(Conflict):
        svc.request_withdraw(actor=clerk, request=req)


# --- stamping ---------------------------------------------------------------------------------


def test_the_custodian_stamps_and_the_use_joins_the_village_chain(
    seal: Any, clerk: Any, head: Any, custodian: Any, village: Any
) -> None:
    use = stamped(seal, clerk, head, custodian, impressions=2)
    assert use.impressions == 2 and use.custodian == custodian and use.approver == head and use.requester == clerk
    entry = ChainEntry.objects.get(chain=village.code, seq=use.chain_seq)
    assert (
        entry.kind == "seal.use"
        and entry.ref_type == "seal_use"
        and entry.ref_id == str(use.pk)
        and entry.hash == use.entry_hash
    )
    assert entry.payload["impressions"] == 2 and entry.payload["principal_signed"] is True
    assert entry.payload["requester"]["name"] == "张*办"  # masked, never the full name
    assert "居住" not in str(entry.payload)  # the matter only as a digest
    req = SealRequest.objects.get(pk=use.request_id)
    assert req.status == RequestStatus.STAMPED and req.stamped_at == use.stamped_at


def test_stamping_twice_is_a_conflict(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    use = stamped(seal, clerk, head, custodian)
    req = SealRequest.objects.get(pk=use.request_id)
    with pytest.raises(Conflict) as exc:
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=use.document_sha256)
    assert exc.value.status == 409 and exc.value.code == "already_stamped"
    assert SealUse.objects.count() == 1 and ChainEntry.objects.filter(kind="seal.use").count() == 1


def test_stamping_an_unapproved_request_is_a_conflict(seal: Any, clerk: Any, custodian: Any) -> None:
    req = make_request(seal, clerk)
    with pytest.raises(Conflict) as exc:
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    assert exc.value.status == 409 and exc.value.code == "not_approved"
    assert not SealUse.objects.exists() and not ChainEntry.objects.filter(kind="seal.use").exists()


def test_only_the_seals_custodian_stamps(seal: Any, clerk: Any, head: Any, village: Any) -> None:
    req = approved(seal, clerk, head)
    other = second_custodian(village)
    for who, error in ((other, Forbidden), (clerk, Forbidden), (head, Forbidden)):
        with pytest.raises(error):
            svc.request_stamp(actor=who, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    assert not SealUse.objects.exists()


def test_stamping_checks_impressions_and_the_document(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    req = approved(seal, clerk, head, impressions=2)
    with pytest.raises(Invalid) as exc:
        svc.request_stamp(actor=custodian, request=req, impressions=3, document_sha256=req.documents.get().sha256)
    assert exc.value.code == "impressions_exceeded"
    with pytest.raises(Invalid) as exc2:
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256="0" * 64)
    assert exc2.value.code == "document_mismatch"
    assert (
        SealRequest.objects.get(pk=req.pk).status == RequestStatus.APPROVED
        and not ChainEntry.objects.filter(kind="seal.use").exists()
    )


def test_a_sealed_away_seal_cannot_stamp_an_approved_request(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    req = approved(seal, clerk, head)
    svc.seal_set_status(
        actor=head,
        seal=Seal.objects.get(pk=seal.pk),
        status=SealStatus.SEALED_AWAY,
        on=timezone.localdate(),
        reason="封存",
    )
    with pytest.raises(Conflict) as exc:
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    assert exc.value.code == "seal_not_in_use"


def test_a_device_claims_then_stamps_and_no_other_device_can(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    req = approved(seal, clerk, head)
    svc.request_claim(actor=custodian, request=req, device="SEAL-001")
    svc.request_claim(actor=custodian, request=req, device="SEAL-001")  # a retry is harmless
    with pytest.raises(Conflict) as exc:
        svc.request_claim(actor=custodian, request=req, device="SEAL-002")
    assert exc.value.code == "claimed_elsewhere"
    with pytest.raises(Conflict):
        svc.request_stamp(
            actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256, device="SEAL-002"
        )
    when = timezone.now()
    use = svc.request_stamp(
        actor=custodian,
        request=req,
        impressions=1,
        document_sha256=req.documents.get().sha256,
        device="SEAL-001",
        stamped_at=when,
    )
    assert use.device == "SEAL-001" and use.stamped_at == when


def test_stamping_a_certificate_records_the_seal_use_on_the_certificate(
    seal: Any, clerk: Any, head: Any, custodian: Any, village: Any
) -> None:
    certificate = make_certificate(clerk, head, village)
    req = svc.request_create(
        actor=clerk,
        seal=seal,
        category=Category.DAILY_CERTIFICATE,
        matter="出具居住证明",
        impressions=1,
        certificate_serial=certificate.serial,
        documents=[upload()],
    )
    svc.request_approve(actor=head, request=req)
    use = svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    certificate.refresh_from_db()
    assert certificate.seal_use_ref == str(use.pk)
    assert AuditEntry.objects.filter(
        action="certificates.certificate.link_seal", object_id=str(certificate.pk), actor=custodian
    ).exists()


def test_a_revoked_certificate_cannot_be_stamped_and_nothing_is_written(
    seal: Any, clerk: Any, head: Any, custodian: Any, village: Any
) -> None:
    certificate = make_certificate(clerk, head, village)
    req = svc.request_create(
        actor=clerk,
        seal=seal,
        category=Category.DAILY_CERTIFICATE,
        matter="出具居住证明",
        impressions=1,
        certificate_serial=certificate.serial,
        documents=[upload()],
    )
    svc.request_approve(actor=head, request=req)
    certificate_revoke(actor=head, certificate=certificate, reason="申请人提供的材料不实")
    with pytest.raises(Conflict) as exc:
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    assert exc.value.code == "certificate_revoked"
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.APPROVED
    assert not SealUse.objects.exists() and not ChainEntry.objects.filter(kind="seal.use").exists()
    assert Certificate.objects.get(pk=certificate.pk).seal_use_ref == ""


def test_an_unknown_certificate_serial_refuses_the_stamping_and_nothing_is_written(
    seal: Any, clerk: Any, head: Any, custodian: Any
) -> None:
    with pytest.raises(Invalid) as wrong_village:
        svc.request_create(
            actor=clerk,
            seal=seal,
            category=Category.DAILY_CERTIFICATE,
            matter="出具居住证明",
            impressions=1,
            certificate_serial="530124103201-2027-000001",
            documents=[upload()],
        )
    assert wrong_village.value.errors[0].field == "certificate_serial"
    req = svc.request_create(
        actor=clerk,
        seal=seal,
        category=Category.DAILY_CERTIFICATE,
        matter="出具居住证明",
        impressions=1,
        certificate_serial="530124103200-2027-999999",
        documents=[upload()],
    )
    svc.request_approve(actor=head, request=req)
    with pytest.raises(Invalid) as exc:
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    assert "没有编号为 530124103200-2027-999999 的证明" in exc.value.detail
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.APPROVED
    assert not SealUse.objects.exists() and not ChainEntry.objects.filter(kind="seal.use").exists()


def test_registers_refuse_changes_in_the_application(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    use = stamped(seal, clerk, head, custodian)
    use.impressions = 5
    with pytest.raises(AppendOnlyError):
        use.save()
    with pytest.raises(AppendOnlyError):
        use.delete()


# --- handover ---------------------------------------------------------------------------------


def test_handover_to_oneself_is_refused(seal: Any, custodian: Any, supervisor: Any, village: Any) -> None:
    with pytest.raises(Invalid) as exc:
        svc.handover_create(
            actor=custodian,
            region=village,
            from_user=custodian,
            to_user=custodian,
            witness=supervisor,
            items=[(seal, "完好")],
        )
    assert exc.value.code == "handover_self" and "本人" in exc.value.detail
    assert not SealHandover.objects.exists()


def test_custodian_changes_only_when_the_receiver_confirms(
    seal: Any, custodian: Any, supervisor: Any, village: Any, township_officer: Any, clerk: Any, head: Any
) -> None:
    successor = second_custodian(village)
    handover = svc.handover_create(
        actor=custodian,
        region=village,
        from_user=custodian,
        to_user=successor,
        witness=supervisor,
        items=[(seal, "印面完好")],
    )
    assert Seal.objects.get(pk=seal.pk).custodian == custodian  # still responsible until confirmed
    req = approved(seal, clerk, head)
    with pytest.raises(Forbidden):
        svc.request_stamp(actor=successor, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    with pytest.raises(Forbidden):
        svc.handover_confirm(actor=supervisor, handover=handover)
    with pytest.raises(Conflict):
        svc.handover_create(
            actor=custodian,
            region=village,
            from_user=custodian,
            to_user=successor,
            witness=supervisor,
            items=[(Seal.objects.get(pk=seal.pk), "完好")],
        )
    svc.handover_confirm(actor=successor, handover=handover)
    assert Seal.objects.get(pk=seal.pk).custodian == successor
    assert SealRequest.objects.get(pk=req.pk).custodian == successor
    assert SealEvent.objects.filter(seal=seal, kind="custodian").count() == 1
    assert ChainEntry.objects.filter(kind="seal.handover", ref_id=str(handover.pk)).exists()
    with pytest.raises(Forbidden):
        svc.request_stamp(actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    svc.request_stamp(actor=successor, request=req, impressions=1, document_sha256=req.documents.get().sha256)
    svc.handover_acknowledge(actor=township_officer, handover=handover)
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.ACKNOWLEDGED and handover.acknowledged_by == township_officer


def test_a_refused_handover_leaves_the_old_custodian_responsible(
    seal: Any, custodian: Any, supervisor: Any, village: Any, head: Any
) -> None:
    successor = second_custodian(village)
    handover = svc.handover_create(
        actor=head,
        region=village,
        from_user=custodian,
        to_user=successor,
        witness=supervisor,
        items=[(seal, "印面有缺损")],
    )
    with pytest.raises(Invalid):
        svc.handover_refuse(actor=successor, handover=handover, reason="")
    svc.handover_refuse(actor=successor, handover=handover, reason="印面缺损，需先报乡镇")
    handover.refresh_from_db()
    assert handover.status == HandoverStatus.REFUSED and Seal.objects.get(pk=seal.pk).custodian == custodian
    with pytest.raises(Conflict):
        svc.handover_confirm(actor=successor, handover=handover)


def test_handover_needs_the_givers_seals_a_receiver_who_keeps_seals_and_a_third_witness(
    seal: Any, custodian: Any, clerk: Any, supervisor: Any, village: Any, head: Any
) -> None:
    with pytest.raises(Invalid) as exc:
        svc.handover_create(
            actor=custodian, region=village, from_user=custodian, to_user=clerk, witness=clerk, items=[(seal, "")]
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"to_user", "witness", "seals.0.condition"}
    with pytest.raises(Forbidden):
        svc.handover_create(
            actor=clerk, region=village, from_user=custodian, to_user=head, witness=supervisor, items=[(seal, "完好")]
        )
    assert not SealHandover.objects.exists()


def test_cancel_and_acknowledge_rules(
    seal: Any, custodian: Any, supervisor: Any, village: Any, township_officer: Any
) -> None:
    successor = second_custodian(village)
    handover = svc.handover_create(
        actor=custodian,
        region=village,
        from_user=custodian,
        to_user=successor,
        witness=supervisor,
        items=[(seal, "完好")],
    )
    with pytest.raises(Conflict):
        svc.handover_acknowledge(actor=township_officer, handover=handover)  # not confirmed yet
    with pytest.raises(Forbidden):
        svc.handover_cancel(actor=successor, handover=handover)
    svc.handover_cancel(actor=custodian, handover=handover)
    assert SealHandover.objects.get(pk=handover.pk).status == HandoverStatus.CANCELLED


# --- audit ------------------------------------------------------------------------------------


def test_every_write_is_audited(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    stamped(seal, clerk, head, custodian)
    actions = set(AuditEntry.objects.filter(action__startswith="seal.").values_list("action", flat=True))
    assert {
        "seal.register",
        "seal.request_create",
        "seal.request_submit",
        "seal.request_approve",
        "seal.stamp",
    } <= actions


def test_stamped_at_in_the_past_is_accepted_after_approval(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    req = approved(seal, clerk, head)
    when = local(2025, 10, 1, 22)
    backdate_approval(req, when)
    use = svc.request_stamp(
        actor=custodian, request=req, impressions=1, document_sha256=req.documents.get().sha256, stamped_at=when
    )
    assert use.stamped_at == when
