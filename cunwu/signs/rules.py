"""Pure rules for mechanisms, signs and facilities （六）（七）（八）（九）（十）. No ORM, no request.

Every finding carries a stable id (`problem` or `rule`), the clause it enforces and a Chinese
message a village clerk understands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cunwu.matching import Entry, Matcher
from cunwu.matching.normalize import clean_segments, is_han, strip_place_names

# --- signs （九）（十） -------------------------------------------------------------------------

PLACEMENTS = ("exterior_mark", "gate", "interior")
PLACEMENT_LABELS = {"exterior_mark": "外部标识", "gate": "门口标牌", "interior": "内部标牌"}
# Where （十） puts each kind of plate, in the words of the clause.
PLACEMENT_WHERE = {
    "exterior_mark": "外部标识（悬挂于村级综合服务设施醒目位置）",
    "gate": "门口标牌（悬挂于大院门口或办公楼门厅外）",
    "interior": "内部标牌（悬挂于综合服务设施内部）",
}
PLACEMENT_PROBLEM = "悬挂位置应为 exterior_mark（外部标识）、gate（门口标牌）或 interior（内部标牌）。"

NOT_IN_CATALOG, WRONG_PLACEMENT, DUPLICATE, OVER_LIMIT = "not_in_catalog", "wrong_placement", "duplicate", "over_limit"
SIGN_CLAUSES = {NOT_IN_CATALOG: "（九）", WRONG_PLACEMENT: "（十）", DUPLICATE: "（九）", OVER_LIMIT: "（九）"}
PROBLEM_LABELS = {
    NOT_IN_CATALOG: "不在目录内",
    WRONG_PLACEMENT: "悬挂位置不对",
    DUPLICATE: "重复悬挂",
    OVER_LIMIT: "超出数量",
}

# A plate name must match a catalog name or alias at least this well to count as that plate.
# Calibrated on tests/data (labelled inventories): look-alikes such as 综治中心 score below 0.3.
SIGN_THRESHOLD = 0.5

# Awards and creation results go to the display board （十）, never onto a plate of their own.
AWARD_MARKERS = (
    "荣誉",
    "奖牌",
    "奖状",
    "表彰",
    "示范",
    "先进",
    "模范",
    "标兵",
    "优秀",
    "称号",
    "授予",
    "荣获",
    "星级",
    "达标",
    "文明村",
    "文明社区",
    "文明单位",
    "卫生村",
    "卫生社区",
    "五好",
    "十佳",
    "明星",
    "一等奖",
    "二等奖",
    "三等奖",
    "金奖",
    "创建单位",
    "试点村",
    "试点社区",
    "美丽村庄",
    "美丽乡村",
    "绿美村庄",
    "特色村",
    "团结进步",
    "平安村",
    "平安社区",
    "无毒村",
    "无邪教",
    "百强",
    "红旗党支部",
    "红旗村",
    "光荣榜",
)
_AWARD_RE = re.compile("|".join(map(re.escape, AWARD_MARKERS)))

# Plates that are often hung beside the catalog's and look like them, but are not in it （九）:
# when one of these explains a name better than the catalog does, the plate is not in the catalog.
LOOKALIKES = (
    "团支部",
    "共青团",
    "团委",
    "团总支",
    "妇联",
    "妇女联合会",
    "妇女之家",
    "儿童之家",
    "民兵连",
    "民兵营",
    "工会",
    "工会委员会",
    "关工委",
    "关心下一代工作委员会",
    "老年协会",
    "老年人协会",
    "老年学校",
    "残疾人协会",
    "计划生育协会",
    "红十字会",
    "综治中心",
    "综治工作站",
    "禁毒工作站",
    "扶贫工作站",
    "网格化服务管理中心",
)


@dataclass(frozen=True)
class CatalogSign:
    """The part of a catalog-3 item the check needs: where it hangs and how many a village may hang."""

    code: str
    name: str
    placement: str
    max_count: int


@dataclass(frozen=True)
class Plate:
    """A plate as entered: the name exactly as written, and where it hangs."""

    name: str
    placement: str


@dataclass(frozen=True)
class Standing:
    """An approved exception that still stands: a plate outside the catalog, for one village （九）."""

    id: int
    name: str
    placement: str
    reference: str


@dataclass(frozen=True)
class Identified:
    """What a plate is: a catalog item, an approved exception, an award, or nothing in the catalog."""

    kind: str  # catalog | exception | award | unknown
    code: str | None = None
    name: str = ""
    score: float = 0.0
    exception: Standing | None = None


@dataclass(frozen=True)
class SignFinding:
    index: int
    problem: str
    catalog_code: str | None
    clause: str
    message: str

    def as_api(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "problem": self.problem,
            "catalog_code": self.catalog_code,
            "clause": self.clause,
            "message": self.message,
        }


@dataclass(frozen=True)
class SignCheck:
    """The result of checking one village's plates: findings, and catalog kinds that are missing."""

    findings: tuple[SignFinding, ...]
    missing: tuple[str, ...]
    identified: tuple[Identified, ...] = ()

    @property
    def compliant(self) -> bool:
        # Missing plates are advice only: （十） says 一般.
        return not self.findings

    def for_index(self, index: int) -> list[SignFinding]:
        return [f for f in self.findings if f.index == index]

    def as_api(self) -> dict[str, Any]:
        return {
            "compliant": self.compliant,
            "findings": [f.as_api() for f in self.findings],
            "missing": list(self.missing),
        }


def catalog_signs(items: Sequence[Any]) -> tuple[CatalogSign, ...]:
    """CatalogSign rows from catalog items (anything with code, name and .get(field))."""
    out = []
    for item in items:
        try:
            max_count = max(1, int(item.get("max_count") or 1))
        except (TypeError, ValueError):
            max_count = 1
        out.append(CatalogSign(item.code, item.name, str(item.get("placement") or ""), max_count))
    return tuple(out)


def is_award(cleaned: str) -> bool:
    """Whether a (normalised) plate name is an award or creation result rather than a plate （十）."""
    return bool(_AWARD_RE.search(cleaned))


_lookalike_matcher: Matcher | None = None


def _lookalikes() -> Matcher:
    global _lookalike_matcher
    if _lookalike_matcher is None:
        _lookalike_matcher = Matcher(Entry(f"L{i:02d}", name) for i, name in enumerate(LOOKALIKES))
    return _lookalike_matcher


@dataclass(frozen=True)
class PlaceNames:
    """The official names a village's plates are read without （九）: regions.selectors.region_place_names, split.

    `above`: the province, prefecture, county and township (shared by a township's villages);
    `own`: the village's own name and its organisations' names; `village`: its own name alone.
    """

    above: tuple[str, ...] = ()
    own: tuple[str, ...] = ()
    village: str = ""

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.above, *self.own)))


class SignIdentifier:
    """Identifies plate names against one catalog in force, caching by the normalised text.

    Build one per catalog (counties without refinements share one in a province-wide scan): the
    same plate text in many villages is matched once.
    """

    def __init__(self, matcher: Matcher, catalog: Sequence[CatalogSign], *, threshold: float = SIGN_THRESHOLD) -> None:
        self.matcher = matcher
        self.catalog = tuple(catalog)
        self.by_code = {c.code: c for c in self.catalog}
        self.threshold = threshold
        self._cache: dict[str, tuple[str | None, str, float]] = {}

    def _best(self, key: str) -> tuple[str | None, str, float]:
        found = self._cache.get(key)
        if found is None:
            found = (None, "", 0.0)
            if key:
                ranked = self.matcher.match(key, limit=1)
                if ranked and ranked[0].score >= self.threshold and ranked[0].code in self.by_code:
                    best = ranked[0]
                    rival = _lookalikes().match(key, limit=1)
                    if not rival or rival[0].score <= best.score:
                        found = (best.code, best.name, best.score)
            self._cache[key] = found
        return found

    def identify(self, name: str, place: PlaceNames = PlaceNames(), exceptions: Sequence[Standing] = ()) -> Identified:
        """What the plate `name` is at the village whose names are `place`.

        When stripping the organisations' names leaves no Chinese to match, the plate names an
        organisation itself (大箐村务监督委员会 is the S06 plate): it is read again without them.
        """
        pieces = clean_segments(name, place.above)
        segments = strip_segments(pieces, place.own)
        cleaned = "".join(segments)
        for standing in exceptions:
            if _same_plate(standing.name, cleaned, place):
                return Identified("exception", None, standing.name, 1.0, standing)
        if is_award(cleaned):
            return Identified("award")
        code, matched, score = self._best("·".join(segments))
        if code is None and place.village and not any(map(is_han, cleaned)):
            code, matched, score = self._best("·".join(strip_segments(pieces, (place.village,))))
        if code is None:
            return Identified("unknown")
        return Identified("catalog", code, matched, score)


def strip_segments(pieces: Sequence[str], names: Sequence[str]) -> list[str]:
    """Cleaned segments without `names` (the village's own), dropping what becomes empty."""
    if not names:
        return list(pieces)
    return [s for s in (strip_place_names(p, names) for p in pieces) if s]


def _same_plate(approved: str, cleaned: str, place: PlaceNames) -> bool:
    """An approved exception covers a plate with the same name, however spaced or punctuated."""
    a = "".join(strip_segments(clean_segments(approved, place.above), place.own))
    if not a or not cleaned:
        return False
    if a == cleaned:
        return True
    found = Matcher([Entry("X", a)]).match(cleaned, limit=1)
    return bool(found) and found[0].score >= 0.85


def check_signs(plates: Sequence[Plate], identified: Sequence[Identified], catalog: Sequence[CatalogSign]) -> SignCheck:
    """Check a village's plates against catalog 3 （九）（十）.

    not_in_catalog: neither a catalog plate nor an approved exception; wrong_placement: not where
    （十） puts it; duplicate: a one-per-village kind again (on the later copies); over_limit: more
    plates of a kind than its catalog count. Missing kinds are advice, not findings.
    """
    by_code = {c.code: c for c in catalog}
    findings: list[SignFinding] = []
    seen: dict[str, list[int]] = {}
    for index, (plate, what) in enumerate(zip(plates, identified, strict=True)):
        name = plate.name.strip()
        if what.kind == "exception" and what.exception is not None:
            ex = what.exception
            if ex.placement and plate.placement != ex.placement:
                findings.append(
                    SignFinding(
                        index,
                        WRONG_PLACEMENT,
                        None,
                        SIGN_CLAUSES[WRONG_PLACEMENT],
                        f"“{name}”经省级批准（{ex.reference}）作为{PLACEMENT_LABELS.get(ex.placement, ex.placement)}悬挂，"
                        f"现登记为{PLACEMENT_LABELS.get(plate.placement, plate.placement)}（十）。",
                    )
                )
            continue
        item = by_code.get(what.code or "") if what.kind == "catalog" else None
        if item is None:
            if what.kind == "award":
                message = f"“{name}”属于表彰奖励或创建成果，不作为牌子悬挂，应在村务公开栏或相应功能室集中展陈（十）。"
            else:
                message = (
                    f"“{name}”不在村级组织保留挂牌指导目录内：无实质性业务的一律摘除撤销，"
                    "确需加挂的由相应党政群机构报省委和省政府批准（九）。"
                )
            findings.append(SignFinding(index, NOT_IN_CATALOG, None, SIGN_CLAUSES[NOT_IN_CATALOG], message))
            continue
        if plate.placement != item.placement:
            findings.append(
                SignFinding(
                    index,
                    WRONG_PLACEMENT,
                    item.code,
                    SIGN_CLAUSES[WRONG_PLACEMENT],
                    f"“{name}”是目录中的“{item.name}”，应作为{PLACEMENT_WHERE.get(item.placement, item.placement)}，"
                    f"现登记为{PLACEMENT_LABELS.get(plate.placement, plate.placement)}（十）。",
                )
            )
        earlier = seen.setdefault(item.code, [])
        earlier.append(index)
        if len(earlier) > item.max_count:
            if item.max_count == 1:
                findings.append(
                    SignFinding(
                        index,
                        DUPLICATE,
                        item.code,
                        SIGN_CLAUSES[DUPLICATE],
                        f"“{name}”与第 {earlier[0] + 1} 块同为“{item.name}”，每村只挂 1 块，应合并（九）。",
                    )
                )
            else:
                findings.append(
                    SignFinding(
                        index,
                        OVER_LIMIT,
                        item.code,
                        SIGN_CLAUSES[OVER_LIMIT],
                        f"“{item.name}”每村最多 {item.max_count} 块，这是第 {len(earlier)} 块，超出目录规定数量（九）。",
                    )
                )
    missing = tuple(c.code for c in catalog if c.code not in seen)
    return SignCheck(tuple(findings), missing, tuple(identified))


# --- mechanisms （六）（八） -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A finding about a mechanism or a facility: rule id, clause, message."""

    rule: str
    clause: str
    message: str
    severity: str = "bad"  # bad | warn

    def as_api(self) -> dict[str, str]:
        return {"rule": self.rule, "clause": self.clause, "message": self.message}


ALLOWED_BASES = ("central", "law", "province")


def check_mechanism(
    *, basis_kind: str, approval_reference: str, dedicated_posts: int, in_facility: bool
) -> list[Finding]:
    """A village mechanism stands on central requirement, law, or provincial approval （六）."""
    findings = []
    if basis_kind not in ALLOWED_BASES:
        findings.append(
            Finding(
                "unapproved_mechanism",
                "（六）",
                "没有党中央、国务院明确要求或法律法规明确规定，也未经省委和省政府同意，不得在村级新设工作机制（六）。",
            )
        )
    elif basis_kind == "province" and not approval_reference.strip():
        findings.append(
            Finding("unapproved_mechanism", "（六）", "登记为经省委和省政府同意，但没有批准文号，视为未经批准（六）。")
        )
    if dedicated_posts > 0:
        findings.append(
            Finding(
                "dedicated_post",
                "（六）",
                f"要求 {dedicated_posts} 个专人专岗：实行“大岗位制”，党政群机构不得要求专人专岗（六）。",
            )
        )
    if not in_facility:
        findings.append(
            Finding(
                "outside_facility", "（八）", "村级组织和工作机制原则上全部在综合服务设施中集中办公（八）。", "warn"
            )
        )
    return findings


# --- facilities （七）（八） -------------------------------------------------------------------

AREA_PER_100_HOUSEHOLDS = 30
MIN_AREA = 300
FUNCTIONAL_ZONES = {
    "party_area": "党员群众活动",
    "deliberation_area": "村民议事决策",
    "training_area": "教育培训",
    "public_service_area": "公共服务",
}


def required_area(households: int) -> float:
    """At least 30 m² per 100 households and at least 300 m² per village （七）; not rounded."""
    return float(max(MIN_AREA, AREA_PER_100_HOUSEHOLDS * households / 100))


def _num(value: float | Decimal) -> str:
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class AreaCheck:
    compliant: bool
    required_area: float
    message: str


def check_facility_area(households: int, building_area: float | Decimal) -> AreaCheck:
    """The building-area standard of （七） for a facility serving `households`."""
    required = required_area(households)
    area = float(building_area)
    basis = f"每百户不低于 {AREA_PER_100_HOUSEHOLDS} 平方米、每个村不低于 {MIN_AREA} 平方米"
    if area >= required:
        message = f"建筑面积 {_num(area)} 平方米，达到标准：服务 {households} 户，应不低于 {_num(required)} 平方米（{basis}，（七））。"
        return AreaCheck(True, required, message)
    message = (
        f"建筑面积 {_num(area)} 平方米，未达到标准：服务 {households} 户，应不低于 {_num(required)} 平方米，"
        f"还差 {_num(required - area)} 平方米（{basis}，（七））。"
    )
    return AreaCheck(False, required, message)


@dataclass(frozen=True)
class FacilityFacts:
    building_area: Decimal
    households: int
    zones: dict[str, Decimal] = field(default_factory=dict)
    open_plan: bool = True
    one_stop: bool = True


def residents_share(facts: FacilityFacts) -> float:
    """Share of the building given to residents' activities （八）, 0–1."""
    if not facts.building_area:
        return 0.0
    return float(facts.zones.get("residents_area", 0)) / float(facts.building_area)


def zones_problem(building_area: Decimal, zones: dict[str, Decimal]) -> str | None:
    """The zones cannot add up to more than the building."""
    total = sum(zones.values(), Decimal(0))
    if total > building_area:
        return f"各功能区面积合计 {_num(total)} 平方米，超过建筑面积 {_num(building_area)} 平方米，请核对。"
    return None


def check_facility(facts: FacilityFacts) -> list[Finding]:
    """Area standard （七）, functional zones （七）, open-plan one-stop use and room for residents （八）."""
    findings = []
    area = check_facility_area(facts.households, facts.building_area)
    if not area.compliant:
        findings.append(Finding("facility_area", "（七）", area.message))
    absent = [label for key, label in FUNCTIONAL_ZONES.items() if not facts.zones.get(key)]
    if absent:
        findings.append(
            Finding(
                "functional_zones",
                "（七）",
                f"未划分{'、'.join(absent)}功能区域，应合理划分综合服务设施功能区域（七）。",
                "warn",
            )
        )
    office = facts.zones.get("office_area", Decimal(0))
    residents = facts.zones.get("residents_area", Decimal(0))
    if office and office > residents:
        findings.append(
            Finding(
                "office_space",
                "（八）",
                f"办公用房 {_num(office)} 平方米多于居民活动区域 {_num(residents)} 平方米：应压缩办公用房，增加居民活动区域面积（八）。",
                "warn",
            )
        )
    if not facts.open_plan:
        findings.append(Finding("open_plan", "（八）", "应精简整合办公空间，推行开放式办公（八）。", "warn"))
    if not facts.one_stop:
        findings.append(
            Finding(
                "one_stop",
                "（八）",
                "村级组织承接的公共服务事项原则上全部在综合服务设施中提供，实行“一站式”服务（八）。",
                "warn",
            )
        )
    return findings


def _finite(value: int | float | Decimal) -> bool:
    # A signalling Decimal NaN raises on float(); Decimal answers for itself.
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def area_problems(households: Any, building_area: Any) -> dict[str, str]:
    """Field → Chinese message for bad facility numbers (zero households, negative area …)."""
    problems = {}
    if isinstance(households, bool) or not isinstance(households, int):
        problems["households"] = "服务户数应为整数。"
    elif households < 1:
        problems["households"] = "服务户数至少为 1 户。"
    if isinstance(building_area, bool) or not isinstance(building_area, int | float | Decimal):
        problems["building_area"] = "建筑面积应为数字（平方米）。"
    elif not _finite(building_area) or building_area <= 0:
        problems["building_area"] = "建筑面积应大于 0 平方米。"
    return problems


# --- approvals: sign exceptions （九） and new mechanisms （六） ---------------------------------

# (status, action) → new status. County review first, then the province decides; an approval
# can be withdrawn, after which the plate is outside the catalog again.
REQUEST_TRANSITIONS = {
    ("submitted", "forward"): "forwarded",
    ("submitted", "return"): "returned",
    ("forwarded", "approve"): "approved",
    ("forwarded", "reject"): "rejected",
    ("approved", "revoke"): "revoked",
}
REQUEST_ACTION_LABELS = {
    "forward": "审查通过，报省审批",
    "return": "退回",
    "approve": "批准",
    "reject": "不予批准",
    "revoke": "撤销批准",
}


def next_request_status(status: str, action: str) -> str | None:
    """The status after `action`, or None when the action is not allowed from `status`."""
    return REQUEST_TRANSITIONS.get((status, action))


# --- campaigns （九） ------------------------------------------------------------------------

TASK_FOR_PROBLEM = {NOT_IN_CATALOG: "remove", DUPLICATE: "merge", OVER_LIMIT: "merge", WRONG_PLACEMENT: "relocate"}


def task_action(problem: str) -> str:
    """What a campaign asks the village to do about a finding （九）: remove, merge, move."""
    return TASK_FOR_PROBLEM[problem]
