"""Rules of 填表报数 (clause （四）): periods, frequencies, windows, values and filing transitions.

Pure functions over plain values; every finding cites its clause and speaks Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

CLAUSE = "（四）"

FREQUENCY_ORDER = ("yearly", "half_yearly", "quarterly", "monthly")
FREQUENCY_LABEL = {"yearly": "按年", "half_yearly": "按半年", "quarterly": "按季", "monthly": "按月"}
PERIODS_PER_YEAR = {"yearly": 1, "half_yearly": 2, "quarterly": 4, "monthly": 12}
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:(?P<h>H[12])|(?P<q>Q[1-4])|-(?P<m>0[1-9]|1[0-2]))?$")


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    clause: str
    message: str


def highest_frequency(frequencies: Sequence[str]) -> str:
    """The most frequent of the requested frequencies: a monthly element serves a yearly request."""
    return max(frequencies, key=FREQUENCY_ORDER.index)


def periods_of(year: int, frequency: str) -> list[str]:
    """The reporting periods of a year: 2027, 2027H1…, 2027Q1…, 2027-01…"""
    if frequency == "yearly":
        return [str(year)]
    if frequency == "half_yearly":
        return [f"{year}H1", f"{year}H2"]
    if frequency == "quarterly":
        return [f"{year}Q{q}" for q in range(1, 5)]
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def parse_period(text: str) -> tuple[date, date] | None:
    """First and last day of a period string, or None when it is not one."""
    found = _PERIOD.match(text or "")
    if not found:
        return None
    year = int(found["year"])
    if found["h"]:
        first_month, months = (1, 6) if found["h"] == "H1" else (7, 6)
    elif found["q"]:
        first_month, months = (int(found["q"][1]) - 1) * 3 + 1, 3
    elif found["m"]:
        first_month, months = int(found["m"]), 1
    else:
        first_month, months = 1, 12
    start = date(year, first_month, 1)
    end_month = first_month + months
    end = date(year + (end_month > 12), (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def frequency_of(period: str) -> str:
    found = _PERIOD.match(period)
    if not found:
        raise ValueError(period)
    return "half_yearly" if found["h"] else "quarterly" if found["q"] else "monthly" if found["m"] else "yearly"


def periods_within(period: str, frequency: str) -> list[str]:
    """The periods of `frequency` that make up `period` (2027Q1 monthly → 2027-01, 2027-02, 2027-03)."""
    bounds = parse_period(period)
    if bounds is None:
        return []
    start, end = bounds
    return [p for p in periods_of(start.year, frequency) if (b := parse_period(p)) and start <= b[0] and b[1] <= end]


def window_for(period: str, is_workday: Callable[[date], bool], working_days: int = 10) -> tuple[date, date]:
    """Input opens on the first working day after the period ends and closes `working_days` later."""
    bounds = parse_period(period)
    if bounds is None:
        raise ValueError(period)
    day = bounds[1] + timedelta(days=1)
    while not is_workday(day):
        day += timedelta(days=1)
    opens, closes, counted = day, day, 1
    while counted < working_days:
        closes += timedelta(days=1)
        if is_workday(closes):
            counted += 1
    return opens, closes


def rollup(values: Sequence[Decimal], how: str) -> Decimal | None:
    """A longer period's value from its shorter periods' values (sum, last, mean or max)."""
    if not values:
        return None
    if how == "sum":
        return sum(values, Decimal(0))
    if how == "last":
        return values[-1]
    if how == "mean":
        return sum(values, Decimal(0)) / len(values)
    return max(values)


@dataclass(frozen=True, slots=True)
class ElementSpec:
    """What validation needs to know of an element."""

    name: str
    type: str
    unit: str = ""
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    choices: tuple[str, ...] = ()


def check_value(spec: ElementSpec, raw: str) -> tuple[str, str | None]:
    """(canonical value, Chinese error or None). Blank is allowed in a draft (checked at submit)."""
    text = (raw or "").strip().replace(",", "").replace("，", "")
    if text == "":
        return "", None
    unit = spec.unit
    if unit and text.endswith(unit) and spec.type in {"integer", "decimal", "percentage"}:
        text = text[: -len(unit)].strip()
    if spec.type in {"integer", "decimal", "percentage"}:
        text = text.rstrip("%％") if spec.type == "percentage" else text
        try:
            number = Decimal(text)
        except InvalidOperation:
            wanted = {"integer": "整数", "decimal": "数字", "percentage": "百分数（0–100）"}[spec.type]
            suffix = f"（单位：{unit}）" if unit else ""
            return raw, f"「{spec.name}」应填{wanted}{suffix}，不能填「{raw}」。"
        if not number.is_finite():
            return raw, f"「{spec.name}」应填数字。"
        if spec.type == "integer" and number != number.to_integral_value():
            return raw, f"「{spec.name}」应填整数{f'（单位：{unit}）' if unit else ''}。"
        low = spec.min_value if spec.min_value is not None else (Decimal(0) if spec.type != "decimal" else None)
        high = spec.max_value if spec.max_value is not None else (Decimal(100) if spec.type == "percentage" else None)
        if low is not None and number < low:
            return raw, f"「{spec.name}」不能小于 {low}{unit}。"
        if high is not None and number > high:
            return raw, f"「{spec.name}」不能大于 {high}{unit}。"
        return (str(int(number)) if spec.type == "integer" else format(number.normalize(), "f")), None
    if spec.type == "yesno":
        mapping = {"是": "是", "否": "否", "有": "是", "无": "否", "true": "是", "false": "否", "1": "是", "0": "否"}
        if text.lower() not in mapping:
            return raw, f"「{spec.name}」只能填「是」或「否」。"
        return mapping[text.lower()], None
    if spec.type == "date":
        found = re.fullmatch(r"(\d{4})[-./年](\d{1,2})[-./月](\d{1,2})日?", text)
        try:
            day = date(int(found[1]), int(found[2]), int(found[3])) if found else None
        except ValueError:
            day = None
        if day is None:
            return raw, f"「{spec.name}」应填日期，例如 2027-03-01。"
        return day.isoformat(), None
    if spec.type == "choice" and spec.choices and text not in spec.choices:
        return raw, f"「{spec.name}」只能从以下选项中选：{'、'.join(spec.choices)}。"
    if len(text) > 500:
        return raw, f"「{spec.name}」最多 500 个字。"
    return text, None


# ---------------------------------------------------------------- filings


FILING_TRANSITIONS: dict[str, dict[str, str]] = {
    # action → {from status: to status}
    "save": {"draft": "draft", "returned": "returned"},
    "submit": {"draft": "submitted", "returned": "submitted"},
    "accept": {"submitted": "accepted"},
    "return": {"submitted": "returned"},
}
_ACTION_LABEL = {"save": "保存", "submit": "提交", "accept": "通过", "return": "退回"}


def decide_filing(
    action: str, status: str, *, today: date, closes: date, reopened_until: date | None
) -> Finding | None:
    """None when `action` is allowed on a filing in `status` now; else why not (（四）: 按规定频次)."""
    targets = FILING_TRANSITIONS[action]
    if status not in targets:
        return Finding("filing_state", CLAUSE, f"该填报当前状态下不能{_ACTION_LABEL[action]}。")
    if action in {"save", "submit"}:
        last_day = max(closes, reopened_until) if reopened_until else closes
        if today > last_day:
            return Finding(
                "window_closed",
                CLAUSE,
                f"本期填报已于 {last_day.isoformat()} 截止并锁定。如确需补报或更正，请联系乡镇工作人员，由乡镇重新开放。",
            )
    return None


def check_request(*, title: str, purpose: str, basis: str, fields_count: int) -> list[Finding]:
    """A department's request must say what it is for and on what basis, and ask for something."""
    found = []
    if not title.strip():
        found.append(Finding("title", CLAUSE, "请填写表名。"))
    if not purpose.strip():
        found.append(Finding("purpose", CLAUSE, "请说明数据用途。"))
    if fields_count == 0:
        found.append(Finding("fields", CLAUSE, "请至少列出一个需要村级填报的数据项，或上传原表。"))
    return found


def refusal_grounds(*, basis: str, adhoc: bool) -> list[str]:
    """Reasons the county may cite when refusing a request at consolidation."""
    grounds = []
    if not basis.strip():
        grounds.append("没有法律法规或政策文件依据")
    if adhoc:
        grounds.append("属临时性、随意性填表报数")
    return grounds


NUMERIC_TYPES = ("integer", "decimal", "percentage")


def check_element_definition(
    *, name: str, type: str, unit: str, known_units: Sequence[str], min_value: Decimal | None, max_value: Decimal | None
) -> list[tuple[str, str]]:
    """(field, message) for each flaw of a data element's definition, as the county edits it (（四）:
    one dictionary that every department's form reuses, so a value means the same thing everywhere)."""
    problems: list[tuple[str, str]] = []
    if not name.strip():
        problems.append(("name", "请填写数据项名称。"))
    if unit and unit not in known_units:
        problems.append(("unit", f"不认识单位「{unit}」，请填写常用计量单位，如 户、人、人次、万元、亩、吨。"))
    if unit and type not in NUMERIC_TYPES:
        problems.append(("unit", "只有整数、小数、百分比类型的数据项才有单位；文字、日期、是/否、选项请不填单位。"))
    if (min_value is not None or max_value is not None) and type not in NUMERIC_TYPES:
        problems.append(("min_value", "只有整数、小数、百分比类型的数据项才能设定取值范围。"))
    elif min_value is not None and max_value is not None and min_value > max_value:
        problems.append(("max_value", "上限不能小于下限。"))
    return problems
