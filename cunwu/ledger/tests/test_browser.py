"""Main journey in a real browser: a supervisor verifies the village's chain; the public reads the heads."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cunwu.ledger.services import checkpoint_create_all

from .helpers import CHAIN, make_entries


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_verifies_the_chain_and_the_public_sees_its_head(page_for) -> None:
    entries = make_entries(3)
    checkpoint_create_all()

    page = page_for("supervisor", phone=True)
    page.goto(f"{page_for.base_url}/ledger/chains/{CHAIN}/")
    page.get_by_role("link", name="校验这条链").click()
    page.get_by_text("校验通过").wait_for()
    assert "3 条记录" in page.locator("#check").inner_text()
    assert page.url.endswith(f"/ledger/chains/{CHAIN}/")  # htmx swapped the result in place

    public = page_for(None, phone=True)
    public.goto(f"{page_for.base_url}/ledger/")
    public.get_by_label("村（社区）、乡镇、县名称或 12 位区划代码").fill("大箐")
    public.get_by_role("button", name="查询").click()
    public.get_by_text(entries[-1].hash).wait_for()
    public.get_by_text("存证链是什么？有什么用？").click()
    expect(public.get_by_text("任何人都可以保存这些数值")).to_be_visible()
