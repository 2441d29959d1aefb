"""Reads of oversight: scoped (outside scope → 404, in scope without oversight:view → 403)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import FieldError, Forbidden, Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import (
    region_get,
    region_names_levels,
    region_path,
    region_with_children,
    regions_at_level,
)

from . import aggregation, figures, rules
from .models import Alert, AlertRule, AlertRuleVersion, AlertStatus, FigureCount, Formula, MonthRefresh, RegionScore

SHARE = "villages_over_threshold_share"
SHARE_LABEL = "超过预警阈值的村（社区）占比"
OUTSIDE = "找不到该区划，或不在您的管辖范围内。"
VILLAGE_LEVELS = (codes.VILLAGE, codes.COMMUNITY)


def region_for(user: Any, code: str) -> Any:
    """The region if the user may watch burden there: 422 malformed, 404 unknown or outside, 403 no permission."""
    region = region_get(code)
    scope = scope_for(user)
    if not scope.covers(region.code):
        raise NotFound(OUTSIDE)
    if not scope.can(Perm.OVERSIGHT_VIEW, region.code):
        raise Forbidden("您没有查看负担监测的权限。")
    return region


def home_code_for(user: Any) -> str | None:
    """The widest region where the user holds oversight:view (the dashboard's start)."""
    regions = scope_for(user).regions(Perm.OVERSIGHT_VIEW)
    if not regions:
        return None
    return min(regions, key=lambda r: (codes.LEVELS.index(r[1]), r[0]))[0]


def period_from(year: str | None, quarter: str | None = None, month: str | None = None) -> rules.Period:
    """The period asked for, or Invalid (422) with the message at the field."""
    period, problems = rules.parse_period(
        year, quarter, month, today=timezone.localdate(), first_month=aggregation.first_month()
    )
    if problems:
        raise Invalid(problems[0].message, [FieldError(p.field, p.message) for p in problems], code="invalid_period")
    assert period is not None
    return period


def default_period() -> rules.Period:
    today = timezone.localdate()
    return rules.Period(today.year, month=today.month)


@dataclass
class Node:
    code: str
    name: str
    level: str
    index: float
    components: dict[str, float]
    villages: int = 0
    villages_over: int = 0


@dataclass
class Burden:
    region: Node
    period: rules.Period
    formula_version: int
    threshold: float
    children: list[Node] = field(default_factory=list)


def _components(row: RegionScore | None, is_village: bool) -> dict[str, float]:
    out: dict[str, float] = {name: 0 for name in figures.all_figures()}
    if row is not None:
        out.update(row.components)
    if not is_village:
        out[SHARE] = rules.share(row.villages_over, row.villages) if row else 0.0
    return out


def _node(code: str, name: str, level: str, row: RegionScore | None) -> Node:
    is_village = level in VILLAGE_LEVELS
    return Node(
        code,
        name,
        level,
        row.index if row else 0.0,
        _components(row, is_village),
        row.villages if row else 0,
        row.villages_over if row else 0,
    )


def burden_for(user: Any, code: str, period: rules.Period) -> Burden:
    """A region's index and components for a period, with its children's (fresh within a minute)."""
    region_for(user, code)
    aggregation.ensure_fresh()
    aggregation.ensure_period(period)
    region, children = region_with_children(code)
    wanted = [region.code, *(c.code for c in children)]
    rows = {r.region_code: r for r in RegionScore.objects.filter(period=period.key, region_code__in=wanted)}
    versions = {r.formula_version for r in rows.values()}
    formula = aggregation.current_formula()
    return Burden(
        region=_node(region.code, region.name, region.level, rows.get(region.code)),
        period=period,
        formula_version=max(versions) if versions else formula.version,
        threshold=formula.threshold,
        children=[_node(c.code, c.name, c.level, rows.get(c.code)) for c in children],
    )


def trend_for(user: Any, code: str, *, months: int = 12) -> list[tuple[str, float, float]]:
    """(month, index, total of weighted components) for the last `months` months up to now."""
    region_for(user, code)
    today = timezone.localdate().replace(day=1)
    keys = []
    day = today
    for _ in range(months):
        keys.append(day.strftime("%Y-%m"))
        day = rules.previous_month(day)
    keys.reverse()
    first = aggregation.first_month()
    keys = [k for k in keys if first is None or k >= first] or keys[-1:]
    for k in keys:
        aggregation.ensure_period(rules.Period(int(k[:4]), month=int(k[5:])))
    rows = {r.period: r for r in RegionScore.objects.filter(region_code=code, period__in=keys)}
    weights = aggregation.current_formula().weights
    out = []
    for k in keys:
        r = rows.get(k)
        weighted = sum(r.components.get(f, 0) for f in weights if weights[f]) if r else 0
        out.append((k, r.index if r else 0.0, float(weighted)))
    return out


@dataclass
class SubjectRow:
    subject: str
    counts: dict[str, int]
    total: int
    regions: int


def subjects_for(user: Any, code: str, period: rules.Period, *, min_sample: int = 3) -> list[SubjectRow]:
    """Departments and agencies by their figures in the region's subtree and the period.

    Only those with at least `min_sample` records in total are ranked, so one record is not a trend.
    """
    region = region_for(user, code)
    aggregation.ensure_fresh()
    aggregation.ensure_period(period)
    low, high = codes.code_range(region.code, region.level)
    by: dict[str, dict[str, int]] = defaultdict(dict)
    spread: dict[str, set[str]] = defaultdict(set)
    for row in (
        FigureCount.objects.filter(month__in=period.months, region_code__gte=low, region_code__lte=high, subject__gt="")
        .values("subject", "figure", "region_code")
        .annotate(n=Sum("count"))
        .order_by()
    ):
        by[row["subject"]][row["figure"]] = by[row["subject"]].get(row["figure"], 0) + row["n"]
        spread[row["subject"]].add(row["region_code"])
    out = [SubjectRow(s, c, sum(c.values()), len(spread[s])) for s, c in by.items()]
    out = [r for r in out if r.total >= min_sample]
    return sorted(out, key=lambda r: (-r.total, r.subject))


def breadcrumbs(code: str) -> list[Any]:
    return region_path(region_get(code))


def formula_list() -> list[Formula]:
    return list(Formula.objects.select_related("created_by").order_by("-version")[:50])


def figure_url(name: str, code: str, period: rules.Period) -> str | None:
    """The records page behind a figure, for the region's subtree and the period."""
    if not figures.has_records(name):
        return None
    return reverse("oversight:records", args=[code, name]) + "?" + period_query(period)


def period_query(period: rules.Period) -> str:
    q = f"year={period.year}"
    if period.quarter:
        q += f"&quarter={period.quarter}"
    if period.month:
        q += f"&month={period.month}"
    return q


RECORDS_LIMIT = 200


def region_names(region_codes: list[str]) -> dict[str, str]:
    return {c: n for c, (n, _lv) in region_names_levels(sorted(set(region_codes))).items()}


@dataclass
class FigureRecords:
    figure: figures.Figure
    region: Any
    period: rules.Period
    rows: list[Any]
    total: int


def figure_records_for(user: Any, code: str, name: str, period: rules.Period) -> FigureRecords:
    """The records behind one figure of a region (its whole subtree) and period, as the producing app
    lists them: outside the viewer's scope 404, without oversight:view 403, an unknown figure 404."""
    region = region_for(user, code)
    figure = figures.all_figures().get(name)
    if figure is None or not figures.has_records(name):
        raise NotFound("没有这项指标。")
    low, high = codes.code_range(region.code, region.level)
    rows, total = figures.records(name, low, high, period.start, period.end, user=user, limit=RECORDS_LIMIT)
    return FigureRecords(figure, region, period, rows, total)


def last_refreshed() -> dt.datetime | None:
    row = MonthRefresh.objects.order_by("-refreshed_at").first()
    return row.refreshed_at if row else None


# --- alerts ------------------------------------------------------------------------------------


def rule_list_for(user: Any) -> list[AlertRule]:
    """The alert rules with their thresholds (any oversight viewer reads them; the province edits)."""
    if not scope_for(user).has(Perm.OVERSIGHT_VIEW):
        raise Forbidden("您没有查看负担预警的权限。")
    return list(AlertRule.objects.order_by("code"))


def rule_get_for(user: Any, code: str) -> AlertRule:
    if not scope_for(user).has(Perm.OVERSIGHT_VIEW):
        raise Forbidden("您没有查看负担预警的权限。")
    found = AlertRule.objects.filter(code=code).first()
    if found is None:
        raise NotFound("没有这条预警规则。")
    return found


def rule_versions(rule: AlertRule) -> list[AlertRuleVersion]:
    return list(rule.versions.select_related("created_by").order_by("-version")[:50])


def counties_named() -> list[tuple[str, str]]:
    """(code, name) of every county, by prefecture and code (the rule page's county figures)."""
    return [(r.code, r.name) for r in regions_at_level(codes.PROVINCE_CODE, codes.COUNTY)]


def alert_list_for(user: Any, *, status: str = "") -> QuerySet[Alert]:
    """Alerts about regions in the user's oversight scope."""
    scope = scope_for(user)
    qs = Alert.objects.filter(scope.region_q("region_code", Perm.OVERSIGHT_VIEW)).select_related("rule")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "deadline", "id")


def alert_get_for(user: Any, pk: int) -> Alert:
    found = alert_list_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("找不到该预警，或不在您的管辖范围内。")
    return found


def _owner_grants(user: Any) -> list[str]:
    """Region codes where the user speaks for the owning body (a county admin of that county)."""
    return [g.region_code for g in scope_for(user).grants if Perm.OVERSIGHT_REPORT in g.perms]


def can_handle_alert(user: Any, alert: Alert) -> bool:
    return alert.owner_code in _owner_grants(user)


def alerts_owned_by(user: Any) -> QuerySet[Alert]:
    """Open alerts the user's own body must act on (the workbench)."""
    return Alert.objects.filter(owner_code__in=_owner_grants(user), status=AlertStatus.OPEN)


# --- open data (公开) ------------------------------------------------------------------------------

OPEN_LEVELS = (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY)


def open_data_rows(period: rules.Period) -> list[dict[str, Any]]:
    """County level and above only (no village, no department names): the public figures of a period."""
    aggregation.ensure_period(period)
    scores = list(RegionScore.objects.filter(period=period.key, level__in=OPEN_LEVELS).order_by("region_code"))
    names = region_names_levels([s.region_code for s in scores])
    out = []
    for s in scores:
        row: dict[str, Any] = {
            "code": s.region_code,
            "name": names.get(s.region_code, ("", ""))[0],
            "level": s.level,
            "period": period.key,
            "index": s.index,
            "formula_version": s.formula_version,
            "villages": s.villages,
            SHARE: rules.share(s.villages_over, s.villages),
        }
        for name in figures.all_figures():
            row[name] = s.components.get(name, 0)
        out.append(row)
    return out


def open_data_dictionary() -> list[tuple[str, str, str, str]]:
    """(column, meaning, unit, clause) for every column of the open data files."""
    base = [
        ("code", "统计用区划代码（12位）", "", ""),
        ("name", "区划名称", "", ""),
        ("level", "层级：province 省、prefecture 州（市）、county 县（市、区）", "", ""),
        ("period", "期间：2027（年）、2027Q1（季度）、2027-03（月）", "", ""),
        ("index", "负担指数：所辖村（社区）指数的平均数，0–100", "分", "（十六）"),
        ("formula_version", "计算所用的负担指数公式版本", "", "（十六）"),
        ("villages", "所辖村（社区）数", "个", ""),
        (SHARE, SHARE_LABEL, "%", "（十六）"),
    ]
    return base + [(n, f.label, f.unit, f.clause) for n, f in figures.all_figures().items()]
