"""Demo data for the first demo village (idempotent): posts, facility use, funding, an estate, a survey with answers."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cunwu.accounts.selectors import user_find
from cunwu.admission.selectors import evaluation_list_for
from cunwu.regions.selectors import region_find

from . import rules, selectors, services
from .models import Post

VILLAGE = "530124103200"  # the demo village clerk's village


def seed(scale: str, stdout: Any) -> None:
    if scale != "demo":
        return
    clerk, admin, village = user_find("village_clerk"), user_find("county_admin"), region_find(VILLAGE)
    if clerk is None or admin is None or village is None or Post.objects.filter(village=village).exists():
        return
    today = timezone.localdate()
    mechanisms = [pk for pk, _ in selectors.mechanism_choices(village)][:2]
    services.post_add(
        actor=clerk,
        village=village,
        data=services.PostIn("综合服务岗", "张明华", "full", ["D01", "D02"], mechanisms, "便民服务、政策宣传"),
    )
    post = services.post_add(
        actor=clerk,
        village=village,
        data=services.PostIn("网格治理岗", "李春梅", "part", ["D03"], [], "网格巡查、矛盾调解"),
    )
    services.post_condition_add(
        actor=admin, post=post, kind="funding", description="岗位补贴", amount=Decimal(6000), guaranteed_on=today
    )
    for days, office, residents in ((730, 160, 90), (365, 120, 130), (30, 80, 170)):
        services.area_use_record(
            actor=clerk,
            village=village,
            measured_on=today - timedelta(days=days),
            office_area=Decimal(office),
            residents_area=Decimal(residents),
        )
    services.presence_add(
        actor=clerk,
        village=village,
        kind="station",
        name="新时代文明实践站",
        mechanism_id=None,
        since=date(today.year - 1, 5, 1),
        until=None,
    )
    services.presence_add(
        actor=clerk,
        village=village,
        kind="service",
        name="社保卡申领",
        mechanism_id=None,
        since=date(today.year - 1, 1, 1),
        until=None,
    )
    services.team_visit_add(
        actor=clerk,
        village=village,
        team="县医院巡回医疗队",
        sent_by="县卫生健康局",
        visit_on=today + timedelta(days=10),
        services="义诊、慢病随访",
    )
    services.funding_add(
        actor=admin,
        village=village,
        kind="project",
        title="党群服务中心扩建",
        source_department="县发展和改革局",
        amount=Decimal(450000),
        year=today.year,
        status="allocated",
        adds_area=Decimal(120),
    )
    services.estate_add(
        actor=admin,
        village=village,
        name="滨河新苑",
        kind="new",
        households=800,
        area_built=Decimal(200),
        area_handed_over=Decimal(150),
        handed_over_on=today - timedelta(days=60),
    )
    evaluation = evaluation_list_for(admin).filter(year=today.year).first()
    if evaluation is not None:
        survey = services.survey_open(
            actor=admin,
            evaluation=evaluation,
            village=village,
            opens_on=date(today.year, 1, 1),
            closes_on=date(today.year, 12, 31),
        )
        rng = random.Random(18)
        for code in services.survey_codes_issue(actor=admin, survey=survey, count=40)[:34]:
            services.survey_answer(code=code, marks={q: rng.choice((5, 5, 4, 4, 3, 2)) for q, _ in rules.QUESTIONS})
    stdout.write("岗位与设施使用：演示村的岗位、设施使用、资金项目、小区用房和满意度测评")
