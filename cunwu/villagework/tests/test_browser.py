"""（五）at phone width: a villager answers the satisfaction survey; the county sees the score in the evaluation."""

from __future__ import annotations

import pytest

VILLAGE = "530124103200"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_clause_5_villager_answers_at_375px_and_county_sees_aggregated_score(page_for):
    from datetime import date

    from django.utils import timezone

    from cunwu.accounts.models import User
    from cunwu.admission import services as admission
    from cunwu.regions.models import Region
    from cunwu.villagework import services

    admin = User.objects.get(username="county_admin")
    year = timezone.localdate().year
    village = Region.objects.get(code=VILLAGE)
    evaluation = admission.evaluation_create(
        actor=admin, county=village.parent.parent, year=year, title=f"{year}年度综合考评"
    )
    survey = services.survey_open(
        actor=admin, evaluation=evaluation, village=village, opens_on=date(year, 1, 1), closes_on=date(year, 12, 31)
    )
    services.survey_setting_set(actor=admin, county=evaluation.county, min_answers=2)
    first, second = services.survey_codes_issue(actor=admin, survey=survey, count=2)
    base = page_for.base_url

    villager = page_for(phone=True)
    for code, choice in ((first, "很满意"), (second, "满意")):
        villager.goto(f"{base}/manyi/")
        villager.get_by_label("测评码").fill(f"{code[:4].lower()}-{code[4:]}")
        for group in villager.locator("fieldset").all():
            group.get_by_label(choice, exact=True).check()
        villager.get_by_role("button", name="提交").click()
        assert "谢谢您的评价" in villager.locator("main").inner_text()
        assert villager.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    villager.goto(f"{base}/manyi/")
    villager.get_by_label("测评码").fill(first)
    for group in villager.locator("fieldset").all():
        group.get_by_label("一般", exact=True).check()
    villager.get_by_role("button", name="提交").click()
    assert "这个测评码已经用过了" in villager.locator("main").inner_text()

    county = page_for("county_admin")
    county.goto(f"{base}/admission/evaluations/{evaluation.pk}/")
    section = county.locator("#satisfaction").inner_text()
    assert village.name in section and "87.50" in section

    # The clerk's own page of posts and facility use reads at phone width too.
    clerk = page_for("village_clerk", phone=True)
    clerk.goto(f"{base}/villagework/")
    clerk.wait_for_url(f"**/villagework/{VILLAGE}/")
    assert "新时代文明实践站" in clerk.locator("main").inner_text()
    assert clerk.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
