"""Reading a department's request for the admission rules (准入筛查).

`screen()` reads a request the way a county reviewer would: sentence by sentence, who is asked to
do what, and in which role (负责 vs 协助/配合/宣传), with negations (不得/不再/无需). Facts the
text cannot establish — which approvals are on the registers, whether a form is in the county's
annual plan — come in with the input (`ScreenInput`), supplied by the services. Each finding
names its rule id and clause (DESIGN.md §4, `rules.RULES`). No ORM here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from cunwu.matching.normalize import to_simplified

from .rules import (
    RULE_IDS,
    TYPE_RULE,
    TYPES,
    Exemption,
    Match,
    Screening,
    ScreenInput,
    Violation,
    decide_outcome,
    exemptions_for,
    violation,
)

# --- text preparation ------------------------------------------------------------------------


def prepare(text: str) -> str:
    """NFKC (full-width → half-width punctuation), traditional → simplified, no spaces."""
    text = to_simplified(unicodedata.normalize("NFKC", text or ""))
    text = text.replace("“", "").replace("”", "").replace("‘", "").replace("’", "")
    text = text.replace('"', "").replace("《", "").replace("》", "").replace("<", "").replace(">", "")
    return re.sub(r"[ \t\u3000]+", "", text)


_SENTENCE_SPLIT = re.compile(r"[。;!?\n\r]+")
_SUBCLAUSE_SPLIT = re.compile(r"[,:，：]")


# Real sentences are far shorter; longer runs are cut so that screening stays linear in the text.
MAX_SENTENCE = 300


def sentences(text: str) -> list[str]:
    out: list[str] = []
    for s in _SENTENCE_SPLIT.split(text):
        if not s.strip():
            continue
        while len(s) > MAX_SENTENCE:
            cut = max(s.rfind(",", 0, MAX_SENTENCE), s.rfind("，", 0, MAX_SENTENCE))
            cut = cut + 1 if cut > MAX_SENTENCE // 3 else MAX_SENTENCE
            out.append(s[:cut])
            s = s[cut:]
        if s.strip():
            out.append(s)
    return out


@dataclass
class Sentence:
    """A sentence with the spans of its sub-clauses (split at commas and colons)."""

    text: str
    bounds: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        start = 0
        for m in _SUBCLAUSE_SPLIT.finditer(self.text):
            self.bounds.append((start, m.start()))
            start = m.end()
        self.bounds.append((start, len(self.text)))

    def clause_of(self, pos: int) -> tuple[int, int]:
        for lo, hi in self.bounds:
            if lo <= pos <= hi:
                return lo, hi
        return 0, len(self.text)


# A sentence rarely holds more than a handful of triggers; looking at more only costs time.
MAX_TRIGGERS = 24


def _capped(matches: Iterable[re.Match[str]], limit: int = MAX_TRIGGERS) -> Iterator[re.Match[str]]:
    for i, m in enumerate(matches):
        if i >= limit:
            return
        yield m


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


# --- who: entities -----------------------------------------------------------------------------

VILLAGE, OTHER, HOUSEHOLD = "village", "other", "household"

_VILLAGE_WORDS = [
    "村委会",
    "村民委员会",
    "村级组织",
    "村级",
    "村党组织",
    "村党支部",
    "村党总支",
    "村(社区)",
    "村社区",
    "各村",
    "村组",
    "村民小组",
    "村小组",
    "村干部",
    "村两委",
    "村支书",
    "村主任",
    "村书记",
    "村党组织书记",
    "社区居委会",
    "社区居民委员会",
    "社区",
    "居委会",
    "本村",
    "全村",
    "行政村",
    "村务监督委员会",
    "村监委会",
    "村集体经济组织",
    "村集体",
    "网格员",
    "各自然村",
    "自然村",
    "村民小组长",
    "村(居)",
    "村居",
    "各村委会",
    "村里",
    "村上",
    "咱村",
    "我们村",
    "支书",
    "所在村",
    "该村",
    "哪个村",
    "各行政村",
]
_OTHER_WORDS = [
    "局",
    "部门",
    "乡镇",
    "镇政府",
    "乡政府",
    "乡镇政府",
    "乡镇党委",
    "街道办",
    "街道办事处",
    "县政府",
    "县委",
    "政府",
    "人民政府",
    "企业",
    "公司",
    "生产经营单位",
    "经营单位",
    "单位",
    "执法部门",
    "执法机关",
    "执法队",
    "执法大队",
    "执法人员",
    "综合执法",
    "派出所",
    "学校",
    "医院",
    "业主",
    "施工方",
    "建设单位",
    "开发商",
    "投资方",
    "我局",
    "本局",
    "县级",
    "专班",
    "指挥部",
    "供电所",
    "卫生院",
    "站所",
    "县",
]
_HOUSEHOLD_WORDS = [
    "农户",
    "群众",
    "住户",
    "商户",
    "经营户",
    "户主",
    "家长",
    "学生",
    "种植户",
    "养殖户",
    "个体户",
    "个体工商户",
    "村民",
    "居民",
    "房主",
    "租户",
    "游客",
    "外来人员",
    "务工人员",
    "申请人",
    "参保人",
    "驾驶员",
    "护林员",
    "监护人",
]

_ENTITY_RE = re.compile(
    "|".join(
        f"(?P<{kind}{i}>{re.escape(w)})"
        for i, (kind, w) in enumerate(
            sorted(
                [(VILLAGE, w) for w in _VILLAGE_WORDS]
                + [(OTHER, w) for w in _OTHER_WORDS]
                + [(HOUSEHOLD, w) for w in _HOUSEHOLD_WORDS],
                key=lambda kw: (-len(kw[1]), kw[1]),
            )
        )
    )
)


def _entities(text: str) -> list[tuple[int, str, str]]:
    """(position, kind, word) for each entity mention, longest words first at each position."""
    out = []
    for m in _capped(_ENTITY_RE.finditer(text)):
        kind = next(k for k, v in m.groupdict().items() if v is not None).rstrip("0123456789")
        out.append((m.start(), kind, m.group()))
    return out


_OBJECT_MARK_RE = re.compile(r"(?:对|向|给|帮助|帮|督促|引导|动员|组织|指导|为|将|把)[^,，对向给将把]{0,4}$")


def subject_entity(text: str) -> str | None:
    """The kind of the last entity that can be a subject: 村委会对养殖户罚款 → the village,
    since 养殖户 follows 对 and is the object."""
    for pos, kind, _word in reversed(_entities(text)):
        if not _OBJECT_MARK_RE.search(text[max(0, pos - 8) : pos]):
            return kind
    return None


def last_entity(text: str) -> str | None:
    found = _entities(text)
    return found[-1][1] if found else None


_BY_RE = re.compile(r"由(.{1,14}?)(?:负责|承担|牵头|组织实施|实施|具体负责|统一)")


def _explicit_by(text: str) -> str | None:
    """The kind of the entity named in a 由X负责 phrase, if any."""
    m = _BY_RE.search(text)
    if not m:
        return None
    return last_entity(m.group(1)) or None


# --- negation ---------------------------------------------------------------------------------

_NEGATIONS = [
    "不得",
    "不再",
    "不要",
    "不需要",
    "不需",
    "无需",
    "无须",
    "不必",
    "禁止",
    "严禁",
    "不准",
    "不能",
    "勿",
    "取消",
    "杜绝",
    "避免",
    "不搞",
    "不以",
    "不另行",
    "不单独",
    "不作为",
    "不将",
    "不会",
    "不用",
    "不予",
    "停止",
    "清理",
    "清理整合",
    "不允许",
    "不宜",
    "并非",
    "不是",
    "未要求",
    "不要求",
    "不签",
    "不设",
    "不召开",
    "不参加",
    "不组织",
    "不开展",
    "不纳入",
    "不列入",
    "一律不",
    "不再要求",
    "无需再",
    "不强制",
    "非必要不",
    "不另设",
    "不额外",
    "不专门",
    "不必要",
    "已取消",
    "不再组织",
    "不再单独",
    "不搞一刀切",
    "减少",
    "压减",
    "精简",
    "整合",
    "撤销",
    "摘除",
    "合并",
]
_NEG_RE = re.compile(_alt(_NEGATIONS))
# Verbs that negate only their own object (取消评先资格并通报排名: 排名 is not cancelled).
_OBJECT_NEGATIONS = frozenset(
    [
        "取消",
        "杜绝",
        "避免",
        "停止",
        "清理",
        "清理整合",
        "减少",
        "压减",
        "精简",
        "整合",
        "撤销",
        "摘除",
        "合并",
        "已取消",
    ]
)
_CONJUNCTION_RE = re.compile(r"并|同时|然后|再|且|之后|以后|后")


def negated(sentence: Sentence, pos: int, window: int = 24) -> bool:
    """Whether a negation governs the trigger at `pos`: earlier in its sub-clause, or at the head
    of the sentence when the sub-clauses are a list governed by it (不得：…、…)."""
    lo, _ = sentence.clause_of(pos)
    start = max(lo, pos - window)
    found = list(_NEG_RE.finditer(sentence.text, start, pos))
    if found:
        last = found[-1]
        if last.group() not in _OBJECT_NEGATIONS or not _CONJUNCTION_RE.search(sentence.text[last.end() : pos]):
            return True
    # A negation that ends in a colon governs what follows: 严禁以下行为：签订责任状…
    head = sentence.text[:lo]
    return bool(re.search(f"(?:{_NEG_RE.pattern})[^,，]{{0,12}}[:：]$", head))


# --- approvals ------------------------------------------------------------------------------

# A document number (文号) as officials write it: 云发〔2027〕3号, 滇政办发[2026]12号, 富政发（2027）5号.
_DOCUMENT_RE = re.compile(r"([\u4e00-\u9fff]{1,12})[〔\[（(【](\d{4})[〕\]）)】]第?(\d{1,4})号")


# Words that run into an issuer's code in prose (依据云发…, 和滇政办发…) and are not part of it.
_LEAD_RE = re.compile(r"^(?:依据|根据|按照|依照|参照|详见|见|经|和|及|与|以及|文件|印发|的)+")


def _spelled(m: re.Match[str]) -> str:
    issuer = _LEAD_RE.sub("", m.group(1)) or m.group(1)
    return f"{issuer}〔{m.group(2)}〕{int(m.group(3))}号"


def normalise_document(number: str) -> str:
    """One spelling per document number: 〔〕 brackets, no spaces, simplified (云发〔2027〕3号)."""
    text = prepare(number)
    found = _DOCUMENT_RE.search(text)
    return _spelled(found) if found else text


def cited_documents(*texts: str) -> list[str]:
    """Every document number cited in the texts, normalised, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for m in _DOCUMENT_RE.finditer(prepare(text or "")):
            seen.setdefault(_spelled(m), None)
    return list(seen)


# --- rule: pledge （二） -------------------------------------------------------------------------

_PLEDGE_DOC_RE = re.compile(r"(?:目标)?(?:责任状|责任书|承诺书|保证书|军令状|责任清单书)")
_VETO_RE = re.compile(r"一票否决")
_PLEDGE_OK_BEFORE = re.compile(r"告知$|信用$")  # 告知承诺书 (a citizen's commitment, （十一）)


_WITH_RE = re.compile(r"(?:与|和|同|跟|向)")


def _pledge_signer(text: str, doc: int) -> str | None:
    """Who answers for the pledge at `doc`: in X与Y签订 both parties (a household's own pledge
    to the village is not the village's; two other bodies' is not either); otherwise the last
    party named before it; None when nobody is named (the village the request is for)."""
    found = _entities(text[:doc])
    if not found:
        return None
    last_pos, last_kind, _ = found[-1]
    if _WITH_RE.search(text[max(0, last_pos - 2) : last_pos]):
        earlier = [k for p, k, _ in found[:-1] if p < last_pos]
        parties = {last_kind, earlier[-1] if earlier else VILLAGE}
        if HOUSEHOLD in parties:
            return HOUSEHOLD
        return VILLAGE if VILLAGE in parties else OTHER
    return last_kind


def find_pledge(sentence: Sentence) -> bool:
    text = sentence.text
    for m in _capped(_PLEDGE_DOC_RE.finditer(text)):
        if _PLEDGE_OK_BEFORE.search(text[max(0, m.start() - 2) : m.start()]):
            continue
        if negated(sentence, m.start()):
            continue
        if _pledge_signer(text, m.start()) in (OTHER, HOUSEHOLD):
            continue
        return True
    return any(not negated(sentence, m.start()) for m in _VETO_RE.finditer(text))


# --- rule: responsible body （二） -------------------------------------------------------------

_AREA_PATTERNS: dict[str, str] = {
    "行政执法": r"行政执法(?!部门|机关|队|大队|局|人员|力量|中队|单位)|执法检查|联合执法|执法(?!部门|机关|队|大队|局|人员|力量|中队|单位)|行政处罚|处以罚款|罚款|查处|没收|扣押|取缔|强制拆除|责令[^,，。;]{0,4}?(?:停产|整改|停业|关闭|拆除)|查封|予以关停|关停|吊销",
    "拆迁拆违": r"拆迁|拆违|控违|征迁|征地拆迁|违建整治|违法建筑(?:的)?(?:整治|治理|查处|清理|处置|拆除)|两违|拆除",
    "招商引资": r"招商引资|招商|引资|引进(?:企业|项目|资金|客商)|签约项目|项目签约|投资到位",
    "安全生产": r"安全生产|生产安全|非煤矿山|危险化学品|危化品|烟花爆竹(?:经营|生产)|企业安全(?:检查|监管)|安全监管",
}
_AREA_RE = re.compile("|".join(f"(?P<a{i}>{p})" for i, p in enumerate(_AREA_PATTERNS.values())))
_AREA_NAMES = list(_AREA_PATTERNS)
# Doing enforcement or demolition is itself being the responsible body: the verb is the role.
_ACTION_AREAS = {"行政执法", "拆迁拆违"}
# 拆除 is demolition only when buildings are what comes down (not 拆除多余牌子, （九）).
_BUILDING_RE = re.compile(r"违法|违章|违建|违规|私搭|乱搭|乱建|房屋|建筑|构筑物|搭建|圈舍|大棚|棚房|围墙|厂房")
_BY_ENTITY_RE = re.compile(r"由([^,，。;由]{1,12}?)(?:依法|统一|直接|负责|予以|进行|对其|处以|组织|实施|牵头|承担)?$")

_RESP_WORDS = [
    "负责",
    "负总责",
    "牵头",
    "主抓",
    "主导",
    "组织实施",
    "具体实施",
    "实施",
    "承担",
    "包保",
    "包干",
    "落实",
    "压实",
    "履行",
    "确保",
    "完成",
    "主责",
    "负主要责任",
    "作为责任主体",
    "兜底",
]
_ASSIST_WORDS = [
    "协助",
    "配合",
    "协同",
    "协调配合",
    "宣传",
    "宣讲",
    "宣传教育",
    "参与",
    "支持",
    "报告",
    "上报",
    "劝导",
    "劝阻",
    "提供线索",
    "引导",
    "动员",
    "督促",
    "告知",
    "提醒",
    "排查报告",
    "信息报送",
    "反映",
    "摸排",
    "登记",
    "巡查",
    "收集",
    "走访",
]
# 发现 is neutral: 发现…及时报告 assists through 报告, 发现问题责令整改 is enforcement.
_WEAK_WORDS = ["做好", "抓好", "抓实", "开展", "加强", "推进", "组织", "做实", "发现"]
_ROLE_RE = re.compile(
    "|".join(
        [f"(?P<r{i}>{re.escape(w)})" for i, w in enumerate(sorted(_RESP_WORDS, key=len, reverse=True))]
        + [f"(?P<s{i}>{re.escape(w)})" for i, w in enumerate(sorted(_ASSIST_WORDS, key=len, reverse=True))]
        + [f"(?P<w{i}>{re.escape(w)})" for i, w in enumerate(sorted(_WEAK_WORDS, key=len, reverse=True))]
    )
)
RESP, ASSIST, WEAK, ACTION = "resp", "assist", "weak", "action"
_FOLLOWING_RESP_RE = re.compile(
    r"^[^,，]{0,10}?(?:责任主体|第一责任人|主体责任|直接责任人|直接责任|主要责任|责任书|责任状|目标责任|属地责任|属地管理责任|"
    r"责任制|工作责任|监管责任|管理责任|任务数|任务|指标|负总责|负责)"
)
_TRAILING_ASSIST_RE = re.compile(
    r"^(?:的)?(?:工作)?[^,，]{0,4}?(?:政策|法律法规|法规|知识|相关)?(?:的)?"
    r"(?:宣传|宣讲|教育|培训|解释|告知|动员|引导|信息报送|信息上报|报送|上报|报告|线索|劝导|月|日|周)"
)
_ACCOUNTABILITY_RE = re.compile(r"(?:追究|追责|问责)(.{0,10}?)(?:责任|$)|(?:对|将)(.{0,8}?)(?:追责|问责|严肃问责)")


@lru_cache(maxsize=512)
def _roles(text: str) -> list[tuple[int, int, str]]:
    out = []
    for m in _capped(_ROLE_RE.finditer(text)):
        name = m.lastgroup or ""
        kind = {"r": RESP, "s": ASSIST, "w": WEAK}[name[0]]
        out.append((m.start(), m.end(), kind))
    return out


def _area_role(sentence: Sentence, start: int, end: int, area: str) -> tuple[str | None, int]:
    """The role the sentence gives its subject for the area phrase at [start, end), and where the
    role word starts (for finding the subject)."""
    text = sentence.text
    lo, hi = sentence.clause_of(start)
    trailing = re.split(r"[并和及与、,，;]", text[end:hi], maxsplit=1)[0]
    if _TRAILING_ASSIST_RE.search(trailing):
        return ASSIST, start
    roles = _roles(text)
    before = [r for r in roles if r[1] <= start and r[0] >= lo]
    strong = [r for r in before if r[2] != WEAK]
    if strong:
        return strong[-1][2], strong[-1][0]
    following = _FOLLOWING_RESP_RE.search(text[end:hi])
    if following:
        return RESP, end + following.start()
    # 由村委会负责 after the area (…违法建筑，由村委会负责拆除) or in a later clause.
    after = [r for r in roles if r[0] >= end and r[0] < hi and r[2] != WEAK]
    if after and after[0][2] == RESP and "由" in text[end : after[0][0]]:
        return RESP, after[0][0]
    if before:
        return WEAK, before[-1][0]
    # Earlier sub-clauses of the sentence: 负责以下工作：拆除…
    earlier = [r for r in roles if r[1] <= lo and r[2] != WEAK]
    if earlier:
        return earlier[-1][2], earlier[-1][0]
    if area in _ACTION_AREAS:
        return ACTION, start
    return None, start


def find_responsible_body(sentence: Sentence, is_title: bool = False) -> str | None:
    """The area ("安全生产", …) for which this sentence makes the village the responsible body."""
    text = sentence.text
    for m in _capped(_AREA_RE.finditer(text)):
        area = _AREA_NAMES[int((m.lastgroup or "a0")[1:])]
        if negated(sentence, m.start()):
            continue
        if m.group() == "拆除" and not _BUILDING_RE.search(text):
            continue
        lo, hi = sentence.clause_of(m.start())
        by_near = _BY_ENTITY_RE.search(text[lo : m.start()])
        if by_near:
            # …的由村委会处以罚款: the 由 phrase names who acts, whatever came before it.
            kind = last_entity(by_near.group(1))
            if kind == VILLAGE and (area in _ACTION_AREAS or _FOLLOWING_RESP_RE.search(text[m.end() : hi])):
                return area
            if kind in (OTHER, HOUSEHOLD):
                continue
        role, role_pos = _area_role(sentence, m.start(), m.end(), area)
        if role in (ACTION, WEAK) and is_title and not any(k == VILLAGE for _, k, _ in _entities(text)):
            continue  # a title names the topic (关于拆除违章搭建的通知), not who answers for it
        if role == ACTION:
            role = RESP  # doing enforcement or demolition is answering for it
        if role == WEAK:
            # 做好辖区安全生产工作: a duty to "do" safety or investment is being its responsible body,
            # unless the object is the village's own awareness work.
            role = RESP if area in ("安全生产", "招商引资") or area in _ACTION_AREAS else None
        if role != RESP:
            continue
        by = _explicit_by(text[lo:hi])
        if by is not None and by != VILLAGE:
            continue
        subject_text = text[: min(role_pos, m.start())]
        subject = subject_entity(subject_text[lo:]) or subject_entity(subject_text)
        if by == VILLAGE or subject in (VILLAGE, None):
            return area
        if subject == HOUSEHOLD:
            continue
        # 县应急局负责…: another body's own work.
        continue
    for m in _capped(_ACCOUNTABILITY_RE.finditer(text)):
        who = m.group(1) or m.group(2) or ""
        if last_entity(who) == VILLAGE and _AREA_RE.search(text) and not negated(sentence, m.start()):
            return _AREA_NAMES[int((_AREA_RE.search(text).lastgroup or "a0")[1:])]  # type: ignore[union-attr]
    return None


# Roles that make whoever holds them the responsible body for any matter, not only the four the
# clause names (its list ends in 等): 承担…主体责任, 担负起…主体责任, 对…负总责, 作为…责任主体.
_CLAIM_RE = re.compile(
    r"(?:承担|担负|负起|扛起|肩负|履行|落实|压实|负)(?:起)?(?P<a>[^,，。;]{0,20}?)(?:的)?(?:监管)?(?:主体责任|全部责任|全责|总责)"
    r"|(?:作为|是|为)(?P<b>[^,，。;]{0,16}?)(?:的)?(?:第一)?责任主体"
    r"|对(?P<c>[^,，。;]{0,20}?)负(?:总责|主体责任|全责|全部责任|监管主体责任)"
    r"|(?:全面|全权|完全|全部|统一|兜底|自己兜底|托底)负责(?P<d>[^,，。;]{0,20})"
    r"|(?:兜底|托底)(?:担责|承担|责任|管理)|负全责|担全责"
    r"|(?:是|为|作为|担任|当|系)(?P<f>[^,，。;]{0,16}?)(?:的)?第一责任人"
    r"|(?:落实|压实|履行|承担|扛起|负起|担起|负)(?:好|起)?(?P<g>[^,，。;]{0,16}?)(?:的)?属地(?:管理)?(?:主体)?责任"
    r"|(?:承担|落实|压实|履行)(?:好|起)?(?P<h>[^,，。;]{0,12}?)包保责任"
    r"|(?:由|归|让|叫)(?P<i>[^,，。;]{1,8}?)(?:自己)?(?:兜底|托底)(?!保障|救助|帮扶|政策|脱贫|户|对象|人员)"
)
_PERSONAL_ROLE_RE = re.compile(r"第一责任人|属地|包保")
# Demolition in plain words: 自己负责把乱搭乱建拆掉.
_PLAIN_DEMOLITION_RE = re.compile(r"负责(?:把|将)?[^,，。;]{0,12}?(?:拆掉|拆了|拆除|推平)")
_CLAIM_OWN_RE = re.compile(r"村务|自治|本村公共事务|集体资产|财务|党建|组织生活|村民自治")


def find_responsibility_claim(sentence: Sentence, beside_pledge: bool = False) -> str | None:
    """The matter (“本村森林防火”) for which the village is made the responsible body by its role
    words, whatever the matter: 承担…主体责任, 作为责任主体, 对…负总责, 由村负责拆除 （二）.

    Beside a pledge (村书记为第一责任人，签订责任状) a personal or territorial role (第一责任人,
    属地责任, 包保责任) is what the pledge binds, and the pledge rule answers for it."""
    text = sentence.text
    for m in _capped(_CLAIM_RE.finditer(text)):
        if negated(sentence, m.start()):
            continue
        if beside_pledge and _PERSONAL_ROLE_RE.search(m.group()):
            continue
        lo, _ = sentence.clause_of(m.start())
        before = text[max(0, lo - 30) : m.start()]
        if re.search(r"协助|配合|协同", before[-8:]):
            continue
        if m.group("i"):
            subject = subject_entity(m.group("i"))  # 由哪个村兜底: the body is inside the phrase
        else:
            subject = subject_entity(text[lo : m.start()]) or subject_entity(text[: m.start()])
        if subject != VILLAGE:
            continue
        matter = re.sub(
            r"^(?:本村|本辖区|辖区内?|村内|村域内?)",
            "",
            next((g for g in m.group("a", "b", "c", "d", "f", "g", "h") if g), ""),
        )
        if _TRAILING_ASSIST_RE.match(matter):
            continue  # 全面负责宣传发动: the village's awareness work, not the matter itself
        matter = re.sub(r"(?:的)?工作$", "", matter)
        if _CLAIM_OWN_RE.search(matter):
            continue  # the village answers for its own self-government （一）
        return matter or "相关事务"
    for m in _capped(_PLAIN_DEMOLITION_RE.finditer(text)):
        if negated(sentence, m.start()):
            continue
        by_village = subject_entity(text[: m.start()]) == VILLAGE or re.search(
            r"村里|村上|各村|村委会", text[: m.start()]
        )
        if by_village and (_BUILDING_RE.search(text) or re.search(r"乱搭|乱建|违建", text)):
            return "拆迁拆违"
    return None


_RB_VILLAGE_RE = re.compile(
    r"村委会|村民委员会|村级组织|村级|村党组织|村\(社区\)|村社区|各村|村两委|村干部|社区|居委会|村民小组|村组|村集体|行政村|村支部|村党支部"
)
_RB_NOT_VILLAGE_RE = re.compile(r"(?:^|[、,，和及与])(?:县|乡镇|镇|乡|街道|部门|局|企业|公司)")


def responsible_body_names_village(value: str) -> bool:
    v = prepare(value)
    if not v or re.search(r"不是|并非|非村|不由村|不以村", v):
        return False
    m = _RB_VILLAGE_RE.search(v)
    if not m:
        return False
    # 乡镇人民政府（村委会协助）: the village only assists.
    return not re.search(r"(?:协助|配合|参与|协同)", v[max(0, m.start() - 4) : m.end() + 4])


def areas_in(text: str) -> list[str]:
    found = []
    for m in _capped(_AREA_RE.finditer(text)):
        area = _AREA_NAMES[int((m.lastgroup or "a0")[1:])]
        if area not in found:
            found.append(area)
    return found


# --- rule: evidence as screenshots （五） --------------------------------------------------------

_MEDIA_RE = re.compile(
    r"截图|截屏|拍照|照片|相片|图片|影像资料|影像|视频|录像|小视频|直播|工作笔记|台账|签到表|签到|打卡|留痕|痕迹资料|图文资料|图文|佐证资料|佐证材料|朋友圈|转发"
)
_PROOF_RE = re.compile(
    r"作为|当作|视为|以此|据此|为准|凭|依据|凭证|证明|佐证|标准|考核|考评|评分|计分|打分|得分|扣分|评比|验收|完成情况|落实情况|是否落实|是否完成|是否开展|判断|排名|检查|核查|督查|审核"
)
_UPLOAD_RE = re.compile(
    r"群里发|发群里|发在群|没有发|没发|上传|上报|报送|发送|发至|发到|发群|晒|提交|拍摄|录制|拍照|留存|提供|发布|转发|集赞|点赞"
)
_WORK_SCENE_RE = re.compile(
    r"工作|巡|现场|活动|入户|走访|会议|巡查|场景|开展|过程|宣传|培训|学习|值班|值守|巡逻|清扫|整治|打扫|服务"
)
_MEDIA_OK_RE = re.compile(
    r"免冠|证件照|身份证|户口簿|一寸|二寸|寸照|证照|隐患|灾情|险情|火情|汛情|违法行为|违规行为|问题线索|线索|申请人"
)
_SUBSTANTIVE_RE = re.compile(
    r"实地|现场核查|现场查看|走访|入户核实|群众评议|群众满意|满意度|测评|实际成效|工作实绩|实绩|系统数据|抽查|暗访|座谈|问卷"
)
_LEDGER_ONLY = {"台账", "工作笔记", "签到表", "签到", "留痕", "痕迹资料"}


def find_evidence_screenshot(sentence: Sentence) -> bool:
    text = sentence.text
    for m in _capped(_MEDIA_RE.finditer(text)):
        if negated(sentence, m.start(), window=30):
            continue
        lo, hi = sentence.clause_of(m.start())
        near = text[max(0, m.start() - 12) : m.end() + 6]
        if _MEDIA_OK_RE.search(near):
            continue
        word = m.group()
        proof = _PROOF_RE.search(text)
        if word in _LEDGER_ONLY:
            # Keeping a ledger is not the problem; judging work by it is.
            if proof and not re.fullmatch(r"证明|审核", proof.group()):
                return True
            continue
        if word in ("签到", "转发", "朋友圈"):
            if proof or re.search(r"集赞|点赞|转发量|阅读量", text):
                return True
            continue
        if proof:
            return True
        if _UPLOAD_RE.search(text[max(0, lo - 2) : hi]) and _WORK_SCENE_RE.search(text):
            return True
    return False


def evidence_field_problem(value: str) -> bool:
    """The expected evidence is ledgers, screenshots, photos or videos alone."""
    v = prepare(value)
    if not v:
        return False
    s = Sentence(v)
    media = [
        m
        for m in _MEDIA_RE.finditer(v)
        if not negated(s, m.start(), window=30) and not _MEDIA_OK_RE.search(v[max(0, m.start() - 8) : m.end() + 4])
    ]
    if not media:
        return False
    return not _SUBSTANTIVE_RE.search(v)


# --- rule: separate evaluation （五） -------------------------------------------------------------

_EVAL_RE = re.compile(
    r"考核|考评|评比|排名|排序|打分|评分|积分排名|红黑榜|红黄绿|红黄蓝|通报排名|星级评定|评星|比武|擂台|晾晒|赛马|"
    r"排(?:个|一个|一下|上个)名|排名次|通报批评|排(?:在)?最后(?:一|两|三|几)?名|倒数(?:第)?(?:一|二|两|三|几|\d)名|"
    r"流动红旗|扣分|计分|星(?:级)?评定|等次评定|评定等次|评定等级|定等|达标评比|检查评比|评选(?=[^,，。]{0,8}(?:村|社区))|考核验收|年终考核|季度考核|月度考核"
)
_COUNTY_UNIFIED_RE = re.compile(
    r"统一(?:部署|组织|实施|开展|安排)?[^,，。]{0,10}(?:考核|考评|评价|评定|评比)|(?:考核|考评|评价|评定)[^,，。]{0,6}由(?:县委|县政府|县\(市、区\)|县级)[^,，。]{0,8}统一|(?:县委|县政府|县委县政府|县委、县政府|县级党委和政府|县\(市、区\)党委和政府)[^,，。]{0,12}(?:考核|考评|评价)|"
    r"综合考核|综合考评|年度综合|述职评议|党建述职|抓基层党建|一次性考核|县级统一"
)
_EVAL_OTHER_TARGET_RE = re.compile(
    r"学员|参训人员|参训|考试|培训考核|结业|项目(?:竣工)?验收|工程|企业|供应商|考生|单位职工|本局干部|干部职工"
)
_VILLAGE_TARGET_RE = re.compile(r"村|社区|网格")


_SEPARATELY_RE = re.compile(r"(?<![不再得])(?:单独|另行|自行)(?:排名|排序|通报|考核|评比|打分)")


def find_separate_evaluation(sentence: Sentence, county_wording_exempts: bool = True) -> bool:
    """A department's rating of villages. Wording that the county organises it exempts only when the
    request cites no document number: a cited 文号 is for the registry to confirm （五）."""
    text = sentence.text
    for m in _capped(_EVAL_RE.finditer(text)):
        if negated(sentence, m.start(), window=30):
            continue
        window = text[max(0, m.start() - 24) : m.end() + 16]
        if county_wording_exempts and _COUNTY_UNIFIED_RE.search(window) and not _SEPARATELY_RE.search(window):
            continue
        if re.search(r"规范[^,，。]{0,6}$", text[max(0, m.start() - 8) : m.start()]):
            continue  # 规范考核工作: regulating assessments, not running one
        if _EVAL_OTHER_TARGET_RE.search(text) and not re.search(r"各村|村\(社区\)|村级|村委会|对村", text):
            continue
        if m.group() in ("排序",) and not _VILLAGE_TARGET_RE.search(text):
            continue
        if re.search(
            r"(?:户|庭院|家庭|农户|村民|个人|党员)[^,，。]{0,3}$", text[max(0, m.start() - 8) : m.start()]
        ) and not re.search(r"对各村|对村|各村之间|村与村", text):
            continue  # 最美庭院、卫生户评比 among villagers is the village's own activity, not a department's rating of it
        return True
    return False


# --- rule: dedicated post （六） ----------------------------------------------------------------

_POST_RE = re.compile(
    r"专门(?:管|负责|抓)[^\s,，。;]{1,6}?的人|专人专岗|专岗专人|专职专岗|专人专职|专岗|专职(?:人员|工作人员|[^\s,，。;、]{1,6}?员)|专干|专管员|专人|"
    r"(?:配备|配齐|设立|设置|选配|聘用|招聘)[^,，。;]{0,6}?(?:名|个)?[^,，。;]{0,6}?(?:专职|协管员|管理员|信息员|联络员|安全员)"
)
_POST_OK_RE = re.compile(r"兼任|兼职|兼管|公益岗|公益性岗位|现有人员|现有村干部|大岗位")


def find_dedicated_post(sentence: Sentence) -> bool:
    text = sentence.text
    for m in _capped(_POST_RE.finditer(text)):
        if negated(sentence, m.start(), window=30):
            continue
        lo, hi = sentence.clause_of(m.start())
        if _POST_OK_RE.search(text[lo:hi]):
            continue
        word = m.group()
        subject = last_entity(text[max(lo, m.start() - 40) : m.start()])
        if subject == OTHER:
            continue  # 县民政局安排专人指导: the department's own staff
        if (
            word == "专人"
            and not re.search(
                r"(?:明确|指定|确定|安排|落实|配备|配齐|选派|固定|设立|要有|须有|必须有|专门)[^,，。;]{0,6}$",
                text[max(lo, m.start() - 12) : m.start()],
            )
            and not re.match(r"专人(?:负责|管理|值守|对接|联络|专门)", text[m.start() :])
        ):
            continue
        generic_post = any(w in word for w in ("协管员", "管理员", "信息员", "联络员", "安全员"))
        if generic_post and "专职" not in word and not re.search(r"每(?:个)?村|各村|村级|村\(社区\)", text):
            continue
        return True
    return False


# --- rule: new mechanism or sign （六）（九） -----------------------------------------------------

_MECH_VERB = r"成立|设立|组建|新建|新设|增设|挂牌|加挂|悬挂|挂上|创建|建成|建设|建立|打造|挂"
_MECH_OBJECT = (
    r"工作站|服务站|工作室|服务室|服务中心|工作中心|调解中心|中心|服务点|工作点|联络点|联络站|驿站|之家|书屋|"
    r"超市|银行|工坊|理事会|议事会|救援队|护路队|巡逻队|领导小组|工作小组|工作专班|专班|办公室|委员会|分会|协会|联盟|机制|工作部|服务队|牌子|标牌|牌匾|门牌|标识牌|站|所|室|"
    r"护村队|巡防队|巡查队|应急队|应急分队|志愿服务队|志愿队|[^,，。;、的]{1,3}队(?![伍员长])"
)
_MECH_RE = re.compile(rf"(?:{_MECH_VERB})(?P<mid>[^,，。;、]{{0,16}}?)(?P<obj>{_MECH_OBJECT})")
_MECH_OK_AFTER = re.compile(r"^督办|^销号|^作战")


def find_new_mechanism(sentence: Sentence, retained_signs: Sequence[str] = ()) -> bool:
    text = sentence.text
    for m in _capped(_MECH_RE.finditer(text)):
        if _MECH_OK_AFTER.search(text[m.start() + 2 :]) or text[m.start() : m.start() + 4] in ("挂牌督办", "挂牌销号"):
            continue
        verb_obj = m.group()
        if m.group("obj") in ("站", "所", "室", "中心") and not m.group("mid"):
            continue
        if m.group("obj") == "机制" and not re.match(r"成立|设立|新设|增设|挂牌", verb_obj):
            continue
        if (
            re.match(r"建设|建成|建立|打造", verb_obj)
            and m.group("obj")
            not in (
                "工作站",
                "服务站",
                "站",
                "中心",
                "服务中心",
                "驿站",
                "之家",
                "服务点",
                "工作室",
                "超市",
                "银行",
                "理事会",
                "议事会",
                "领导小组",
                "工作小组",
                "专班",
            )
            and not re.search(r"挂牌|悬挂|牌子|上墙", text[m.end() :])
        ):
            continue  # building a thing is not setting up a mechanism, unless it gets a sign
        if negated(sentence, m.start(), window=24):
            continue
        lo, _ = sentence.clause_of(m.start())
        subject = last_entity(text[lo : m.start()]) or last_entity(text[: m.start()])
        if subject == OTHER and not re.search(r"在各村|在村|各村|村级|村\(社区\)|每个村|每村", text[: m.end()]):
            continue
        if subject == HOUSEHOLD:
            continue
        phrase = text[m.start() : m.end() + 6]
        if any(sign and sign in phrase for sign in retained_signs):
            continue  # a sign the catalog keeps (（九）（十）) is not a new one
        return True
    return False


# --- rule: ad hoc forms （四） ------------------------------------------------------------------

_FORM_VERB = r"填报|填写|填表|报送|上报|报给|报至|提交|统计|汇总|收集|摸排|摸底|录入|造册|报表|提供|整理|建立"
_FORM_OBJECT = r"进度|进展|动态|统计表|报表|表格|表册|一览表|登记表|花名册|名册|名单|台账|数据|材料|资料|总结|报告|汇报|情况|信息|表"
_FORM_RE = re.compile(rf"(?:{_FORM_VERB})(?P<mid>[^,，。;]{{0,14}}?)(?P<obj>{_FORM_OBJECT})")
_FREQ_RE = re.compile(
    r"每日|每天|每周|每月|每季度|每半月|每半年|每旬|按日|按周|按月|按季|定期|\d+月\d+日前|\d+日前|前报|之前报|限期|当日|次日|月底前|周五前"
)
_FORM_OK_RE = re.compile(
    r"灾情|险情|火情|汛情|疫情|突发|紧急情况|申请材料|申请人|发现[^,，。]{0,12}(?:及时|立即)|及时报告|立即报告"
)
# 每天9点前报送前一日火情: a report on a fixed schedule is a form even when it is about fires or floods;
# 发现火情立即报告 (an emergency report when something happens) is not.
_ROUTINE_REPORT_RE = re.compile(r"(?:每日|每天|每周|每月)[^,，。;]{0,12}(?:报送|上报|填报)")
_EMERGENCY_REPORT_RE = re.compile(r"立即|及时|第一时间|发现|一旦")


def _form_allowed(text: str) -> bool:
    """Reporting that is exempt from the form rule (emergencies, applications), unless it is routine."""
    if not _FORM_OK_RE.search(text):
        return False
    return not (_ROUTINE_REPORT_RE.search(text) and not _EMERGENCY_REPORT_RE.search(text))


_WEAK_FORM_OBJECTS = {"情况", "信息", "资料", "材料", "报告", "汇报", "进度", "进展", "动态"}


_FORM_BA_RE = re.compile(
    rf"(?:将|把)(?P<mid>[^,，。;]{{0,24}}?)(?P<obj>{_FORM_OBJECT}|记录|图片|照片)[^,，。;]{{0,8}}?(?:报送|上报|报至|报给|提交|发送|报)"
)


# Forms named outright: a table to fill in and send (附表, 表格, Excel) is a form demand whatever the verb.
_FORM_PLAIN_RE = re.compile(
    r"填表|附表|(?:表格|excel|电子表格|统计表)[^,，。;]{0,10}(?:报|发|交)|(?:报|发|交)[^,，。;]{0,10}(?:表格|excel|附表)|"
    r"(?:整理|汇总|做|弄|制|归纳|统计)成(?:表|表格|excel|电子表格|册|清单|一览表)|按(?:照)?[^,，。;]{0,6}表格格式|"
    r"填(?:个|一下|一个|好|上)表|(?:把|将)表(?:格)?填|一户一表|问卷星|在线填报|线上填报|小程序填报|登记造册|造册上报|制表上报|列表上报|"
    r"(?:报|上报|报一下|报个)(?:个|一下)?(?:数|数字)(?:上来|给|到|至|$)|把数(?:据|字)?报"
)
_TABLE_RE = re.compile(r"表格|excel|附表|电子表格|统计表|登记表")
_SEND_RE = re.compile(r"报上来|报给|报送|上报|报至|报县|报镇|报乡|发给|交到|交回")
_FORM_STATEMENT_RE = re.compile(r"不得另行|不再另行|不得额外|不得要求[^,，。]{0,6}填报")


def find_adhoc_form(sentence: Sentence) -> bool:
    text = sentence.text
    if _FORM_STATEMENT_RE.search(text):
        return False  # a notice about the rules of reporting, not a demand
    low = text.lower()
    table = _TABLE_RE.search(low)
    if table and _SEND_RE.search(low) and not negated(sentence, table.start(), window=24):
        return True
    for m in _capped(_FORM_PLAIN_RE.finditer(low)):
        if negated(sentence, m.start(), window=24) or _FORM_OK_RE.search(text):
            continue
        lo, _ = sentence.clause_of(m.start())
        if subject_entity(text[lo : m.start()]) == HOUSEHOLD:
            continue
        return True
    for m in _capped(_FORM_BA_RE.finditer(text)):
        # 将…情况报送…: the object comes before the verb.
        if negated(sentence, m.start(), window=24) or _FORM_OK_RE.search(text):
            continue
        if m.group("obj") in _WEAK_FORM_OBJECTS | {"记录", "图片", "照片"} and not _FREQ_RE.search(text):
            continue
        return True
    for m in _capped(_FORM_RE.finditer(text)):
        verb = text[m.start() : m.start() + 2]
        obj = m.group("obj")
        if negated(sentence, m.start(), window=24):
            continue
        if _form_allowed(text):
            continue
        lo, _ = sentence.clause_of(m.start())
        if subject_entity(text[lo : m.start()]) == HOUSEHOLD:
            continue
        weak = verb in ("提供", "整理", "统计", "收集", "汇总", "建立") or obj in _WEAK_FORM_OBJECTS
        # 提供材料 / 上报情况 is a form demand when it is periodic or has a deadline.
        strong = (
            _FREQ_RE.search(text)
            or obj in ("统计表", "报表", "表格", "表册", "一览表", "登记表", "花名册", "名册")
            or verb in ("填报", "填写", "填表")
        )
        if weak and not strong:
            continue
        if verb == "建立" and obj not in ("台账", "花名册", "名册", "表册", "一览表"):
            continue
        if verb == "建立" and not _FREQ_RE.search(text) and not re.search(r"报送|上报|报|提交", text[m.end() :]):
            continue
        if obj == "表" and not re.search(r"(?:表格|报表|[^代发公列图]表)$", text[m.start() : m.end()]):
            continue
        return True
    if _FREQ_RE.search(text) and re.search(r"(?:报送|上报|填报|报)(?:一次|1次|数据|进度|进展|工作)", text):
        return not negated(sentence, _FREQ_RE.search(text).start())  # type: ignore[union-attr]
    routine = _ROUTINE_REPORT_RE.search(text)
    if routine and not _EMERGENCY_REPORT_RE.search(text):
        return not negated(sentence, routine.start(), window=24)  # 每天报送当日火情: a daily report is a form
    return False


# --- rule: meetings （四） ----------------------------------------------------------------------

_MEETING_NOUN = r"会议|考察|参观|培训班|培训会|培训|座谈会|推进会|动员会|现场会|调度会|部署会|观摩会|视频会|例会|讲座|学习班|研讨会|交流会|观摩|大会|会"
_VILLAGE_STAFF_RE = re.compile(
    r"村干部|村支书|村党组织书记|村党支部书记|村党总支书记|村\(社区\)(?:党组织)?书记|村\(社区\)[^,，。]{0,6}(?:负责人|干部|主任|成员|人员|委员|专干|文书|会计|报账员|信息员)|"
    r"村书记|村主任|村委会主任|村委会委员|村两委|村监委会主任|村务监督委员会主任|各村[^,，。]{0,12}(?:负责人|干部|书记|支书|主任|主席|队长|组长|成员|人员|委员|专干|文书|会计|报账员|信息员|网格员|代表|站长|协管员|协办员)|"
    r"村级组织负责人|村级[^,，。]{0,4}(?:人员|干部)|社区书记|社区主任|社区干部|社区工作者|网格员|村组干部|村小组长|村民小组长"
)
_ATTEND_RE = re.compile(
    r"参加|出席|参会|列席|到会|与会|参训|集中|报到|前往|赴|到[^,，。]{1,12}(?:会议室|礼堂|报告厅|培训中心|会场)|进行培训|接受培训|组织培训|轮训|调训"
)
_OWN_MEETINGS_RE = re.compile(
    r"村民会议|村民代表会议|村民小组会议|党员大会|党员会议|院坝会|群众会|户长会|村民大会|坝坝会|火塘会|议事会|村两委会议|支委会"
)


# 各村派人参加: whoever the village sends is its staff.
_DELEGATE_RE = re.compile(r"(?:派|选派|指派|安排|抽调|委派)(?:一名|1名|专人|人员|1人|一人|人|员|专门人员)")
_ADDRESSED_VILLAGES_RE = re.compile(r"各村|村\(社区\)|村级|村委会|村干部|各社区|每个村|每村")


_ATTENDEES_RE = re.compile(r"(?:参会|与会|参训|出席|列席|参加会议的?)人员|参会对象|参加对象|参训对象")


def find_meeting(sentence: Sentence) -> bool:
    text = sentence.text
    staff = _VILLAGE_STAFF_RE.search(text)
    if not staff and _ADDRESSED_VILLAGES_RE.search(text):
        staff = _DELEGATE_RE.search(text)
    if not staff:
        return False
    # 参会人员：…各村党组织书记 (a notice's list of attendees, the meeting named in another sentence).
    listed = _ATTENDEES_RE.search(text)
    if listed and staff.start() > listed.start() and not negated(sentence, listed.start(), window=20):
        return True
    nouns = [m for m in re.finditer(_MEETING_NOUN, text)]
    own = [(m.start(), m.end()) for m in _OWN_MEETINGS_RE.finditer(text)]
    nouns = [m for m in nouns if not any(a <= m.start() < b for a, b in own)]
    if m_only_village := [m for m in nouns if m.group() == "会"]:
        # A bare 会 counts only as the head of a meeting word (…培训会, …推进会): not 村委会, 协会.
        nouns = [
            m
            for m in nouns
            if m not in m_only_village
            or re.search(
                r"(?:工作|培训|专题|动员|推进|调度|部署|座谈|学习|总结|交流|观摩|视频|电视电话|现场)会$",
                text[: m.end()],
            )
        ]
    if not nouns:
        return False
    for noun in nouns[:MAX_TRIGGERS]:
        if negated(sentence, noun.start(), window=30):
            continue
        for attend in _ATTEND_RE.finditer(text):
            if negated(sentence, attend.start(), window=20):
                continue
            if attend.group() in ("组织培训", "进行培训", "集中") and last_entity(text[: attend.start()]) == OTHER:
                continue  # 乡镇党委负责组织培训: who trains, not who is summoned
            return True
        # 召开全县村党组织书记培训会: staff named between the convening verb and the meeting.
        conv = None
        for c in re.finditer(r"召开|举办|举行|(?<!党)(?<!县委)组织(?!部)", text[: noun.start()]):
            conv = c
        if conv and staff.start() > conv.start() and staff.start() < noun.start():
            convener = last_entity(text[: conv.start()])
            if convener != VILLAGE:
                return True
    return False


# 到镇上开会 in a message whose addressees (各位村干部) are named elsewhere, often in the title.
_GATHER_RE = re.compile(
    r"(?:到|来|去|赶到|赶来)(?:镇|乡|县|街道|市)[^,，。;]{0,8}(?:开会|参会|集中开会|集合开会|开(?:个|一个|下|一下|次)会|碰(?:个)?头|开个短会)"
)


def find_gathering(text: str) -> bool:
    return bool(_GATHER_RE.search(text)) and bool(_VILLAGE_STAFF_RE.search(text) or re.search(r"村干部|各村", text))


# --- the screen --------------------------------------------------------------------------------


def _content_clears_evaluation(content: str, county_wording_exempts: bool = True) -> bool:
    """The body speaks of an evaluation and none of it is a department's rating of villages: the
    title's wording (关于开展村级环境卫生评比的通知) gives way to the specific text."""
    parts = [Sentence(s) for s in sentences(content)]
    mentions = any(_EVAL_RE.search(s.text) for s in parts)
    return mentions and not any(find_separate_evaluation(s, county_wording_exempts) for s in parts)


def find_violations(inp: ScreenInput, retained_signs: Sequence[str] = ()) -> list[Violation]:
    """Every rule that the request breaks, in the order of RULES, each once."""
    title, content = prepare(inp.title), prepare(inp.content)
    text = "\n".join(t for t in (title, content) if t)
    found: dict[str, Violation] = {}
    signs = tuple(prepare(s) for s in retained_signs if s)

    def add(rule: str, evidence: str, **fmt: str) -> None:
        if rule not in found:
            found[rule] = violation(rule, evidence, **fmt)

    # Only an approval on the registers counts, never the words of the request （二）（六）.
    approved = inp.approved_pledge
    county_wording_exempts = not cited_documents(inp.basis)
    for index, raw in enumerate(sentences(text)):
        s = Sentence(raw)
        is_title = bool(title) and index == 0
        pledged = find_pledge(s)
        if pledged and not approved:
            add("pledge", raw)
        claim = None if is_title else find_responsibility_claim(s, beside_pledge=pledged)
        area = find_responsible_body(s, is_title) or claim
        if area:
            add("responsible_body", raw, area=area)
        if find_evidence_screenshot(s):
            add("evidence_screenshot", raw)
        if (
            find_separate_evaluation(s, county_wording_exempts)
            and not inp.approved_evaluation
            and not (is_title and _content_clears_evaluation(content, county_wording_exempts))
        ):
            add("separate_evaluation", raw)
        if find_dedicated_post(s) and not inp.approved_mechanism:
            add("dedicated_post", raw)
        if find_new_mechanism(s, signs) and not inp.approved_mechanism:
            add("new_mechanism", raw)
        if find_adhoc_form(s) and not inp.in_form_plan:
            add("adhoc_form", raw)
        if find_meeting(s):
            add("meeting", raw)

    if "meeting" not in found:
        for raw in sentences(content):
            if _GATHER_RE.search(raw) and find_gathering(text) and not negated(Sentence(raw), 0, window=len(raw)):
                add("meeting", raw)
                break

    # Structured fields sharpen what the text says.
    if inp.pledge and not approved:
        add("pledge", "申报时勾选了“要求签订责任状（责任书、承诺书）”")
    if inp.responsible_body and responsible_body_names_village(inp.responsible_body):
        areas = areas_in(text) or areas_in(prepare(inp.responsible_body))
        if areas:
            add("responsible_body", f"责任主体：{inp.responsible_body}", area=areas[0])
    if inp.evidence and evidence_field_problem(inp.evidence):
        add("evidence_screenshot", f"完成佐证：{inp.evidence}")
    rule = TYPE_RULE.get(inp.type or "")
    if rule:
        add(rule, f"事项类型：{TYPES[inp.type]}")
    return [found[r] for r in RULE_IDS if r in found]


def screen(inp: ScreenInput, matches: Sequence[Match] = (), retained_signs: Sequence[str] = ()) -> Screening:
    """Screen a request: violations from its wording and fields, outcome from them and the matches;
    the registry entries that lifted a rule are named with the result."""
    violations = find_violations(inp, retained_signs)
    exemptions: tuple[Exemption, ...] = ()
    if inp.approvals:
        plain = replace(inp, approved_pledge=False, approved_mechanism=False, approved_evaluation=False)
        lifted = {v.rule for v in find_violations(plain, retained_signs)} - {v.rule for v in violations}
        exemptions = exemptions_for(lifted, inp.approvals)
    return Screening(
        outcome=decide_outcome(violations, matches),
        matches=tuple(matches),
        violations=tuple(violations),
        exemptions=exemptions,
    )


def match_texts(title: str, content: str) -> list[str]:
    """Pieces of a request to match against the catalogs: the title without its 关于…的通知
    wrapper, and each sentence of the content (scores are taken per piece, best one wins)."""
    t = prepare(title)
    t = re.sub(r"^(?:关于|有关)", "", t)
    t = re.sub(r"(?:的)?(?:通知|方案|意见|函|请示|工作安排|实施方案|工作方案|安排)$", "", t)
    pieces = [t] if t else []
    for s in sentences(prepare(content))[:60]:
        for part in re.split(r"[,，]", s) if len(s) > 60 else [s]:
            if len(part) >= 4:
                pieces.append(part)
    return pieces
