"""Alert rules as data: a province admin changes thresholds on a page with a reason (audited,
versioned); overdue complaints （十六） and meetings above a county's own plan （四） raise alerts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cunwu.admission.models import WorkRequest
from cunwu.admission.tests.factories import make_approved
from cunwu.audit.models import AuditEntry
from cunwu.complaints.models import Complaint
from cunwu.complaints.services import Filing, complaint_file
from cunwu.oversight import aggregation, rules, services
from cunwu.oversight.models import Alert, AlertRule, AlertRuleVersion

from .helpers import COUNTY, VILLAGE

pytestmark = pytest.mark.django_db

URL = "/oversight/alerts/rules/village_meetings_over_plan/"


def _fresh() -> None:
    aggregation.refresh_months(aggregation.recent_months(timezone.localdate()))


def _form(**over: str) -> dict[str, str]:
    data = {
        "threshold": "5",
        "window_months": "1",
        "deadline_days": "20",
        "active": "on",
        "note": "按全省会议精简要求调整",
    }
    data.update(over)
    return data


def test_province_admin_changes_a_rule_with_a_reason(client_for: Any, province_admin: Any) -> None:
    services.rules_ensure()
    c = client_for(province_admin)
    page = c.get("/oversight/alerts/rules/").content.decode()
    assert "村级组织参加会议超过县定计划" in page and "举报超期未办结或超期办结" in page
    r = c.post(URL, _form(**{f"county_{COUNTY}": "2"}))
    assert r.status_code == 302
    rule = AlertRule.objects.get(code="village_meetings_over_plan")
    assert (rule.version, rule.threshold, rule.deadline_days, rule.county_thresholds) == (2, 5, 20, {COUNTY: 2})
    versions = list(AlertRuleVersion.objects.filter(rule=rule).order_by("version").values_list("version", "threshold"))
    assert versions == [(1, 4), (2, 5)], "the old thresholds are kept as version 1"
    entry = AuditEntry.objects.get(action="oversight.rule.change")
    assert entry.note == "按全省会议精简要求调整"
    page = c.get(URL).content.decode()
    assert "第 2 版" in page and "按全省会议精简要求调整" in page


@pytest.mark.parametrize(
    ("over", "field_message"),
    [
        ({"note": ""}, "请填写调整理由。"),
        ({"threshold": "abc"}, "阈值应为 1 到 10000 之间的整数。"),
        ({"threshold": "0"}, "阈值应为 1 到 10000 之间的整数。"),
        ({"window_months": "48"}, "统计月数应为 1 到 36 之间的整数。"),
        ({"deadline_days": "-3"}, "整改期限应为 1 到 365 天。"),
        ({f"county_{COUNTY}": "两次"}, "县定阈值应为 1 到 10000 之间的整数，或留空。"),
        ({"county_530199999999": "3"}, "没有代码为 530199999999 的县（市、区）。"),
    ],
)
def test_bad_values_are_refused_at_the_field(
    client_for: Any, province_admin: Any, over: dict[str, str], field_message: str
) -> None:
    r = client_for(province_admin).post(URL, _form(**over))
    assert r.status_code == 422
    assert field_message in r.content.decode()
    rule = AlertRule.objects.get(code="village_meetings_over_plan")
    assert rule.version == 1 and rule.threshold == 4, "nothing is written"
    assert not AlertRuleVersion.objects.exists() and not AuditEntry.objects.filter(action="oversight.rule.change")


def test_only_the_province_admin_changes_rules(client_for: Any, county_admin: Any, township_officer: Any) -> None:
    for user in (county_admin, township_officer):
        c = client_for(user)
        page = c.get(URL)
        assert page.status_code == 200 and "保存为新版本" not in page.content.decode()
        assert c.post(URL, _form()).status_code == 403
    assert AlertRule.objects.get(code="village_meetings_over_plan").version == 1


def test_a_second_change_from_a_stale_page_is_a_conflict(province_admin: Any) -> None:
    services.rules_ensure()
    stale = AlertRule.objects.get(code="village_meetings_over_plan")
    fresh = AlertRule.objects.get(code="village_meetings_over_plan")
    services.rule_change(
        actor=province_admin,
        rule=fresh,
        threshold=3,
        window_months=1,
        deadline_days=30,
        active=True,
        county_thresholds={},
        note="第一次",
    )
    from cunwu.errors import Conflict

    with pytest.raises(Conflict):
        services.rule_change(
            actor=province_admin,
            rule=stale,
            threshold=6,
            window_months=1,
            deadline_days=30,
            active=True,
            county_thresholds={},
            note="第二次",
        )


def test_meetings_above_the_county_plan_raise_an_alert(department: Any, reviewer: Any, province_admin: Any) -> None:
    for i in range(2):
        r = make_approved(
            department,
            reviewer,
            title=f"协助开展农村危房排查登记（第{i + 1}批）",
            content="请各村协助县住建局逐户排查农村危房并登记，本季度内完成。",
        )
        WorkRequest.objects.filter(pk=r.pk).update(type="meeting")
    _fresh()
    services.alerts_raise()
    assert not Alert.objects.filter(rule__code="village_meetings_over_plan"), "2 meetings are under the province's 4"
    rule = AlertRule.objects.get(code="village_meetings_over_plan")
    services.rule_change(
        actor=province_admin,
        rule=rule,
        threshold=4,
        window_months=1,
        deadline_days=30,
        active=True,
        county_thresholds={COUNTY: "2"},
        note="富民县计划每村每月不超过 1 次会议",
    )
    services.alerts_raise()
    alert = Alert.objects.get(rule__code="village_meetings_over_plan", region_code=VILLAGE)
    assert alert.owner_code == COUNTY and alert.rule_version == 2 and "县定计划 2" in alert.message


def test_overdue_complaints_raise_an_alert_for_the_county() -> None:
    complaint = complaint_file(
        Filing(
            category="pushed_work",
            region=VILLAGE,
            text="县某局要求村里每周上报巡查照片，不在清单内。",
            subject="某局",
            anonymous=True,
        )
    )
    _fresh()
    services.alerts_raise()
    assert not Alert.objects.filter(rule__code="county_overdue_complaints")
    Complaint.objects.filter(pk=complaint.pk).update(due=timezone.localdate() - dt.timedelta(days=2))
    _fresh()
    services.alerts_raise()
    alert = Alert.objects.get(rule__code="county_overdue_complaints")
    assert alert.region_code == COUNTY and alert.owner_code == COUNTY and "（十六）" in alert.message


def test_rule_check_reads_typed_numbers() -> None:
    clean, problems = rules.check_rule_change(
        threshold=" 3 ",
        window_months="2",
        deadline_days=10,
        county_thresholds={COUNTY: "", "x": ""},
        counties=[COUNTY],
        note=" 理由 ",
    )
    assert not problems and clean == {
        "threshold": 3,
        "window_months": 2,
        "deadline_days": 10,
        "county_thresholds": {},
        "note": "理由",
    }
    assert rules.threshold_for(4, {COUNTY: 2}, COUNTY) == 2 and rules.threshold_for(4, {}, COUNTY) == 4
