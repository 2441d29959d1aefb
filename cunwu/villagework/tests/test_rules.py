"""The villagework rules read like the measures; no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cunwu.villagework import rules

KEY = b"k" * 32


def test_clause_5_codes_are_typed_forgivingly_and_hashed_with_a_key() -> None:
    code = rules.new_code()
    assert len(code) == rules.CODE_LENGTH and set(code) <= set(rules.CODE_ALPHABET)
    typed = f" {code[:4].lower()}-{code[4:]} "
    assert rules.code_hash(typed, KEY) == rules.code_hash(code, KEY)
    assert rules.code_hash(code, KEY) != rules.code_hash(code, b"x" * 32)
    assert code not in rules.code_hash(code, KEY)
    assert rules.code_problem("") and rules.code_problem("ABC") and rules.code_problem("0OIL0OIL")
    assert rules.code_problem(code) is None


def test_clause_5_answers_outside_the_window_get_a_clear_message() -> None:
    opens, closes = date(2026, 11, 1), date(2026, 11, 30)
    assert "开始" in (rules.window_problem(date(2026, 10, 31), opens, closes) or "")
    assert "已于 2026年11月30日 结束" in (rules.window_problem(date(2026, 12, 1), opens, closes) or "")
    assert rules.window_problem(date(2026, 11, 30), opens, closes) is None


def test_clause_5_marks_to_score_and_the_minimum_before_a_score_counts() -> None:
    all_best = {q: 5 for q, _ in rules.QUESTIONS}
    all_worst = {q: 1 for q, _ in rules.QUESTIONS}
    assert rules.answer_score(all_best) == Decimal("100.00")
    assert rules.answer_score(all_worst) == Decimal("0.00")
    assert rules.marks_problems({"q1": 5}) == {q: "请选择一项。" for q, _ in rules.QUESTIONS[1:]}
    assert rules.marks_problems(all_best | {"q1": 9}) == {"q1": "请选择一项。"}
    few = rules.decide_satisfaction([Decimal(80)] * 29, 30)
    assert few.answers == 29 and few.score is None and few.average == Decimal("80.00") and not few.counts
    enough = rules.decide_satisfaction([Decimal(80)] * 29 + [Decimal(50)], 30)
    assert enough.counts and enough.score == Decimal("79.00")
    assert rules.DEFAULT_MIN_ANSWERS == 30
    assert rules.min_answers_problem(0) and rules.min_answers_problem(30) is None


def test_clause_6_a_post_merges_duties_and_a_dedicated_post_goes_to_the_county() -> None:
    assert "duty_codes" in rules.check_post(title="综合服务岗", duty_codes=[], mechanism_ids=[])
    assert rules.check_post(title="综合服务岗", duty_codes=["D01"], mechanism_ids=[]) == {}
    assert rules.check_post(title=" ", duty_codes=[], mechanism_ids=[3]) == {"title": "请填写岗位名称。"}
    finding = rules.dedicated_post_finding("农村综合服务站", 2)
    assert finding.rule == "dedicated_post" and finding.clause == "（六）" and "报县级作为例外" in finding.message


def test_clause_7_estates_owe_premises_and_cannot_hand_over_more_than_built() -> None:
    assert rules.estate_area_due(1000) == Decimal("300.00")
    problems = rules.estate_problems(
        area_built=Decimal(100), area_handed_over=Decimal(120), handed_over_on=date(2026, 1, 1)
    )
    assert "不能大于已建成用房面积" in problems["area_handed_over"]
    assert "handed_over_on" in rules.estate_problems(
        area_built=Decimal(100), area_handed_over=Decimal(50), handed_over_on=None
    )
    assert rules.estate_shortfall(Decimal(300), Decimal(120)) == Decimal(180)
    assert rules.estate_shortfall(Decimal(300), Decimal(300)) == 0


def test_clause_7_the_facility_gap_is_closed_by_done_and_underway_projects() -> None:
    g = rules.gap_closing(required=300, built=200, done=40, underway=30)
    assert (g.gap, g.remaining) == (100, 30) and "尚差 30" in g.message
    assert rules.gap_closing(required=300, built=320, done=0, underway=0).gap == 0
    assert rules.gap_closing(required=300, built=200, done=60, underway=60).remaining == 0


def test_clause_8_residents_share_and_its_trend() -> None:
    assert rules.activity_share(Decimal(60), Decimal(140)) == 0.7
    assert rules.activity_share(Decimal(0), Decimal(0)) == 0.0
    assert rules.share_trend([0.5, 0.4]) is not None
    assert rules.share_trend([0.4, 0.5]) is None and rules.share_trend([0.4]) is None
    assert rules.presence_problems(date(2026, 2, 1), date(2026, 1, 1)) == {"until": "结束日期不能早于起始日期。"}
