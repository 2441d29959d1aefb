"""Staff pages of the villagework app: thin — parse, call one selector or service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms as djforms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.admission.selectors import evaluation_get_for, villages_in_scope
from cunwu.documents import qr_svg_data_uri
from cunwu.errors import DomainError, Forbidden, Invalid
from cunwu.regions import codes

from . import rules, selectors, services
from .forms import (
    AreaUseForm,
    CodesForm,
    ConditionForm,
    EstateForm,
    FundingForm,
    HolderForm,
    PostForm,
    PresenceForm,
    SettingForm,
    SurveyOpenForm,
    TeamVisitForm,
)
from .models import FundStatus

if TYPE_CHECKING:
    from cunwu.regions.models import Region


def _apply(form: djforms.Form, exc: DomainError) -> None:
    """Put a service's field errors next to the fields; the rest at the top of the form."""
    if isinstance(exc, Invalid) and exc.errors:
        for err in exc.errors:
            form.add_error(err.field if err.field in form.fields else None, err.message)
    else:
        form.add_error(None, exc.detail)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Village staff land on their village; others on the widest region they oversee."""
    code = selectors.home_code_for(request.user)
    if code is None:
        raise Forbidden("您没有查看村级岗位和设施的权限。")
    return redirect("villagework:region", code=code)


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A village's own page; a township's villages side by side; a county's funding and estates' alerts."""
    place = selectors.region_get_for(request.user, code)
    if place.is_village:
        return village(request, place)
    if place.level == codes.TOWNSHIP:
        return render(
            request,
            "villagework/township.html",
            {
                "place": place,
                "rows": selectors.township_side_by_side(place),
                "alerts": selectors.estate_alerts_for(request.user, place),
            },
        )
    return render(
        request,
        "villagework/county.html",
        {
            "place": place,
            "alerts": selectors.estate_alerts_for(request.user, place),
            "fundings": selectors.funding_list_for(request.user, place),
            "can_advance": scope_for(request.user).can(Perm.SIGN_CAMPAIGN, place.code),
            "next_status": {FundStatus.PLANNED: FundStatus.ALLOCATED, FundStatus.ALLOCATED: FundStatus.DONE},
        },
    )


# --- the village page and its forms -----------------------------------------------------------------

Handler = Callable[[HttpRequest, "Region", Any], Any]


def _post(request: HttpRequest, place: Region, form: PostForm) -> Any:
    d = form.cleaned_data
    data = services.PostIn(
        title=d["title"],
        holder_name=d["holder_name"],
        employment=d["employment"],
        duty_codes=form.codes(),
        mechanism_ids=[int(m) for m in d["mechanism_ids"]],
        duties_note=d["duties_note"],
    )
    return services.post_add(actor=request.user, village=place, data=data)


def _holder(request: HttpRequest, place: Region, form: HolderForm) -> Any:
    d = dict(form.cleaned_data)
    post = selectors.post_get_for(request.user, d.pop("post"))
    return services.post_holder_set(actor=request.user, post=post, **d)


def _condition(request: HttpRequest, place: Region, form: ConditionForm) -> Any:
    d = dict(form.cleaned_data)
    post = selectors.post_get_for(request.user, d.pop("post"))
    return services.post_condition_add(actor=request.user, post=post, **d)


def _funding(request: HttpRequest, place: Region, form: FundingForm) -> Any:
    return services.funding_add(actor=request.user, village=place, **form.cleaned_data)


def _estate(request: HttpRequest, place: Region, form: EstateForm) -> Any:
    return services.estate_add(actor=request.user, village=place, **form.cleaned_data)


def _area(request: HttpRequest, place: Region, form: AreaUseForm) -> Any:
    return services.area_use_record(actor=request.user, village=place, **form.cleaned_data)


def _presence(request: HttpRequest, place: Region, form: PresenceForm) -> Any:
    return services.presence_add(actor=request.user, village=place, **form.cleaned_data)


def _visit(request: HttpRequest, place: Region, form: TeamVisitForm) -> Any:
    return services.team_visit_add(actor=request.user, village=place, **form.cleaned_data)


# form name → (form class, who may use it, handler, message on success)
FORMS: dict[str, tuple[type[djforms.Form], Perm, Handler, str]] = {
    "post": (PostForm, Perm.SIGN_EDIT, _post, "岗位已登记。"),
    "holder": (HolderForm, Perm.SIGN_EDIT, _holder, "在岗人员已更新。"),
    "condition": (ConditionForm, Perm.SIGN_CAMPAIGN, _condition, "工作条件保障已记录。"),
    "funding": (FundingForm, Perm.SIGN_CAMPAIGN, _funding, "资金资源项目已记录。"),
    "estate": (EstateForm, Perm.SIGN_CAMPAIGN, _estate, "小区配套用房已记录。"),
    "area": (AreaUseForm, Perm.SIGN_EDIT, _area, "面积已登记。"),
    "presence": (PresenceForm, Perm.SIGN_EDIT, _presence, "已登记。"),
    "visit": (TeamVisitForm, Perm.SIGN_EDIT, _visit, "服务团队日程已登记。"),
}


def _make(name: str, place: Region, data: Any = None) -> djforms.Form:
    cls = FORMS[name][0]
    if cls in (PostForm, PresenceForm):
        return cls(data, prefix=name, mechanisms=selectors.mechanism_choices(place))  # type: ignore[call-arg]
    if cls in (ConditionForm, HolderForm):
        return cls(data, prefix=name, posts=selectors.post_choices(place))  # type: ignore[call-arg]
    return cls(data, prefix=name)


def village(request: HttpRequest, place: Region) -> HttpResponse:
    forms = {name: _make(name, place) for name in FORMS}
    status = 200
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name not in FORMS:
            raise Invalid.field("form", "无法识别提交的表单，请刷新页面后重试。")
        _cls, perm, handler, done = FORMS[name]
        scope_for(request.user).require(perm, place.code, view=Perm.SIGN_VIEW)
        form = forms[name] = _make(name, place, request.POST)
        if form.is_valid():
            try:
                handler(request, place, form)
            except Invalid as exc:
                _apply(form, exc)
            else:
                messages.success(request, done)
                return redirect(reverse("villagework:region", kwargs={"code": place.code}) + f"#{name}")
        status = 422
    fundings = selectors.funding_list_for(request.user, place)
    ctx = {
        "place": place,
        "forms": forms,
        "can_edit": selectors.can(request.user, Perm.SIGN_EDIT, place),
        "can_county": selectors.can(request.user, Perm.SIGN_CAMPAIGN, place),
        "posts": selectors.post_rows(place),
        "dedicated": selectors.dedicated_post_findings(place),
        "fundings": fundings,
        "gap": selectors.gap_for(place, fundings),
        "alerts": selectors.estate_alerts_for(request.user, place),
        "estates": selectors.estates_of(place),
        "usage": selectors.usage_for(place),
        "mechanisms": dict(selectors.mechanism_choices(place)),
    }
    return render(request, "villagework/village.html", ctx, status=status)


@login_required
@require_POST
def funding_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a funding record one step on (planned → allocated → done)."""
    funding = selectors.funding_get_for(request.user, pk)
    try:
        services.funding_status_set(actor=request.user, funding=funding, status=request.POST.get("status", ""))
    except (Invalid, services.Conflict) as exc:
        messages.error(request, exc.detail if not isinstance(exc, Invalid) or not exc.errors else exc.errors[0].message)
    else:
        messages.success(request, "状态已更新。")
    back = funding.village_id if request.POST.get("back") == "village" else codes.county_code(funding.village_id)
    return redirect("villagework:region", code=back)


# --- （五） the satisfaction survey (county) -----------------------------------------------------------


@login_required
def surveys(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation's satisfaction surveys: open one per village, the county's minimum, code sheets."""
    ev = evaluation_get_for(request.user, pk)
    can_manage = scope_for(request.user).can(Perm.EVALUATION_MANAGE, ev.county_id)
    villages = [v for v in villages_in_scope(request.user, Perm.ADMISSION_VIEW) if ev.county.contains(v.code)]
    open_form = SurveyOpenForm(villages=villages, prefix="open")
    setting_form = SettingForm(prefix="setting", initial={"min_answers": selectors.min_answers_for(ev.county_id)})
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Forbidden("只有县级管理员可以组织满意度测评。")
        which = request.POST.get("form")
        try:
            if which == "open":
                open_form = SurveyOpenForm(request.POST, villages=villages, prefix="open")
                if open_form.is_valid():
                    d = open_form.cleaned_data
                    target = next(v for v in villages if v.code == d["village"])
                    services.survey_open(
                        actor=request.user,
                        evaluation=ev,
                        village=target,
                        opens_on=d["opens_on"],
                        closes_on=d["closes_on"],
                    )
                    messages.success(request, f"已开启{target.name}的满意度测评，请生成测评码并打印发放。")
                    return redirect("villagework:surveys", pk=ev.pk)
            elif which == "setting":
                setting_form = SettingForm(request.POST, prefix="setting")
                if setting_form.is_valid():
                    services.survey_setting_set(
                        actor=request.user, county=ev.county, min_answers=setting_form.cleaned_data["min_answers"]
                    )
                    messages.success(request, "已保存计分所需最少答卷数。")
                    return redirect("villagework:surveys", pk=ev.pk)
        except (Invalid, services.Conflict) as exc:
            _apply(open_form if which == "open" else setting_form, exc)
        status = 422
    ctx = {
        "ev": ev,
        "rows": selectors.survey_rows(ev, request.user),
        "can_manage": can_manage,
        "open_form": open_form,
        "setting_form": setting_form,
        "codes_form": CodesForm(initial={"count": 50}),
        "min_answers": selectors.min_answers_for(ev.county_id),
    }
    return render(request, "villagework/surveys.html", ctx, status=status)


@login_required
@require_POST
def survey_codes(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue one-time codes and show the printable sheet once: only their hashes are kept."""
    survey = selectors.survey_get_for(request.user, pk)
    form = CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("villagework:surveys", pk=survey.evaluation_id)
    issued = services.survey_codes_issue(actor=request.user, survey=survey, count=form.cleaned_data["count"])
    url = request.build_absolute_uri(reverse("villagework_public:survey"))
    ctx = {
        "survey": survey,
        "codes": [f"{c[:4]}-{c[4:]}" for c in issued],
        "url": url,
        "qr": qr_svg_data_uri(url),  # the page only, never a code: a scanned code would sit in address logs
        "questions": len(rules.QUESTIONS),
    }
    response = render(request, "villagework/code_sheet.html", ctx)
    response["Cache-Control"] = "no-store"
    return response
