"""The burden plug-in and the burden selector (BURDEN_PROTOCOL.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from cunwu.reporting import burden, selectors, services
from cunwu.reporting.models import Window
from cunwu.reporting.services import FieldIn

from .factories import YEAR, make_request


def test_burden_numbers_and_plugin(
    department: Any, other_department: Any, reviewer: Any, clerk: Any, township_officer: Any, county: Any, village: Any
) -> None:
    civil = make_request(department, [FieldIn("低保户数", "integer", "户"), FieldIn("低保人数", "integer", "人")])
    shared = civil.fields.get(position=0).element_id
    police = make_request(
        other_department, [FieldIn("低保户数", "integer", "户", element_id=shared)], title="年报", frequency="yearly"
    )
    adhoc = make_request(other_department, [FieldIn("摸排人数", "integer", "人")], title="临时摸排", basis="")
    services.request_decide(actor=reviewer, request=civil, approve=True)
    services.request_decide(actor=reviewer, request=police, approve=True)
    services.request_decide(actor=reviewer, request=adhoc, approve=False, reason="没有依据")
    plan = services.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)
    b = selectors.burden_for(county.code, YEAR, today=date(YEAR, 12, 31))
    assert (b.forms_requested, b.fields_requested) == (3, 2 * 12 + 1 + 12)
    assert (b.forms_after, b.fields_after) == (12, 2 * 12)
    assert b.field_reduction > 0.3
    jan = Window.objects.get(plan=plan, period=f"{YEAR}-01")
    filing = services.filing_open(actor=clerk, plan=plan, village_code=village.code, period=f"{YEAR}-01")
    ids = [pe.element_id for pe in plan.elements.all()]
    services.filing_save(actor=clerk, filing=filing, values=dict.fromkeys(ids, "3"), submit=True, today=jan.opens)
    services.filing_return(actor=township_officer, filing=filing, reason="请核对")
    b = selectors.burden_for(county.code, YEAR, village_code=village.code, today=jan.closes + timedelta(days=1))
    assert b.expected_filings == 1
    today = timezone.localdate()
    found = list(burden.counts(today - timedelta(days=1), today + timedelta(days=1)))
    figures = {(f, r) for f, r, _, _, _ in found}
    assert ("reporting_requests_refused", county.code) in figures
    assert ("reporting_filings_submitted", village.code) in figures
    assert ("reporting_filings_returned", village.code) in figures
    assert all(f in burden.FIGURES for f, *_ in found)
    rows, total = burden.records(
        "reporting_filings_submitted",
        village.code,
        village.code,
        today - timedelta(days=1),
        today + timedelta(days=1),
        user=AnonymousUser(),
        limit=10,
    )
    assert total == 1 and rows[0].region_code == village.code and rows[0].url is None
