"""Working days by the official holiday calendar (国务院办公厅 放假安排, with 调休 make-up days).

The data comes from the `chinese-calendar` package, which is updated each year once the State
Council publishes the next year's arrangement. For a year it does not know yet, days are counted
Monday to Friday and every page that shows such a count says so.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

SOURCE = "国务院办公厅公布的法定节假日及调休安排"


def _known_years() -> tuple[int, int]:
    days = list(chinese_calendar.holidays) + list(chinese_calendar.workdays)
    return min(days).year, max(days).year


FIRST_YEAR, LAST_YEAR = _known_years()


def year_known(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def is_workday(day: date) -> bool:
    if year_known(day.year):
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


def calendar_note(*days: date | None) -> str:
    """The sentence shown next to working-day counts, naming the fallback when it was used."""
    unknown = sorted({d.year for d in days if d is not None and not year_known(d.year)})
    note = f"工作日按{SOURCE}计算，已收录 {FIRST_YEAR}–{LAST_YEAR} 年。"
    if unknown:
        years = "、".join(str(y) for y in unknown)
        note += f"{years} 年的放假安排尚未收录，暂按周一至周五计算，公布后以官方安排为准。"
    return note
