"""Pages of the villagework app: scoped, errors at the field in Chinese, nothing half-written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cunwu.villagework import services
from cunwu.villagework.models import Estate, SurveyAnswer

from .conftest import marks

pytestmark = pytest.mark.django_db


def _answer_post(code: str, value: int = 5) -> dict[str, Any]:
    return {"code": code} | {q: str(v) for q, v in marks(value).items()}


def test_clause_5_public_survey_answers_once_and_repeats_get_a_chinese_message(
    client: Any, county_admin: Any, survey: Any
) -> None:
    code = services.survey_codes_issue(actor=county_admin, survey=survey, count=1)[0]
    url = reverse("villagework_public:survey")
    page = client.get(url)
    assert page.status_code == 200 and "测评码" in page.content.decode() and "<label" in page.content.decode()
    done = client.post(url, _answer_post(code))
    assert done.status_code == 200 and "谢谢您的评价" in done.content.decode()
    again = client.post(url, _answer_post(code))
    assert again.status_code == 422 and "这个测评码已经用过了" in again.content.decode()
    missing = client.post(url, {"code": code})
    assert missing.status_code == 422 and "请选择一项" in missing.content.decode()
    assert SurveyAnswer.objects.count() == 1


def test_clause_5_public_survey_is_rate_limited(client: Any, settings: Any) -> None:
    settings.RATE_LIMIT_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public": 2}
    url = reverse("villagework_public:survey")
    statuses = [client.post(url, _answer_post("ABCD-EFGH")).status_code for _ in range(4)]
    assert statuses[:2] == [422, 422] and statuses[-1] == 429


def test_clause_5_code_sheet_and_the_evaluation_page_shows_the_aggregated_score(
    client_for: Any, county_admin: Any, survey: Any, evaluation: Any
) -> None:
    c = client_for(county_admin)
    sheet = c.post(reverse("villagework:survey_codes", kwargs={"pk": survey.pk}), {"count": "3"})
    text = sheet.content.decode()
    assert sheet.status_code == 200 and text.count('class="code"') == 3 and sheet["Cache-Control"] == "no-store"
    page = c.get(reverse("admission:evaluation_detail", kwargs={"pk": evaluation.pk}))
    assert "群众满意（村民满意度测评）" in page.content.decode() and "未计分（不足 30 份）" in page.content.decode()


def test_clause_6_posts_page_masks_the_holder_publicly(client: Any, client_for: Any, clerk: Any, village: Any) -> None:
    c = client_for(clerk)
    url = reverse("villagework:region", kwargs={"code": village.code})
    bad = c.post(url, {"form": "post", "post-title": "综合服务岗", "post-employment": "full"})
    assert bad.status_code == 422 and "请至少填写一项清单事项" in bad.content.decode()
    ok = c.post(
        url,
        {
            "form": "post",
            "post-title": "综合服务岗",
            "post-holder_name": "李四海",
            "post-employment": "part",
            "post-duty_codes": "D01，D02",
        },
    )
    assert ok.status_code == 302
    public = client.get(reverse("villagework_public:posts", kwargs={"code": village.code})).content.decode()
    assert "综合服务岗" in public and "李四海" not in public and "D02" in public


def test_clause_7_estate_with_more_handed_over_than_built_is_refused_at_the_field(
    client_for: Any, county_admin: Any, clerk: Any, village: Any, county: Any
) -> None:
    url = reverse("villagework:region", kwargs={"code": village.code})
    form = {
        "form": "estate",
        "estate-name": "滨河小区",
        "estate-kind": "new",
        "estate-households": "1000",
        "estate-area_built": "100",
        "estate-area_handed_over": "150",
        "estate-handed_over_on": "2026-03-01",
    }
    assert client_for(clerk).post(url, form).status_code == 403
    bad = client_for(county_admin).post(url, form)
    assert bad.status_code == 422 and "不能大于已建成用房面积" in bad.content.decode() and not Estate.objects.exists()
    assert client_for(county_admin).post(url, form | {"estate-area_built": "200"}).status_code == 302
    county_page = (
        client_for(county_admin).get(reverse("villagework:region", kwargs={"code": county.code})).content.decode()
    )
    assert "尚欠 <strong>150.00</strong> 平方米" in county_page


def test_clause_8_village_records_use_and_township_sees_villages_side_by_side(
    client_for: Any, clerk: Any, township_officer: Any, other_clerk: Any, village: Any, township: Any
) -> None:
    url = reverse("villagework:region", kwargs={"code": village.code})
    c = client_for(clerk)
    assert (
        c.post(
            url,
            {"form": "area", "area-measured_on": "2026-01-05", "area-office_area": "60", "area-residents_area": "140"},
        ).status_code
        == 302
    )
    assert (
        c.post(
            url,
            {
                "form": "presence",
                "presence-kind": "station",
                "presence-name": "新时代文明实践站",
                "presence-since": "2025-05-01",
            },
        ).status_code
        == 302
    )
    assert client_for(other_clerk).get(url).status_code == 404
    side = client_for(township_officer).get(reverse("villagework:region", kwargs={"code": township.code}))
    text = side.content.decode()
    assert side.status_code == 200 and "70%" in text and "自 2025-05-01" in text and village.name in text
    assert client_for(township_officer).post(url, {"form": "area"}).status_code == 403


def test_clause_6_county_records_a_working_condition_for_a_chosen_post(
    client_for: Any, clerk: Any, county_admin: Any, village: Any
) -> None:
    post = services.post_add(
        actor=clerk, village=village, data=services.PostIn("综合服务岗", "李四海", "full", ["D01"], [])
    )
    url = reverse("villagework:region", kwargs={"code": village.code})
    page = client_for(county_admin).get(url).content.decode()
    assert "记录县级保障的工作条件" in page and "李四海" not in page
    form = {
        "form": "condition",
        "condition-post": str(post.pk),
        "condition-kind": "equipment",
        "condition-description": "配备电脑和打印机",
        "condition-guaranteed_on": "2026-02-01",
    }
    assert client_for(county_admin).post(url, form).status_code == 302
    assert post.conditions.get().description == "配备电脑和打印机"
    assert client_for(clerk).post(url, form).status_code == 403


def test_clause_5_county_opens_a_survey_on_the_survey_page(
    client_for: Any, county_admin: Any, evaluation: Any, village: Any
) -> None:
    url = reverse("villagework:surveys", kwargs={"pk": evaluation.pk})
    y = evaluation.year
    bad = client_for(county_admin).post(
        url,
        {"form": "open", "open-village": village.code, "open-opens_on": f"{y}-06-30", "open-closes_on": f"{y}-06-01"},
    )
    assert bad.status_code == 422 and "截止日期不能早于开始日期" in bad.content.decode()
    ok = client_for(county_admin).post(
        url,
        {"form": "open", "open-village": village.code, "open-opens_on": f"{y}-06-01", "open-closes_on": f"{y}-06-30"},
    )
    assert ok.status_code == 302
    assert village.name in client_for(county_admin).get(url).content.decode()


def test_clause_6_the_village_changes_who_holds_a_post(client_for: Any, clerk: Any, village: Any) -> None:
    from cunwu.audit.models import AuditEntry

    post = services.post_add(
        actor=clerk, village=village, data=services.PostIn("综合服务岗", "李四海", "full", ["D01"], [])
    )
    url = reverse("villagework:region", kwargs={"code": village.code})
    form = {"form": "holder", "holder-post": str(post.pk), "holder-holder_name": "王五一", "holder-employment": "part"}
    assert client_for(clerk).post(url, form).status_code == 302
    post.refresh_from_db()
    assert (post.holder_name, post.employment) == ("王五一", "part")
    entry = AuditEntry.objects.get(action="villagework.post_holder_set")
    assert "王五一" not in str(entry.after) and "李四海" not in str(entry.before)
