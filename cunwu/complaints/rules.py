"""Pure decisions about complaints (举报), each citing its clause of the measures. No ORM here."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date

from cunwu.accounts.permissions import Perm, Role
from cunwu.accounts.scope import Scope
from cunwu.masking import personal_data_problems
from cunwu.regions import codes
from cunwu.workdays import add_working_days

# --- categories: what a report is about, and the clause it invokes --------------------------------

CATEGORIES: dict[str, tuple[str, str]] = {
    "pushed_work": ("清单外向村里摊派工作", "（一）（二）"),
    "forbidden_certificate": ("单位索要不应由村开具的证明", "（十二）"),
    "certificate_refused": ("村里拒开应当出具的证明", "（十三）"),
    "sign": ("机制牌子", "（六）（九）（十）"),
    "seal": ("印章使用", "（十四）"),
    "meeting_form": ("会议、填表报数", "（四）（五）"),
    "other": ("其他", "（十六）"),
}
CLAUSES = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）", "（九）", "（十）",
           "（十一）", "（十二）", "（十三）", "（十四）", "（十五）", "（十六）", "（十七）")  # fmt: skip

TEXT_MAX = 2000
SUBJECT_MAX = 128
REASON_MAX = 300
OUTCOME_MAX = 2000
QUESTION_MAX = 1000
PHOTOS_MAX = 5
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_MAX_SIDE = 20_000  # longer than any phone panorama
DOCUMENT_MAX_CHARS = 100_000
DUE_WORKING_DAYS = 15  # （十六）：县级对举报按期办理，期限 15 个工作日
EXTENSION_WORKING_DAYS = 15

# --- tracking codes: JB- + 12 Crockford base32 characters = 60 random bits ------------------------

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_RE = re.compile(r"JB-[0-9A-HJKMNP-TV-Z]{12}")


def new_tracking_code() -> str:
    """An unguessable code: 60 bits from `secrets`, never derived from a serial or the time."""
    bits = secrets.randbits(60)
    chars = [_CROCKFORD[(bits >> (5 * i)) & 31] for i in range(12)]
    return "JB-" + "".join(reversed(chars))


def normalise_tracking_code(value: str) -> str:
    """What a person typed, read the Crockford way (case, O→0, I/L→1, spaces and dashes forgiven).

    The result is matched against stored codes only; a malformed code simply finds nothing.
    """
    raw = re.sub(r"[\s\-]", "", (value or "").upper())[:32]
    raw = raw.removeprefix("JB")
    raw = raw.translate(str.maketrans("OIL", "011"))
    return f"JB-{raw}"


# --- routing: the handler is chosen from the region alone ------------------------------------------


def handler_code(region_code: str) -> str:
    """Village, township or county → that county; prefecture → prefecture; province → province （十六）.

    The subject (a department, even the county's own) never reroutes a report.
    """
    level = codes.level_of(region_code)
    if level == codes.PROVINCE:
        return region_code
    if level == codes.PREFECTURE:
        return region_code
    return codes.prefix(region_code, codes.COUNTY) + "000000"


def transfer_target(current_handler: str) -> str | None:
    """The next body up: county → prefecture → province; None at the province."""
    level = codes.level_of(current_handler)
    if level == codes.COUNTY:
        return codes.prefix(current_handler, codes.PREFECTURE) + "0" * 8
    if level == codes.PREFECTURE:
        return codes.prefix(current_handler, codes.PROVINCE) + "0" * 10
    return None


HANDLING_LEVELS = (codes.COUNTY, codes.PREFECTURE, codes.PROVINCE)
# Roles that may publish a typical case （十六）: the county or the province admin.
PUBLISHER_ROLES = frozenset({Role.COUNTY_ADMIN, Role.PROVINCE_ADMIN})


def handling_codes(scope: Scope) -> set[str]:
    """The handling bodies a person works for: their county, prefecture or province grants holding
    complaint:handle. Lists filter by these, not by region scope, so a township officer sees none."""
    return {
        g.region_code for g in scope.grants if Perm.COMPLAINT_HANDLE in g.perms and g.region_level in HANDLING_LEVELS
    }


def own_areas(scope: Scope) -> list[str]:
    """Village or township codes the person belongs to: reports about them are never shown to them."""
    return [g.region_code for g in scope.grants if g.region_level not in HANDLING_LEVELS]


def can_publish(scope: Scope, region_code: str) -> bool:
    return any(g.role in PUBLISHER_ROLES and g.covers(region_code) for g in scope.grants)


def can_review(scope: Scope, county_code: str) -> bool:
    """County staff and above, or a department officer, for documents of a county in their area."""
    return any(g.covers(county_code) and (g.region_level in HANDLING_LEVELS or g.is_department) for g in scope.grants)


def due_date(received: date) -> date:
    """15 working days after the day of receipt （十六）, by the official holiday calendar."""
    return add_working_days(received, DUE_WORKING_DAYS)


def extended_due(due: date) -> date:
    """An extension (once, with a reason) adds another 15 working days to the current due date."""
    return add_working_days(due, EXTENSION_WORKING_DAYS)


def is_overdue(status: str, due: date, today: date) -> bool:
    return status in (RECEIVED, ACCEPTED) and today > due


# --- the state machine -----------------------------------------------------------------------------

RECEIVED, ACCEPTED, DECLINED, CONCLUDED = "received", "accepted", "declined", "concluded"
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({ACCEPTED, DECLINED, CONCLUDED}),
    ACCEPTED: frozenset({CONCLUDED}),
    DECLINED: frozenset(),
    CONCLUDED: frozenset(),
}
# Steps that keep the status but need an open case.
OPEN = frozenset({RECEIVED, ACCEPTED})
STEP_LABELS = {
    "received": "收到举报",
    "accepted": "受理，调查核实",
    "declined": "不予受理",
    "concluded": "办结",
    "extended": "延长办理期限",
    "transferred": "移交上级办理",
    "callback": "回访",
    "question": "反映人追问",
    "answer": "答复追问",
    "explanation": "要求说明情况",
}


def first_clause(clauses: str) -> str:
    """（十二）（十三） → （十二）: the clause a typical case of this category most likely breached."""
    found = re.match(r"（[^）]+）", clauses)
    return found.group(0) if found else ""


def can_move(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def sources_from(status: str) -> list[str]:
    """States from which `status` may be reached (for the conditional update)."""
    return sorted(s for s, targets in TRANSITIONS.items() if status in targets)


# --- input checks ------------------------------------------------------------------------------------

_PHONE_RE = re.compile(r"(?:\+?86[-\s]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})")


def text_problem(text: str, *, label: str = "反映内容", limit: int = TEXT_MAX) -> str | None:
    if not text.strip():
        return f"请填写{label}。"
    if len(text) > limit:
        return f"{label}最多 {limit} 字，现在有 {len(text)} 字，请精简。"
    return None


def phone_problem(phone: str) -> str | None:
    if not phone.strip():
        return "请填写联系电话，或改为匿名举报。"
    if not _PHONE_RE.fullmatch(phone.strip().replace(" ", "")):
        return "联系电话应为 11 位手机号或带区号的固定电话，例如 13812345678、0871-12345678。"
    return None


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "请填写姓名，或改为匿名举报。"
    if len(name.strip()) > 32:
        return "姓名最多 32 个字。"
    return None


@dataclass(frozen=True)
class Publishable:
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_typical_case(
    *, title: str, summary: str, department: str, clause: str, action_taken: str, names: list[str]
) -> Publishable:
    """A typical case names the body and the clause, never a person: no name, ID number or phone （十六）."""
    problems: list[str] = []
    for label, value in (("标题", title), ("案情摘要", summary), ("处理结果", action_taken)):
        if not value.strip():
            problems.append(f"请填写{label}。")
            continue
        problems += [f"{label}：{p}" for p in personal_data_problems(value, names=names)]
    if not department.strip():
        problems.append("请填写涉及的部门或单位。")
    if clause not in CLAUSES:
        problems.append("请选择违反的条款。")
    return Publishable(tuple(problems))


# --- document review: sentences of a regulatory document ------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")


def split_sentences(text: str) -> list[str]:
    """Sentences as written (。！？； and line breaks end one); blank pieces dropped."""
    out = []
    for piece in _SENTENCE_END.split(text.replace("\r\n", "\n")):
        piece = piece.strip()
        if len(piece) >= 2:
            out.append(piece)
    return out


def join_wrapped_lines(text: str) -> str:
    """PDF text breaks lines mid-sentence; Chinese needs no space when they are joined back.
    A blank line (a paragraph break) is kept."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return "\n".join(re.sub(r"\s*\n\s*", "", p).strip() for p in paragraphs if p.strip())
