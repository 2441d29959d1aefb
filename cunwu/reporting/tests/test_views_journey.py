"""The done-when journey through the pages and the values API (Django test client)."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from cunwu.reporting.models import DataValue, Filing, FilingStatus, FormRequest, Plan, RequestStatus, Window

from .sheets import Col, FormSpec, Group, form_bytes

UPLOADED = FormSpec(
    "县民政局",
    "农村低保对象统计表",
    [
        Col("序号", role="serial"),
        Col("乡镇", role="key"),
        Col("村委会", role="key"),
        Group("农村低保", (Col("户数（户）"), Col("保障金（万元）"))),
        Col("填报人", role="signature"),
    ],
)


def _register(client: Any, title: str, frequency: str, year: int, **extra: Any) -> FormRequest:
    data = {
        "year": year,
        "title": title,
        "purpose": "掌握低保情况",
        "basis": "《社会救助暂行办法》",
        "frequency": frequency,
    }
    preview = client.post("/reporting/requests/new/", {**data, **extra})
    assert preview.status_code == 200, preview.content.decode()[:500]
    payload = preview.context["payload"]
    done = client.post("/reporting/requests/new/", {**data, "step": "register", "payload": payload})
    assert done.status_code == 302, done.content.decode()[:500]
    return FormRequest.objects.get(title=title)


def test_journey(
    client_for: Any,
    api: Any,
    department: Any,
    other_department: Any,
    reviewer: Any,
    clerk: Any,
    township_officer: Any,
    county: Any,
    village: Any,
) -> None:
    year = timezone.localdate().year
    civil = _register(
        client_for(department),
        UPLOADED.title,
        "monthly",
        year,
        file=SimpleUploadedFile(UPLOADED.filename, form_bytes(UPLOADED)),
    )
    assert civil.layout["columns"][3]["headers"] == ["农村低保", "户数（户）"]
    second = client_for(other_department)
    preview = second.post(
        "/reporting/requests/new/",
        {
            "year": year,
            "title": "村情年报",
            "purpose": "了解村情",
            "basis": "县委文件",
            "frequency": "yearly",
            "lines": "低保户数（户）\n低保资金（元）\n辅警人数（人）",
        },
    )
    assert "已由富民县民政局按月采集 — 直接复用" in preview.content.decode()
    second.post(
        "/reporting/requests/new/",
        {
            "year": year,
            "title": "村情年报",
            "purpose": "了解村情",
            "basis": "县委文件",
            "frequency": "yearly",
            "step": "register",
            "payload": preview.context["payload"],
        },
    )
    police = FormRequest.objects.get(title="村情年报")
    assert {f.element_id for f in police.fields.all()} & {f.element_id for f in civil.fields.all()}

    county_page = client_for(reviewer)
    page = county_page.get(f"/reporting/counties/{county.code}/{year}/")
    assert page.status_code == 200
    for p in page.context["proposals"]:
        county_page.post(
            f"/reporting/counties/{county.code}/{year}/merge/",
            {"keep": p.keep.pk, "drop": p.drop.pk, "factor": p.factor, "decision": "confirm"},
        )
    for r in (civil, police):
        county_page.post(f"/reporting/requests/{r.pk}/decide/", {"decision": "approve"})
    county_page.post(f"/reporting/counties/{county.code}/{year}/publish/")
    plan = Plan.objects.get(county=county, year=year)
    assert plan.status == "published"
    assert FormRequest.objects.filter(status=RequestStatus.APPROVED).count() == 2

    period = f"{year}-01"
    today = timezone.localdate()
    Window.objects.filter(plan=plan, period=period).update(
        opens=today - timedelta(days=1), closes=today + timedelta(days=5)
    )
    village_client = client_for(clerk)
    page = village_client.get(f"/reporting/villages/{village.code}/{period}/")
    assert page.status_code == 200
    rows = {row.element.name: row.element.pk for _, section in page.context["sections"] for row, _, _ in section}
    assert len(rows) == 2  # 低保户数 and 低保金额 once each (辅警人数 is yearly: in the year's filing)
    money = next(pk for name, pk in rows.items() if "金" in name)
    households = rows["农村低保户数"]
    bad = village_client.post(page.request["PATH_INFO"], {f"e{households}": "十二", "action": "save"})
    assert "应填整数" in bad.content.decode()
    values = {f"e{pk}": "5" for pk in rows.values()}
    values[f"e{money}"] = "3.5"
    values[f"e{households}"] = "12"
    assert village_client.post(page.request["PATH_INFO"], {**values, "action": "submit"}).status_code == 302
    record = Filing.objects.get(village=village, period=period)
    assert record.status == FilingStatus.SUBMITTED
    township = client_for(township_officer)
    listed = township.get("/reporting/")
    assert [(c.filing.pk, c.village_name) for c in listed.context["to_check"]] == [(record.pk, village.name)]
    assert f">{village.name}</a>" in listed.content.decode()  # the township reads names, not codes
    township.post(f"/reporting/filings/{record.pk}/decide/", {"decision": "accept"})
    assert Filing.objects.get(pk=record.pk).status == FilingStatus.ACCEPTED

    export = client_for(department).get(f"/reporting/requests/{civil.pk}/export.xlsx?period={period}")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["D2"].value == "农村低保" and sheet["D3"].value == "户数（户）"
    row = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[2] == village.name)
    element_money = DataValue.objects.get(element_id=money, village=village).value
    assert row[3] == 12
    assert float(row[4]) * 10000 == float(element_money) or float(row[4]) == float(element_money)

    response = api(department).get("reporting/values", {"period": period})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] >= 2 and all(i["region"] == village.code for i in body["items"])
    police_only = police.fields.get(label="辅警人数").element.code
    assert api(department).get("reporting/values", {"element": police_only}).status_code == 403
    assert api(clerk).get("reporting/values").status_code == 403
    assert json.loads(api(None).get("reporting/values").content)["code"] == "not_authenticated"
