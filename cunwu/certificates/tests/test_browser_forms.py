"""Issue 16 in a real browser: the error summary takes focus on a phone, chosen files survive a failed
submit, revoking asks for confirmation, and the applicant's progress page tells of a revocation."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .helpers import id_number, make_application, make_certificate, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VILLAGE = "530124103200"


def _people() -> tuple[Any, Any, Any]:
    from cunwu.accounts.models import User
    from cunwu.regions.models import Region

    return (
        User.objects.get(username="village_clerk"),
        User.objects.get(username="village_head"),
        Region.objects.get(code=VILLAGE),
    )


def _in_view(page: Any, selector: str) -> bool:
    return bool(
        page.evaluate(
            """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                         return r.top >= 0 && r.top < window.innerHeight; }""",
            selector,
        )
    )


def test_a_failed_decision_on_a_phone_focuses_the_error_summary_and_keeps_the_chosen_file(
    page_for: Any, tmp_path: Path
) -> None:
    base = page_for.base_url
    clerk_user, _, village = _people()
    app = make_application(clerk_user, village)
    clerk = page_for("village_clerk", phone=True)
    clerk.goto(f"{base}/certificates/a/{app.pk}/")

    # 拟出具 without ticking the materials, an investigation record attached.
    record = tmp_path / "调查核实记录.pdf"
    record.write_bytes(pdf_bytes())
    clerk.get_by_text("涉及重大问题或存在法律风险（十三）").click()
    clerk.set_input_files("#id_upload_investigation", str(record))
    clerk.fill("#id_verified_facts", "该同志自2020年3月起实际居住在本村第三村民小组12号。")
    clerk.fill("#id_validity_days", "90")
    clerk.get_by_role("button", name="提交决定").click()

    summary = clerk.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert clerk.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert _in_view(clerk, "[data-error-summary]")  # at the top on a 375 px screen, not 2,000 px below
    assert clerk.viewport_size["width"] == 375

    # The chosen file is still there, named, and nothing was written.
    kept = clerk.locator("#pending_upload_investigation")
    assert "已选择：调查核实记录.pdf（保留" in kept.inner_text()
    from cunwu.certificates.models import Application, Material

    assert Application.objects.get(pk=app.pk).status == "received"
    assert not Material.objects.filter(application_id=app.pk, kind="investigation").exists()

    # A summary line leads to its field; ticking the materials and submitting again uses the kept file.
    clerk.locator("[data-error-summary] a").first.click()
    clerk.get_by_label("身份证明").check()
    clerk.get_by_label("租赁合同或房屋权属材料").check()
    clerk.get_by_role("button", name="提交决定").click()
    clerk.get_by_text("已提交主要负责人签字").wait_for()
    assert Material.objects.filter(application_id=app.pk, kind="investigation").count() == 1


def test_revoking_asks_for_confirmation_and_the_progress_page_then_says_revoked(page_for: Any) -> None:
    base = page_for.base_url
    clerk_user, head_user, village = _people()
    number = id_number()
    cert = make_certificate(clerk_user, head_user, village, applicant_id_number=number)

    head = page_for("village_head")
    head.goto(f"{base}/certificates/c/{cert.pk}/")
    head.get_by_role("link", name="撤销这份证明…").click()
    head.wait_for_url(re.compile(r".*/certificates/c/\d+/revoke/$"))
    body = head.locator("main").inner_text()
    assert "撤销后会怎样" in body and "不能恢复" in body and cert.serial in body

    # The reason is required: the summary says so and nothing changes.
    head.get_by_role("button", name="确认撤销").click()
    head.locator("[data-error-summary]").wait_for()
    cert.refresh_from_db()
    assert cert.status == "valid"

    head.fill("#id_reason", "申请人提供的租赁合同不实")
    head.get_by_role("button", name="确认撤销").click()
    head.get_by_text("证明已撤销").wait_for()
    cert.refresh_from_db()
    assert cert.status == "revoked"

    villager = page_for(None, phone=True)
    villager.goto(f"{base}/apply/certificate/status/")
    villager.get_by_label("受理号").fill(cert.application.receipt_number)
    villager.get_by_label("村（社区）区划代码").fill(VILLAGE)
    villager.get_by_label("申请人身份证号码").fill(number)
    villager.get_by_role("button", name="查询").click()
    villager.get_by_role("heading", name="证明已撤销").wait_for()
    page = villager.locator("main").inner_text()
    assert "申请人提供的租赁合同不实" in page and "请到村（社区）便民服务站领取" not in page
    assert re.search(r"已于 \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} 由村（社区）撤销", page)
