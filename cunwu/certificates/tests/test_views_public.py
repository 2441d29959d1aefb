"""Public pages: verification without login, the JWKS, applying online, 式样."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from ..models import Application, Channel
from ..services import application_decide, certificate_revoke
from .helpers import id_number, make_certificate, wrong_check_digit

pytestmark = pytest.mark.django_db


def test_verify_page_says_valid_then_revoked(client: Any, clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    page = client.get(f"/v/{cert.token}").content.decode()
    assert "证明真实有效" in page and "张*丰" in page and "张三丰" not in page and cert.serial in page
    certificate_revoke(actor=head, certificate=cert, reason="申请人材料不实")
    page = client.get(f"/v/{cert.token}").content.decode()
    assert "已被撤销" in page and "申请人材料不实" in page


def test_verify_page_shows_what_the_paper_says_with_personal_numbers_masked(
    client: Any, clerk: Any, head: Any, village: Any
) -> None:
    cert = make_certificate(clerk, head, village)
    page = client.get(f"/v/{cert.token}").content.decode()
    c = cert.content
    # Title, the verified fact in full, purpose, validity, issuer, serial, date and the signer's title.
    assert c["title"] in page and "第三村民小组12号" in page and "2020年3月" in page
    assert c["purpose_line"] in page and c["validity_line"] in page
    assert c["issuer"]["name"] in page and cert.serial in page and c["date_text"] in page
    assert cert.signer_title and cert.signer_title in page
    assert "逐行对照" in page and "左下方" in page and "右下" not in page
    # The name as on every public page; the ID number never in full.
    number = cert.application.applicant_id_number
    assert "张三丰" not in page and number not in page
    printed = " ".join(c["paragraphs"])
    if number in printed:
        assert f"{number[:4]}" in page and "*" * 10 in page


def test_masking_in_printed_text_hides_names_ids_and_phones() -> None:
    from cunwu.masking import mask_in_text

    text = "兹证明张三丰（身份证号530124198001011234）住本村12号，电话13800001234、0871-8123456。"
    shown = mask_in_text(text, names=["张三丰"])
    assert shown == "兹证明张*丰（身份证号5301**********1234）住本村12号，电话138****1234、087*****3456。"


def test_verify_page_for_forgeries(client: Any, clerk: Any, head: Any, village: Any) -> None:
    cert = make_certificate(clerk, head, village)
    header, payload, sig = cert.token.split(".")
    tampered = f"{header}.{payload[:-2]}AA.{sig}"
    for token in (tampered, "garbage", "a.b.c"):
        response = client.get(f"/v/{token}")
        assert response.status_code == 200 and "不是真实的证明" in response.content.decode()


def test_verify_page_is_rate_limited(client: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": 2}
    assert client.get("/v/x").status_code == 200
    assert client.get("/v/x").status_code == 200
    assert client.get("/v/x").status_code == 429


def test_verify_form_accepts_a_pasted_link(client: Any) -> None:
    assert client.get("/v/").status_code == 200
    response = client.get("/v/", {"token": "http://example.org/v/abc.def.ghi"})
    assert response.status_code == 302 and response["Location"] == "/v/abc.def.ghi"


def test_jwks(client: Any, clerk: Any, head: Any, village: Any) -> None:
    assert client.get("/.well-known/jwks.json").json() == {"keys": []}
    cert = make_certificate(clerk, head, village)
    response = client.get("/.well-known/jwks.json")
    assert response["Cache-Control"].startswith("public") and response.json()["keys"][0]["kid"] == cert.kid


def test_apply_online(client: Any, village: Any) -> None:
    assert "大箐" in client.get(reverse("certificates_public:apply"), {"q": "大箐"}).content.decode()
    url = reverse("certificates_public:apply_form", args=[village.code])
    data = {
        "applicant_name": "岩温",
        "applicant_id_number": wrong_check_digit(id_number()),
        "applicant_phone": "13800000000",
        "request_text": "单位让我开亲属关系证明",
        "purpose": "办理手续",
        "requesting_agency": "某保险公司",
    }
    bad = client.post(url, data)
    assert bad.status_code == 422 and "校验位" in bad.content.decode() and not Application.objects.exists()
    data["applicant_id_number"] = id_number()
    response = client.post(url, data)
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.channel == Channel.ONLINE and app.outcome == "forbidden"
    done = client.get(response["Location"]).content.decode()
    assert app.receipt_number in done and "岩*" in done and "岩温" not in done
    assert client.get(response["Location"] + "receipt.pdf").content.startswith(b"%PDF")
    assert client.get(response["Location"] + "refusal.pdf").status_code == 404
    assert client.get("/apply/certificate/done/forged-ticket/").status_code == 404


def test_apply_to_an_unknown_place(client: Any, township: Any) -> None:
    assert client.get(reverse("certificates_public:apply_form", args=[township.code])).status_code == 404


def test_status_lookup_needs_all_three(client: Any, clerk: Any, village: Any) -> None:
    from .helpers import make_application

    app = make_application(clerk, village, text="单位要独生子女证明", requesting_agency="")
    application_decide(actor=clerk, application=app, action="refuse")
    url = reverse("certificates_public:apply_status")
    wrong = client.post(
        url, {"receipt_number": app.receipt_number, "village": village.code, "id_number": id_number(seq="999")}
    )
    assert wrong.status_code == 422 and "没有找到" in wrong.content.decode()
    page = client.post(
        url, {"receipt_number": app.receipt_number, "village": village.code, "id_number": app.applicant_id_number}
    ).content.decode()
    assert "不予出具" in page and "告知承诺书" in page


def test_public_pages_are_rate_limited(client: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 1}
    assert client.get(reverse("certificates_public:samples")).status_code == 200
    assert client.get(reverse("certificates_public:apply")).status_code == 429


def _progress(client: Any, app: Any) -> str:
    url = reverse("certificates_public:apply_status")
    data = {"receipt_number": app.receipt_number, "village": app.region_id, "id_number": app.applicant_id_number}
    return client.post(url, data).content.decode()


def test_progress_page_follows_the_certificate_valid_revoked_expired(
    client: Any, clerk: Any, head: Any, village: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from ..models import Certificate

    cert = make_certificate(clerk, head, village)
    issued = _progress(client, cert.application)
    assert "请到村（社区）便民服务站领取" in issued and cert.serial in issued

    Certificate.objects.filter(pk=cert.pk).update(valid_until=timezone.now() - dt.timedelta(days=1))
    expired = _progress(client, cert.application)
    assert "证明已过有效期" in expired and "请到村（社区）便民服务站领取" not in expired

    certificate_revoke(actor=head, certificate=Certificate.objects.get(pk=cert.pk), reason="材料不实")
    revoked = _progress(client, cert.application)
    assert "证明已撤销" in revoked and "撤销原因：材料不实" in revoked and "便民服务站领取" not in revoked


def test_progress_page_of_a_withdrawn_application_gives_date_and_reason(client: Any, clerk: Any, village: Any) -> None:
    from ..services import application_withdraw
    from .helpers import make_application

    app = application_withdraw(actor=clerk, application=make_application(clerk, village), reason="申请人已另行办理")
    assert app.withdrawn_at is not None
    page = _progress(client, app)
    assert "申请已撤回" in page and "撤回原因：申请人已另行办理" in page
    assert app.withdrawn_at.astimezone().strftime("%Y年") in page
