"""The index formula, periods and weights as the policy reads (no database)."""

from __future__ import annotations

import datetime as dt

from cunwu.oversight import rules

TODAY = dt.date(2027, 3, 15)


def test_periods_have_their_keys_and_months() -> None:
    assert rules.Period(2027).key == "2027" and len(rules.Period(2027).months) == 12
    assert rules.Period(2027, quarter=1).key == "2027Q1"
    assert rules.Period(2027, quarter=4).months == ["2027-10", "2027-11", "2027-12"]
    assert rules.Period(2027, month=3).key == "2027-03"
    assert rules.Period(2027, month=12).end == dt.date(2028, 1, 1)


def test_current_period_counts_only_elapsed_months() -> None:
    assert rules.Period(2027).elapsed_months(TODAY) == 3
    assert rules.Period(2026).elapsed_months(TODAY) == 12


def test_parse_refuses_future_and_malformed_and_before_records() -> None:
    p, errs = rules.parse_period("2027", None, "3", today=TODAY, first_month="2025-01")
    assert p == rules.Period(2027, month=3) and not errs
    _, errs = rules.parse_period("2027", None, "4", today=TODAY, first_month=None)
    assert errs[0].rule == "period_future" and errs[0].field == "month"
    _, errs = rules.parse_period("2027", "2", "5", today=TODAY, first_month=None)
    assert {e.rule for e in errs} == {"period_both"}
    _, errs = rules.parse_period("2024", None, None, today=TODAY, first_month="2025-01")
    assert errs[0].rule == "period_before_records"
    _, errs = rules.parse_period("", None, None, today=TODAY, first_month=None)
    assert errs[0].field == "year"


def test_village_index_caps_each_component() -> None:
    f = rules.IndexFormula(1, {"a": 60, "b": 40}, {"a": 2, "b": 1}, 50)
    assert rules.village_index({"a": 2}, f, 1) == 60.0
    assert rules.village_index({"a": 20, "b": 20}, f, 1) == 100.0
    assert rules.village_index({"a": 2, "b": 1}, f, 2) == 50.0
    assert rules.village_index({"c": 9}, f, 1) == 0.0


def test_weights_must_sum_to_100() -> None:
    known = ["a", "b"]
    assert rules.check_formula({"a": 60, "b": 40}, {"a": 1, "b": 1}, 50, known) == []
    assert rules.check_formula({"a": 60, "b": 30}, {"a": 1, "b": 1}, 50, known)[0].rule == "weights_sum"
    assert rules.check_formula({"x": 100}, {"x": 1}, 50, known)[0].rule == "weight_unknown"
    assert rules.check_formula({"a": 100}, {}, 50, known)[0].rule == "reference_positive"
    assert rules.check_formula({"a": "abc"}, {"a": 1}, 50, known)[0].rule == "weight_range"
    assert rules.check_formula({"a": 100}, {"a": 1}, 150, known)[0].rule == "threshold_range"


def test_default_weights_sum_to_100() -> None:
    assert sum(rules.DEFAULT_WEIGHTS.values()) == 100
    assert set(rules.DEFAULT_WEIGHTS) == set(rules.DEFAULT_REFERENCES)


def test_charts_carry_no_inline_style_the_pages_csp_would_block() -> None:
    """style-src 'self' drops inline style attributes: fonts, sizes and colours must be attributes."""
    from cunwu.oversight.charts import bar_chart, line_chart, to_svg

    for drawing in (
        bar_chart(["昆明市", "曲靖市"], [1.9, 0.0], "下级负担指数", threshold=1.0),
        line_chart(["2027-01"], [2.0], "趋势"),
    ):
        svg = to_svg(drawing, "图")
        assert "style=" not in svg
        assert 'font-size="8px"' in svg or 'font-size="7px"' in svg
