"""Pages: the public report form and its entry points, receipt and tracking, typical cases and the feed,
the handling body's queue and steps, and the review of documents (docx, pdf, pasted)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import COUNTY, VILLAGE
from cunwu.complaints import services
from cunwu.complaints.models import Complaint, ReviewedDocument, TypicalCase
from cunwu.documents import Document, render_pdf
from cunwu.signs.tests.conftest import make_jpeg

from .test_services import SAMPLE_REGULATION

pytestmark = pytest.mark.django_db


def _file(client: Client, **kw: Any) -> Any:
    data = {"category": "pushed_work", "region": VILLAGE, "text": "乡里要求村干部每周参加三次会议。", "anonymous": "1"}
    data.update(kw)
    return client.post("/jubao/", data)


def test_anonymous_filing_with_a_photo_gives_a_receipt_with_qr_then_tracking() -> None:
    client = Client()
    page = client.get("/jubao/")
    assert page.status_code == 200
    assert "不保存您的姓名、电话，也不记录您的网络地址" in page.content.decode()
    photo = SimpleUploadedFile("p.jpg", make_jpeg(size=(800, 600)), content_type="image/jpeg")
    r = _file(client, photos=photo)
    assert r.status_code == 302 and r["Location"] == "/jubao/huizhi/"
    receipt = client.get("/jubao/huizhi/").content.decode()
    c = Complaint.objects.get()
    assert c.tracking_code in receipt and "data:image/svg+xml" in receipt and c.photos.count() == 1
    assert c.due.strftime("%Y-%m-%d") in receipt and "富民县" in receipt
    tracked = Client().post("/jubao/chaxun/", {"code": c.tracking_code.lower()})
    assert tracked.status_code == 200 and "已收到" in tracked.content.decode()


def test_bad_filing_keeps_what_was_typed_and_says_why() -> None:
    r = _file(Client(), text="", subject="<b>某局</b>")
    body = r.content.decode()
    assert r.status_code == 422
    assert "请填写具体情况。" in body
    assert "&lt;b&gt;某局&lt;/b&gt;" in body and "<b>某局</b>" not in body
    r = _file(Client(), region="530124999999", text="字" * 2001)
    assert r.status_code == 422
    assert "没有代码为 530124999999 的行政区划" in r.content.decode() and "最多 2000 字" in r.content.decode()
    r = _file(Client(), photos=SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg"))
    assert r.status_code == 422 and "内容不是允许的文件类型" in r.content.decode()
    r = _file(Client(), anonymous="0", contact_name="王小明", contact_phone="12")
    assert r.status_code == 422 and "联系电话应为" in r.content.decode()
    assert not Complaint.objects.exists()


def test_unknown_codes_on_the_tracking_page() -> None:
    for code in ("JB-0000000000ZZ", "<script>", "1"):
        r = Client().post("/jubao/chaxun/", {"code": code})
        assert r.status_code == 404 and "没有查到这个查询码" in r.content.decode()
        assert "<script>" not in r.content.decode().split("<main", 1)[1]


def test_follow_up_question_by_tracking_code(make_complaint: Any, reviewer: Any, client_for: Any) -> None:
    c = make_complaint()
    r = Client().post("/jubao/zhuiwen/", {"code": c.tracking_code, "text": "<i>请问</i>进展如何？"})
    assert r.status_code == 200 and "&lt;i&gt;请问&lt;/i&gt;" in r.content.decode()
    q = c.questions.get()
    staff = client_for(reviewer)
    staff.post(f"/complaints/{c.tracking_code}/questions/{q.pk}/answer/", {"answer": "正在核实。"})
    assert "正在核实。" in Client().get(f"/jubao/chaxun/?code={c.tracking_code}").content.decode()
    assert Client().post("/jubao/zhuiwen/", {"code": "JB-NOPE", "text": "x"}).status_code == 404


def test_region_picker_fragment_walks_down_the_tree() -> None:
    r = Client().get(f"/jubao/diqu/?code={COUNTY}")
    body = r.content.decode()
    assert r.status_code == 200 and "罗免镇" in body and 'hx-swap-oob="true"' in body and COUNTY in body


# --- entry points -------------------------------------------------------------------------------


def test_portal_home_offers_reporting() -> None:
    body = Client().get("/").content.decode()
    assert "/jubao/" in body and "/tongbao/" in body


def test_triage_answer_links_to_a_prefilled_report() -> None:
    body = Client().post("/kaizhengming/530124103200/", {"text": "亲属关系证明"}).content.decode()
    link = re.search(r'href="(/jubao/\?[^"]+)"', body)
    assert link, "the triage answer offers a report link"
    url = link.group(1).replace("&amp;", "&")
    assert "category=forbidden_certificate" in url and "item=F01" in url and f"region={VILLAGE}" in url
    form = Client().get(url).content.decode()
    assert "F01 亲属关系证明" in form and 'value="forbidden_certificate" selected' in form


def test_village_catalog_page_links_to_a_report() -> None:
    body = Client().get(f"/gongkai/{VILLAGE}/").content.decode()
    assert f"/jubao/?region={VILLAGE}&amp;source=catalog" in body


def test_refusal_notice_qr_opens_a_prefilled_report(api: Any, clerk: Any, tmp_path: Path) -> None:
    from cunwu.certificates.tests.test_api_certificates import payload

    created = api(clerk).post(
        "certificates/applications",
        payload(request_text="银行要我开亲属关系证明", requesting_agency="某商业银行富民支行"),
    )
    base = f"certificates/applications/{created.json()['id']}"
    api(clerk).post(f"{base}/decision", {"action": "refuse"})
    pdf = tmp_path / "refusal.pdf"
    pdf.write_bytes(api(clerk).get(f"{base}/refusal.pdf").content)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    image = sorted(tmp_path.glob("page*.png"))[0]
    scanned = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=True)
    url = scanned.stdout.strip().splitlines()[0]
    assert "/jubao/?region=530124103200&refusal=GZ" in url
    form = Client().get(url[url.index("/jubao/") :])
    body = form.content.decode()
    assert 'value="forbidden_certificate" selected' in body and "某商业银行富民支行" in body
    assert "张三丰" not in body  # never the applicant
    refusal = re.search(r'name="refusal" value="([^"]+)"', body)
    assert refusal and refusal.group(1).startswith("530124103200/GZ")
    r = Client().post(
        "/jubao/",
        {
            "category": "forbidden_certificate",
            "region": VILLAGE,
            "subject": "某商业银行富民支行",
            "text": "银行仍要村里开证明。",
            "anonymous": "1",
            "item": "F01",
            "refusal": refusal.group(1),
        },
    )
    assert r.status_code == 302
    kinds = set(Complaint.objects.get().references.values_list("kind", flat=True))
    assert kinds == {"catalog_item", "certificate_refusal"}


# --- staff pages -----------------------------------------------------------------------------------


def test_queue_and_detail_for_the_county_not_for_the_village(
    make_complaint: Any, client_for: Any, reviewer: Any, clerk: Any, township_officer: Any, auditor: Any
) -> None:
    c = make_complaint(
        anonymous=False, contact_name="王小明", contact_phone="13812345678", text="<script>alert(1)</script>"
    )
    staff = client_for(reviewer)
    queue = staff.get("/complaints/").content.decode()
    assert c.tracking_code in queue
    detail = staff.get(f"/complaints/{c.tracking_code}/").content.decode()
    assert "王*明" in detail and "138****5678" in detail and "王小明" not in detail and "13812345678" not in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail and "<script>alert(1)</script>" not in detail
    assert client_for(clerk).get(f"/complaints/{c.tracking_code}/").status_code == 404
    assert client_for(clerk).get("/complaints/").status_code == 403
    assert client_for(township_officer).get(f"/complaints/{c.tracking_code}/").status_code == 404
    assert c.tracking_code not in client_for(township_officer).get("/complaints/").content.decode()
    assert client_for(auditor).get("/complaints/").status_code == 403
    assert Client().get("/complaints/").status_code == 302


def test_steps_on_the_page(make_complaint: Any, client_for: Any, reviewer: Any) -> None:
    c = make_complaint()
    staff = client_for(reviewer)
    assert staff.post(f"/complaints/{c.tracking_code}/accept/").status_code == 302
    r = staff.post(f"/complaints/{c.tracking_code}/conclude/", {"finding": "partly"})
    assert r.status_code == 422 and "请填写办理结果。" in r.content.decode()
    staff.post(f"/complaints/{c.tracking_code}/conclude/", {"finding": "partly", "outcome": "部分属实，已纠正。"})
    c.refresh_from_db()
    assert c.status == "concluded"
    r = staff.post(f"/complaints/{c.tracking_code}/conclude/", {"finding": "partly", "outcome": "again"}, follow=True)
    assert "不能" in r.content.decode() and Complaint.objects.get(pk=c.pk).outcome == "部分属实，已纠正。"


def test_photo_only_for_the_handling_body(make_complaint: Any, client_for: Any, reviewer: Any, clerk: Any) -> None:
    c = make_complaint(photos=[services.Upload(make_jpeg(size=(300, 200)), "a.jpg")])
    photo = c.photos.get()
    url = f"/complaints/{c.tracking_code}/photos/{photo.pk}/"
    r = client_for(reviewer).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/jpeg"
    assert client_for(clerk).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_publish_with_a_check_and_a_confirmation_then_public_page_and_feed(
    make_complaint: Any, client_for: Any, reviewer: Any, county_admin: Any
) -> None:
    c = make_complaint()
    services.complaint_conclude(actor=reviewer, complaint=c, outcome="已纠正", finding="substantiated")
    assert client_for(reviewer).get(f"/complaints/{c.tracking_code}/publish/").status_code == 403
    admin = client_for(county_admin)
    form = {
        "title": "某局向村里摊派巡查任务",
        "department": "富民县某局",
        "clause": "（二）",
        "summary": "张三书记要求各村每周报送照片。",
        "action_taken": "已责令停止，通报批评。",
    }
    r = admin.post(f"/complaints/{c.tracking_code}/publish/", form)
    assert r.status_code == 422 and "含有个人姓名" in r.content.decode()
    form["summary"] = "张某要求各村每周报送照片。"
    r = admin.post(f"/complaints/{c.tracking_code}/publish/", form)
    assert r.status_code == 200 and "确认发布" in r.content.decode() and not TypicalCase.objects.exists()
    r = admin.post(f"/complaints/{c.tracking_code}/publish/", form | {"confirm": "on"})
    case = TypicalCase.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/tongbao/{case.pk}/"
    assert "张某要求各村" in Client().get(f"/tongbao/{case.pk}/").content.decode()
    listing = Client().get("/tongbao/?clause=（二）&prefecture=530100000000").content.decode()
    assert "某局向村里摊派巡查任务" in listing
    assert "某局向村里摊派巡查任务" not in Client().get("/tongbao/?clause=（四）").content.decode()
    feed = Client().get("/feeds/typical-cases.atom")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(feed.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["某局向村里摊派巡查任务（（二））"]


# --- document review -------------------------------------------------------------------------------


def _docx(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("word/document.xml", xml)
    return out.getvalue()


@pytest.mark.parametrize("source", ["docx", "pdf", "text"])
def test_document_review_from_docx_pdf_or_text(client_for: Any, reviewer: Any, source: str) -> None:
    lines = SAMPLE_REGULATION.splitlines()
    data: dict[str, Any] = {"county": COUNTY, "title": "关于加强村级安全生产工作的通知", "issuer": "富民县某局"}
    if source == "docx":
        data["file"] = SimpleUploadedFile("reg.docx", _docx(lines))
    elif source == "pdf":
        data["file"] = SimpleUploadedFile("reg.pdf", render_pdf(Document(title=lines[0], paragraphs=lines[1:])))
    else:
        data["text"] = SAMPLE_REGULATION
    r = client_for(reviewer).post("/complaints/documents/new/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    doc = ReviewedDocument.objects.get()
    assert doc.source == source
    page = client_for(reviewer).get(r["Location"]).content.decode()
    assert "签订安全生产目标责任书" in page and "（二）" in page and "（五）" in page and "（六）" in page
    register = client_for(reviewer).get("/complaints/documents/").content.decode()
    assert "关于加强村级安全生产工作的通知" in register and "待处理" in register


def test_document_review_refuses_a_bad_file(client_for: Any, reviewer: Any, clerk: Any) -> None:
    data = {"county": COUNTY, "title": "t", "issuer": "i", "file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 broken")}
    r = client_for(reviewer).post("/complaints/documents/new/", data)
    assert r.status_code == 422 and "只能上传" in r.content.decode()
    assert client_for(clerk).get("/complaints/documents/new/").status_code == 403
    assert not ReviewedDocument.objects.exists()
