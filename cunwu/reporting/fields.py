"""Chinese form field names: units, roles, types and the datum a column collects (pure, no Django).

Department forms print a column as "其中：纳入低保人数（人）" or, under a two-level header,
"低保" / "金额（万元）". This module turns such headers into a datum: its name without the unit,
the unit and its dimension, whether it is a part ("其中") of another column, the column's role
(key, serial, signature or data) and the value type. `canonical()` spells synonyms one way so the
shared matcher compares like with like; `same_measure()` keeps 户, 人 and 人次 apart.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cunwu.matching import normalize

ELEMENT_TYPES = ("integer", "decimal", "percentage", "text", "date", "yesno", "choice")
ROLES = ("data", "key", "signature", "serial")

# unit → (dimension, factor to the dimension's base unit). 名 counts people like 人.
UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1.0),
    "千元": ("money", 1e3),
    "万元": ("money", 1e4),
    "亿元": ("money", 1e8),
    "平方米": ("area", 1.0),
    "㎡": ("area", 1.0),
    "m2": ("area", 1.0),
    "亩": ("area", 10000 / 15),
    "万亩": ("area", 1e4 * 10000 / 15),
    "公顷": ("area", 1e4),
    "平方公里": ("area", 1e6),
    "克": ("mass", 1e-3),
    "千克": ("mass", 1.0),
    "公斤": ("mass", 1.0),
    "kg": ("mass", 1.0),
    "斤": ("mass", 0.5),
    "吨": ("mass", 1e3),
    "担": ("mass", 50.0),  # 1 担 = 100 斤 = 50 公斤 (烟叶收购)
    "万吨": ("mass", 1e7),
    "米": ("length", 1.0),
    "公里": ("length", 1e3),
    "千米": ("length", 1e3),
    "km": ("length", 1e3),
    "立方米": ("volume", 1.0),
    "方": ("volume", 1.0),
    "万立方米": ("volume", 1e4),
    "升": ("volume", 1e-3),
    "人": ("person", 1.0),
    "名": ("person", 1.0),
    "万人": ("person", 1e4),
    "户": ("household", 1.0),
    "万户": ("household", 1e4),
    "人次": ("person_time", 1.0),
    "万人次": ("person_time", 1e4),
    "头": ("head", 1.0),
    "万头": ("head", 1e4),
    "只": ("head", 1.0),
    "头只": ("head", 1.0),  # 死亡畜禽（头只）: heads of stock and birds counted together
    "羽": ("head", 1.0),
    "万只": ("head", 1e4),
    "万羽": ("head", 1e4),
    "%": ("percent", 1.0),
    "‰": ("percent", 0.1),
    "个": ("count", 1.0),
    "所": ("count", 1.0),
    "家": ("count", 1.0),
    "处": ("count", 1.0),
    "座": ("count", 1.0),
    "间": ("count", 1.0),
    "套": ("count", 1.0),
    "台": ("count", 1.0),
    "辆": ("count", 1.0),
    "条": ("count", 1.0),
    "张": ("count", 1.0),
    "件": ("count", 1.0),
    "万件": ("count", 1e4),
    "枚": ("count", 1.0),
    "发": ("count", 1.0),
    "笔": ("count", 1.0),
    "万笔": ("count", 1e4),
    "艘": ("count", 1.0),
    "架": ("count", 1.0),
    "万台": ("count", 1e4),
    "根": ("count", 1.0),
    "箱": ("count", 1.0),
    "袋": ("count", 1.0),
    "篇": ("count", 1.0),
    "幢": ("count", 1.0),
    "起": ("count", 1.0),
    "次": ("count", 1.0),
    "场": ("count", 1.0),
    "场次": ("count", 1.0),
    "剂次": ("count", 1.0),
    "项": ("count", 1.0),
    "宗": ("count", 1.0),
    "期": ("count", 1.0),
    "批": ("count", 1.0),
    "批次": ("count", 1.0),
    "栋": ("count", 1.0),
    "眼": ("count", 1.0),
    "口": ("count", 1.0),
    "块": ("count", 1.0),
    "份": ("count", 1.0),
    "支": ("count", 1.0),
    "队": ("count", 1.0),
    "例": ("count", 1.0),
    "具": ("count", 1.0),
    "册": ("count", 1.0),
    "万册": ("count", 1e4),
    "顶": ("count", 1.0),
    "床": ("count", 1.0),
    "把": ("count", 1.0),
    "部": ("count", 1.0),
    "盏": ("count", 1.0),
    "本": ("count", 1.0),
    "户次": ("household_time", 1.0),
    "株": ("plant", 1.0),
    "万株": ("plant", 1e4),
    "棵": ("plant", 1.0),
    "万棵": ("plant", 1e4),
    "尾": ("head", 1.0),
    "万尾": ("head", 1e4),
    "千瓦": ("power", 1.0),
    "万千瓦": ("power", 1e4),
    # A transformer's capacity (apparent power) is never 千瓦 of real power.
    "千伏安": ("apparent_power", 1.0),
    "万千伏安": ("apparent_power", 1e4),
    "千瓦时": ("energy", 1.0),
    "万千瓦时": ("energy", 1e4),
    "岁": ("age", 1.0),
    "天": ("days", 1.0),
    "日": ("days", 1.0),
    "小时": ("hours", 1.0),
    "元/人": ("money_per_person", 1.0),
    "万元/人": ("money_per_person", 1e4),
    "元/亩": ("money_per_area", 1.0),
    "公斤/亩": ("yield", 1.0),
    # A rate per day is kept whole: 吨/日 is 1000 公斤/日, never a number of days.
    "吨/日": ("mass_per_day", 1e3),
    "吨/天": ("mass_per_day", 1e3),
    "公斤/日": ("mass_per_day", 1.0),
    "公斤/天": ("mass_per_day", 1.0),
    "千克/日": ("mass_per_day", 1.0),
    "立方米/日": ("volume_per_day", 1.0),
    "立方米/天": ("volume_per_day", 1.0),
    "千克/亩": ("yield", 1.0),
}
# Dimensions whose values are counts of things, typed integer.
_COUNTED = {"person", "household", "person_time", "household_time", "head", "count", "plant", "days"}
_UNIT_ALIASES = {
    "％": "%",
    "平米": "平方米",
    "㎡": "平方米",
    "m2": "平方米",
    "m²": "平方米",
    "平方千米": "平方公里",
    "km2": "平方公里",
    "km²": "平方公里",
    "立方": "立方米",
    "m3": "立方米",
    "m³": "立方米",
    "万方": "万立方米",
    "人/次": "人次",
    "元／人": "元/人",
}

_OPEN, _CLOSE = "（(【[〔", "）)】]〕"
_BRACKETED = re.compile(r"[（(【\[〔]([^（()）【】\[\]〔〕]*)[）)】\]〕]")
_UNIT_LABEL = re.compile(r"^(?:计量)?单位\s*[:：]?\s*")

SERIAL_WORDS = ("序号", "编号", "序", "栏次", "行次", "no", "no.", "排序")
KEY_WORDS = (
    "乡镇",
    "乡(镇)",
    "乡（镇）",
    "乡镇(街道)",
    "乡镇（街道）",
    "镇",
    "乡",
    "街道",
    "村名",
    "村委会",
    "村民委员会",
    "行政村",
    "村",
    "村(社区)",
    "村（社区）",
    "村社区",
    "村居",
    "村（居）委会",
    "村(居)委会",
    "村（居）",
    "村(居)",
    "社区",
    "村名称",
    "村委会名称",
    "行政村名称",
    "所属乡镇",
    "乡镇名称",
    "单位",
    "单位名称",
    "地区",
    "区划代码",
    "村代码",
    "村民小组",
    "村小组",
    "小组",
    "自然村",
    "组",
)
SIGNATURE_WORDS = (
    "填报人",
    "填表人",
    "统计人",
    "制表人",
    "经办人",
    "联系人",
    "联系电话",
    "电话",
    "手机",
    "手机号码",
    "联系方式",
    "审核人",
    "复核人",
    "负责人",
    "单位负责人",
    "统计负责人",
    "村负责人",
    "村委会负责人",
    "签字",
    "签名",
    "盖章",
    "签字盖章",
    "填报日期",
    "填表日期",
    "报送日期",
)
# Remarks are data in form but no datum anyone collects twice: never paired.
UNPAIRED_WORDS = ("备注", "说明", "其他", "其它", "情况说明", "备注说明")

# Words that say nothing about which datum a column is: dropped before comparing.
_FILLER = ("情况", "数量", "总数", "数", "(个)", "的", "共计")
# Synonyms as officials write them → one spelling, kept as data (`data/lexicon/form_fields.csv`:
# phrase, canonical, note; an empty canonical drops the phrase, one equal to the phrase keeps it whole). Applied longest first.
FORM_LEXICON = Path(__file__).resolve().parents[2] / "data" / "lexicon" / "form_fields.csv"


def load_synonyms(path: Path = FORM_LEXICON) -> dict[str, str]:
    """Phrase → canonical spelling from the form-field lexicon (first row of a phrase wins)."""
    with path.open(encoding="utf-8", newline="") as handle:
        found: dict[str, str] = {}
        for row in csv.DictReader(handle):
            phrase = "".join(row["phrase"].split())
            if phrase and phrase not in found:
                found[phrase] = "".join((row["canonical"] or "").split())
        return found


SYNONYMS: dict[str, str] = load_synonyms()
_SYNONYM_KEYS = sorted(SYNONYMS, key=len, reverse=True)
_SYNONYM_RE = re.compile("|".join(re.escape(k) for k in _SYNONYM_KEYS))

# Sub-headers that name only a measure: under a two-level header the top names the datum.
GENERIC_SUBHEADERS = (
    "户数",
    "人数",
    "人次",
    "人口",
    "人口数",
    "人员",
    "人员数",
    "金额",
    "支出",
    "收入",
    "资金",
    "面积",
    "数量",
    "产量",
    "个数",
    "数",
    "小计",
    "合计",
    "总计",
    "总数",
    "男",
    "女",
    "户",
    "人",
    "万元",
    "元",
    "比例",
    "占比",
    "增长",
    "增减",
    "存栏",
    "出栏",
    "本期",
    "上期",
    "计划",
    "完成",
    "已完成",
    "标准",
)
_TOTAL_PREFIX = re.compile(r"^(合计|总计|小计)[:：]?")
_PART_PREFIX = re.compile(r"^(其中|内含|含)[:：]?\s*")


@dataclass(frozen=True, slots=True)
class Datum:
    """What one column collects, as read from its headers."""

    name: str
    unit: str | None
    part_of: str  # the datum this column is a part of ("其中"), or ""


def clean(text: str) -> str:
    """Header text on one line, full-width spaces and line breaks removed."""
    return re.sub(r"\s+", "", str(text).replace("\u3000", " ")).strip()


def unit_of(text: str) -> str | None:
    """The unit if `text` is a unit (bracketed or not, '单位：万元' included), else None."""
    raw = _UNIT_LABEL.sub("", clean(text)).strip(_OPEN + _CLOSE)
    raw = _UNIT_ALIASES.get(raw, raw)
    raw = raw.replace("／", "/")
    return raw if raw in UNITS else None


def unit_row(texts: Sequence[str]) -> bool:
    """A row of units under the headers (亩, 吨, —): most cells are units, so one unit this
    table does not know (a short word beside known units) does not make the row unread."""
    filled = [t for t in texts if t and t not in {"—", "-", "/", "－"}]
    known = sum(1 for t in filled if unit_of(t))
    if not known:
        return False
    unknown = [t for t in filled if not unit_of(t)]
    short = all(len(_UNIT_LABEL.sub("", t).strip(_OPEN + _CLOSE)) <= 4 and not re.search(r"\d", t) for t in unknown)
    return short and (not unknown or (known >= 2 and known >= 3 * len(unknown)))


def split_unit(text: str) -> tuple[str, str | None]:
    """("低保金额", "万元") from "低保金额（万元）"; "（单位：人）" and "/户" suffixes too."""
    text = clean(text)
    if unit_of(text):
        return "", unit_of(text)  # a unit row cell: 亩, （万元）
    unit: str | None = None
    kept: list[str] = []
    pos = 0
    for found in _BRACKETED.finditer(text):
        inner = found.group(1)
        candidate = unit_of(inner)
        kept.append(text[pos : found.start()])
        if candidate is not None:
            unit = unit or candidate
        elif not _is_hint(inner):
            kept.append(found.group(0))
        pos = found.end()
    kept.append(text[pos:])
    name = "".join(kept)
    if unit is None:
        tail = re.search(r"[/／]([^/／]{1,4})$", name)
        if tail and unit_of(tail.group(1)):
            unit, name = unit_of(tail.group(1)), name[: tail.start()]
        else:
            label = re.search(r"单位[:：](.+)$", name)
            if label and unit_of(label.group(1)):
                unit, name = unit_of(label.group(1)), name[: label.start()]
    return name.strip(" :：,，、"), unit


_HINTS = re.compile(
    r"^(是/否|是或否|是否|填是或否|填写是或否|yyyy|YYYY|年/月/日|年月日|\d{4}[-.年/]|选填|必填|可多选|单选|多选)"
)


def _is_hint(inner: str) -> bool:
    """Bracketed filling hints such as (是/否) or (YYYY-MM-DD) are not part of a name."""
    return bool(_HINTS.search(inner))


def type_hint(text: str) -> str | None:
    """A type printed in the header itself: (是/否) → yesno, (YYYY-MM-DD) → date."""
    for inner in _BRACKETED.findall(clean(text)):
        if re.match(r"^(是/否|是或否|填是或否|填写是或否)", inner):
            return "yesno"
        if re.match(r"^(yyyy|YYYY|年/月/日|年月日|\d{4}[-.年/])", inner):
            return "date"
        if re.match(r"^(单选|多选|可多选)", inner):
            return "choice"
    return None


def role_of(headers: Sequence[str], position: int) -> str:
    """serial, key, signature or data, from the header words (position: 0-based column)."""
    words = [split_unit(h)[0].lower() for h in headers if clean(h)]
    last = words[-1] if words else ""
    if last in SERIAL_WORDS or (position == 0 and last in {"编号", "序"}):
        return "serial"
    if any(w in SIGNATURE_WORDS for w in words) or _SIGNED.search(last):
        return "signature"  # 村级田长（签字）, 村委会（盖章）: who signs or seals the row
    counted = any(split_unit(h)[1] for h in headers)  # 卫生院（个）, 工作人员（人） are data
    if last in KEY_WORDS or re.fullmatch(r"(所属)?(乡镇|村|村委会|行政村|社区)(名称|名)?", last):
        # 自然村（个）, 村民小组（个）: a place counted in a unit is a number of places, a datum.
        return "data" if counted and last in _COUNTABLE_PLACES else "key"
    if last and not counted and _KEY_NAME.fullmatch(_BRACKETED.sub("", last)):
        return "key"
    if not counted and _PLACE_OF.fullmatch(_BRACKETED.sub("", last)):
        return "key"  # 作业点所在村, 回收网点所在村: the place the row is about
    if not counted and _ONE_POST.search(_BRACKETED.sub("", last)):
        return "signature"  # 灾害信息员, 民政协理员, 烟技员, 户籍民警: the one person in post, not a count
    if _RESPONSIBLE.fullmatch(last) and not counted:
        return "signature"  # 征收人员, 民警: who is responsible for the row, not a datum collected
    if not counted and (_POST.fullmatch(_BRACKETED.sub("", last)) or _SIGNED.search(last)):
        return "signature"  # 分管领导, 驻村队长, 村（组）负责人, 乡镇党委书记（签字）: a person, not a datum
    return "data"


_COUNTABLE_PLACES = frozenset({"自然村", "村民小组", "村小组", "小组", "组", "社区", "行政村"})
# A key column names the place or the organisation a row is about: 村（社区）名称, 户籍所在村, 派出所,
# 乡镇卫生院, 村团支部 (each organisation stands for the place it serves).
_KEY_NAME = re.compile(
    r"(所属|户籍所在|所在)?(乡镇|乡|镇|村|村委会|行政村|社区|街道)?"
    r"(名称|名|派出所|卫生院|卫生室|团委|团支部|党委|党支部|党总支|司法所|财政所|武装部|服务站|烟站)?"
    # Any "…名称" (村级服务站名称, 村党组织名称) and a 建制村 / 自然村 name the row's place too.
    r"|[\w“”\"]{1,12}名称|建制村|自然村"
    # Where a resettled household lives (安置社区, 集中安置点): a place.
    r"|[\w]{0,4}安置(社区|点|区|小区)"
    # An organisation serving the place (基层供销社, 村级综合服务社, 供电所) stands for it too.
    r"|[\w]{0,6}(供电所|供销社|服务社|信用社|营业所)"
)
# A post or a person in charge (分管领导, 驻村队长, 村委会主任, 村民小组长, 专武干部, 站长, 排查人),
# printed with no unit and no 人数/数 measure word: the person who answers for the row, a signature.
_POST = re.compile(
    r"[\w“”\"]{0,10}(领导|队长|组长|主任|站长|所长|书记|干部|负责人|主席|田长|河长|林长|路长"
    r"|(排查|审核|填表|填报|经办|核查|调查|包保|联系|核损)人员?)"
    # The village's own officer (村级协保员, 村报账员): one person named by post, not a number of staff.
    r"|村级?[\w]{1,4}员"
)
# A one-person post by its suffix (灾害信息员, 社会救助协理员, 农机管理员, 烟技员, 文化专管员, 户籍民警,
# 计生专干). Posts held by many (护林员, 网格员, 队员) are left to the unit and the measure words.
_ONE_POST = re.compile(r"(管理员|协理员|协管员|信息员|联络员|技术员|技员|专管员|指导员|辅导员|专干|民警)$")
_PLACE_OF = re.compile(r"[\w]{0,8}所在(乡镇|村|村委会|社区|行政村|地|乡|镇)(名称)?")
_SIGNED = re.compile(r"(签字|签名|签章|盖章)[)）]?$")
# A bare person-in-charge column (a short task word and 人员/民警/干部/医生), printed without a unit.
_RESPONSIBLE = re.compile(r"(征收|征缴|经办|责任|包村|驻村|包片|社区)(人员|民警|干部|医生|专干)|民警|责任人")


# An organisation the row is about (烟叶站（点）, 乡镇工会, 供电所): a key when printed with no unit
# among the leading place columns.
_ORGANISATION = re.compile(r"[\w]{0,8}(站|站点|网点|所|工会|团委|妇联|社|院|室|中心|委会|支部|总支|党委)")


def one_post(headers: Sequence[str]) -> bool:
    """A header naming a one-person post by its suffix (灾害信息员, 户籍民警)."""
    last = clean(headers[-1]) if headers else ""
    return bool(last) and bool(_ONE_POST.search(_BRACKETED.sub("", last)))


# A post by its shape (民兵连长, 征收员, 台区经理, 残疾人专职委员, 村级公示人): a person's title with no
# unit and no measure word. Read as a signature only when the column holds no numbers (formfiles).
_POST_SHAPE = re.compile(
    r"[\w“”\"]{1,10}(长|员|经理|委员)"
    r"|[\w“”\"]{0,6}(公示|填报|联系|审核|审批|核实|经办|管护|监督|记录|统计|申报|报送|验收)人"
)
# Titles that name members or a change, not one person in post (党员, 队员, 人员, 增长).
_NOT_POST = re.compile(r"(党|团|会|成|人|学|社|队|动|职|演|船|乘|雇)员$|(增|延|生|成|家|增加|减)长$")


def post_shaped(headers: Sequence[str]) -> bool:
    """A header shaped like a post (…长, …员, …经理, …委员, 公示人) printed with no unit or measure word."""
    if not headers or any(split_unit(h)[1] or type_hint(h) for h in headers):
        return False
    last = _BRACKETED.sub("", clean(headers[-1]))
    return bool(last) and bool(_POST_SHAPE.fullmatch(last)) and not _NOT_POST.search(last)


def organisation_key(headers: Sequence[str]) -> bool:
    """An organisation named with no unit: in the leading place columns it is a key, not a datum."""
    last = clean(headers[-1]) if headers else ""
    if not last or any(split_unit(h)[1] or type_hint(h) for h in headers):
        return False
    return bool(_ORGANISATION.fullmatch(_BRACKETED.sub("", last)))


def datum_of(headers: Sequence[str], *, parent: str = "", table_unit: str | None = None) -> Datum:
    """The datum of a column from its headers, top first; `parent` is the datum a 其中 column splits.

    Under a two-level header a generic sub-header (户数, 金额（万元）, 小计) takes its name from
    the top; a specific one (脱贫户数) stands alone, the top being only a section title.
    """
    pieces = [split_unit(h) for h in headers if clean(h)]
    pieces = [p for i, p in enumerate(pieces) if i == 0 or p != pieces[i - 1]]
    unit = next((u for _, u in reversed(pieces) if u), None) or table_unit
    names = [n for n, _ in pieces if n]
    if not names:
        return Datum("", unit, "")
    name = names[-1]
    part_of = ""
    for upper in reversed(names[:-1]):
        if _PART_PREFIX.match(upper) and not _PART_PREFIX.sub("", upper):
            # A "其中" band over sub-columns: each is a part of the column before the band.
            part_of = parent
            continue
        if _OBSERVED.fullmatch(upper) and _HEADCOUNT.fullmatch(_TOTAL_PREFIX.sub("", name)):
            break  # 汇总农户 / 人口: the unit of observation is the village's whole population, so 人口 alone
        measure = _MEASURE_HEADER.fullmatch(upper)
        if measure and not _generic(name):
            # 地类面积（公顷） / 耕地 = 耕地面积: the top names only the measure of the types below.
            name = name if name.endswith(measure.group(1)) else name + measure.group(1)
        elif _generic(name):
            joined = _TOTAL_PREFIX.sub("", name)
            joined = "" if joined in {"小计", "合计", "总计"} else joined
            name = upper + joined if not upper.endswith(joined) else upper
        elif (over := _MEASURE_TAIL.search(upper)) and len(name) <= 6 and not _MEASURE_SUFFIX.search(name):
            # 特色产业种植面积 / 蔬菜 = 蔬菜种植面积: a measure over types names each type's measure.
            name = name + over.group(0)
        elif not _SECTION.search(upper) and upper not in name and len(name) <= 6:
            name = upper + name  # 特困人员 / 集中供养; 城乡低保 / 保障户数
        break
    if _PART_PREFIX.match(name):
        name = _PART_PREFIX.sub("", name)
        part_of = part_of or parent
    name = _TOTAL_PREFIX.sub("", name) or name
    if unit and _DAILY.match(name) and f"{unit}/日" in UNITS:
        unit = f"{unit}/日"  # 日均清运量（公斤） is a rate: 公斤/日, comparable with 吨/日
    return Datum(name, unit, part_of)


_DAILY = re.compile(r"^(日均|每日|平均每日|日)")


# A top header naming only a measure (地类面积, 各类人数): its sub-headers name the types measured.
_MEASURE_HEADER = re.compile(r"(?:地类|各类|分类|类别|按类型分?)?(面积|数量|人数|户数|金额|产量)")
# The measure a top header prints over bare types (特色产业种植面积, 农作物受灾面积): its verb and measure word.
_MEASURE_TAIL = re.compile(r"(?<=.)(种植|播种|受灾|成灾|绝收|收获|实有|年末)(面积|产量)$")
_SECTION = re.compile(r"(情况|信息|概况|指标|项目|内容|分类|基本|其中|合计|结构|构成|主体|类型|种类|设施|设备)$")
# A top header naming the unit of observation (汇总农户, 全村, 户籍): the measures below are the village's totals.
_HEADCOUNT = re.compile(r"总?(户数|户|人口|人口数|人数|人|劳动力|劳动力数|劳动力人数)")
_OBSERVED = re.compile(r"(汇总|全部|全体|所有)?(农户|全村|本村|辖区|户籍|全村农户|本村农户|农村住户|住户)")


# A sub-header's time qualifier (全年支出, 累计人数) does not make it name a datum of its own.
_WHEN = re.compile(r"^(全年|本年|本期|当年|当月|本月|累计|年度|年末|期末)")


def _generic(name: str) -> bool:
    bare = _TOTAL_PREFIX.sub("", name)
    return (
        name in GENERIC_SUBHEADERS
        or bare in GENERIC_SUBHEADERS
        or bare == ""
        or _WHEN.sub("", bare) in GENERIC_SUBHEADERS
    )


_LAND_AREA = re.compile(r"(?<=.)地$")
# Rewrites applied after the synonyms, in order, until nothing changes (why each holds, beside it).
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_LAND_AREA if pattern == _LAND_AREA.pattern else re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"户人(数|口)", "人"),  # people of X households are X people (脱贫户人数 = 脱贫人口)
        (r"总(收入|产量|面积|人数|支出)", r"\1"),  # 总收入 is the 收入
        (r"^(户数|总户)$", "户籍户"),  # a village form's bare 户数 (全村户数) is its 总户数
        (r"^人口$", "户籍人"),  # and its bare 人口 its 总人口
        (r"^(男|女)性?(.{2,})$", r"\2\1"),  # 男性劳动力 = 劳动力 / 男 (a two-level header reads 劳动力男)
        (r"人(数|口|员|员数)$", "人"),
        (r"(群众|村民)(人数)?$", "人"),  # 受威胁群众 = 威胁人数: the people a count is of
        (r"外出务工$", "外出务工人"),
        (
            r"^(外出务工|转移就业|返乡)农民工$",
            r"\1人",
        ),  # 转移就业农民工 are the people 转移就业 counts  # a count of 外出务工 counts people
        (r"户户数?$", "户"),
        (r"人户数?$", "户"),  # 脱贫人口 / 户数: the households of 脱贫人口 = 脱贫户
        (r"^外出务工(.+?)劳动力$", r"\1外出务工人"),  # 外出务工脱贫劳动力 = 脱贫劳动力外出务工人数
        (r"(力|员|者|童|妇|干部|人)人$", r"\1"),  # nouns counting people need no 人数 (劳动力人数, 干部人数)
        (r"(?<=.)地$", "地面积"),  # a land type alone is its area: 耕地（亩） = 耕地面积（亩）
        (r"(\d+)周?岁(?:及|或)?以上", r"\1岁以上"),  # 65周岁及以上 = 65岁以上 (the number stays)
        (r"年满(\d+)周?岁(?!以)", r"\1岁以上"),  # 年满65周岁 = 65岁以上: everyone who has reached the age
        (r"^(\d+岁以上)(常住|户籍|农村)?(老年人|老人)$", r"\1"),  # 65岁以上常住老年人 = 65岁以上
        (r"^(\d+岁以上)(老年人|老人|人)$", r"\1"),  # 60岁以上 on a population form counts the elderly
        (r"参加(.{0,12}?(?:保险|医保))", r"\1参保"),  # 参加城乡居民养老保险人数 = 养老保险参保人数
        (r"(.)支出$", r"\1金额"),  # an outlay is an amount
        (r"^享受", ""),  # 享受护理补贴人数 counts who gets it: 享受 says nothing
        (r"已(参保|缴费|签约|接种|参加|发放)", r"\1"),  # 已参保 = 参保 (应参保 keeps its 应)
        (r"(参保|缴费|签约)$", r"\1人"),  # a bare 参保 column counts the people insured
        (r"(..)\1", r"\1"),  # 建档立卡脱贫户 → 脱贫脱贫户 → 脱贫户
    )
)


# Dimensions counted in pieces (个, 处, 宗, 座…): 隐患点个数, 宅基地宗数, 微型消防站站数 all count the thing named.
_COUNT_SUFFIX = re.compile(
    r"(?:(?<=(.))\1|个|处|宗|座|家|所|间|套|台|辆|条|张|件|项|期|批|栋|眼|口|块|份|支|队|例|具|顶|床|盏)?"
    r"(?:数量|总数|个数|数)$"
)
# A trailing bracket that is no unit and holds no number explains the name (应急广播（大喇叭）, 收集池（房、箱）).
_EXPLAINED = re.compile(r"^(.{2,}?)[（(][^（()）0-9０-９]{1,8}[）)]$")
# A rate per day says "per day" in its unit: 日均清运量 (公斤/日) = 日收运处理量 (吨/日) = 清运量.
_PER_DAY_WORDS = re.compile(r"(平均每日|日均|每日|每天|日)(?=[\u4e00-\u9fff]{1,6}量$)")


@lru_cache(maxsize=8192)
def canonical(name: str, measure: str = "") -> str:
    """The name with synonyms spelled one way and filler dropped, for comparing across forms.

    `measure` (a dimension of `measure_of`) lets a count drop its count words (宅基地宗数 = 宅基地
    counted in 宗) and a rate per day its day words; without it names are read alone.
    """
    explained = _EXPLAINED.match(clean(name))
    name = explained.group(1) if explained else name
    # 列入中国传统村落名录 = 中国传统村落: being listed is being one.
    name = re.sub(r"^(列入|入选|纳入)(.{2,}?)名录$", r"\2", clean(name))
    if measure == "household" and re.fullmatch(r"(全村|总)?农户(总数|数|总)?", name):
        name = "户籍户数"  # a village's bare 农户 counted in 户 is its registered households
    if measure == "count":
        name = _COUNT_SUFFIX.sub("", clean(name)) or name
    elif measure.endswith("_per_day"):
        name = _PER_DAY_WORDS.sub("", clean(name))
    # 脱贫人口务工就业人数: the people of 脱贫人口 who 务工 = 脱贫劳动力转移就业 (人口 only qualifies).
    text = re.sub(r"(?<=.)人口(?=.{2,}人数$)", "", name)
    # An age bracket is spelled 60至79岁 whatever joins its numbers (60-79岁, 60～79岁, 60到79岁).
    text = normalize(re.sub(r"(\d+)\s*(?:至|到|~|～|—|－|-)\s*(\d+)", r"\1至\2", text))
    for _ in range(4):  # 最低生活保障对象 → 低保对象 → 低保
        before = text
        text = _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], text)
        for pattern, replacement in _REWRITES:
            if measure == "count" and pattern is _LAND_AREA:
                continue  # 宅基地（宗） counts plots, it is no area
            text = pattern.sub(replacement, text)
        for word in _FILLER:
            if text.endswith(word) and len(text) > len(word) + 1:
                text = text[: -len(word)]
        if text == before:
            break
    return text


_MEASURE_SUFFIX = re.compile(
    r"(面积|人数|户数|人次|人口|人|户|数量|数|金额|收入|产量|存栏|出栏|率|个数|资金|支出|(?<=..)量)+$"
)


def topic_of(key: str) -> str:
    """A canonical name without its measure words: 耕地 of 耕地面积, 低保 of 低保人."""
    return _MEASURE_SUFFIX.sub("", key) or key


_AGE_ONLY = re.compile(r"\d+(岁以上|至\d+岁|岁以下)")
# Words that leave an age bracket counting the village's people at large (60岁以上户籍人口 = 60岁以上).
_PEOPLE_AT_LARGE = re.compile(r"(户籍|常住|农村|在册|全村)*(老年人|老人|人员|居民|群众|人口|人)?")


def topics_agree(a: str, b: str) -> bool:
    """Whether two canonical names speak of the same thing (耕地面积 vs 林地面积 do not)."""
    if re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False  # 60岁以上 is not 80岁以上: numbers in a name are never near enough
    ta, tb = topic_of(a), topic_of(b)
    if ta == tb:
        return True
    if len(ta) == len(tb) >= 4 and tb in ta + ta and any(ta == tb[n:] + tb[:n] for n in range(2, len(tb) - 1)):
        return True  # an object and its action either way round: 纠纷排查 = 排查纠纷, 纠纷化解 = 化解纠纷
    for age, other in ((ta, tb), (tb, ta)):
        rest = other.replace(age, "", 1) if _AGE_ONLY.fullmatch(age) else ""
        if rest and not _PEOPLE_AT_LARGE.fullmatch(rest):
            return False  # 60岁以上 (the elderly) is not 60岁以上党员: a group beside the age is another datum
    grams_a = {ta[i : i + 2] for i in range(len(ta) - 1)} or {ta}
    grams_b = {tb[i : i + 2] for i in range(len(tb) - 1)} or {tb}
    return len(grams_a & grams_b) / len(grams_a | grams_b) > 0.6


def measure_of(name: str, unit: str | None) -> str:
    """The dimension a column counts in: from its unit, else from the name's last measure word."""
    if unit:
        return UNITS[unit][0]
    bare = clean(name)
    ordered = (
        ("人次", "person_time"),
        ("户数", "household"),
        ("户", "household"),
        ("人数", "person"),
        ("人口", "person"),
        ("人", "person"),
        ("面积", "area"),
        ("金额", "money"),
        ("余额", "money"),
        ("收入", "money"),
        ("资金", "money"),
        ("支出", "money"),
        ("产量", "mass"),
        ("件数", "count"),  # 纠纷件数, 案件: counted in 件 like any count
        ("个数", "count"),
        ("纠纷", "count"),
        ("案件", "count"),
        ("率", "percent"),
        ("比例", "percent"),
        ("占比", "percent"),
    )
    best = ("", -1)
    for word, dim in ordered:
        at = bare.rfind(word)
        if at > best[1] or (at == best[1] and at >= 0 and len(word) > 1):
            best = (dim, at)
    if not best[0] and re.search(r"[金费]$", bare):
        return "money"  # 保障金, 养老金, 管护费: an amount of money
    if not best[0] and re.search(r"(劳动力|员)$", bare):
        return "person"  # 脱贫劳动力, 生态护林员, 网格员 count people
    return best[0]


def same_measure(a: str, b: str) -> bool:
    """户, 人 and 人次 are never the same datum; an unknown dimension on one side does not decide."""
    return not a or not b or a == b


def unit_factor(a: str | None, b: str | None) -> float | None:
    """× a value in unit `a` gives unit `b`; 1 when either is missing; None when not convertible."""
    if not a or not b or a == b:
        return 1.0
    (dim_a, fa), (dim_b, fb) = UNITS[a], UNITS[b]
    if dim_a != dim_b:
        return None
    factor = fa / fb
    return float(f"{factor:.6g}")


def infer_type(name: str, unit: str | None, samples: Sequence[object], hint: str | None = None) -> str:
    """One of ELEMENT_TYPES from the header's words, its unit and up to a few hundred sample values."""
    if hint:
        return hint
    bare = clean(name)
    if unit in {"%", "‰"} or re.search(r"(率|比例|占比|比重)$", bare):
        return "percentage"
    if bare.startswith("是否") or re.search(r"(是否|有无)", bare):
        return "yesno"
    if re.search(r"(日期|时间|年月|出生年月|截止日)$", bare):
        return "date"
    values = [v for v in samples if v is not None and str(v).strip() != ""]
    kinds = {_value_kind(v) for v in values}
    if values and kinds <= {"date"}:
        return "date"
    if values and kinds <= {"yesno"}:
        return "yesno"
    if re.search(r"(类型|类别|等级|性别|方式|状态|级别|属性|种类)$", bare):
        return "choice"
    if unit:
        dim = UNITS[unit][0]
        if dim in _COUNTED and not (kinds & {"decimal"}):
            return "integer"
        if dim == "percent":
            return "percentage"
        return "decimal"
    if re.search(r"(名称|姓名|地址|备注|说明|情况|内容|措施|原因|问题|名单)$", bare):
        return "text"
    if values and kinds <= {"integer"}:
        return "integer"
    if values and kinds <= {"integer", "decimal"}:
        return "decimal"
    if re.search(r"(人数|户数|人次|个数|数量|次数|头数|[户人个所处座间]数)$", bare) or bare.endswith("数"):
        return "integer"
    if re.search(r"(金额|收入|支出|资金|面积|产量|产值|投资|补助|价格|长度|里程)$", bare):
        return "decimal"
    if values and len({str(v) for v in values}) <= 5 and len(values) >= 6 and kinds <= {"text"}:
        return "choice"
    return "text"


def _value_kind(value: object) -> str:
    if hasattr(value, "year") and hasattr(value, "month"):
        return "date"
    if isinstance(value, bool):
        return "yesno"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "decimal"
    text = str(value).strip()
    if text in {"是", "否", "有", "无", "√", "×"}:
        return "yesno"
    if re.fullmatch(r"-?\d+", text.replace(",", "")):
        return "integer"
    if re.fullmatch(r"-?\d+\.\d+%?|\d+%", text.replace(",", "")):
        return "decimal"
    if re.fullmatch(r"\d{4}[-./年]\d{1,2}([-./月]\d{1,2}日?)?", text):
        return "date"
    return "text"
