"""Statistical division codes (统计用区划代码): 12 digits, the level readable from the code itself."""

from __future__ import annotations

import re

PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, VILLAGE, COMMUNITY = (
    "province",
    "prefecture",
    "county",
    "township",
    "village",
    "community",
)
LEVELS = (PROVINCE, PREFECTURE, COUNTY, TOWNSHIP, VILLAGE, COMMUNITY)
VILLAGE_LEVELS = (VILLAGE, COMMUNITY)
ABOVE_VILLAGE_LEVELS = (PROVINCE, PREFECTURE, COUNTY, TOWNSHIP)
# 云南省: the root of the tree this deployment serves; spelled here only.
PROVINCE_CODE = "530000000000"
LEVEL_LABELS = {
    PROVINCE: "省",
    PREFECTURE: "州（市）",
    COUNTY: "县（市、区）",
    TOWNSHIP: "乡镇（街道）",
    VILLAGE: "村（村委会）",
    COMMUNITY: "社区",
}
# Significant digits of a code at each level: 53 / 5301 / 530124 / 530124103 / 530124103201.
PREFIX_LENGTH = {PROVINCE: 2, PREFECTURE: 4, COUNTY: 6, TOWNSHIP: 9, VILLAGE: 12, COMMUNITY: 12}
_CODE_RE = re.compile(r"\d{12}")


def is_code(value: str) -> bool:
    return bool(_CODE_RE.fullmatch(value or ""))


def code_problem(value: str) -> str | None:
    """None when the string has the form of a division code, else a Chinese reason."""
    if not value:
        return "请填写行政区划代码。"
    if not is_code(value):
        return f"行政区划代码应为12位数字，收到“{value[:20]}”。"
    return None


def prefix(code: str, level: str) -> str:
    return code[: PREFIX_LENGTH[level]]


def prefix_range(p: str) -> tuple[str, str]:
    """Inclusive range of the 12-digit codes starting with `p`; a B-tree range scan on any database."""
    return p + "0" * (12 - len(p)), p + "9" * (12 - len(p))


def code_range(code: str, level: str) -> tuple[str, str]:
    """Inclusive range of codes in the subtree of `code` at `level`."""
    return prefix_range(prefix(code, level))


def level_of(code: str) -> str:
    """The level a well-formed code names, read from its trailing zeros (village-level: digits 10–12)."""
    for level in (PROVINCE, PREFECTURE, COUNTY, TOWNSHIP):
        if code[PREFIX_LENGTH[level] :] == "0" * (12 - PREFIX_LENGTH[level]):
            return level
    return village_level(code)


def subtree_prefix(code: str) -> str:
    """The digits every code in the subtree of `code` starts with (53 for the province, …)."""
    return prefix(code, level_of(code))


def village_level(code: str) -> str:
    """Digits 10–12: 001–199 communities, 200–399 villages."""
    return COMMUNITY if int(code[9:]) < 200 else VILLAGE


def ancestor_codes(code: str) -> list[str]:
    """Codes of the province, prefecture, county and township above a code (real codes only)."""
    out = []
    for length in (2, 4, 6, 9):
        candidate = code[:length] + "0" * (12 - length)
        if candidate != code:
            out.append(candidate)
    return out


def county_code(code: str) -> str:
    """The code of the county (县、市、区) a code lies in."""
    return prefix(code, COUNTY).ljust(12, "0")


def township_code(code: str) -> str:
    """The code of the township (乡镇、街道) a village-level code lies in."""
    return prefix(code, TOWNSHIP).ljust(12, "0")


def within(code: str, region_code: str, region_level: str) -> bool:
    """Whether `code` lies in the subtree of the region `region_code` at `region_level`."""
    low, high = code_range(region_code, region_level)
    return low <= code <= high
