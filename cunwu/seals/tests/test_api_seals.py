"""The seals API: what a smart seal or another system drives, with the same rules as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cunwu.accounts.permissions import Role
from cunwu.accounts.services import user_create
from cunwu.certificates.tests.helpers import make_certificate
from cunwu.regions.models import Organisation, OrgKind
from cunwu.seals.choices import RequestStatus
from cunwu.seals.models import Seal, SealRequest, SealUse

from .factories import make_request, pdf, stamped

pytestmark = pytest.mark.django_db


def upload(client: Any, path: str, data: dict[str, Any]) -> Any:
    """Multipart POST with the client's bearer token."""
    return client.client.post(f"/api/v1/{path}", data, headers=client.headers)


def pdf_file(text: str = "doc", name: str = "doc.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(text), content_type="application/pdf")


# --- authorization matrix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["seals", "seals/requests", "seals/uses", "seals/handovers", "seals/oversight", "seals/refusals"]
)
def test_anonymous_gets_401(api: Any, path: str) -> None:
    response = api(None).get(path)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_outsiders_get_404_and_empty_lists(
    api: Any, seal: Any, clerk: Any, head: Any, custodian: Any, other_clerk: Any
) -> None:
    use = stamped(seal, clerk, head, custodian)
    outsider = api(other_clerk)
    for path in (f"seals/{seal.pk}", f"seals/requests/{use.request_id}", f"seals/uses/{use.pk}"):
        assert outsider.get(path).status_code == 404
    assert outsider.post(f"seals/requests/{use.request_id}/approve", {}).status_code == 404
    assert outsider.get("seals/uses").json()["count"] == 0
    assert outsider.get("seals").json()["count"] == 0


def test_read_only_gets_403_on_writes(api: Any, seal: Any, clerk: Any, auditor: Any, department: Any) -> None:
    req = make_request(seal, clerk)
    ro = api(auditor)
    assert ro.get(f"seals/requests/{req.pk}").status_code == 200
    assert ro.post(f"seals/requests/{req.pk}/approve", {}).status_code == 403
    assert ro.post(f"seals/{seal.pk}/status", {"status": "lost", "on": "2025-01-01", "reason": "x"}).status_code == 403
    assert (
        ro.post("seals/requests", {"seal": seal.pk, "category": "other", "matter": "x", "impressions": 1}).status_code
        == 403
    )
    assert api(department).get(f"seals/{seal.pk}").status_code == 404


# --- registry ---------------------------------------------------------------------------------


def test_register_file_and_change_status(api: Any, head: Any, township_officer: Any, village: Any) -> None:
    org = Organisation.objects.get(region=village, kind=OrgKind.COMMITTEE)
    client = api(head)
    bad = client.post(
        "seals",
        {
            "organisation": org.pk,
            "kind": "committee",
            "name": "章",
            "scope_of_use": "证明",
            "custodian": "village_clerk",
            "approvers": ["village_head"],
        },
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "custodian"
    created = client.post(
        "seals",
        {
            "organisation": org.pk,
            "kind": "committee",
            "name": "大箐村民委员会",
            "scope_of_use": "证明",
            "custodian": "seal_custodian",
            "approvers": ["village_head"],
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["custodian"]["username"] == "seal_custodian" and body["filed_on"] is None and body["status"] == "in_use"
    filed = api(township_officer).post(
        f"seals/{body['id']}/filing", {"filed_on": "2025-03-01", "reference": "罗免镇印备〔2025〕1号"}
    )
    assert filed.status_code == 200 and filed.json()["filing_reference"] == "罗免镇印备〔2025〕1号"
    assert (
        api(township_officer)
        .post(f"seals/{body['id']}/filing", {"filed_on": "2025-03-01", "reference": "x"})
        .status_code
        == 409
    )
    status = client.post(
        f"seals/{body['id']}/status", {"status": "sealed_away", "on": "2025-03-02", "reason": "换届封存"}
    )
    assert status.status_code == 200 and status.json()["status"] == "sealed_away"
    patched = client.patch(f"seals/{body['id']}", {"scope_of_use": "仅证明", "approvers": ["village_head"]})
    assert patched.status_code == 200 and patched.json()["scope_of_use"] == "仅证明"


# --- the whole journey through the API ---------------------------------------------------------


def test_request_resolution_approve_device_claim_and_stamp(
    api: Any, collective_seal: Any, clerk: Any, head: Any, custodian: Any, village: Any
) -> None:
    c = api(clerk)
    created = c.post(
        "seals/requests",
        {"seal": collective_seal.pk, "category": "contract", "matter": "签订大棚租赁合同", "impressions": 3},
    )
    assert created.status_code == 201
    req = created.json()
    assert req["status"] == "draft" and {m["rule"] for m in req["missing"]} == {
        "document_missing",
        "resolution_missing",
    }
    rid = req["id"]
    blocked = c.post(f"seals/requests/{rid}/submit")
    assert blocked.status_code == 422 and blocked.json()["code"] == "document_missing"
    bad_file = upload(c, f"seals/requests/{rid}/documents", {"file": SimpleUploadedFile("x.pdf", b"GIF89a not really")})
    assert bad_file.status_code == 422 and bad_file.json()["code"] == "bad_upload"
    with_doc = upload(c, f"seals/requests/{rid}/documents", {"file": pdf_file("lease")})
    assert with_doc.status_code == 201
    sha = with_doc.json()["documents"][0]["sha256"]
    assert c.post(f"seals/requests/{rid}/submit").json()["code"] == "resolution_missing"
    meeting = {
        "meeting_kind": "villagers",
        "basis": "households",
        "held_on": "2025-02-01",
        "members_total": 300,
        "attended": 150,
        "in_favour": 120,
    }
    no_quorum = upload(c, f"seals/requests/{rid}/resolution", {**meeting, "file": pdf_file("res", "res.pdf")})
    assert no_quorum.status_code == 422 and no_quorum.json()["code"] == "quorum"
    meeting["attended"] = 210
    assert (
        upload(c, f"seals/requests/{rid}/resolution", {**meeting, "file": pdf_file("res", "res.pdf")}).status_code
        == 201
    )
    assert c.post(f"seals/requests/{rid}/submit").json()["status"] == "submitted"

    own = api(head).post(f"seals/requests/{rid}/approve", {"note": "同意"})
    assert own.status_code == 200 and own.json()["status"] == "approved" and own.json()["principal_signed"] is True

    device = api(custodian)
    polled = device.get(f"seals/{collective_seal.pk}/next-request")
    assert polled.status_code == 200 and polled.json()["id"] == rid
    assert device.post(f"seals/requests/{rid}/claim", {"device": "SMART-7"}).json()["claimed_by"] == "SMART-7"
    assert device.get(f"seals/{collective_seal.pk}/next-request").status_code == 204
    wrong = device.post(f"seals/requests/{rid}/stamp", {"impressions": 3, "document_sha256": sha, "device": "OTHER"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "claimed_elsewhere"
    too_many = device.post(
        f"seals/requests/{rid}/stamp", {"impressions": 4, "document_sha256": sha, "device": "SMART-7"}
    )
    assert too_many.status_code == 422
    done = device.post(f"seals/requests/{rid}/stamp", {"impressions": 3, "document_sha256": sha, "device": "SMART-7"})
    assert done.status_code == 201
    use = done.json()
    assert use["chain"]["chain"] == village.code and use["device"] == "SMART-7" and use["approved_impressions"] == 3
    again = device.post(f"seals/requests/{rid}/stamp", {"impressions": 3, "document_sha256": sha, "device": "SMART-7"})
    assert again.status_code == 409 and again.json()["code"] == "already_stamped"
    listed = c.get("seals/uses", {"region": village.code})
    assert listed.json()["count"] == 1 and listed.json()["items"][0]["id"] == use["id"]
    assert c.get(f"seals/requests/{rid}").json()["use"]["chain"]["seq"] == use["chain"]["seq"]


def test_errors_in_the_api(api: Any, seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    c = api(clerk)
    piggy = c.post(
        "seals/requests",
        {"seal": seal.pk, "category": "daily_certificate", "matter": "1.出具居住证明 2.出具收入证明", "impressions": 1},
    )
    assert (
        piggy.status_code == 422
        and piggy.json()["code"] == "piggyback"
        and piggy.json()["errors"][0]["field"] == "matter"
    )
    duty = c.post(
        "seals/requests",
        {
            "seal": seal.pk,
            "category": "daily_certificate",
            "matter": "出具居住证明",
            "remarks": "先缴清卫生费再盖章",
            "impressions": 1,
        },
    )
    assert duty.json()["code"] == "obligation_precondition"
    refusals = api(head).get("seals/refusals").json()
    assert [r["rules"] for r in refusals] == [["obligation_precondition"], ["piggyback"]]
    own = make_request(seal, head)
    self_approval = api(head).post(f"seals/requests/{own.pk}/approve", {})
    assert self_approval.status_code == 403 and self_approval.json()["code"] == "self_approval"
    req = make_request(seal, clerk, text="other")
    unapproved = api(custodian).post(
        f"seals/requests/{req.pk}/stamp", {"impressions": 1, "document_sha256": req.documents.get().sha256}
    )
    assert unapproved.status_code == 409 and unapproved.json()["code"] == "not_approved"
    naive = api(custodian).post(
        f"seals/requests/{req.pk}/stamp",
        {"impressions": 1, "document_sha256": "a" * 64, "stamped_at": "2025-01-01T10:00:00"},
    )
    assert naive.status_code == 422 and "时区" in naive.json()["detail"]
    assert (
        api(custodian).post(f"seals/requests/{req.pk}/stamp", {"impressions": 1, "document_sha256": "zz"}).status_code
        == 422
    )
    reject = api(head).post(f"seals/requests/{req.pk}/reject", {"reason": "材料不全"})
    assert reject.json()["status"] == "rejected"
    assert SealRequest.objects.get(pk=req.pk).status == RequestStatus.REJECTED


def test_withdraw_and_listing_filters(api: Any, seal: Any, clerk: Any) -> None:
    req = make_request(seal, clerk)
    assert api(clerk).post(f"seals/requests/{req.pk}/withdraw", {"reason": "重复申请"}).json()["status"] == "withdrawn"
    assert api(clerk).get("seals/requests", {"status": "withdrawn"}).json()["count"] == 1
    assert api(clerk).get("seals/requests", {"status": "submitted"}).json()["count"] == 0
    assert api(clerk).get("seals/requests", {"status": "bogus"}).status_code == 422


def test_handover_through_the_api(
    api: Any, seal: Any, custodian: Any, supervisor: Any, village: Any, township_officer: Any
) -> None:
    user_create(
        actor=None,
        username="keeper_api",
        password="x",
        display_name="周保管",
        role=Role.SEAL_CUSTODIAN,
        region=village,
        check_password=False,
    )
    giver = api(custodian)
    to_self = giver.post(
        "seals/handovers",
        {
            "region": village.code,
            "to_user": "seal_custodian",
            "witness": "supervisor",
            "seals": [{"seal": seal.pk, "condition": "完好"}],
        },
    )
    assert to_self.status_code == 422 and to_self.json()["code"] == "handover_self"
    created = giver.post(
        "seals/handovers",
        {
            "region": village.code,
            "to_user": "keeper_api",
            "witness": "supervisor",
            "seals": [{"seal": seal.pk, "condition": "印面完好"}],
        },
    )
    assert created.status_code == 201
    hid = created.json()["id"]
    assert created.json()["items"] == [
        {"seal": seal.pk, "seal_name": seal.name, "seal_status": "in_use", "condition": "印面完好"}
    ]
    from cunwu.accounts.models import User

    receiver = api(User.objects.get(username="keeper_api"))
    assert receiver.post(f"seals/handovers/{hid}/confirm").json()["status"] == "confirmed"
    assert Seal.objects.get(pk=seal.pk).custodian.username == "keeper_api"
    assert api(township_officer).post(f"seals/handovers/{hid}/acknowledge").json()["status"] == "acknowledged"
    assert api(supervisor).get("seals/handovers").json()[0]["id"] == hid


def test_oversight_api(api: Any, seal: Any, clerk: Any, head: Any, custodian: Any, township_officer: Any) -> None:
    stamped(seal, clerk, head, custodian)
    body = api(township_officer).get("seals/oversight").json()
    village = next(v for v in body["villages"] if v["code"] == seal.region_id)
    assert village["uses"] == 1 and body["by_category"][0]["key"] == "daily_certificate"
    assert api(clerk).get("seals/oversight").status_code == 403
    assert SealUse.objects.count() == 1


def test_openapi_documents_the_seal_paths(api: Any) -> None:
    paths = api(None).get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/seals/requests/{request_id}/stamp",
        "/api/v1/seals/{seal_id}/next-request",
        "/api/v1/seals/oversight",
    } <= set(paths)


def test_a_device_stamping_a_certificate_links_it_to_the_seal_use(
    api: Any, seal: Any, clerk: Any, head: Any, custodian: Any, village: Any
) -> None:
    certificate = make_certificate(clerk, head, village)
    c = api(clerk)
    created = c.post(
        "seals/requests",
        {
            "seal": seal.pk,
            "category": "daily_certificate",
            "matter": "出具居住证明",
            "impressions": 1,
            "certificate_serial": certificate.serial,
        },
    )
    assert created.status_code == 201 and created.json()["certificate_serial"] == certificate.serial
    rid = created.json()["id"]
    sha = upload(c, f"seals/requests/{rid}/documents", {"file": pdf_file("cert")}).json()["documents"][0]["sha256"]
    assert c.post(f"seals/requests/{rid}/submit").json()["status"] == "submitted"
    assert api(head).post(f"seals/requests/{rid}/approve", {}).json()["status"] == "approved"
    done = api(custodian).post(f"seals/requests/{rid}/stamp", {"impressions": 1, "document_sha256": sha})
    assert done.status_code == 201
    certificate.refresh_from_db()
    assert certificate.seal_use_ref == str(done.json()["id"])
    assert SealRequest.objects.get(pk=rid).status == RequestStatus.STAMPED
