"""Pages: who may open what (anonymous, outsider, read-only, allowed), forms, errors at the field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cunwu.accounts.models import User
from cunwu.accounts.permissions import Role
from cunwu.accounts.services import user_create
from cunwu.seals import services as svc
from cunwu.seals.choices import HandoverStatus, RequestStatus, SealStatus
from cunwu.seals.models import Seal, SealHandover, SealRefusal, SealRequest, SealUse

from .factories import approved, make_request, pdf, stamped

pytestmark = pytest.mark.django_db


def pdf_file(name: str = "合同.pdf", text: str = "doc") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(text), content_type="application/pdf")


# --- authorization matrix ---------------------------------------------------------------------

LIST_PAGES = ["seals:seal_list", "seals:request_list", "seals:register", "seals:handover_list", "seals:register_export"]


@pytest.mark.parametrize(
    "name", [*LIST_PAGES, "seals:seal_new", "seals:request_new", "seals:handover_new", "seals:oversight"]
)
def test_anonymous_is_sent_to_sign_in(client: Any, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_lists_open_for_village_staff_and_read_only_oversight(
    client_for: Any, clerk: Any, auditor: Any, name: str
) -> None:
    assert client_for(clerk).get(reverse(name)).status_code == 200
    assert client_for(auditor).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", [*LIST_PAGES, "seals:oversight"])
def test_department_officers_have_no_seal_pages(client_for: Any, department: Any, name: str) -> None:
    assert client_for(department).get(reverse(name)).status_code == 403


@pytest.mark.parametrize(
    ("name", "allowed", "refused"),
    [
        ("seals:seal_new", "head", "clerk"),
        ("seals:request_new", "clerk", "auditor"),
        ("seals:handover_new", "custodian", "clerk"),
        ("seals:oversight", "township_officer", "clerk"),
    ],
)
def test_write_pages_need_their_permission(
    client_for: Any, request: Any, name: str, allowed: str, refused: str
) -> None:
    assert client_for(request.getfixturevalue(allowed)).get(reverse(name)).status_code == 200
    assert client_for(request.getfixturevalue(refused)).get(reverse(name)).status_code == 403


def test_object_pages_are_404_outside_scope(
    client_for: Any, seal: Any, clerk: Any, head: Any, custodian: Any, other_clerk: Any
) -> None:
    use = stamped(seal, clerk, head, custodian)
    doc = use.request.documents.get()
    outsider = client_for(other_clerk)
    for url in (
        reverse("seals:seal_detail", args=[seal.pk]),
        reverse("seals:request_detail", args=[use.request_id]),
        reverse("seals:document_download", args=[use.request_id, doc.pk]),
    ):
        assert outsider.get(url).status_code == 404
        assert client_for(clerk).get(url).status_code == 200
    assert outsider.post(reverse("seals:request_approve", args=[use.request_id])).status_code == 404
    assert (
        outsider.post(
            reverse("seals:seal_file", args=[seal.pk]), {"filed_on": "2027-01-01", "reference": "x"}
        ).status_code
        == 404
    )


def test_read_only_people_cannot_act(client_for: Any, seal: Any, clerk: Any, auditor: Any, supervisor: Any) -> None:
    req = make_request(seal, clerk)
    for who in (auditor, supervisor):
        c = client_for(who)
        assert c.get(reverse("seals:request_detail", args=[req.pk])).status_code == 200
        assert c.post(reverse("seals:request_approve", args=[req.pk]), {"note": ""}).status_code == 403
        assert c.get(reverse("seals:seal_edit", args=[seal.pk])).status_code == 403
        assert (
            c.post(
                reverse("seals:seal_status", args=[seal.pk]), {"status": "lost", "on": "2027-01-01", "reason": "x"}
            ).status_code
            == 403
        )
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.SUBMITTED


def test_list_pages_do_not_grow_queries_with_rows(
    client_for: Any, seal: Any, clerk: Any, head: Any, custodian: Any, django_assert_max_num_queries: Any
) -> None:
    stamped(seal, clerk, head, custodian, text="one")
    c = client_for(clerk)
    counts = {}
    for name in ("seals:seal_list", "seals:request_list", "seals:register", "seals:handover_list"):
        with CaptureQueriesContext(connection) as ctx:
            c.get(reverse(name))
        counts[name] = len(ctx.captured_queries)
    for i in range(3):
        stamped(seal, clerk, head, custodian, text=f"more-{i}", matter=f"出具居住证明{i}")
    for name, n in counts.items():
        with django_assert_max_num_queries(n):
            c.get(reverse(name))


# --- registry pages ---------------------------------------------------------------------------


def test_head_registers_a_seal_through_the_form(client_for: Any, head: Any, custodian: Any, village: Any) -> None:
    from cunwu.regions.models import Organisation, OrgKind

    org = Organisation.objects.get(region=village, kind=OrgKind.COMMITTEE)
    c = client_for(head)
    page = c.get(reverse("seals:seal_new"))
    assert "登记印章" in page.content.decode() and "刘保管" in page.content.decode()
    bad = c.post(
        reverse("seals:seal_new"),
        {
            "region": village.code,
            "organisation": org.pk,
            "kind": "committee",
            "name": "大箐村民委员会",
            "scope_of_use": "",
            "custodian": custodian.pk,
            "approvers": [head.pk],
        },
    )
    assert bad.status_code == 422 and "必填" in bad.content.decode() and "大箐村民委员会" in bad.content.decode()
    ok = c.post(
        reverse("seals:seal_new"),
        {
            "region": village.code,
            "organisation": org.pk,
            "kind": "committee",
            "name": "大箐村民委员会",
            "scope_of_use": "证明",
            "custodian": custodian.pk,
            "approvers": [head.pk],
        },
    )
    seal = Seal.objects.get(region=village, name="大箐村民委员会")
    assert ok.status_code == 302 and ok["Location"] == reverse("seals:seal_detail", args=[seal.pk])


def test_custodian_chosen_as_approver_is_refused_at_the_field(
    client_for: Any, head: Any, custodian: Any, village: Any
) -> None:
    from cunwu.accounts.services import membership_add
    from cunwu.regions.models import Organisation, OrgKind

    membership_add(actor=None, user=custodian, role=Role.VILLAGE_HEAD, region=village)
    org = Organisation.objects.get(region=village, kind=OrgKind.COMMITTEE)
    response = client_for(User.objects.get(pk=head.pk)).post(
        reverse("seals:seal_new"),
        {
            "region": village.code,
            "organisation": org.pk,
            "kind": "committee",
            "name": "章",
            "scope_of_use": "证明",
            "custodian": custodian.pk,
            "approvers": [head.pk, custodian.pk],
        },
    )
    assert response.status_code == 422 and "印章保管人不得同时担任该印章的用印审批人" in response.content.decode()
    assert not Seal.objects.filter(region=village).exists()


def test_township_files_and_head_seals_away_on_the_detail_page(
    client_for: Any, seal: Any, township_officer: Any, head: Any
) -> None:
    url = reverse("seals:seal_detail", args=[seal.pk])
    officer = client_for(township_officer)
    assert "记录备案" in officer.get(url).content.decode()
    bad = officer.post(reverse("seals:seal_file", args=[seal.pk]), {"filed_on": "2027-01-01", "reference": ""})
    assert bad.status_code == 422
    assert (
        officer.post(
            reverse("seals:seal_file", args=[seal.pk]), {"filed_on": "2025-01-01", "reference": "罗免镇印备1号"}
        ).status_code
        == 302
    )
    assert Seal.objects.get(pk=seal.pk).filing_reference == "罗免镇印备1号"
    c = client_for(head)
    bad = c.post(
        reverse("seals:seal_status", args=[seal.pk]), {"status": "sealed_away", "on": "2025-01-01", "reason": " "}
    )
    assert bad.status_code == 422
    assert (
        c.post(
            reverse("seals:seal_status", args=[seal.pk]),
            {"status": "sealed_away", "on": "2025-01-01", "reason": "换届封存"},
        ).status_code
        == 302
    )
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.SEALED_AWAY
    assert "换届封存" in c.get(url).content.decode()


def test_head_edits_scope_and_approvers(client_for: Any, seal: Any, head: Any) -> None:
    c = client_for(head)
    assert c.get(reverse("seals:seal_edit", args=[seal.pk])).status_code == 200
    assert (
        c.post(
            reverse("seals:seal_edit", args=[seal.pk]), {"scope_of_use": "仅证明", "approvers": [head.pk]}
        ).status_code
        == 302
    )
    assert Seal.objects.get(pk=seal.pk).scope_of_use == "仅证明"


# --- request pages ----------------------------------------------------------------------------


def test_clerk_requests_with_a_file_and_the_head_sees_it_waiting(
    client_for: Any, seal: Any, clerk: Any, head: Any
) -> None:
    c = client_for(clerk)
    response = c.post(
        reverse("seals:request_new"),
        {
            "seal": seal.pk,
            "category": "daily_certificate",
            "matter": "为村民出具居住证明",
            "impressions": 1,
            "document": pdf_file("证明.pdf"),
        },
    )
    req = SealRequest.objects.get()
    assert response.status_code == 302 and req.status == RequestStatus.SUBMITTED and req.documents.count() == 1
    assert "为村民出具居住证明" in client_for(head).get(reverse("seals:request_list")).content.decode()


def test_errors_stay_next_to_the_field_with_what_was_typed(client_for: Any, seal: Any, clerk: Any) -> None:
    c = client_for(clerk)
    response = c.post(
        reverse("seals:request_new"),
        {
            "seal": seal.pk,
            "category": "daily_certificate",
            "matter": "出具居住证明，顺便出具收入证明",
            "impressions": 1,
        },
    )
    body = response.content.decode()
    assert response.status_code == 422 and "搭车" in body and "出具居住证明，顺便出具收入证明" in body
    assert SealRefusal.objects.count() == 1 and not SealRequest.objects.exists()
    response = c.post(
        reverse("seals:request_new"),
        {
            "seal": seal.pk,
            "category": "daily_certificate",
            "matter": "出具居住证明",
            "impressions": 1,
            "document": SimpleUploadedFile("a.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 422 and "不是允许的文件类型" in response.content.decode()
    assert not SealRequest.objects.exists()


def test_a_contract_is_blocked_until_the_resolution_is_attached(
    client_for: Any, collective_seal: Any, clerk: Any, head: Any
) -> None:
    c = client_for(clerk)
    c.post(
        reverse("seals:request_new"),
        {
            "seal": collective_seal.pk,
            "category": "contract",
            "matter": "签订大棚租赁合同",
            "impressions": 3,
            "document": pdf_file(),
        },
    )
    req = SealRequest.objects.get()
    url = reverse("seals:request_detail", args=[req.pk])
    assert req.status == RequestStatus.DRAFT and "请先上传会议决议" in c.get(url).content.decode()
    blocked = c.post(reverse("seals:request_submit", args=[req.pk]))
    assert blocked.status_code == 422 and "集体研究同意" in blocked.content.decode()
    resolution = {
        "meeting_kind": "representatives",
        "basis": "members",
        "held_on": "2025-01-05",
        "members_total": 30,
        "attended": 12,
        "in_favour": 10,
    }
    bad = c.post(
        reverse("seals:request_resolution", args=[req.pk]), {**resolution, "resolution_file": pdf_file("决议.pdf", "r")}
    )
    assert bad.status_code == 422 and "三分之二" in bad.content.decode()
    resolution["attended"], resolution["in_favour"] = 25, 20
    assert (
        c.post(
            reverse("seals:request_resolution", args=[req.pk]),
            {**resolution, "resolution_file": pdf_file("决议.pdf", "r")},
        ).status_code
        == 302
    )
    assert c.post(reverse("seals:request_submit", args=[req.pk])).status_code == 302
    assert client_for(head).post(reverse("seals:request_approve", args=[req.pk]), {"note": "同意"}).status_code == 302
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.APPROVED


def test_self_approval_is_answered_on_the_page(client_for: Any, seal: Any, head: Any) -> None:
    req = make_request(seal, head)
    response = client_for(head).post(reverse("seals:request_approve", args=[req.pk]), {"note": ""})
    assert response.status_code == 403 and "不得审批本人提出的用印申请" in response.content.decode()


def test_custodian_stamps_once_and_the_register_shows_it(
    client_for: Any, seal: Any, clerk: Any, head: Any, custodian: Any
) -> None:
    req = approved(seal, clerk, head)
    c = client_for(custodian)
    detail = c.get(reverse("seals:request_detail", args=[req.pk])).content.decode()
    assert "确认用印" in detail
    sha = req.documents.get().sha256
    too_many = c.post(reverse("seals:request_stamp", args=[req.pk]), {"document_sha256": sha, "impressions": 2})
    assert too_many.status_code == 422 and "超过批准的" in too_many.content.decode()
    assert (
        c.post(reverse("seals:request_stamp", args=[req.pk]), {"document_sha256": sha, "impressions": 1}).status_code
        == 302
    )
    again = c.post(reverse("seals:request_stamp", args=[req.pk]), {"document_sha256": sha, "impressions": 1})
    assert again.status_code == 409 and "不能重复用印" in again.content.decode()
    assert SealUse.objects.count() == 1
    register = client_for(clerk).get(reverse("seals:register")).content.decode()
    assert "为村民出具居住证明" in register and f"#{SealUse.objects.get().chain_seq}" in register
    assert "与存证链一致" in c.get(reverse("seals:request_detail", args=[req.pk])).content.decode()


def test_stamping_an_unapproved_request_is_409_on_the_page(
    client_for: Any, seal: Any, clerk: Any, custodian: Any
) -> None:
    req = make_request(seal, clerk)
    response = client_for(custodian).post(
        reverse("seals:request_stamp", args=[req.pk]), {"document_sha256": req.documents.get().sha256, "impressions": 1}
    )
    assert response.status_code == 409 and "未经批准不能用印" in response.content.decode()


def test_reject_and_withdraw_pages(client_for: Any, seal: Any, clerk: Any, head: Any) -> None:
    first, second = make_request(seal, clerk, text="1"), make_request(seal, clerk, text="2")
    assert client_for(head).post(reverse("seals:request_reject", args=[first.pk]), {"reason": ""}).status_code == 422
    assert (
        client_for(head).post(reverse("seals:request_reject", args=[first.pk]), {"reason": "材料不全"}).status_code
        == 302
    )
    assert (
        client_for(clerk).post(reverse("seals:request_withdraw", args=[second.pk]), {"reason": "不办了"}).status_code
        == 302
    )
    assert set(SealRequest.objects.values_list("status", flat=True)) == {
        RequestStatus.REJECTED,
        RequestStatus.WITHDRAWN,
    }


def test_document_download_serves_the_stored_file(client_for: Any, seal: Any, clerk: Any) -> None:
    req = make_request(seal, clerk, text="download-me")
    doc = req.documents.get()
    response = client_for(clerk).get(reverse("seals:document_download", args=[req.pk, doc.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf("download-me")
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]


def test_register_export_is_an_xlsx_in_scope(
    client_for: Any, seal: Any, other_seal: Any, clerk: Any, head: Any, custodian: Any, township_officer: Any
) -> None:
    import io

    stamped(seal, clerk, head, custodian)
    response = client_for(township_officer).get(reverse("seals:register_export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "用印时间" and len(rows) == 2 and rows[1][2] == seal.name
    other = client_for(User.objects.get(username="village_clerk2")).get(reverse("seals:register_export"))
    assert len(list(load_workbook(io.BytesIO(other.content)).active.iter_rows())) == 1


# --- handover pages ---------------------------------------------------------------------------


def test_handover_through_the_pages(
    client_for: Any, seal: Any, custodian: Any, supervisor: Any, village: Any, township_officer: Any
) -> None:
    successor = user_create(
        actor=None,
        username="keeper_b",
        password="x",
        display_name="赵保管",
        role=Role.SEAL_CUSTODIAN,
        region=village,
        check_password=False,
    )
    c = client_for(custodian)
    self_handover = c.post(
        reverse("seals:handover_new"),
        {
            "region": village.code,
            "to_user": custodian.pk,
            "witness": supervisor.pk,
            "seals": [seal.pk],
            "condition": "完好",
        },
    )
    assert self_handover.status_code == 422 and "不能把印章移交给本人" in self_handover.content.decode()
    assert (
        c.post(
            reverse("seals:handover_new"),
            {
                "region": village.code,
                "to_user": successor.pk,
                "witness": supervisor.pk,
                "seals": [seal.pk],
                "condition": "完好",
            },
        ).status_code
        == 302
    )
    handover = SealHandover.objects.get()
    url = reverse("seals:handover_detail", args=[handover.pk])
    receiver = client_for(successor)
    assert "确认接收" in receiver.get(url).content.decode()
    assert client_for(supervisor).post(reverse("seals:handover_confirm", args=[handover.pk])).status_code == 403
    assert receiver.post(reverse("seals:handover_confirm", args=[handover.pk])).status_code == 302
    assert Seal.objects.get(pk=seal.pk).custodian == successor
    assert (
        client_for(township_officer).post(reverse("seals:handover_acknowledge", args=[handover.pk])).status_code == 302
    )
    assert SealHandover.objects.get().status == HandoverStatus.ACKNOWLEDGED


def test_refusing_a_handover_needs_a_reason(
    client_for: Any, seal: Any, custodian: Any, supervisor: Any, village: Any
) -> None:
    successor = user_create(
        actor=None,
        username="keeper_c",
        password="x",
        display_name="钱保管",
        role=Role.SEAL_CUSTODIAN,
        region=village,
        check_password=False,
    )
    handover = svc.handover_create(
        actor=custodian,
        region=village,
        from_user=custodian,
        to_user=successor,
        witness=supervisor,
        items=[(seal, "完好")],
    )
    receiver = client_for(successor)
    assert receiver.post(reverse("seals:handover_refuse", args=[handover.pk]), {"reason": ""}).status_code == 422
    assert (
        receiver.post(reverse("seals:handover_refuse", args=[handover.pk]), {"reason": "印面缺损"}).status_code == 302
    )
    assert (
        SealHandover.objects.get().status == HandoverStatus.REFUSED
        and Seal.objects.get(pk=seal.pk).custodian == custodian
    )


# --- oversight --------------------------------------------------------------------------------


def test_oversight_page_shows_villages_anomalies_and_major_matters(
    client_for: Any, seal: Any, clerk: Any, township_officer: Any
) -> None:
    with pytest.raises(svc.Invalid):
        svc.request_create(
            actor=clerk,
            seal=seal,
            category="daily_certificate",
            matter="出具居住证明",
            remarks="先缴清卫生费再盖章",
            impressions=1,
        )
    body = client_for(township_officer).get(reverse("seals:oversight")).content.decode()
    assert "大箐村委会" in body and "因前置条件被拒绝的申请" in body and "未备案印章" in body


def test_workbench_lists_what_each_person_must_do(
    client_for: Any, seal: Any, clerk: Any, head: Any, custodian: Any, township_officer: Any
) -> None:
    make_request(seal, clerk)
    assert "用印申请待审批" in client_for(head).get(reverse("accounts:workbench")).content.decode()
    assert "印章待备案" in client_for(township_officer).get(reverse("accounts:workbench")).content.decode()
    approved(seal, clerk, head, text="x")
    assert "已批准待用印" in client_for(custodian).get(reverse("accounts:workbench")).content.decode()


# --- buttons only when allowed (issue 16) ----------------------------------------------------------


def test_the_head_sees_no_approve_button_on_their_own_request(client_for: Any, seal: Any, head: Any) -> None:
    req = make_request(seal, head)
    page = client_for(head).get(reverse("seals:request_detail", args=[req.pk])).content.decode()
    assert "批准（主要负责人签字）" not in page and "不予批准" not in page
    assert "您不能审批这份申请：用印审批人不得审批本人提出的用印申请（十四）" in page


def test_the_approver_sees_the_buttons_and_the_custodian_is_refused_citing_the_clause(
    client_for: Any, seal: Any, clerk: Any, head: Any, custodian: Any
) -> None:
    req = make_request(seal, clerk)
    assert (
        "批准（主要负责人签字）"
        in client_for(head).get(reverse("seals:request_detail", args=[req.pk])).content.decode()
    )
    assert (
        "批准（主要负责人签字）"
        not in client_for(custodian).get(reverse("seals:request_detail", args=[req.pk])).content.decode()
    )
    forced = client_for(custodian).post(reverse("seals:request_approve", args=[req.pk]), {"note": ""})
    body = forced.content.decode()
    assert forced.status_code == 403 and "印章使用的审批人与印章保管人不得为同一人（十四）" in body
    assert "没有权限" not in body


def test_destroying_a_seal_asks_for_confirmation_first(client_for: Any, seal: Any, head: Any) -> None:
    url = reverse("seals:seal_status", args=[seal.pk])
    data = {"status": "destroyed", "on": "2026-01-05", "reason": "印面磨损，已刻制新章"}
    page = client_for(head).post(url, data)
    body = page.content.decode()
    assert page.status_code == 200 and "销毁后会怎样" in body and "不能再启用" in body and "确认销毁" in body
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.IN_USE  # nothing written yet
    assert client_for(head).post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Seal.objects.get(pk=seal.pk).status == SealStatus.DESTROYED
