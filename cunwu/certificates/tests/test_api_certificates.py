"""The API: the verify contract, and everything the desk does, with the authorisation matrix."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from ..models import Application, Certificate
from .helpers import id_number, make_application, make_certificate, make_pending, pdf_bytes, wrong_check_digit

pytestmark = pytest.mark.django_db

VERIFY = "certificates/verify"


def payload(**kw: Any) -> dict[str, Any]:
    data = {
        "region": "530124103200",
        "applicant_name": "张三丰",
        "applicant_id_number": id_number(),
        "applicant_phone": "13800000000",
        "request_text": "派出所让我开居住证明",
        "purpose": "办理居住证",
        "requesting_agency": "富民县公安局罗免派出所",
    }
    data.update(kw)
    return data


# --- verify (public contract) ---------------------------------------------------------------------


def test_verify_is_public_and_always_200(api: Any, clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    anon = api(None)
    body = anon.get(VERIFY, {"token": cert.token}).json()
    assert body["valid"] is True and body["status"] == "valid" and body["reason"] is None
    assert body["issued_at"].endswith("+08:00") and body["subject"] == "张*丰"
    for token in ("", "x", "a.b.c", cert.token + "x", "%00"):
        response = anon.get(VERIFY, {"token": token})
        assert response.status_code == 200 and response.json()["status"] == "invalid"
        assert response.json()["serial"] is None


def test_verify_without_token_is_422(api: Any) -> None:
    response = api(None).get(VERIFY)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "token"


def test_verify_is_rate_limited(api: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": 1}
    assert api(None).get(VERIFY, {"token": "x"}).status_code == 200
    response = api(None).get(VERIFY, {"token": "x"})
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


# --- applications ----------------------------------------------------------------------------


def test_create_matrix(api: Any, clerk: Any, other_clerk: Any, supervisor: Any) -> None:
    assert api(None).post("certificates/applications", payload()).status_code == 401
    assert api(other_clerk).post("certificates/applications", payload()).status_code == 404
    assert api(supervisor).post("certificates/applications", payload()).status_code == 403
    response = api(clerk).post("certificates/applications", payload())
    assert response.status_code == 201
    body = response.json()
    assert (
        body["applicant"] == "张*丰"
        and body["outcome"] == "retained"
        and body["item"] == {"code": "R05", "name": "居（租）住证明"}
    )
    assert (
        body["channel"] == "api" and body["receipt_number"].startswith("SL") and body["received_at"].endswith("+08:00")
    )
    assert Application.objects.count() == 1


def test_create_with_base64_materials_and_bad_input(api: Any, clerk: Any) -> None:
    pdf = base64.b64encode(pdf_bytes()).decode()
    ok = api(clerk).post(
        "certificates/applications",
        payload(materials=[{"filename": "合同.pdf", "content_base64": pdf, "label": "租赁合同"}]),
    )
    assert ok.status_code == 201 and ok.json()["materials"][0]["label"] == "租赁合同"
    bad = api(clerk).post(
        "certificates/applications",
        payload(
            applicant_id_number=wrong_check_digit(id_number()),
            materials=[{"filename": "x.exe", "content_base64": base64.b64encode(b"MZ").decode()}],
        ),
    )
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["errors"]}
    assert fields == {"applicant_id_number", "materials.0"}
    assert Application.objects.count() == 1


def test_list_and_detail_are_scoped(api: Any, clerk: Any, other_clerk: Any, department: Any, village: Any) -> None:
    app = make_application(clerk, village)
    assert api(clerk).get("certificates/applications").json()["count"] == 1
    assert api(other_clerk).get("certificates/applications").json()["count"] == 0
    assert api(department).get("certificates/applications").status_code == 403
    assert api(other_clerk).get(f"certificates/applications/{app.pk}").status_code == 404
    detail = api(clerk).get(f"certificates/applications/{app.pk}").json()
    assert detail["applicant_id_number"].count("*") == 10


def test_decision_issue_print_revoke_journey(api: Any, clerk: Any, head: Any, village: Any) -> None:
    app = make_application(clerk, village)
    base = f"certificates/applications/{app.pk}"
    missing = api(clerk).post(f"{base}/decision", {"action": "issue", "verified_facts": "属实"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "materials_checked"
    decided = api(clerk).post(
        f"{base}/decision",
        {
            "action": "issue",
            "materials_checked": ["身份证明", "租赁合同或房屋权属材料"],
            "verified_facts": "属实",
            "validity_days": 30,
        },
    )
    assert decided.status_code == 200 and decided.json()["status"] == "pending_sign_off"
    assert decided.json()["decision"]["clause"] == "（十二）"
    assert api(clerk).post(f"{base}/issue").json()["code"] == "principal_signature"
    issued = api(head).post(f"{base}/issue")
    assert issued.status_code == 201
    cert = issued.json()
    assert cert["serial"].startswith(village.code) and cert["verify_url"].endswith(cert["token"])
    again = api(head).post(f"{base}/issue")
    assert again.status_code == 409 and again.json()["code"] == "already_issued"
    printed = api(clerk).post(f"certificates/issued/{cert['id']}/print", {"reason": ""})
    assert printed["Content-Type"] == "application/pdf" and printed["X-Copy-Number"] == "1"
    assert api(clerk).post(f"certificates/issued/{cert['id']}/revoke", {"reason": "x"}).status_code == 403
    revoked = api(head).post(f"certificates/issued/{cert['id']}/revoke", {"reason": "材料不实"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    twice = api(head).post(f"certificates/issued/{cert['id']}/revoke", {"reason": "again"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_revoked"
    verify = api(None).get(VERIFY, {"token": cert["token"]}).json()
    assert (verify["status"], verify["revocation_reason"]) == ("revoked", "材料不实")
    assert Certificate.objects.count() == 1


def test_refusal_case_and_documents(api: Any, clerk: Any, township_officer: Any, village: Any) -> None:
    created = (
        api(clerk)
        .post(
            "certificates/applications",
            payload(request_text="银行要我开亲属关系证明", requesting_agency="某商业银行富民支行"),
        )
        .json()
    )
    base = f"certificates/applications/{created['id']}"
    refused = api(clerk).post(f"{base}/decision", {"action": "refuse"}).json()
    assert refused["status"] == "refused" and refused["decision"]["alternative"]["agency"].startswith("公安")
    assert refused["coordination_case"]["status"] == "open"
    assert api(clerk).get(f"{base}/refusal.pdf").content.startswith(b"%PDF")
    assert api(clerk).get(f"{base}/receipt.pdf").content.startswith(b"%PDF")
    assert api(clerk).get(f"{base}/commitment.pdf").status_code == 404
    case_id = refused["coordination_case"]["id"]
    assert api(clerk).post(f"certificates/cases/{case_id}/close", {"action": "other", "result": "x"}).status_code == 403
    closed = api(township_officer).post(
        f"certificates/cases/{case_id}/close", {"action": "agency_accepted", "result": "已沟通，改由公安核查"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert (
        api(township_officer)
        .post(f"certificates/cases/{case_id}/close", {"action": "other", "result": "again"})
        .status_code
        == 409
    )
    assert len(api(township_officer).get("certificates/cases").json()) == 1


def test_materials_upload(api: Any, clerk: Any, village: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    app = make_application(clerk, village)
    client = api(clerk)
    url = f"/api/v1/certificates/applications/{app.pk}/materials"
    ok = client.client.post(
        url, {"files": [SimpleUploadedFile("a.pdf", pdf_bytes())], "label": "合同"}, headers=client.headers
    )
    assert ok.status_code == 201 and ok.json()["materials"][0]["label"] == "合同"
    bad = client.client.post(url, {"files": [SimpleUploadedFile("a.txt", b"hello")]}, headers=client.headers)
    assert bad.status_code == 422 and app.materials.count() == 1


def test_register_stats_and_export(
    api: Any, clerk: Any, head: Any, auditor: Any, department: Any, village: Any
) -> None:
    make_certificate(clerk, head, village)
    make_pending(clerk, village)
    rows = api(auditor).get("certificates/register").json()
    assert rows["count"] == 1 and rows["items"][0]["result"] == "issued" and rows["items"][0]["signer_name"] == "杨书记"
    assert api(department).get("certificates/register").status_code == 403
    assert api(auditor).get("certificates/register", {"limit": 500}).status_code == 422
    stats = api(auditor).get("certificates/stats").json()
    assert stats["per_item"][0]["item_code"] == "R05"
    assert api(auditor).get("certificates/register.xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")


def test_templates_api(api: Any, department: Any, clerk: Any, county: Any) -> None:
    body = {
        "region": county.code,
        "item_code": "R05",
        "requesting_agency": "县民政局",
        "title": "居住证明",
        "body": "兹证明{姓名}。",
    }
    assert api(clerk).post("certificates/templates", body).status_code == 403
    created = api(department).post("certificates/templates", body)
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert api(None).get("certificates/templates").json() == []
    tid = created.json()["id"]
    assert api(department).post(f"certificates/templates/{tid}/publish").json()["status"] == "published"
    public = api(None).get("certificates/templates", {"region": "530124103200"}).json()
    assert [t["id"] for t in public] == [tid] and public[0]["sample_pdf"]
    assert api(department).post(f"certificates/templates/{tid}/publish").status_code == 409
    bad = api(department).post("certificates/templates", {**body, "item_code": "F01"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "item_code"
