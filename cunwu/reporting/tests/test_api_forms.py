"""POST /api/v1/reporting/forms/parse and /compare (DESIGN.md §4)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from .sheets import Col, FormSpec, Group, form_bytes

CIVIL = FormSpec(
    "县民政局",
    "低保统计表",
    [
        Col("序号", role="serial"),
        Col("村委会", role="key"),
        Group("农村低保", (Col("户数（户）"), Col("人数（人）"), Col("保障金（万元）"))),
        Col("填报人", role="signature"),
    ],
)
STATS = FormSpec(
    "县统计局",
    "村级基本情况表",
    [
        Col("村名", role="key"),
        Col("低保户数（户）"),
        Col("低保金额（元）"),
        Col("常住人口（人）"),
        Col("联系电话", role="signature"),
    ],
    fmt="csv-gbk",
)


def _upload(spec: FormSpec) -> SimpleUploadedFile:
    return SimpleUploadedFile(spec.filename, form_bytes(spec))


def _post(client: Any, path: str, files: dict[str, Any]) -> Any:
    return client.client.post(f"/api/v1/{path}", files, headers=client.headers)


def test_parse_contract(api: Any, department: Any) -> None:
    response = _post(api(department), "reporting/forms/parse", {"file": _upload(CIVIL)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["name"] == "低保统计表"
    assert body["columns"][3] == {
        "index": 3,
        "headers": ["农村低保", "人数（人）"],
        "name": "农村低保人数",
        "unit": "人",
        "type": "integer",
        "role": "data",
    }
    assert [c["role"] for c in body["columns"]] == ["serial", "key", "data", "data", "data", "signature"]


def test_compare_contract(api: Any, reviewer: Any) -> None:
    response = _post(api(reviewer), "reporting/forms/compare", {"files": [_upload(CIVIL), _upload(STATS)]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [f["name"] for f in body["forms"]] == ["低保统计表", "村级基本情况表"]
    pairs = {(tuple(o["a"]), tuple(o["b"])): o for o in body["overlaps"]}
    assert set(pairs) == {((0, 2), (1, 1)), ((0, 4), (1, 2))}
    assert pairs[((0, 4), (1, 2))]["unit_factor"] == 10000
    assert pairs[((0, 2), (1, 1))]["unit_factor"] == 1
    assert all(0 <= o["score"] <= 1 for o in body["overlaps"])


def test_who_may_parse(api: Any, clerk: Any) -> None:
    from cunwu.accounts.models import User

    assert _post(api(None), "reporting/forms/parse", {"file": _upload(CIVIL)}).status_code == 401
    nobody = User.objects.create_user(username="nobody_forms", password="x")
    assert _post(api(nobody), "reporting/forms/parse", {"file": _upload(CIVIL)}).status_code == 403


def test_bad_files_are_422_with_chinese_message(api: Any, department: Any) -> None:
    client = api(department)
    response = _post(client, "reporting/forms/parse", {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 422
    assert response.json()["code"] == "not_spreadsheet"
    assert "不是电子表格" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "file"
    response = _post(client, "reporting/forms/compare", {"files": [_upload(CIVIL)]})
    assert response.status_code == 422
    assert "两张" in response.json()["detail"]
    response = _post(
        client, "reporting/forms/compare", {"files": [_upload(CIVIL), SimpleUploadedFile("b.xlsx", b"PK\x03\x04x")]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "files.1"


def test_compare_reads_a_bare_column_in_the_light_of_its_form_title(api: Any, reviewer: Any) -> None:
    tobacco = FormSpec(
        "县烟草分公司", "烤烟种植收购情况统计表", [Col("村委会", role="key"), Col("收购量（公斤）"), Col("烤房（座）")]
    )
    economy = FormSpec("县统计局", "农村经济主要指标年报表", [Col("村名", role="key"), Col("烤烟收购量（吨）")])
    response = _post(api(reviewer), "reporting/forms/compare", {"files": [_upload(tobacco), _upload(economy)]})
    assert response.status_code == 200, response.content
    overlaps = response.json()["overlaps"]
    assert [(o["a"], o["b"], o["unit_factor"]) for o in overlaps] == [([0, 1], [1, 1], 0.001)]
