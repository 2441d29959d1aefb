"""Writes of oversight: formula versions, refreshes, alerts. Atomic and audited."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid
from cunwu.regions import codes
from cunwu.regions.selectors import regions_at_level

from . import aggregation, figures, ledgers, rules
from .models import Alert, AlertRule, AlertRuleVersion, AlertStatus, FigureCount, Formula

VILLAGE_LEVELS = (codes.VILLAGE, codes.COMMUNITY)


def formula_current() -> rules.IndexFormula:
    return aggregation.current_formula()


def formula_change(
    *, actor: Any, weights: dict[str, Any], references: dict[str, Any], threshold: Any, note: str = ""
) -> Formula:
    """Write the next formula version (weights summing to 100); periods are recomputed lazily on read
    and by `cunwu oversight refresh --all-periods`. Province admins only."""
    if not scope_for(actor).has(Perm.OVERSIGHT_MANAGE):
        raise Forbidden("只有省级管理员可以调整负担指数公式。")
    weights = {k: v for k, v in weights.items() if v not in ("", None)}
    references = {k: v for k, v in references.items() if v not in ("", None)}
    problems = rules.check_formula(weights, references, threshold, figures.all_figures())
    note = (note or "").strip()
    if not note:
        problems.append(rules.Finding("note_required", rules.FORMULA_CLAUSE, "请填写调整说明。", "note"))
    elif len(note) > 300:
        problems.append(rules.Finding("note_length", rules.FORMULA_CLAUSE, "调整说明不超过 300 字。", "note"))
    if problems:
        raise Invalid(problems[0].message, [FieldError(p.field, p.message) for p in problems], code="invalid_formula")
    current = aggregation.current_formula()
    clean_weights = {k: float(v) for k, v in weights.items() if float(v)}
    clean_refs = {k: float(v) for k, v in references.items() if k in clean_weights}
    with transaction.atomic():
        version = (Formula.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        if version != current.version + 1:
            raise Conflict("公式刚被他人修改，请刷新后重试。")
        try:
            row = Formula.objects.create(
                version=version,
                weights=clean_weights,
                references=clean_refs,
                threshold=float(threshold),
                note=note,
                created_by=actor,
            )
        except IntegrityError:
            raise Conflict("公式刚被他人修改，请刷新后重试。") from None
        audit_record(
            actor=actor,
            action="oversight.formula.change",
            obj=row,
            before={"version": current.version, "weights": dict(current.weights), "threshold": current.threshold},
            after={"version": version, "weights": clean_weights, "threshold": float(threshold)},
            note=note,
        )
    return row


def refresh_now(*, actor: Any) -> int:
    """Recount the current and previous month now (after a correction was made)."""
    months = aggregation.recent_months(timezone.localdate())
    n = aggregation.refresh_months(months)
    with transaction.atomic():
        audit_record(actor=actor, action="oversight.refresh", object_type="oversight.month", note=",".join(months))
    return n


# --- alerts （十六） ------------------------------------------------------------------------------

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "code": "department_rejected",
        "label": "部门派活申请反复被不予准入",
        "clause": "（二）",
        "figure": "admission_rejected",
        "per": "subject",
        "window_months": 3,
        "threshold": 3,
    },
    {
        "code": "department_offlist",
        "label": "部门反复清单外摊派",
        "clause": "（二）",
        "figure": "admission_offlist",
        "per": "subject",
        "window_months": 3,
        "threshold": 2,
    },
    {
        "code": "agency_forbidden_certificates",
        "label": "单位反复索要不应由村出具的证明",
        "clause": "（十一）",
        "figure": "certificates_forbidden_demands",
        "per": "subject",
        "window_months": 3,
        "threshold": 3,
    },
    {
        "code": "village_offcatalog_plates",
        "label": "村里有目录外牌子",
        "clause": "（九）",
        "figure": "signs_offcatalog",
        "per": "village",
        "window_months": 12,
        "threshold": 1,
    },
    {
        "code": "village_overdue_cleanup",
        "label": "挂牌清理整改任务逾期",
        "clause": "（九）",
        "figure": "signs_overdue_tasks",
        "per": "village",
        "window_months": 3,
        "threshold": 1,
    },
    {
        "code": "village_seal_anomalies",
        "label": "用印异常偏多",
        "clause": "（十四）",
        "figure": "seals_anomalies",
        "per": "village",
        "window_months": 3,
        "threshold": 3,
    },
    {
        "code": "village_meetings_over_plan",
        "label": "村级组织参加会议超过县定计划",
        # the province's figure per village and month; a county's own plan is set on the rule's page
        "clause": "（四）",
        "figure": "admission_meetings",
        "per": "village",
        "window_months": 1,
        "threshold": 4,
    },
    {
        "code": "county_overdue_complaints",
        "label": "举报超期未办结或超期办结",
        "clause": "（十六）",
        "figure": "complaints_overdue",
        "per": "county",
        "window_months": 3,
        "threshold": 1,
        "deadline_days": 15,
    },
    {
        "code": "ledger_overdue",
        "label": "工作台账事项逾期未完成",
        "clause": "（十五）",
        "figure": "ledger",
        "per": "ledger",
        "window_months": 1,
        "threshold": 1,
    },
]


def rules_ensure() -> list[AlertRule]:
    """The alert rules; the defaults are written once, then they are data the province edits."""
    for spec in DEFAULT_RULES:
        AlertRule.objects.get_or_create(code=spec["code"], defaults=spec)
    return list(AlertRule.objects.filter(active=True))


def county_of(code: str) -> str:
    return codes.prefix(code, codes.COUNTY).ljust(12, "0")


def _window(today: dt.date, months: int) -> list[str]:
    day = today.replace(day=1)
    keys = []
    for _ in range(max(1, months)):
        keys.append(day.strftime("%Y-%m"))
        day = rules.previous_month(day)
    return sorted(keys)


def _values(rule: AlertRule, months: list[str]) -> dict[tuple[str, str], int]:
    """(region code, subject) → count over the window, as the rule counts it."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    rows = (
        FigureCount.objects.filter(figure=rule.figure, month__in=months)
        .values("region_code", "subject")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for row in rows:
        if rule.per == "village":
            if codes.level_of(row["region_code"]) in VILLAGE_LEVELS:
                out[(row["region_code"], "")] += row["n"]
        elif rule.per == "county":
            if codes.level_of(row["region_code"]) not in (codes.PROVINCE, codes.PREFECTURE):
                out[(county_of(row["region_code"]), "")] += row["n"]
        elif row["subject"]:
            out[(county_of(row["region_code"]), row["subject"])] += row["n"]
    return out


def alerts_raise(*, today: dt.date | None = None) -> list[Alert]:
    """Evaluate every active rule over the stored counts; one alert per rule, region, subject and month."""
    today = today or timezone.localdate()
    aggregation.ensure_fresh()
    raised: list[Alert] = []
    labels = figures.all_figures()
    for rule in rules_ensure():
        if rule.per == "ledger":
            raised += _ledger_alerts(rule, today)
            continue
        months = _window(today, rule.window_months)
        unit = labels[rule.figure].unit if rule.figure in labels else ""
        for (code, subject), value in _values(rule, months).items():
            threshold = rules.threshold_for(rule.threshold, rule.county_thresholds or {}, county_of(code))
            if not rules.alert_fires(value, threshold):
                continue
            who = f"{subject}在本县" if subject else "本县" if rule.per == "county" else "该村（社区）"
            basis = "县定计划" if threshold != rule.threshold else "预警阈值"
            message = (
                f"{rule.label}：{who}{months[0]}至{months[-1]}共 {value} {unit}，达到{basis} {threshold}{rule.clause}。"
            )
            with transaction.atomic():
                alert, created = Alert.objects.get_or_create(
                    rule=rule,
                    region_code=code,
                    subject=subject[:128],
                    period=months[-1],
                    defaults={
                        "value": value,
                        "rule_version": rule.version,
                        "owner_code": county_of(code),
                        "message": message[:300],
                        "deadline": today + dt.timedelta(days=rule.deadline_days),
                    },
                )
                if created:
                    audit_record(
                        actor="system",
                        action="oversight.alert.raise",
                        obj=alert,
                        region_code=code,
                        after={"rule": rule.code, "value": value, "subject": subject},
                    )
                    raised.append(alert)
    return raised


def _ledger_alerts(rule: AlertRule, today: dt.date) -> list[Alert]:
    """Each overdue ledger line becomes an alert owned by the level that keeps the ledger."""
    out = []
    for task in ledgers.overdue_tasks(today):
        days = (today - task.deadline).days
        with transaction.atomic():
            alert, created = Alert.objects.get_or_create(
                rule=rule,
                region_code=task.region_code,
                subject=f"#{task.pk} {task.title}"[:128],
                period=task.deadline.isoformat(),
                defaults={
                    "value": days,
                    "rule_version": rule.version,
                    "owner_code": task.region_code,
                    "message": f"{rule.label}：“{task.title[:60]}”完成时限 {task.deadline:%Y-%m-%d}，已逾期 {days} 天{rule.clause}。",
                    "deadline": today + dt.timedelta(days=rule.deadline_days),
                },
            )
            if created:
                audit_record(actor="system", action="oversight.alert.raise", obj=alert, region_code=task.region_code)
                out.append(alert)
    return out


def rule_change(
    *,
    actor: Any,
    rule: AlertRule,
    threshold: Any,
    window_months: Any,
    deadline_days: Any,
    active: bool,
    county_thresholds: dict[str, Any],
    note: str,
) -> AlertRule:
    """A province admin sets a rule's thresholds (and the counties' own figures) with a reason: the
    rule's next version, its old values kept in AlertRuleVersion, audited. Alerts already raised keep
    the version they were raised under. Someone else changed it first → 409."""
    if not scope_for(actor).has(Perm.OVERSIGHT_MANAGE):
        raise Forbidden("只有省级管理员可以调整预警规则。")
    if rule.per == "ledger":
        counties: list[str] = []
    else:
        counties = county_codes()
    clean, problems = rules.check_rule_change(
        threshold=threshold,
        window_months=window_months,
        deadline_days=deadline_days,
        county_thresholds=county_thresholds,
        counties=counties,
        note=note,
    )
    if problems:
        raise Invalid(problems[0].message, [FieldError(p.field, p.message) for p in problems], code="invalid_rule")
    before = _rule_values(rule)
    with transaction.atomic():
        if not AlertRuleVersion.objects.filter(rule=rule).exists():
            AlertRuleVersion.objects.create(rule=rule, note="初始规则", **before)
        changed = AlertRule.objects.filter(pk=rule.pk, version=rule.version).update(
            threshold=clean["threshold"],
            window_months=clean["window_months"],
            deadline_days=clean["deadline_days"],
            county_thresholds=clean["county_thresholds"],
            active=bool(active),
            version=rule.version + 1,
        )
        if not changed:
            raise Conflict("该规则刚被他人修改，请刷新后重试。")
        rule.refresh_from_db()
        after = _rule_values(rule)
        AlertRuleVersion.objects.create(rule=rule, note=str(clean["note"]), created_by=actor, **after)
        audit_record(
            actor=actor,
            action="oversight.rule.change",
            obj=rule,
            before=before,
            after=after,
            note=str(clean["note"]),
        )
    return rule


def _rule_values(rule: AlertRule) -> dict[str, Any]:
    return {
        "version": rule.version,
        "threshold": rule.threshold,
        "county_thresholds": dict(rule.county_thresholds or {}),
        "window_months": rule.window_months,
        "deadline_days": rule.deadline_days,
        "active": rule.active,
    }


def county_codes() -> list[str]:
    return [r.code for r in regions_at_level(codes.PROVINCE_CODE, codes.COUNTY)]


def alert_close(*, actor: Any, alert: Alert, note: str) -> Alert:
    """The owning county says what it did; an open alert closes once (someone else first → 409)."""
    note = (note or "").strip()
    if not note:
        raise Invalid.field("note", "请填写处理情况。")
    if len(note) > 2000:
        raise Invalid.field("note", "处理情况不超过 2000 字。")
    now = timezone.now()
    with transaction.atomic():
        changed = Alert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.CLOSED, note=note, closed_at=now, closed_by=actor
        )
        if not changed:
            raise Conflict("该预警已办结。")
        audit_record(
            actor=actor,
            action="oversight.alert.close",
            obj=alert,
            region_code=alert.region_code,
            before={"status": AlertStatus.OPEN},
            after={"status": AlertStatus.CLOSED},
            note=note[:300],
        )
    alert.refresh_from_db()
    return alert
