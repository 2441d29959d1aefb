"""The main journey at phone width: a clerk's 9 plates, findings, a county campaign, removals with photos."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from .conftest import make_jpeg
from .inventories import CASES

JOURNEY = CASES[0]
VILLAGE = "530124103200"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clerk_inventory_campaign_and_progress_at_phone_width(page_for):
    from cunwu.regions.models import Region
    from cunwu.signs.demo import short_name

    base = page_for.base_url
    village = Region.objects.get(code=VILLAGE)
    township = village.parent
    names = {"v": short_name(village.name), "county": township.parent.name, "township": township.name}
    today = timezone.localdate()

    # The clerk enters the village's 9 plates, one form each, on a phone.
    clerk = page_for("village_clerk", phone=True)
    clerk.goto(f"{base}/signs/")
    clerk.wait_for_url(f"**/signs/village/{VILLAGE}/")
    clerk.get_by_role("link", name="登记牌子").click()
    for i, (name, placement) in enumerate(JOURNEY.plates):
        clerk.get_by_label("牌子名称（按牌子上实际书写的文字）").fill(name.format(**names))
        clerk.get_by_label("悬挂位置").select_option(placement)
        last = i == len(JOURNEY.plates) - 1
        clerk.get_by_role("button", name="保存" if last else "保存并继续登记", exact=True).click()
        clerk.wait_for_url(f"**/signs/village/{VILLAGE}/*" if last else f"**/signs/village/{VILLAGE}/signs/new/")
    body = clerk.locator("main")
    assert "发现 3 个问题" in body.inner_text()
    findings = clerk.locator("ol.findings li").all_inner_texts()
    assert len(findings) == 3
    assert any("（十）" in f and "村务监督委员会" in f for f in findings)
    assert sum("（九）" in f and "不在村级组织保留挂牌指导目录内" in f for f in findings) == 2
    assert no_sideways_scroll(clerk)

    # The county opens a clean-up campaign.
    county = page_for("county_admin")
    county.goto(f"{base}/signs/campaigns/new/")
    county.get_by_label("行动名称").fill("2027年村级组织挂牌清理规范")
    county.get_by_label("完成期限").fill((today + timedelta(days=30)).isoformat())
    county.get_by_role("button", name="发起").click()
    county.wait_for_url("**/signs/campaigns/*/")
    assert "各乡镇（街道）进度" in county.locator("main").inner_text()

    # The clerk records the two removals with photos and moves the misplaced plate.
    clerk.goto(f"{base}/signs/village/{VILLAGE}/")
    assert "3</strong> 项整改任务未完成" in clerk.content()
    photo = {"name": "removed.jpg", "mimeType": "image/jpeg", "buffer": make_jpeg(size=(1200, 900))}
    for _ in range(2):
        clerk.get_by_role("link", name="登记摘除").first.click()
        clerk.wait_for_url("**/signs/tasks/*/")
        clerk.get_by_label("完成日期").fill(today.isoformat())
        clerk.get_by_label("现场照片").set_input_files(photo)
        clerk.get_by_role("button", name="登记完成").click()
        clerk.wait_for_url(f"**/signs/village/{VILLAGE}/*")
    clerk.get_by_role("link", name="登记调整位置").click()
    clerk.get_by_label("完成日期").fill(today.isoformat())
    clerk.get_by_label("调整后的悬挂位置").select_option("gate")
    clerk.get_by_role("button", name="登记完成").click()
    clerk.wait_for_url(f"**/signs/village/{VILLAGE}/*")
    text = clerk.locator("main").inner_text()
    assert "均符合" in text and "本村整改任务已全部完成" in text
    assert "已摘除的牌子" in text
    assert no_sideways_scroll(clerk)
    clerk.get_by_role("link", name="查看").last.click()  # the removal photo is served to the village itself
    assert clerk.evaluate("document.contentType") == "image/jpeg"

    # The township and the county see the progress.
    town = page_for("township_officer", phone=True)
    town.goto(f"{base}/signs/campaigns/")
    town.get_by_role("link", name="2027年村级组织挂牌清理规范").click()
    row = town.locator("#progress tr", has_text=village.name)
    cells = row.locator("td").all_inner_texts()
    assert cells[1:] == ["9", "7", "2", "0", "3", "0", "100%"], cells
    assert no_sideways_scroll(town)
    county.reload()
    summary = county.locator("#progress-summary").inner_text()
    assert "行动前 9 块，已摘除 2 块" in summary
    township_row = county.locator("#progress tr", has_text=township.name).locator("td").all_inner_texts()
    assert township_row[-1] == "100%" and township_row[3:6] == ["9", "7", "2"]
