"""Progress reports upward: built from the figures, frozen on submission, 409 the second time, xlsx and PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cunwu.oversight import aggregation
from cunwu.oversight.models import ProgressReport

from .helpers import COUNTY, PREFECTURE, make_offlist

pytestmark = pytest.mark.django_db


def _month() -> dict[str, int]:
    today = timezone.localdate()
    return {"year": today.year, "month": today.month}


def _query() -> str:
    m = _month()
    return f"year={m['year']}&month={m['month']}"


def test_county_submits_prefecture_sees_and_downloads(
    client_for: Any, county_admin: Any, prefecture_admin: Any, province_admin: Any, clerk: Any
) -> None:
    make_offlist(clerk, n=2)
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))
    county = client_for(county_admin)
    preview = county.get(f"/oversight/reports/new/{COUNTY}/?{_query()}")
    assert preview.status_code == 200 and "预览" in preview.content.decode()
    r = county.post(f"/oversight/reports/new/{COUNTY}/?{_query()}", {"note": "本月清理工作群 3 个"})
    assert r.status_code == 302
    report = ProgressReport.objects.get(region_code=COUNTY)
    assert report.status == "submitted"
    offlist = next(c for c in report.data["components"] if c["name"] == "admission_offlist")
    assert offlist["value"] == 2

    # later records do not change what was reported
    make_offlist(clerk)
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))
    report.refresh_from_db()
    assert next(c for c in report.data["components"] if c["name"] == "admission_offlist")["value"] == 2

    again = county.post(f"/oversight/reports/new/{COUNTY}/?{_query()}", {"note": ""})
    assert again.status_code == 409
    assert ProgressReport.objects.filter(region_code=COUNTY).count() == 1

    pref = client_for(prefecture_admin)
    listing = pref.get("/oversight/reports/").content.decode()
    assert f"/oversight/reports/{report.pk}/" in listing
    xlsx = pref.get(f"/oversight/reports/{report.pk}.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["概况", "分项", "下级"]
    assert wb["概况"]["B1"].value == "富民县"
    pdf = pref.get(f"/oversight/reports/{report.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pref.post(f"/oversight/reports/{report.pk}/").status_code == 302
    report.refresh_from_db()
    assert report.status == "received"

    summary = client_for(province_admin).get(f"/oversight/reports/summary/?{_query()}").content.decode()
    assert "昆明市" in summary and "1 / " in summary


def test_who_may_submit(client_for: Any, reviewer: Any, prefecture_admin: Any, township_officer: Any) -> None:
    # in scope but not the county's own admin
    assert client_for(reviewer).post(f"/oversight/reports/new/{COUNTY}/?{_query()}").status_code == 403
    assert client_for(prefecture_admin).post(f"/oversight/reports/new/{COUNTY}/?{_query()}").status_code == 403
    assert client_for(township_officer).post(f"/oversight/reports/new/{COUNTY}/?{_query()}").status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_year_or_a_future_period_is_refused(client_for: Any, county_admin: Any) -> None:
    c = client_for(county_admin)
    year = timezone.localdate().year
    assert c.post(f"/oversight/reports/new/{COUNTY}/?year={year}").status_code == 422
    assert c.post(f"/oversight/reports/new/{COUNTY}/?year={year + 1}&month=1").status_code == 422
    assert not ProgressReport.objects.exists()


def test_prefecture_submits_its_own(client_for: Any, prefecture_admin: Any) -> None:
    r = client_for(prefecture_admin).post(f"/oversight/reports/new/{PREFECTURE}/?{_query()}")
    assert r.status_code == 302
    report = ProgressReport.objects.get(region_code=PREFECTURE)
    assert len(report.data["children"]) > 1


def test_summary_is_for_the_province(client_for: Any, prefecture_admin: Any) -> None:
    assert client_for(prefecture_admin).get(f"/oversight/reports/summary/?{_query()}").status_code == 403
