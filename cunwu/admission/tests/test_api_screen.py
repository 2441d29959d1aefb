"""POST /api/v1/admission/screen: the contract of DESIGN.md §4."""

from __future__ import annotations

from typing import Any

import pytest

URL = "admission/screen"
COUNTY = "530124000000"
VILLAGE = "530124103200"


def body(**over: Any) -> dict[str, Any]:
    data = {
        "title": "关于协助开展低保入户调查的通知",
        "content": "请各村协助开展社会救助/低保入户调查。",
        "region": COUNTY,
    }
    data.update(over)
    return data


@pytest.mark.django_db
class TestScreenContract:
    def test_in_catalog(self, api: Any, department: Any) -> None:
        res = api(department).post(URL, body())
        assert res.status_code == 200
        data = res.json()
        assert data["outcome"] == "in_catalog"
        assert data["violations"] == []
        assert data["matches"][0]["code"] == "A01" and data["matches"][0]["kind"] == "assist"
        assert set(data["matches"][0]) == {"kind", "code", "name", "score"}
        assert 0 <= data["matches"][0]["score"] <= 1

    def test_pledge_and_safety_rejected(self, api: Any, department: Any) -> None:
        res = api(department).post(
            URL, body(title="签订安全生产目标责任书", content="要求各村签订2027年度安全生产目标责任书")
        )
        data = res.json()
        assert data["outcome"] == "rejected"
        rules = {v["rule"]: v for v in data["violations"]}
        assert set(rules) == {"pledge", "responsible_body"}
        assert rules["pledge"]["clause"] == "（二）" and rules["pledge"]["effect"] == "reject"
        assert set(rules["pledge"]) == {"rule", "clause", "effect", "message"}

    def test_redirect_gives_needs_review(self, api: Any, reviewer: Any) -> None:
        res = api(reviewer).post(
            URL,
            body(
                title="关于召开全县村党组织书记培训会的通知",
                content="请各村党组织书记于3月15日到县委党校参加培训会。",
                region=VILLAGE,
            ),
        )
        data = res.json()
        assert data["outcome"] == "needs_review"
        assert [v["rule"] for v in data["violations"]] == ["meeting"]
        assert data["violations"][0]["effect"] == "redirect" and data["violations"][0]["clause"] == "（四）"

    def test_nothing_matches_needs_review(self, api: Any, department: Any) -> None:
        res = api(department).post(
            URL, body(title="关于开展无人机航拍的通知", content="请各村配合无人机航拍作业，告知群众不要惊慌。")
        )
        assert res.json() == {"outcome": "needs_review", "matches": [], "violations": []}

    def test_structured_fields_sharpen(self, api: Any, department: Any) -> None:
        client = api(department)
        forced = client.post(URL, body(pledge=True)).json()
        assert [v["rule"] for v in forced["violations"]] == ["pledge"]
        # （二）: naming 省委、省政府 or citing a document that is not on the register exempts nothing.
        cited = client.post(
            URL, body(pledge=True, basis="经中共云南省委、云南省人民政府批准的实施方案（云发〔2027〕9号）")
        ).json()
        assert [v["rule"] for v in cited["violations"]] == ["pledge"] and cited["outcome"] == "rejected"
        body_field = client.post(
            URL,
            body(
                title="关于加强安全生产工作的通知",
                content="请各村做好安全生产隐患排查信息报送。",
                responsible_body="村委会",
            ),
        ).json()
        assert "responsible_body" in {v["rule"] for v in body_field["violations"]}
        evidence = client.post(URL, body(evidence="上传入户照片和工作截图")).json()
        assert [v["rule"] for v in evidence["violations"]] == ["evidence_screenshot"]
        typed = client.post(URL, body(type="evaluation")).json()
        assert [v["rule"] for v in typed["violations"]] == ["separate_evaluation"]

    @pytest.mark.parametrize(
        "over,field",
        [
            ({"title": ""}, "title"),
            ({"content": "   "}, "content"),
            ({"content": "字" * 20001}, "content"),
            ({"title": "题" * 201}, "title"),
            ({"region": "123"}, "region"),
            ({"region": "530124999999"}, "region"),
            ({"type": "party"}, "type"),
            ({"pledge": "maybe"}, "pledge"),
        ],
    )
    def test_validation_422(self, api: Any, department: Any, over: dict[str, Any], field: str) -> None:
        res = api(department).post(URL, body(**over))
        assert res.status_code == 422
        data = res.json()
        assert data["code"] == "validation_error"
        assert field in [e["field"] for e in data["errors"]]
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e["message"]) for e in data["errors"])

    def test_missing_fields_422(self, api: Any, department: Any) -> None:
        res = api(department).post(URL, {"title": "x"})
        assert res.status_code == 422
        assert {"content", "region"} <= {e["field"] for e in res.json()["errors"]}

    def test_authorization_matrix(self, api: Any, clerk: Any, auditor: Any, county_admin: Any) -> None:
        assert api(None).post(URL, body()).status_code == 401
        assert api(clerk).post(URL, body()).status_code == 403
        assert api(county_admin).post(URL, body()).status_code == 200
        assert api(auditor).post(URL, body()).status_code == 200
