"""Every read a person sees in the villagework app, scoped: outside scope is a 404.

A village sees its own records, a township its villages, a county its county (through SIGN_VIEW,
as for the facility itself); the survey pages follow the evaluation's scope (ADMISSION_VIEW).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import NotFound
from cunwu.masking import mask_name
from cunwu.regions import codes
from cunwu.regions.selectors import region_find, villages_under
from cunwu.signs.selectors import facility_view, mechanism_rows
from cunwu.signs.selectors import region_get_for as signs_region_get_for

from . import rules
from .models import (
    AreaUse,
    Estate,
    FacilityPresence,
    Funding,
    FundStatus,
    Post,
    Presence,
    Survey,
    SurveyAnswer,
    SurveySetting,
    TeamVisit,
)

if TYPE_CHECKING:
    from cunwu.admission.models import Evaluation
    from cunwu.regions.models import Region

OUT_OF_SCOPE = "找不到该记录，或不在您的管辖范围内。"


def region_get_for(user: Any, code: str) -> Region:
    """A region whose village records the user may see (the facility's scope)."""
    return signs_region_get_for(user, code)


def home_code_for(user: Any) -> str | None:
    """Where the pages start: the widest region the person sees facilities in."""
    regions = scope_for(user).regions(Perm.SIGN_VIEW)
    if not regions:
        return None
    return min(regions, key=lambda r: (codes.PREFIX_LENGTH[r[1]], r[0]))[0]


def can(user: Any, perm: Perm, region: Region) -> bool:
    return region.is_village and scope_for(user).can(perm, region.code)


# --- （五） the satisfaction survey ------------------------------------------------------------------


def min_answers_for(county_code: str) -> int:
    setting = SurveySetting.objects.filter(county_id=county_code).first()
    return setting.min_answers if setting else rules.DEFAULT_MIN_ANSWERS


def satisfaction_for_evaluation(evaluation: Evaluation, village_codes: list[str]) -> dict[str, rules.Satisfaction]:
    """Per village of the evaluation with a survey: answers and the score, counted only past the county's minimum.

    The caller has already scoped the evaluation and the villages.
    """
    minimum = min_answers_for(evaluation.county_id)
    scores: dict[str, list[Decimal]] = defaultdict(list)
    surveyed = Survey.objects.filter(evaluation=evaluation, village_id__in=village_codes).values_list(
        "village_id", flat=True
    )
    for village, score in SurveyAnswer.objects.filter(
        survey__evaluation=evaluation, survey__village_id__in=village_codes
    ).values_list("survey__village_id", "score"):
        scores[village].append(score)
    return {v: rules.decide_satisfaction(scores[v], minimum) for v in surveyed}


def satisfaction_rows(evaluation: Evaluation, villages: list[Region]) -> list[tuple[Region, rules.Satisfaction | None]]:
    """The evaluation's 群众满意 component per village (None: no survey opened); villages already scoped."""
    found = satisfaction_for_evaluation(evaluation, [v.code for v in villages])
    return [(v, found.get(v.code)) for v in villages]


@dataclass
class SurveyRow:
    survey: Survey
    codes: int
    used: int
    satisfaction: rules.Satisfaction


def survey_rows(evaluation: Evaluation, user: Any) -> list[SurveyRow]:
    """The evaluation's surveys in the user's scope, with codes issued and used."""
    scope = scope_for(user)
    surveys = list(
        Survey.objects.filter(scope.region_q("village_id", Perm.ADMISSION_VIEW), evaluation=evaluation)
        .select_related("village")
        .annotate(n_codes=Count("codes"), n_used=Count("codes", filter=Q(codes__used=True)))
    )
    results = satisfaction_for_evaluation(evaluation, [s.village_id for s in surveys])
    return [SurveyRow(s, s.n_codes, s.n_used, results[s.village_id]) for s in surveys]  # type: ignore[attr-defined]


def survey_get_for(user: Any, pk: int) -> Survey:
    scope = scope_for(user)
    survey = (
        Survey.objects.filter(scope.region_q("village_id", Perm.ADMISSION_VIEW), pk=pk)
        .select_related("village", "evaluation", "evaluation__county")
        .first()
    )
    if survey is None:
        raise NotFound(OUT_OF_SCOPE)
    return survey


# --- （六） posts ------------------------------------------------------------------------------------


@dataclass
class PostRow:
    post: Post
    holder: str  # masked
    mechanisms: list[str]
    conditions: list[Any]


def post_rows(village: Region) -> list[PostRow]:
    names = {r.mechanism.pk: r.mechanism.name for r in mechanism_rows(village)}
    posts = Post.objects.filter(village=village).prefetch_related("conditions")
    return [
        PostRow(
            p,
            mask_name(p.holder_name) if p.holder_name else "（空缺）",
            [names.get(m, f"已撤销的机制 {m}") for m in p.mechanism_ids],
            list(p.conditions.all()),
        )
        for p in posts
    ]


def post_choices(village: Region) -> list[tuple[int, str]]:
    return list(Post.objects.filter(village=village).values_list("pk", "title"))


def post_get_for(user: Any, pk: int) -> Post:
    post = Post.objects.filter(scope_for(user).region_q("village_id", Perm.SIGN_VIEW), pk=pk).first()
    if post is None:
        raise NotFound(OUT_OF_SCOPE)
    return post


def dedicated_post_findings(village: Region) -> list[rules.Finding]:
    """Mechanisms demanding dedicated posts go to the county as exceptions （六）."""
    return [
        rules.dedicated_post_finding(r.mechanism.name, r.mechanism.dedicated_posts)
        for r in mechanism_rows(village)
        if r.mechanism.dedicated_posts > 0
    ]


def mechanism_choices(village: Region) -> list[tuple[int, str]]:
    return [(r.mechanism.pk, r.mechanism.name) for r in mechanism_rows(village)]


# --- （七） funding and estates -----------------------------------------------------------------------


def gap_for(village: Region, fundings: list[Funding]) -> rules.GapClosing | None:
    view = facility_view(village)
    if view.facility is None or view.area is None:
        return None
    done = sum(float(f.adds_area) for f in fundings if f.status == FundStatus.DONE)
    underway = sum(float(f.adds_area) for f in fundings if f.status != FundStatus.DONE)
    return rules.gap_closing(view.area.required_area, float(view.facility.building_area), done, underway)


def funding_get_for(user: Any, pk: int) -> Funding:
    found = Funding.objects.filter(scope_for(user).region_q("village_id", Perm.SIGN_VIEW), pk=pk).first()
    if found is None:
        raise NotFound(OUT_OF_SCOPE)
    return found


@dataclass
class EstateAlert:
    estate: Estate
    shortfall: Decimal


def estate_alerts_for(user: Any, region: Region) -> list[EstateAlert]:
    """Estates under `region` (in the user's scope) that still owe premises （七）."""
    scope = scope_for(user)
    rows = Estate.objects.filter(scope.region_q("village_id", Perm.SIGN_VIEW), region.subtree_q("village_id"))
    out = []
    for e in rows.select_related("village").order_by("village_id", "id")[:500]:
        short = rules.estate_shortfall(e.area_due, e.area_handed_over)
        if short > 0:
            out.append(EstateAlert(e, short))
    return out


def estates_of(village: Region) -> list[tuple[Estate, Decimal]]:
    """A village's estates with the area each still owes."""
    return [(e, rules.estate_shortfall(e.area_due, e.area_handed_over)) for e in Estate.objects.filter(village=village)]


def funding_list_for(user: Any, region: Region) -> list[Funding]:
    scope = scope_for(user)
    qs = Funding.objects.filter(scope.region_q("village_id", Perm.SIGN_VIEW), region.subtree_q("village_id"))
    return list(qs.select_related("village").order_by("village_id", "-year", "id")[:500])


# --- （八） how the facility is used -----------------------------------------------------------------


@dataclass
class Usage:
    shares: list[tuple[AreaUse, float]]
    trend: rules.Finding | None
    presences: list[FacilityPresence]
    visits: list[TeamVisit]
    station_since: date | None
    current: dict[str, list[FacilityPresence]] = field(default_factory=dict)


def usage_for(village: Region) -> Usage:
    today = timezone.localdate()
    uses = list(AreaUse.objects.filter(village=village).order_by("measured_on"))
    shares = [(u, rules.activity_share(u.office_area, u.residents_area)) for u in uses]
    presences = list(FacilityPresence.objects.filter(village=village))
    current: dict[str, list[FacilityPresence]] = defaultdict(list)
    for p in presences:
        if p.until is None or p.until >= today:
            current[p.kind].append(p)
    stations = [p.since for p in current.get(Presence.STATION, []) if p.since <= today]
    return Usage(
        shares,
        rules.share_trend([s for _, s in shares]),
        presences,
        list(TeamVisit.objects.filter(village=village).order_by("visit_on")),
        min(stations) if stations else None,
        dict(current),
    )


@dataclass
class VillageSide:
    village: Region
    share: float | None
    measured_on: date | None
    organisations: int
    services: int
    next_visit: date | None
    station_since: date | None


def township_side_by_side(township: Region) -> list[VillageSide]:
    """The township's villages side by side: latest share, who works there, services, next visit, station （八）."""
    villages = villages_under(township)
    codes_ = [v.code for v in villages]
    today = timezone.localdate()
    latest: dict[str, AreaUse] = {}
    for u in AreaUse.objects.filter(village_id__in=codes_).order_by("measured_on"):
        latest[u.village_id] = u
    counts: dict[tuple[str, str], int] = defaultdict(int)
    station: dict[str, date] = {}
    for p in FacilityPresence.objects.filter(village_id__in=codes_).filter(Q(until__isnull=True) | Q(until__gte=today)):
        counts[(p.village_id, p.kind)] += 1
        if p.kind == Presence.STATION and p.since <= today:
            station[p.village_id] = min(p.since, station.get(p.village_id, p.since))
    visits: dict[str, date] = {}
    for t in TeamVisit.objects.filter(village_id__in=codes_, visit_on__gte=today).order_by("-visit_on"):
        visits[t.village_id] = t.visit_on
    out = []
    for v in villages:
        use = latest.get(v.code)
        out.append(
            VillageSide(
                v,
                rules.activity_share(use.office_area, use.residents_area) if use else None,
                use.measured_on if use else None,
                counts[(v.code, Presence.ORGANISATION)] + counts[(v.code, Presence.MECHANISM)],
                counts[(v.code, Presence.SERVICE)],
                visits.get(v.code),
                station.get(v.code),
            )
        )
    return out


# --- public -------------------------------------------------------------------------------------------


def public_posts(code: str) -> tuple[Region, list[PostRow]]:
    """A village's posts for the public page: holders' names masked."""
    region = _public_village(code)
    return region, post_rows(region)


def _public_village(code: str) -> Region:
    region = region_find(code, levels=codes.VILLAGE_LEVELS) if codes.is_code(code) else None
    if region is None:
        raise NotFound("找不到该村（社区）。")
    return region
