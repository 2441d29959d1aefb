"""GET /api/v1/oversight/burden: the contract of DESIGN.md §4 and every bad input of issue 15."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cunwu.oversight import aggregation

from .helpers import COUNTY, PREFECTURE, TOWNSHIP, VILLAGE, make_offlist, province_code

URL = "/api/v1/oversight/burden"
pytestmark = pytest.mark.django_db


def _now() -> Any:
    return timezone.localdate()


def test_province_answers_with_its_16_prefectures(api: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk, n=2)
    aggregation.refresh_months(aggregation.recent_months(_now()))
    r = api(province_admin).get(URL, {"region": province_code(), "year": _now().year})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["region"] == {"code": province_code(), "name": "云南省", "level": "province"}
    assert body["period"] == str(_now().year)
    assert len(body["children"]) == 16
    assert body["components"]["admission_offlist"] == 2
    assert "villages_over_threshold_share" in body["components"]
    kunming = next(c for c in body["children"] if c["code"] == PREFECTURE)
    assert kunming["components"]["admission_offlist"] == 2
    assert body["formula_version"] == 1


def test_village_gives_its_score_and_no_children(api: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk, n=1)
    aggregation.refresh_months(aggregation.recent_months(_now()))
    today = _now()
    r = api(province_admin).get(URL, {"region": VILLAGE, "year": today.year, "month": today.month})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["period"] == f"{today.year}-{today.month:02d}"
    assert body["children"] == []
    assert body["components"]["admission_offlist"] == 1
    # weight 20, reference 1 a month: one report fills the component
    assert body["index"] == 20.0
    township = api(province_admin).get(URL, {"region": TOWNSHIP, "year": today.year, "month": today.month}).json()
    villages = len(township["children"])
    assert township["index"] == round(20.0 / villages, 1)
    assert township["components"]["villages_over_threshold_share"] == 0.0


def test_a_record_written_now_shows_within_a_minute(api: Any, province_admin: Any, clerk: Any) -> None:
    aggregation.refresh_months(aggregation.recent_months(_now()))
    make_offlist(clerk)
    later = timezone.now() + aggregation.STALE_AFTER
    assert aggregation.ensure_fresh(now=later)
    body = api(province_admin).get(URL, {"region": COUNTY, "year": _now().year}).json()
    assert body["components"]["admission_offlist"] == 1


def test_anonymous_is_refused(api: Any) -> None:
    assert api().get(URL, {"region": COUNTY, "year": "2026"}).status_code == 401


def test_outside_scope_is_404_and_in_scope_without_permission_403(api: Any, clerk: Any, department: Any) -> None:
    year = _now().year
    assert api(clerk).get(URL, {"region": "530300000000", "year": year}).status_code == 404
    assert api(clerk).get(URL, {"region": VILLAGE, "year": year}).status_code == 403
    assert api(department).get(URL, {"region": COUNTY, "year": year}).status_code == 403


def test_township_officer_sees_own_township_only(api: Any, township_officer: Any) -> None:
    year = _now().year
    assert api(township_officer).get(URL, {"region": TOWNSHIP, "year": year}).status_code == 200
    assert api(township_officer).get(URL, {"region": COUNTY, "year": year}).status_code == 404


@pytest.mark.parametrize(
    "params, field",
    [
        ({"year": "27"}, "year"),
        ({"year": "abcd"}, "year"),
        ({"year": "{y}", "quarter": "5"}, "quarter"),
        ({"year": "{y}", "month": "13"}, "month"),
        ({"year": "{y}", "month": "x"}, "month"),
        ({"year": "{y}", "quarter": "1", "month": "1"}, "month"),
        ({"year": "{next}"}, "year"),
        ({"year": "1990"}, "year"),
    ],
)
def test_bad_periods_are_422_with_the_field(api: Any, province_admin: Any, params: dict, field: str) -> None:
    y = _now().year
    params = {k: v.format(y=y, next=y + 1) for k, v in params.items()}
    r = api(province_admin).get(URL, {"region": COUNTY, **params})
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["code"] == "invalid_period"
    assert body["errors"][0]["field"] == field
    assert body["detail"]


def test_future_month_of_this_year_is_422(api: Any, province_admin: Any) -> None:
    today = _now()
    if today.month == 12:
        pytest.skip("no later month this year")
    r = api(province_admin).get(URL, {"region": COUNTY, "year": today.year, "month": today.month + 1})
    assert r.status_code == 422
    assert "尚未开始" in r.json()["detail"]


def test_period_before_the_records_start_is_422(api: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk)
    aggregation.refresh_months(aggregation.recent_months(_now()))
    r = api(province_admin).get(URL, {"region": COUNTY, "year": _now().year - 2})
    assert r.status_code == 422
    assert "早于" in r.json()["detail"]


def test_bad_regions(api: Any, province_admin: Any) -> None:
    year = _now().year
    assert api(province_admin).get(URL, {"year": year}).status_code == 422
    assert api(province_admin).get(URL, {"region": "5301", "year": year}).status_code == 422
    assert api(province_admin).get(URL, {"region": "539999999999", "year": year}).status_code == 404
