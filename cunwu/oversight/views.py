"""Oversight pages: the burden dashboard from the province down to a village, by department or
agency, the index formula, alerts. Thin: a scoped selector, a service call, a template."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.http import require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.dbrouting import reads_from_replica
from cunwu.documents import write_table
from cunwu.errors import Forbidden, Invalid
from cunwu.regions import codes

from . import charts, figures, ledgers, reports, rules, selectors, services
from .models import AlertStatus, TaskStatus

LEVEL_LABELS = codes.LEVEL_LABELS
MONTHS = list(range(1, 13))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest) -> tuple[rules.Period | None, Invalid | None]:
    if not request.GET.get("year"):
        return selectors.default_period(), None
    try:
        return (
            selectors.period_from(request.GET.get("year"), request.GET.get("quarter"), request.GET.get("month")),
            None,
        )
    except Invalid as exc:
        return None, exc


MIN_RANK_VILLAGES = 5


def _unranked(node: selectors.Node) -> bool:
    return node.level not in selectors.VILLAGE_LEVELS and node.villages < MIN_RANK_VILLAGES


def _years() -> list[int]:
    this = selectors.default_period().year
    return list(range(this, this - 4, -1))


def _period_query(period: rules.Period) -> str:
    return selectors.period_query(period)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    code = selectors.home_code_for(request.user)
    if code is None:
        raise Forbidden("您没有查看负担监测的权限。")
    return redirect("oversight:dashboard", code=code)


def _figure_rows(node: selectors.Node, period: rules.Period, weights: dict[str, float]) -> list[dict[str, Any]]:
    rows = []
    for name, fig in figures.all_figures().items():
        rows.append(
            {
                "name": name,
                "label": fig.label,
                "unit": fig.unit,
                "clause": fig.clause,
                "value": node.components.get(name, 0),
                "weight": weights.get(name, 0),
                "url": selectors.figure_url(name, node.code, period),
            }
        )
    return rows


@login_required
@reads_from_replica
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    selectors.region_for(request.user, code)
    period, error = _period(request)
    years = _years()
    if period is None:
        assert error is not None
        ctx = {
            "code": code,
            "error": error,
            "years": years,
            "crumbs": selectors.breadcrumbs(code),
            "month_choices": MONTHS,
        }
        return render(request, "oversight/dashboard.html", ctx, status=422)
    data = selectors.burden_for(request.user, code, period)
    formula = services.formula_current()
    # A region with few villages is not ranked on noise: it is listed after the ranked ones.
    children = sorted(data.children, key=lambda c: (_unranked(c), -c.index, c.code))
    child_chart = charts.to_svg(
        charts.bar_chart(
            [c.name for c in children], [c.index for c in children], "下级负担指数", threshold=data.threshold
        ),
        escape(f"{data.region.name}下级负担指数"),
    )
    trend = selectors.trend_for(request.user, code)
    trend_chart = charts.to_svg(
        charts.line_chart([t[0] for t in trend], [t[1] for t in trend], "近12个月负担指数"),
        escape(f"{data.region.name}近12个月负担指数"),
    )
    return render(
        request,
        "oversight/dashboard.html",
        {
            "code": code,
            "data": data,
            "period": period,
            "period_query": _period_query(period),
            "years": years,
            "crumbs": selectors.breadcrumbs(code),
            "level_label": LEVEL_LABELS.get(data.region.level, ""),
            "child_level_label": "、".join(sorted({LEVEL_LABELS.get(c.level, "") for c in children})),
            "is_village": data.region.level in selectors.VILLAGE_LEVELS,
            "figure_rows": _figure_rows(data.region, period, dict(formula.weights)),
            "children": [(c, _unranked(c)) for c in children],
            "min_rank": MIN_RANK_VILLAGES,
            "share": data.region.components.get(selectors.SHARE, 0),
            "child_chart": child_chart,
            "trend": trend,
            "trend_chart": trend_chart,
            "refreshed": selectors.last_refreshed(),
            "month_choices": MONTHS,
            "can_manage": scope_for(request.user).has(Perm.OVERSIGHT_MANAGE),
        },
    )


@login_required
@reads_from_replica
def dashboard_export(request: HttpRequest, code: str) -> HttpResponse:
    selectors.region_for(request.user, code)
    period, error = _period(request)
    if period is None:
        assert error is not None
        raise error
    data = selectors.burden_for(request.user, code, period)
    names = list(figures.all_figures())
    labels = [figures.all_figures()[n].label for n in names]
    headers = ["区划代码", "名称", "负担指数", "超过阈值村占比（%）", *labels]
    rows = [
        [n.code, n.name, n.index, n.components.get(selectors.SHARE, ""), *(n.components.get(x, 0) for x in names)]
        for n in [data.region, *data.children]
    ]
    return _xlsx(write_table(f"负担监测{period.key}", headers, rows), f"burden-{code}-{period.key}.xlsx")


@login_required
@reads_from_replica
def figure_records(request: HttpRequest, code: str, figure: str) -> HttpResponse:
    """The records behind one figure: the region's subtree, the period, each linked to its own page."""
    selectors.region_for(request.user, code)
    period, error = _period(request)
    if period is None:
        assert error is not None
        raise error
    found = selectors.figure_records_for(request.user, code, figure, period)
    names = selectors.region_names([r.region_code for r in found.rows])
    return render(
        request,
        "oversight/records.html",
        {
            "found": found,
            "period_query": _period_query(period),
            "crumbs": selectors.breadcrumbs(code),
            "rows": [(r, names.get(r.region_code, r.region_code)) for r in found.rows],
        },
    )


@login_required
@reads_from_replica
def subjects(request: HttpRequest, code: str) -> HttpResponse:
    """Departments and agencies: who pushes the most work, gets the most rejections, demands forbidden certificates."""
    region = selectors.region_for(request.user, code)
    period, error = _period(request)
    if period is None:
        assert error is not None
        raise error
    try:
        min_sample = max(1, min(100, int(request.GET.get("min", "3"))))
    except ValueError:
        min_sample = 3
    rows = selectors.subjects_for(request.user, code, period, min_sample=min_sample)
    shown = [n for n, f in figures.all_figures().items() if any(r.counts.get(n) for r in rows)]
    labels = {n: figures.all_figures()[n].label for n in shown}
    if request.GET.get("format") == "xlsx":
        headers = ["部门或单位", "合计", "涉及区划数", *labels.values()]
        table = [[r.subject, r.total, r.regions, *(r.counts.get(n, 0) for n in shown)] for r in rows]
        return _xlsx(write_table("部门和单位", headers, table), f"burden-subjects-{code}-{period.key}.xlsx")
    chart = charts.to_svg(
        charts.bar_chart([r.subject for r in rows], [r.total for r in rows], "各部门和单位合计"),
        escape(f"{region.name}各部门和单位负担合计"),
    )
    return render(
        request,
        "oversight/subjects.html",
        {
            "region": region,
            "period": period,
            "period_query": _period_query(period),
            "rows": [(r, [r.counts.get(n, 0) for n in shown]) for r in rows],
            "labels": list(labels.values()),
            "min_sample": min_sample,
            "years": _years(),
            "month_choices": MONTHS,
            "chart": chart,
            "crumbs": selectors.breadcrumbs(code),
        },
    )


@login_required
def formula(request: HttpRequest) -> HttpResponse:
    """The index formula: every version; the province admin writes the next one."""
    scope = scope_for(request.user)
    if not scope.has(Perm.OVERSIGHT_VIEW):
        raise Forbidden("您没有查看负担监测的权限。")
    can_manage = scope.has(Perm.OVERSIGHT_MANAGE)
    current = services.formula_current()
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Forbidden("只有省级管理员可以调整负担指数公式。")
        values = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            services.formula_change(
                actor=request.user,
                weights=_numbers(request, "weight_"),
                references=_numbers(request, "ref_"),
                threshold=_number(request.POST.get("threshold", "")),
                note=request.POST.get("note", ""),
            )
        except Invalid as exc:
            errors = {e.field: e.message for e in exc.errors} or {"weights": exc.detail}
            status = 422
        else:
            messages.success(request, "已保存新的公式版本，各期间的指数将按新版本重新计算。")
            return redirect("oversight:formula")
    rows = [
        {
            "name": name,
            "label": f.label,
            "clause": f.clause,
            "unit": f.unit,
            "weight": values.get(f"weight_{name}", _fmt(current.weights.get(name, 0))),
            "ref": values.get(f"ref_{name}", _fmt(current.references.get(name, 1))),
            "error": errors.get(f"weight_{name}") or errors.get(f"ref_{name}"),
        }
        for name, f in figures.all_figures().items()
    ]
    return render(
        request,
        "oversight/formula.html",
        {
            "current": current,
            "rows": rows,
            "versions": selectors.formula_list(),
            "can_manage": can_manage,
            "errors": errors,
            "threshold": values.get("threshold", _fmt(current.threshold)),
            "note": values.get("note", ""),
        },
        status=status,
    )


def _fmt(v: float) -> str:
    return f"{v:g}"


def _number(raw: str) -> float | str:
    try:
        return float(raw.strip())
    except ValueError:
        return raw


def _numbers(request: HttpRequest, prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: _number(str(v)) for k, v in request.POST.items() if k.startswith(prefix)}


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", AlertStatus.OPEN)
    rows = selectors.alert_list_for(request.user, status=status if status in AlertStatus.values else "")
    return render(request, "oversight/alerts.html", {"rows": rows, "status": status})


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get_for(request.user, pk)
    can_close = selectors.can_handle_alert(request.user, alert)
    if request.method == "POST":
        if not can_close:
            raise Forbidden("只有责任单位可以办结此预警。")
        note = request.POST.get("note", "")
        try:
            services.alert_close(actor=request.user, alert=alert, note=note)
        except Invalid as exc:
            ctx = {"alert": alert, "can_close": can_close, "note": note, "error": exc.detail}
            return render(request, "oversight/alert_detail.html", ctx, status=422)
        messages.success(request, "预警已办结。")
        return redirect("oversight:alert", pk=alert.pk)
    return render(request, "oversight/alert_detail.html", {"alert": alert, "can_close": can_close})


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    """The alert rules and their thresholds; each links to its page (the province admin edits there)."""
    services.rules_ensure()
    labels = {n: f.label for n, f in figures.all_figures().items()}
    rows = [(r, labels.get(r.figure, "工作台账")) for r in selectors.rule_list_for(request.user)]
    return render(request, "oversight/rules.html", {"rows": rows})


@login_required
def rule_edit(request: HttpRequest, code: str) -> HttpResponse:
    """One rule: its thresholds, the counties' own figures, its versions; a province admin changes them."""
    services.rules_ensure()
    rule = selectors.rule_get_for(request.user, code)
    can_manage = scope_for(request.user).has(Perm.OVERSIGHT_MANAGE)
    errors: dict[str, str] = {}
    post: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise Forbidden("只有省级管理员可以调整预警规则。")
        post = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            services.rule_change(
                actor=request.user,
                rule=rule,
                threshold=post.get("threshold", ""),
                window_months=post.get("window_months", ""),
                deadline_days=post.get("deadline_days", ""),
                active=post.get("active") == "on",
                county_thresholds={k[7:]: v for k, v in post.items() if k.startswith("county_")},
                note=post.get("note", ""),
            )
        except Invalid as exc:
            errors = {e.field: e.message for e in exc.errors} or {"threshold": exc.detail}
            status = 422
        else:
            messages.success(request, "已保存为新版本，下次检查预警时按新阈值执行。")
            return redirect("oversight:rule", code=rule.code)
    own = rule.county_thresholds or {}
    counties = [
        (c, name, post.get(f"county_{c}", str(own.get(c, ""))), errors.get(f"county_{c}"))
        for c, name in (selectors.counties_named() if rule.per != "ledger" else [])
    ]
    shown = {"threshold", "window_months", "deadline_days", "note", *(f"county_{c[0]}" for c in counties)}
    figure = figures.all_figures().get(rule.figure)
    return render(
        request,
        "oversight/rule.html",
        {
            "rule": rule,
            "figure_label": figure.label if figure else "工作台账逾期事项",
            "unit": figure.unit if figure else "项",
            "can_manage": can_manage,
            "errors": errors,
            "values": {
                "threshold": post.get("threshold", str(rule.threshold)),
                "window_months": post.get("window_months", str(rule.window_months)),
                "deadline_days": post.get("deadline_days", str(rule.deadline_days)),
                "active": (post.get("active") == "on") if post else rule.active,
                "note": post.get("note", ""),
            },
            "counties": counties,
            "counties_set": sum(1 for c in counties if c[2]),
            "stray": [m for f, m in errors.items() if f not in shown],
            "versions": selectors.rule_versions(rule),
        },
        status=status,
    )


@require_POST
@login_required
def refresh(request: HttpRequest) -> HttpResponse:
    """Refresh now (the province admin, after a correction): the current and previous month."""
    if not scope_for(request.user).has(Perm.OVERSIGHT_MANAGE):
        raise Http404
    services.refresh_now(actor=request.user)
    messages.success(request, "已刷新本月和上月的数据。")
    return redirect("oversight:home")


# --- implementation ledgers （十五） --------------------------------------------------------------

CHILD_LEVEL = {
    codes.PROVINCE: codes.PREFECTURE,
    codes.PREFECTURE: codes.COUNTY,
    codes.COUNTY: codes.TOWNSHIP,
}


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


@login_required
def ledger_home(request: HttpRequest) -> HttpResponse:
    code = selectors.home_code_for(request.user)
    if code is None:
        raise Forbidden("您没有查看工作台账的权限。")
    return redirect("oversight:ledger", code=code)


@login_required
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    may_edit, may_comment = ledgers.ledger_region_for(request.user, code)
    region = selectors.breadcrumbs(code)[-1]
    errors: dict[str, str] = {}
    form: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        form = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            if form.get("action") == "send":
                ledgers.batch_send(
                    actor=request.user,
                    region_code=code,
                    target_level=form.get("target_level", ""),
                    title=form.get("title", ""),
                    responsible_body=form.get("responsible_body", ""),
                    deadline=_date(form.get("deadline", "")),
                )
                messages.success(request, "任务已下发到全部下级。")
            else:
                ledgers.task_add(
                    actor=request.user,
                    region_code=code,
                    title=form.get("title", ""),
                    responsible_body=form.get("responsible_body", ""),
                    deadline=_date(form.get("deadline", "")),
                )
                messages.success(request, "已加入工作台账。")
            return redirect("oversight:ledger", code=code)
        except Invalid as exc:
            errors = {e.field: e.message for e in exc.errors} or {"title": exc.detail}
            status = 422
    level = codes.level_of(code)
    today = timezone.localdate()
    return render(
        request,
        "oversight/ledger.html",
        {
            "region": region,
            "crumbs": selectors.breadcrumbs(code),
            "tasks": [(t, ledgers.is_overdue(t, today)) for t in ledgers.task_list(code)],
            "children": ledgers.children_ledgers(code, CHILD_LEVEL.get(level)),
            "batches": ledgers.batch_list_for(request.user, code),
            "may_edit": may_edit,
            "may_comment": may_comment,
            "can_send": may_edit and level in (codes.PROVINCE, codes.PREFECTURE),
            "send_levels": [("prefecture", "全部州（市）"), ("county", "全部县（市、区）")]
            if level == codes.PROVINCE
            else [("county", "全部县（市、区）")],
            "errors": errors,
            "form": form,
        },
        status=status,
    )


@login_required
def ledger_task(request: HttpRequest, pk: int) -> HttpResponse:
    task = ledgers.task_get_for(request.user, pk)
    may_edit, may_comment = ledgers.ledger_region_for(request.user, task.region_code)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "comment":
                ledgers.task_comment(actor=request.user, task=task, body=request.POST.get("body", ""))
                messages.success(request, "意见已发送。")
            else:
                ledgers.task_update(
                    actor=request.user,
                    task=task,
                    status=request.POST.get("status", ""),
                    progress_note=request.POST.get("progress_note", ""),
                    evidence=request.POST.get("evidence", ""),
                )
                messages.success(request, "进展已更新。")
            return redirect("oversight:ledger_task", pk=task.pk)
        except Invalid as exc:
            errors = {e.field: e.message for e in exc.errors} or {"status": exc.detail}
            status = 422
    return render(
        request,
        "oversight/ledger_task.html",
        {
            "task": task,
            "overdue": ledgers.is_overdue(task, timezone.localdate()),
            "comments": task.comments.select_related("author"),
            "may_edit": may_edit,
            "may_comment": may_comment,
            "statuses": TaskStatus.choices,
            "errors": errors,
            "post": request.POST,
        },
        status=status,
    )


# --- progress reports upward ----------------------------------------------------------------------

PDF = "application/pdf"


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has(Perm.OVERSIGHT_VIEW):
        raise Forbidden("您没有查看进展报告的权限。")
    own = [g.region_code for g in scope.grants if Perm.OVERSIGHT_REPORT in g.perms]
    own = [c for c in own if codes.level_of(c) in reports.REPORTING_LEVELS]
    home = selectors.home_code_for(request.user)
    return render(
        request,
        "oversight/reports.html",
        {
            "reports": reports.reports_for(request.user)[:200],
            "own": own,
            "years": _years(),
            "month_choices": MONTHS,
            "is_province": bool(home) and codes.level_of(home or "") == codes.PROVINCE,
        },
    )


@login_required
def report_preview(request: HttpRequest, code: str) -> HttpResponse:
    """The report as it stands now; the level itself submits it (frozen from then on)."""
    selectors.region_for(request.user, code)
    period, error = _period(request)
    if period is None:
        assert error is not None
        raise error
    if request.method == "POST":
        report = reports.report_submit(actor=request.user, code=code, period=period, note=request.POST.get("note", ""))
        messages.success(request, f"{period.label}进展报告已报送上级。")
        return redirect("oversight:report", pk=report.pk)
    data = reports.build(request.user, code, period)
    return render(
        request,
        "oversight/report.html",
        {"data": data, "period": period, "period_query": _period_query(period), "preview": True, "code": code},
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = reports.report_get_for(request.user, pk)
    if request.method == "POST":
        reports.report_receive(actor=request.user, report=report)
        messages.success(request, "已签收。")
        return redirect("oversight:report", pk=report.pk)
    return render(
        request,
        "oversight/report.html",
        {
            "data": report.data,
            "report": report,
            "meta": reports.meta_of(report),
            "can_receive": report.status == "submitted" and reports.can_receive(request.user, report),
        },
    )


@login_required
def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = reports.report_get_for(request.user, pk)
    name = f"progress-{report.region_code}-{report.period}"
    if fmt == "xlsx":
        return _xlsx(reports.to_xlsx(report.data, reports.meta_of(report)), f"{name}.xlsx")
    response = HttpResponse(reports.to_pdf(report.data, reports.meta_of(report)), content_type=PDF)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.pdf"
    return response


@login_required
def report_summary(request: HttpRequest) -> HttpResponse:
    period, error = _period(request)
    if period is None:
        assert error is not None
        raise error
    rows = reports.province_summary(request.user, period)
    if request.GET.get("format") == "xlsx":
        table = [
            [
                r["code"],
                r["name"],
                r["report"].get_status_display() if r["report"] else "未报送",
                r["index"] if r["index"] is not None else "",
                f"{r['counties_reported']}/{r['counties']}",
            ]
            for r in rows
        ]
        headers = ["区划代码", "州（市）", "州（市）报告", "负担指数", "县级已报送"]
        return _xlsx(write_table(f"全省汇总{period.key}", headers, table), f"province-summary-{period.key}.xlsx")
    return render(
        request,
        "oversight/report_summary.html",
        {
            "rows": rows,
            "period": period,
            "period_query": _period_query(period),
            "years": _years(),
            "month_choices": MONTHS,
        },
    )
