"""Masking never reveals more than its rule, for any Unicode input (hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from cunwu.invisible import visible_only
from cunwu.masking import _SEPARATORS, id_number_problem, mask_id_number, mask_name, mask_phone

FAST = settings(max_examples=300, deadline=None, database=None)


def _shown(value: str) -> str:
    """A name as masking reads it: what is visible, invisible and control characters dropped."""
    return visible_only(value.strip()).strip()


def _code(value: str) -> str:
    """An ID or phone number as masking reads it: NFKC (full-width digits as ASCII), visible only."""
    return visible_only(unicodedata.normalize("NFKC", value)).strip()


def _revealed(original: str, masked: str) -> list[int]:
    """Positions where the masked text still shows a character of the original (as masking reads it)."""
    return [i for i, (a, b) in enumerate(zip(original, masked, strict=False)) if a == b and a != "*"]


@FAST
@given(st.text())
def test_a_masked_name_keeps_its_length_and_shows_at_most_two_letters(name: str) -> None:
    masked = mask_name(name)
    stripped = _shown(name)
    assert len(masked) == len(stripped)
    letters = [i for i in _revealed(stripped, masked) if stripped[i] not in _SEPARATORS]
    # The first and the last letter of the whole name, never a middle letter.
    assert len(letters) <= 2, (name, masked)


@FAST
@given(st.text(min_size=2))
def test_a_two_letter_name_shows_one_letter(name: str) -> None:
    stripped = _shown(name)
    if len(stripped) == 2 and not any(c in _SEPARATORS for c in stripped):
        assert len(_revealed(stripped, mask_name(name))) <= 1


@FAST
@given(
    st.sampled_from("张王李赵阿"), st.sampled_from("\u200b\u200c\u200d\u2060\ufeff\u202e"), st.sampled_from("三四丰")
)
def test_invisible_characters_do_not_defeat_masking(first: str, invisible: str, last: str) -> None:
    masked = mask_name(first + invisible + last)
    shown = [c for c in masked if c != "*" and unicodedata.category(c) != "Cf"]
    assert len(shown) <= 1, masked


@FAST
@given(st.text())
def test_an_id_number_shows_at_most_its_first_four_and_last_four_characters(value: str) -> None:
    masked = mask_id_number(value)
    stripped = _code(value)
    assert len(masked) == len(stripped)
    shown = _revealed(stripped, masked)
    assert all(i < 4 or i >= len(stripped) - 4 for i in shown)
    if len(stripped) <= 8:
        assert not shown


@FAST
@given(st.text())
def test_a_phone_number_shows_at_most_three_and_four_and_always_hides_something(value: str) -> None:
    masked = mask_phone(value)
    stripped = _code(value)
    assert len(masked) == len(stripped)
    shown = _revealed(stripped, masked)
    assert all(i < 3 or i >= len(stripped) - 4 for i in shown)
    if stripped:
        assert "*" in masked, (value, masked)  # a 7-character value must not come back whole


@FAST
@given(st.text())
def test_the_id_number_check_answers_none_or_a_chinese_reason_for_any_text(value: str) -> None:
    problem = id_number_problem(value)
    assert problem is None or "身份证" in problem
