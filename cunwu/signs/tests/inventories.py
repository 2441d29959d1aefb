"""A labelled set of realistic village and community inventories （九）（十）.

Each case: a name, the level (village or community), the plates as written — `{v}` is the village's
own short name, `{county}` and `{township}` its county and township — and the expected findings as
(index, problem, catalog code or None), and the catalog codes expected to be missing (None: not
checked). Written from plates seen on village offices before clean-ups: place names everywhere,
party plates in full or short form, community wording, bilingual plates, awards, look-alikes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    level: str
    plates: tuple[tuple[str, str], ...]
    findings: tuple[tuple[int, str, str | None], ...]
    missing: tuple[str, ...] | None = None


ALL_CODES = ("S01", "S02", "S03", "S04", "S05", "S06", "S07", "S08", "S09", "S10")

CASES = (
    Case(
        "the nine plates of the browser journey: two outside the catalog, one at the wrong place",
        "village",
        (
            ("{v}村党群服务中心", "exterior_mark"),
            ("{v}村新时代文明实践站", "exterior_mark"),
            ("{v}村便民服务站", "exterior_mark"),
            ("中国共产党{county}{township}{v}村支部委员会", "gate"),
            ("{v}村民委员会", "gate"),
            ("{v}村务监督委员会", "interior"),
            ("{v}村综治中心", "gate"),
            ("{v}村禁毒工作站", "interior"),
            ("党员活动室", "interior"),
        ),
        ((5, "wrong_placement", "S06"), (6, "not_in_catalog", None), (7, "not_in_catalog", None)),
        ("S07", "S08", "S09"),
    ),
    Case(
        "a tidy village after the clean-up: every plate where （十） puts it",
        "village",
        (
            ("{v}村党群服务中心", "exterior_mark"),
            ("{v}村新时代文明实践站", "exterior_mark"),
            ("{v}村便民服务站", "exterior_mark"),
            ("中共{v}村总支部委员会", "gate"),
            ("{v}村民委员会", "gate"),
            ("{v}村务监督委员会", "gate"),
            ("{v}村股份经济合作社", "gate"),
            ("村级综合服务中心", "interior"),
            ("服务指南", "interior"),
            ("党员活动室", "interior"),
            ("村民议事室", "interior"),
            ("农家书屋", "interior"),
            ("人民调解室", "interior"),
            ("卫生室", "interior"),
        ),
        (),
        (),
    ),
    Case(
        "the organisations' own names as plates: stripping them must not leave nothing",
        "village",
        (
            ("中共{v}村支部委员会", "gate"),
            ("{v}村民委员会", "gate"),
            ("{v}村务监督委员会", "gate"),
            ("{v}村股份经济合作社", "gate"),
        ),
        (),
        ("S01", "S02", "S03", "S08", "S09", "S10"),
    ),
    Case(
        "a community in its own wording (社区党委, 居民委员会, 居务监督委员会)",
        "community",
        (
            ("{v}社区党群服务中心", "exterior_mark"),
            ("{v}社区新时代文明实践站", "exterior_mark"),
            ("{v}社区便民服务中心", "exterior_mark"),
            ("{v}社区党委", "gate"),
            ("{v}社区居民委员会", "gate"),
            ("{v}社区居务监督委员会", "gate"),
            ("{v}社区综合服务站", "interior"),
            ("居民议事室", "interior"),
        ),
        (),
        ("S07", "S09"),
    ),
    Case(
        "a community party committee in full, and a 居委会 plate inside as well",
        "community",
        (
            ("中国共产党{county}{township}{v}社区委员会", "gate"),
            ("中共{v}社区委员会", "gate"),
            ("{v}社区居委会", "gate"),
            ("{v}社区居民委员会", "interior"),
        ),
        ((1, "duplicate", "S04"), (3, "wrong_placement", "S05"), (3, "duplicate", "S05")),
    ),
    Case(
        "bilingual plates: Chinese with 傣文 and with 彝文 match on their Chinese part",
        "village",
        (
            ("{v}村党群服务中心 ᦂᦱᧃᦡᦲᧃ", "exterior_mark"),
            ("ꀉꂿꃅꌠ {v}村民委员会", "gate"),
            ("{v}村务监督委员会 ᥖᥭᥰ ᥘᥣᥝ", "gate"),
            ("{v}村新时代文明实践站 ꀉꂿꃅꌠ", "exterior_mark"),
        ),
        (),
    ),
    Case(
        "awards and honours hung as plates belong on the display board （十）",
        "village",
        (
            ("{v}村民委员会", "gate"),
            ("全国民主法治示范村", "gate"),
            ("先进基层党组织", "gate"),
            ("省级文明村", "exterior_mark"),
            ("四星级党支部", "interior"),
            ("中共{v}村支部委员会", "gate"),
        ),
        (
            (1, "not_in_catalog", None),
            (2, "not_in_catalog", None),
            (3, "not_in_catalog", None),
            (4, "not_in_catalog", None),
        ),
    ),
    Case(
        "look-alike plates of other bodies are not catalog plates",
        "village",
        (
            ("{v}村团支部", "gate"),
            ("{v}村妇联", "gate"),
            ("{v}村老年协会", "interior"),
            ("{v}村退役军人服务站", "interior"),
            ("网格化服务管理中心", "interior"),
            ("人大代表联络站", "interior"),
            ("关心下一代工作委员会", "interior"),
            ("扶贫工作站", "interior"),
        ),
        tuple((i, "not_in_catalog", None) for i in range(8)),
        ALL_CODES,
    ),
    Case(
        "the same body hung twice: later copies are duplicates",
        "village",
        (
            ("{v}村党总支", "gate"),
            ("中共{v}村总支部委员会", "gate"),
            ("{v}村委会", "gate"),
            ("{v}村民委员会", "gate"),
            ("{v}村党群服务中心", "exterior_mark"),
            ("{v}村党群活动中心", "exterior_mark"),
        ),
        ((1, "duplicate", "S04"), (3, "duplicate", "S05"), (5, "duplicate", "S01")),
    ),
    Case(
        "plates at the wrong place",
        "village",
        (
            ("{v}村党群服务中心", "gate"),
            ("村级综合服务中心", "exterior_mark"),
            ("{v}村民委员会", "interior"),
            ("党员活动室", "gate"),
        ),
        (
            (0, "wrong_placement", "S01"),
            (1, "wrong_placement", "S08"),
            (2, "wrong_placement", "S05"),
            (3, "wrong_placement", "S10"),
        ),
    ),
    Case(
        "traditional characters, spaces and the place names in front",
        "village",
        (
            ("{v}村民委員會", "gate"),
            ("{v} 村 务 监 督 委 员 会", "gate"),
            ("{county}{township}{v}村集体经济合作社", "gate"),
            ("{township}{v}村便民服务大厅", "exterior_mark"),
        ),
        (),
    ),
)
