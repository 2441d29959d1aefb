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
    assert "rejected" in dep.locator("#screening-result").inner_text()
    dep.get_by_role("button", name="提交", exact=True).click()
    dep.wait_for_url("**/admission/requests/*/")
    status = dep.locator("#request-status").inner_text()
    assert status == "筛查未通过"
    text = dep.locator("main").inner_text()
    assert "（二）pledge" in text and "（二）responsible_body" in text

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
