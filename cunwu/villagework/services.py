"""Every write of the villagework app: atomic, audited, scope-checked. Named `<noun>_<verb>(*, actor, ...)`.

The county opens surveys, prints code sheets, guarantees posts' conditions and records funding and estates;
the village keeps its posts and how its facility is used; a villager answers with a one-time code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.audit.services import audit_record
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.errors import Conflict, Invalid, Problems
from cunwu.masking import mask_name
from cunwu.regions import codes
from cunwu.signs.selectors import mechanism_rows

from . import rules
from .models import (
    AreaUse,
    Estate,
    FacilityPresence,
    Funding,
    Post,
    PostCondition,
    Presence,
    Survey,
    SurveyAnswer,
    SurveyCode,
    SurveySetting,
    TeamVisit,
)

if TYPE_CHECKING:
    from cunwu.admission.models import Evaluation
    from cunwu.regions.models import Region


def _code_key() -> bytes:
    return hashlib.sha256(b"cunwu.villagework.survey-codes:" + settings.SECRET_KEY.encode()).digest()


def _require(actor: Any, perm: Perm, region: Region) -> None:
    """404 outside what the person sees, 403 without `perm` there; records are kept per village."""
    scope_for(actor).require(perm, region.code, view=Perm.SIGN_VIEW)
    if region.level not in codes.VILLAGE_LEVELS:
        raise Invalid.field("village", "请选择村（社区）。")


def _raise(problems: dict[str, str], detail: str) -> None:
    p = Problems()
    for name, message in problems.items():
        p.add(name, message)
    p.raise_if_any(detail)


# --- （五） the satisfaction survey ------------------------------------------------------------------


def survey_setting_set(*, actor: Any, county: Region, min_answers: int) -> SurveySetting:
    """The county's minimum number of answers before a village's satisfaction score counts."""
    scope_for(actor).require(Perm.EVALUATION_MANAGE, county.code, view=Perm.ADMISSION_VIEW)
    problem = rules.min_answers_problem(min_answers)
    if problem:
        raise Invalid.field("min_answers", problem)
    with transaction.atomic():
        setting, _ = SurveySetting.objects.select_for_update().get_or_create(county=county)
        before = {"min_answers": setting.min_answers}
        setting.min_answers = min_answers
        setting.save(update_fields=["min_answers"])
        audit_record(
            actor=actor,
            action="villagework.survey_setting_set",
            obj=setting,
            region_code=county.code,
            before=before,
            after={"min_answers": min_answers},
        )
    return setting


def survey_open(*, actor: Any, evaluation: Evaluation, village: Region, opens_on: date, closes_on: date) -> Survey:
    """Open the satisfaction survey of a village of the evaluation's county （五）."""
    scope_for(actor).require(Perm.EVALUATION_MANAGE, evaluation.county_id, view=Perm.ADMISSION_VIEW)
    problems: dict[str, str] = {}
    if not village.is_village or not codes.within(village.code, evaluation.county_id, codes.COUNTY):
        problems["village"] = "请选择本县的村（社区）。"
    if closes_on < opens_on:
        problems["closes_on"] = "截止日期不能早于开始日期。"
    if closes_on.year != evaluation.year and opens_on.year != evaluation.year:
        problems["opens_on"] = f"测评时间应在考评年度（{evaluation.year}年）内。"
    _raise(problems, "测评信息有误，未开启。")
    with transaction.atomic():
        if Survey.objects.filter(evaluation=evaluation, village=village).exists():
            raise Conflict(f"{village.name}本年度的满意度测评已经开启。", "survey_exists")
        survey = Survey.objects.create(
            evaluation=evaluation, village=village, opens_on=opens_on, closes_on=closes_on, created_by=actor
        )
        audit_record(
            actor=actor,
            action="villagework.survey_open",
            obj=survey,
            region_code=village.code,
            after={"evaluation": evaluation.pk, "opens_on": str(opens_on), "closes_on": str(closes_on)},
        )
    return survey


def survey_codes_issue(*, actor: Any, survey: Survey, count: int) -> list[str]:
    """Make `count` one-time codes for the printed sheet; only their hashes are kept, so the sheet is shown once."""
    scope_for(actor).require(Perm.EVALUATION_MANAGE, survey.village_id, view=Perm.ADMISSION_VIEW)
    if count < 1 or count > rules.MAX_CODES_PER_SHEET:
        raise Invalid.field("count", f"每次可生成 1 到 {rules.MAX_CODES_PER_SHEET} 个测评码。")
    key = _code_key()
    issued: dict[str, str] = {}
    while len(issued) < count:
        code = rules.new_code()
        issued[rules.code_hash(code, key)] = code
    with transaction.atomic():
        taken = set(SurveyCode.objects.filter(code_hash__in=list(issued)).values_list("code_hash", flat=True))
        for h in taken:  # vanishingly rare: replace rather than fail
            del issued[h]
        SurveyCode.objects.bulk_create([SurveyCode(survey=survey, code_hash=h) for h in issued])
        audit_record(
            actor=actor,
            action="villagework.survey_codes_issue",
            obj=survey,
            region_code=survey.village_id,
            after={"count": len(issued)},
        )
    return sorted(issued.values())


def survey_answer(*, code: str, marks: dict[str, int | None], today: date | None = None) -> Survey:
    """A villager's answer with a one-time code （五）: checked, then the code spent and the answer kept apart."""
    today = today or timezone.localdate()
    problems = rules.marks_problems(marks)
    problem = rules.code_problem(code)
    if problem:
        problems["code"] = problem
    _raise(problems, "答卷未提交，请按提示修改。")
    h = rules.code_hash(code, _code_key())
    row = SurveyCode.objects.filter(code_hash=h).select_related("survey", "survey__village").first()
    if row is None:
        raise Invalid.field("code", "测评码不正确，请核对纸条上的测评码。")
    survey = row.survey
    window = rules.window_problem(today, survey.opens_on, survey.closes_on)
    if window:
        raise Invalid.field("code", window)
    clean = {q: int(marks[q] or 0) for q, _ in rules.QUESTIONS}
    with transaction.atomic():
        if not SurveyCode.objects.filter(pk=row.pk, used=False).update(used=True):
            raise Invalid.field("code", "这个测评码已经用过了，每个测评码只能提交一次。")
        SurveyAnswer.objects.create(survey=survey, answered_on=today, marks=clean, score=rules.answer_score(clean))
        # No answer id and no address: the audit row must not tie an answer to its code or sender.
        audit_record(
            actor="村民（匿名）",
            action="villagework.survey_answer",
            obj=survey,
            region_code=survey.village_id,
            keep_ip=False,
        )
    return survey


# --- （六） posts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostIn:
    title: str
    holder_name: str
    employment: str
    duty_codes: list[str]
    mechanism_ids: list[int]
    duties_note: str = ""


def _clean_post(village: Region, data: PostIn) -> dict[str, str]:
    problems = rules.check_post(title=data.title, duty_codes=data.duty_codes, mechanism_ids=data.mechanism_ids)
    known = {i.code for kind in (kinds.DUTY, kinds.ASSIST) for i in catalog_in_force(kind, village)}
    unknown = [c for c in data.duty_codes if c not in known]
    if unknown:
        problems["duty_codes"] = f"以下编号不在本村适用的履职或协助服务事项清单中：{'、'.join(unknown)}。"
    own = {r.mechanism.pk for r in mechanism_rows(village)}
    if any(m not in own for m in data.mechanism_ids):
        problems["mechanism_ids"] = "只能选择本村登记在设的工作机制。"
    if data.employment not in ("full", "part"):
        problems["employment"] = "请选择专职或兼职。"
    return problems


def post_add(*, actor: Any, village: Region, data: PostIn) -> Post:
    """Register a village post with the duties merged into it （六）."""
    _require(actor, Perm.SIGN_EDIT, village)
    _raise(_clean_post(village, data), "岗位信息有误，未保存。")
    with transaction.atomic():
        post = Post.objects.create(
            village=village,
            title=data.title.strip(),
            holder_name=data.holder_name.strip(),
            employment=data.employment,
            duty_codes=data.duty_codes,
            mechanism_ids=data.mechanism_ids,
            duties_note=data.duties_note,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="villagework.post_add",
            obj=post,
            region_code=village.code,
            after={"title": post.title, "holder": mask_name(post.holder_name), "employment": post.employment},
        )
    return post


def post_holder_set(*, actor: Any, post: Post, holder_name: str, employment: str) -> Post:
    """Record who now holds a post, full- or part-time （六）; an empty name leaves the post vacant."""
    _require(actor, Perm.SIGN_EDIT, post.village)
    if employment not in ("full", "part"):
        raise Invalid.field("employment", "请选择专职或兼职。")
    before = {"holder": mask_name(post.holder_name), "employment": post.employment}
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(holder_name=holder_name.strip(), employment=employment)
        post.holder_name, post.employment = holder_name.strip(), employment
        audit_record(
            actor=actor,
            action="villagework.post_holder_set",
            obj=post,
            region_code=post.village_id,
            before=before,
            after={"holder": mask_name(post.holder_name), "employment": employment},
        )
    return post


def post_condition_add(
    *, actor: Any, post: Post, kind: str, description: str, amount: Decimal | None, guaranteed_on: date
) -> PostCondition:
    """The county records a working condition it guarantees for a post （六）."""
    scope_for(actor).require(Perm.SIGN_CAMPAIGN, post.village_id, view=Perm.SIGN_VIEW)
    problems: dict[str, str] = {}
    if kind not in ("funding", "equipment", "training"):
        problems["kind"] = "请选择经费、设备或培训。"
    if not description.strip():
        problems["description"] = "请写明保障内容。"
    if amount is not None and amount < 0:
        problems["amount"] = "金额不能为负数。"
    _raise(problems, "保障信息有误，未保存。")
    with transaction.atomic():
        condition = PostCondition.objects.create(
            post=post, kind=kind, description=description, amount=amount, guaranteed_on=guaranteed_on, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="villagework.post_condition_add",
            obj=condition,
            region_code=post.village_id,
            after={"post": post.pk, "kind": kind, "amount": str(amount) if amount is not None else None},
        )
    return condition


# --- （七） funding and estates -----------------------------------------------------------------------


def funding_add(*, actor: Any, village: Region, **data: Any) -> Funding:
    """The county records funds, resources or projects integrated for a village's facility （七）."""
    _require(actor, Perm.SIGN_CAMPAIGN, village)
    problems: dict[str, str] = {}
    if data["amount"] < 0:
        problems["amount"] = "金额不能为负数。"
    if data["adds_area"] < 0:
        problems["adds_area"] = "面积不能为负数。"
    if not 2000 <= data["year"] <= 2100:
        problems["year"] = "请填写正确的年度。"
    _raise(problems, "资金项目信息有误，未保存。")
    with transaction.atomic():
        funding = Funding.objects.create(village=village, recorded_by=actor, **data)
        audit_record(
            actor=actor,
            action="villagework.funding_add",
            obj=funding,
            region_code=village.code,
            after={k: str(v) for k, v in data.items()},
        )
    return funding


def funding_status_set(*, actor: Any, funding: Funding, status: str) -> Funding:
    """Move a funding record along planned → allocated → done (a conditional update)."""
    scope_for(actor).require(Perm.SIGN_CAMPAIGN, funding.village_id, view=Perm.SIGN_VIEW)
    order = ["planned", "allocated", "done"]
    if status not in order or order.index(status) <= order.index(funding.status):
        raise Invalid.field("status", "只能按“已列入计划 → 已下达 → 已完成”向前推进。")
    with transaction.atomic():
        if not Funding.objects.filter(pk=funding.pk, status=funding.status).update(status=status):
            raise Conflict("该记录已被他人更新，请刷新后再试。")
        audit_record(
            actor=actor,
            action="villagework.funding_status_set",
            obj=funding,
            region_code=funding.village_id,
            before={"status": funding.status},
            after={"status": status},
        )
        funding.status = status
    return funding


def estate_add(
    *,
    actor: Any,
    village: Region,
    name: str,
    kind: str,
    households: int,
    area_built: Decimal,
    area_handed_over: Decimal,
    handed_over_on: date | None,
) -> Estate:
    """Record a new or rebuilt estate and the premises it must hand over free （七）."""
    _require(actor, Perm.SIGN_CAMPAIGN, village)
    problems = rules.estate_problems(
        area_built=area_built, area_handed_over=area_handed_over, handed_over_on=handed_over_on
    )
    if not name.strip():
        problems["name"] = "请填写小区名称。"
    if households < 1:
        problems["households"] = "规划户数至少为 1。"
    _raise(problems, "小区配套用房信息有误，未保存。")
    with transaction.atomic():
        estate = Estate.objects.create(
            village=village,
            name=name.strip(),
            kind=kind,
            households=households,
            area_due=rules.estate_area_due(households),
            area_built=area_built,
            area_handed_over=area_handed_over,
            handed_over_on=handed_over_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="villagework.estate_add",
            obj=estate,
            region_code=village.code,
            after={"name": estate.name, "due": str(estate.area_due), "handed_over": str(area_handed_over)},
        )
    return estate


# --- （八） how the facility is used -----------------------------------------------------------------


def area_use_record(
    *, actor: Any, village: Region, measured_on: date, office_area: Decimal, residents_area: Decimal
) -> AreaUse:
    """Office against residents' activity area as measured on a date （八）."""
    _require(actor, Perm.SIGN_EDIT, village)
    problems: dict[str, str] = {}
    if office_area < 0:
        problems["office_area"] = "面积不能为负数。"
    if residents_area < 0:
        problems["residents_area"] = "面积不能为负数。"
    if not problems and office_area + residents_area <= 0:
        problems["residents_area"] = "办公用房和居民活动区域面积不能都为 0。"
    if measured_on > timezone.localdate():
        problems["measured_on"] = "测量日期不能晚于今天。"
    _raise(problems, "面积信息有误，未保存。")
    with transaction.atomic():
        if AreaUse.objects.filter(village=village, measured_on=measured_on).exists():
            raise Invalid.field("measured_on", "这一天已经登记过面积，请换一个日期。")
        row = AreaUse.objects.create(
            village=village,
            measured_on=measured_on,
            office_area=office_area,
            residents_area=residents_area,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="villagework.area_use_record",
            obj=row,
            region_code=village.code,
            after={"office": str(office_area), "residents": str(residents_area), "on": str(measured_on)},
        )
    return row


def presence_add(
    *,
    actor: Any,
    village: Region,
    kind: str,
    name: str,
    mechanism_id: int | None,
    since: date | None,
    until: date | None,
) -> FacilityPresence:
    """An organisation, mechanism, one-stop service or 新时代文明实践站 in the facility, with dates （八）."""
    _require(actor, Perm.SIGN_EDIT, village)
    problems = rules.presence_problems(since, until)
    if kind not in Presence.values:
        problems["kind"] = "请选择类别。"
    mechanisms = {r.mechanism.pk: r.mechanism.name for r in mechanism_rows(village)}
    if kind == Presence.MECHANISM:
        if mechanism_id not in mechanisms:
            problems["mechanism_id"] = "请选择本村登记在设的工作机制。"
        else:
            name = name.strip() or mechanisms[mechanism_id]
    else:
        mechanism_id = None
    if not name.strip():
        problems["name"] = "请填写名称。"
    _raise(problems, "设施使用信息有误，未保存。")
    assert since is not None
    with transaction.atomic():
        row = FacilityPresence.objects.create(
            village=village,
            kind=kind,
            name=name.strip(),
            mechanism_id=mechanism_id,
            since=since,
            until=until,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="villagework.presence_add",
            obj=row,
            region_code=village.code,
            after={"kind": kind, "name": row.name, "since": str(since), "until": str(until) if until else None},
        )
    return row


def team_visit_add(*, actor: Any, village: Region, team: str, sent_by: str, visit_on: date, services: str) -> TeamVisit:
    """A service team sent down to the village, on a date of its schedule （八）."""
    _require(actor, Perm.SIGN_EDIT, village)
    problems: dict[str, str] = {}
    if not team.strip():
        problems["team"] = "请填写服务团队名称。"
    if not sent_by.strip():
        problems["sent_by"] = "请填写派出单位。"
    if not services.strip():
        problems["services"] = "请填写服务内容。"
    _raise(problems, "服务团队日程有误，未保存。")
    with transaction.atomic():
        row = TeamVisit.objects.create(
            village=village,
            team=team.strip(),
            sent_by=sent_by.strip(),
            visit_on=visit_on,
            services=services,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="villagework.team_visit_add",
            obj=row,
            region_code=village.code,
            after={"team": row.team, "visit_on": str(visit_on)},
        )
    return row
