"""Writes: each asserts the database afterwards, including what is NOT written on failure."""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest

from cunwu.accounts.models import Notification
from cunwu.audit.models import AuditEntry
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.ledger.models import ChainEntry

from ..models import (
    Application,
    CaseStatus,
    Certificate,
    CertificateCopy,
    CertificateStatus,
    Channel,
    CoordinationCase,
    Material,
    SerialCounter,
    Status,
)
from ..selectors import certificate_verify
from ..services import (
    Upload,
    application_add_materials,
    application_decide,
    application_receive,
    application_return,
    application_withdraw,
    certificate_issue,
    certificate_link_seal_use,
    certificate_print,
    certificate_revoke,
    coordination_case_close,
)
from .helpers import (
    RESIDENCE_MATERIALS,
    id_number,
    make_application,
    make_certificate,
    make_pending,
    pdf_bytes,
    png_bytes,
    upload,
    wrong_check_digit,
)

pytestmark = pytest.mark.django_db


def _no_personal_data(entry: AuditEntry, *values: str) -> None:
    text = f"{entry.before} {entry.after} {entry.note}"
    for v in values:
        assert v not in text


# --- intake ----------------------------------------------------------------------------------


def test_desk_intake_triages_numbers_and_audits_masked(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, materials=[upload(label="租赁合同")])
    assert app.receipt_number.startswith("SL") and app.receipt_number.endswith("-000001")
    assert (app.outcome, app.item_code, app.status, app.channel) == ("retained", "R05", Status.RECEIVED, Channel.DESK)
    assert "（十二）" in app.triage_clauses
    material = Material.objects.get(application=app)
    assert material.label == "租赁合同" and material.mime == "application/pdf" and material.file.read() == pdf_bytes()
    assert "张三丰" not in material.file.name
    entry = AuditEntry.objects.get(action="certificates.application.receive", object_id=str(app.pk))
    assert entry.after["applicant"] == "张*丰"
    _no_personal_data(entry, "张三丰", app.applicant_id_number, "13800000000")


def test_receipt_numbers_follow_each_other(clerk: Any, village: Any) -> None:
    a = make_application(clerk, village)
    b = make_application(clerk, village)
    assert int(b.receipt_number[-6:]) == int(a.receipt_number[-6:]) + 1


def test_wrong_check_digit_writes_nothing(clerk: Any, village: Any) -> None:
    with pytest.raises(Invalid) as exc:
        make_application(clerk, village, applicant_id_number=wrong_check_digit(id_number()), materials=[upload()])
    assert [e.field for e in exc.value.errors] == ["applicant_id_number"]
    assert "校验位" in exc.value.errors[0].message
    assert not Application.objects.exists() and not Material.objects.exists() and not SerialCounter.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.docx", b"PK\x03\x04 not a pdf", "不是允许的文件类型"),
        ("a.pdf", b"", "空文件"),
        ("big.pdf", b"%PDF-1.4\n" + b"0" * 2048 + b"\n%%EOF", "太大"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_written(
    clerk: Any, village: Any, settings: Any, name: str, data: bytes, message: str
) -> None:
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(Invalid) as exc:
        make_application(clerk, village, materials=[upload(), Upload(name, data)])
    assert exc.value.errors[0].field == "materials.1" and message in exc.value.errors[0].message
    assert not Application.objects.exists() and not Material.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(media.rglob("*.*")) if media.exists() else True


def test_images_lose_their_metadata(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, materials=[Upload("photo.png", png_bytes())])
    assert Material.objects.get(application=app).mime == "image/png"


def test_proxy_needs_the_authorisation_letter(clerk: Any, village: Any) -> None:
    agent = {"by_proxy": True, "agent_name": "李四", "agent_id_number": id_number(seq="456")}
    with pytest.raises(Invalid) as exc:
        make_application(clerk, village, **agent)
    assert [e.field for e in exc.value.errors] == ["authorisation"]
    app = make_application(clerk, village, authorisation=upload("委托书.pdf"), **agent)
    assert app.by_proxy and app.agent_name == "李四"
    assert Material.objects.get(application=app).kind == "authorisation"


def test_outsiders_and_read_only_people_cannot_take_applications(
    other_clerk: Any, township_officer: Any, village: Any
) -> None:
    with pytest.raises(NotFound):
        make_application(other_clerk, village)
    with pytest.raises(Forbidden):
        make_application(township_officer, village)
    assert not Application.objects.exists()


def test_online_application_needs_no_account_and_tells_the_clerk(village: Any) -> None:
    app = application_receive(
        actor=None,
        region=village,
        channel=Channel.ONLINE,
        applicant_name="岩温",
        applicant_id_number=id_number(),
        applicant_phone="13800000000",
        request_text="单位要我开亲属关系证明",
        purpose="办理手续",
    )
    assert app.outcome == "forbidden" and app.item_code == "F01" and app.received_by is None
    assert Notification.objects.filter(
        role="village_clerk", region_id=village.code, kind="certificate.intake", done_at__isnull=True
    ).exists()


def test_only_villages_issue_certificates(clerk: Any, township: Any) -> None:
    with pytest.raises((Invalid, NotFound)):
        make_application(clerk, township)


def test_add_materials_later(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village)
    added = application_add_materials(actor=clerk, application=app, uploads=[upload("合同.pdf", label="租赁合同")])
    assert [m.label for m in added] == ["租赁合同"]
    with pytest.raises(Invalid):
        application_add_materials(actor=clerk, application=app, uploads=[Upload("x.exe", b"MZ\x90\x00")])
    assert app.materials.count() == 1


# --- decision --------------------------------------------------------------------------------


def test_forbidden_request_is_refused_and_goes_to_the_township(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="银行要我开亲属关系证明", requesting_agency="某商业银行富民支行")
    app = application_decide(actor=clerk, application=app, action="refuse")
    assert app.status == Status.REFUSED and app.refusal_number.startswith("GZ")
    assert (app.decision_rule, app.decision_clause, app.refusal_ground) == (
        "forbidden_item",
        "（十二）",
        "forbidden_item",
    )
    assert "公安" in app.alternative["agency"]
    case = CoordinationCase.objects.get(application=app)
    assert (case.status, case.township_id, case.agency, case.item_code) == (
        CaseStatus.OPEN,
        village.parent_id,
        "某商业银行富民支行",
        "F01",
    )
    assert Notification.objects.filter(
        role="township_officer", region_id=village.parent_id, subject_id=str(case.pk)
    ).exists()


def test_forbidden_request_cannot_be_issued(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="亲属关系证明")
    with pytest.raises(Invalid) as exc:
        application_decide(actor=clerk, application=app, action="issue", verified_facts="x")
    assert exc.value.errors[0].field == "action"
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and not CoordinationCase.objects.exists()


def test_retained_request_needs_its_materials(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village)
    with pytest.raises(Invalid) as exc:
        application_decide(
            actor=clerk, application=app, action="issue", materials_checked=["身份证明"], verified_facts="属实"
        )
    assert exc.value.errors[0].field == "materials_checked" and "租赁合同" in exc.value.errors[0].message
    app.refresh_from_db()
    assert app.status == Status.RECEIVED and app.decided_at is None


def test_clerk_can_correct_the_item(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="帮我开个证明")
    app = application_decide(
        actor=clerk,
        application=app,
        action="issue",
        item_code="R05",
        materials_checked=RESIDENCE_MATERIALS,
        verified_facts="居住属实",
    )
    assert (app.outcome, app.item_code, app.status) == ("retained", "R05", Status.PENDING)
    with pytest.raises(Invalid):
        application_decide(actor=clerk, application=make_application(clerk, village), action="issue", item_code="R99")


def test_unlisted_request_issued_with_how_it_was_verified(clerk: Any, head: Any, village: Any) -> None:
    app = make_application(clerk, village, text="证明我家养了三头牛", requesting_agency="")
    assert app.outcome == "unlisted"
    with pytest.raises(Invalid):
        application_decide(actor=clerk, application=app, action="issue", verified_facts="养牛三头")
    app = application_decide(
        actor=clerk, application=app, action="issue", verification_method="入户查看", verified_facts="养牛三头"
    )
    cert = certificate_issue(actor=head, application=app)
    assert cert.item_code == "UNLISTED" and cert.title == "证明"
    assert "入户查看" in cert.content["paragraphs"][1]


def test_unlisted_refusal_with_a_clause_twelve_ground(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="证明我家房子有多少平方", requesting_agency="")
    app = application_decide(
        actor=clerk, application=app, action="refuse", refusal_ground="provable_otherwise", note="可凭不动产权证书证明"
    )
    assert (app.refusal_ground, app.decision_clause) == ("provable_otherwise", "（十二）")
    assert "不动产权证书" in app.decision_reason and not CoordinationCase.objects.exists()


def test_major_matter_needs_records_and_keeps_them(clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="证明这片核桃林是我家种的", requesting_agency="")
    with pytest.raises(Invalid) as exc:
        application_decide(
            actor=clerk,
            application=app,
            action="issue",
            verification_method="走访",
            verified_facts="属实",
            major_matter=True,
        )
    assert {e.field for e in exc.value.errors} == {"investigation_record", "meeting_resolution"}
    app = application_decide(
        actor=clerk,
        application=app,
        action="issue",
        verification_method="走访",
        verified_facts="属实",
        major_matter=True,
        investigation_record="走访四邻",
        meeting_resolution="村民代表会议同意",
        uploads=[("resolution", upload("会议纪要.pdf"))],
    )
    assert app.status == Status.PENDING and app.materials.filter(kind="resolution").count() == 1


def test_deciding_twice_is_a_conflict(clerk: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    with pytest.raises(Conflict):
        application_decide(actor=clerk, application=app, action="refuse", refusal_ground="not_true", note="x")


def test_return_and_withdraw(clerk: Any, head: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    with pytest.raises(Forbidden):
        application_return(actor=clerk, application=app, note="再核实")
    app = application_return(actor=head, application=app, note="请再核实居住时间")
    assert app.status == Status.RECEIVED and app.returned_note == "请再核实居住时间"
    app = application_withdraw(actor=clerk, application=app, reason="申请人不再需要")
    assert app.status == Status.WITHDRAWN
    with pytest.raises(Conflict):
        application_withdraw(actor=clerk, application=app, reason="again")


# --- issue （十四） ----------------------------------------------------------------------------


def test_clerk_cannot_sign_off(clerk: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    with pytest.raises(Forbidden) as exc:
        certificate_issue(actor=clerk, application=app)
    assert exc.value.code == "principal_signature" and "（十四）" in exc.value.detail
    assert not Certificate.objects.exists()


def test_outsider_principal_cannot_see_it(clerk: Any, other_head: Any, village: Any) -> None:
    with pytest.raises(NotFound):
        certificate_issue(actor=other_head, application=make_pending(clerk, village))


def test_issue_gives_serial_token_chain_entry_and_audit(clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    app = Application.objects.get(pk=cert.application_id)
    assert app.status == Status.ISSUED
    assert cert.serial.startswith(f"{village.code}-") and cert.serial.endswith("-000001") and cert.seq == 1
    assert cert.signer_name == "杨书记" and "主要负责人" in cert.signer_title and cert.clerk_name == "张经办"
    assert cert.valid_until is not None and cert.content["validity_line"]
    entry = ChainEntry.objects.get(chain=village.code, kind="certificate.issue", ref_id=str(cert.pk))
    assert (
        entry.payload["subject"] == "张*丰" and entry.payload["digest"] == cert.digest and cert.chain_seq == entry.seq
    )
    assert "张三丰" not in str(entry.payload) and app.applicant_id_number not in str(entry.payload)
    audit = AuditEntry.objects.get(action="certificates.certificate.issue", object_id=str(cert.pk))
    _no_personal_data(audit, "张三丰", app.applicant_id_number)
    assert certificate_verify(cert.token)["status"] == "valid"


def test_issuing_twice_is_a_conflict(clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    app = Application.objects.get(pk=cert.application_id)
    with pytest.raises(Conflict) as exc:
        certificate_issue(actor=head, application=app)
    assert exc.value.code == "already_issued"
    assert Certificate.objects.count() == 1 and ChainEntry.objects.filter(kind="certificate.issue").count() == 1


def test_stale_copy_of_the_application_still_cannot_issue_twice(clerk: Any, head: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    stale = Application.objects.get(pk=app.pk)
    certificate_issue(actor=head, application=app)
    with pytest.raises(Conflict):
        certificate_issue(actor=head, application=stale)
    assert SerialCounter.objects.get(region=village, kind="certificate").last == 1


def test_serials_follow_each_other_per_village(
    clerk: Any, head: Any, other_clerk: Any, other_head: Any, village: Any, other_village: Any
) -> None:
    a = make_certificate(clerk, head, village)
    b = make_certificate(clerk, head, village)
    c = make_certificate(other_clerk, other_head, other_village)
    assert (a.seq, b.seq, c.seq) == (1, 2, 1)
    assert c.serial.startswith(other_village.code)


def test_a_failed_issue_gives_its_number_back(clerk: Any, head: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    with (
        mock.patch("cunwu.ledger.services.chain_append", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        certificate_issue(actor=head, application=app)
    app.refresh_from_db()
    assert app.status == Status.PENDING and not Certificate.objects.exists()
    assert (
        not SerialCounter.objects.filter(kind="certificate").exists()
        or SerialCounter.objects.get(kind="certificate").last == 0
    )
    assert certificate_issue(actor=head, application=app).seq == 1


# --- revoke, print, seal link ----------------------------------------------------------------


def test_revoke_once(clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    with pytest.raises(Forbidden):
        certificate_revoke(actor=clerk, certificate=cert, reason="错误")
    with pytest.raises(Invalid):
        certificate_revoke(actor=head, certificate=cert, reason=" ")
    cert = certificate_revoke(actor=head, certificate=cert, reason="申请人提供的租赁合同系伪造")
    assert cert.status == CertificateStatus.REVOKED and cert.revoked_by == head
    assert ChainEntry.objects.filter(kind="certificate.revoke", ref_id=str(cert.pk)).count() == 1
    with pytest.raises(Conflict) as exc:
        certificate_revoke(actor=head, certificate=cert, reason="again")
    assert exc.value.code == "already_revoked"
    stale = Certificate.objects.get(pk=cert.pk)
    stale.status = CertificateStatus.VALID  # a page opened before the revocation
    with pytest.raises(Conflict):
        certificate_revoke(actor=head, certificate=stale, reason="again")
    assert ChainEntry.objects.filter(kind="certificate.revoke").count() == 1
    result = certificate_verify(cert.token)
    assert (result["status"], result["revocation_reason"]) == ("revoked", "申请人提供的租赁合同系伪造")


def test_every_print_is_a_recorded_copy(clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    pdf, first = certificate_print(actor=clerk, certificate=cert)
    assert pdf.startswith(b"%PDF") and first.number == 1
    _, second = certificate_print(actor=head, certificate=cert, reason="原件污损")
    assert (second.number, second.reason, second.printed_by_name) == (2, "原件污损", "杨书记")
    assert Certificate.objects.get(pk=cert.pk).copies == 2
    assert list(CertificateCopy.objects.filter(certificate=cert).values_list("number", flat=True)) == [1, 2]
    certificate_revoke(actor=head, certificate=cert, reason="作废")
    with pytest.raises(Conflict):
        certificate_print(actor=clerk, certificate=Certificate.objects.get(pk=cert.pk))
    assert CertificateCopy.objects.filter(certificate=cert).count() == 2


def test_seal_use_link(clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    certificate_link_seal_use(certificate=cert.serial, seal_use_ref="41")
    assert Certificate.objects.get(pk=cert.pk).seal_use_ref == "41"
    certificate_link_seal_use(certificate=cert, seal_use_ref="41")  # same again: harmless
    with pytest.raises(Conflict):
        certificate_link_seal_use(certificate=cert, seal_use_ref="42")
    with pytest.raises(Invalid):
        certificate_link_seal_use(certificate=f"{village.code}-1999-000001", seal_use_ref="43")


# --- township coordination ------------------------------------------------------------------


def test_township_closes_the_case_once(clerk: Any, township_officer: Any, village: Any) -> None:
    app = make_application(clerk, village, text="亲属关系证明", requesting_agency="某保险公司")
    application_decide(actor=clerk, application=app, action="refuse")
    case = CoordinationCase.objects.get(application=app)
    with pytest.raises(Forbidden):
        coordination_case_close(actor=clerk, case=case, action="agency_accepted", result="x")
    with pytest.raises(Invalid) as exc:
        coordination_case_close(actor=township_officer, case=case, action="", result="")
    assert {e.field for e in exc.value.errors} == {"action", "result"}
    case = coordination_case_close(
        actor=township_officer, case=case, action="agency_accepted", result="已电话联系该公司，改为由公安机关核查"
    )
    assert case.status == CaseStatus.CLOSED and case.closed_by == township_officer
    assert not Notification.objects.filter(
        subject_id=str(case.pk), subject_type="certificate_case", done_at__isnull=True
    ).exists()
    with pytest.raises(Conflict):
        coordination_case_close(actor=township_officer, case=case, action="other", result="again")


def test_clerk_choosing_another_item_keeps_the_phrasing(clerk: Any, village: Any) -> None:
    """Learning from use: the clerk read the request differently from triage; the wording (masked of
    the applicant's name) waits in the province's queue with what each chose."""
    from cunwu.catalogs.models import MissedPhrasing

    app = make_application(clerk, village, text="张三丰要开个证明，办事用")
    application_decide(
        actor=clerk,
        application=app,
        action="issue",
        item_code="R05",
        materials_checked=RESIDENCE_MATERIALS,
        verified_facts="居住属实",
    )
    row = MissedPhrasing.objects.get(source="intake")
    assert (row.chosen_code, row.proposed_code) == ("R05", "")  # triage found it unlisted
    assert "张三丰" not in row.text and "张*丰" in row.text


def test_clerk_keeping_the_proposed_item_keeps_nothing(clerk: Any, village: Any) -> None:
    from cunwu.catalogs.models import MissedPhrasing

    make_pending(clerk, village)
    assert not MissedPhrasing.objects.filter(source="intake").exists()
