"""Pure checks of catalog content. Each problem names its field and is said in plain Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import kinds

_SPLIT = re.compile(r"[|｜、;；\n]+")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class RowProblem:
    field: str
    message: str


def split_list(value: Any) -> list[str]:
    """Aliases and materials arrive as 'a|b', 'a、b' or a list; keep order, drop blanks and repeats."""
    if value is None:
        return []
    parts = value if isinstance(value, list | tuple) else _SPLIT.split(str(value))
    return list(dict.fromkeys(p.strip() for p in parts if str(p).strip()))


def clean_row(kind: str, row: dict[str, Any]) -> tuple[dict[str, Any], list[RowProblem]]:
    """Normalise one item of `kind` and list what is wrong with it （二）（十一）: every item names its basis."""
    problems: list[RowProblem] = []
    out: dict[str, Any] = {"op": row.get("op") or "set"}
    for spec in kinds.all_fields(kind):
        raw = row.get(spec.key)
        text = "" if raw is None else str(raw).strip() if not isinstance(raw, list | tuple) else raw
        if spec.type == "list":
            out[spec.key] = split_list(text)
            continue
        if spec.required and not text and not (out["op"] == "withdraw" and spec.key != "code"):
            problems.append(RowProblem(spec.key, f"“{spec.header}”不能为空。" + ("每个事项都应列明设定依据。" if spec.key == "basis" else "")))
            out[spec.key] = ""
            continue
        if spec.type == "int" and text:
            try:
                number = int(float(str(text)))
                if number < 1 or float(str(text)) != number:
                    raise ValueError
            except ValueError:
                problems.append(RowProblem(spec.key, f"“{spec.header}”应为正整数，收到“{text}”。"))
                number = 0
            out[spec.key] = number
            continue
        if spec.type == "choice" and text and text not in spec.choices:
            labels = kinds.PLACEMENTS if spec.key == "placement" else kinds.ALTERNATIVE_KINDS
            reverse = {v: k for k, v in labels.items()}
            if text in reverse:
                text = reverse[text]
            else:
                allowed = "、".join(f"{k}（{v}）" for k, v in labels.items())
                problems.append(RowProblem(spec.key, f"“{spec.header}”的值“{text}”不在可选范围内，应为：{allowed}。"))
        out[spec.key] = text
    code = out.get("code", "")
    if code and not CODE_RE.match(code):
        problems.append(RowProblem("code", f"编码“{code}”只能由字母、数字、点、横线组成，最长32位。"))
    if out["op"] not in ("set", "withdraw"):
        problems.append(RowProblem("op", "操作只能是“设立或修改”或“取消”。"))
    if len(str(out.get("name", ""))) > 200:
        problems.append(RowProblem("name", "事项名称过长，最多200字。"))
    return out, problems


def check_revision_header(*, change: str, document: str, effective: date | None) -> list[RowProblem]:
    """A revision records why （二）（十一）: 立改废释, the document, and the date it takes effect."""
    problems = []
    if change not in ("立", "改", "废", "释"):
        problems.append(RowProblem("change", "调整类型应为 立、改、废、释 之一。"))
    if not (document or "").strip():
        problems.append(RowProblem("document", "请填写引起调整的文件文号。"))
    if effective is None:
        problems.append(RowProblem("effective", "请填写施行日期（YYYY-MM-DD）。"))
    return problems
