"""The done-when journey at 375 px: triage → report anonymously with a photo → county handles →
the villager reads the outcome → the admin publishes a typical case (portal and feed); and a document review."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cunwu.signs.tests.conftest import make_jpeg

from .test_services import SAMPLE_REGULATION

VILLAGE = "530124103200"


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_handle_track_and_publish_at_phone_width(page_for, tmp_path: Path, settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    base = page_for.base_url
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(make_jpeg(size=(1200, 900)))

    # A villager asks whether the village must issue a kinship certificate, then follows "report".
    villager = page_for(None, phone=True)
    villager.goto(f"{base}/kaizhengming/{VILLAGE}/")
    villager.get_by_label("要开什么证明？").fill("亲属关系证明")
    villager.get_by_role("button", name="查一查").click()
    villager.get_by_role("link", name="对方仍坚持索要？在本平台举报").click()
    villager.wait_for_url("**/jubao/?**")
    assert villager.get_by_label("反映什么问题").input_value() == "forbidden_certificate"
    assert villager.get_by_label("涉及的地方（区划代码）").input_value() == VILLAGE
    assert "F01" in villager.content()
    villager.get_by_label("涉及的部门、单位或事项").fill("某商业银行富民支行")
    villager.get_by_label("具体情况").fill("银行坚持要村里开亲属关系证明，否则不给办理业务。")
    villager.get_by_label("照片（可选，最多 5 张）").set_input_files(str(photo))
    assert villager.get_by_label("匿名举报").is_checked()
    assert no_sideways_scroll(villager)
    villager.get_by_role("button", name="提交举报").click()
    villager.wait_for_url("**/jubao/huizhi/")
    code = villager.locator("#tracking-code").inner_text().strip()
    assert code.startswith("JB-") and len(code) == 15
    expect(villager.get_by_role("img", name="查询办理进度的二维码")).to_be_visible()
    assert no_sideways_scroll(villager)

    # The village clerk never sees it; the county reviewer finds it in the queue and handles it.
    clerk = page_for("village_clerk", phone=True)
    assert clerk.goto(f"{base}/complaints/{code}/").status == 404
    reviewer = page_for("county_reviewer", phone=True)
    reviewer.goto(f"{base}/complaints/")
    reviewer.get_by_role("link", name=code).click()
    shown = reviewer.get_by_role("img", name="举报照片 1")
    shown.scroll_into_view_if_needed()
    # Playwright's own assertions poll without eval (the page's CSP forbids 'unsafe-eval').
    expect(shown).to_have_js_property("complete", True)
    assert shown.evaluate("img => img.naturalWidth") > 0  # the cleaned photo is served to the handler
    reviewer.get_by_role("button", name="受理", exact=True).click()
    reviewer.get_by_label("核查结论").select_option("substantiated")
    reviewer.get_by_label("办理结果（反映人可见）").fill("经核实属实，已协调该支行改为部门核查，不再要求村里开证明。")
    reviewer.get_by_role("button", name="办结", exact=True).click()
    assert reviewer.locator("#complaint-status").inner_text() == "已办结"
    assert no_sideways_scroll(reviewer)

    # The villager reads the outcome by tracking code.
    villager.goto(f"{base}/jubao/chaxun/")
    villager.get_by_label("查询码").fill(code.lower())
    villager.get_by_role("button", name="查询").click()
    assert villager.locator("#complaint-status").inner_text() == "已办结"
    assert "已协调该支行改为部门核查" in villager.locator("#complaint-outcome").inner_text()
    assert villager.locator("#complaint-finding").inner_text() == "反映属实"

    # The county admin publishes it as a typical case: check, confirm, then portal and feed.
    admin = page_for("county_admin", phone=True)
    admin.goto(f"{base}/complaints/{code}/")
    admin.get_by_role("link", name="作为典型案例通报").click()
    admin.get_by_label("标题").fill("某银行要求村里开具亲属关系证明")
    admin.get_by_label("违反条款").select_option("（十二）")
    admin.get_by_label("案情摘要（不得出现个人姓名、身份证号、电话）").fill("某支行要求群众到村里开具亲属关系证明。")
    admin.get_by_label("处理结果").fill("已责令改为部门核查，并在全县通报。")
    admin.get_by_role("button", name="检查并预览").click()
    admin.get_by_role("button", name="确认发布").click()
    admin.wait_for_url("**/tongbao/*/")
    villager.goto(f"{base}/")
    villager.get_by_role("link", name="典型案例通报").first.click()
    expect(villager.get_by_role("link", name="某银行要求村里开具亲属关系证明")).to_be_visible()
    feed = villager.request.get(f"{base}/feeds/typical-cases.atom")
    assert feed.ok and "某银行要求村里开具亲属关系证明" in feed.text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_document_review_lists_breaching_sentences(page_for) -> None:
    base = page_for.base_url
    reviewer = page_for("county_reviewer", phone=True)
    reviewer.goto(f"{base}/complaints/documents/new/")
    reviewer.get_by_label("文件名称").fill("关于加强村级安全生产工作的通知")
    reviewer.get_by_label("制发部门").fill("富民县某局")
    reviewer.get_by_label("或粘贴文件正文").fill(SAMPLE_REGULATION)
    reviewer.get_by_role("button", name="开始审查").click()
    reviewer.wait_for_url("**/complaints/documents/*/")
    page = reviewer.content()
    assert "第 2 句" in page and "签订安全生产目标责任书" in page
    for clause in ("（二）", "（五）", "（六）"):
        assert clause in page
    assert "县局将适时开展业务指导" not in page
    assert no_sideways_scroll(reviewer)
