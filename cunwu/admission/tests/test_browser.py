"""The main journey in a real browser: screening on the spot, review, dispatch, receipt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from .factories import ASSIST_CONTENT, ASSIST_TITLE, VILLAGE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_request(page: Any, base: str, title: str, content: str) -> None:
    page.goto(f"{base}/admission/requests/new/")
    page.get_by_label("标题").fill(title)
    page.get_by_label("工作内容").fill(content)
    page.check(f'input[name="targets"][value="{VILLAGE}"]')
    page.get_by_label("完成时限").fill((timezone.localdate() + timedelta(days=20)).isoformat())


def test_department_to_village_journey(page_for: Any) -> None:
    base = page_for.base_url
    dep = page_for("department_officer")
    # 1. A pledge is rejected on the spot, with its clauses.
    fill_request(dep, base, "关于签订安全生产目标责任书的通知", "要求各村签订2027年度安全生产目标责任书")
    dep.get_by_role("button", name="先筛查一下").click()
    dep.locator("#screening-result").wait_for()
    answer = dep.locator("#screening-result").inner_text()
    assert "不予通过" in answer and "rejected" not in answer and "pledge" not in answer
    dep.get_by_role("button", name="提交", exact=True).click()
    dep.wait_for_url("**/admission/requests/*/")
    status = dep.locator("#request-status").inner_text()
    assert status == "筛查未通过"
    text = dep.locator("main").inner_text()
    assert "（二）要求签订责任状（责任书、承诺书）" in text and "（二）将村级组织作为责任主体" in text
    assert "pledge" not in text and "responsible_body" not in text

    # 2. An assist-catalog request goes to the county.
    fill_request(dep, base, ASSIST_TITLE, ASSIST_CONTENT)
    dep.get_by_label("部门提供的工作条件（经费、培训、设备）").fill("业务培训和工作经费")
    dep.get_by_role("button", name="提交", exact=True).click()
    dep.wait_for_url("**/admission/requests/*/")
    assert dep.locator("#request-status").inner_text() == "待县级审查"
    assert "A01" in dep.locator("main").inner_text()
    request_url = dep.url

    # 3. The county reviewer approves it with 统一部署 and a triage category.
    rev = page_for("county_reviewer")
    rev.goto(f"{base}/admission/review/")
    rev.get_by_role("link", name=ASSIST_TITLE).click()
    rev.get_by_label("准入并统一部署").check()
    rev.get_by_label("分流类别（（三））").select_option("assist")
    rev.get_by_label("统一部署文号或说明").fill("富办通〔2027〕12号")
    rev.get_by_role("button", name="保存决定").click()
    assert rev.locator("#request-status").inner_text() == "已准入（统一部署）"

    # 4. The clerk of the target village sees it on the workbench and marks it done.
    clerk = page_for("village_clerk")
    clerk.goto(f"{base}/accounts/workbench/")
    assert ASSIST_TITLE in clerk.locator("main").inner_text()
    clerk.get_by_role("link", name="派来的工作").first.click()
    clerk.get_by_role("link", name=ASSIST_TITLE, exact=True).click()
    clerk.get_by_label("说明").fill("已完成 12 户入户调查")
    clerk.get_by_role("button", name="办结").click()
    assert clerk.locator("#assignment-status").inner_text() == "已完成"

    # 5. The clerk of another village sees nothing of it, even with its address.
    other = page_for("village_clerk2")
    other.goto(f"{base}/accounts/workbench/")
    assert ASSIST_TITLE not in other.locator("main").inner_text()
    other.goto(f"{base}/admission/village/")
    assert ASSIST_TITLE not in other.locator("main").inner_text()
    response = other.goto(clerk.url)
    assert response is not None and response.status == 404
    response = other.goto(request_url)
    assert response is not None and response.status == 404


def test_clause_1_county_publishes_a_departments_remit_and_the_reviewer_sees_it_on_a_phone(page_for: Any) -> None:
    from cunwu.accounts.models import User

    from .factories import make_request

    make_request(User.objects.get(username="department_officer"))  # 低保入户调查: matches A01
    base = page_for.base_url
    admin = page_for("county_admin", phone=True)
    admin.goto(f"{base}/admission/remits/")
    admin.locator("section.card", has_text="富民县民政局").get_by_role("link").click()
    admin.get_by_label("乡村振兴职责范围").fill("负责农村低保、特困供养等社会救助的审核确认。")
    admin.get_by_label("本部门自行承担的工作").fill("审核确认、资金发放。")
    admin.get_by_label("请村（社区）协助的工作").fill("协助高龄独居老人探访关爱。")
    admin.get_by_role("button", name="保存并公开").click()
    assert "请选择请村协助所依的目录事项" in admin.locator("main").inner_text()
    assert admin.get_by_label("请村（社区）协助的工作").input_value() == "协助高龄独居老人探访关爱。"
    admin.get_by_label("A10 协助做好老年人关爱服务").check()
    admin.get_by_role("button", name="保存并公开").click()
    admin.wait_for_url("**/admission/remits/?county=*")
    assert admin.evaluate("document.documentElement.scrollWidth") <= 375

    reviewer = page_for("county_reviewer", phone=True)
    reviewer.goto(f"{base}/admission/review/")
    text = reviewer.locator("main").inner_text()
    assert "需核对" in text and "不在该部门公布的请村协助事项（A10）之内" in text
    assert reviewer.evaluate("document.documentElement.scrollWidth") <= 375


def test_the_screening_answer_arrives_by_its_button_and_takes_focus_on_a_phone(page_for: Any) -> None:
    """先筛查一下 answers right under the button, not after the long list of villages, and the
    answer takes focus so a screen reader and the eye both land on it (issue 16)."""
    base = page_for.base_url
    dep = page_for("department_officer", phone=True)
    fill_request(dep, base, "关于签订安全生产目标责任书的通知", "要求各村签订2027年度安全生产目标责任书")
    button = dep.get_by_role("button", name="先筛查一下")
    button.click()
    answer = dep.locator("#screening-result")
    answer.wait_for()
    dep.wait_for_function("document.activeElement && document.activeElement.id === 'screening-result'")
    box = answer.bounding_box()
    assert box is not None and 0 <= box["y"] < 812  # in view on a 375 × 812 screen
    # Directly under the button: nothing (no village list) between them.
    between = dep.evaluate(
        """() => {
          const b = [...document.querySelectorAll('button')].find(x => x.textContent.includes('先筛查一下'));
          const a = document.getElementById('screening-result');
          return a.getBoundingClientRect().top - b.getBoundingClientRect().bottom;
        }"""
    )
    assert 0 <= between < 200
    assert "不予通过" in answer.inner_text()
