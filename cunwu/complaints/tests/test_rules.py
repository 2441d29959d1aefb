"""The pure rules of complaints, read like the measures (（十六）)."""

from __future__ import annotations

from datetime import date

import pytest

from cunwu.complaints import rules
from cunwu.masking import personal_data_problems


def test_tracking_codes_are_jb_and_12_crockford_characters() -> None:
    codes = {rules.new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000  # 60 random bits: no collisions in a small sample
    for code in codes:
        assert rules.TRACKING_RE.fullmatch(code)
        assert not set(code[3:]) & set("ILOU")


def test_tracking_codes_use_the_whole_alphabet_in_every_position() -> None:
    """Not a serial or a timestamp: every position takes many values over a sample."""
    sample = [rules.new_tracking_code()[3:] for _ in range(3000)]
    for position in range(12):
        assert len({code[position] for code in sample}) >= 28


def test_typed_codes_are_read_the_crockford_way() -> None:
    assert rules.normalise_tracking_code(" jb-7k3m9q2xa4td ") == "JB-7K3M9Q2XA4TD"
    assert rules.normalise_tracking_code("JB 7K3M 9Q2X A4TD") == "JB-7K3M9Q2XA4TD"
    assert rules.normalise_tracking_code("JB-OIL000000000") == "JB-011000000000"
    assert not rules.TRACKING_RE.fullmatch(rules.normalise_tracking_code("'; DROP TABLE"))


@pytest.mark.parametrize(
    ("region", "handler"),
    [
        ("530124103200", "530124000000"),  # village → its county
        ("530124103000", "530124000000"),  # township → its county
        ("530124000000", "530124000000"),  # county → itself
        ("530100000000", "530100000000"),  # prefecture → itself
        ("530000000000", "530000000000"),  # province → itself
    ],
)
def test_the_handler_is_chosen_from_the_region_alone(region: str, handler: str) -> None:
    assert rules.handler_code(region) == handler


def test_transfer_goes_up_one_level_and_stops_at_the_province() -> None:
    assert rules.transfer_target("530124000000") == "530100000000"
    assert rules.transfer_target("530100000000") == "530000000000"
    assert rules.transfer_target("530000000000") is None


def test_due_is_15_working_days_skipping_the_national_day_holiday() -> None:
    # Received on 2026-09-30 (Wednesday): 1–7 October are holidays, Saturday 10 October is a make-up
    # working day: 8, 9, 10, 12–16, 19–23, 26, 27 October are the 15 working days.
    assert rules.due_date(date(2026, 9, 30)) == date(2026, 10, 27)
    assert rules.due_date(date(2026, 3, 2)) == date(2026, 3, 23)


def test_an_extension_adds_another_15_working_days() -> None:
    assert rules.extended_due(date(2026, 3, 23)) == date(2026, 4, 14)


def test_overdue_only_while_open() -> None:
    today = date(2026, 4, 1)
    assert rules.is_overdue("accepted", date(2026, 3, 31), today)
    assert not rules.is_overdue("concluded", date(2026, 3, 31), today)
    assert not rules.is_overdue("received", date(2026, 4, 1), today)


def test_transitions_conclude_from_received_or_accepted_only() -> None:
    assert rules.can_move("received", "accepted")
    assert rules.can_move("received", "declined")
    assert rules.can_move("received", "concluded")
    assert rules.can_move("accepted", "concluded")
    assert not rules.can_move("accepted", "declined")
    assert not rules.can_move("concluded", "concluded")
    assert not rules.can_move("declined", "accepted")
    assert rules.sources_from("concluded") == ["accepted", "received"]


def test_text_limits() -> None:
    assert rules.text_problem("") == "请填写反映内容。"
    assert rules.text_problem("   ") == "请填写反映内容。"
    assert "最多 2000 字" in (rules.text_problem("字" * 20000) or "")
    assert rules.text_problem("<script>alert(1)</script>") is None  # stored as typed, escaped on output


def test_phone_and_name() -> None:
    assert rules.phone_problem("13812345678") is None
    assert rules.phone_problem("0871-12345678") is None
    assert rules.phone_problem("12345") is not None
    assert rules.name_problem("") is not None


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("县农业农村局要求村里开具证明，经查属实，已责令整改。", False),
        ("张某书记在会上要求各村签订责任书。", False),
        ("张三书记在会上要求各村签订责任书。", True),
        ("反映人：李四，要求开具无犯罪记录证明。", True),
        ("当事人电话 13812345678。", True),
        ("身份证 530124199001011234。", True),
        ("刘家村村长协助办理。", False),
    ],
)
def test_typical_cases_refuse_personal_data(text: str, bad: bool) -> None:
    check = rules.check_typical_case(
        title="某局向村里摊派工作",
        summary=text,
        department="富民县某局",
        clause="（二）",
        action_taken="已整改",
        names=[],
    )
    assert check.ok is not bad


def test_a_typical_case_never_names_the_reporter() -> None:
    assert personal_data_problems("经核实王小明反映属实。", names=["王小明"])
    check = rules.check_typical_case(
        title="", summary="王小明反映", department="", clause="（九十）", action_taken="x", names=["王小明"]
    )
    assert len(check.problems) == 4  # no title, a name, no department, no such clause


def test_sentences_as_written() -> None:
    text = "第一条 各村要签订责任书。\n第二条 请各村报送照片！是否需要？\r\n\n第三条 由乡镇负责；村里协助"
    assert rules.split_sentences(text) == [
        "第一条 各村要签订责任书。",
        "第二条 请各村报送照片！",
        "是否需要？",
        "第三条 由乡镇负责；",
        "村里协助",
    ]


def test_pdf_lines_are_joined_back_into_sentences() -> None:
    assert rules.join_wrapped_lines("各村要签订\n责任书。\n\n第二条") == "各村要签订责任书。\n第二条"


def test_first_clause_of_a_category() -> None:
    assert rules.first_clause(rules.CATEGORIES["forbidden_certificate"][1]) == "（十二）"
    assert rules.first_clause(rules.CATEGORIES["pushed_work"][1]) == "（一）"
