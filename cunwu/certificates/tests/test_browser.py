"""The main journeys in a real browser: issue, print, scan, verify, revoke; refuse and coordinate."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .helpers import id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _take_application(page: Any, base: str, text: str, agency: str) -> None:
    page.goto(f"{base}/certificates/new/")
    page.fill("#id_applicant_name", "张三丰")
    page.fill("#id_applicant_id_number", id_number())
    page.fill("#id_applicant_phone", "13800000000")
    page.fill("#id_request_text", text)
    page.fill("#id_purpose", "办理居住证")
    page.fill("#id_requesting_agency", agency)
    page.get_by_role("button", name="受理并生成回执").click()
    page.wait_for_url(re.compile(r".*/certificates/a/\d+/$"))


def _download(page: Any, locator: Any, path: Path) -> Path:
    with page.expect_download() as info:
        locator.click()
    info.value.save_as(path)
    return path


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _qr(pdf: Path, tmp: Path) -> str:
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp / "page")], check=True)
    image = next(tmp.glob("page*.png"))
    return subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_retained_certificate_from_desk_to_verification(page_for: Any, tmp_path: Path) -> None:
    base = page_for.base_url
    clerk = page_for("village_clerk")
    _take_application(clerk, base, "派出所让我开居住证明", "富民县公安局罗免派出所")
    assert "R05" in clerk.content()
    detail_url = clerk.url
    clerk.get_by_label("身份证明").check()
    clerk.get_by_label("租赁合同或房屋权属材料").check()
    clerk.fill("#id_verified_facts", "该同志自2020年3月起实际居住在本村第三村民小组12号。")
    clerk.fill("#id_validity_days", "90")
    clerk.get_by_role("button", name="提交决定").click()
    clerk.get_by_text("已提交主要负责人签字").wait_for()
    assert "签字并出具" not in clerk.content()  # the clerk cannot sign （十四）

    head = page_for("village_head")
    head.goto(detail_url)
    head.get_by_role("button", name="签字并出具").click()
    head.wait_for_url(re.compile(r".*/certificates/c/\d+/$"))
    pdf = _download(head, head.get_by_role("button", name="打印证明（PDF）"), tmp_path / "certificate.pdf")

    text = _text(pdf)
    assert "居（租）住证明" in text and "张三丰" in text and "本证明仅用于办理居住证" in text and "有效期至" in text
    url = _qr(pdf, tmp_path)
    assert "/v/" in url
    token = url.rsplit("/v/", 1)[1]

    public = page_for(None, phone=True)
    public.goto(f"{base}/v/{token}")
    # expect() waits, and on a failure prints what the page did say.
    expect(public.locator("main .notice").first).to_contain_text("证明真实有效")
    assert "张*丰" in public.content() and "张三丰" not in public.content()
    # The page lists what the paper certifies, for the relying party to compare line by line.
    printed = public.get_by_role("region", name="证明上印的内容")
    expect(printed.get_by_role("heading", name="居（租）住证明")).to_be_visible()
    assert "自2020年3月起实际居住在本村第三村民小组12号" in printed.inner_text()
    assert "本证明仅用于办理居住证" in printed.inner_text() and "有效期至" in printed.inner_text()
    assert "逐行对照" in printed.inner_text() and "签字人职务" in printed.inner_text()

    head.get_by_role("link", name="撤销这份证明…").click()
    head.fill("#id_reason", "申请人提供的租赁合同不实")
    head.get_by_role("button", name="确认撤销").click()
    head.get_by_text("证明已撤销").wait_for()
    public.goto(f"{base}/v/{token}")
    assert "已被撤销" in public.content() and "申请人提供的租赁合同不实" in public.content()


def test_forbidden_request_gets_a_refusal_naming_the_police_and_a_township_case(page_for: Any, tmp_path: Path) -> None:
    base = page_for.base_url
    clerk = page_for("village_clerk")
    _take_application(clerk, base, "银行要我开亲属关系证明", "某商业银行富民支行")
    assert "不应由村级组织出具" in clerk.content()
    clerk.get_by_role("button", name="提交决定").click()
    clerk.get_by_text("已决定不予出具").wait_for()
    pdf = _download(clerk, clerk.get_by_role("link", name="不予出具告知书（PDF）"), tmp_path / "refusal.pdf")
    text = _text(pdf)
    assert "不予出具证明告知书" in text and "亲属关系证明" in text and "公安" in text and "（十三）" in text

    township = page_for("township_officer")
    township.goto(f"{base}/certificates/cases/")
    township.get_by_role("link", name=re.compile(r"\d{4}-\d{2}-\d{2}")).first.click()
    assert "某商业银行富民支行" in township.content()
    township.select_option("#id_action", "agency_accepted")
    township.fill("#id_result", "已与该银行沟通，改由公安机关核查亲属关系")
    township.get_by_role("button", name="办结").click()
    township.get_by_text("协调事项已办结").wait_for()
