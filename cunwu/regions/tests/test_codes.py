"""Division codes: 12 digits, the level readable from the code (pure, no database)."""

from __future__ import annotations

import pytest

from cunwu.regions import codes


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("530124103200", None),
        ("", "请填写行政区划代码。"),
        ("5301", "行政区划代码应为12位数字，收到“5301”。"),
        ("53012410320a", "行政区划代码应为12位数字，收到“53012410320a”。"),
        ("5301241032001", "行政区划代码应为12位数字，收到“5301241032001”。"),
    ],
)
def test_code_problem_explains_in_chinese(value, problem):
    assert codes.code_problem(value) == problem


@pytest.mark.parametrize(
    ("code", "level", "low", "high"),
    [
        ("530000000000", codes.PROVINCE, "530000000000", "539999999999"),
        ("530100000000", codes.PREFECTURE, "530100000000", "530199999999"),
        ("530124000000", codes.COUNTY, "530124000000", "530124999999"),
        ("530124103000", codes.TOWNSHIP, "530124103000", "530124103999"),
        ("530124103200", codes.VILLAGE, "530124103200", "530124103200"),
    ],
)
def test_code_range_is_the_subtree(code, level, low, high):
    assert codes.code_range(code, level) == (low, high)


@pytest.mark.parametrize(
    ("code", "level", "prefix"),
    [
        ("530000000000", codes.PROVINCE, "53"),
        ("530100000000", codes.PREFECTURE, "5301"),
        ("530124000000", codes.COUNTY, "530124"),
        ("530124103000", codes.TOWNSHIP, "530124103"),
        ("530124103001", codes.COMMUNITY, "530124103001"),
        ("530124103200", codes.VILLAGE, "530124103200"),
    ],
)
def test_level_and_prefix_read_from_the_code(code, level, prefix):
    assert codes.level_of(code) == level
    assert codes.subtree_prefix(code) == prefix


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("530124103001", codes.COMMUNITY),
        ("530124103199", codes.COMMUNITY),
        ("530124103200", codes.VILLAGE),
        ("530124103399", codes.VILLAGE),
    ],
)
def test_digits_10_to_12_tell_community_from_village(code, level):
    assert codes.village_level(code) == level


def test_ancestor_codes_run_from_province_to_township():
    assert codes.ancestor_codes("530124103200") == ["530000000000", "530100000000", "530124000000", "530124103000"]
    assert codes.ancestor_codes("530124000000") == ["530000000000", "530100000000"]
    assert codes.ancestor_codes("530000000000") == []
