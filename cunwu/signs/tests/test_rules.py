"""Pure rules: sign identification and checks （九）（十）, mechanisms （六）, facilities （七）（八）, approvals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cunwu.catalogs.demo import example_rows
from cunwu.matching import Matcher
from cunwu.matching.tests.examples import load_catalog
from cunwu.regions.seeding import village_org_names
from cunwu.signs import rules
from cunwu.signs.rules import CatalogSign, Identified, Plate, Standing

from .inventories import CASES

CATALOG = tuple(CatalogSign(r["code"], r["name"], r["placement"], int(r["max_count"])) for r in example_rows("sign"))
PLACES = {
    "village": ("大箐", "罗免镇", "大箐村委会"),
    "community": ("中沟", "永定街道", "中沟社区居委会"),
}


def identifier() -> rules.SignIdentifier:
    return rules.SignIdentifier(Matcher(load_catalog("sign")), CATALOG)


def names_for(level: str) -> rules.PlaceNames:
    short, township, region = PLACES[level]
    orgs = tuple(name for _kind, name in village_org_names(short, level))
    return rules.PlaceNames(("云南省", "昆明市", "富民县", township), (region, *orgs), region)


def fill(text: str, level: str) -> str:
    short, township, _ = PLACES[level]
    return text.format(v=short, county="富民县", township=township)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_labelled_inventories(case):
    place = names_for(case.level)
    ident = identifier()
    plates = [Plate(fill(name, case.level), placement) for name, placement in case.plates]
    found = [ident.identify(p.name, place) for p in plates]
    result = rules.check_signs(plates, found, CATALOG)
    got = sorted((f.index, f.problem, f.catalog_code) for f in result.findings)
    assert got == sorted(case.findings), [(p.name, f.kind, f.code, f.score) for p, f in zip(plates, found, strict=True)]
    assert result.compliant is (not case.findings)
    if case.missing is not None:
        assert result.missing == case.missing


def test_party_plate_with_place_names_is_s04_and_a_comprehensive_governance_centre_is_not_in_the_catalog():
    place = names_for("village")
    ident = identifier()
    assert ident.identify("中国共产党富民县罗免镇大箐村支部委员会", place).code == "S04"
    assert ident.identify("大箐村综治中心", place).kind == "unknown"


def test_awards_are_recognised_after_place_names_are_removed():
    assert rules.is_award("全国民主法治示范村")
    assert rules.is_award("先进基层党组织")
    assert rules.is_award("四星级党支部")
    assert not rules.is_award("新时代文明实践站")
    assert not rules.is_award("社区新时代文明实践站")
    # 红旗 in a village's own name is stripped before the award check.
    found = identifier().identify(
        "红旗村民委员会", rules.PlaceNames((), ("红旗村委会", "红旗村民委员会"), "红旗村委会")
    )
    assert found.code == "S05"


def test_party_plate_matches_in_short_and_full_form():
    for name in ("中共大箐村支部委员会", "中国共产党大箐村支部委员会"):
        assert identifier().identify(name, names_for("village")).code == "S04"


def test_identifier_caches_the_same_text_across_villages():
    ident = identifier()
    a = ident.identify("上营村党群服务中心", rules.PlaceNames((), ("上营村委会",), "上营村委会"))
    b = ident.identify("下坝村党群服务中心", rules.PlaceNames((), ("下坝村委会",), "下坝村委会"))
    assert a == b and a.code == "S01"
    assert len(ident._cache) == 1


def test_approved_exception_covers_the_same_name_only():
    standing = Standing(7, "大箐村普洱茶产业协会", "interior", "云委办〔2027〕12号")
    place = names_for("village")
    ident = identifier()
    hit = ident.identify("大箐村 普洱茶产业协会", place, [standing])
    assert hit.kind == "exception" and hit.exception == standing
    miss = ident.identify("大箐村综治中心", place, [standing])
    assert miss.kind == "unknown"


def test_exception_is_compliant_but_keeps_its_approved_placement():
    standing = Standing(7, "普洱茶产业协会", "interior", "云委办〔2027〕12号")
    plates = [Plate("普洱茶产业协会", "interior"), Plate("普洱茶产业协会", "gate")]
    found = [Identified("exception", None, standing.name, 1.0, standing)] * 2
    result = rules.check_signs(plates, found, CATALOG)
    assert [(f.index, f.problem, f.catalog_code) for f in result.findings] == [(1, "wrong_placement", None)]
    assert "云委办〔2027〕12号" in result.findings[0].message


def test_duplicate_is_reported_on_later_copies_and_over_limit_past_a_larger_count():
    catalog = (CatalogSign("S05", "村民委员会", "gate", 1), CatalogSign("S10", "功能区域门牌", "interior", 2))
    plates = [
        Plate("村委会", "gate"),
        Plate("村民委员会", "gate"),
        Plate("村委会", "gate"),
        Plate("党员活动室", "interior"),
        Plate("农家书屋", "interior"),
        Plate("卫生室", "interior"),
    ]
    found = [Identified("catalog", "S05")] * 3 + [Identified("catalog", "S10")] * 3
    result = rules.check_signs(plates, found, catalog)
    assert [(f.index, f.problem, f.clause) for f in result.findings] == [
        (1, "duplicate", "（九）"),
        (2, "duplicate", "（九）"),
        (5, "over_limit", "（九）"),
    ]
    assert "最多 2 块" in result.findings[2].message
    assert result.missing == ()


def test_not_in_catalog_has_no_code_and_cites_nine_and_awards_say_display_board():
    plates = [Plate("综治中心", "gate"), Plate("省级文明村", "gate")]
    result = rules.check_signs(plates, [Identified("unknown"), Identified("award")], CATALOG)
    assert [(f.problem, f.catalog_code, f.clause) for f in result.findings] == [("not_in_catalog", None, "（九）")] * 2
    assert "省委和省政府批准" in result.findings[0].message
    assert "村务公开栏" in result.findings[1].message and "表彰" in result.findings[1].message
    assert not result.compliant
    assert result.as_api()["findings"][0] == {
        "index": 0,
        "problem": "not_in_catalog",
        "catalog_code": None,
        "clause": "（九）",
        "message": result.findings[0].message,
    }


def test_missing_kinds_are_advice_only():
    result = rules.check_signs([], [], CATALOG)
    assert result.compliant and result.findings == ()
    assert result.missing == tuple(c.code for c in CATALOG)


def test_catalog_signs_from_items_defaults_bad_counts_to_one():
    class Item:
        def __init__(self, code, count):
            self.code, self.name, self._count = code, code, count

        def get(self, key, default=None):
            return {"placement": "gate", "max_count": self._count}.get(key, default)

    assert [c.max_count for c in rules.catalog_signs([Item("A", 3), Item("B", None), Item("C", "x")])] == [3, 1, 1]


# --- facilities （七）（八） ---


@pytest.mark.parametrize(
    ("households", "expected"),
    [(1, 300.0), (680, 300.0), (1000, 300.0), (1001, 300.3), (1500, 450.0), (2345, 703.5)],
)
def test_required_area(households, expected):
    assert rules.required_area(households) == pytest.approx(expected)
    assert isinstance(rules.required_area(households), float)


def test_area_check_messages():
    ok = rules.check_facility_area(680, 320)
    assert ok.compliant and "达到标准" in ok.message and "（七）" in ok.message
    short = rules.check_facility_area(1500, 420)
    assert not short.compliant and short.required_area == 450.0 and "还差 30 平方米" in short.message
    edge = rules.check_facility_area(1000, 300)
    assert edge.compliant


def test_area_problems():
    assert rules.area_problems(0, 100) == {"households": "服务户数至少为 1 户。"}
    assert rules.area_problems(10, -5) == {"building_area": "建筑面积应大于 0 平方米。"}
    assert rules.area_problems(True, 0)["households"] == "服务户数应为整数。"
    assert rules.area_problems(10, float("inf")) == {"building_area": "建筑面积应大于 0 平方米。"}
    assert rules.area_problems(10, Decimal("320.5")) == {}


def test_facility_findings():
    facts = rules.FacilityFacts(
        building_area=Decimal(250),
        households=900,
        zones={
            "party_area": Decimal(40),
            "deliberation_area": Decimal(0),
            "training_area": Decimal(30),
            "public_service_area": Decimal(60),
            "residents_area": Decimal(20),
            "office_area": Decimal(60),
        },
        open_plan=False,
        one_stop=True,
    )
    found = {f.rule: f for f in rules.check_facility(facts)}
    assert set(found) == {"facility_area", "functional_zones", "office_space", "open_plan"}
    assert found["facility_area"].clause == "（七）" and found["office_space"].clause == "（八）"
    assert "村民议事决策" in found["functional_zones"].message
    assert rules.residents_share(facts) == pytest.approx(0.08)


def test_zones_cannot_exceed_building():
    assert rules.zones_problem(Decimal(300), {"a": Decimal(200), "b": Decimal(150)})
    assert rules.zones_problem(Decimal(300), {"a": Decimal(200), "b": Decimal(100)}) is None


# --- mechanisms （六） ---


def test_mechanism_without_basis_or_approval_is_flagged():
    assert [
        f.rule
        for f in rules.check_mechanism(basis_kind="none", approval_reference="", dedicated_posts=0, in_facility=True)
    ] == ["unapproved_mechanism"]
    assert [
        f.rule
        for f in rules.check_mechanism(
            basis_kind="province", approval_reference=" ", dedicated_posts=0, in_facility=True
        )
    ] == ["unapproved_mechanism"]
    assert (
        rules.check_mechanism(
            basis_kind="province", approval_reference="云委〔2027〕3号", dedicated_posts=0, in_facility=True
        )
        == []
    )
    assert rules.check_mechanism(basis_kind="law", approval_reference="", dedicated_posts=0, in_facility=True) == []


def test_dedicated_posts_and_outside_facility():
    found = rules.check_mechanism(basis_kind="central", approval_reference="", dedicated_posts=2, in_facility=False)
    assert [(f.rule, f.clause) for f in found] == [("dedicated_post", "（六）"), ("outside_facility", "（八）")]


# --- approvals and campaigns ---


def test_request_transitions():
    assert rules.next_request_status("submitted", "forward") == "forwarded"
    assert rules.next_request_status("submitted", "return") == "returned"
    assert rules.next_request_status("forwarded", "approve") == "approved"
    assert rules.next_request_status("forwarded", "reject") == "rejected"
    assert rules.next_request_status("approved", "revoke") == "revoked"
    assert rules.next_request_status("submitted", "approve") is None
    assert rules.next_request_status("revoked", "approve") is None


def test_task_actions():
    assert rules.task_action("not_in_catalog") == "remove"
    assert rules.task_action("duplicate") == "merge"
    assert rules.task_action("over_limit") == "merge"
    assert rules.task_action("wrong_placement") == "relocate"
