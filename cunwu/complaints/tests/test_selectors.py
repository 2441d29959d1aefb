"""Numbers for oversight (the selector and burden.py) and the workbench flags for overdue reports."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from conftest import COUNTY, VILLAGE
from cunwu.accounts.navigation import work_items_for
from cunwu.complaints import burden, selectors, services
from cunwu.complaints.models import Complaint
from cunwu.regions import codes

pytestmark = pytest.mark.django_db


def _window() -> tuple[Any, Any]:
    today = timezone.localdate()
    return today - timedelta(days=1), today + timedelta(days=1)


def test_numbers_per_category_subject_finding_and_on_time(make_complaint: Any, reviewer: Any) -> None:
    a = make_complaint(subject="富民县某局")
    make_complaint(subject="富民县某局", category="meeting_form")
    c = make_complaint(subject="某派出所", category="forbidden_certificate")
    services.complaint_conclude(actor=reviewer, complaint=a, outcome="已纠正", finding="substantiated")
    services.complaint_conclude(actor=reviewer, complaint=c, outcome="不属实", finding="unsubstantiated")
    Complaint.objects.filter(pk=c.pk).update(due=timezone.localdate() - timedelta(days=2))  # closed late
    n = selectors.complaint_numbers(*_window(), region=COUNTY)
    assert n.by_category == {"forbidden_certificate": 1, "meeting_form": 1, "pushed_work": 1}
    assert n.by_subject == {"富民县某局": 2, "某派出所": 1}
    assert n.by_finding == {"substantiated": 1, "unsubstantiated": 1}
    assert n.by_handler == {COUNTY: 3}
    assert (n.closed, n.on_time, n.on_time_rate) == (2, 1, 0.5)
    assert selectors.complaint_numbers(*_window(), region="530100000000").closed == 2
    assert selectors.complaint_numbers(*_window(), region="532300000000").by_category == {}


def test_burden_counts_follow_the_protocol(make_complaint: Any) -> None:
    make_complaint(subject="富民县某局")
    make_complaint(subject="", category="forbidden_certificate")
    rows = list(burden.counts(*_window()))
    month = timezone.localdate().strftime("%Y-%m")
    assert ("complaints_received", VILLAGE, month, "富民县某局", 1) in rows
    assert ("complaints_received", VILLAGE, month, None, 1) in rows
    assert ("complaints_pushed_work", VILLAGE, month, "富民县某局", 1) in rows
    assert ("complaints_forbidden_certificate", VILLAGE, month, None, 1) in rows
    assert set(burden.FIGURES) >= {f for f, *_ in rows}
    assert all(f.startswith("complaints_") for f in burden.FIGURES)
    low, high = codes.code_range(COUNTY, codes.COUNTY)
    rows, total = burden.records("complaints_pushed_work", low, high, *_window(), user=AnonymousUser(), limit=10)
    assert total == 1 and rows[0].subject == "富民县某局" and rows[0].url is None
    rows, total = burden.records(
        "complaints_pushed_work", "530300000000", "530399999999", *_window(), user=AnonymousUser(), limit=10
    )
    assert total == 0


def test_overdue_reports_are_flagged_on_county_and_prefecture_workbenches(
    make_complaint: Any, reviewer: Any, prefecture_admin: Any, township_officer: Any
) -> None:
    late = make_complaint()
    Complaint.objects.filter(pk=late.pk).update(due=timezone.localdate() - timedelta(days=1))
    titles = {w.title: w.count for w in work_items_for(reviewer)}
    assert titles["举报已超过办理期限"] == 1 and titles["新收到的举报待受理"] == 1
    assert {w.title: w.count for w in work_items_for(prefecture_admin)}["所辖县（市、区）有超期未办结的举报"] == 1
    assert not [w for w in work_items_for(township_officer) if w.area == "举报办理"]


def test_list_query_count_is_flat(make_complaint: Any, reviewer: Any, django_assert_max_num_queries: Any) -> None:
    for _ in range(5):
        make_complaint()
    with django_assert_max_num_queries(3):
        assert len(list(selectors.complaint_list_for(reviewer))) == 5
