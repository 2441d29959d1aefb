"""The done-when journey in a real browser: two departments register overlapping forms (one uploaded with
two-level headers and 万元, the other typed in 元), the county merges and publishes, a village files at 375 px,
the township accepts, the department's export carries the village's values, and the burden numbers drop."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cunwu.reporting.models import Plan, Window

from .sheets import Col, FormSpec, Group, form_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CIVIL = FormSpec(
    "县民政局",
    "农村低保对象统计表",
    [
        Col("序号", role="serial"),
        Col("乡镇", role="key"),
        Col("村委会", role="key"),
        Group("农村低保", (Col("户数（户）"), Col("保障金（万元）"))),
        Col("填报人", role="signature"),
    ],
)


def _register(page: Any, base: str, year: int, title: str, frequency: str, *, upload: bool) -> None:
    page.goto(f"{base}/reporting/requests/new/")
    page.get_by_label("年度").fill(str(year))
    page.get_by_label("表名").fill(title)
    page.get_by_label("数据用途").fill("掌握低保情况")
    page.get_by_label("依据（法律法规或政策文件）").fill("《社会救助暂行办法》")
    page.get_by_label("填报频次").select_option(frequency)
    if upload:
        page.locator("input[name=file]").set_input_files(
            files=[{"name": CIVIL.filename, "mimeType": "application/octet-stream", "buffer": form_bytes(CIVIL)}]
        )
    else:
        page.locator("textarea[name=lines]").fill("低保户数（户）\n低保资金（元）")
    page.get_by_role("button", name="识别并比对").click()
    page.wait_for_selector("#proposals")


def test_forms_journey(page_for: Any) -> None:
    base = page_for.base_url
    year = timezone.localdate().year
    civil = page_for("department_officer")
    _register(civil, base, year, CIVIL.title, "monthly", upload=True)
    assert "农村低保户数" in civil.locator("#proposals").inner_text()
    civil.get_by_role("button", name="登记").click()
    civil.wait_for_url(re.compile(r"/reporting/requests/\d+/$"))
    civil_url = civil.url

    police = page_for("department_officer2")
    _register(police, base, year, "村情年报", "yearly", upload=False)
    assert "已由富民县民政局按月采集 — 直接复用" in police.locator("#proposals").inner_text()
    police.get_by_role("button", name="登记").click()
    police.wait_for_url(re.compile(r"/reporting/requests/\d+/$"))

    county = page_for("county_reviewer")
    county.goto(f"{base}/reporting/counties/530124000000/{year}/")
    while county.locator("form.merge").count():
        county.locator("form.merge").first.get_by_role("button", name="合并，只填一次").click()
        county.wait_for_load_state()
    for _ in range(2):
        county.get_by_role("button", name="纳入计划").first.click()
        county.wait_for_load_state()
    county.get_by_role("button", name="生成并发布年度计划").click()
    county.wait_for_selector("text=已于")
    burden = county.locator("#burden").inner_text()
    assert "部门提出 2 张表" in burden

    plan = Plan.objects.get(county_id="530124000000", year=year)
    period = f"{year}-01"
    today = timezone.localdate()
    Window.objects.filter(plan=plan, period=period).update(
        opens=today - timedelta(days=1), closes=today + timedelta(days=3)
    )

    village = page_for("village_clerk", phone=True)
    village.goto(f"{base}/reporting/villages/530124103200/{period}/")
    assert village.evaluate("document.documentElement.scrollWidth") <= 380
    village.get_by_label("农村低保户数（户）").fill("12")
    village.get_by_label(re.compile("保障金")).fill("3.5")
    village.get_by_role("button", name="提交乡镇审核").click()
    village.wait_for_selector("#status")
    assert village.locator("#status").inner_text() == "已提交"

    township = page_for("township_officer")
    township.goto(f"{base}/reporting/villages/530124103200/{period}/")
    township.get_by_role("button", name="审核通过").click()
    township.wait_for_selector("#status")
    assert township.locator("#status").inner_text() == "已通过"

    civil.goto(f"{civil_url}?period={period}")
    with civil.expect_download() as download:
        civil.locator("#export").click()
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    assert sheet["D2"].value == "农村低保" and sheet["E3"].value == "保障金（万元）"
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] and "村" in str(r[2]) and r[3] == 12)
    assert float(row[4]) == 3.5
