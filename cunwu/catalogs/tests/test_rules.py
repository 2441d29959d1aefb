"""Pure catalog rules: cleaning rows, revision headers, comparing versions, what a statement does."""

from __future__ import annotations

from datetime import date

from cunwu.catalogs import rules


def test_every_item_names_its_basis():
    _, problems = rules.clean_row("duty", {"code": "D99", "name": "某事项", "scope": "某范围"})
    assert [p.field for p in problems] == ["basis"]
    assert "设定依据" in problems[0].message and "（十一）" in problems[0].message


def test_withdrawal_needs_a_basis_but_not_a_name():
    values, problems = rules.clean_row("cert_retained", {"code": "R05", "op": "取消"})
    assert values["op"] == "withdraw"
    assert [p.field for p in problems] == ["basis"]
    assert "取消事项也须写明依据" in problems[0].message
    _, problems = rules.clean_row("cert_retained", {"code": "R05", "op": "取消", "basis": "某文件废止"})
    assert problems == []


def test_op_words_officials_write():
    for word, op in [
        ("", "set"),
        ("细化", "set"),
        ("修改", "set"),
        ("新增", "set"),
        ("取消", "withdraw"),
        ("废止", "withdraw"),
        ("withdraw", "withdraw"),
    ]:
        assert rules.parse_op(word) == op
    _, problems = rules.clean_row("duty", {"code": "D1", "op": "合并", "name": "x", "scope": "y", "basis": "z"})
    assert problems[0].field == "op" and "合并" in problems[0].message


def test_placement_accepts_the_key_or_its_chinese_label():
    base = {"code": "S99", "name": "某牌", "max_count": "1", "basis": "b"}
    values, problems = rules.clean_row("sign", {**base, "placement": "门口标牌"})
    assert problems == [] and values["placement"] == "gate"
    values, problems = rules.clean_row("sign", {**base, "placement": "interior"})
    assert problems == [] and values["placement"] == "interior"
    _, problems = rules.clean_row("sign", {**base, "placement": "屋顶"})
    assert problems[0].field == "placement"
    assert "屋顶" in problems[0].message and "外部标识" in problems[0].message


def test_max_count_must_be_a_positive_integer():
    base = {"code": "S99", "name": "某牌", "placement": "gate", "basis": "b"}
    assert rules.clean_row("sign", {**base, "max_count": "2.0"})[0]["max_count"] == 2
    for bad in ("0", "-1", "1.5", "两块"):
        _, problems = rules.clean_row("sign", {**base, "max_count": bad})
        assert [p.field for p in problems] == ["max_count"], bad


def test_lists_split_on_bars_and_enumeration_commas():
    values, _ = rules.clean_row(
        "cert_retained",
        {"code": "R1", "name": "n", "requesting_agency": "a", "basis": "b", "materials": "身份证明、户口簿|户口簿"},
    )
    assert values["materials"] == ["身份证明", "户口簿"]
    assert rules.split_list(["a", " ", "a", "b"]) == ["a", "b"]
    assert rules.split_list(None) == []


def test_codes_are_short_and_plain():
    _, problems = rules.clean_row("duty", {"code": "D 1", "name": "n", "scope": "s", "basis": "b"})
    assert problems[0].field == "code"
    _, problems = rules.clean_row("duty", {"code": "KM-D01.2", "name": "n", "scope": "s", "basis": "b"})
    assert problems == []


def test_overlong_name_is_refused():
    _, problems = rules.clean_row("duty", {"code": "D1", "name": "长" * 201, "scope": "s", "basis": "b"})
    assert problems[0].field == "name"


def test_forbidden_item_needs_its_alternative():
    _, problems = rules.clean_row("cert_forbidden", {"code": "F99", "name": "n", "basis": "b"})
    assert {p.field for p in problems} == {"alternative_kind", "alternative_agency", "alternative_text"}
    values, problems = rules.clean_row(
        "cert_forbidden",
        {
            "code": "F99",
            "name": "n",
            "basis": "b",
            "alternative_kind": "网络核验",
            "alternative_agency": "社保",
            "alternative_text": "网上认证",
        },
    )
    assert problems == [] and values["alternative_kind"] == "online_check"


def test_a_revision_records_why_and_when():
    problems = rules.check_revision_header(change="增", document=" ", effective=None)
    assert {p.field for p in problems} == {"change", "document", "effective"}
    assert rules.check_revision_header(change="立", document="云民发〔2027〕3号", effective=date(2027, 3, 1)) == []
    assert rules.check_revision_header(change="立", document="x", effective=date(1999, 1, 1))[0].field == "effective"
    assert (
        rules.check_revision_header(change="立", document="号" * 129, effective=date(2027, 1, 1))[0].field == "document"
    )


def test_content_ignores_representation_but_not_wording():
    a = {"name": "n", "aliases": ("x",), "basis": "b", "requesting_agency": "a", "materials": ["m"]}
    b = {"name": "n", "aliases": ["x"], "basis": "b", "requesting_agency": "a", "materials": ("m",), "category": ""}
    assert rules.content_of("cert_retained", a) == rules.content_of("cert_retained", b)
    assert rules.changed_fields("cert_retained", a, {**b, "basis": "b2", "materials": ["m", "n"]}) == [
        "basis",
        "materials",
    ]


def test_compare_two_versions():
    old = {"A": {"name": "甲", "basis": "b"}, "B": {"name": "乙", "basis": "b"}, "C": {"name": "丙", "basis": "b"}}
    new = {
        "A": {"name": "甲", "basis": "b"},
        "B": {"name": "乙（新）", "basis": "b"},
        "D": {"name": "丁", "basis": "b"},
    }
    diff = rules.compare_catalogs("duty", old, new)
    assert diff.added == ["D"] and diff.withdrawn == ["C"] and diff.changed == [("B", ["name"])]
    assert not diff.empty
    assert rules.compare_catalogs("duty", old, old).empty


def test_what_a_statement_does_at_its_level():
    effect = rules.statement_effect
    assert effect(op="set", same_content=False, current_defined_by=None, level_code="C") == rules.ADD
    assert effect(op="set", same_content=False, current_defined_by="P", level_code="C") == rules.REFINE
    assert effect(op="set", same_content=False, current_defined_by="C", level_code="C") == rules.AMEND
    assert effect(op="set", same_content=True, current_defined_by="P", level_code="C") == rules.SAME
    assert effect(op="withdraw", same_content=False, current_defined_by="P", level_code="C") == rules.WITHDRAW
    assert effect(op="withdraw", same_content=False, current_defined_by=None, level_code="C") == rules.MISSING
    assert rules.EFFECT_LABELS[rules.REFINE].startswith("细化")


def test_statements_checked_together():
    in_force = {"R05": {"name": "居住证明", "basis": "b", "requesting_agency": "a"}}
    rows = [
        {"code": "R05", "name": "居住证明", "basis": "b", "requesting_agency": "a"},  # same wording → unchanged
        {"code": "R06", "name": "新证明", "basis": "b", "requesting_agency": "a"},
        {"code": "R06", "name": "重复", "basis": "b", "requesting_agency": "a"},
        {"code": "R77", "op": "取消", "basis": "b"},
    ]
    cleaned, problems, unchanged = rules.check_statements("cert_retained", rows, in_force)
    assert len(cleaned) == 4
    assert unchanged == [0]
    assert [(i, p.field) for i, p in problems] == [(2, "code"), (3, "code")]
    assert "第2条" in problems[0][1].message
    assert "不存在" in problems[1][1].message
