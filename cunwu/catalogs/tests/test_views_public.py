"""Public pages (no login): disclosure by region, item history, changes, exports, 我要开证明."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from cunwu.accounts.navigation import public_nav
from cunwu.catalogs import kinds

from .helpers import FUMIN, VILLAGE, make_revision, retained_row

TEXT = "派出所让我到村里开个亲属关系证明"


def test_triage_is_the_first_public_entry(db):
    labels = [label for label, _ in public_nav()]
    assert labels[0] == "我要开证明" and "清单公开" in labels


@pytest.mark.parametrize(
    "url",
    [
        "/gongkai/530000000000/",
        f"/gongkai/{VILLAGE}/",
        f"/gongkai/{VILLAGE}/cert_forbidden/",
        f"/gongkai/{VILLAGE}/sign/S01/",
        f"/gongkai/{VILLAGE}/duty/bianhua/",
        f"/gongkai/{VILLAGE}/tiaozheng/",
        "/kaizhengming/",
        f"/kaizhengming/{VILLAGE}/",
    ],
)
def test_public_pages_need_no_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "目录" in response.content.decode()


def test_index_goes_to_the_province(client, db):
    assert client.get("/gongkai/")["Location"] == "/gongkai/530000000000/"


def test_region_page_lists_five_catalogs_and_sub_regions(client, township):
    body = client.get(f"/gongkai/{township.code}/").content.decode()
    for label in kinds.KIND_LABELS.values():
        assert label in body
    assert "大箐" in body and f"/gongkai/{VILLAGE}/" in body and "选择下级村（社区）" in body


def test_kind_page_shows_basis_source_and_local_refinements(client, db, django_assert_max_num_queries):
    make_revision(rows=[retained_row(name="居住证明（富民县表述）")], effective=date(2024, 3, 1))
    with django_assert_max_num_queries(12):
        response = client.get(f"/gongkai/{VILLAGE}/cert_retained/")
    body = response.content.decode()
    assert "居住证明（富民县表述）" in body and "富民县细化" in body
    assert "设定依据" in body and "来源" in body and "广东肇庆保留事项" in body
    assert "居住证明（富民县表述）" not in client.get("/gongkai/530125000000/cert_retained/").content.decode()


def test_search_and_past_dates(client, db):
    body = client.get(f"/gongkai/{VILLAGE}/cert_forbidden/", {"q": "单身"}).content.decode()
    assert "婚姻状况证明" in body and "健在证明" not in body
    body = client.get(f"/gongkai/{VILLAGE}/cert_forbidden/", {"at": "2022-06-01"}).content.decode()
    assert "该日期没有施行的事项" in body


def test_item_page_shows_history(client, db):
    make_revision(rows=[retained_row(name="富民表述")], effective=date(2024, 3, 1), document="富政办〔2024〕3号")
    body = client.get(f"/gongkai/{VILLAGE}/cert_retained/R05/").content.decode()
    assert "调整历史" in body and "富政办〔2024〕3号" in body and "现行" in body and "云南省" in body
    assert "我要开证明" in body


def test_changes_page_side_by_side(client, db):
    make_revision(
        rows=[retained_row(name="富民表述"), {"code": "R04", "op": "取消", "basis": "县规定"}],
        effective=date(2024, 3, 1),
    )
    body = client.get(
        f"/gongkai/{VILLAGE}/cert_retained/bianhua/", {"before": "2024-01-01", "after": "2024-03-01"}
    ).content.decode()
    assert "修改" in body and "富民表述" in body and "居（租）住证明" in body and "学生参加活动情况反馈证明" in body
    response = client.get(f"/gongkai/{VILLAGE}/cert_retained/bianhua/", {"before": "2024-02-30"})
    assert response.status_code == 422 and "不存在" in response.content.decode()


def test_revisions_and_revision_pages(client, county_admin):
    revision = make_revision(rows=[retained_row(name="富民表述")], document="富政办〔2024〕4号")
    body = client.get(f"/gongkai/{VILLAGE}/tiaozheng/").content.decode()
    assert "富政办〔2024〕4号" in body and "示例目录" in body
    body = client.get(f"/gongkai/tiaozheng/{revision.pk}/").content.decode()
    assert "细化" in body and "富民表述" in body
    draft = make_revision(rows=[retained_row(name="草稿")], actor=county_admin, approve=False, document="草稿号")
    assert client.get(f"/gongkai/tiaozheng/{draft.pk}/").status_code == 404
    assert "草稿号" not in client.get(f"/gongkai/{VILLAGE}/tiaozheng/").content.decode()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/gongkai/123/", 422),
        ("/gongkai/530124999999/", 404),
        (f"/gongkai/{VILLAGE}/certs/", 404),
        (f"/gongkai/{VILLAGE}/duty/?at=2020-02-30", 422),
        (f"/gongkai/{VILLAGE}/duty/ZZ/", 404),
        ("/kaizhengming/530124999999/", 404),
    ],
)
def test_bad_addresses_answer_in_chinese(client, db, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.content.decode())


@pytest.mark.parametrize(("fmt", "mime"), [("xlsx", "spreadsheetml"), ("csv", "text/csv"), ("pdf", "application/pdf")])
def test_exports(client, db, fmt, mime):
    response = client.get(f"/gongkai/{FUMIN}/sign/export.{fmt}", {"at": "2024-01-01"})
    assert response.status_code == 200 and mime in response["Content-Type"]
    assert f"{FUMIN}-sign-2024-01-01.{fmt}" in response["Content-Disposition"]


def test_triage_answers_forbidden_with_what_to_do(client, db):
    response = client.post(f"/kaizhengming/{VILLAGE}/", {"text": TEXT})
    body = response.content.decode()
    assert response.status_code == 200
    assert "村（社区）不应开这个证明" in body and "公安机关户籍管理部门" in body
    assert "罗免镇党委和政府" in body and "（十三）" in body and "打印告知单" in body


def test_triage_answers_retained_and_unlisted(client, db):
    body = client.get("/kaizhengming/", {"text": "居住证明"}).content.decode()
    assert (
        "村（社区）可以开这个证明" in body
        and "请带上" in body
        and "租赁合同或房屋权属材料" in body
        and "公安机关或相关办事单位" in body
    )
    body = client.post("/kaizhengming/", {"text": "开一个会游泳的证明"}).content.decode()
    assert "目录里没有这个证明" in body and "能够核实" in body


def test_triage_errors_keep_the_page(client, db):
    response = client.post("/kaizhengming/", {"text": ""})
    assert response.status_code == 422 and "请写一写要开什么证明" in response.content.decode()
    response = client.post("/kaizhengming/", {"text": "证" * 2001})
    assert response.status_code == 422 and "2000" in response.content.decode()


def test_triage_htmx_fragment(client, db):
    response = client.post("/kaizhengming/", {"text": TEXT}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<div id="triage-result"') and "<html" not in body
    response = client.post("/kaizhengming/", {"text": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "请写一写" in response.content.decode()


def test_triage_notice_pdf(client, db):
    from pypdf import PdfReader

    response = client.post(reverse("catalogs_public:triage_notice"), {"text": TEXT, "region": VILLAGE})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "证明事项办理告知单" in text and "不应出具" in text and "大箐" in text
    assert client.post(reverse("catalogs_public:triage_notice"), {"text": ""}).status_code == 422
    assert client.get(reverse("catalogs_public:triage_notice")).status_code == 405


def test_triage_page_is_rate_limited(client, db, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 1}
    assert client.post("/kaizhengming/", {"text": "健在证明"}).status_code == 200
    assert client.post("/kaizhengming/", {"text": "健在证明"}).status_code == 429
