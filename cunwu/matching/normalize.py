"""Text normalisation for matching free Chinese text against catalogs.

Pure Python: no Django. Everything here is deterministic and cheap enough to run per request.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from opencc import OpenCC

__all__ = ["clean", "clean_segments", "is_han", "normalize", "place_name_variants", "strip_place_names"]

# Forms of one village-level organisation or township office, longest first, and the generic
# word that is put back when a proper name is stripped, so 某某村民委员会 keeps 村民委员会.
_ORG_FORMS: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("社区居民委员会", "社区居委会", "社区"), True),
    (("村民委员会", "村委会", "村"), True),
    (("居民委员会", "居委会"), True),
    (("街道办事处", "街道办", "街道"), False),
)

# The 55 minority nationalities, for 西双版纳傣族自治州 → 西双版纳州 and 大河彝族乡 → 大河乡.
_NATIONALITIES_TEXT = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 "
    "乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_NATIONALITIES = tuple(_NATIONALITIES_TEXT.split())
_ETHNIC_NAME = re.compile(
    "^(.+?)(?:(?:{})族)+(?:自治)?(州|县|旗|乡)$".format("|".join(sorted(_NATIONALITIES, key=lambda n: (-len(n), n))))
)

_converter_lock = threading.Lock()
_converter: OpenCC | None = None
# Characters that some t2s mapping changes: text without any of them converts to itself.
_convertible: frozenset[str] | None = None


def _t2s() -> tuple[OpenCC, frozenset[str] | None]:
    """The shared OpenCC t2s converter and the characters it can change, built on first use."""
    global _converter, _convertible
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                converter = OpenCC("t2s")
                _convertible = _key_characters(converter)
                _converter = converter
    return _converter, _convertible


def _key_characters(converter: OpenCC) -> frozenset[str] | None:
    """Characters some t2s mapping changes, or None when the library's internals have changed."""
    chars: set[str] = set()
    try:
        for group in converter._dict_chain_data:
            for _max_len, _min_len, mapping in group:
                for key, value in mapping.items():
                    first = value.split(" ")[0]
                    if len(first) == len(key):
                        chars.update(a for a, b in zip(key, first, strict=True) if a != b)
                    else:
                        chars.update(key)
    except (AttributeError, TypeError, ValueError):
        return None
    return frozenset(chars) if chars else None


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese; skips OpenCC (about 50 µs) when nothing can change."""
    converter, convertible = _t2s()
    if convertible is not None and convertible.isdisjoint(text):
        return text
    converted: str = converter.convert(text)
    return converted


def is_han(char: str) -> bool:
    """Whether one character is a CJK ideograph (after NFKC, so compatibility forms are folded)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3134F or code == 0x3007


# Official short forms written either way on plates, in requests and in organisation names.
_SHORT_FORMS = re.compile("中共(?!产)")


def _fold(text: str) -> str:
    """NFKC, simplified, lower-case, and the party's short form 中共 spelt out as 中国共产党."""
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    return _SHORT_FORMS.sub("中国共产党", text)


def clean(text: str) -> str:
    """Folded (see `_fold`), keeping only letters and digits of every script."""
    text = _fold(text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def clean_segments(text: str, strip_names: Sequence[str] = ()) -> list[str]:
    """Like `normalize`, but split where the text has punctuation (spaces join: 村 民 委 员 会)."""
    text = _fold(text)
    kept = "".join(ch if (cat := unicodedata.category(ch)[0]) in "LN" else " " if cat == "P" else "" for ch in text)
    stripped = strip_place_names(kept, strip_names)
    return [part for part in stripped.split(" ") if part]


def _variants_with_residue(name: str) -> list[tuple[str, str]]:
    """Each string to strip for one official name, with the generic word left in its place."""
    name = name.strip()
    if not name:
        return []
    for forms, keep_generic in _ORG_FORMS:
        for form in forms:
            if name.endswith(form) and len(name) > len(form):
                proper = name[: -len(form)]
                return [(proper + f, f if keep_generic else "") for f in forms]
    found = _ETHNIC_NAME.match(name)
    if found:
        return [(name, ""), (found.group(1) + found.group(2), "")]
    return [(name, "")]


def place_name_variants(name: str) -> list[str]:
    """The strings to strip for one official region or organisation name, longest first.

    "某某村委会" → ["某某村民委员会", "某某村委会", "某某村"]; "罗免镇" → ["罗免镇"].
    """
    variants = {variant for variant, _ in _variants_with_residue(name)}
    return sorted(variants, key=lambda v: (-len(v), v))


@lru_cache(maxsize=4096)
def _strip_plan(names: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """One compiled alternation (longest first) over every cleaned variant of `names`."""
    residues: dict[str, str] = {}
    for name in names:
        for variant, residue in _variants_with_residue(name):
            key = clean(variant)
            # A proper name shorter than two characters would strip ordinary words.
            if len(key) - len(clean(residue)) < 2:
                continue
            residues.setdefault(key, clean(residue))
    if not residues:
        return None
    ordered = sorted(residues, key=lambda v: (-len(v), v))
    return re.compile("|".join(map(re.escape, ordered))), residues


def strip_place_names(cleaned: str, strip_names: Sequence[str]) -> str:
    """Remove the given region and organisation names from already cleaned text."""
    if not strip_names:
        return cleaned
    plan = _strip_plan(tuple(strip_names))
    if plan is None:
        return cleaned
    pattern, residues = plan

    def replace(found: re.Match[str]) -> str:
        residue = residues[found.group()]
        # 某某村村民委员会: the text goes on with the level word itself, do not double it.
        return "" if cleaned.startswith(residue, found.end()) else residue

    return pattern.sub(replace, cleaned)


def normalize(text: str, strip_names: Sequence[str] = ()) -> str:
    """Text as the matcher compares it: cleaned (see `clean`) and without the given place names."""
    return strip_place_names(clean(text), strip_names)
