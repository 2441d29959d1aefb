"""Pages of the reporting app: thin — parse, call one selector or service, render or redirect."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import Forbidden, Invalid, NotFound
from cunwu.pages import attempt
from cunwu.regions import codes

from . import fields as fieldnames
from . import rebuild, rules, selectors, services
from .formfiles import Column, FormFileError, read_form
from .forms import ElementForm, ReasonForm, RequestForm
from .intake import intake_form
from .models import PlanStatus, RequestStatus


def _county_of(code: str) -> str:
    return codes.prefix(code, codes.COUNTY) + "000000"


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's way in: department requests, county consolidation, village filings, township checks."""
    scope = scope_for(request.user)
    if not scope.has(Perm.FORM_VIEW):
        raise Forbidden("您没有查看填表报数的权限。")
    year = _year(request)
    context: dict[str, Any] = {"year": year}
    if scope.department_ids(Perm.FORM_REQUEST):
        context["requests"] = selectors.request_list_for(request.user).order_by("-year", "-id")[:50]
    counties = [code for code, level in scope.regions(Perm.FORM_INTEGRATE) if level == codes.COUNTY]
    if counties:
        context["counties"] = counties
    villages = [code for code, level in scope.regions(Perm.FORM_FILL) if level in (codes.VILLAGE, codes.COMMUNITY)]
    if villages:
        village = villages[0]
        plan = selectors.plan_get(_county_of(village), year)
        if plan and plan.status == PlanStatus.PUBLISHED:
            filings = {
                f.period: f for f in selectors.filing_list_for(request.user).filter(plan=plan, village_id=village)
            }
            context["village"] = village
            context["windows"] = [(w, filings.get(w.period)) for w in selectors.village_periods(plan)]
        else:
            context["no_plan"] = True
    if scope.has(Perm.FORM_ACCEPT):
        context["to_check"] = selectors.filings_to_check_for(request.user)
    return render(request, "reporting/home.html", context)


def _columns_from_lines(text: str) -> list[Column]:
    cols = []
    for i, line in enumerate(x for x in text.splitlines() if x.strip()):
        name, unit = fieldnames.split_unit(line)
        cols.append(Column(i, [line.strip()], name, unit, fieldnames.infer_type(name, unit, []), "data"))
    return cols


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Register a department's form request: upload or list fields → see what is reused → register."""
    scope = scope_for(request.user)
    departments = scope.department_ids(Perm.FORM_REQUEST)
    if not departments:
        raise Forbidden("只有党政群机构的工作人员可以登记填报需求。")
    county = _county_of(scope.regions(Perm.FORM_REQUEST)[0][0])
    if request.method == "POST" and request.POST.get("step") == "register":
        form = RequestForm(request.POST, initial={})
        payload = json.loads(request.POST.get("payload") or "{}")
        items = [services.FieldIn(**f) for f in payload.get("fields", [])]
        ok, created = attempt(
            request,
            lambda: services.request_register(
                actor=request.user,
                department_id=departments[0],
                year=int(request.POST.get("year") or 0),
                title=request.POST.get("title", ""),
                purpose=request.POST.get("purpose", ""),
                basis=request.POST.get("basis", ""),
                frequency=request.POST.get("frequency", ""),
                fields=items,
                layout=payload.get("layout"),
            ),
            "填报需求已登记，等待县级年初统一整合。",
        )
        if ok and created is not None:
            return redirect("reporting:request_detail", created.pk)
        return render(request, "reporting/request_form.html", {"form": form})
    form = RequestForm(request.POST or None, request.FILES or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        year = form.cleaned_data["year"]
        try:
            if upload:
                parsed = read_form(upload.read(), upload.name or "表格")
            else:
                columns = _columns_from_lines(form.cleaned_data["lines"])
                parsed = None
        except FormFileError as exc:
            form.add_error("file", exc.message)
        else:
            if parsed is not None:
                intake = intake_form(county, year, parsed)
                warnings = parsed.warnings
            else:
                from .formfiles import Form as ParsedForm

                intake = intake_form(county, year, ParsedForm(form.cleaned_data["title"], "", columns, [], 0))
                warnings = []
            payload = {
                "fields": [f.__dict__ for f in intake.fields],
                "layout": intake.layout,
            }
            rows = list(zip(intake.fields, intake.proposals, strict=True))
            return render(
                request,
                "reporting/request_confirm.html",
                {"form": form, "rows": rows, "payload": json.dumps(payload, ensure_ascii=False), "warnings": warnings},
            )
    return render(request, "reporting/request_form.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request and, once approved, the department's form rebuilt from the villages' filings."""
    found = selectors.request_get_for(request.user, pk)
    period = request.GET.get("period") or ""
    periods = rules.periods_of(found.year, found.frequency)
    period = period if period in periods else periods[0]
    rebuilt = rebuild.rebuild(found, period) if found.status == RequestStatus.APPROVED else None
    fields = list(found.fields.select_related("element").order_by("position"))
    return render(
        request,
        "reporting/request_detail.html",
        {"req": found, "fields": fields, "rebuilt": rebuilt, "periods": periods, "period": period},
    )


@login_required
def request_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's own form for a period as xlsx, in its original layout."""
    found = selectors.request_get_for(request.user, pk)
    if found.status != RequestStatus.APPROVED:
        raise NotFound("该填报需求未纳入年度计划，没有可导出的数据。")
    period = request.GET.get("period") or ""
    if period not in rules.periods_of(found.year, found.frequency):
        raise Invalid.field("period", "报告期不正确。")
    data = rebuild.export_xlsx(rebuild.rebuild(found, period))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename=form-{found.pk}-{period}.xlsx"
    return response


def _require_county(request: HttpRequest, county: str) -> None:
    scope_for(request.user).require(Perm.FORM_INTEGRATE, county, view=Perm.FORM_VIEW)


@login_required
def consolidation(request: HttpRequest, county: str, year: int) -> HttpResponse:
    """The county's yearly consolidation: requests to decide, duplicates to merge, the plan to publish."""
    _require_county(request, county)
    requests = selectors.request_list_for(request.user, year=year).filter(county_id=county)
    context = {
        "county": county,
        "year": year,
        "requests": requests,
        "proposals": selectors.consolidation_proposals(county, year),
        "plan": selectors.plan_get(county, year),
        "burden": selectors.burden_for(county, year),
    }
    return render(request, "reporting/consolidation.html", context)


@login_required
def element_list(request: HttpRequest, county: str) -> HttpResponse:
    """The county's element dictionary: every datum villages may be asked for, defined once."""
    elements = selectors.element_list_for(request.user, county)
    departments = dict(selectors.county_departments(county))
    rows = [(e, departments.get(e.department_id, "")) for e in elements]
    return render(request, "reporting/element_list.html", {"county": county, "rows": rows})


@login_required
def element_edit(request: HttpRequest, county: str, pk: int) -> HttpResponse:
    """Edit one element's definition; errors are shown at the field, keeping what was typed."""
    element = selectors.element_get_for(request.user, county, pk)
    departments = selectors.county_departments(county)
    initial = {
        "code": element.code,
        "name": element.name,
        "synonyms": "\n".join(element.synonyms or []),
        "type": element.type,
        "unit": element.unit,
        "definition": element.definition,
        "department_id": element.department_id,
        "min_value": element.min_value,
        "max_value": element.max_value,
        "rollup": element.rollup,
    }
    form = ElementForm(request.POST or None, initial=initial, departments=departments)
    if request.method == "POST" and form.is_valid():
        changes = services.ElementChanges(**{k: form.cleaned_data[k] for k in initial})
        try:
            services.element_update(actor=request.user, element=element, changes=changes)
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
        else:
            messages.success(request, f"已保存数据项「{changes.name}」。")
            return redirect("reporting:element_list", county)
    return render(request, "reporting/element_form.html", {"county": county, "element": element, "form": form})


@login_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.request_get_for(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    attempt(
        request,
        lambda: services.request_decide(
            actor=request.user, request=found, approve=approve, reason=request.POST.get("reason", "")
        ),
        "已纳入年度计划。" if approve else "已决定不予纳入。",
    )
    return redirect("reporting:consolidation", found.county_id, found.year)


@login_required
@require_POST
def merge_decide(request: HttpRequest, county: str, year: int) -> HttpResponse:
    _require_county(request, county)
    keep = selectors.element_in_county(county, request.POST.get("keep"))
    drop = selectors.element_in_county(county, request.POST.get("drop"))
    if keep is None or drop is None:
        raise NotFound("找不到要合并的数据项。")
    confirm = request.POST.get("decision") == "confirm"
    attempt(
        request,
        lambda: services.merge_decide(
            actor=request.user,
            keep=keep,
            drop=drop,
            year=year,
            factor=float(request.POST.get("factor") or 1),
            confirm=confirm,
            score=float(request.POST.get("score") or 0),
        ),
        f"已合并：「{drop.name}」并入「{keep.name}」，只填一次。" if confirm else "已确认不是同一数据项。",
    )
    return redirect("reporting:consolidation", county, year)


@login_required
@require_POST
def plan_publish(request: HttpRequest, county: str, year: int) -> HttpResponse:
    attempt(
        request,
        lambda: services.plan_publish(actor=request.user, county_code=county, year=year),
        f"{year} 年度填报计划已发布到乡镇和村。",
    )
    return redirect("reporting:consolidation", county, year)


@login_required
def filing(request: HttpRequest, village: str, period: str) -> HttpResponse:
    """The village's one page for a period: every element once, by department; save or submit."""
    scope = scope_for(request.user)
    if not scope.covers(village, Perm.FORM_VIEW):
        raise NotFound("找不到该村，或不在您的管辖范围内。")
    bounds = rules.parse_period(period)
    if bounds is None:
        raise NotFound("报告期不正确。")
    plan = selectors.plan_get(_county_of(village), bounds[0].year)
    if plan is None:
        raise NotFound("本年度填报计划尚未发布。")
    if scope.can(Perm.FORM_FILL, village):
        record = services.filing_open(actor=request.user, plan=plan, village_code=village, period=period)
    else:
        record = selectors.filing_find_for(request.user, plan, village, period)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {
            k.removeprefix("e"): str(request.POST.get(k, ""))
            for k in request.POST
            if k.startswith("e") and k[1:].isdigit()
        }
        values = {int(k): v for k, v in typed.items()}
        submit = request.POST.get("action") == "submit"
        try:
            services.filing_save(actor=request.user, filing=record, values=values, submit=submit)
        except Invalid as exc:
            errors = {e.field.removeprefix("values."): e.message for e in exc.errors}
            messages.error(request, exc.detail)
        except Exception as exc:
            from cunwu.errors import Conflict

            if not isinstance(exc, Conflict):
                raise
            messages.error(request, exc.detail)
        else:
            messages.success(request, "已提交乡镇审核。" if submit else "已保存草稿。")
            return redirect("reporting:filing", village, period)
        record.refresh_from_db()
    window = selectors.filing_window(record)
    today = timezone.localdate()
    lock = rules.decide_filing(
        "save", record.status, today=today, closes=window.closes, reopened_until=record.reopened_until
    )
    context = {
        "filing": record,
        "sections": [
            (
                section.department,
                [
                    (
                        row,
                        typed.get(str(row.element.pk), row.value),
                        errors.get(str(row.element.pk), ""),
                    )
                    for row in section.rows
                ],
            )
            for section in selectors.filing_sections(record)
        ],
        "window": window,
        "locked": lock.message if lock else "",
        "errors": errors,
        "typed": typed,
        "can_fill": scope.can(Perm.FORM_FILL, village),
        "can_check": scope.can(Perm.FORM_ACCEPT, village),
        "reason_form": ReasonForm(),
    }
    return render(request, "reporting/filing.html", context)


@login_required
@require_POST
def filing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.filing_get_for(request.user, pk)
    if request.POST.get("decision") == "accept":
        attempt(request, lambda: services.filing_accept(actor=request.user, filing=record), "已通过。")
    elif request.POST.get("decision") == "reopen":
        until = date.fromisoformat(request.POST.get("until") or timezone.localdate().isoformat())
        attempt(request, lambda: services.filing_reopen(actor=request.user, filing=record, until=until), "已重新开放。")
    else:
        attempt(
            request,
            lambda: services.filing_return(actor=request.user, filing=record, reason=request.POST.get("reason", "")),
            "已退回村里修改。",
        )
    return redirect(reverse("reporting:filing", args=[record.village_id, record.period]))
