"""Main journeys in a real browser: a county refinement from spreadsheet to the public portal on a phone,
and a villager asking 我要开证明 at 375 px."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .helpers import RETAINED_HEADERS, VILLAGE, xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD = [
    "R05",
    "居住证明（富民县表述）",
    "居住证明",
    "《居住证暂行条例》第十条",
    "富政办〔2027〕1号第1项",
    "派出所",
    "身份证明|租房合同",
    "经村民小组核实后出具",
]


def fits_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_county_refinement_reaches_the_villager_the_day_it_takes_effect(page_for):
    base = page_for.base_url
    today = timezone.localdate().isoformat()
    admin = page_for("county_admin")
    admin.goto(f"{base}/catalogs/import/")
    admin.locator("#id_kind").select_option("cert_retained")
    admin.get_by_label("调整类型").select_option("改")
    admin.get_by_label("文号").fill("富政办〔2027〕1号")
    admin.get_by_label("施行日期").fill(today)
    bad = xlsx([RETAINED_HEADERS, GOOD, ["R06", "权属来源证明（富民县）", "", "", "", "不动产登记中心", "", ""]])
    admin.get_by_label("目录表格").set_input_files(files=[{"name": "富民县.xlsx", "mimeType": XLSX, "buffer": bad}])
    admin.get_by_role("button", name="上传并生成草稿").click()
    errors = admin.locator("#import-errors")
    assert "第 3 行" in errors.inner_text() and "设定依据" in errors.inner_text()
    assert admin.get_by_label("文号").input_value() == "富政办〔2027〕1号"
    fixed = xlsx(
        [
            RETAINED_HEADERS,
            GOOD,
            ["R06", "权属来源证明（富民县）", "", "《不动产登记暂行条例实施细则》", "", "不动产登记中心", "", ""],
        ]
    )
    admin.get_by_label("目录表格").set_input_files(files=[{"name": "富民县.xlsx", "mimeType": XLSX, "buffer": fixed}])
    admin.get_by_role("button", name="上传并生成草稿").click()
    admin.wait_for_url("**/catalogs/revisions/*/")
    assert "草稿" in admin.inner_text("main") and "您是本修订的起草人" in admin.inner_text("main")
    revision_url = admin.url

    villager = page_for(None, phone=True)
    villager.goto(f"{base}/gongkai/{VILLAGE}/cert_retained/")
    assert "居住证明（富民县表述）" not in villager.inner_text("main")

    approver = page_for("prefecture_admin")
    approver.goto(revision_url)
    approver.get_by_role("link", name="批准并公开…").click()
    assert "批准后会怎样" in approver.inner_text("main")  # the confirmation step (issue 16)
    approver.get_by_role("button", name="确认批准并公开").click()
    approver.get_by_text("已批准").first.wait_for()
    assert "已批准" in approver.inner_text("main")

    villager.goto(f"{base}/gongkai/{VILLAGE}/cert_retained/")
    card = villager.locator("#item-R05")
    assert "居住证明（富民县表述）" in card.inner_text() and "富民县细化" in card.inner_text()
    assert "富政办〔2027〕1号" in card.inner_text()
    assert fits_phone(villager)
    card.get_by_role("link", name="居住证明（富民县表述）").click()
    assert "调整历史" in villager.inner_text("main") and "现行" in villager.inner_text("main")
    assert fits_phone(villager)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_villager_asks_on_a_phone(page_for):
    base = page_for.base_url
    page = page_for(None, phone=True)
    page.goto(f"{base}/kaizhengming/")
    assert fits_phone(page)
    page.get_by_role("link", name="昆明市").click()
    page.get_by_role("link", name="富民县").click()
    page.get_by_role("link", name="罗免镇").click()
    page.locator("#choose-place").get_by_role("link").filter(has_text="村").first.click()
    assert f"/kaizhengming/{VILLAGE}/" in page.url
    page.get_by_label("要开什么证明？").fill("派出所让我到村里开个亲属关系证明，咋办？")
    page.get_by_role("button", name="查一查").click()
    answer = page.locator("#answer")
    answer.wait_for()
    text = answer.inner_text()
    assert "不应开这个证明" in text and "公安机关户籍管理部门" in text and "罗免镇党委和政府" in text
    assert page.evaluate("document.activeElement.id") == "answer"
    assert fits_phone(page)
    page.get_by_label("要开什么证明？").fill("")
    page.get_by_role("button", name="查一查").click()
    page.get_by_text("请写一写要开什么证明").first.wait_for()

    for path in (
        f"/gongkai/{VILLAGE}/",
        f"/gongkai/{VILLAGE}/cert_forbidden/?q=单身",
        f"/gongkai/{VILLAGE}/sign/bianhua/?before=2022-01-01",
        f"/gongkai/{VILLAGE}/tiaozheng/",
        "/gongkai/530000000000/",
    ):
        page.goto(base + path)
        assert fits_phone(page), path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clause_1_public_item_page_shows_its_guide_on_a_phone(page_for):
    villager = page_for(None, phone=True)
    villager.goto(f"{page_for.base_url}/gongkai/{VILLAGE}/assist/A01/")
    guide = villager.locator("#banshizhinan")
    expect(guide).to_be_visible()
    text = guide.inner_text()
    assert "办事指南" in text and "共 30 个工作日" in text and "部门·县民政局" in text
    assert villager.locator("#banshizhinan ol > li").count() == 4
    assert fits_phone(villager)
    link = guide.get_by_role("link", name="打印办事指南（PDF，一页）")
    response = villager.request.get(page_for.base_url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


def test_missed_phrasing_learnt_as_an_alias_by_two_admins(page_for):
    """A phrasing typed on 我要开证明 that ends unlisted reaches the province queue; one admin adds it
    as an alias, a second approves, and the same phrasing is then answered from the catalog."""
    from cunwu.accounts.demo import demo_password
    from cunwu.accounts.tests.factories import make_user

    other = make_user("province_admin_b", "province_admin", "530000000000")
    other.set_password(demo_password())
    other.save(update_fields=["password"])
    base = page_for.base_url
    missed = "娃儿要去城里念书学校要村里开个屋头穷的条子"
    villager = page_for(None, phone=True)
    villager.goto(f"{base}/kaizhengming/")
    villager.get_by_label("要开什么证明？").fill(missed)
    villager.get_by_role("button", name="查一查").click()
    villager.locator("#answer").wait_for()
    assert "目录里没有这个证明" in villager.inner_text("#answer")

    first = page_for("province_admin")
    first.goto(f"{base}/catalogs/phrasings/")
    row = first.locator("tr", has_text=missed)
    row.get_by_label("补充为哪一事项的别名").select_option("cert_retained:R07")
    row.get_by_role("button", name="补充为别名").click()
    assert "请另一位管理员批准" in first.inner_text("main")
    assert first.locator("tr", has_text=missed).get_by_role("button", name="批准别名").count() == 0

    second = page_for("province_admin_b")
    second.goto(f"{base}/catalogs/phrasings/")
    second.locator("tr", has_text=missed).get_by_role("button", name="批准别名").click()
    assert "即日起可以识别" in second.inner_text("main")

    villager.goto(f"{base}/kaizhengming/")
    villager.get_by_label("要开什么证明？").fill(missed)
    villager.get_by_role("button", name="查一查").click()
    villager.locator("#answer").wait_for()
    answer = villager.inner_text("#answer")
    assert "困难学生家庭情况证明" in answer and "目录里没有这个证明" not in answer
    assert fits_phone(villager)
