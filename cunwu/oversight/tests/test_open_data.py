"""Open data under /gongkai/: county level and above, CSV with BOM, JSON with its dictionary."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.utils import timezone

from cunwu.oversight import aggregation

from .helpers import COUNTY, TOWNSHIP, VILLAGE, make_offlist

pytestmark = pytest.mark.django_db


def _month() -> dict[str, int]:
    t = timezone.localdate()
    return {"year": t.year, "month": t.month}


def test_csv_has_a_bom_and_only_county_level_and_above(client: Any, clerk: Any) -> None:
    make_offlist(clerk, n=2)
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))
    r = client.get("/gongkai/fudan.csv", _month())
    assert r.status_code == 200
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    levels = {row["level"] for row in rows}
    assert levels == {"province", "prefecture", "county"}
    assert not any(row["code"] in (VILLAGE, TOWNSHIP) for row in rows)
    fumin = next(row for row in rows if row["code"] == COUNTY)
    assert fumin["admission_offlist"] == "2" and fumin["name"] == "富民县"


def test_json_carries_its_dictionary(client: Any) -> None:
    body = json.loads(client.get("/gongkai/fudan.json", _month()).content)
    columns = {d["column"] for d in body["dictionary"]}
    assert {"code", "index", "admission_offlist", "villages_over_threshold_share"} <= columns
    assert all(set(body["rows"][0]) <= columns for _ in [0])


def test_the_page_lists_the_dictionary(client: Any) -> None:
    page = client.get("/gongkai/fudan").content.decode()
    assert "数据字典" in page and "admission_offlist" in page


def test_bad_periods(client: Any) -> None:
    year = timezone.localdate().year
    r = client.get("/gongkai/fudan.json", {"year": year + 1})
    assert r.status_code == 422 and json.loads(r.content)["code"] == "invalid_period"
    assert client.get("/gongkai/fudan.csv", {"year": "x"}).status_code == 422
