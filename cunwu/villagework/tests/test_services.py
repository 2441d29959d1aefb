"""Writes of the villagework app: each clause's service, its audit row and its refusals."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cunwu.audit.models import AuditEntry
from cunwu.errors import Forbidden, Invalid, NotFound
from cunwu.villagework import rules, selectors, services
from cunwu.villagework.models import Estate, Funding, Post, SurveyAnswer, SurveyCode

from .conftest import marks

pytestmark = pytest.mark.django_db


def _answer(code: str, value: int = 4, today: date | None = None) -> Any:
    return services.survey_answer(code=code, marks=marks(value), today=today)


def test_clause_5_one_answer_per_code_anonymous_and_counted_past_the_minimum(
    county_admin: Any, survey: Any, evaluation: Any, village: Any
) -> None:
    issued = services.survey_codes_issue(actor=county_admin, survey=survey, count=5)
    assert len(set(issued)) == 5
    stored = list(SurveyCode.objects.filter(survey=survey).values_list("code_hash", flat=True))
    assert all(c not in h for c in issued for h in stored)  # only hashes are kept
    services.survey_setting_set(actor=county_admin, county=evaluation.county, min_answers=3)
    for code, value in zip(issued[:3], (5, 4, 3), strict=True):
        _answer(f"{code[:4].lower()}-{code[4:]}", value)
    with pytest.raises(Invalid) as exc:
        _answer(issued[0])
    assert exc.value.errors[0].field == "code" and "已经用过" in exc.value.errors[0].message
    assert SurveyAnswer.objects.filter(survey=survey).count() == 3
    answer_fields = {f.name for f in SurveyAnswer._meta.get_fields()}
    assert not answer_fields & {"code", "code_hash", "ip", "created_at", "phone"}
    entry = AuditEntry.objects.filter(action="villagework.survey_answer").latest("pk")
    assert entry.ip is None and entry.object_id == str(survey.pk)
    result = selectors.satisfaction_for_evaluation(evaluation, [village.code])[village.code]
    assert result.answers == 3 and result.score == Decimal("75.00")


def test_clause_5_answers_outside_the_window_or_unknown_codes_are_refused(county_admin: Any, survey: Any) -> None:
    code = services.survey_codes_issue(actor=county_admin, survey=survey, count=1)[0]
    with pytest.raises(Invalid) as exc:
        _answer(code, today=survey.closes_on + timedelta(days=1))
    assert "结束" in exc.value.errors[0].message
    with pytest.raises(Invalid) as exc:
        _answer("ABCD-EFGH")
    assert "测评码不正确" in exc.value.errors[0].message
    with pytest.raises(Invalid) as exc:
        services.survey_answer(code=code, marks={"q1": 5})
    assert {e.field for e in exc.value.errors} == {"q2", "q3", "q4"}
    assert not SurveyAnswer.objects.exists() and not SurveyCode.objects.filter(used=True).exists()


def test_clause_5_only_the_county_opens_surveys_and_the_default_minimum_is_30(
    clerk: Any, county_admin: Any, evaluation: Any, village: Any, other_village: Any
) -> None:
    assert selectors.min_answers_for(evaluation.county_id) == 30
    with pytest.raises((Forbidden, NotFound)):
        services.survey_open(
            actor=clerk, evaluation=evaluation, village=village, opens_on=date.today(), closes_on=date.today()
        )
    with pytest.raises(Invalid) as exc:
        services.survey_open(
            actor=county_admin,
            evaluation=evaluation,
            village=other_village,
            opens_on=date.today(),
            closes_on=date.today() - timedelta(days=1),
        )
    assert exc.value.errors[0].field == "closes_on"


def test_clause_6_posts_merge_catalog_items_and_mechanisms_and_the_county_guarantees_conditions(
    clerk: Any, county_admin: Any, village: Any
) -> None:
    from cunwu.signs import services as signs

    mechanism = signs.mechanism_add(
        actor=clerk, region=village, name="农村综合服务站", department="县民政局", basis_kind="none", dedicated_posts=1
    )
    data = services.PostIn("综合服务岗", "张三丰", "full", ["D01"], [mechanism.pk], "便民服务和民政协理")
    post = services.post_add(actor=clerk, village=village, data=data)
    assert Post.objects.get().duty_codes == ["D01"]
    assert AuditEntry.objects.get(action="villagework.post_add").after["holder"] != "张三丰"
    with pytest.raises(Invalid) as exc:
        services.post_add(actor=clerk, village=village, data=services.PostIn("空岗", "", "part", ["ZZ99"], []))
    assert "ZZ99" in exc.value.errors[0].message
    with pytest.raises(Forbidden):
        services.post_condition_add(
            actor=clerk,
            post=post,
            kind="funding",
            description="岗位补贴",
            amount=Decimal(6000),
            guaranteed_on=date.today(),
        )
    services.post_condition_add(
        actor=county_admin,
        post=post,
        kind="training",
        description="每年集中培训两次",
        amount=None,
        guaranteed_on=date.today(),
    )
    row = selectors.post_rows(village)[0]
    assert row.holder != "张三丰" and row.holder.startswith("张") and row.mechanisms == ["农村综合服务站"]
    assert [c.kind for c in row.conditions] == ["training"]
    assert selectors.dedicated_post_findings(village)[0].rule == "dedicated_post"


def test_clause_7_funding_closes_the_gap_and_estate_shortfalls_alert_the_county(
    clerk: Any, other_clerk: Any, county_admin: Any, village: Any, county: Any
) -> None:
    from cunwu.signs import services as signs

    signs.facility_save(actor=clerk, region=village, building_area=Decimal(200), households=500, zones={})
    services.funding_add(
        actor=county_admin,
        village=village,
        kind="project",
        title="中心扩建",
        source_department="县财政局",
        amount=Decimal(300000),
        year=2026,
        status="planned",
        adds_area=Decimal(60),
    )
    gap = selectors.gap_for(village, list(Funding.objects.all()))
    assert gap is not None and (gap.gap, gap.underway, gap.remaining) == (100, 60, 40)
    with pytest.raises(Invalid) as exc:
        services.estate_add(
            actor=county_admin,
            village=village,
            name="滨河小区",
            kind="new",
            households=1000,
            area_built=Decimal(100),
            area_handed_over=Decimal(150),
            handed_over_on=date(2026, 3, 1),
        )
    assert "不能大于已建成用房面积" in exc.value.errors[0].message and not Estate.objects.exists()
    estate = services.estate_add(
        actor=county_admin,
        village=village,
        name="滨河小区",
        kind="new",
        households=1000,
        area_built=Decimal(200),
        area_handed_over=Decimal(120),
        handed_over_on=date(2026, 3, 1),
    )
    assert estate.area_due == Decimal(300)
    alerts = selectors.estate_alerts_for(county_admin, county)
    assert [(a.estate.pk, a.shortfall) for a in alerts] == [(estate.pk, Decimal(180))]
    assert len(selectors.estate_alerts_for(clerk, county)) == 1  # the village's own estate
    assert selectors.estate_alerts_for(other_clerk, county) == []  # another village sees none of it
    with pytest.raises(Forbidden):
        services.funding_add(
            actor=clerk,
            village=village,
            kind="fund",
            title="x",
            source_department="y",
            amount=Decimal(1),
            year=2026,
            status="planned",
            adds_area=Decimal(0),
        )


def test_clause_8_area_use_over_time_presences_visits_and_the_township_side_by_side(
    clerk: Any, village: Any, township: Any
) -> None:
    today = timezone.localdate()
    services.area_use_record(
        actor=clerk,
        village=village,
        measured_on=today - timedelta(days=400),
        office_area=Decimal(120),
        residents_area=Decimal(80),
    )
    services.area_use_record(
        actor=clerk, village=village, measured_on=today, office_area=Decimal(60), residents_area=Decimal(140)
    )
    with pytest.raises(Invalid):
        services.area_use_record(
            actor=clerk, village=village, measured_on=today, office_area=Decimal(1), residents_area=Decimal(1)
        )
    services.presence_add(
        actor=clerk,
        village=village,
        kind="station",
        name="新时代文明实践站",
        mechanism_id=None,
        since=date(2025, 5, 1),
        until=None,
    )
    services.presence_add(
        actor=clerk,
        village=village,
        kind="service",
        name="社保卡办理",
        mechanism_id=None,
        since=date(2025, 1, 1),
        until=None,
    )
    with pytest.raises(Invalid) as exc:
        services.presence_add(
            actor=clerk, village=village, kind="mechanism", name="", mechanism_id=99999, since=today, until=None
        )
    assert exc.value.errors[0].field == "mechanism_id"
    services.team_visit_add(
        actor=clerk,
        village=village,
        team="县医院巡回医疗队",
        sent_by="县卫健局",
        visit_on=today + timedelta(days=7),
        services="义诊、慢病随访",
    )
    usage = selectors.usage_for(village)
    assert [round(s, 2) for _, s in usage.shares] == [0.4, 0.7] and usage.trend is None
    assert usage.station_since == date(2025, 5, 1)
    side = {r.village.code: r for r in selectors.township_side_by_side(township)}
    mine = side[village.code]
    assert (round(mine.share or 0, 2), mine.services, mine.next_visit, mine.station_since) == (
        0.7,
        1,
        today + timedelta(days=7),
        date(2025, 5, 1),
    )
    assert len(side) > 1
    assert AuditEntry.objects.filter(action__startswith="villagework.").count() >= 5


def test_codes_per_sheet_are_limited(county_admin: Any, survey: Any) -> None:
    with pytest.raises(Invalid):
        services.survey_codes_issue(actor=county_admin, survey=survey, count=rules.MAX_CODES_PER_SHEET + 1)


def test_clause_7_funding_moves_forward_only_and_completed_projects_count_as_done(
    county_admin: Any, clerk: Any, village: Any
) -> None:
    from cunwu.signs import services as signs

    signs.facility_save(actor=clerk, region=village, building_area=Decimal(250), households=100, zones={})
    funding = services.funding_add(
        actor=county_admin,
        village=village,
        kind="fund",
        title="设施改造",
        source_department="县委组织部",
        amount=Decimal(100000),
        year=2026,
        status="planned",
        adds_area=Decimal(50),
    )
    services.funding_status_set(actor=county_admin, funding=funding, status="done")
    with pytest.raises(Invalid):
        services.funding_status_set(actor=county_admin, funding=funding, status="allocated")
    with pytest.raises(Forbidden):
        services.funding_status_set(actor=clerk, funding=funding, status="done")
    gap = selectors.gap_for(village, list(Funding.objects.all()))
    assert gap is not None and (gap.gap, gap.done, gap.remaining) == (50, 50, 0)
    assert Funding.objects.get().status == "done"
    assert AuditEntry.objects.filter(action="villagework.funding_status_set").count() == 1
