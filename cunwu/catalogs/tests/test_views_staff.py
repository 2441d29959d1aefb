"""Staff pages: who may see, import, approve and edit; per-row import errors; one-item drafts; workbench."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cunwu.accounts.navigation import work_items_for
from cunwu.catalogs.models import Revision, RevisionStatus

from .helpers import FUMIN, RETAINED_HEADERS, VILLAGE, make_revision, retained_row, xlsx

GOOD = ["R05", "居住证明（富民县）", "", "《居住证暂行条例》", "", "派出所", "身份证明", ""]
PAGES = [
    "/catalogs/",
    "/catalogs/revisions/",
    "/catalogs/compare/",
    "/catalogs/export/",
    "/catalogs/templates/duty.xlsx",
    "/catalogs/items/cert_retained/R05/",
]


@pytest.mark.parametrize("url", [*PAGES, "/catalogs/import/", "/catalogs/items/cert_retained/R05/refine/"])
def test_anonymous_is_sent_to_login(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_read_only_staff_can_read(client_for, clerk, url):
    assert client_for(clerk).get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/catalogs/import/",
        "/catalogs/items/cert_retained/R05/refine/",
        "/catalogs/items/cert_retained/R05/withdraw/",
        "/catalogs/items/duty/new/",
    ],
)
def test_editing_pages_need_catalog_edit(client_for, clerk, reviewer, county_admin, url):
    assert client_for(clerk).get(url).status_code == 403
    assert client_for(reviewer).get(url).status_code == 403
    assert client_for(county_admin).get(url).status_code == 200


def test_draft_pages_are_hidden_outside_the_level(client_for, clerk, county_admin, prefecture_admin):
    draft = make_revision(rows=[retained_row(name="草稿")], actor=county_admin, approve=False, document="草稿号")
    url = f"/catalogs/revisions/{draft.pk}/"
    assert client_for(clerk).get(url).status_code == 404
    assert client_for(clerk).post(url + "approve/").status_code == 404
    assert "草稿号" not in client_for(clerk).get("/catalogs/revisions/").content.decode()
    own = client_for(county_admin).get(url).content.decode()
    assert "您是本修订的起草人" in own and "批准并公开" not in own
    assert "批准并公开" in client_for(prefecture_admin).get(url).content.decode()


def test_approve_and_discard_from_the_page(client_for, county_admin, prefecture_admin, reviewer):
    draft = make_revision(rows=[retained_row(name="富民表述")], actor=county_admin, approve=False)
    response = client_for(county_admin).post(f"/catalogs/revisions/{draft.pk}/approve/", follow=True)
    assert "起草人不能批准自己起草的修订" in response.content.decode()
    assert Revision.objects.get(pk=draft.pk).status == RevisionStatus.DRAFT
    response = client_for(prefecture_admin).post(f"/catalogs/revisions/{draft.pk}/approve/", follow=True)
    assert "已批准" in response.content.decode()
    assert Revision.objects.get(pk=draft.pk).status == RevisionStatus.APPROVED
    other = make_revision(rows=[retained_row(name="另一个")], actor=county_admin, approve=False)
    assert client_for(reviewer).post(f"/catalogs/revisions/{other.pk}/discard/").status_code == 404
    client_for(county_admin).post(f"/catalogs/revisions/{other.pk}/discard/", {"reason": "作废"})
    assert Revision.objects.get(pk=other.pk).status == RevisionStatus.DISCARDED
    # GET is the confirmation page; the revision is approved already, so it says so and offers no button.
    confirm = client_for(prefecture_admin).get(f"/catalogs/revisions/{draft.pk}/approve/").content.decode()
    assert "不能再批准" in confirm and "确认批准并公开" not in confirm


def test_approving_asks_for_confirmation_first(client_for, county_admin, prefecture_admin):
    draft = make_revision(rows=[retained_row(name="富民表述")], actor=county_admin, approve=False)
    assert "/approve/" in client_for(prefecture_admin).get(f"/catalogs/revisions/{draft.pk}/").content.decode()
    page = client_for(prefecture_admin).get(f"/catalogs/revisions/{draft.pk}/approve/").content.decode()
    assert "批准后会怎样" in page and "不能撤回" in page and "确认批准并公开" in page
    assert Revision.objects.get(pk=draft.pk).status == RevisionStatus.DRAFT
    own = client_for(county_admin).get(f"/catalogs/revisions/{draft.pk}/approve/").content.decode()
    assert "您是本修订的起草人" in own and "确认批准并公开" not in own


def import_form(data, **extra):
    return {
        "region": FUMIN,
        "kind": "cert_retained",
        "change": "改",
        "document": "富政办〔2024〕9号",
        "effective": "2024-03-01",
        "file": SimpleUploadedFile("富民县保留证明.xlsx", data),
        **extra,
    }


def test_import_lists_every_row_problem_and_keeps_the_form(client_for, county_admin):
    bad = xlsx(
        [
            RETAINED_HEADERS,
            GOOD,
            ["R06", "权属来源证明", "", "", "", "不动产", "", ""],
            ["R05", "重复", "", "依据", "", "x", "", ""],
        ]
    )
    response = client_for(county_admin).post("/catalogs/import/", import_form(bad))
    body = response.content.decode()
    assert response.status_code == 422
    assert re.findall(r'class="cw-row-no">第 (\d+) 行', body) == ["3", "4"]
    assert "未导入任何内容" in body and 'value="富政办〔2024〕9号"' in body
    assert not Revision.objects.filter(document="富政办〔2024〕9号").exists()


def test_import_creates_a_draft_then_a_second_time_nothing(client_for, county_admin):
    client = client_for(county_admin)
    response = client.post("/catalogs/import/", import_form(xlsx([RETAINED_HEADERS, GOOD])))
    revision = Revision.objects.get(document="富政办〔2024〕9号")
    assert response["Location"] == f"/catalogs/revisions/{revision.pk}/"
    assert revision.status == RevisionStatus.DRAFT and revision.source_name == "富民县保留证明.xlsx"
    response = client.post("/catalogs/import/", import_form(xlsx([RETAINED_HEADERS, GOOD])), follow=True)
    assert "未重复生成" in response.content.decode()
    assert Revision.objects.filter(document="富政办〔2024〕9号").count() == 1


def test_import_form_errors(client_for, county_admin):
    response = client_for(county_admin).post("/catalogs/import/", import_form(b"", document="", effective="2024/13/01"))
    body = response.content.decode()
    assert response.status_code == 422 and "请填写引起本次调整的文件文号" in body and "YYYY-MM-DD" in body
    response = client_for(county_admin).post(
        "/catalogs/import/", import_form(xlsx([RETAINED_HEADERS, GOOD]), region="530125000000")
    )
    assert response.status_code == 422 and "不在您的编辑范围内" in response.content.decode()


def test_refine_one_item(client_for, county_admin):
    client = client_for(county_admin)
    page = client.get(f"/catalogs/items/cert_retained/R05/refine/?region={FUMIN}").content.decode()
    assert 'value="居（租）住证明"' in page
    form = {
        "region": FUMIN,
        "change": "改",
        "document": "富政办〔2024〕10号",
        "effective": "2024-03-01",
        "code": "R05",
        "name": "居住证明（富民）",
        "aliases": "居住证明",
        "basis": "《居住证暂行条例》",
        "requesting_agency": "派出所",
        "materials": "身份证明",
        "guide": "",
        "source": "",
        "reason": "本地表述",
    }
    response = client.post("/catalogs/items/cert_retained/R05/refine/", form)
    revision = Revision.objects.get(document="富政办〔2024〕10号")
    assert response["Location"] == f"/catalogs/revisions/{revision.pk}/"
    statement = revision.statements.get()
    assert (
        statement.name == "居住证明（富民）"
        and statement.reason == "本地表述"
        and statement.fields["materials"] == ["身份证明"]
    )
    response = client.post("/catalogs/items/cert_retained/R05/refine/", {**form, "basis": ""})
    assert response.status_code == 422 and "设定依据" in response.content.decode()


def test_withdraw_one_item_needs_a_basis(client_for, county_admin):
    client = client_for(county_admin)
    form = {
        "region": FUMIN,
        "change": "废",
        "document": "富政办〔2024〕11号",
        "effective": "2024-03-01",
        "basis": "",
        "reason": "",
    }
    response = client.post("/catalogs/items/cert_retained/R04/withdraw/", form)
    assert response.status_code == 422 and "取消事项也须写明依据" in response.content.decode()
    client.post("/catalogs/items/cert_retained/R04/withdraw/", {**form, "basis": "县规定"})
    statement = Revision.objects.get(document="富政办〔2024〕11号").statements.get()
    assert statement.op == "withdraw" and statement.code == "R04"


def test_item_history_page_shows_drafts_to_editors(client_for, county_admin, clerk):
    make_revision(rows=[retained_row(name="草稿表述")], actor=county_admin, approve=False, document="草稿号")
    assert (
        "草稿号"
        in client_for(county_admin).get(f"/catalogs/items/cert_retained/R05/?region={VILLAGE}").content.decode()
    )
    assert (
        "草稿号" not in client_for(clerk).get(f"/catalogs/items/cert_retained/R05/?region={VILLAGE}").content.decode()
    )
    assert client_for(clerk).get("/catalogs/items/cert_retained/ZZ/").status_code == 404


def test_compare_and_export_forward_to_the_public_pages(client_for, clerk):
    client = client_for(clerk)
    response = client.get("/catalogs/compare/", {"kind": "duty", "region": VILLAGE, "before": "2023-01-01"})
    assert response["Location"] == f"/gongkai/{VILLAGE}/duty/bianhua/?before=2023-01-01"
    response = client.get("/catalogs/export/", {"kind": "duty", "region": VILLAGE, "format": "csv", "at": "2024-01-01"})
    assert response["Location"] == f"/gongkai/{VILLAGE}/duty/export.csv?at=2024-01-01"
    assert client.get("/catalogs/export/", {"kind": "duty", "region": "1"}).status_code == 422


def test_revisions_list_queries_are_bounded(client_for, county_admin, django_assert_max_num_queries):
    for n in range(5):
        make_revision(
            rows=[retained_row(name=f"表述{n}")],
            actor=county_admin,
            approve=False,
            document=f"号{n}",
            effective=date(2024, 3, n + 1),
        )
    client = client_for(county_admin)
    client.get("/catalogs/revisions/")
    with django_assert_max_num_queries(12):
        assert client.get("/catalogs/revisions/").status_code == 200


def test_workbench_cards(county_admin, prefecture_admin, clerk):
    make_revision(rows=[retained_row(name="草稿")], actor=county_admin, approve=False)
    titles = {w.title: w.count for w in work_items_for(prefecture_admin)}
    assert titles.get("待批准的目录修订") == 1
    assert {w.title: w.count for w in work_items_for(county_admin)}.get("我起草的修订（待他人批准）") == 1
    assert "待批准的目录修订" not in {w.title for w in work_items_for(clerk)}


def test_editors_go_from_the_public_item_to_their_level(client_for, county_admin, clerk):
    url = f"/gongkai/{VILLAGE}/cert_retained/R05/"
    assert "目录管理" in client_for(county_admin).get(url).content.decode()
    assert "目录管理" not in client_for(clerk).get(url).content.decode()
    body = client_for(county_admin).get(f"/catalogs/items/cert_retained/R05/?region={VILLAGE}").content.decode()
    assert f"refine/?region={FUMIN}" in body and "在富民县细化或修改此事项" in body
