"""Oversight decisions as pure functions over plain values: periods, the burden index, weights,
alert findings. No Django here; each finding cites its clause （十五）（十六）."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FORMULA_CLAUSE = "（十六）"
MAX_YEARS_BACK = 30


@dataclass(frozen=True)
class Finding:
    rule: str
    clause: str
    message: str
    field: str = ""


# --- periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A year, a quarter or a month: "2027", "2027Q1" or "2027-03"."""

    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def key(self) -> str:
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter:
            return f"{self.year:04d}Q{self.quarter}"
        return f"{self.year:04d}"

    @property
    def kind(self) -> str:
        return "month" if self.month else "quarter" if self.quarter else "year"

    @property
    def label(self) -> str:
        if self.month:
            return f"{self.year}年{self.month}月"
        if self.quarter:
            return f"{self.year}年第{self.quarter}季度"
        return f"{self.year}年"

    @property
    def months(self) -> list[str]:
        if self.month:
            nums = [self.month]
        elif self.quarter:
            nums = [3 * self.quarter - 2, 3 * self.quarter - 1, 3 * self.quarter]
        else:
            nums = list(range(1, 13))
        return [f"{self.year:04d}-{m:02d}" for m in nums]

    @property
    def start(self) -> dt.date:
        return month_start(self.months[0])

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        return next_month(month_start(self.months[-1]))

    def elapsed_months(self, today: dt.date) -> int:
        """Months of the period that have begun by `today` (the current period counts partly)."""
        return max(1, sum(1 for m in self.months if month_start(m) <= today))


def month_start(key: str) -> dt.date:
    return dt.date(int(key[:4]), int(key[5:7]), 1)


def next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def previous_month(day: dt.date) -> dt.date:
    return dt.date(day.year - (day.month == 1), (day.month - 2) % 12 + 1, 1)


def periods_containing(month: str) -> list[Period]:
    """The month, its quarter and its year: what a change in one month's counts touches."""
    y, m = int(month[:4]), int(month[5:7])
    return [Period(y, month=m), Period(y, quarter=(m - 1) // 3 + 1), Period(y)]


_INT = re.compile(r"^\d{1,4}$")


def parse_period(
    year: str | None, quarter: str | None, month: str | None, *, today: dt.date, first_month: str | None
) -> tuple[Period | None, list[Finding]]:
    """Read a period from query values; a period starting after today, or ending before the records
    start (`first_month`), is refused with a message the caller can show at the field."""
    problems: list[Finding] = []
    if not year or not re.fullmatch(r"\d{4}", year.strip()):
        problems.append(Finding("period_year", FORMULA_CLAUSE, "年份应为四位数字，如 2027。", "year"))
    q = m = None
    if quarter:
        if not _INT.match(quarter.strip()) or not 1 <= int(quarter) <= 4:
            problems.append(Finding("period_quarter", FORMULA_CLAUSE, "季度应为 1 到 4。", "quarter"))
        else:
            q = int(quarter)
    if month:
        if not _INT.match(month.strip()) or not 1 <= int(month) <= 12:
            problems.append(Finding("period_month", FORMULA_CLAUSE, "月份应为 1 到 12。", "month"))
        else:
            m = int(month)
    if quarter and month:
        problems.append(Finding("period_both", FORMULA_CLAUSE, "季度和月份只能选填一项。", "month"))
    if problems:
        return None, problems
    assert year is not None
    y = int(year)
    if y < today.year - MAX_YEARS_BACK:
        return None, [Finding("period_too_old", FORMULA_CLAUSE, f"年份 {y} 过早。", "year")]
    period = Period(y, quarter=q, month=m)
    if period.start > today:
        return None, [
            Finding("period_future", FORMULA_CLAUSE, f"{period.label}尚未开始，不能查询未来的期间。", field_of(period))
        ]
    if first_month and period.end <= month_start(first_month):
        return None, [
            Finding(
                "period_before_records",
                FORMULA_CLAUSE,
                f"{period.label}早于系统最早的记录（{first_month}），没有可统计的数据。",
                field_of(period),
            )
        ]
    return period, []


def field_of(period: Period) -> str:
    return "month" if period.month else "quarter" if period.quarter else "year"


# --- the burden index --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexFormula:
    version: int
    weights: Mapping[str, float]
    references: Mapping[str, float]
    threshold: float


def component_score(count: float, reference: float, months: int) -> float:
    """0..1: the count against the reference count for a village over the period (capped at 1)."""
    if reference <= 0 or months <= 0:
        return 0.0
    return min(1.0, count / (reference * months))


def village_index(counts: Mapping[str, float], formula: IndexFormula, months: int) -> float:
    """The village's burden index 0..100: the weighted sum of its capped component scores."""
    total = 0.0
    for figure, weight in formula.weights.items():
        if weight:
            total += weight * component_score(counts.get(figure, 0), formula.references.get(figure, 0), months)
    return round(total, 1)


def check_formula(
    weights: Mapping[str, object], references: Mapping[str, object], threshold: object, known: Iterable[str]
) -> list[Finding]:
    """Weights are numbers 0..100 over known figures summing to 100; each weighted figure has a
    positive reference; the threshold lies in 0..100."""
    known = set(known)
    out: list[Finding] = []
    total = 0.0
    for figure, weight in weights.items():
        if figure not in known:
            out.append(Finding("weight_unknown", FORMULA_CLAUSE, f"没有名为“{figure}”的指标。", f"weight_{figure}"))
            continue
        if not isinstance(weight, int | float) or isinstance(weight, bool) or not 0 <= weight <= 100:
            out.append(Finding("weight_range", FORMULA_CLAUSE, "权重应为 0 到 100 之间的数。", f"weight_{figure}"))
            continue
        total += float(weight)
        ref = references.get(figure)
        if weight and (not isinstance(ref, int | float) or isinstance(ref, bool) or ref <= 0):
            out.append(
                Finding("reference_positive", FORMULA_CLAUSE, "有权重的指标须填写大于 0 的参照值。", f"ref_{figure}")
            )
    if not out and abs(total - 100) > 1e-6:
        out.append(Finding("weights_sum", FORMULA_CLAUSE, f"各项权重之和应为 100，现在是 {total:g}。", "weights"))
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not 0 <= threshold <= 100:
        out.append(Finding("threshold_range", FORMULA_CLAUSE, "预警阈值应为 0 到 100 之间的数。", "threshold"))
    return out


# The first formula: village-level figures that are work put on a village. A province admin changes
# it on the formula page; every change is a new version.
DEFAULT_WEIGHTS: dict[str, float] = {
    "admission_assigned": 20,
    "admission_meetings": 15,
    "admission_evaluations": 5,
    "admission_offlist": 20,
    "signs_offcatalog": 10,
    "signs_overdue_tasks": 10,
    "certificates_forbidden_demands": 10,
    "certificates_escalated": 5,
    "seals_anomalies": 5,
}
DEFAULT_REFERENCES: dict[str, float] = {
    "admission_assigned": 4,
    "admission_meetings": 2,
    "admission_evaluations": 1,
    "admission_offlist": 1,
    "signs_offcatalog": 2,
    "signs_overdue_tasks": 1,
    "certificates_forbidden_demands": 2,
    "certificates_escalated": 1,
    "seals_anomalies": 2,
}
DEFAULT_THRESHOLD = 60.0


# --- alerts ------------------------------------------------------------------------------------


def alert_fires(value: int, threshold: int) -> bool:
    return value >= threshold


def mean(total: float, n: int) -> float:
    return round(total / n, 1) if n else 0.0


def share(part: int, whole: int) -> float:
    """Percentage, one decimal."""
    return round(100 * part / whole, 1) if whole else 0.0


# --- alert rule thresholds （十六） ------------------------------------------------------------------

RULE_CLAUSE = "（十六）"
MAX_WINDOW_MONTHS = 36
MAX_DEADLINE_DAYS = 365
MAX_THRESHOLD = 10000


def _whole(raw: object) -> int | None:
    """A whole number typed on a form ("3", " 3 ", 3), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    text = str(raw or "").strip()
    return int(text) if re.fullmatch(r"\d{1,6}", text) else None


def check_rule_change(
    *,
    threshold: object,
    window_months: object,
    deadline_days: object,
    county_thresholds: Mapping[str, object],
    counties: Iterable[str],
    note: str,
) -> tuple[dict[str, object], list[Finding]]:
    """Read a rule's new thresholds as a province admin typed them; (clean values, problems at the fields).

    The threshold and each county's own figure are whole numbers 1..10000 (a county figure left empty
    means the county follows the province's); the window 1..36 months; the deadline 1..365 days; the
    reason 1..300 characters."""
    out: list[Finding] = []
    clean: dict[str, object] = {}
    t = _whole(threshold)
    if t is None or not 1 <= t <= MAX_THRESHOLD:
        out.append(Finding("rule_threshold", RULE_CLAUSE, f"阈值应为 1 到 {MAX_THRESHOLD} 之间的整数。", "threshold"))
    clean["threshold"] = t
    w = _whole(window_months)
    if w is None or not 1 <= w <= MAX_WINDOW_MONTHS:
        out.append(
            Finding("rule_window", RULE_CLAUSE, f"统计月数应为 1 到 {MAX_WINDOW_MONTHS} 之间的整数。", "window_months")
        )
    clean["window_months"] = w
    d = _whole(deadline_days)
    if d is None or not 1 <= d <= MAX_DEADLINE_DAYS:
        out.append(
            Finding("rule_deadline", RULE_CLAUSE, f"整改期限应为 1 到 {MAX_DEADLINE_DAYS} 天。", "deadline_days")
        )
    clean["deadline_days"] = d
    known = set(counties)
    per_county: dict[str, int] = {}
    for code, raw in county_thresholds.items():
        if str(raw or "").strip() == "":
            continue
        if code not in known:
            out.append(Finding("rule_county", RULE_CLAUSE, f"没有代码为 {code} 的县（市、区）。", f"county_{code}"))
            continue
        n = _whole(raw)
        if n is None or not 1 <= n <= MAX_THRESHOLD:
            out.append(
                Finding(
                    "rule_county_threshold",
                    RULE_CLAUSE,
                    "县定阈值应为 1 到 10000 之间的整数，或留空。",
                    f"county_{code}",
                )
            )
            continue
        per_county[code] = n
    clean["county_thresholds"] = per_county
    note = (note or "").strip()
    if not note:
        out.append(Finding("rule_note", RULE_CLAUSE, "请填写调整理由。", "note"))
    elif len(note) > 300:
        out.append(Finding("rule_note_length", RULE_CLAUSE, "调整理由不超过 300 字。", "note"))
    clean["note"] = note
    return clean, out


def threshold_for(threshold: int, county_thresholds: Mapping[str, int], county: str) -> int:
    """The county's own figure where it set one (its meeting plan), else the rule's threshold."""
    own = county_thresholds.get(county)
    return int(own) if own else threshold
