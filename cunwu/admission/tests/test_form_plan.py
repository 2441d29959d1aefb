"""（四）: a form demand passes screening only when the county's published annual plan holds it.

The request's own wording ("已纳入县级统一整合", "一表通") never counts; the plan built by the
reporting app does.
"""

from __future__ import annotations

from typing import Any

from cunwu.admission.tests.factories import make_request as make_work_request
from cunwu.reporting import services as reporting
from cunwu.reporting.services import FieldIn
from cunwu.reporting.tests.factories import YEAR
from cunwu.reporting.tests.factories import make_request as make_form_request

FORM_TITLE = "农村低保对象统计表"
ASKS_A_FORM = {
    "title": f"关于报送{FORM_TITLE}的通知",
    "content": "请各村按月填报农村低保对象统计表（低保户数、低保人数），该表已纳入县级统一整合（一表通）。",
    "basis": "《社会救助暂行办法》",
    "responsible_body": "富民县民政局",
}


def _rules(request: Any) -> set[str]:
    return {v["rule"] for v in request.screening["violations"]}


def _plan_with_the_form(department: Any, reviewer: Any, county: Any) -> None:
    form = make_form_request(
        department, [FieldIn("低保户数", "integer", "户"), FieldIn("低保人数", "integer", "人")], title=FORM_TITLE
    )
    reporting.request_decide(actor=reviewer, request=form, approve=True)
    reporting.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)


def test_a_form_outside_the_plan_is_adhoc_whatever_the_request_claims(department: Any) -> None:
    request = make_work_request(department, period_start=None, **ASKS_A_FORM)
    assert "adhoc_form" in _rules(request)


def test_the_same_form_in_the_published_plan_is_not_adhoc(department: Any, reviewer: Any, county: Any) -> None:
    from datetime import date

    _plan_with_the_form(department, reviewer, county)
    request = make_work_request(department, period_start=date(YEAR, 1, 1), **ASKS_A_FORM)
    assert "adhoc_form" not in _rules(request)
    # another year's plan does not cover it
    later = make_work_request(
        department, period_start=date(YEAR + 1, 1, 1), deadline=date(YEAR + 1, 3, 1), **ASKS_A_FORM
    )
    assert "adhoc_form" in _rules(later)
