"""Invisible characters in typed text: which to strip, which to refuse, and NFKC for codes.

No Django here: masking and the matcher use it too. See `cunwu.textinput` for where it is applied.
"""

from __future__ import annotations

import unicodedata

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_ALLOWED_CONTROLS = frozenset("\t\n\r")
_ZERO_WIDTH_TABLE = dict.fromkeys(map(ord, ZERO_WIDTH))

BIDI_MESSAGE = "含有改变文字显示方向的隐藏控制字符，请删除后重新输入（可重新手动输入该内容）。"
CONTROL_MESSAGE = "含有不可见的控制字符（如空字符），请删除后重新输入。"
SURROGATE_MESSAGE = "含有无法保存的无效字符，请删除后重新输入。"

# Form fields treated as codes (NFKC): by exact name, or by the end of the name.
CODE_FIELD_NAMES = frozenset({"code", "region", "village", "username"})
CODE_FIELD_SUFFIXES = ("id_number", "phone", "_code", "receipt_number", "serial")


def text_problem(value: str) -> str | None:
    """None when the text may be kept, else the Chinese reason it is refused."""
    if value.isascii() and value.isprintable():  # no control, direction or surrogate character: fast path
        return None
    for ch in value:
        if ch in BIDI_CONTROLS:
            return BIDI_MESSAGE
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in _ALLOWED_CONTROLS:
            return CONTROL_MESSAGE
        if category == "Cs":  # a lone surrogate from JSON "\ud800": not encodable as UTF-8
            return SURROGATE_MESSAGE
    return None


def strip_invisible(value: str) -> str:
    """The text without zero-width characters."""
    return value.translate(_ZERO_WIDTH_TABLE)


def clean_text(value: str) -> str:
    """Zero-width characters stripped; ValueError (Chinese) for direction overrides and controls."""
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return strip_invisible(value)


def normalise_code(value: str) -> str:
    """NFKC (full-width digits and letters → ASCII), then cleaned and trimmed: for ID numbers and codes."""
    return clean_text(unicodedata.normalize("NFKC", value)).strip()


def is_code_field(name: str) -> bool:
    return name in CODE_FIELD_NAMES or name.endswith(CODE_FIELD_SUFFIXES)


def visible_only(value: str) -> str:
    """The text with every invisible character removed (zero-width, direction, control): for showing
    and masking text that may have been stored before it was cleaned at the edge."""
    return "".join(
        ch for ch in value if ch not in ZERO_WIDTH and ch not in BIDI_CONTROLS and unicodedata.category(ch) != "Cc"
    )
