"""Columns of different forms that collect the same datum, with the unit factor between them.

Names are spelled one way first (`fields.canonical`: synonyms, units, 其中/合计 prefixes), then the
shared matcher ranks every data column against all the others, weighting characters by how rare
they are across the forms compared. A pair must also count in the same measure (户 ≠ 人 ≠ 人次),
have convertible units and agree on being a part ("其中") of the same datum. Each column pairs with
at most one column of each other form: the best-scoring pairs are taken first.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from cunwu.matching import Entry, Matcher

from . import fields
from .formfiles import Column

# Calibrated on the training half of bench/reporting_forms.py (docs/benchmarks.md).
THRESHOLD = 0.62
_LIMIT = 40


@dataclass(frozen=True, slots=True)
class Overlap:
    a: tuple[int, int]  # (form position, column index)
    b: tuple[int, int]
    score: float
    unit_factor: float

    def as_api(self) -> dict[str, object]:
        return {"a": list(self.a), "b": list(self.b), "score": self.score, "unit_factor": self.unit_factor}


@dataclass(frozen=True, slots=True)
class _Field:
    form: int
    column: int
    key: str  # canonical name
    parent: str  # canonical name of the datum it is a part of
    unit: str | None
    measure: str
    whole: str = ""  # for a part: its parent's topic and its own name in one (特困 + 分散供养)
    context: str = ""  # the headers printed above its own (重点人群 over 吸毒人员), cleaned


def pairable(column: Column) -> bool:
    """Data columns with a name that means something (remarks and blanks are never paired)."""
    return column.role == "data" and bool(column.name) and fields.clean(column.name) not in fields.UNPAIRED_WORDS


def field_key(name: str, part_of: str = "", measure: str = "") -> tuple[str, str]:
    """(canonical name, canonical parent) used to compare columns and data elements.

    With the column's `measure`, a count drops its count words (隐患点个数 = 隐患点) and a rate per day its day words.
    """
    key = fields.canonical(name, measure) or fields.canonical(name) or fields.clean(name)
    # The measure word the unit already says: 绝收面积 in 亩 = 绝收.
    said = _SAID_BY_UNIT.get(measure)
    if said and len(key) > 3 and key.endswith(said):
        key = key[: -len(said)]
    return key, fields.canonical(part_of) if part_of else ""


_SAID_BY_UNIT = {"area": "面积"}


def _fields(forms: Sequence[Sequence[Column]]) -> list[_Field]:
    found = []
    for position, columns in enumerate(forms):
        for col in columns:
            if pairable(col):
                measure = fields.measure_of(col.name, col.unit)
                key, parent = field_key(col.name, col.part_of, measure)
                if parent and (fields.topic_of(parent) in key or fields.topic_of(parent) in col.name):
                    parent = ""  # 其中：脱贫劳动力 under 农村劳动力 names a datum of its own
                if parent and _kind_of(fields.topic_of(key), fields.topic_of(parent)):
                    parent = ""  # 其中：能繁母猪 under 生猪存栏: a kind of the thing, counted on its own
                if (
                    parent
                    and re.search(r"\d+岁", key)
                    and re.search(r"(\d+岁|人口|老年人)", parent + " " + col.part_of)
                ):
                    # 其中：80岁及以上 under 60岁及以上 (or under 户籍人口): the age bracket names its own
                    # datum; under 退役军人 it stays a part (60岁以上的退役军人 are not the elderly).
                    parent = ""
                if not parent and _ENROLLED.match(fields.clean(col.name)):
                    # 纳入农村低保 on a 脱贫人口 form: the part of the form's population taken into the
                    # scheme, not the scheme's own count (低保人数).
                    parent = "纳入"
                whole = fields.canonical(fields.topic_of(parent) + key) if parent and parent != "纳入" else ""
                if whole and measure == "person" and _POPULATION.fullmatch(fields.topic_of(parent)):
                    whole = key  # 其中：少数民族 under 户籍人口: the part of the people at large is the group's people
                context = "".join(fields.split_unit(fields.clean(h))[0] for h in col.headers[:-1])
                found.append(_Field(position, col.index, key, parent, col.unit, measure, whole, context))
    return found


# A parent naming the village's people at large (户籍人口, 常住人口, 总人口): its parts are groups of their own.
_POPULATION = re.compile(r"(户籍|常住|农村|在册|全村|年末|总)*(人口)?")
_ENROLLED = re.compile(r"^(纳入|转入)(?!.*名录)")
# The scheme a form's title names (农机购置补贴, 耕地地力保护补贴, 养老保险, 医疗保险 / 医保): two columns
# named alike on forms of two schemes (已参保人数, 享受补贴农户) count different people.
_SCHEME = re.compile(r"(..)(?:保险|补贴|津贴)|(医保)")


_NAMES_SCHEME = re.compile(r"医保|医疗|养老|大病|工伤|失业|生育")
_OF_SCHEME = re.compile(r"参保|缴费|补贴|津贴|享受|领取|待遇|发放|保险")


# 大病保险 tops up the basic medical insurance: one scheme with 医保 / 医疗保险.
_SAME_SCHEME = {"医保": "医疗", "大病": "医疗", "基本医疗": "医疗"}


def _schemes(title: str) -> set[str]:
    found = {m.group(1) or "医保" for m in _SCHEME.finditer(fields.clean(title))}
    return {_SAME_SCHEME.get(s, s) for s in found}


def _schemes_apart(a: _Field, b: _Field, names: Sequence[str], titles: Sequence[str]) -> bool:
    """Whether the two forms' titles name different schemes and neither column names one."""
    if a.form >= len(titles) or b.form >= len(titles) or not all(_OF_SCHEME.search(n) for n in names):
        return False  # 户籍人口 is the village's, whatever scheme the form is about
    sa, sb = _schemes(titles[a.form]), _schemes(titles[b.form])
    if not sa or not sb or sa & sb:
        return False
    return not any(_NAMES_SCHEME.search(name) or any(w in name for w in sa | sb) for name in names)


def _kind_of(topic: str, whole: str) -> bool:
    """Whether `topic` names a kind of what `whole` names (能繁母猪 of 生猪: the same head character)."""
    return len(topic) > len(whole) >= 1 and topic[-1] == whole[-1]


def compatible(
    a_measure: str, a_unit: str | None, a_parent: str, b_measure: str, b_unit: str | None, b_parent: str
) -> float | None:
    """The unit factor a → b when the two can be the same datum, else None."""
    if not fields.same_measure(a_measure, b_measure):
        return None
    if a_parent != b_parent:
        return None
    return fields.unit_factor(a_unit, b_unit)


# County-wide, the same few (measure, unit, parent) triples meet hundreds of thousands of times.
_compatible = lru_cache(maxsize=4096)(compatible)


def overlaps(
    forms: Sequence[Sequence[Column]], *, titles: Sequence[str] = (), threshold: float = THRESHOLD
) -> list[Overlap]:
    """Pairs of data columns from different forms that collect the same datum, in (a, b) order.

    `titles` (one per form, optional) lets a column with a bare name take its topic from its form's
    title: 收购量 on a 烤烟种植收购情况 form is the 烤烟收购量 of another form.
    """
    items = _fields(forms)
    if len({f.form for f in items}) < 2:
        return []
    printed = {(p, col.index): fields.clean(col.name) for p, columns in enumerate(forms) for col in columns}
    raw = [f"{printed[(f.form, f.column)]} {f.context}" for f in items]
    # One matcher entry and one query per distinct name: county-wide, many fields share a name.
    keys = sorted({f.key for f in items})
    matcher = Matcher(Entry(code=str(n), name=k) for n, k in enumerate(keys))
    holders: dict[str, list[int]] = {}
    for i, f in enumerate(items):
        holders.setdefault(f.key, []).append(i)
    similar: dict[tuple[str, str], float] = {}
    for key in keys:
        for cand in matcher.match(key, limit=_LIMIT):
            similar[(key, keys[int(cand.code)])] = cand.score
    # Decide per pair of names (symmetric score, topics) before expanding to the columns holding them.
    scored: list[tuple[float, int, int, float]] = []
    for (ka, kb), forward in similar.items():
        if ka > kb:
            continue
        score = 1.0 if ka == kb else (forward + similar.get((kb, ka), 0.0)) / 2
        if score < threshold or not fields.topics_agree(ka, kb) or _qualifiers(ka) != _qualifiers(kb):
            continue  # 妇女创业担保贷款 is a part of 创业担保贷款: a group, a crop or an age makes another datum
        for i in holders[ka]:
            for j in holders[kb]:
                a, b = items[i], items[j]
                if a.form == b.form or (ka == kb and i >= j):
                    continue
                factor = _compatible(a.measure, a.unit, a.parent, b.measure, b.unit, b.parent)
                if factor is not None:
                    scored.append((score, i, j, factor) if i < j else (score, j, i, 1.0 / factor))
    # A "其中" column under one form's total is the same datum as another form's column naming the
    # total's topic and the part together (其中：分散供养 under 特困供养人数 ≡ 特困人员 / 分散供养).
    wholes: dict[str, list[int]] = {}
    for i, f in enumerate(items):
        if not f.parent:
            wholes.setdefault(f.key, []).append(i)
    for i, a in enumerate(items):
        for j in wholes.get(a.whole, []) if a.whole else []:
            b = items[j]
            factor = compatible(a.measure, a.unit, "", b.measure, b.unit, "") if a.form != b.form else None
            if factor is not None:
                scored.append((1.0, i, j, factor) if i < j else (1.0, j, i, 1.0 / factor))
    if titles:
        scored += _titled(items, [fields.canonical(t) for t in titles])
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    taken: set[tuple[int, int]] = set()  # (field, other form)
    chosen = []
    for score, i, j, factor in scored:
        a, b = items[i], items[j]
        if (i, b.form) in taken or (j, a.form) in taken:
            continue
        if titles and _schemes_apart(a, b, (raw[i], raw[j]), titles):
            continue
        taken.update({(i, b.form), (j, a.form)})
        chosen.append((score, i, j, factor))
    chosen += [
        found
        for found in _structural(items, taken, titles)
        if not (titles and _schemes_apart(items[found[1]], items[found[2]], (raw[found[1]], raw[found[2]]), titles))
    ]
    result = []
    for score, i, j, factor in chosen:
        a, b = items[i], items[j]
        if a.form > b.form:
            a, b, factor = b, a, fields.unit_factor(b.unit, a.unit) or 1.0
        result.append(Overlap((a.form, a.column), (b.form, b.column), round(score, 4), factor))
    result.sort(key=lambda o: (o.a, o.b))
    return result


# Score of a pair found through a form's title: below any pair of equal names, above the threshold.
TITLED_SCORE = 0.9
# A locative naming the form's own subject (站内队员 on a 微型消防站 form, 站 being the station) or a word
# saying the figure is the actual one (实际种植面积 on a 烤烟 form, against its 合同种植面积): no topic either.
_LOCATIVE = re.compile(r"^(?:[\u4e00-\u9fff]内|实际)(?=..)")
# Words every village form's title carries: a shared one says nothing about the topic.
# A negation or a modal (应参保, 未缴费, 计划, 新增) makes another datum: never part of a title's topic.
_NEGATED = re.compile("[未非不无没应拟]|新增|计划|合同|其他|其它")
_PLACE_WORDS = frozenset({"农村", "村级", "全村", "本村", "城乡", "乡村", "村民", "居民", "基层", "村组", "全县"})


def bare_topic(key: str) -> str:
    """The topic of a bare name (收购量, 站内队员 → 队员, 补助金额 → 补助), or "" when the name is specific.

    A bare name is a measure, a count or an action word of two or three characters that says nothing of
    what is measured: the form's title says it.
    """
    topic = fields.topic_of(_LOCATIVE.sub("", key))
    return topic if 2 <= len(topic) <= 3 else ""


# A title's lead words that name no topic: the county or township sending it, the year and the level
# (禄劝县2027年度, 农村, 村级). 乡 before 村 is 乡村 and a place needs two characters (城乡 is no place).
_TITLE_LEAD = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,10}?(?:县|镇|乡(?!村)))?(?:\d+年?度?)?"
    r"(?:农村|村级|全村|本村|城乡|乡村|村民|居民|基层|全县|县级|县|乡镇|村)*"
)


def title_carries(title: str, rest: str, *, head: bool) -> bool:
    """Whether a form's (canonical) title leads with `rest`: its first two or more characters (`head`) or all of it.

    The topic must be the one the title opens with (烤烟 of 烤烟种植收购情况, 纠纷 of 矛盾纠纷排查调处):
    a word further on (闲置 in 宅基地和闲置农房, 重点人群 in 家庭医生签约服务和重点人群) qualifies another part.
    """
    if _NEGATED.search(rest):
        return False  # 医保未缴费, 医保应参保: a negation or a modal is no topic
    lead = _TITLE_LEAD.sub("", title)
    if not head:
        return len(rest) >= 2 and lead.startswith(rest) and rest not in _PLACE_WORDS
    return any(lead.startswith(rest[:n]) and rest[:n] not in _PLACE_WORDS for n in range(len(rest), 1, -1))


def _titled(items: Sequence[_Field], titles: Sequence[str]) -> list[tuple[float, int, int, float]]:
    """Pairs of a bare name and a name that is the bare one plus a topic its form's title carries."""
    starts: dict[str, list[int]] = {}
    ends: dict[str, list[int]] = {}
    for j, f in enumerate(items):
        topic = fields.topic_of(f.key)
        for n in (2, 3):
            if len(topic) > n:
                starts.setdefault(topic[:n], []).append(j)
                ends.setdefault(topic[-n:], []).append(j)
    # A name other forms print on its own (党员, 宅基地, 脱贫户) is a datum of its own, not a bare measure.
    forms_of: dict[str, set[int]] = {}
    for f in items:
        forms_of.setdefault(f.key, set()).add(f.form)
    found = []
    for i, a in enumerate(items):
        alone = len(forms_of[a.key]) == 1 and not a.parent and a.form < len(titles)
        bare = bare_topic(a.key) if alone else ""
        if not bare:
            continue
        for head, index in ((True, ends), (False, starts)):
            for j in index.get(bare, []):
                b = items[j]
                if b.form == a.form or b.parent:
                    continue
                topic = fields.topic_of(b.key)
                rest = topic[: -len(bare)] if head else topic[len(bare) :]
                if not title_carries(titles[a.form], rest, head=head):
                    continue
                factor = _compatible(a.measure, a.unit, "", b.measure, b.unit, "")
                if factor is not None:
                    found.append((TITLED_SCORE, i, j, factor) if i < j else (TITLED_SCORE, j, i, 1.0 / factor))
    return found


# The structural tier: two columns left over by the rules above still collect one datum when, between
# their two forms, each is the other's best match (one-to-one), they count in the same measure, no
# qualifier tells them apart and what differs is only generic words or words of a title or a header
# (接待游客 on a 乡村旅游 form = 乡村旅游接待游客; 重点人群 > 吸毒人员 = 登记在册吸毒人员).
STRUCTURAL_THRESHOLD = 0.4
# Words that say nothing of the datum: totals, the village as a whole, registers, time.
_GENERIC = re.compile(
    r"总数|总计|合计|总额|总量|总|全村|本村|村级|村集体|辖区|登记在册|在册|累计|年末|年底|期末|本年|当年|全年|本期"
    r"|现有|共计|数量|个数|人数|户数|数|金额|情况|的|其中|流经|综合"
)
# Qualifiers that make another datum when only one side carries them (or each carries another one).
_QUALIFIERS = re.compile(
    r"劳动力|妇女|女性|男性|残疾|脱贫|低保|特困|监测|党员|老年|儿童|学生|青年|退役|军人|孤儿|留守|困境|外出|返乡"
    r"|应|未|拟|新增|计划|合同|减少|增加|新建|改造|危房|其他|其它|非"
    r"|猪|牛|羊|禽|鸡|鸭|鱼|蜂|茶|咖啡|核桃|烤烟|烟|玉米|水稻|稻|小麦|马铃薯|蔬菜|水果|果|甘蔗|花卉|中药材|林"
    r"|耕地|林地|草地|园地|宅基地|水田|旱地|公益|生态|集中|分散|城镇|城市|医保|医疗|养老|农业|工业"
    r"|\d+"
)


# A leading 登记 before people is the register (登记在册吸毒人员); before things it is another count
# (登记拖拉机: the police register, not the farm census); a trailing one is an act (出生登记), never dropped.
_REGISTERED = re.compile(r"^登记(?=.*(人|员|户))")


def _core(key: str) -> str:
    """What a name says once generic words and its measure words are dropped (测量 is checked apart)."""
    core = _GENERIC.sub("", _REGISTERED.sub("", key)) or key
    return fields.topic_of(core)


def _grams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)} or ({text} if text else set())


def _qualifiers(key: str) -> set[str]:
    return set(_QUALIFIERS.findall(key))


# An action in a header or a title makes a part of the datum (重点人群签约 > 脱贫人口 is not 脱贫人口).
_ACTION = re.compile(
    "保险|签约|参保|投保|缴费|救助|帮扶|培训|享受|领取|安置|就业|务工|服务|监测|排查|整治|改造|新建|接种|体检|管理|入住|出生|死亡"
)


def _residue_ok(a: str, b: str, a_says: str, b_says: str, *, stock: bool = False) -> bool:
    """Whether every stretch of `a` missing from `b` is generic or a word of `a_says` (and the reverse).

    A stretch replaced by another (临时救助 against 医疗救助, 出生人口 against 出生登记) is never generic.
    """
    if len(a) == len(b) >= 4 and a in b + b:
        return True  # an object and its action either way round: 村务公开 = 公开村务
    extra = [False, False]  # whether each side says something the other does not
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        for side, part in enumerate((a[i1:i2], b[j1:j2])):
            rest = _GENERIC.sub("", part)
            context = (a_says, b_says)[side]
            if side == 0 and rest == "存栏" and stock:
                continue  # a number of head is the stock unless it says otherwise (能繁母猪 = 能繁母猪存栏)
            if rest == "保险" and "参保" in a and "参保" in b:
                continue  # 种植业保险 > 承保面积 = 种植业投保面积: the insured of an insurance
            if rest and not (len(rest) >= 2 and rest in context and not _ACTION.search(rest)):
                return False
            extra[side] = extra[side] or bool(rest)
    return not all(extra)  # 排查隐患 against 纠纷排查: each side's own topic, two data


def _readings(f: _Field, cores: dict[str, str]) -> tuple[str, ...]:
    """A core as printed, and with its own header last (特色产业种植面积 > 核桃 reads 核桃特色产业种植)."""
    core = cores[f.key]
    context = fields.canonical(f.context) if f.context else ""
    if context and f.key.startswith(context) and len(f.key) > len(context):
        return core, _core(f.key[len(context) :] + context)
    return (core,)


def _bare(f: _Field, cores: dict[str, str]) -> str:
    """The core without the header printed above it, for similarity only (重点人群 > 吸毒人员 as 吸毒)."""
    context = fields.canonical(f.context) if f.context else ""
    rest = f.key[len(context) :] if context and f.key.startswith(context) else ""
    return _core(rest) if _GENERIC.sub("", rest) else cores[f.key]


def _topic_from(titles: Sequence[str], f: _Field, cores: dict[str, str]) -> str:
    """The title of `f`'s form, unless the title prints `f`'s own name (then its other words qualify others)."""
    title = titles[f.form] if f.form < len(titles) else ""
    return "" if cores[f.key] in title else title


def _structural(
    items: Sequence[_Field], taken: set[tuple[int, int]], titles: Sequence[str]
) -> list[tuple[float, int, int, float]]:
    """Pairs left over by the rules that are each other's best match between their two forms."""
    cores = {f.key: _core(f.key) for f in items}
    # Fields alike in name, header, measure and unit (county-wide, one name on many forms) are one kind:
    # similarity and best matches are computed once per kind, then read per field.
    kinds: dict[tuple[str, str, str, str | None], int] = {}
    kind_of = [kinds.setdefault((f.key, f.context, f.measure, f.unit), len(kinds)) for f in items]
    sample: dict[int, _Field] = {}
    for i, k in enumerate(kind_of):
        sample.setdefault(k, items[i])
    # Each name is read as printed, with its own header last and without it (重点人群 > 吸毒人员 as 吸毒):
    # the best reading counts.
    own = {k: {*_readings(f, cores), _bare(f, cores)} for k, f in sample.items()}
    strings = sorted({r for readings in own.values() for r in readings})
    number = {text: n for n, text in enumerate(strings)}
    df: dict[str, int] = {}
    for text in strings:
        for g in _grams(text):
            df[g] = df.get(g, 0) + 1
    weight = {g: math.log(1 + len(strings) / d) for g, d in df.items()}
    vectors = [{g: weight[g] for g in _grams(text)} for text in strings]
    norms = [math.sqrt(sum(w * w for w in v.values())) or 1.0 for v in vectors]
    postings: dict[str, list[int]] = {}
    for n, v in enumerate(vectors):
        for g in v:
            postings.setdefault(g, []).append(n)
    near: dict[int, dict[int, float]] = {}
    for n, v in enumerate(vectors):
        dots: dict[int, float] = {}
        for g, w in v.items():
            for m in postings[g]:
                dots[m] = dots.get(m, 0.0) + w * vectors[m][g]
        near[n] = {m: sim for m, dot in dots.items() if (sim := dot / (norms[n] * norms[m])) >= STRUCTURAL_THRESHOLD}
    by_string: dict[int, list[int]] = {}  # reading → kinds read so
    for k, readings in own.items():
        for r in readings:
            by_string.setdefault(number[r], []).append(k)
    where: dict[int, list[int]] = {}  # kind → its fields
    for i, k in enumerate(kind_of):
        where.setdefault(k, []).append(i)
    titled = [fields.clean(t) for t in titles]
    # kind_best[(kind, form)] = (similarity, field there, tie)
    kind_best: dict[tuple[int, int], tuple[float, int, bool]] = {}
    for k, a in sample.items():
        sims: dict[int, float] = {}
        for n in {number[r] for r in own[k]}:
            for m, sim in near[n].items():
                for other in by_string.get(m, ()):
                    if sim > sims.get(other, 0.0):
                        sims[other] = sim
        for other, sim in sims.items():
            b = sample[other]
            if _compatible(a.measure, a.unit, "", b.measure, b.unit, "") is None:
                continue  # only a column of the same measure can be the best match
            for j in where[other]:
                held = kind_best.get((k, items[j].form))
                if held is None or sim > held[0] + 1e-9:
                    kind_best[(k, items[j].form)] = (sim, j, False)
                elif abs(sim - held[0]) <= 1e-9 and held[1] != j:
                    kind_best[(k, items[j].form)] = (held[0], held[1], True)
    best: dict[tuple[int, int], tuple[float, int, bool]] = {}
    for (k, form), value in kind_best.items():
        for i in where[k]:
            if items[i].form != form:
                best[(i, form)] = value
    found = []
    for (i, _form), (sim, j, tie) in best.items():
        a, b = items[i], items[j]
        if tie or j < i or (i, b.form) in taken or (j, a.form) in taken:
            continue
        back = best.get((j, a.form))
        if back is None or back[1] != i or back[2]:
            continue  # not each other's best match
        if a.parent or b.parent or _qualifiers(a.key) != _qualifiers(b.key):
            continue
        # What one name says beyond the other may come from its own header or from the other form's
        # title (接待游客 on a 乡村旅游 form), never from its own form's title (资助参保 on a 资助参保 form).
        # A name its own title prints (宅基地 on a 闲置农房和宅基地 form) takes nothing more from that title.
        a_says = " ".join((a.context, _topic_from(titled, b, cores)))
        b_says = " ".join((b.context, _topic_from(titled, a, cores)))
        stock = a.measure == "head"
        if not any(
            _residue_ok(x, y, a_says, b_says, stock=stock) or _residue_ok(y, x, b_says, a_says, stock=stock)
            for x in _readings(a, cores)
            for y in _readings(b, cores)
        ):
            continue
        factor = _compatible(a.measure, a.unit, "", b.measure, b.unit, "")
        if factor is not None:
            found.append((round(sim, 4), i, j, factor))
    return found


@dataclass(frozen=True, slots=True)
class Known:
    """A dictionary element as the matcher sees it."""

    id: int
    name: str
    synonyms: tuple[str, ...]
    unit: str | None


@dataclass(frozen=True, slots=True)
class Proposal:
    element_id: int
    score: float
    unit_factor: float  # × a value in the element's unit = the column's unit


def propose(columns: Sequence[Column], known: Sequence[Known], *, threshold: float = THRESHOLD) -> dict[int, Proposal]:
    """For each data column (by index), the dictionary element that collects the same datum, if any."""
    if not known:
        return {}
    keys = {k.id: [field_key(n)[0] for n in (k.name, *k.synonyms)] for k in known}
    by_id = {k.id: k for k in known}
    matcher = Matcher(Entry(code=str(k.id), name=keys[k.id][0], aliases=tuple(keys[k.id][1:])) for k in known)
    found: dict[int, Proposal] = {}
    for col in columns:
        if not pairable(col) or col.part_of:
            continue
        key, _ = field_key(col.name)
        measure = fields.measure_of(col.name, col.unit)
        for cand in matcher.match(key, limit=10):
            element = by_id[int(cand.code)]
            exact = key in keys[element.id]
            if not exact and (cand.score < threshold or not any(fields.topics_agree(key, k) for k in keys[element.id])):
                continue
            factor = compatible(fields.measure_of(element.name, element.unit), element.unit, "", measure, col.unit, "")
            if factor is None:
                continue
            found[col.index] = Proposal(element.id, 1.0 if exact else cand.score, factor)
            break
    return found
