"""Pages of the admission area: thin — parse, one selector or service, render."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cunwu import workdays
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import regions_in_scope
from cunwu.dbrouting import reads_from_replica
from cunwu.documents import read_uploads
from cunwu.errors import Forbidden, Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.choices import VILLAGE_ORG_KINDS
from cunwu.regions.selectors import organisation_find, organisations_at, province, region_find, region_get
from cunwu.villagework.selectors import satisfaction_rows

from . import rules, selectors, services
from .forms import (
    ApprovalForm,
    AssignmentActForm,
    ChannelDecideForm,
    ChannelForm,
    DecisionForm,
    EvaluationForm,
    IndicatorForm,
    OffListForm,
    OffListHandleForm,
    RemitForm,
    RequestForm,
    RevokeForm,
    RoutedForm,
)
from .models import ApprovalKind, DecisionOutcome, RequestStatus

if TYPE_CHECKING:
    from cunwu.regions.models import Region

RULE_LABELS = {r: s.label for r, s in rules.RULES.items()}


def _require(request: HttpRequest, perm: Perm, message: str) -> None:
    if not scope_for(request.user).has(perm):
        raise Forbidden(message)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.has(Perm.ADMISSION_RECEIVE) and not scope.has(Perm.ADMISSION_REVIEW):
        return redirect("admission:village")
    if scope.has(Perm.ADMISSION_REVIEW):
        return redirect("admission:review")
    return redirect("admission:requests")


# --- requests ---------------------------------------------------------------------------------


def _target_choices(user: Any) -> list[tuple[str, str]]:
    scope = scope_for(user)
    choices: list[tuple[str, str]] = []
    townships = {t.code: t for t in selectors.townships_in_scope(user, Perm.ADMISSION_FILE)}
    villages = selectors.villages_in_scope(user, Perm.ADMISSION_FILE)
    by_township: dict[str, list[Region]] = {}
    for v in villages:
        by_township.setdefault(v.parent_id or "", []).append(v)
    for code in sorted(set(townships) | set(by_township)):
        t = townships.get(code)
        if t is not None and scope.can(Perm.ADMISSION_FILE, code):
            choices.append((t.code, f"{t.name}（全部村、社区）"))
        for v in by_township.get(code, []):
            choices.append((v.code, f"{v.parent.name if v.parent else ''} {v.name}"))
    return choices


def _request_data(form: RequestForm, request: HttpRequest) -> services.RequestData:
    d = form.cleaned_data
    files = read_uploads(request.FILES.getlist("attachments"), field="attachments", max_files=services.MAX_ATTACHMENTS)
    return services.RequestData(
        title=d["title"],
        content=d["content"],
        targets=list(d["targets"]),
        type=d["type"],
        basis=d.get("basis", ""),
        period_start=d.get("period_start"),
        period_end=d.get("period_end"),
        deadline=d.get("deadline"),
        pledge=bool(d.get("pledge")),
        responsible_body=d.get("responsible_body", ""),
        evidence=d.get("evidence", ""),
        provisions=d.get("provisions", ""),
        meeting_reason=d.get("meeting_reason", ""),
        attachments=files,
    )


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看准入申请的权限。")
    status = request.GET.get("status", "")
    status = status if status in RequestStatus.values else ""
    year = _year(request)
    items = list(
        selectors.request_list_for(request.user, status=status, year=year, q=request.GET.get("q", "").strip()[:50])[
            :200
        ]
    )
    return render(
        request,
        "admission/requests.html",
        {
            "items": items,
            "status": status,
            "year": year,
            "statuses": RequestStatus.choices,
            "can_file": scope_for(request.user).has(Perm.ADMISSION_FILE),
            "q": request.GET.get("q", "")[:50],
        },
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_FILE, "只有党政群机构的工作人员可以提交准入申请。")
    form = RequestForm(request.POST or None, request.FILES or None, target_choices=_target_choices(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_file(actor=request.user, data=_request_data(form, request))
        except Invalid as exc:
            form.add_domain_errors(exc)
        else:
            if created.status == RequestStatus.SCREEN_REJECTED:
                messages.error(
                    request, "筛查未通过：该申请违反了规定，不能交给村级组织。请对照下列条款修改后重新提交。"
                )
            else:
                messages.success(request, "已提交，正在等待县级审查。")
            return redirect("admission:request_detail", pk=created.pk)
    return render(
        request,
        "admission/request_form.html",
        {
            "form": form,
            "calendar_note": workdays.calendar_note(timezone.localdate()),
            "revising": None,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def screen_preview(request: HttpRequest) -> HttpResponse:
    """The screening of what is being typed, shown before submitting (htmx partial)."""
    if not selectors.can_screen(request.user):
        raise Forbidden("您没有使用准入筛查的权限。")
    title = request.POST.get("title", "").strip()[:200]
    content = request.POST.get("content", "").strip()[:20000]
    if not title or not content:
        return render(request, "admission/_screening.html", {"empty": True})
    deps = selectors.departments_for_filing(request.user)
    region = deps[0].region if deps else None
    if region is None or region.level != codes.COUNTY:
        # County staff screen against their own county's catalogs; otherwise the province base.
        counties = [g.region_code for g in scope_for(request.user).grants if g.region_level == codes.COUNTY]
        region = region_find(counties[0] if counties else "") or province()
    inp = rules.ScreenInput(
        title=title,
        content=content,
        type=request.POST.get("type", ""),
        basis=request.POST.get("basis", "")[:500],
        pledge=request.POST.get("pledge") in ("on", "true", "1"),
        responsible_body=request.POST.get("responsible_body", "")[:200],
        evidence=request.POST.get("evidence", "")[:500],
    )
    result = selectors.screening_for(inp, region)
    return render(request, "admission/_screening.html", {"screening": result.as_record(), "rule_labels": RULE_LABELS})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get_for(request.user, pk)
    scope = scope_for(request.user)
    can_review = scope.can(Perm.ADMISSION_REVIEW, item.county_id) and item.status == RequestStatus.PENDING
    can_revise = scope.can(Perm.ADMISSION_FILE, item.county_id, item.department_id) and item.status in (
        RequestStatus.RETURNED,
        RequestStatus.SCREEN_REJECTED,
    )
    can_withdraw = scope.can(Perm.ADMISSION_FILE, item.county_id, item.department_id) and item.status in (
        RequestStatus.PENDING,
        RequestStatus.RETURNED,
        RequestStatus.SCREEN_REJECTED,
    )
    history = (
        selectors.department_history([item.department_id], item.created_at.year)[item.department_id]
        if scope.has(Perm.ADMISSION_REVIEW) or can_revise
        else None
    )
    remit = selectors.remit_notes([item])[item.pk] if scope.has(Perm.ADMISSION_REVIEW) else None
    assignments = list(item.assignments.select_related("village", "township").order_by("village_id")[:500])
    today = timezone.localdate()
    return render(
        request,
        "admission/request_detail.html",
        {
            "item": item,
            "screening": item.screening,
            "rule_labels": RULE_LABELS,
            "versions": list(item.versions.select_related("created_by").order_by("-number")),
            "decisions": list(item.decisions.select_related("decided_by").order_by("-version")),
            "attachments": list(item.attachments.all()),
            "assignments": assignments,
            "routed": list(item.routed.select_related("region")),
            "overdue": [a.pk for a in assignments if rules.is_overdue(a.deadline, a.status, today)],
            "can_review": can_review,
            "can_revise": can_revise,
            "can_withdraw": can_withdraw,
            "history": history,
            "remit": remit,
            "decision_form": DecisionForm(
                initial={"clauses": "".join(sorted({v["clause"] for v in item.screening.get("violations", [])}))}
            ),
            "working_days_left": workdays.working_days_between(today, item.deadline) if item.deadline else None,
            "waited": workdays.working_days_between(item.submitted_at.date(), today),
            "calendar_note": workdays.calendar_note(today, item.deadline),
            "triage_labels": rules.TRIAGE,
            "type_label": rules.TYPES.get(item.type, item.type),
        },
    )


@login_required
def request_revise(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get_for(request.user, pk)
    scope_for(request.user).require(Perm.ADMISSION_FILE, item.county_id, item.department_id, view=Perm.ADMISSION_VIEW)
    initial = {
        "title": item.title,
        "content": item.content,
        "type": item.type,
        "basis": item.basis,
        "targets": item.targets,
        "period_start": item.period_start,
        "period_end": item.period_end,
        "deadline": item.deadline,
        "pledge": item.pledge,
        "responsible_body": item.responsible_body,
        "evidence": item.evidence,
        "provisions": item.provisions,
        "meeting_reason": item.meeting_reason,
    }
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        target_choices=_target_choices(request.user),
        revising=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_revise(
                actor=request.user,
                request=item,
                data=_request_data(form, request),
                note=form.cleaned_data.get("note", ""),
            )
        except Invalid as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, "已修改并重新提交。")
            return redirect("admission:request_detail", pk=item.pk)
    return render(
        request,
        "admission/request_form.html",
        {
            "form": form,
            "revising": item,
            "calendar_note": workdays.calendar_note(timezone.localdate()),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get_for(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        clauses = re.findall(r"（[一二三四五六七八九十]+）", d.get("clauses", "").replace("(", "（").replace(")", "）"))
        try:
            services.request_decide(
                actor=request.user,
                request=item,
                outcome=d["outcome"],
                reasons=d.get("reasons", ""),
                clauses=clauses,
                triage=d.get("triage", ""),
                deployment=d.get("deployment", ""),
                service_channel=d.get("service_channel", ""),
            )
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(
                request,
                {"approve": "已准入，已派发到各村。", "return": "已退回修改。", "reject": "已决定不予准入。"}[
                    d["outcome"]
                ],
            )
            return redirect("admission:request_detail", pk=item.pk)
    messages.error(request, "审查决定未保存：" + "；".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("admission:request_detail", pk=item.pk)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.request_get_for(request.user, pk)
    services.request_withdraw(actor=request.user, request=item)
    messages.success(request, "已撤回。")
    return redirect("admission:request_detail", pk=item.pk)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    att = selectors.attachment_get_for(request.user, pk)
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.filename, content_type=att.mime)


@login_required
def review(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_REVIEW, "只有县级审查人员可以审查准入申请。")
    queue = list(selectors.review_queue_for(request.user)[:200])
    year = timezone.localdate().year
    history = selectors.department_history(sorted({r.department_id for r in queue}), year)
    today = timezone.localdate()
    remits = selectors.remit_notes(queue)
    rows = [
        (r, history[r.department_id], workdays.working_days_between(r.submitted_at.date(), today), remits[r.pk])
        for r in queue
    ]
    return render(
        request,
        "admission/review.html",
        {"rows": rows, "rule_labels": RULE_LABELS, "year": year, "calendar_note": workdays.calendar_note(today)},
    )


# --- villages -----------------------------------------------------------------------------------


@login_required
def village(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_RECEIVE, "村（社区）工作台只对村级工作人员开放。")
    items = list(selectors.village_workbench_for(request.user)[:300])
    today = timezone.localdate()
    rows = [
        (
            a,
            rules.is_overdue(a.deadline, a.status, today),
            workdays.working_days_between(today, a.deadline) if a.deadline else None,
        )
        for a in items
    ]
    return render(
        request,
        "admission/village.html",
        {
            "rows": rows,
            "calendar_note": workdays.calendar_note(today, *[a.deadline for a in items]),
        },
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = selectors.assignment_get_for(request.user, pk)
    scope = scope_for(request.user)
    form = AssignmentActForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.assignment_act(
                actor=request.user,
                assignment=a,
                action=d["action"],
                progress=d.get("progress"),
                note=d.get("note", ""),
            )
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(
                request,
                {"acknowledge": "已签收。", "progress": "已报告进展。", "complete": "已办结。"}[d["action"]],
            )
            return redirect("admission:assignment_detail", pk=a.pk)
    today = timezone.localdate()
    return render(
        request,
        "admission/assignment.html",
        {
            "a": a,
            "r": a.request,
            "form": form,
            "events": list(a.events.select_related("actor")),
            "can_act": scope.can(Perm.ADMISSION_RECEIVE, a.village_id) and a.status != "done",
            "overdue": rules.is_overdue(a.deadline, a.status, today),
            "working_days_left": workdays.working_days_between(today, a.deadline) if a.deadline else None,
            "calendar_note": workdays.calendar_note(today, a.deadline),
            "triage_label": rules.TRIAGE.get(a.request.triage, ""),
        },
        status=422 if form.errors else 200,
    )


# --- off-list reports ------------------------------------------------------------------------


@login_required
def offlist(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.has(Perm.ADMISSION_REPORT) or scope.has(Perm.COMPLAINT_HANDLE) or scope.has(Perm.OVERSIGHT_VIEW)):
        raise Forbidden("您没有查看清单外摊派反映的权限。")
    status = request.GET.get("status", "")
    items = list(selectors.offlist_list_for(request.user, status=status)[:300])
    return render(
        request,
        "admission/offlist.html",
        {"items": items, "can_report": scope.has(Perm.ADMISSION_REPORT), "status": status},
    )


@login_required
def offlist_new(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_REPORT, "只有村（社区）工作人员可以反映清单外摊派。")
    villages = selectors.villages_in_scope(request.user, Perm.ADMISSION_REPORT, limit=5)
    if not villages:
        raise Forbidden("您没有所属的村（社区）。")
    here = villages[0]
    county = region_get(codes.county_code(here.code))
    departments = selectors.county_departments(county)
    form = OffListForm(
        request.POST or None,
        departments=[(str(d.pk), d.name) for d in departments],
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        dep = next((x for x in departments if str(x.pk) == d.get("department")), None)
        try:
            report = services.offlist_report(
                actor=request.user,
                village=here,
                department=dep,
                department_name=d.get("department_name", ""),
                what=d["what"],
                channel=d["channel"],
                received_on=d["received_on"],
            )
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, "已反映到县级，县里会核处并告诉您结果。")
            return redirect("admission:offlist_detail", pk=report.pk)
    return render(
        request, "admission/offlist_form.html", {"form": form, "village": here}, status=422 if form.errors else 200
    )


@login_required
def offlist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.offlist_get_for(request.user, pk)
    scope = scope_for(request.user)
    can_handle = scope.can(Perm.COMPLAINT_HANDLE, report.county_id) and report.status == "open"
    form = OffListHandleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.offlist_handle(
                actor=request.user,
                report=report,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, "已核处。")
            return redirect("admission:offlist_detail", pk=report.pk)
    return render(
        request,
        "admission/offlist_detail.html",
        {
            "report": report,
            "form": form,
            "can_handle": can_handle,
            "channel_label": rules.CHANNELS.get(report.channel, ""),
        },
        status=422 if form.errors else 200,
    )


# --- meetings, ledgers ---------------------------------------------------------------------


@login_required
def meetings(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看会议统计的权限。")
    year = _year(request)
    return render(
        request, "admission/meetings.html", {"rows": selectors.meeting_counts_for(request.user, year), "year": year}
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看工作台账的权限。")
    region = request.GET.get("region", "").strip()
    if region and not codes.is_code(region):
        region = ""
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.ledger_rows_for(request.user, region=region, overdue_only=overdue_only)
    levels = regions_in_scope(request.user, Perm.ADMISSION_VIEW, levels=(codes.COUNTY, codes.TOWNSHIP), limit=100)
    lines = []
    if region:
        lines = list(
            selectors.assignment_list_for(request.user, region=region).order_by("deadline", "village_id")[:500]
        )
    today = timezone.localdate()
    return render(
        request,
        "admission/ledger.html",
        {
            "rows": rows,
            "region": region,
            "overdue_only": overdue_only,
            "levels": levels,
            "lines": [(a, rules.is_overdue(a.deadline, a.status, today)) for a in lines],
            "region_obj": region_find(region),
            "calendar_note": workdays.calendar_note(today),
            "triage_labels": rules.TRIAGE,
        },
    )


# --- the one evaluation （五） ------------------------------------------------------------------------


def _managed_counties(user: Any, perm: Perm) -> list[Region]:
    return regions_in_scope(user, perm, levels=(codes.COUNTY,), limit=50)


@login_required
def evaluations(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看考评的权限。")
    counties = _managed_counties(request.user, Perm.EVALUATION_MANAGE)
    form = EvaluationForm(
        request.POST or None,
        initial={"year": timezone.localdate().year, "title": f"{timezone.localdate().year}年度村级组织综合考评"},
    )
    if request.method == "POST":
        if not counties:
            raise Forbidden("只有县级管理员可以设置统一考评。")
        if form.is_valid():
            try:
                ev = services.evaluation_create(
                    actor=request.user,
                    county=counties[0],
                    year=form.cleaned_data["year"],
                    title=form.cleaned_data["title"],
                )
            except Invalid as exc:
                for err in exc.errors:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            except services.Conflict as exc:
                form.add_error("year", exc.detail)
            else:
                return redirect("admission:evaluation_detail", pk=ev.pk)
    return render(
        request,
        "admission/evaluations.html",
        {"items": list(selectors.evaluation_list_for(request.user)), "form": form, "can_manage": bool(counties)},
        status=422 if form.errors else 200,
    )


@login_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ev = selectors.evaluation_get_for(request.user, pk)
    scope = scope_for(request.user)
    can_manage = scope.can(Perm.EVALUATION_MANAGE, ev.county_id)
    form = IndicatorForm(request.POST or None) if request.POST.get("form") == "indicator" else IndicatorForm()
    error = ""
    if request.method == "POST":
        if not can_manage:
            raise Forbidden("只有县级管理员可以修改统一考评。")
        what = request.POST.get("form")
        try:
            if what == "indicator" and form.is_valid():
                d = form.cleaned_data
                services.indicator_add(
                    actor=request.user,
                    evaluation=ev,
                    name=d["name"],
                    description=d.get("description", ""),
                    weight=d["weight"],
                    evidence=d["evidence"],
                )
                return redirect("admission:evaluation_detail", pk=ev.pk)
            if what == "publish":
                services.evaluation_publish(actor=request.user, evaluation=ev)
                messages.success(request, "考评已发布，可以录入各村得分。")
                return redirect("admission:evaluation_detail", pk=ev.pk)
            if what == "score":
                village_code = request.POST.get("village", "")
                v = region_find(village_code)
                if v is None:
                    raise Invalid.field("village", "请选择村（社区）。")
                scores = {
                    int(k.split("_", 1)[1]): val
                    for k, val in request.POST.items()
                    if k.startswith("score_") and k.split("_", 1)[1].isdigit()
                }
                n = services.score_record(
                    actor=request.user, evaluation=ev, village=v, scores=scores, note=request.POST.get("note", "")
                )
                messages.success(request, f"已记录{v.name}的 {n} 项得分。")
                return redirect("admission:evaluation_detail", pk=ev.pk)
        except Invalid as exc:
            if what == "indicator":
                for err in exc.errors:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            error = "；".join(e.message for e in exc.errors) or exc.detail
        except services.Conflict as exc:
            error = exc.detail
    villages = [v for v in selectors.villages_in_scope(request.user, Perm.ADMISSION_VIEW) if ev.county.contains(v.code)]
    indicators = list(ev.indicators.all())
    satisfaction = satisfaction_rows(ev, villages)
    return render(
        request,
        "admission/evaluation.html",
        {
            "ev": ev,
            "indicators": indicators,
            "form": form,
            "can_manage": can_manage,
            "error": error,
            "results": selectors.evaluation_results(ev, villages),
            # （五）群众满意: the villagers' own answers, aggregated by the villagework app
            "satisfaction": satisfaction,
            "surveyed": any(s for _, s in satisfaction),
            "villages": villages,
            "evidence_labels": rules.EVIDENCE_KINDS,
            "weight_total": sum(float(i.weight) for i in indicators),
        },
        status=422 if error or form.errors else 200,
    )


# --- chat groups and apps （五） -----------------------------------------------------------------------


@login_required
def channels(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看工作群和应用登记的权限。")
    counties = _managed_counties(request.user, Perm.GROUP_MANAGE)
    county = counties[0] if counties else None
    owners = (
        [
            (str(o.pk), o.name)
            for o in organisations_at(county, exclude_kinds=VILLAGE_ORG_KINDS, active_only=False, order_by=("name",))
        ]
        if county
        else []
    )
    village_choices = (
        [
            (v.code, f"{v.parent.name if v.parent else ''} {v.name}")
            for v in selectors.villages_in_scope(request.user, Perm.GROUP_MANAGE)
        ]
        if county
        else []
    )
    form = ChannelForm(request.POST or None, owners=owners, villages=village_choices)
    if request.method == "POST":
        if county is None:
            raise Forbidden("只有县级工作人员可以登记工作群和应用。")
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.channel_register(
                    actor=request.user,
                    county=county,
                    kind=d["kind"],
                    name=d["name"],
                    owner=organisation_find(d["owner"]),
                    purpose=d["purpose"],
                    villages=d["villages"],
                )
            except Invalid as exc:
                for err in exc.errors:
                    name = err.field.split(".")[0]
                    form.add_error(name if name in form.fields else None, err.message)
            else:
                messages.success(request, "已登记。")
                return redirect("admission:channels")
    items = list(selectors.channel_list_for(request.user))
    return render(
        request,
        "admission/channels.html",
        {
            "items": items,
            "form": form if county else None,
            "lookalikes": selectors.channel_lookalikes(items),
            "counts": selectors.channel_counts(items),
            "kinds": rules.CHANNEL_KINDS,
            "cleanup": rules.CLEANUP,
            "can_manage": county is not None,
            "decide_form": ChannelDecideForm(),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def channel_decide(request: HttpRequest, pk: int) -> HttpResponse:
    ch = selectors.channel_get_for(request.user, pk)
    form = ChannelDecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        target = selectors.channel_in_county(d["merged_into"], ch.county_id) if d.get("merged_into") else None
        try:
            services.channel_decide(
                actor=request.user,
                channel=ch,
                decision=d["decision"],
                merged_into=target,
                note=d.get("note", ""),
                decided_on=d.get("decided_on"),
            )
        except Invalid as exc:
            messages.error(request, "未保存：" + "；".join(e.message for e in exc.errors))
        else:
            messages.success(request, f"已记录“{ch.name}”的清理决定。")
    else:
        messages.error(request, "未保存：请选择清理决定。")
    return redirect("admission:channels")


# --- public results （二） -------------------------------------------------------------------------------


@reads_from_replica
def public_results(request: HttpRequest) -> HttpResponse:
    """Public: approved work and each department's yearly rejected/returned counts （二）（十六）."""
    year = _year(request)
    county = request.GET.get("county", "").strip()
    county = county if codes.is_code(county) else ""
    approved = list(selectors.public_approved(year, county)[:300])
    villages = selectors.approved_villages([r.pk for r in approved])
    return render(
        request,
        "admission/public_results.html",
        {
            "year": year,
            "approved": [(r, villages.get(r.pk, [])) for r in approved],
            "departments": selectors.public_department_counts(year, county),
            "triage_labels": rules.TRIAGE,
            "calendar_note": workdays.calendar_note(timezone.localdate()),
            "decision_outcomes": DecisionOutcome,
        },
    )


# --- departments' responsibilities toward villages （一） --------------------------------------------


@login_required
def remits(request: HttpRequest) -> HttpResponse:
    """The county's departments with their rural-revitalisation responsibilities, to set or change."""
    _require(request, Perm.REGION_MANAGE, "只有县（市、区）管理员可以确定部门的乡村振兴职责和履职方式。")
    counties = selectors.remit_counties_for(request.user)
    county = next((c for c in counties if c.code == request.GET.get("county")), counties[0] if counties else None)
    return render(
        request,
        "admission/remits.html",
        {"counties": counties, "county": county, "rows": selectors.remit_rows(county) if county else []},
    )


@login_required
def remit_edit(request: HttpRequest, department: int) -> HttpResponse:
    _require(request, Perm.REGION_MANAGE, "只有县（市、区）管理员可以确定部门的乡村振兴职责和履职方式。")
    county, org = selectors.remit_department_for(request.user, department)
    current = selectors.remit_get(county.code, org.pk)
    initial = (
        {
            "responsibilities": current.responsibilities,
            "own_work": current.own_work,
            "village_work": current.village_work,
            "items": current.items,
        }
        if current
        else {}
    )
    form = RemitForm(request.POST or None, initial=initial, item_names=selectors.remit_item_names(county))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.remit_save(
                actor=request.user,
                county=county,
                department=org,
                responsibilities=d["responsibilities"],
                own_work=d["own_work"],
                village_work=d.get("village_work", ""),
                items=d.get("items") or [],
            )
        except Invalid as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, f"已保存并公开{org.name}的乡村振兴职责和履职方式。")
            return redirect(f"{reverse('admission:remits')}?county={county.code}")
    return render(
        request,
        "admission/remit_form.html",
        {"form": form, "county": county, "department": org, "current": current},
        status=422 if form.errors else 200,
    )


@reads_from_replica
def public_remits(request: HttpRequest, code: str) -> HttpResponse:
    """Public: each department's rural-revitalisation responsibilities and 履职方式 toward villages （一）."""
    county = region_get(code)
    if county.level != codes.COUNTY:
        raise NotFound("部门乡村振兴职责按县（市、区）公布，请选择县（市、区）。")
    return render(request, "admission/public_remits.html", {"county": county, "rows": selectors.remit_rows(county)})


# --- registries of approvals （二）（五）（六） ------------------------------------------------------


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看批准登记的权限。")
    pairs = selectors.approval_regions_for(request.user)
    labels = dict(ApprovalKind.choices)
    targets = [(f"{kind}:{region.code}", f"{labels[kind]}，{region.name}登记") for kind, region in pairs]
    form = ApprovalForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if not pairs:
            raise Forbidden("责任状和村级工作机制的批准由省级登记，统一考评由县级管理员登记。")
        if form.is_valid():
            d = form.cleaned_data
            kind, _, code = d["target"].partition(":")
            try:
                services.approval_register(
                    actor=request.user,
                    region=region_get(code),
                    kind=kind,
                    number=d["number"],
                    title=d["title"],
                    issued_on=d["issued_on"],
                    scope=d["scope"],
                )
            except Invalid as exc:
                for err in exc.errors:
                    form.add_error(err.field if err.field in form.fields else None, err.message)
            else:
                messages.success(request, "已登记。申请依据中引用该文号的，筛查时按已批准处理。")
                return redirect("admission:approvals")
    return render(
        request,
        "admission/approvals.html",
        {
            "items": list(selectors.approval_list_for(request.user)[:500]),
            "form": form if pairs else None,
            "revoke_form": RevokeForm(),
            "can_revoke": {kind for kind, _ in pairs},
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def approval_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    approval = selectors.approval_get_for(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未撤销：请填写撤销理由。")
        return redirect("admission:approvals")
    try:
        services.approval_revoke(actor=request.user, approval=approval, reason=form.cleaned_data["reason"])
    except Invalid as exc:
        messages.error(request, "未撤销：" + "；".join(e.message for e in exc.errors))
    else:
        messages.success(request, f"已撤销 {approval.number}。")
    return redirect("admission:approvals")


# --- work routed away from villages （三）（十七） -------------------------------------------------


@login_required
def routed(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看分流事项的权限。")
    scope = scope_for(request.user)
    items = list(selectors.routed_list_for(request.user)[:300])
    return render(
        request,
        "admission/routed.html",
        {
            "items": items,
            "handles": {r.pk for r in items if scope.can(Perm.ADMISSION_HANDLE, r.region_id)},
            "form": RoutedForm(),
        },
    )


@login_required
@require_POST
def routed_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.routed_get_for(request.user, pk)
    form = RoutedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未保存：请选择状态并写明进展。")
        return redirect("admission:routed")
    d = form.cleaned_data
    try:
        services.routed_update(
            actor=request.user, routed=item, status=d["status"], note=d["note"], provider=d.get("provider", "")
        )
    except Invalid as exc:
        messages.error(request, "未保存：" + "；".join(e.message for e in exc.errors))
    else:
        messages.success(request, "已更新。")
    return redirect("admission:routed")


# --- rule misses: decisions that contradicted the screening ------------------------------------


@login_required
def rule_misses(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ADMISSION_VIEW, "您没有查看筛查改判记录的权限。")
    return render(
        request,
        "admission/rule_misses.html",
        {
            "items": list(selectors.rule_miss_list_for(request.user)[:300]),
            "can_review": scope_for(request.user).can(Perm.CATALOG_APPROVE, codes.PROVINCE_CODE),
            "rule_labels": RULE_LABELS,
        },
    )


@login_required
@require_POST
def rule_miss_review(request: HttpRequest, pk: int) -> HttpResponse:
    miss = selectors.rule_miss_get_for(request.user, pk)
    services.rule_miss_review(actor=request.user, miss=miss)
    messages.success(request, "已标记为已复核。")
    return redirect("admission:rule_misses")
