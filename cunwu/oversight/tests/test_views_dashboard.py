"""Dashboard pages: drill-down, figures linking to records, exports, the formula, alerts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cunwu.audit.models import AuditEntry
from cunwu.oversight import aggregation, services
from cunwu.oversight.models import Alert, Formula

from .helpers import COUNTY, PREFECTURE, TOWNSHIP, VILLAGE, make_offlist, province_code

pytestmark = pytest.mark.django_db


def _fresh() -> None:
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))


def test_province_drills_down_to_a_village_and_its_records(client_for: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk, n=2)
    _fresh()
    c = client_for(province_admin)
    r = c.get("/oversight/", follow=True)
    assert r.status_code == 200
    page = r.content.decode()
    assert "云南省" in page and "<svg" in page and "昆明市" in page
    for code in (PREFECTURE, COUNTY, TOWNSHIP):
        assert f"/oversight/r/{code}/" in page
        page = c.get(f"/oversight/r/{code}/").content.decode()
    assert f"/oversight/r/{VILLAGE}/" in page
    village = c.get(f"/oversight/r/{VILLAGE}/").content.decode()
    assert 'data-figure="admission_offlist"' in village
    link = f"/oversight/r/{VILLAGE}/records/admission_offlist/?"
    assert link in village
    records = c.get(link + village.split(link, 1)[1].split('"', 1)[0].replace("&amp;", "&")).content.decode()
    assert 'id="records-total">2<' in records and "/admission/offlist/" in records


def test_dashboard_scope(client_for: Any, clerk: Any, township_officer: Any) -> None:
    assert client_for(clerk).get(f"/oversight/r/{VILLAGE}/").status_code == 403
    assert client_for(clerk).get("/oversight/r/530300000000/").status_code == 404
    assert client_for(township_officer).get(f"/oversight/r/{TOWNSHIP}/").status_code == 200
    assert client_for(township_officer).get(f"/oversight/r/{COUNTY}/").status_code == 404


def test_anonymous_goes_to_login(client: Any) -> None:
    r = client.get(f"/oversight/r/{COUNTY}/")
    assert r.status_code == 302 and "login" in r["Location"]


def test_bad_period_on_the_page_is_422_at_the_field(client_for: Any, province_admin: Any) -> None:
    r = client_for(province_admin).get(f"/oversight/r/{COUNTY}/", {"year": timezone.localdate().year + 1})
    assert r.status_code == 422
    assert "尚未开始" in r.content.decode()
    r = client_for(province_admin).get(f"/oversight/r/{COUNTY}/", {"year": "20x7"})
    assert r.status_code == 422 and "四位数字" in r.content.decode()


def test_xlsx_export_has_the_children(client_for: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk)
    _fresh()
    r = client_for(province_admin).get(
        f"/oversight/r/{province_code()}/export.xlsx", {"year": timezone.localdate().year}
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "区划代码"
    assert len(rows) == 1 + 1 + 16


def test_departments_ranked_only_above_the_minimum_sample(client_for: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk, n=3, department_name="富民县农业农村局")
    make_offlist(clerk, n=1, department_name="富民县水务局")
    _fresh()
    page = client_for(province_admin).get(f"/oversight/r/{COUNTY}/subjects/").content.decode()
    assert "富民县农业农村局" in page
    assert "富民县水务局" not in page
    page = client_for(province_admin).get(f"/oversight/r/{COUNTY}/subjects/", {"min": "1"}).content.decode()
    assert "富民县水务局" in page


def test_province_admin_changes_weights_audited(client_for: Any, province_admin: Any, clerk: Any) -> None:
    make_offlist(clerk)
    _fresh()
    weights = {f"weight_{k}": "0" for k in services.formula_current().weights}
    weights["weight_admission_offlist"] = "100"
    refs = {f"ref_{k}": "1" for k in services.formula_current().weights}
    r = client_for(province_admin).post(
        "/oversight/formula/", {**weights, **refs, "threshold": "50", "note": "只看清单外摊派"}
    )
    assert r.status_code == 302
    assert Formula.objects.get(version=2).weights == {"admission_offlist": 100.0}
    assert AuditEntry.objects.filter(action="oversight.formula.change").exists()
    today = timezone.localdate()
    body = client_for(province_admin).get(f"/oversight/r/{VILLAGE}/", {"year": today.year, "month": today.month})
    assert 'id="index">100.0<' in body.content.decode()


def test_weights_not_summing_to_100_are_refused(client_for: Any, province_admin: Any) -> None:
    r = client_for(province_admin).post(
        "/oversight/formula/",
        {"weight_admission_offlist": "30", "ref_admission_offlist": "1", "threshold": "50", "note": "x"},
    )
    assert r.status_code == 422
    assert "之和应为 100" in r.content.decode()
    assert not Formula.objects.filter(version=2).exists()


def test_only_the_province_changes_the_formula(client_for: Any, county_admin: Any) -> None:
    r = client_for(county_admin).post(
        "/oversight/formula/",
        {"weight_admission_offlist": "100", "ref_admission_offlist": "1", "threshold": "50", "note": "x"},
    )
    assert r.status_code == 403


def test_alert_raised_shows_on_the_county_workbench_and_closes_with_a_note(
    client_for: Any, county_admin: Any, clerk: Any, township_officer: Any
) -> None:
    make_offlist(clerk, n=2, department_name="富民县农业农村局")
    _fresh()
    raised = services.alerts_raise()
    alert = Alert.objects.get(rule__code="department_offlist")
    assert alert in raised and alert.owner_code == COUNTY and alert.subject == "富民县农业农村局"
    assert services.alerts_raise() == []  # once per rule, region, subject and month
    c = client_for(county_admin)
    home = c.get("/accounts/workbench/").content.decode()
    assert "部门反复清单外摊派" in home
    assert client_for(township_officer).post(f"/oversight/alerts/{alert.pk}/", {"note": "x"}).status_code in (403, 404)
    r = c.post(f"/oversight/alerts/{alert.pk}/", {"note": ""})
    assert r.status_code == 422
    r = c.post(f"/oversight/alerts/{alert.pk}/", {"note": "已约谈县农业农村局，今后一律走准入程序"})
    assert r.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "closed" and alert.note.startswith("已约谈")
    assert "部门反复清单外摊派" not in c.get("/accounts/workbench/").content.decode()
