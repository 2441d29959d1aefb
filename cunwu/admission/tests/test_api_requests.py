"""API for requests, decisions, assignments, off-list reports and the public results."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.admission.models import Assignment, Decision, OffListReport, WorkRequest

from .factories import ASSIST_CONTENT, ASSIST_TITLE, VILLAGE, future, make_approved, make_request

pytestmark = pytest.mark.django_db


def body(**over: Any) -> dict[str, Any]:
    data = {
        "title": ASSIST_TITLE,
        "content": ASSIST_CONTENT,
        "targets": [VILLAGE],
        "deadline": future().isoformat(),
        "provisions": "工作经费",
    }
    data.update(over)
    return data


def test_file_and_list(api: Any, department: Any, other_department: Any, clerk: Any) -> None:
    res = api(department).post("admission/requests", body())
    assert res.status_code == 201
    data = res.json()
    assert (
        data["status"] == "pending"
        and data["outcome"] == "in_catalog"
        and data["screening"]["matches"][0]["code"] == "A01"
    )
    assert WorkRequest.objects.filter(pk=data["id"]).exists()
    assert [r["id"] for r in api(department).get("admission/requests").json()] == [data["id"]]
    assert api(other_department).get("admission/requests").json() == []
    assert api(other_department).get(f"admission/requests/{data['id']}").status_code == 404
    assert api(clerk).post("admission/requests", body()).status_code == 403
    assert api(None).post("admission/requests", body()).status_code == 401


def test_file_rejected_on_the_spot(api: Any, department: Any) -> None:
    data = (
        api(department)
        .post(
            "admission/requests", body(title="签订安全生产目标责任书", content="要求各村签订2027年度安全生产目标责任书")
        )
        .json()
    )
    assert data["status"] == "screen_rejected"
    assert {v["rule"] for v in data["screening"]["violations"]} == {"pledge", "responsible_body"}
    assert all(set(v) == {"rule", "clause", "effect", "message"} for v in data["screening"]["violations"])


@pytest.mark.parametrize(
    "over,field",
    [
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"targets": ["530102001000"]}, "targets.0"),
        ({"title": ""}, "title"),
        ({"content": "长" * 20001}, "content"),
    ],
)
def test_file_bad_input(api: Any, department: Any, over: dict[str, Any], field: str) -> None:
    res = api(department).post("admission/requests", body(**over))
    assert res.status_code == 422 and field in [e["field"] for e in res.json()["errors"]]
    assert not WorkRequest.objects.exists()


def test_decision_once(api: Any, department: Any, reviewer: Any, auditor: Any) -> None:
    r = make_request(department)
    url = f"admission/requests/{r.pk}/decision"
    approve = {"outcome": "approve", "triage": "assist", "deployment": "富办通〔2027〕5号"}
    assert api(auditor).post(url, approve).status_code == 403
    assert api(department).post(url, approve).status_code == 403
    res = api(reviewer).post(url, approve)
    assert res.status_code == 200 and res.json()["status"] == "approved" and res.json()["triage"] == "assist"
    second = api(reviewer).post(url, {"outcome": "reject", "reasons": "x", "clauses": ["（二）"]})
    assert second.status_code == 409 and second.json()["code"] == "already_decided"
    assert Decision.objects.filter(request=r).count() == 1


def test_assignments_receipt(api: Any, department: Any, reviewer: Any, clerk: Any, other_clerk: Any) -> None:
    r = make_approved(department, reviewer)
    a = Assignment.objects.get(request=r)
    listing = api(clerk).get("admission/assignments").json()
    assert [x["id"] for x in listing] == [a.pk] and listing[0]["provisions"] == r.provisions
    assert api(other_clerk).get("admission/assignments").json() == []
    assert api(other_clerk).post(f"admission/assignments/{a.pk}/acknowledge", {}).status_code == 404
    assert api(clerk).post(f"admission/assignments/{a.pk}/acknowledge", {}).json()["status"] == "acknowledged"
    assert api(clerk).post(f"admission/assignments/{a.pk}/acknowledge", {}).status_code == 409
    assert api(clerk).post(f"admission/assignments/{a.pk}/progress", {"progress": 150, "note": "x"}).status_code == 422
    assert api(clerk).post(f"admission/assignments/{a.pk}/complete", {"note": "完成"}).json()["status"] == "done"
    assert api(clerk).post(f"admission/assignments/{a.pk}/fly", {}).status_code == 422
    assert api(clerk).post("admission/assignments/999999/acknowledge", {}).status_code == 404


def test_offlist_api(api: Any, clerk: Any, department: Any) -> None:
    res = api(clerk).post(
        "admission/offlist-reports",
        {"village": VILLAGE, "department_name": "富民县公安局", "what": "电话要求报送数据", "channel": "phone"},
    )
    assert res.status_code == 201 and OffListReport.objects.filter(pk=res.json()["id"]).exists()
    assert (
        api(clerk)
        .post(
            "admission/offlist-reports",
            {"village": "530124103201", "department_name": "x", "what": "x", "channel": "phone"},
        )
        .status_code
        == 404
    )
    assert (
        api(department)
        .post(
            "admission/offlist-reports", {"village": VILLAGE, "department_name": "x", "what": "x", "channel": "phone"}
        )
        .status_code
        == 403
    )


def test_public_results_api(api: Any, department: Any, reviewer: Any) -> None:
    make_approved(department, reviewer)
    data = api(None).get("admission/public/results").json()
    assert data["approved"][0]["title"] == ASSIST_TITLE and data["approved"][0]["villages"]
    assert data["departments"][0]["department"] == "富民县民政局"
