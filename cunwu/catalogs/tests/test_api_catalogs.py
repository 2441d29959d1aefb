"""GET /api/v1/catalogs/{kind} and the item, changes and editing endpoints (DESIGN.md §4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cunwu.catalogs import kinds
from cunwu.catalogs.models import Revision, RevisionStatus

from .helpers import FUMIN, OTHER_COUNTY, PROVINCE, RETAINED_HEADERS, VILLAGE, make_revision, retained_row, xlsx

COMMON = ["code", "name", "aliases", "category", "basis", "source", "defined_by", "revision"]
OWN = {
    "duty": ["scope", "department"],
    "assist": ["department", "conditions"],
    "sign": ["placement", "max_count", "style"],
    "cert_retained": ["requesting_agency", "materials", "guide"],
    "cert_forbidden": ["alternative"],
}


@pytest.mark.parametrize("kind", kinds.KINDS)
def test_item_shape_is_exactly_the_contract(api, kind):
    response = api(None).get(f"catalogs/{kind}", {"region": VILLAGE})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["kind", "region", "at", "items"]
    assert body["kind"] == kind and body["region"] == VILLAGE and body["at"] == timezone.localdate().isoformat()
    for item in body["items"]:
        assert sorted(item) == sorted(COMMON + OWN[kind])
        assert isinstance(item["aliases"], list)
        assert item["revision"] == {"change": "立", "document": "示例目录", "effective": "2023-01-01"}
        assert item["defined_by"] == PROVINCE


def test_kind_fields_are_typed(api):
    sign = api(None).get("catalogs/sign").json()["items"][0]
    assert sign["placement"] == "exterior_mark" and sign["max_count"] == 1 and isinstance(sign["max_count"], int)
    retained = api(None).get("catalogs/cert_retained").json()["items"][0]
    assert retained["materials"] == ["报到登记记录", "身份证明"]
    forbidden = api(None).get("catalogs/cert_forbidden").json()["items"][0]
    assert forbidden["alternative"] == {
        "kind": "dept_check",
        "agency": "公安机关户籍管理部门",
        "text": forbidden["alternative"]["text"],
    }
    duty = api(None).get("catalogs/duty").json()["items"][0]
    assert duty["category"] == "党的建设"
    assert api(None).get("catalogs/cert_forbidden").json()["items"][0]["category"] is None


def test_region_defaults_to_the_province(api):
    assert api(None).get("catalogs/duty").json()["region"] == PROVINCE


def test_refinement_shows_from_its_effective_day_and_future_at(api):
    today = timezone.localdate()
    make_revision(
        rows=[retained_row(name="居住证明（富民县）")],
        effective=today + timedelta(days=10),
        document="富政办〔2027〕9号",
    )

    def r05(**params):
        items = api(None).get("catalogs/cert_retained", {"region": VILLAGE, **params}).json()["items"]
        return next(i for i in items if i["code"] == "R05")

    assert r05()["name"] == "居（租）住证明"
    due = r05(at=(today + timedelta(days=10)).isoformat())
    assert due["name"] == "居住证明（富民县）" and due["defined_by"] == FUMIN
    assert due["revision"] == {
        "change": "改",
        "document": "富政办〔2027〕9号",
        "effective": (today + timedelta(days=10)).isoformat(),
    }
    assert api(None).get("catalogs/duty", {"at": "2022-12-31"}).json()["items"] == []


def test_q_filters_and_ranks_through_the_matcher(api):
    body = api(None).get("catalogs/cert_forbidden", {"q": "单身证明", "region": VILLAGE}).json()
    assert body["items"][0]["code"] == "F08"
    assert len(body["items"]) < 22


@pytest.mark.parametrize(
    ("path", "params", "status", "code", "field"),
    [
        ("catalogs/certs", {}, 404, "unknown_kind", None),
        ("catalogs/duty", {"region": "530124999999"}, 404, "unknown_region", None),
        ("catalogs/duty", {"region": "5301"}, 422, "invalid_region_code", "region"),
        ("catalogs/duty", {"at": "2027/03/01"}, 422, "validation_error", "at"),
        ("catalogs/duty", {"at": "2027-02-30"}, 422, "validation_error", "at"),
        ("catalogs/duty", {"q": "证" * 201}, 422, "validation_error", "q"),
    ],
)
def test_bad_input(api, path, params, status, code, field):
    response = api(None).get(path, params)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["detail"]
    if field:
        assert body["errors"][0]["field"] == field
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["errors"][0]["message"])


def test_public_reads_are_rate_limited(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    client = api(None)
    assert [client.get("catalogs/duty").status_code for _ in range(3)] == [200, 200, 429]
    assert client.get("catalogs/duty").json()["code"] == "rate_limited"


def test_item_with_history_and_changes(api):
    make_revision(rows=[retained_row(name="富民表述")], effective=date(2024, 3, 1))
    body = api(None).get("catalogs/cert_retained/R05", {"region": VILLAGE, "at": "2024-03-01"}).json()
    assert body["item"]["name"] == "富民表述"
    assert [(h["level_name"], h["current"]) for h in body["history"]] == [("云南省", False), ("富民县", True)]
    changes = (
        api(None)
        .get("catalogs/cert_retained/changes", {"region": VILLAGE, "before": "2024-01-01", "after": "2024-03-01"})
        .json()
    )
    assert changes["changed"][0]["code"] == "R05" and changes["changed"][0]["fields"] == ["事项名称"]
    assert changes["added"] == [] and changes["withdrawn"] == []
    assert api(None).get("catalogs/cert_retained/ZZ").status_code == 404
    assert api(None).get("catalogs/cert_retained/changes", {"before": "x"}).json()["errors"][0]["field"] == "before"


# ---------------------------------------------------------------------------- editing


def revision_payload(**extra):
    payload = {
        "region": FUMIN,
        "kind": "cert_retained",
        "change": "改",
        "document": "富政办〔2024〕7号",
        "effective": "2024-03-01",
        "items": [retained_row(name="富民表述")],
    }
    payload.update(extra)
    return payload


def test_create_revision_authorization(api, clerk, reviewer, county_admin):
    assert api(None).post("catalog-revisions", revision_payload()).status_code == 401
    assert api(clerk).post("catalog-revisions", revision_payload()).status_code == 403
    assert api(reviewer).post("catalog-revisions", revision_payload()).status_code == 403
    assert api(county_admin).post("catalog-revisions", revision_payload(region=OTHER_COUNTY)).status_code == 403
    response = api(county_admin).post("catalog-revisions", revision_payload())
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["items"] == 1 and body["drafted_by"] == county_admin.display_name
    assert body["statements"][0]["effect"] == "refine" and body["statements"][0]["current"]["name"] == "居（租）住证明"
    assert Revision.objects.get(pk=body["id"]).statements.get().name == "富民表述"


def test_create_revision_validation(api, county_admin):
    response = api(county_admin).post(
        "catalog-revisions", revision_payload(items=[retained_row(basis="")], document="")
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["document", "items.0.basis".replace("items", "rows")]
    response = api(county_admin).post("catalog-revisions", revision_payload(items=[retained_row()]))
    assert response.status_code == 409 and response.json()["code"] == "no_change"
    assert api(county_admin).post("catalog-revisions", revision_payload(effective="2024-13-01")).status_code == 422


def test_approve_authorization(api, county_admin, prefecture_admin, clerk, province_admin):
    pk = api(county_admin).post("catalog-revisions", revision_payload()).json()["id"]
    assert api(None).post(f"catalog-revisions/{pk}/approve").status_code == 401
    assert api(clerk).post(f"catalog-revisions/{pk}/approve").status_code == 404
    response = api(county_admin).post(f"catalog-revisions/{pk}/approve")
    assert response.status_code == 403 and response.json()["code"] == "self_approval"
    response = api(prefecture_admin).post(f"catalog-revisions/{pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert response.json()["approved_by"] == prefecture_admin.display_name
    assert api(province_admin).post(f"catalog-revisions/{pk}/approve").status_code == 409
    assert Revision.objects.get(pk=pk).status == RevisionStatus.APPROVED


def test_list_and_detail_scoping(api, county_admin, clerk):
    pk = api(county_admin).post("catalog-revisions", revision_payload()).json()["id"]
    assert pk in [r["id"] for r in api(county_admin).get("catalog-revisions", {"status": "draft"}).json()]
    assert pk not in [r["id"] for r in api(clerk).get("catalog-revisions").json()]
    assert api(clerk).get(f"catalog-revisions/{pk}").status_code == 404
    assert api(None).get("catalog-revisions").status_code == 401
    assert api(county_admin).get(f"catalog-revisions/{pk}").json()["statements"][0]["code"] == "R05"


def test_discard(api, county_admin, clerk):
    pk = api(county_admin).post("catalog-revisions", revision_payload()).json()["id"]
    assert api(clerk).post(f"catalog-revisions/{pk}/discard", {"reason": "x"}).status_code == 404
    response = api(county_admin).post(f"catalog-revisions/{pk}/discard", {"reason": "重复"})
    assert response.status_code == 200 and response.json()["status"] == "discarded"


def upload(client, data, name="目录.xlsx", **fields):
    form = {
        "region": FUMIN,
        "kind": "cert_retained",
        "change": "改",
        "document": "富政办〔2024〕8号",
        "effective": "2024-03-01",
        **fields,
    }
    return client.client.post(
        "/api/v1/catalog-revisions/import", {**form, "file": SimpleUploadedFile(name, data)}, headers=client.headers
    )


def test_import_endpoint(api, county_admin, clerk):
    good = ["R05", "居住证明（富民县）", "", "《居住证暂行条例》", "", "派出所", "", ""]
    assert upload(api(clerk), xlsx([RETAINED_HEADERS, good])).status_code == 403
    bad = upload(api(county_admin), xlsx([RETAINED_HEADERS, good, ["R06", "x", "", "", "", "y", "", ""]]))
    assert bad.status_code == 422 and bad.json()["code"] == "import_failed"
    assert bad.json()["errors"] == [{"field": "file.3.basis", "message": bad.json()["errors"][0]["message"]}]
    assert bad.json()["errors"][0]["message"].startswith("第3行“设定依据”")
    assert (
        upload(api(county_admin), xlsx([RETAINED_HEADERS, good]), effective="3月1日").json()["errors"][0]["field"]
        == "effective"
    )
    created = upload(api(county_admin), xlsx([RETAINED_HEADERS, good]))
    assert created.status_code == 201 and created.json()["changed"] and created.json()["revision"]["status"] == "draft"
    again = upload(api(county_admin), xlsx([RETAINED_HEADERS, good]))
    assert again.status_code == 200 and again.json() == {**again.json(), "changed": False, "revision": None}
    assert upload(api(county_admin), xlsx([RETAINED_HEADERS, good]), region="530124999999").status_code == 404
