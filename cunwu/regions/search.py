"""Search keys for finding a place by name, pinyin or initials (大箐村委会 → "daqingcunweihui", "dqcwh").

Pure functions: the keys are computed once when a region is saved (or bulk-created by seeding) and
stored on the row, so a search at Yunnan scale is one pass over short precomputed strings, never
a pinyin conversion per row. pypinyin ships its own dictionary (no download at run time). A
place name's characters take their usual reading; for the first few characters with another
reading (长 zhang/chang, 重 zhong/chong) a variant is stored too, so 长坡 is found as "changpo".
Each key is stored as space-led words (" zhangpo… changpo…") and matched as " " + prefix.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin, pinyin

MAX_PINYIN = 255
MAX_INITIALS = 128
VARIANTS = 3  # other readings stored besides the usual one
VARIANT_POSITIONS = 4  # only the first characters' other readings: people type from the start
_LATIN = re.compile(r"[a-z]+")


def _syllables(text: str) -> list[str]:
    # Runs without a reading (digits, Latin letters) are kept as one word; brackets and the like are dropped.
    out = []
    for part in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        part = part.lower().replace("ü", "v")
        if part.isascii() and part.isalnum():
            out.append(part)
    return out


def _variants(name: str, usual: list[str]) -> list[list[str]]:
    readings = [
        options
        for options in pinyin(name, style=Style.NORMAL, heteronym=True, errors="default")
        if options and options[0].isascii() and options[0].isalnum()
    ]
    if len(readings) != len(usual):  # a character the two readers split differently: usual only
        return [usual]
    out = [usual]
    for i, options in enumerate(readings[:VARIANT_POSITIONS]):
        for alt in options[:2]:
            alt = alt.lower().replace("ü", "v")
            if alt != usual[i] and alt.isascii() and alt.isalpha() and len(out) <= VARIANTS:
                out.append([*usual[:i], alt, *usual[i + 1 :]])
    return out


def search_keys(name: str) -> tuple[str, str]:
    """(pinyin words, initials words), each " "-led and lower case: the usual reading first, then variants."""
    usual = _syllables(name)
    variants = _variants(name, usual) if usual else [usual]
    full = list(dict.fromkeys("".join(v) for v in variants))
    initials = list(dict.fromkeys("".join(s[0] for s in v) for v in variants))
    return "".join(f" {w}" for w in full)[:MAX_PINYIN], "".join(f" {w}" for w in initials)[:MAX_INITIALS]


def query_keys(text: str) -> tuple[str, str]:
    """What a typed query is matched with: (Chinese text to find in names, a lower-case pinyin prefix).

    大箐 → ("大箐", "daqing"); "Da Qing" / "da'qing" → ("", "daqing"); "DQC" → ("", "dqc").
    """
    text = unicodedata.normalize("NFKC", text).strip()
    latin = "".join(_LATIN.findall(text.lower()))
    if latin and len(latin) == len(re.sub(r"[\s'’·-]", "", text)):
        return "", latin
    return text, "".join(_syllables(text))
