"""Pages of the signs app: thin — parse, call one selector or service, render or redirect."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from django import forms as djforms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.documents import write_table
from cunwu.errors import DomainError, Forbidden, Invalid
from cunwu.pages import attempt
from cunwu.regions import codes
from cunwu.regions.selectors import region_find, regions_under

from . import compliance, rules, selectors, services
from .forms import (
    BatchForm,
    CampaignForm,
    DecideForm,
    FacilityForm,
    MechanismEndForm,
    MechanismForm,
    RemoveForm,
    RequestForm,
    ReviewForm,
    RevokeForm,
    SignForm,
    TaskForm,
)
from .models import CampaignStatus, RequestKind, RequestStatus, TaskAction, TaskStatus, Zone

if TYPE_CHECKING:
    from cunwu.regions.models import Region


def _apply(form: djforms.Form, exc: DomainError) -> None:
    """Put a service's field errors next to the fields; the rest at the top of the form."""
    if isinstance(exc, Invalid) and exc.errors:
        for err in exc.errors:
            form.add_error(err.field if err.field in form.fields else None, err.message)
    else:
        form.add_error(None, exc.detail)


def _upload(request: HttpRequest, name: str = "photo") -> services.Upload | None:
    f = request.FILES.get(name)
    if f is None:
        return None
    return services.Upload(f.read(), f.name or "")


def _status(form: djforms.Form) -> int:
    return 422 if form.errors else 200


# --- start and overviews ------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Village staff land on their village; others on the widest region they oversee."""
    region = selectors.home_region_for(request.user)
    if region is None:
        raise Forbidden("您没有查看机制牌子的权限。")
    if region.is_village:
        return redirect("signs:village", code=region.code)
    return redirect("signs:region", code=region.code)


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.region_get_for(request.user, code)
    if place.is_village:
        return redirect("signs:village", code=place.code)
    result = selectors.overview_for(request.user, place)
    report = None if result is not None else selectors.scan_report_latest(request.user, place)
    scope = scope_for(request.user)
    county = place if place.level == codes.COUNTY else None
    return render(
        request,
        "signs/region.html",
        {
            "place": place,
            "crumbs": selectors.breadcrumbs(place)[:-1],
            "result": result,
            "report": report,
            "report_rows": selectors.report_rows_for(report, place) if report else [],
            "child_level": "village" if place.level == codes.TOWNSHIP else "township",
            "can_campaign": county is not None and scope.can(Perm.SIGN_CAMPAIGN, county.code),
            "open_campaign": selectors.open_campaign_for(place)
            if place.level in (codes.COUNTY, codes.TOWNSHIP)
            else None,
            "problem_labels": rules.PROBLEM_LABELS,
            "can_scan": scope.covers(place.code, Perm.SIGN_VIEW),
        },
    )


@login_required
@require_POST
def report_run(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.region_get_for(request.user, code)
    if place.level not in (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY):
        raise Http404
    report = services.scan_record(actor=request.user, region=place)
    messages.success(
        request, f"已完成扫描：{report.villages} 个村（社区），{report.plates} 块牌子，用时 {report.seconds:.1f} 秒。"
    )
    return redirect("signs:region", code=place.code)


@login_required
def report_export(request: HttpRequest, code: str) -> HttpResponse:
    """The per-county (or per-township, per-village) compliance table as xlsx."""
    place = selectors.region_get_for(request.user, code)
    result = selectors.overview_for(request.user, place)
    if result is not None:
        rows = [r.as_dict() for r in result.rows]
    else:
        report = selectors.scan_report_latest(request.user, place)
        if report is None:
            raise Http404
        rows = selectors.report_rows_for(report, place)
    headers = [
        "区划代码",
        "名称",
        "村（社区）数",
        "已登记挂牌的村",
        "合规村数",
        "在挂牌子",
        "有问题的牌子",
        *[f"{rules.PROBLEM_LABELS[p]}{c}" for p, c in rules.SIGN_CLAUSES.items()],
    ]
    table = [
        [
            r["code"],
            r["name"],
            r["villages"],
            r["villages_with_plates"],
            r["compliant_villages"],
            r["plates"],
            r["plates_with_findings"],
            *[r["problems"].get(p, 0) for p in rules.SIGN_CLAUSES],
        ]
        for r in rows
    ]
    data = write_table(f"{place.name}挂牌合规", headers, table)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''signs-{place.code}.xlsx"
    return response


# --- the village page ---------------------------------------------------------------------------


@login_required
def village(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.village_get_for(request.user, code)
    state = compliance.village_compliance(place)
    campaign = selectors.open_campaign_for(place)
    tasks = selectors.task_list(campaign, place)
    return render(
        request,
        "signs/village.html",
        {
            "place": place,
            "crumbs": selectors.breadcrumbs(place)[:-1],
            "state": state,
            "rows": state.rows(),
            "missing": [(m, rules.PLACEMENT_WHERE.get(m.placement, m.placement)) for m in state.missing_items()],
            "removed": selectors.removed_signs(place),
            "facility": selectors.facility_view(place),
            "mechanisms": selectors.mechanism_rows(place),
            "ended_mechanisms": selectors.ended_mechanisms(place),
            "requests": list(selectors.request_list_for(request.user, region=place.code)[:50]),
            "campaign": campaign,
            "tasks": tasks,
            "open_tasks": sum(1 for t in tasks if t.status == TaskStatus.OPEN),
            "can_edit": selectors.can_edit(request.user, place),
            "placements": rules.PLACEMENT_LABELS,
        },
    )


@login_required
def sign_new(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.village_get_for(request.user, code)
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    form = SignForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign = services.sign_add(
                actor=request.user,
                region=place,
                photo=_upload(request),
                **{k: v for k, v in form.cleaned_data.items() if k != "photo"},
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已登记“{sign.name}”。")
            if "another" in request.POST:
                return redirect("signs:sign_new", code=place.code)
            return redirect(reverse("signs:village", args=[place.code]) + "#signs")
    existing = compliance.hanging_signs(place)
    return render(
        request,
        "signs/sign_form.html",
        {"form": form, "place": place, "sign": None, "existing": existing},
        status=_status(form),
    )


@login_required
def sign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sign = selectors.sign_get_for(request.user, pk)
    place = sign.region
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    initial = {f: getattr(sign, f) for f in ("name", "placement", "size", "material", "put_up_by", "put_up_on")}
    form = SignForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_update(
                actor=request.user,
                sign=sign,
                photo=_upload(request),
                **{k: v for k, v in form.cleaned_data.items() if k != "photo"},
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(reverse("signs:village", args=[place.code]) + "#signs")
    return render(request, "signs/sign_form.html", {"form": form, "place": place, "sign": sign}, status=_status(form))


@login_required
def sign_remove(request: HttpRequest, pk: int) -> HttpResponse:
    sign = selectors.sign_get_for(request.user, pk)
    place = sign.region
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    form = RemoveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_remove(
                actor=request.user,
                sign=sign,
                removed_on=data["removed_on"],
                reason=data["reason"],
                note=data.get("note", ""),
                photo=_upload(request),
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已登记摘除“{sign.name}”。")
            return redirect(reverse("signs:village", args=[place.code]) + "#signs")
    return render(request, "signs/sign_remove.html", {"form": form, "place": place, "sign": sign}, status=_status(form))


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A stored photo, for people who see its village: only the cleaned copy is ever stored."""
    item = selectors.photo_get_for(request.user, pk)
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / item.path).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=item.mime)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- facility and mechanisms --------------------------------------------------------------------


@login_required
def facility_edit(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.village_get_for(request.user, code)
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    current = selectors.facility_view(place).facility
    if current is not None:
        initial: dict[str, Any] = {
            "building_area": current.building_area,
            "households": current.households,
            "open_plan": current.open_plan,
            "one_stop": current.one_stop,
            **current.zones(),
        }
    else:
        initial = {"households": place.households, "open_plan": True, "one_stop": True}
    form = FacilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.facility_save(
                actor=request.user,
                region=place,
                building_area=data["building_area"],
                households=data["households"],
                zones={z.value: data.get(z.value) for z in Zone},
                open_plan=data["open_plan"],
                one_stop=data["one_stop"],
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已保存综合服务设施信息。")
            return redirect(reverse("signs:village", args=[place.code]) + "#facility")
    return render(request, "signs/facility_form.html", {"form": form, "place": place}, status=_status(form))


def _mechanism_data(form: MechanismForm, approvals: list[Any]) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    chosen = data.pop("approval", None)
    data["approval"] = next((a for a in approvals if a.pk == chosen), None)
    data["dedicated_posts"] = data.get("dedicated_posts") or 0
    return data


@login_required
def mechanism_new(request: HttpRequest, code: str) -> HttpResponse:
    place = selectors.village_get_for(request.user, code)
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    approvals = selectors.mechanism_approvals_for(place)
    form = MechanismForm(request.POST or None, approvals=approvals, initial={"in_facility": True, "dedicated_posts": 0})
    if request.method == "POST" and form.is_valid():
        try:
            m = services.mechanism_add(actor=request.user, region=place, **_mechanism_data(form, approvals))
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已登记工作机制“{m.name}”。")
            return redirect(reverse("signs:village", args=[place.code]) + "#mechanisms")
    return render(
        request, "signs/mechanism_form.html", {"form": form, "place": place, "mechanism": None}, status=_status(form)
    )


@login_required
def mechanism_edit(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.mechanism_get_for(request.user, pk)
    place = m.region
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    approvals = selectors.mechanism_approvals_for(place)
    initial = {
        f: getattr(m, f)
        for f in (
            "name",
            "kind",
            "department",
            "basis_kind",
            "basis",
            "approval_reference",
            "dedicated_posts",
            "in_facility",
        )
    }
    initial["approval"] = m.approval_id
    form = MechanismForm(request.POST or None, approvals=approvals, initial=initial)
    end_form = MechanismEndForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.mechanism_update(actor=request.user, mechanism=m, **_mechanism_data(form, approvals))
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(reverse("signs:village", args=[place.code]) + "#mechanisms")
    return render(
        request,
        "signs/mechanism_form.html",
        {"form": form, "end_form": end_form, "place": place, "mechanism": m},
        status=_status(form),
    )


@login_required
@require_POST
def mechanism_end(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.mechanism_get_for(request.user, pk)
    place = m.region
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    approvals = selectors.mechanism_approvals_for(place)
    end_form = MechanismEndForm(request.POST)
    if end_form.is_valid():
        data = end_form.cleaned_data
        try:
            services.mechanism_end(
                actor=request.user, mechanism=m, status=data["status"], ended_on=data["ended_on"], note=data["note"]
            )
        except DomainError as exc:
            _apply(end_form, exc)
        else:
            messages.success(request, f"已登记“{m.name}”{m.get_status_display()}。")
            return redirect(reverse("signs:village", args=[place.code]) + "#mechanisms")
    initial = {
        f: getattr(m, f)
        for f in (
            "name",
            "kind",
            "department",
            "basis_kind",
            "basis",
            "approval_reference",
            "dedicated_posts",
            "in_facility",
        )
    }
    form = MechanismForm(approvals=approvals, initial=initial)
    return render(
        request,
        "signs/mechanism_form.html",
        {"form": form, "end_form": end_form, "place": place, "mechanism": m},
        status=422,
    )


# --- approvals ------------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    listing = selectors.request_list_for(request.user, status=status)[:200]
    scope = scope_for(request.user)
    return render(
        request,
        "signs/request_list.html",
        {
            "requests": listing,
            "status": status,
            "statuses": RequestStatus.choices,
            "can_file_mechanism": scope.has(Perm.SIGN_REVIEW),
            "home": selectors.home_region_for(request.user),
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or RequestKind.SIGN
    if kind not in RequestKind.values:
        raise Http404
    code = request.GET.get("region") or request.POST.get("region") or ""
    place = selectors.region_get_for(request.user, code)
    # Prefilled from a link (the admission app hands a `new_mechanism` case over with its reference).
    initial = {
        k: request.GET.get(k, "")[:200] for k in ("name", "placement", "department", "basis", "admission_reference")
    }
    form = RequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            req = services.request_file(
                actor=request.user,
                kind=kind,
                region=place,
                name=data["name"],
                department=data["department"],
                basis=data["basis"],
                placement=data.get("placement", ""),
                style=data.get("style", ""),
                reason=data.get("reason", ""),
                dedicated_posts=data.get("dedicated_posts") or 0,
                admission_reference=data.get("admission_reference", ""),
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已提交，等待县级审查。")
            return redirect("signs:request_detail", pk=req.pk)
    return render(
        request,
        "signs/request_form.html",
        {"form": form, "place": place, "kind": kind, "kind_label": RequestKind(kind).label},
        status=_status(form),
    )


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_get_for(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "signs/request_detail.html",
        {
            "req": req,
            "can_review": req.status == RequestStatus.SUBMITTED and scope.can(Perm.SIGN_REVIEW, req.region_id),
            "can_decide": req.status == RequestStatus.FORWARDED and scope.can(Perm.SIGN_APPROVE, req.region_id),
            "can_revoke": req.status == RequestStatus.APPROVED and scope.can(Perm.SIGN_APPROVE, req.region_id),
            "review_form": ReviewForm(),
            "decide_form": DecideForm(),
            "revoke_form": RevokeForm(),
            "mechanisms": list(req.mechanisms.select_related("region")[:100])
            if req.kind == RequestKind.MECHANISM
            else [],
        },
    )


def _request_action(
    request: HttpRequest, pk: int, form_class: type[djforms.Form], call: Any, done: str
) -> HttpResponse:
    req = selectors.request_get_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        attempt(request, lambda: call(req, form.cleaned_data), done)
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("signs:request_detail", pk=pk)


@login_required
@require_POST
def request_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request,
        pk,
        ReviewForm,
        lambda req, d: services.request_review(actor=request.user, request=req, action=d["action"], note=d["note"]),
        "已办理县级审查。",
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request,
        pk,
        DecideForm,
        lambda req, d: services.request_decide(
            actor=request.user,
            request=req,
            action=d["action"],
            note=d["note"],
            approval_reference=d["approval_reference"],
        ),
        "已办理省级审批。",
    )


@login_required
@require_POST
def request_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _request_action(
        request,
        pk,
        RevokeForm,
        lambda req, d: services.request_revoke(actor=request.user, request=req, reason=d["reason"]),
        "已撤销批准。",
    )


# --- campaigns ------------------------------------------------------------------------------------


def _campaign_county(request: HttpRequest) -> Region | None:
    """The county where this person may open campaigns (the first one, if several)."""
    scope = scope_for(request.user)
    for code, level in scope.regions(Perm.SIGN_CAMPAIGN):
        if level == codes.COUNTY:
            return region_find(code)
    return None


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    listing = list(selectors.campaign_list_for(request.user)[:100])
    return render(request, "signs/campaign_list.html", {"campaigns": listing, "county": _campaign_county(request)})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("county") or request.POST.get("county") or ""
    county = selectors.region_get_for(request.user, code) if code else _campaign_county(request)
    if county is None:
        raise Forbidden("清理行动由县（市、区）发起。")
    scope_for(request.user).require(Perm.SIGN_CAMPAIGN, county.code, view=Perm.SIGN_VIEW)
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_open(
                actor=request.user,
                county=county,
                title=data["title"],
                deadline=data["deadline"],
                note=data.get("note", ""),
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已发起“{campaign.title}”，各村问题已生成整改任务。")
            return redirect("signs:campaign_detail", pk=campaign.pk)
    return render(request, "signs/campaign_form.html", {"form": form, "county": county}, status=_status(form))


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(request.user, pk)
    township = request.GET.get("township", "")
    if township and not (codes.is_code(township) and campaign.county.contains(township)):
        township = ""
    progress = selectors.campaign_progress(request.user, campaign, township=township)
    scope = scope_for(request.user)
    return render(
        request,
        "signs/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": progress,
            "township": region_find(township),
            "batches": selectors.batch_progress(campaign, request.user),
            "can_manage": campaign.status == CampaignStatus.OPEN and scope.can(Perm.SIGN_CAMPAIGN, campaign.county_id),
            "actions": TaskAction.choices,
        },
    )


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(request.user, pk)
    attempt(request, lambda: services.campaign_close(actor=request.user, campaign=campaign), "清理行动已结束。")
    return redirect("signs:campaign_detail", pk=pk)


@login_required
def batch_new(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get_for(request.user, pk)
    scope_for(request.user).require(Perm.SIGN_CAMPAIGN, campaign.county_id, view=Perm.SIGN_VIEW)
    catalog = list(rules.catalog_signs(catalog_in_force(kinds.SIGN, campaign.county)))
    townships = regions_under(campaign.county, levels=(codes.TOWNSHIP,))
    form = BatchForm(request.POST or None, catalog=catalog, townships=townships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        township = next((t for t in townships if t.code == data.get("township")), None)
        try:
            batch = services.batch_create(
                actor=request.user,
                campaign=campaign,
                title=data["title"],
                codes_=data["codes"],
                made_by=data["made_by"],
                planned_on=data["planned_on"],
                township=township,
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"已登记统一制作批次“{batch.title}”，各村已生成替换任务。")
            return redirect("signs:campaign_detail", pk=campaign.pk)
    return render(request, "signs/batch_form.html", {"form": form, "campaign": campaign}, status=_status(form))


@login_required
def task_do(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for(request.user, pk)
    place = task.region
    scope_for(request.user).require(Perm.SIGN_EDIT, place.code, view=Perm.SIGN_VIEW)
    initial: dict[str, Any] = {}
    if task.action == TaskAction.REPLACE:
        initial["name"] = task.sign.name if task.sign else ""
    form = TaskForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.task_complete(
                actor=request.user,
                task=task,
                done_on=data["done_on"],
                photo=_upload(request),
                note=data.get("note", ""),
                placement=data.get("placement", ""),
                name=data.get("name", ""),
                size=data.get("size", ""),
                material=data.get("material", ""),
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "已登记整改完成。")
            return redirect(reverse("signs:village", args=[place.code]) + "#tasks")
    return render(
        request,
        "signs/task_form.html",
        {"form": form, "task": task, "place": place, "placements": rules.PLACEMENT_LABELS},
        status=_status(form),
    )
