"""Done-when journey of issue 15 in a real browser at 1280 px: the province drills down to a village and
follows a figure to its records; an alert raised by seeded data is closed by the owning county with a
note; the county submits its monthly report and the prefecture downloads the xlsx and the PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cunwu.accounts.models import User
from cunwu.oversight import aggregation, services
from cunwu.oversight.models import Alert, ProgressReport
from cunwu.regions.selectors import region_get

from .helpers import COUNTY, TOWNSHIP, VILLAGE, make_offlist, province_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_alert_and_report_journey(page_for: Any) -> None:
    make_offlist(User.objects.get(username="village_clerk"), n=2, department_name="富民县农业农村局")
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))
    services.alerts_raise()
    base = page_for.base_url
    today = timezone.localdate()

    province = page_for("province_admin")
    province.goto(f"{base}/oversight/")
    province.wait_for_url(f"**/oversight/r/{province_code()}/")
    assert province.locator("#children tbody tr").count() == 16
    for name in ("昆明市", "富民县", region_get(TOWNSHIP).name, region_get(VILLAGE).name):
        province.locator("#children").get_by_role("link", name=name, exact=True).click()
        province.wait_for_load_state()
    assert f"/oversight/r/{VILLAGE}/" in province.url
    assert province.locator("#index").inner_text() == "20.0"  # weight 20, reference 1 a month, capped
    province.locator('a[data-figure="admission_offlist"]').click()
    province.wait_for_url(f"**/oversight/r/{VILLAGE}/records/admission_offlist/**")
    assert province.locator("#records-total").inner_text() == "2"
    assert province.locator("#figure-records tbody tr").count() == 2
    assert "富民县农业农村局" in province.locator("#figure-records").inner_text()
    province.locator("#figure-records").get_by_role("link").first.click()
    province.wait_for_url("**/admission/offlist/*/")
    assert "春耕进度表" in province.content()

    county = page_for("county_admin")
    county.goto(f"{base}/accounts/workbench/")
    county.get_by_role("link", name="预警：部门反复清单外摊派").click()
    county.get_by_role("button", name="办结预警").click()
    assert "请填写处理情况" in county.get_by_role("alert").first.inner_text()
    county.get_by_label("处理情况（做了什么）").fill("已约谈县农业农村局，今后一律经准入程序派活。")
    county.get_by_role("button", name="办结预警").click()
    assert county.locator("#alert-status").inner_text() == "已处理"
    assert Alert.objects.get(rule__code="department_offlist").status == "closed"

    county.goto(f"{base}/oversight/reports/new/{COUNTY}/?year={today.year}&month={today.month}")
    county.get_by_label("工作进展说明（可选）").fill("本月清理清单外摊派 2 件。")
    county.get_by_role("button", name="报送上级").click()
    assert county.locator("#report-status").inner_text() == "已报送"
    report = ProgressReport.objects.get(region_code=COUNTY)

    prefecture = page_for("prefecture_admin")
    prefecture.goto(f"{base}/oversight/reports/")
    prefecture.locator("#reports").get_by_role("link", name="富民县").click()
    with prefecture.expect_download() as xlsx:
        prefecture.locator("#download-xlsx").click()
    assert xlsx.value.suggested_filename == f"progress-{COUNTY}-{report.period}.xlsx"
    with prefecture.expect_download() as pdf:
        prefecture.locator("#download-pdf").click()
    with open(pdf.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"

    phone = page_for("province_admin", phone=True)
    phone.goto(f"{base}/oversight/r/{province_code()}/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 380
