"""Masking of personal data (DESIGN.md §4) and the GB 11643 ID number check: pure functions."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from cunwu.masking import id_number_problem, mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("岩温", "岩*"),
        ("岩罕温", "岩*温"),
        ("欧阳小明", "欧**明"),
        ("阿依·木", "阿*·木"),
        ("阿布都·木", "阿**·木"),
        ("阿依古丽·买买提", "阿***·**提"),
        ("张", "张"),
        ("", ""),
        (None, ""),
        ("  张三丰 ", "张*丰"),
    ],
)
def test_mask_name_keeps_first_and_last_character(name, masked):
    assert mask_name(name) == masked


def test_mask_name_of_the_design_examples():
    # DESIGN.md §4: 张*, 张*丰, 岩*温, 阿*·*木.
    assert [mask_name(n) for n in ("张三", "张三丰", "岩罕温", "阿三·四木")] == ["张*", "张*丰", "岩*温", "阿*·*木"]
    assert mask_name("阿依·沙木") == "阿*·*木"


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("53012419900101123X", "5301**********123X"),
        ("530124900101123", "5301*******1123"),
        ("12345678", "********"),
        ("", ""),
    ],
)
def test_mask_id_keeps_first_4_and_last_4(value, masked):
    assert mask_id_number(value) == masked


def test_mask_phone_keeps_first_3_and_last_4():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""


@pytest.mark.parametrize(
    "value", ["53012419900101123X", "53012419900101123x", "11010519491231002X", "530124200002290010"]
)
def test_valid_id_numbers(value):
    assert id_number_problem(value) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("530124199001011231", "校验位"),
        ("110105194912310020", "校验位"),
        ("530124199002301230", "出生日期"),
        ("530124190002291231", "出生日期"),
        ("53012419900101123", "18位"),
        ("5301241990010112YX", "18位"),
        ("", "18位"),
    ],
)
def test_invalid_id_numbers_say_why_in_chinese(value, words):
    problem = id_number_problem(value)
    assert problem is not None and words in problem


def test_template_filters_mask():
    html = Template("{% load cunwu_masks %}{{ n|mask_name }} {{ i|mask_id }} {{ p|mask_phone }}").render(
        Context({"n": "张三丰", "i": "53012419900101123X", "p": "13812345678"})
    )
    assert html == "张*丰 5301**********123X 138****5678"
