"""The complaints API as DESIGN.md §4 says: public filing and tracking, the handling body's list and steps."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import COUNTY, TOWNSHIP, VILLAGE
from cunwu.complaints import rules
from cunwu.complaints.models import Complaint

pytestmark = pytest.mark.django_db

BODY = {
    "category": "forbidden_certificate",
    "region": VILLAGE,
    "text": "派出所要求村里开亲属关系证明。",
    "anonymous": True,
}


def test_file_anonymously_then_track(api: Any) -> None:
    public = api(None)
    r = public.post("complaints", BODY | {"subject": "某派出所"})
    assert r.status_code == 201, r.json()
    body = r.json()
    assert set(body) == {"tracking_code", "status", "due", "handler"}
    assert rules.TRACKING_RE.fullmatch(body["tracking_code"])
    assert body["status"] == "received"
    assert body["handler"] == {"code": COUNTY, "name": "富民县"}
    r = public.get(f"complaints/{body['tracking_code']}")
    assert r.status_code == 200
    got = r.json()
    assert set(got) == {
        "tracking_code", "status", "category", "region", "received_at", "due", "outcome", "finding", "history"
    }  # fmt: skip
    assert got["region"]["code"] == VILLAGE and got["outcome"] is None and got["finding"] is None
    assert got["history"][0]["status"] == "received" and "+08:00" in got["history"][0]["at"]
    assert got["due"] == body["due"]


def test_contact_required_when_named_refused_when_anonymous(api: Any) -> None:
    public = api(None)
    r = public.post("complaints", BODY | {"anonymous": False})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"contact.name", "contact.phone"}
    r = public.post("complaints", BODY | {"contact": {"name": "王小明", "phone": "13812345678"}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contact"
    r = public.post("complaints", BODY | {"anonymous": False, "contact": {"name": "王小明", "phone": "13812345678"}})
    assert r.status_code == 201
    assert "王小明" not in str(public.get(f"complaints/{r.json()['tracking_code']}").json())
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "长" * 20000}, "text"),
        ({"region": "530124999999"}, "region"),
        ({"region": "abc"}, "region"),
        ({"category": "x"}, "category"),
    ],
)
def test_bad_filings_are_422_in_chinese(api: Any, change: dict, field: str) -> None:
    r = api(None).post("complaints", BODY | change)
    assert r.status_code == 422
    assert field in {e["field"] for e in r.json()["errors"]}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("code", ["JB-0000000000ZZ", "JB-123", "nonsense", "JB-%3Cscript%3E", "x" * 300])
def test_unknown_and_malformed_codes_are_the_same_404(api: Any, code: str) -> None:
    r = api(None).get(f"complaints/{code}")
    assert r.status_code == 404
    assert r.json() == {"detail": r.json()["detail"], "code": "unknown_tracking_code"}


def test_public_endpoints_are_rate_limited(api: Any, settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 3}
    public = api(None)
    statuses = [public.get("complaints/JB-0000000000ZZ").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert public.post("complaints", BODY).status_code == 429


def _file(api: Any, **kw: Any) -> str:
    r = api(None).post("complaints", BODY | kw)
    assert r.status_code == 201, r.json()
    return r.json()["tracking_code"]


def test_the_handling_body_lists_and_the_village_and_township_never_see_it(
    api: Any, reviewer: Any, clerk: Any, township_officer: Any, prefecture_admin: Any, department: Any
) -> None:
    code = _file(api, text="<script>alert(1)</script>")
    about_township = _file(api, region=TOWNSHIP)
    r = api(reviewer).get("complaints")
    assert r.status_code == 200
    items = {i["tracking_code"]: i for i in r.json()["items"]}
    assert {code, about_township} <= set(items)
    item = items[code]
    assert set(item) == {
        "tracking_code", "status", "category", "region", "subject", "text", "anonymous", "received_at", "due", "handler"
    }  # fmt: skip
    assert item["text"] == "<script>alert(1)</script>" and item["anonymous"] is True
    assert api(reviewer).get("complaints", {"status": "concluded"}).json()["count"] == 0
    assert (
        api(reviewer).get("complaints", {"region": TOWNSHIP, "category": "forbidden_certificate"}).json()["count"] == 2
    )
    # The township officer holds complaint:handle but is no handling body, and never sees its own township.
    assert api(township_officer).get("complaints").json() == {"count": 0, "items": []}
    assert api(township_officer).get(f"complaints/{code}/conclude").status_code == 405
    assert api(township_officer).post(f"complaints/{code}/accept", {}).status_code == 404
    # The village clerk has no complaint:handle: 403 on the list, 404 on a report about itself.
    assert api(clerk).get("complaints").status_code == 403
    assert api(clerk).post(f"complaints/{code}/conclude", {"outcome": "x", "finding": "partly"}).status_code == 404
    # The prefecture handles prefecture-level reports only (lists filter by handling body, not region scope).
    assert api(prefecture_admin).get("complaints").json()["count"] == 0
    assert api(department).get("complaints").status_code == 403
    assert api(None).get("complaints").status_code == 401


def test_steps_through_the_api(api: Any, reviewer: Any) -> None:
    code = _file(api)
    staff = api(reviewer)
    assert staff.post(f"complaints/{code}/conclude", {"finding": "partly"}).status_code == 422
    r = staff.post(f"complaints/{code}/accept", {})
    assert (r.status_code, r.json()["status"]) == (200, "accepted")
    assert staff.post(f"complaints/{code}/decline", {"reason": "不属于措施范围"}).status_code == 409
    assert staff.post(f"complaints/{code}/extend", {"reason": ""}).status_code == 422
    r = staff.post(f"complaints/{code}/extend", {"reason": "需调取材料"})
    assert (
        r.status_code == 200
        and r.json()["due"] > Complaint.objects.get(tracking_code=code).received_at.date().isoformat()
    )
    assert staff.post(f"complaints/{code}/extend", {"reason": "再延"}).status_code == 409
    r = staff.post(f"complaints/{code}/conclude", {"outcome": "已责令改正。", "finding": "substantiated"})
    assert (r.status_code, r.json()["status"]) == (200, "concluded")
    r = staff.post(f"complaints/{code}/conclude", {"outcome": "again", "finding": "partly"})
    assert r.status_code == 409
    got = api(None).get(f"complaints/{code}").json()
    assert (got["status"], got["finding"], got["outcome"]) == ("concluded", "substantiated", "已责令改正。")
    assert [h["status"] for h in got["history"]] == ["received", "accepted", "concluded"]


def test_transfer_through_the_api(api: Any, reviewer: Any, prefecture_admin: Any, province_admin: Any) -> None:
    code = _file(api)
    r = api(reviewer).post(f"complaints/{code}/transfer", {"reason": "涉及州级部门"})
    assert r.json()["handler"]["code"] == "530100000000"
    assert api(reviewer).get("complaints").json()["count"] == 0
    assert api(prefecture_admin).get("complaints").json()["count"] == 1
    api(prefecture_admin).post(f"complaints/{code}/transfer", {"reason": "涉及省级部门"})
    r = api(province_admin).post(f"complaints/{code}/transfer", {"reason": "x"})
    assert r.status_code == 409


def test_typical_cases_api_is_public(api: Any, reviewer: Any, county_admin: Any) -> None:
    from cunwu.complaints.services import CaseDraft, complaint_conclude, typical_case_publish

    code = _file(api)
    c = Complaint.objects.get(tracking_code=code)
    complaint_conclude(actor=reviewer, complaint=c, outcome="已纠正", finding="substantiated")
    typical_case_publish(
        actor=county_admin,
        complaint=c,
        draft=CaseDraft("某所索要亲属关系证明", "该所要求村里开证明。", "某派出所", "（十二）", "已纠正"),
    )
    r = api(None).get("typical-cases")
    assert r.status_code == 200 and r.json()["count"] == 1
    item = r.json()["items"][0]
    assert item["clause"] == "（十二）" and item["prefecture"]["code"] == "530100000000"
    assert api(None).get("typical-cases", {"clause": "（二）"}).json()["count"] == 0
    assert api(None).get("typical-cases", {"prefecture": "530100000000"}).json()["count"] == 1
