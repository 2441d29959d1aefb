"""Staff pages: the authorisation matrix and the desk's journey, one page at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ..models import Application, Certificate, CertificateCopy, CoordinationCase, Status
from ..services import application_decide
from .helpers import id_number, make_application, make_certificate, make_pending, pdf_bytes, wrong_check_digit

pytestmark = pytest.mark.django_db


def form_data(**kw: Any) -> dict[str, Any]:
    data = {
        "region": "530124103200",
        "applicant_name": "张三丰",
        "applicant_id_number": id_number(),
        "applicant_phone": "13800000000",
        "request_text": "派出所让我开居住证明",
        "purpose": "办理居住证",
        "requesting_agency": "富民县公安局罗免派出所",
        "agency_basis": "",
    }
    data.update(kw)
    return data


# --- list and intake ---------------------------------------------------------------------------


def test_list_matrix(
    client: Any, client_for: Any, clerk: Any, department: Any, supervisor: Any, other_clerk: Any, village: Any
) -> None:
    make_application(clerk, village)
    url = reverse("certificates:list")
    assert client.get(url).status_code == 302
    assert client_for(department).get(url).status_code == 403
    assert "张*丰" in client_for(supervisor).get(url).content.decode()
    page = client_for(clerk).get(url).content.decode()
    assert "张*丰" in page and "张三丰" not in page
    assert "张*丰" not in client_for(other_clerk).get(url).content.decode()


def test_list_queries_do_not_grow_with_rows(
    client_for: Any, clerk: Any, village: Any, django_assert_max_num_queries: Any
) -> None:
    c = client_for(clerk)
    make_application(clerk, village)
    with django_assert_max_num_queries(12) as first:
        c.get(reverse("certificates:list"))
    for _ in range(4):
        make_application(clerk, village)
    with django_assert_max_num_queries(len(first.captured_queries)):
        c.get(reverse("certificates:list"))


def test_intake_page_matrix(client: Any, client_for: Any, clerk: Any, supervisor: Any) -> None:
    url = reverse("certificates:new")
    assert client.get(url).status_code == 302
    assert client_for(supervisor).get(url).status_code == 403
    assert client_for(clerk).get(url).status_code == 200


def test_intake_creates_and_redirects(client_for: Any, clerk: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data(materials=[SimpleUploadedFile("合同.pdf", pdf_bytes(), "application/pdf")])
    response = client_for(clerk).post(reverse("certificates:new"), data)
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("certificates:detail", args=[app.pk])
    assert app.materials.count() == 1 and app.item_code == "R05"


def test_intake_errors_stay_next_to_the_field_with_what_was_typed(client_for: Any, clerk: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad_id = wrong_check_digit(id_number())
    data = form_data(
        applicant_id_number=bad_id,
        materials=[SimpleUploadedFile("a.exe", b"MZ\x90\x00 program", "application/octet-stream")],
    )
    response = client_for(clerk).post(reverse("certificates:new"), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "校验位不正确" in page and "不是允许的文件类型" in page and f'value="{bad_id}"' in page
    assert not Application.objects.exists()


# --- detail, decision, sign-off ------------------------------------------------------------------


def test_detail_matrix_and_masking(
    client: Any, client_for: Any, clerk: Any, other_clerk: Any, supervisor: Any, village: Any
) -> None:
    app = make_application(clerk, village)
    url = reverse("certificates:detail", args=[app.pk])
    assert client.get(url).status_code == 302
    assert client_for(other_clerk).get(url).status_code == 404
    read_only = client_for(supervisor).get(url).content.decode()
    assert "审查决定" not in read_only and "张*丰" in read_only
    page = client_for(clerk).get(url).content.decode()
    assert "审查决定" in page and "张三丰" not in page and app.applicant_id_number not in page
    assert "租赁合同或房屋权属材料" in page  # the item's materials to check


def test_changing_the_item_refreshes_the_materials(client_for: Any, clerk: Any, village: Any) -> None:
    app = make_application(clerk, village)
    page = client_for(clerk).get(reverse("certificates:detail", args=[app.pk]), {"item_code": "R07"}).content.decode()
    assert "学生身份证明" in page


def test_decide_page(client_for: Any, clerk: Any, supervisor: Any, village: Any) -> None:
    app = make_application(clerk, village)
    url = reverse("certificates:decide", args=[app.pk])
    assert client_for(supervisor).post(url, {"action": "issue"}).status_code == 403
    response = client_for(clerk).post(
        url, {"action": "issue", "item_code": "R05", "materials_checked": ["身份证明"], "verified_facts": "属实"}
    )
    assert response.status_code == 422 and "请先核验申请人提供的材料" in response.content.decode()
    data = {
        "action": "issue",
        "item_code": "R05",
        "materials_checked": ["身份证明", "租赁合同或房屋权属材料"],
        "verified_facts": "属实",
        "validity_days": "30",
    }
    assert client_for(clerk).post(url, data).status_code == 302
    app.refresh_from_db()
    assert app.status == Status.PENDING and app.validity_days == 30


def test_sign_off_page(client_for: Any, clerk: Any, head: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    detail = reverse("certificates:detail", args=[app.pk])
    assert "签字并出具" not in client_for(clerk).get(detail).content.decode()
    head_page = client_for(head).get(detail).content.decode()
    assert "签字并出具" in head_page and "本证明仅用于办理居住证" in head_page
    url = reverse("certificates:issue", args=[app.pk])
    assert client_for(clerk).post(url).status_code == 403
    response = client_for(head).post(url)
    cert = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("certificates:certificate", args=[cert.pk])
    again = client_for(head).post(url, follow=True)
    assert "不能重复出具" in again.content.decode() and Certificate.objects.count() == 1


def test_return_page(client_for: Any, clerk: Any, head: Any, village: Any) -> None:
    app = make_pending(clerk, village)
    client_for(head).post(reverse("certificates:return", args=[app.pk]), {"note": "请补充租赁合同"})
    app.refresh_from_db()
    assert app.status == Status.RECEIVED
    assert "请补充租赁合同" in client_for(clerk).get(reverse("certificates:detail", args=[app.pk])).content.decode()


def test_documents(client_for: Any, clerk: Any, other_clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="单位要独生子女证明", requesting_agency="")
    c = client_for(clerk)
    assert c.get(reverse("certificates:receipt", args=[app.pk]))["Content-Type"] == "application/pdf"
    assert c.get(reverse("certificates:refusal", args=[app.pk])).status_code == 404
    application_decide(actor=clerk, application=app, action="refuse")
    assert c.get(reverse("certificates:refusal", args=[app.pk])).content.startswith(b"%PDF")
    assert c.get(reverse("certificates:commitment", args=[app.pk])).content.startswith(b"%PDF")
    assert client_for(other_clerk).get(reverse("certificates:receipt", args=[app.pk])).status_code == 404


def test_material_download(client_for: Any, clerk: Any, other_clerk: Any, village: Any) -> None:
    from .helpers import upload

    app = make_application(clerk, village, materials=[upload()])
    material = app.materials.get()
    response = client_for(clerk).get(reverse("certificates:material", args=[material.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert client_for(other_clerk).get(reverse("certificates:material", args=[material.pk])).status_code == 404


# --- certificate page: print and revoke ----------------------------------------------------------


def test_print_and_revoke_pages(
    client: Any, client_for: Any, clerk: Any, head: Any, supervisor: Any, village: Any
) -> None:
    cert = make_certificate(clerk, head, village)
    page_url = reverse("certificates:certificate", args=[cert.pk])
    assert client.get(page_url).status_code == 302
    assert client_for(supervisor).get(page_url).status_code == 200
    pdf_url = reverse("certificates:pdf", args=[cert.pk])
    assert client_for(supervisor).post(pdf_url).status_code == 403
    response = client_for(clerk).post(pdf_url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    client_for(clerk).post(pdf_url, {"reason": "原件遗失"})
    assert list(CertificateCopy.objects.values_list("number", "reason")) == [(1, ""), (2, "原件遗失")]
    revoke_url = reverse("certificates:revoke", args=[cert.pk])
    assert client_for(clerk).post(revoke_url, {"reason": "x"}).status_code == 403
    client_for(head).post(revoke_url, {"reason": "材料虚假"})
    again = client_for(head).post(revoke_url, {"reason": "again"}, follow=True).content.decode()
    assert "不能重复撤销" in again


# --- register, stats, cases, templates -------------------------------------------------------------


def test_register_pages(
    client: Any, client_for: Any, clerk: Any, head: Any, auditor: Any, department: Any, village: Any
) -> None:
    make_certificate(clerk, head, village)
    for name in ("register", "register_xlsx", "stats"):
        url = reverse(f"certificates:{name}")
        assert client.get(url).status_code == 302
        assert client_for(department).get(url).status_code == 403
        assert client_for(auditor).get(url).status_code == 200
    page = client_for(auditor).get(reverse("certificates:register")).content.decode()
    assert "杨书记" in page and "张*丰" in page and "张三丰" not in page
    xlsx = client_for(auditor).get(reverse("certificates:register_xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = [c.value for c in sheet[2]]
    assert "张*丰" in values and "杨书记" in values and "张三丰" not in values


def test_case_pages(client_for: Any, clerk: Any, township_officer: Any, other_clerk: Any, village: Any) -> None:
    app = make_application(clerk, village, text="亲属关系证明", requesting_agency="某保险公司")
    application_decide(actor=clerk, application=app, action="refuse")
    case = CoordinationCase.objects.get()
    url = reverse("certificates:case", args=[case.pk])
    assert client_for(other_clerk).get(url).status_code == 404
    assert client_for(clerk).post(url, {"action": "other", "result": "x"}).status_code == 403
    assert "待协调" in client_for(township_officer).get(reverse("certificates:cases")).content.decode()
    bad = client_for(township_officer).post(url, {"action": "", "result": ""})
    assert bad.status_code == 422
    assert (
        client_for(township_officer).post(url, {"action": "agency_corrected", "result": "已函告该公司"}).status_code
        == 302
    )
    case.refresh_from_db()
    assert case.status == "closed" and case.result == "已函告该公司"


def test_template_pages(client: Any, client_for: Any, department: Any, clerk: Any) -> None:
    url = reverse("certificates:templates")
    assert client.get(url).status_code == 302
    assert client_for(clerk).get(url).status_code == 403
    c = client_for(department)
    assert c.get(url).status_code == 200
    bad = c.post(
        reverse("certificates:template_new"),
        {"item_code": "R05", "requesting_agency": "民政局", "title": "居住证明", "body": "兹证明{住址}"},
    )
    assert bad.status_code == 422 and "不认识的占位符" in bad.content.decode()
    response = c.post(
        reverse("certificates:template_new"),
        {
            "item_code": "R05",
            "requesting_agency": "县民政局",
            "title": "居住证明",
            "body": "兹证明{姓名}居住在{村}。",
            "validity_days": "60",
        },
    )
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert c.get(reverse("certificates:template_sample", args=[pk])).content.startswith(b"%PDF")
    c.post(reverse("certificates:template_publish", args=[pk]))
    public = client.get(reverse("certificates_public:samples")).content.decode()
    assert "县民政局" in public
