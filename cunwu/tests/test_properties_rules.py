"""The pure rules, the matcher and the token verifier answer any input without crashing (hypothesis)."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cunwu.admission import rules as admission
from cunwu.admission import screening as reading
from cunwu.certificates import rules as certificates
from cunwu.certificates.keys import token_check
from cunwu.certificates.selectors import certificate_verify
from cunwu.matching import Entry, Matcher, normalize
from cunwu.seals import rules as seals
from cunwu.seals.choices import Category
from cunwu.signs import rules as signs

FAST = settings(max_examples=60, deadline=None, database=None)
WITH_FIXTURES = settings(FAST, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Chinese text with the characters attackers and typists bring: full-width digits, zero-width, bidi, NUL.
text = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF),
        st.sampled_from("０１２３４５６７８９，。、；：“”（）《》\u200b\u202e\x00 \n\t村委会安全生产责任书不得"),
        st.characters(),
    ),
    max_size=200,
)


@FAST
@given(title=text, content=text, basis=text, body=text, evidence=text)
def test_admission_screening_answers_any_text(title: str, content: str, basis: str, body: str, evidence: str) -> None:
    inp = admission.ScreenInput(title=title, content=content, basis=basis, responsible_body=body, evidence=evidence)
    screening = reading.screen(inp)
    assert screening.outcome
    assert all(v.rule in admission.RULES for v in screening.violations)


@FAST
@given(name=text, id_number=text, phone=text, request=text, purpose=text, agency=text)
def test_certificate_intake_answers_any_text(
    name: str, id_number: str, phone: str, request: str, purpose: str, agency: str
) -> None:
    inp = certificates.IntakeInput(
        applicant_name=name,
        applicant_id_number=id_number,
        applicant_phone=phone,
        request_text=request,
        purpose=purpose,
        requesting_agency=agency,
    )
    for finding in certificates.check_intake(inp):
        assert finding.message
    certificates.risk_hints(request)
    assert certificates.name_problem(name) is None or certificates.name_problem(name)
    assert certificates.phone_problem(phone) is None or certificates.phone_problem(phone)


@FAST
@given(
    matter=text, remarks=text, category=st.sampled_from(list(Category.values)), impressions=st.none() | st.integers()
)
def test_a_seal_request_is_checked_for_any_text(
    matter: str, remarks: str, category: str, impressions: int | None
) -> None:
    for finding in seals.check_request(matter=matter, remarks=remarks, category=category, impressions=impressions):
        assert finding.message


@FAST
@given(
    households=st.integers(min_value=1, max_value=10**6),
    area=st.decimals(min_value=0, max_value=10**6, allow_nan=False, places=2),
    raw_households=st.one_of(st.integers(), st.text(max_size=6), st.none(), st.booleans()),
    raw_area=st.one_of(st.decimals(allow_nan=True), st.text(max_size=6), st.none()),
)
def test_facility_area_rules_answer_any_numbers(
    households: int, area: Decimal, raw_households: Any, raw_area: Any
) -> None:
    check = signs.check_facility_area(households, area)
    assert check is not None
    problems = signs.area_problems(raw_households, raw_area)
    assert all(isinstance(m, str) and m for m in problems.values())


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    from cunwu.matching.tests.examples import load_catalog

    return Matcher(load_catalog("cert_retained", "cert_forbidden"))


@WITH_FIXTURES
@given(text=text, limit=st.integers(min_value=1, max_value=10))
def test_the_matcher_ranks_any_text_within_its_bounds(matcher: Matcher, text: str, limit: int) -> None:
    found = matcher.match(text, strip_names=("富民县", "罗免镇"), limit=limit)
    assert len(found) <= limit
    assert all(0.0 <= c.score <= 1.0 for c in found)
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    normalize(text)


@FAST
@given(st.lists(st.tuples(text, text), max_size=5), text)
def test_a_matcher_over_any_catalog_answers_any_text(items: list[tuple[str, str]], query: str) -> None:
    entries = [
        Entry(code=f"X{i}", name=name or "空", aliases=(alias,) if alias else ())
        for i, (name, alias) in enumerate(items)
    ]
    Matcher(entries).match(query)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


json_objects = st.dictionaries(
    st.text(max_size=6), st.one_of(st.text(max_size=8), st.integers(), st.none()), max_size=4
)
headers = st.one_of(json_objects, st.fixed_dictionaries({"alg": st.just("EdDSA"), "kid": st.text(max_size=70)}))
tokens = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda h, p, s: f"{_b64(json.dumps(h).encode())}.{_b64(json.dumps(p).encode())}.{_b64(s)}",
        headers,
        json_objects,
        st.binary(max_size=80),
    ),
    st.builds(lambda a, b, c: f"{a}.{b}.{c}", st.text(max_size=40), st.text(max_size=40), st.text(max_size=40)),
)
REASONS = {"malformed", "unknown_key", "bad_signature"}


@pytest.mark.django_db
@WITH_FIXTURES
@given(token=tokens)
def test_the_token_verifier_gives_a_clean_answer_for_any_string(token: str) -> None:
    check = token_check(token)
    assert check.reason in REASONS  # nothing random carries our signature
    verdict = certificate_verify(token)
    assert verdict["valid"] is False and verdict["status"] and verdict["reason"]
