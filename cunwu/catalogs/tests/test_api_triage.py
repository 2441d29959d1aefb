"""POST /api/v1/certificates/triage: retained, forbidden, unlisted; bad input; accuracy on the labelled set."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cunwu.catalogs.triage import certificate_triage

from .helpers import VILLAGE, make_revision, retained_row

LABELLED = Path(__file__).resolve().parents[2] / "matching" / "tests" / "data" / "cert_requests.csv"
# The matcher reaches ~94% on this set at its default threshold; this floor catches regressions.
ACCURACY_FLOOR = 0.85


def test_forbidden_certificate_names_the_alternative_and_the_township(api):
    response = api(None).post(
        "certificates/triage", {"text": "派出所让我到村里开个亲属关系证明，咋办？", "region": VILLAGE}
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["outcome", "item", "candidates", "advice", "clauses"]
    assert body["outcome"] == "forbidden" and body["item"]["code"] == "F01"
    assert body["item"]["alternative"]["kind"] == "dept_check"
    assert body["clauses"] == ["（十二）", "（十三）"]
    assert "罗免镇党委和政府" in body["advice"] and "公安机关户籍管理部门" in body["advice"]
    assert body["candidates"][0]["code"] == "F01" and body["candidates"][0]["kind"] == "cert_forbidden"
    assert all(set(c) == {"code", "name", "kind", "score"} and 0 <= c["score"] <= 1 for c in body["candidates"])


def test_retained_certificate_says_what_to_bring(api):
    body = api(None).post("certificates/triage", {"text": "租房子办居住证要开居住证明"}).json()
    assert body["outcome"] == "retained" and body["item"]["code"] == "R05"
    assert body["item"]["materials"] == ["身份证明", "租赁合同或房屋权属材料"]
    assert "请携带：身份证明、租赁合同或房屋权属材料" in body["advice"] and body["clauses"] == ["（十一）", "（十二）"]


def test_unlisted_certificate_only_if_verifiable(api):
    body = api(None).post("certificates/triage", {"text": "开一个会游泳的证明"}).json()
    assert body["outcome"] == "unlisted" and body["item"] is None
    assert "能够核实" in body["advice"] and "（十三）" in body["clauses"]


def test_village_names_do_not_count_as_evidence(api, village):
    # 大箐 is the village's own name: stripped before matching, it cannot pull in any item.
    body = api(None).post("certificates/triage", {"text": f"{village.name}开证明", "region": VILLAGE}).json()
    assert body["outcome"] == "unlisted"


def test_triage_follows_the_county_refinement(api):
    make_revision(rows=[{"code": "R05", "op": "取消", "basis": "富民县已实现居住信息网上核验"}])
    body = api(None).post("certificates/triage", {"text": "居住证明", "region": VILLAGE}).json()
    assert body["outcome"] != "retained" or body["item"]["code"] != "R05"
    assert api(None).post("certificates/triage", {"text": "居住证明"}).json()["item"]["code"] == "R05"


def test_triage_with_a_refined_local_item(api):
    make_revision(rows=[retained_row(code="FM-R01", name="林权流转村民小组意见证明", aliases="林权流转证明")])
    body = api(None).post("certificates/triage", {"text": "林权流转要村里开证明", "region": VILLAGE}).json()
    assert (
        body["outcome"] == "retained"
        and body["item"]["code"] == "FM-R01"
        and body["item"]["defined_by"] == "530124000000"
    )


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"text": ""}, 422, "text"),
        ({"text": "   "}, 422, "text"),
        ({}, 422, "text"),
        ({"text": "证" * 2001}, 422, "text"),
        ({"text": "亲属关系证明", "region": "12"}, 422, "region"),
        ({"text": 5}, 422, "text"),
    ],
)
def test_bad_input(api, payload, status, field):
    response = api(None).post("certificates/triage", payload)
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["errors"][0]["message"])


def test_unknown_region_and_long_but_allowed_text(api):
    assert (
        api(None).post("certificates/triage", {"text": "亲属关系证明", "region": "530124999999"}).json()["code"]
        == "unknown_region"
    )
    long_text = "我家里的事情说来话长。" * 180 + "要开亲属关系证明"
    assert len(long_text) <= 2000
    assert api(None).post("certificates/triage", {"text": long_text}).status_code == 200


def test_triage_is_rate_limited(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 1}
    client = api(None)
    assert client.post("certificates/triage", {"text": "健在证明"}).status_code == 200
    assert client.post("certificates/triage", {"text": "健在证明"}).status_code == 429


def test_township_named_for_villages_only(village):
    assert "罗免镇" in certificate_triage("健在证明", village).advice
    assert "乡镇（街道）党委和政府" in certificate_triage("健在证明", None).advice


def test_accuracy_on_the_labelled_requests(api, settings):
    """Every labelled request through the public API: the item (or none) and the outcome."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 100_000}
    with LABELLED.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 100
    client = api(None)
    right_item = right_outcome = 0
    misses = []
    for row in rows:
        body = client.post("certificates/triage", {"text": row["text"]}).json()
        expected = row["expected_code"].strip()
        got = body["item"]["code"] if body["item"] else ""
        outcome = {"R": "retained", "F": "forbidden"}.get(expected[:1], "unlisted")
        right_item += got == expected
        right_outcome += body["outcome"] == outcome
        if got != expected:
            misses.append((row["text"], expected, got))
    item_accuracy, outcome_accuracy = right_item / len(rows), right_outcome / len(rows)
    print(
        f"\ntriage accuracy on {len(rows)} labelled requests: item {item_accuracy:.1%}, outcome {outcome_accuracy:.1%}"
    )
    for miss in misses:
        print("  miss:", miss)
    assert item_accuracy >= ACCURACY_FLOOR
    assert outcome_accuracy >= item_accuracy


@pytest.mark.parametrize(
    "text,code",
    [
        ("开个证明我跟我老公是两口子", "F01"),
        ("戶口本丟了，要開個證明", "F20"),
        ("开个婚因状况证明", "F08"),
        ("我的身份证掉了，补办要证明吗", "F20"),
        ("我家孩子是在家里生的，没去医院，现在要办出生证明给他上户口呢", "F09"),
    ],
)
def test_the_issues_misses_are_now_answered(api, text, code):
    """Issue 12: colloquial, traditional, typo'd and long requests reach the right item."""
    body = api(None).post("certificates/triage", {"text": text, "region": VILLAGE}).json()
    assert body["outcome"] == "forbidden" and body["item"]["code"] == code
