"""找村 in a real browser at 375 px: found by pinyin initials from the portal home, remembered locally."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VILLAGE = "530124103200"


def test_village_found_by_initials_and_remembered_on_this_phone(page_for: Any) -> None:
    base = page_for.base_url
    page = page_for(None, phone=True)
    page.goto(f"{base}/")
    assert page.locator("#last-place").is_hidden()
    page.get_by_label("村（社区）或乡镇的名称、拼音或首字母").fill("dqc")
    page.get_by_role("button", name="查找").first.click()
    page.wait_for_url("**/zhaocun/?q=dqc")
    link = page.locator(f'h3 a[data-place-code="{VILLAGE}"]')
    name = link.inner_text()
    card = page.locator("li.card", has=link)
    assert f"云南省 › 昆明市 › 富民县 › 罗免镇 › {name}" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    link.click()
    page.wait_for_url(f"**/gongkai/{VILLAGE}/")

    # Back on the portal home, the same phone offers the village again (localStorage, not the server).
    page.goto(f"{base}/")
    last = page.locator("#last-place")
    assert last.is_visible() and "罗免镇 › " + name in last.inner_text()
    last.get_by_role("link").click()
    page.wait_for_url(f"**/gongkai/{VILLAGE}/")
