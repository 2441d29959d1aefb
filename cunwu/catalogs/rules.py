"""Pure checks of catalog content. Each problem names its field and is said in plain Chinese.

No ORM here: items and statements arrive as plain mappings (the CSV column names of kinds.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import kinds

_SPLIT = re.compile(r"[|｜、;；\n]+")
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
MAX_NAME = 200
MAX_TEXT = 4000
MAX_DOCUMENT = 128
# Content that decides whether two statements say the same thing (the revision aside).
CONTENT_KEYS = ("name", "aliases", "category", "basis", "source")
FIELD_HEADERS = {spec.key: spec.header for k in kinds.KINDS for spec in kinds.all_fields(k)}


@dataclass(frozen=True)
class RowProblem:
    field: str
    message: str


def split_list(value: Any) -> list[str]:
    """Aliases and materials arrive as 'a|b', 'a、b' or a list; keep order, drop blanks and repeats."""
    if value is None:
        return []
    parts = value if isinstance(value, list | tuple) else _SPLIT.split(str(value))
    return list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))


def parse_op(value: Any) -> str | None:
    """The 操作 column: 设立/细化/修改 (or blank) sets an item, 取消/废止 withdraws it; None if unknown."""
    return kinds.OP_WORDS.get(str(value or "").strip().lower())


# Withdrawn duty and assist items: villagers are told where to go now （十七）.
WHERE_NOW_KINDS = (kinds.DUTY, kinds.ASSIST)


def clean_row(kind: str, row: Mapping[str, Any]) -> tuple[dict[str, Any], list[RowProblem]]:
    """Normalise one item of `kind` and list what is wrong with it.

    Every item names its basis （二）（十一）, and so does every withdrawal: a level withdraws an
    item in its region only because a law or policy says so.
    """
    problems: list[RowProblem] = []
    op = parse_op(row.get("op"))
    if op is None:
        problems.append(
            RowProblem(
                "op", f"“操作”的值“{row.get('op')}”无法识别，应为 设立、细化、修改 或 取消（不填视为设立或修改）。"
            )
        )
        op = "set"
    out: dict[str, Any] = {"op": op, "reason": str(row.get("reason") or "").strip()}
    withdraw = op == "withdraw"
    for spec in kinds.all_fields(kind):
        raw = row.get(spec.key)
        if spec.type == "list":
            out[spec.key] = split_list(raw)
            continue
        if spec.type == "procedure":
            steps, found = parse_procedure(None if withdraw else raw)
            out[spec.key] = steps
            problems += found
            continue
        text = "" if raw is None else str(raw).strip()
        required = spec.required and (not withdraw or spec.key in ("code", "basis"))
        if required and not text:
            hint = ""
            if spec.key == "basis":
                hint = (
                    "取消事项也须写明依据（废止或修改的法律法规、政策文件）。"
                    if withdraw
                    else "每个事项都应列明设定依据（十一）。"
                )
            problems.append(RowProblem(spec.key, f"“{spec.header}”不能为空。{hint}"))
            out[spec.key] = 0 if spec.type == "int" else ""
            continue
        if spec.type == "int":
            out[spec.key] = _positive_int(text, spec, problems) if text else None
            continue
        if spec.type == "choice" and text and text not in spec.choices:
            labels = kinds.CHOICE_LABELS[spec.key]
            reverse = {v: k for k, v in labels.items()}
            if text in reverse:
                text = reverse[text]
            else:
                allowed = "、".join(f"{v}（{k}）" for k, v in labels.items())
                problems.append(RowProblem(spec.key, f"“{spec.header}”的值“{text}”不在可选范围内，应为：{allowed}。"))
        out[spec.key] = text
    if withdraw and kind in WHERE_NOW_KINDS:
        # （十七）: work the village no longer does must tell villagers where they go for it now.
        out["where_now"] = str(row.get("where_now") or "").strip()
        if not out["where_now"]:
            problems.append(RowProblem("where_now", "取消村级组织事项须写明群众今后到哪里办理（十七）。"))
        elif len(out["where_now"]) > MAX_NAME:
            problems.append(RowProblem("where_now", f"“群众今后到哪里办理”最多{MAX_NAME}字。"))
    code = out.get("code", "")
    if code and not CODE_RE.match(code):
        problems.append(RowProblem("code", f"编码“{code}”只能由字母、数字、点、横线组成，以字母或数字开头，最长32位。"))
    if len(str(out.get("name", ""))) > MAX_NAME:
        problems.append(RowProblem("name", f"事项名称过长，最多{MAX_NAME}字。"))
    for key in ("basis", "source", "reason", *(s.key for s in kinds.KIND_FIELDS[kind] if s.type == "text")):
        if len(str(out.get(key) or "")) > MAX_TEXT:
            problems.append(RowProblem(key, f"“{FIELD_HEADERS.get(key, '调整理由')}”过长，最多{MAX_TEXT}字。"))
    for key in ("aliases", "materials"):
        if any(len(v) > MAX_NAME for v in out.get(key) or ()):
            problems.append(RowProblem(key, f"“{FIELD_HEADERS[key]}”中的每一项最多{MAX_NAME}字。"))
    return out, problems


def _positive_int(text: str, spec: kinds.FieldSpec, problems: list[RowProblem]) -> int | None:
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if number < 1 or not number.is_integer() or number > 10_000:
        problems.append(RowProblem(spec.key, f"“{spec.header}”应为正整数，收到“{text}”。"))
        return None
    return int(number)


def check_revision_header(*, change: str, document: str, effective: date | None) -> list[RowProblem]:
    """A revision records why （二）（十一）: 立改废释, the document, and the date it takes effect."""
    problems = []
    if change not in kinds.CHANGES:
        problems.append(RowProblem("change", "调整类型应为 立、改、废、释 之一（法律法规和政策的立、改、废、释）。"))
    document = (document or "").strip()
    if not document:
        problems.append(RowProblem("document", "请填写引起本次调整的文件文号，如“云民发〔2027〕3号”。"))
    elif len(document) > MAX_DOCUMENT:
        problems.append(RowProblem("document", f"文号过长，最多{MAX_DOCUMENT}字。"))
    if effective is None:
        problems.append(RowProblem("effective", "请填写施行日期（YYYY-MM-DD）。"))
    elif not date(2000, 1, 1) <= effective <= date(2100, 12, 31):
        problems.append(RowProblem("effective", f"施行日期“{effective.isoformat()}”不合理，请检查年份。"))
    return problems


# ---------------------------------------------------------------------------- content and changes


def content_of(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """What an item says, in a canonical shape: equal dicts mean the same wording."""
    out: dict[str, Any] = {}
    for key in CONTENT_KEYS:
        value = values.get(key)
        out[key] = list(value or ()) if key == "aliases" else str(value or "")
    for spec in kinds.KIND_FIELDS[kind]:
        if spec.key == "category":
            continue
        value = values.get(spec.key)
        if spec.type == "list":
            out[spec.key] = list(value or ())
        elif spec.type == "int":
            out[spec.key] = int(value) if value not in (None, "") else None
        else:
            out[spec.key] = str(value or "")
    if kind in kinds.PROCEDURE_KINDS:
        out["procedure"] = [dict(step) for step in values.get("procedure") or ()] or None
    return out


def changed_fields(kind: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Keys whose content differs, in the order of the kind's columns."""
    a, b = content_of(kind, old), content_of(kind, new)
    order = [s.key for s in kinds.all_fields(kind)]
    return [k for k in order if k in a and a[k] != b.get(k)]


@dataclass
class CatalogDiff:
    """What changed between two versions of one catalog: codes added, withdrawn and changed."""

    added: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.withdrawn or self.changed)


def compare_catalogs(
    kind: str, old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> CatalogDiff:
    """Compare two versions given as {code: content}; wording and basis changes count （二）."""
    diff = CatalogDiff()
    for code in new:
        if code not in old:
            diff.added.append(code)
        else:
            fields = changed_fields(kind, old[code], new[code])
            if fields:
                diff.changed.append((code, fields))
    diff.withdrawn = [code for code in old if code not in new]
    return diff


# Effects of a statement on the catalog in force at its region.
ADD, REFINE, AMEND, WITHDRAW, SAME, MISSING = "add", "refine", "amend", "withdraw", "same", "missing"
EFFECT_LABELS = {
    ADD: "新增",
    REFINE: "细化（本地表述替代上级事项）",
    AMEND: "修改",
    WITHDRAW: "取消（在本地区不再适用）",
    SAME: "与现行内容相同",
    MISSING: "现行目录中没有此事项",
}


def statement_effect(*, op: str, same_content: bool, current_defined_by: str | None, level_code: str) -> str:
    """What a statement by `level_code` does to the item currently in force there （一）（十一）."""
    if op == "withdraw":
        return WITHDRAW if current_defined_by is not None else MISSING
    if current_defined_by is None:
        return ADD
    if same_content:
        return SAME
    return AMEND if current_defined_by == level_code else REFINE


def check_statements(
    kind: str,
    rows: Iterable[Mapping[str, Any]],
    in_force: Mapping[str, Mapping[str, Any]],
    row_names: Sequence[str] | None = None,
) -> tuple[list[dict[str, Any]], list[tuple[int, RowProblem]], list[int]]:
    """Clean all rows of one revision and check them together against the catalog in force.

    Returns the cleaned rows, problems as (row index, problem), and the indexes of rows that
    change nothing (same wording as in force), which an import skips so re-importing is a no-op.
    `row_names` say how people know the rows (第3行 in a spreadsheet); default 第N条事项.
    """
    cleaned: list[dict[str, Any]] = []
    problems: list[tuple[int, RowProblem]] = []
    unchanged: list[int] = []
    first_seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        values, found = clean_row(kind, row)
        problems += [(index, p) for p in found]
        code = values.get("code") or ""
        if code:
            if code in first_seen:
                first = row_names[first_seen[code]] if row_names else f"第{first_seen[code] + 1}条事项"
                message = f"编码“{code}”重复：与{first}的编码相同，同一编码只能出现一次。"
                problems.append((index, RowProblem("code", message)))
            else:
                first_seen[code] = index
        if not found and code:
            current = in_force.get(code)
            if values["op"] == "withdraw" and current is None:
                problems.append((index, RowProblem("code", f"编码“{code}”在本地区现行目录中不存在，无法取消。")))
            elif (
                values["op"] == "set" and current is not None and content_of(kind, current) == content_of(kind, values)
            ):
                unchanged.append(index)
        cleaned.append(values)
    return cleaned, problems, unchanged


# ---------------------------------------------------------------------------- 运行流程 （一）

MAX_STEPS = 20
MAX_STEP_DAYS = 365
STEP_PARTS = ("办理主体", "办什么", "时限（工作日）", "收到的材料", "交出的材料", "服务渠道", "交给第几步")
_STEP_MARK = re.compile(r"【\s*(\d+)\s*】")
_PART_SPLIT = re.compile(r"[|｜]")
_BODY_WORDS = {
    "村": "village",
    "村（社区）": "village",
    "社区": "village",
    "乡镇": "township",
    "乡镇（街道）": "township",
    "街道": "township",
    "部门": "department",
}
_STEP_FORMAT = (
    "每个步骤写成“【序号】办理主体｜办什么｜时限（工作日）｜收到的材料｜交出的材料｜服务渠道”，"
    "需要时在末尾加“｜交给第几步”"
)


def _procedure_problem(message: str) -> RowProblem:
    return RowProblem("procedure", f"运行流程：{message}")


def _step_pieces(text: str) -> list[tuple[int | None, str]]:
    """Split 运行流程 text into (written number, step text): by 【n】 marks, else one step a line."""
    marks = list(_STEP_MARK.finditer(text))
    if not marks:
        return [(None, line.strip()) for line in text.splitlines() if line.strip(" ｜|\t")]
    pieces: list[tuple[int | None, str]] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        pieces.append((int(m.group(1)), text[m.end() : end].strip()))
    return pieces


def _parse_body(text: str) -> tuple[str, str] | None:
    head, _, name = text.replace(":", "：").partition("：")
    body = _BODY_WORDS.get(head.strip())
    return None if body is None else (body, name.strip())


def _step_from_text(number: int, text: str, problems: list[RowProblem]) -> dict[str, Any] | None:
    parts = [p.strip() for p in _PART_SPLIT.split(text)]
    if len(parts) not in (6, 7):
        problems.append(_procedure_problem(f"第{number}步应有6或7项，用“｜”分隔，现有{len(parts)}项。{_STEP_FORMAT}。"))
        return None
    raw = dict(zip(("body", "action", "days", "inputs", "outputs", "channel", "next"), parts, strict=False))
    return _check_step(number, raw, problems)


def _check_step(number: int, raw: Mapping[str, Any], problems: list[RowProblem]) -> dict[str, Any] | None:
    """One step's values checked: who acts, what, in how many working days, materials, channel, hand-off."""
    found = len(problems)
    body, actor = str(raw.get("body") or "").strip(), str(raw.get("actor") or "").strip()
    if body in kinds.BODIES:
        parsed: tuple[str, str] | None = (body, actor)
    else:
        parsed = _parse_body(body)
    if parsed is None:
        problems.append(
            _procedure_problem(
                f"第{number}步的办理主体“{body}”无法识别，应写成“村：承办人”“乡镇：承办机构”或“部门：部门名称”。"
            )
        )
        parsed = ("", "")
    action = str(raw.get("action") or "").strip()
    if not action:
        problems.append(_procedure_problem(f"第{number}步没有写办什么（如“受理申请并入户核实”）。"))
    days_text = str(raw.get("days") if raw.get("days") is not None else "").strip()
    days_text = days_text.removesuffix("个工作日").removesuffix("工作日").removesuffix("天").strip()
    try:
        days_number = float(days_text)
    except ValueError:
        days_number = 0.0
    if not (1 <= days_number <= MAX_STEP_DAYS and days_number.is_integer()):
        problems.append(
            _procedure_problem(
                f"第{number}步的时限应为 1 到 {MAX_STEP_DAYS} 之间的整数个工作日，收到“{days_text or '空'}”。"
            )
        )
    channel = str(raw.get("channel") or "").strip()
    if not channel:
        problems.append(_procedure_problem(f"第{number}步没有写服务渠道（如“村便民服务站”“一部手机办事通”）。"))
    next_text = str(raw.get("next") if raw.get("next") is not None else "").strip()
    next_text = next_text.removeprefix("交给").removeprefix("第").removesuffix("步").strip()
    hand_to: int | None = None
    if next_text:
        if not next_text.isdigit():
            problems.append(_procedure_problem(f"第{number}步的“交给第几步”应为步骤序号，收到“{next_text}”。"))
        else:
            hand_to = int(next_text)
    for key in ("action", "channel"):
        if len(str(raw.get(key) or "")) > MAX_NAME:
            problems.append(_procedure_problem(f"第{number}步的内容过长，每项最多{MAX_NAME}字。"))
            break
    if len(problems) > found:
        return None
    return {
        "body": parsed[0],
        "actor": parsed[1] or actor,
        "action": action,
        "days": int(days_number),
        "inputs": split_list(raw.get("inputs")),
        "outputs": split_list(raw.get("outputs")),
        "channel": channel,
        "next": hand_to,
    }


def check_hand_offs(steps: Sequence[Mapping[str, Any]]) -> list[RowProblem]:
    """Each step hands on to the next (or the step it names); the last ends the procedure.

    Following the hand-offs from the first step must end without coming back to a step already
    done (a circular hand-off leaves the matter with nobody) and must pass every step.
    """
    count = len(steps)
    problems = []
    for i, step in enumerate(steps, start=1):
        target = step.get("next")
        if target is not None and not 1 <= target <= count:
            problems.append(_procedure_problem(f"第{i}步交给第{target}步，但流程只有{count}步。"))
    if problems:
        return problems
    path: list[int] = []
    current: int | None = 1
    while current is not None:
        if current in path:
            loop = [*path[path.index(current) :], current]
            chain = "→".join(f"第{n}步" for n in loop)
            return [
                _procedure_problem(
                    f"出现循环交接（{chain}），事项在几个步骤之间来回转交、无人办结。请改为交给后面的步骤。"
                )
            ]
        path.append(current)
        target = steps[current - 1].get("next")
        current = target if target is not None else (current + 1 if current < count else None)
    skipped = [n for n in range(1, count + 1) if n not in path]
    if skipped:
        names = "、".join(f"第{n}步" for n in skipped)
        problems.append(_procedure_problem(f"{names}没有任何一步交给它，流程到不了这里。"))
    return problems


def parse_procedure(value: Any) -> tuple[list[dict[str, Any]] | None, list[RowProblem]]:
    """A 运行流程 from a cell (text) or the API (a list of steps): the steps, or what is wrong.

    Blank → None (no procedure stated). Given but without steps, a step missing its acting body,
    work, channel or a positive number of working days, or hand-offs that go round in a circle → problems.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, []
    problems: list[RowProblem] = []
    steps: list[dict[str, Any] | None] = []
    if isinstance(value, list | tuple):
        for number, raw in enumerate(value, start=1):
            if not isinstance(raw, Mapping):
                problems.append(_procedure_problem(f"第{number}步应为一个对象（办理主体、办什么、时限等）。"))
                continue
            steps.append(_check_step(number, raw, problems))
    else:
        text = str(value)
        first = _STEP_MARK.search(text)
        if first is not None and text[: first.start()].strip(" ｜|\n\t"):
            stray = text[: first.start()].strip()[:20]
            problems.append(_procedure_problem(f"第一个步骤【1】之前有多余的内容“{stray}”，请删去或写进步骤里。"))
        pieces = _step_pieces(text)
        for number, (written, text) in enumerate(pieces, start=1):
            if written is not None and written != number:
                problems.append(
                    _procedure_problem(f"步骤序号应依次为【1】【2】【3】……，第{number}个步骤写成了【{written}】。")
                )
                continue
            steps.append(_step_from_text(number, text, problems))
    if not steps and not problems:
        problems.append(_procedure_problem(f"没有任何步骤。{_STEP_FORMAT}；不填则表示尚未制定运行流程。"))
    if len(steps) > MAX_STEPS:
        problems.append(_procedure_problem(f"最多{MAX_STEPS}个步骤，现有{len(steps)}个。"))
    if problems:
        return None, problems
    checked = [s for s in steps if s is not None]
    problems = check_hand_offs(checked)
    if problems:
        return None, problems
    for i, step in enumerate(checked, start=1):
        if step["next"] == i + 1:
            step["next"] = None  # the default hand-off, stored one way
    return checked, []


def procedure_text(steps: Sequence[Mapping[str, Any]] | None) -> str:
    """The spreadsheet form of a procedure: one 【n】 step a line; parse_procedure reads it back."""
    if not steps:
        return ""
    lines = []
    for i, s in enumerate(steps, start=1):
        body = kinds.BODIES.get(s.get("body", ""), "")
        body = {"village": "村", "township": "乡镇", "department": "部门"}.get(s.get("body", ""), body)
        who = f"{body}：{s['actor']}" if s.get("actor") else body
        parts = [who, s["action"], str(s["days"]), "、".join(s.get("inputs") or ()), "、".join(s.get("outputs") or ())]
        parts.append(s["channel"])
        if s.get("next"):
            parts.append(str(s["next"]))
        lines.append(f"【{i}】" + "｜".join(parts))
    return "\n".join(lines)


def procedure_days(steps: Sequence[Mapping[str, Any]] | None) -> int:
    """Working days from the first step to the end, along the hand-offs."""
    if not steps:
        return 0
    total, seen = 0, set()
    current: int | None = 1
    while current is not None and current not in seen and 1 <= current <= len(steps):
        seen.add(current)
        step = steps[current - 1]
        total += int(step["days"])
        current = step.get("next") or (current + 1 if current < len(steps) else None)
    return total
