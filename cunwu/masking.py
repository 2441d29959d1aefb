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
    if not name:  # nothing but invisible or control characters
        return ""
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


# --- personal data inside free text (before anything is published) -------------------------------

_ID_IN_TEXT = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_LANDLINE_IN_TEXT = re.compile(r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])")
_NAME_LABEL = re.compile(r"(?:姓名|联系人|举报人|反映人|当事人|申请人)\s*[:：为是]\s*(?![某×*Xx])[\u4e00-\u9fff]{2,4}")
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# 张三书记 / 李四同志: a surname, one or two given-name characters (not 某, not a place suffix), a title.
_TITLED_NAME = re.compile(
    rf"[{_SURNAMES}](?:(?![某村镇乡县市区州局所站队组])[\u4e00-\u9fff]){{1,2}}"
    r"(?:同志|先生|女士|书记|主任|村长|镇长|乡长|县长|局长|科长|所长|站长|队长|会计|文书|组长)"
)


def personal_data_problems(text: str, *, names: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Why `text` may not be published as it is: an ID number, a phone number or a person's name.

    `names` are names known to concern the case (the reporter's); written-out names with a title
    (张三书记) and labelled names (姓名：张三) are caught by pattern. 张某 / 王某某 are fine.
    """
    problems = []
    if _ID_IN_TEXT.search(text):
        problems.append("含有身份证号码，请删除。")
    if _MOBILE_IN_TEXT.search(text) or _LANDLINE_IN_TEXT.search(text):
        problems.append("含有电话号码，请删除。")
    named = [n for n in names if n and len(n.strip()) >= 2 and n.strip() in text]
    titled = _TITLED_NAME.search(text) or _NAME_LABEL.search(text)
    if named or titled:
        found = named[0] if named else titled.group(0) if titled else ""
        problems.append(f"含有个人姓名（“{mask_name(found[:4]) if named else found}”），请改为“张某”等写法。")
    return problems


_CALLED = re.compile(r"(?:我叫|名叫|叫做|我的名字是|本人)([\u4e00-\u9fff]{2,3})(?=[,，。;；\s、]|$)")


def mask_in_text(text: str, *, names: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with the given names masked and every ID or phone number in it masked (always, wherever shown).

    For printed wording shown on a public page: the verification page repeats a certificate's text
    so the paper can be compared, but not the holder's full name, ID number or phone number.
    """
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)
    return _LANDLINE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


def mask_text(text: str, *, names: list[str] | tuple[str, ...] = ()) -> str:
    """Free text kept for learning (missed phrasings, rule misses): `mask_in_text` on the cleaned text,
    and also the names nobody told us about — labelled (姓名：张三), titled (张三书记) and
    self-introduced (我叫张三)."""
    text = mask_in_text(unicodedata.normalize("NFKC", visible_only(text or "")), names=names)
    text = _NAME_LABEL.sub(lambda m: re.sub(r"[\u4e00-\u9fff]{2,4}$", lambda n: mask_name(n.group()), m.group()), text)
    text = _TITLED_NAME.sub(lambda m: mask_name(m.group()[:-2]) + m.group()[-2:], text)
    return _CALLED.sub(lambda m: m.group()[: m.start(1) - m.start()] + mask_name(m.group(1)), text)
