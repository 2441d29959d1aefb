"""The main journey in a real browser: sign in through the login form, see the workbench, on a phone too."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_clerk_and_reviewer_sign_in_and_see_their_workbenches(page_for):
    clerk = page_for("village_clerk")
    assert clerk.locator("h1").inner_text() == "工作台"
    expect(clerk.get_by_text("村经办人")).to_be_visible()
    expect(clerk.get_by_text("大箐村委会").first).to_be_visible()
    # Wide screen: the menu is a bar, always open.
    expect(
        clerk.get_by_role("navigation", name="主菜单").get_by_role("link", name="工作台", exact=True)
    ).to_be_visible()
    reviewer = page_for("county_reviewer")
    expect(reviewer.get_by_text("县级审查人员")).to_be_visible()
    expect(reviewer.get_by_role("link", name="近7天操作记录")).to_be_visible()


def test_phone_width_menu_and_keyboard(page_for):
    page = page_for("county_admin", phone=True)
    base = page_for.base_url
    for path in ("/accounts/workbench/", "/accounts/users/", "/audit/", "/", "/accounts/users/new/"):
        page.goto(base + path)
        assert page.evaluate("window.innerWidth") == 375
        assert _no_horizontal_overflow(page), path
    page.goto(base + "/accounts/workbench/")
    menu = page.get_by_role("navigation", name="主菜单")
    users_link = menu.get_by_role("link", name="人员账号")
    expect(users_link).to_be_hidden()  # folded behind 菜单 on a phone
    page.get_by_text("菜单", exact=True).click()
    expect(users_link).to_be_visible()
    users_link.click()
    page.wait_for_url("**/accounts/users/")
    assert page.locator("h1").inner_text() == "人员账号"

    # Keyboard: the first Tab reaches the skip link, which moves focus to the content.
    page.goto(base + "/accounts/workbench/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到正文"
    expect(page.get_by_role("link", name="跳到正文")).to_be_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # From the top, Tab reaches the menu toggle; Enter opens it and Tab walks into its links.
    page.goto(base + "/accounts/workbench/")
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "工作台"
    page.keyboard.press("Escape")
    expect(users_link).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_wide_staff_menu_is_grouped_into_drop_downs(page_for):
    """A township officer's twenty-odd entries sit under a handful of headings in one row at 1280 px."""
    page = page_for("township_officer")
    menu = page.get_by_role("navigation", name="主菜单")
    headings = menu.locator("details.menu-group > summary")
    assert headings.count() >= 4
    assert page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height") < 90
    certificates = menu.get_by_role("link", name="证明台账")
    expect(certificates).to_be_hidden()  # shut until its heading is opened
    menu.get_by_text("证明", exact=True).click()
    expect(certificates).to_be_visible()
    menu.get_by_text("印章", exact=True).click()  # one drop-down at a time (shut on the toggle event)
    expect(certificates).to_be_hidden()
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.textContent") == "印章"
    menu.get_by_text("证明", exact=True).click()
    certificates.click()
    page.wait_for_url("**/certificates/register/**")
    # The heading of the page one is on is marked, so the group shows where one is.
    assert "current" in menu.locator("details.menu-group", has_text="证明台账").get_attribute("class")
