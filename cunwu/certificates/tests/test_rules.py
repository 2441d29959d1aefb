"""The certificate rules read like the policy: each outcome names its clause."""

from __future__ import annotations

import datetime as dt

import pytest

from cunwu.masking import mask_id_number, mask_name

from .. import rules
from ..rules import Alternative, DecisionInput, decide_application
from .helpers import id_number, wrong_check_digit

POLICE = Alternative("dept_check", "部门核查", "公安机关户籍管理部门", "由户籍地公安机关依户籍档案核查或出具")
COMMITMENT = Alternative("commitment", "告知承诺", "卫生健康部门", "由申请人作出书面承诺")


def retained(**kw: object) -> DecisionInput:
    base: dict[str, object] = {
        "action": "issue",
        "outcome": "retained",
        "item_name": "居（租）住证明",
        "required_materials": ("身份证明", "租赁合同或房屋权属材料"),
        "materials_checked": ("身份证明", "租赁合同或房屋权属材料"),
        "verified_facts": "实际居住在本村第三组",
    }
    base.update(kw)
    return DecisionInput(**base)  # type: ignore[arg-type]


def unlisted(**kw: object) -> DecisionInput:
    base: dict[str, object] = {
        "action": "issue",
        "outcome": "unlisted",
        "verification_method": "入户走访",
        "verified_facts": "该户种植核桃30株",
    }
    base.update(kw)
    return DecisionInput(**base)  # type: ignore[arg-type]


# --- forbidden items （十二）（十三） ----------------------------------------------------------


def test_forbidden_item_is_refused_with_the_alternative_and_clause() -> None:
    d = decide_application(DecisionInput("refuse", "forbidden", "亲属关系证明", alternative=POLICE))
    assert d.ok and d.action == "refuse"
    assert (d.rule, d.clause, d.ground) == ("forbidden_item", "（十二）", "forbidden_item")
    assert "公安机关户籍管理部门" in d.reason and "亲属关系证明" in d.reason


def test_forbidden_item_cannot_be_issued() -> None:
    d = decide_application(DecisionInput("issue", "forbidden", "亲属关系证明", alternative=POLICE))
    assert not d.ok
    assert d.problems[0].rule == "forbidden_item" and d.problems[0].clause == "（十二）"
    assert "公安机关" in d.problems[0].message


def test_agency_demanding_forbidden_certificate_goes_to_the_township() -> None:
    d = decide_application(DecisionInput("refuse", "forbidden", "亲属关系证明", alternative=POLICE, agency_named=True))
    assert d.coordinate
    assert any(f.rule == "township_coordination" and f.clause == "（十三）" for f in d.consequences)


def test_no_township_case_when_no_agency_demanded_it() -> None:
    d = decide_application(DecisionInput("refuse", "forbidden", "亲属关系证明", alternative=POLICE, agency_named=False))
    assert not d.coordinate


def test_commitment_alternative_gets_a_commitment_letter() -> None:
    d = decide_application(DecisionInput("refuse", "forbidden", "婚育状况证明", alternative=COMMITMENT))
    assert d.commitment_letter
    assert any(f.clause == "（十一）" for f in d.consequences)
    assert not decide_application(
        DecisionInput("refuse", "forbidden", "亲属关系证明", alternative=POLICE)
    ).commitment_letter


# --- retained items （十二） --------------------------------------------------------------------


def test_retained_item_with_materials_and_facts_is_proposed_for_issue() -> None:
    d = decide_application(retained())
    assert d.ok and d.action == "issue" and (d.rule, d.clause) == ("retained_item", "（十二）")


def test_retained_item_needs_every_material_checked() -> None:
    d = decide_application(retained(materials_checked=("身份证明",)))
    assert [p.rule for p in d.problems] == ["materials_missing"]
    assert "租赁合同或房屋权属材料" in d.problems[0].message and d.problems[0].field == "materials_checked"


def test_retained_item_needs_the_verified_facts() -> None:
    d = decide_application(retained(verified_facts="  "))
    assert [p.rule for p in d.problems] == ["facts_missing"]


def test_retained_item_refused_only_when_facts_fail() -> None:
    assert (
        decide_application(retained(action="refuse", refusal_ground="no_legal_basis")).problems[0].rule
        == "refusal_ground_missing"
    )
    d = decide_application(retained(action="refuse", refusal_ground="not_true", note="经入户核实，申请人未在本村居住"))
    assert d.ok and d.rule == "refuse_not_true" and d.clause == "（十二）"


# --- unlisted items （十二）（十三） ------------------------------------------------------------


def test_unlisted_item_issued_only_with_how_it_was_verified() -> None:
    assert decide_application(unlisted()).ok
    d = decide_application(unlisted(verification_method=""))
    assert d.problems[0].rule == "unlisted_unverified" and d.problems[0].clause == "（十三）"
    assert d.problems[0].field == "verification_method"
    assert decide_application(unlisted()).clause == "（十三）"


@pytest.mark.parametrize("ground", rules.UNLISTED_GROUNDS)
def test_every_refusal_ground_of_clause_twelve_is_selectable(ground: str) -> None:
    d = decide_application(unlisted(action="refuse", refusal_ground=ground, note="可通过不动产登记信息查询"))
    assert d.ok and d.action == "refuse" and d.ground == ground
    assert d.clause == "（十二）" and d.rule == f"refuse_{ground}"


def test_grounds_that_point_elsewhere_need_an_explanation() -> None:
    d = decide_application(unlisted(action="refuse", refusal_ground="provable_otherwise", note=""))
    assert d.problems[0].rule == "refusal_note_missing" and d.problems[0].field == "note"
    assert decide_application(unlisted(action="refuse", refusal_ground="no_legal_basis", note="")).ok


def test_refusal_without_a_ground_is_not_accepted() -> None:
    d = decide_application(unlisted(action="refuse"))
    assert d.problems[0].field == "refusal_ground"


def test_forbidden_ground_is_not_selectable_for_unlisted_items() -> None:
    assert not decide_application(unlisted(action="refuse", refusal_ground="forbidden_item")).ok


# --- major matters and legal risk （十三） ------------------------------------------------------


def test_major_matter_needs_investigation_and_meeting_resolution() -> None:
    d = decide_application(unlisted(major_matter=True))
    assert {p.rule for p in d.problems} == {"major_needs_investigation", "major_needs_resolution"}
    assert all(p.clause == "（十三）" for p in d.problems)
    ok = unlisted(
        major_matter=True, investigation_record="入户调查3次", meeting_resolution="2027年3月1日村民代表会议同意"
    )
    assert decide_application(ok).ok


def test_legal_risk_needs_a_lawyers_review_even_for_retained_items() -> None:
    d = decide_application(retained(legal_risk=True))
    assert [p.rule for p in d.problems] == ["legal_risk_needs_review"]
    assert decide_application(retained(legal_risk=True, lawyer_review="某律师事务所评估：风险可控")).ok


def test_risk_hints_point_at_clause_thirteen() -> None:
    hints = rules.risk_hints("证明这块宅基地是我家的，办贷款用")
    assert {h.rule for h in hints} == {"major_matter_hint", "legal_risk_hint"}
    assert rules.risk_hints("居住证明") == []


def test_unknown_action() -> None:
    assert decide_application(retained(action="stamp")).problems[0].rule == "unknown_action"


# --- principal's signature （十四） and transitions ------------------------------------------


def test_only_the_principal_signs() -> None:
    finding = rules.check_signer(is_principal=False)
    assert finding is not None and finding.clause == "（十四）"
    assert rules.check_signer(is_principal=True) is None


def test_transitions() -> None:
    assert rules.check_transition("received", "pending_sign_off")
    assert rules.check_transition("pending_sign_off", "issued")
    assert rules.check_transition("pending_sign_off", "received")
    assert not rules.check_transition("issued", "issued")
    assert not rules.check_transition("refused", "pending_sign_off")


# --- intake （十二） ------------------------------------------------------------------------


def intake(**kw: object) -> rules.IntakeInput:
    base: dict[str, object] = {
        "applicant_name": "张三丰",
        "applicant_id_number": id_number(),
        "applicant_phone": "13800000000",
        "request_text": "居住证明",
        "purpose": "办理居住证",
    }
    base.update(kw)
    return rules.IntakeInput(**base)  # type: ignore[arg-type]


def test_a_complete_intake_has_no_findings() -> None:
    assert rules.check_intake(intake()) == []


def test_wrong_check_digit_is_reported_at_the_field() -> None:
    found = rules.check_intake(intake(applicant_id_number=wrong_check_digit(id_number())))
    assert [(f.field, "校验位" in f.message) for f in found] == [("applicant_id_number", True)]


def test_purpose_and_text_are_required() -> None:
    fields = {f.field for f in rules.check_intake(intake(purpose="", request_text=" "))}
    assert fields == {"purpose", "request_text"}


def test_proxy_needs_agent_identity_and_authorisation_letter() -> None:
    found = rules.check_intake(intake(by_proxy=True))
    assert {f.field for f in found} == {"agent_name", "agent_id_number", "authorisation"}
    ok = intake(by_proxy=True, agent_name="李四", agent_id_number=id_number(seq="456"), has_authorisation=True)
    assert rules.check_intake(ok) == []
    same = intake(by_proxy=True, agent_name="李四", agent_id_number=id_number(), has_authorisation=True)
    assert [f.field for f in rules.check_intake(same)] == ["agent_id_number"]


def test_online_applications_need_a_phone() -> None:
    assert [f.field for f in rules.check_intake(intake(applicant_phone="", phone_required=True))] == ["applicant_phone"]
    assert [f.field for f in rules.check_intake(intake(applicant_phone="abc"))] == ["applicant_phone"]


def test_names_with_digits_are_refused() -> None:
    assert rules.name_problem("张3") is not None
    assert rules.name_problem("阿依古丽·买买提") is None


# --- templates （十二） ----------------------------------------------------------------------


def test_default_templates_are_valid() -> None:
    assert rules.template_problems("居住证明", rules.RETAINED_DEFAULT_BODY) == []
    assert rules.template_problems("证明", rules.UNLISTED_DEFAULT_BODY) == []


def test_template_placeholders_are_checked() -> None:
    assert [f.rule for f in rules.template_problems("证明", "兹证明{姓名}{住址}")] == ["template_placeholder"]
    assert [f.rule for f in rules.template_problems("证明", "兹证明{姓名")] == ["template_braces"]
    assert [f.rule for f in rules.template_problems("证明", "兹证明某人")] == ["template_subject"]
    assert "template_placeholder" in [f.rule for f in rules.template_problems("证明", "兹证明{姓名:10}")]
    assert [f.field for f in rules.template_problems("", "{姓名}")] == ["title"]


def test_fill_template_makes_paragraphs() -> None:
    paras = rules.fill_template("兹证明{姓名}。\n\n{核实情况}\n特此证明。", {"姓名": "张三", "核实情况": "属实"})
    assert paras == ["兹证明张三。", "属实", "特此证明。"]
    # Braces in the person's own data are never interpreted.
    assert rules.fill_template("{姓名}", {"姓名": "{核实情况}"}) == ["{核实情况}"]


# --- numbers, lines, status ----------------------------------------------------------------


def test_numbers() -> None:
    assert rules.serial_text("530124103200", 2027, 7) == "530124103200-2027-000007"
    assert rules.receipt_text(2027, 12) == "SL2027-000012"
    assert rules.refusal_text(2027, 3) == "GZ2027-000003"


def test_lines() -> None:
    assert rules.purpose_line("办理居住证。") == "本证明仅用于办理居住证，他用无效。"
    assert rules.validity_line(dt.date(2027, 6, 1)) == "本证明有效期至2027年6月1日。"
    assert rules.validity_line(None) is None
    assert rules.validity_problem(0) and rules.validity_problem(4000) and rules.validity_problem(None) is None


def test_verify_status() -> None:
    now = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    assert rules.verify_status(revoked=False, valid_until=None, now=now) == "valid"
    assert rules.verify_status(revoked=False, valid_until=now - dt.timedelta(seconds=1), now=now) == "expired"
    assert rules.verify_status(revoked=True, valid_until=now - dt.timedelta(days=1), now=now) == "revoked"


def test_printed_content_is_what_the_digest_covers() -> None:
    c = rules.printed_content(
        title="居住证明",
        serial="530124103200-2027-000001",
        issuer_code="530124103200",
        issuer_name="大箐村民委员会",
        item_code="R05",
        item_name="居（租）住证明",
        paragraphs=["兹证明"],
        fields=[("证明事项", "居住")],
        purpose="办理居住证",
        valid_until=None,
        issued_on=dt.date(2027, 3, 1),
    )
    assert c["fields"] == [["证明事项", "居住"]] and c["validity_line"] is None and c["date_text"] == "2027年3月1日"


# --- masking (DESIGN.md §4) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张*丰"),
        ("欧阳娜娜", "欧**娜"),
        ("岩温", "岩*"),  # Dai names have no surname: still first character kept
        ("岩香温", "岩*温"),
        ("阿达·西木", "阿*·*木"),
        ("阿依古丽·买买提", "阿***·**提"),
        ("玉", "玉"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_id_number_keeps_first_and_last_four() -> None:
    value = id_number()
    assert mask_id_number(value) == value[:4] + "*" * 10 + value[-4:]
