"""Masking of personal data wherever it is shown (DESIGN.md §4)."""

from __future__ import annotations

import re
import unicodedata

from cunwu.invisible import visible_only

_SEPARATORS = "·•・."


def mask_name(name: str | None) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 阿依古丽·买买提 → 阿*·*提; each ·-part is masked on its own."""
    name = (name or "").strip()
    if not name:  # blank or whitespace only (which used to raise IndexError)
        return ""
    # Masked as shown: an invisible character must not count as a letter (张\u200b三 → 张*).
    name = visible_only(name).strip()
    parts = re.split(f"([{re.escape(_SEPARATORS)}])", name)
    if len(parts) > 1:
        chars = [c for c in name]
        letters = [i for i, c in enumerate(chars) if c not in _SEPARATORS]
        if len(letters) <= 1:
            return name
        first, last = letters[0], letters[-1]
        return "".join(c if (c in _SEPARATORS or i in (first, last)) else "*" for i, c in enumerate(chars))
    if len(name) == 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(value: str | None) -> str:
    """Keep the first 4 and last 4 characters of an ID number (full-width digits read as ASCII)."""
    if not value:
        return ""
    value = _code(value)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    value = _code(value)
    if len(value) <= 7:  # first 3 + last 4 would show a 7-character value whole
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def _code(value: str) -> str:
    return visible_only(unicodedata.normalize("NFKC", value)).strip()


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(body: str) -> str:
    """The GB 11643 check character for the first 17 digits of a citizen ID number."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def id_number_problem(value: str) -> str | None:
    """GB 11643 citizen ID check: None when valid, else a Chinese reason."""
    value = _code(value).upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return "身份证号码应为18位，前17位为数字，最后一位为数字或X。"
    birth = value[6:14]
    year, month, day = int(birth[:4]), int(birth[4:6]), int(birth[6:])
    import datetime

    try:
        datetime.date(year, month, day)
    except ValueError:
        return "身份证号码中的出生日期不存在。"
    if id_check_digit(value[:17]) != value[17]:
        return "身份证号码校验位不正确，请核对后重新输入。"
    return None
