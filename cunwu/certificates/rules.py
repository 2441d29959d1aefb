"""Certificate rules: pure functions over plain values, each finding naming its clause.

（十一） prefer 告知承诺 and other alternatives; （十二） what an applicant supplies, when a village
issues and when it refuses; （十三） unlisted certificates, major matters, legal risk and the
township's coordination; （十四） the principal's signature.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from typing import Any

from cunwu.masking import id_number_problem

ISSUE, REFUSE = "issue", "refuse"
RETAINED, FORBIDDEN, UNLISTED = "retained", "forbidden", "unlisted"
UNLISTED_CODE = "UNLISTED"

RECEIVED, PENDING, ISSUED, REFUSED, WITHDRAWN = "received", "pending_sign_off", "issued", "refused", "withdrawn"
# Allowed transitions of an application; services do each as a conditional update.
TRANSITIONS: dict[str, frozenset[str]] = {
    RECEIVED: frozenset({PENDING, REFUSED, WITHDRAWN}),
    PENDING: frozenset({ISSUED, RECEIVED}),
    ISSUED: frozenset(),
    REFUSED: frozenset(),
    WITHDRAWN: frozenset(),
}
# A certificate is revoked once; a coordination case is closed once; a template is published, then withdrawn.
CERTIFICATE_TRANSITIONS: dict[str, frozenset[str]] = {"valid": frozenset({"revoked"}), "revoked": frozenset()}
CASE_TRANSITIONS: dict[str, frozenset[str]] = {"open": frozenset({"closed"}), "closed": frozenset()}
TEMPLATE_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"published"}),
    "published": frozenset({"withdrawn"}),
    "withdrawn": frozenset(),
}

MAX_NAME = 64
MAX_TEXT = 2000
MAX_PURPOSE = 200
MAX_AGENCY = 128
MAX_BASIS = 300
MAX_VALIDITY_DAYS = 3650
MAX_MATERIALS = 10


@dataclass(frozen=True)
class Finding:
    """One rule's verdict: a stable id, the clause it enforces, a Chinese message, the field it is about."""

    rule: str
    clause: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class Ground:
    code: str
    label: str
    clause: str
    explanation: str
    needs_note: bool = False


# The refusal grounds of （十二）, plus the forbidden catalog, selectable by the clerk.
GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground(
            "forbidden_item",
            "列入不应由村级组织出具证明事项目录",
            "（十二）（十三）",
            "该事项列入不应由村级组织出具证明事项目录，村级组织不出具相关证明",
        ),
        Ground("no_legal_basis", "没有法律法规依据", "（十二）", "索要该证明没有法律、法规或者党中央、国务院决定依据"),
        Ground(
            "provable_otherwise",
            "可由法定证照、文书、合同、部门核查或网络核验证明",
            "（十二）",
            "该事项可以通过法定证照、法定文书、合同凭证、部门核查、网络核验等方式证明",
            needs_note=True,
        ),
        Ground("written_notice", "书面告知可以解决", "（十二）", "该事项采取书面告知方式可以解决", needs_note=True),
        Ground(
            "covered_by_other",
            "能被其他材料涵盖或替代",
            "（十二）",
            "该事项能够被其他材料涵盖或者替代",
            needs_note=True,
        ),
        Ground("cannot_verify", "村级组织无法核实", "（十二）", "村级组织没有能力核实该事项"),
        Ground(
            "not_true",
            "经核实与事实不符",
            "（十二）",
            "经核实，申请证明的事项与事实不符，村级组织据实不予出具",
            needs_note=True,
        ),
    )
}
# A retained item is issued 原则上 （十二）; it is refused only when the facts fail.
RETAINED_GROUNDS = ("cannot_verify", "not_true")
UNLISTED_GROUNDS = (
    "no_legal_basis",
    "provable_otherwise",
    "written_notice",
    "covered_by_other",
    "cannot_verify",
    "not_true",
)


@dataclass(frozen=True)
class Alternative:
    """What the citizen does instead of a village certificate （十一）（十七）."""

    kind: str
    kind_label: str
    agency: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "kind_label": self.kind_label, "agency": self.agency, "text": self.text}


@dataclass(frozen=True)
class DecisionInput:
    action: str
    outcome: str
    item_name: str = ""
    required_materials: tuple[str, ...] = ()
    materials_checked: tuple[str, ...] = ()
    alternative: Alternative | None = None
    refusal_ground: str = ""
    note: str = ""
    verification_method: str = ""
    verified_facts: str = ""
    major_matter: bool = False
    investigation_record: str = ""
    meeting_resolution: str = ""
    legal_risk: bool = False
    lawyer_review: str = ""
    agency_named: bool = False


@dataclass(frozen=True)
class Decision:
    """The clerk's decision: issue (goes to the principal) or refuse (告知书), with its clause."""

    action: str
    rule: str
    clause: str
    reason: str
    ground: str = ""
    problems: tuple[Finding, ...] = ()
    consequences: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def coordinate(self) -> bool:
        return any(f.rule == "township_coordination" for f in self.consequences)

    @property
    def commitment_letter(self) -> bool:
        return any(f.rule == "commitment_letter" for f in self.consequences)


def _blank(value: str) -> bool:
    return not (value or "").strip()


def check_safeguards(inp: DecisionInput) -> list[Finding]:
    """Major matters need an investigation and a meeting; legal risk needs a lawyer's review （十三）."""
    found = []
    if inp.major_matter and _blank(inp.investigation_record):
        found.append(
            Finding(
                "major_needs_investigation",
                "（十三）",
                "涉及重大问题的，应详细调查核实，请填写调查核实记录。",
                "investigation_record",
            )
        )
    if inp.major_matter and _blank(inp.meeting_resolution):
        found.append(
            Finding(
                "major_needs_resolution",
                "（十三）",
                "涉及重大问题的，须经村民会议或村民代表会议讨论决定，请填写会议名称、日期和决定内容。",
                "meeting_resolution",
            )
        )
    if inp.legal_risk and _blank(inp.lawyer_review):
        found.append(
            Finding(
                "legal_risk_needs_review",
                "（十三）",
                "存在法律风险的，须先由律师等专业力量评估，请填写评估人和评估意见。",
                "lawyer_review",
            )
        )
    return found


def _decide_refusal(inp: DecisionInput) -> Decision:
    if inp.outcome == FORBIDDEN:
        ground = GROUNDS["forbidden_item"]
        alt = inp.alternative
        reason = f"“{inp.item_name}”{ground.explanation}"
        if alt is not None:
            reason += f"。替代方式（{alt.kind_label}）：{alt.text}；办理机构：{alt.agency}"
        consequences = []
        if inp.agency_named:
            consequences.append(
                Finding(
                    "township_coordination",
                    "（十三）",
                    "索要单位仍要求村级组织出具不应出具的证明，提交乡镇党委和政府协调处理。",
                )
            )
        if alt is not None and alt.kind == "commitment":
            consequences.append(
                Finding("commitment_letter", "（十一）", "该事项实行告知承诺，向申请人提供告知承诺书。")
            )
        return Decision(REFUSE, "forbidden_item", "（十二）", reason + "。", ground.code, (), tuple(consequences))
    allowed = RETAINED_GROUNDS if inp.outcome == RETAINED else UNLISTED_GROUNDS
    chosen = GROUNDS.get(inp.refusal_ground)
    if chosen is None or chosen.code not in allowed:
        labels = "、".join(GROUNDS[g].label for g in allowed)
        message = f"请选择不予出具的理由（{labels}）。"
        if inp.outcome == RETAINED:
            message = f"保留证明事项原则上应依法据实出具（十二），只有{labels}时才不予出具。"
        return Decision(
            REFUSE,
            "refusal_ground_missing",
            "（十二）",
            "",
            "",
            (Finding("refusal_ground_missing", "（十二）", message, "refusal_ground"),),
        )
    ground = chosen
    problems = []
    if ground.needs_note and _blank(inp.note):
        problems.append(
            Finding(
                "refusal_note_missing",
                ground.clause,
                f"选择“{ground.label}”时，请写明具体情况（例如可用哪种证照、文书、核查方式或材料），告知申请人怎么办。",
                "note",
            )
        )
    reason = ground.explanation + (f"：{inp.note.strip()}" if not _blank(inp.note) else "") + "。"
    return Decision(REFUSE, f"refuse_{ground.code}", ground.clause, reason, ground.code, tuple(problems))


def _decide_issue(inp: DecisionInput) -> Decision:
    if inp.outcome == FORBIDDEN:
        alt = inp.alternative
        hint = f"替代方式：{alt.text}（{alt.agency}）。" if alt else ""
        return Decision(
            ISSUE,
            "forbidden_item",
            "（十二）",
            "",
            problems=(
                Finding(
                    "forbidden_item",
                    "（十二）",
                    f"“{inp.item_name}”属于不应由村级组织出具的证明事项，不得出具，请出具不予出具告知书。{hint}",
                    "action",
                ),
            ),
        )
    problems: list[Finding] = []
    if inp.outcome == RETAINED:
        checked = set(inp.materials_checked)
        missing = [m for m in inp.required_materials if m not in checked]
        if missing:
            problems.append(
                Finding(
                    "materials_missing",
                    "（十二）",
                    f"请先核验申请人提供的材料：{'、'.join(missing)}。",
                    "materials_checked",
                )
            )
        if _blank(inp.verified_facts):
            problems.append(
                Finding(
                    "facts_missing",
                    "（十二）",
                    "据实出具：请写明经核实的事实，这些内容将印在证明上。",
                    "verified_facts",
                )
            )
        rule, clause, reason = (
            "retained_item",
            "（十二）",
            f"“{inp.item_name}”属于保留的村级组织出具证明事项，经核验材料、核实事实后据实出具。",
        )
    else:
        if _blank(inp.verification_method):
            problems.append(
                Finding(
                    "unlisted_unverified",
                    "（十三）",
                    "目录外的证明只能对能够核实的事项出具：请写明如何核实（例如入户走访、查阅村档案、询问村民小组）。",
                    "verification_method",
                )
            )
        if _blank(inp.verified_facts):
            problems.append(
                Finding("facts_missing", "（十三）", "请写明经核实的事实，证明只写能够核实的内容。", "verified_facts")
            )
        rule, clause, reason = (
            "unlisted_verified",
            "（十三）",
            "未列入目录，因群众工作、学习、生活需要，对能够核实的事项据实出具。",
        )
    problems.extend(check_safeguards(inp))
    return Decision(ISSUE, rule, clause, reason, "", tuple(problems))


def decide_application(inp: DecisionInput) -> Decision:
    """Decide an application: refuse with a ground, or propose issue for the principal's signature."""
    if inp.action == REFUSE:
        return _decide_refusal(inp)
    if inp.action == ISSUE:
        return _decide_issue(inp)
    return Decision(
        inp.action,
        "unknown_action",
        "（十二）",
        "",
        problems=(Finding("unknown_action", "（十二）", "请选择“拟出具”或“不予出具”。", "action"),),
    )


def check_transition(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, frozenset())


def check_signer(*, is_principal: bool) -> Finding | None:
    """Daily certificates are used with the seal only after the principal signs （十四）."""
    if is_principal:
        return None
    return Finding(
        "principal_signature", "（十四）", "证明须由村（社区）主要负责人签字后出具（十四），经办人不能签发。"
    )


# Words that suggest property, inheritance, land or liability: hints only, the clerk decides （十三）.
_MAJOR_WORDS = ("土地", "宅基地", "承包", "林地", "权属", "房屋", "继承", "遗产", "征地", "补偿", "集体资产", "分配")
_LEGAL_WORDS = ("担保", "贷款", "诉讼", "赔偿", "债务", "借款", "抵押", "纠纷", "财产", "收入")


def risk_hints(text: str) -> list[Finding]:
    """Advice when a request touches matters that usually are major or carry legal risk."""
    text = text or ""
    hints = []
    major = [w for w in _MAJOR_WORDS if w in text]
    legal = [w for w in _LEGAL_WORDS if w in text]
    if major:
        hints.append(
            Finding(
                "major_matter_hint",
                "（十三）",
                f"申请涉及“{'、'.join(major)}”，如属重大问题，应详细调查核实，必要时召开村民会议或村民代表会议讨论决定。",
            )
        )
    if legal:
        hints.append(
            Finding(
                "legal_risk_hint",
                "（十三）",
                f"申请涉及“{'、'.join(legal)}”，如存在法律风险，应先由律师等专业力量评估。",
            )
        )
    return hints


# --- intake --------------------------------------------------------------------------------

_PHONE = re.compile(r"^[0-9+\- ]{7,20}$")


def name_problem(value: str, label: str = "姓名") -> str | None:
    value = (value or "").strip()
    if not value:
        return f"请填写{label}。"
    if len(value) > MAX_NAME:
        return f"{label}过长（最多 {MAX_NAME} 个字）。"
    if any(ch.isdigit() for ch in value):
        return f"{label}不应包含数字。"
    return None


def phone_problem(value: str) -> str | None:
    value = (value or "").strip()
    if value and not _PHONE.match(value):
        return "联系电话应为 7–20 位数字，例如 13800000000 或 0871-68000000。"
    return None


@dataclass(frozen=True)
class IntakeInput:
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    request_text: str
    purpose: str
    requesting_agency: str = ""
    agency_basis: str = ""
    by_proxy: bool = False
    agent_name: str = ""
    agent_id_number: str = ""
    agent_phone: str = ""
    has_authorisation: bool = False
    phone_required: bool = False


def check_intake(inp: IntakeInput) -> list[Finding]:
    """What the applicant must give （十二）: identity, the certificate asked for, reason and purpose."""
    found: list[Finding] = []

    def add(field_name: str, message: str | None, rule: str = "intake") -> None:
        if message:
            found.append(Finding(rule, "（十二）", message, field_name))

    add("applicant_name", name_problem(inp.applicant_name, "申请人姓名"))
    add(
        "applicant_id_number",
        id_number_problem(inp.applicant_id_number or "")
        if (inp.applicant_id_number or "").strip()
        else "请填写申请人的身份证号码。",
    )
    if inp.phone_required and not (inp.applicant_phone or "").strip():
        add("applicant_phone", "请填写联系电话，便于村（社区）告知办理结果。")
    add("applicant_phone", phone_problem(inp.applicant_phone))
    text = (inp.request_text or "").strip()
    if not text:
        add("request_text", "请写明要开什么证明，例如“居住证明”或“派出所让我开亲属关系证明”。")
    elif len(text) > MAX_TEXT:
        add("request_text", f"内容过长（{len(text)} 字），请控制在 {MAX_TEXT} 字以内。")
    purpose = (inp.purpose or "").strip()
    if not purpose:
        add("purpose", "请说明证明的用途（例如办理居住证、申请助学金）。")
    elif len(purpose) > MAX_PURPOSE:
        add("purpose", f"用途过长（最多 {MAX_PURPOSE} 个字）。")
    if len((inp.requesting_agency or "").strip()) > MAX_AGENCY:
        add("requesting_agency", f"索要单位名称过长（最多 {MAX_AGENCY} 个字）。")
    if len((inp.agency_basis or "").strip()) > MAX_BASIS:
        add("agency_basis", f"索要依据过长（最多 {MAX_BASIS} 个字）。")
    if inp.by_proxy:
        add("agent_name", name_problem(inp.agent_name, "代办人姓名"))
        agent_id = (inp.agent_id_number or "").strip()
        add("agent_id_number", id_number_problem(agent_id) if agent_id else "请填写代办人的身份证号码。")
        if agent_id and agent_id.upper() == (inp.applicant_id_number or "").strip().upper():
            add("agent_id_number", "代办人与申请人不能是同一人。")
        add("agent_phone", phone_problem(inp.agent_phone))
        if not inp.has_authorisation:
            add("authorisation", "委托代办须上传申请人签字的授权委托书（PDF、JPG 或 PNG）。")
    return found


def validity_problem(days: int | None) -> str | None:
    if days is None:
        return None
    if days < 1 or days > MAX_VALIDITY_DAYS:
        return f"有效期应为 1–{MAX_VALIDITY_DAYS} 天。"
    return None


# --- templates (式样) ------------------------------------------------------------------------

PLACEHOLDERS: dict[str, str] = {
    "姓名": "证明对象姓名",
    "身份证号": "公民身份号码",
    "村": "出具证明的村（社区）",
    "事项": "证明事项名称",
    "核实情况": "经核实的事实（经办人填写）",
    "核实方式": "核实方式（经办人填写）",
    "用途": "申请人说明的用途",
    "索要单位": "索要证明的单位",
    "有效期至": "有效期截止日期",
    "日期": "出具日期",
}

RETAINED_DEFAULT_BODY = (
    "兹证明{姓名}（公民身份号码：{身份证号}）申请出具“{事项}”。\n经本村（社区）核实：{核实情况}\n特此证明。"
)
UNLISTED_DEFAULT_BODY = (
    "兹证明{姓名}（公民身份号码：{身份证号}）：\n经本村（社区）核实（核实方式：{核实方式}），{核实情况}\n特此证明。"
)
UNLISTED_DEFAULT_TITLE = "证明"


def template_problems(title: str, body: str) -> list[Finding]:
    """A 式样 may use only the known placeholders and must name the person （十二）."""
    found = []
    if _blank(title):
        found.append(Finding("template_title", "（十二）", "请填写证明标题，例如“居住证明”。", "title"))
    elif len(title.strip()) > 100:
        found.append(Finding("template_title", "（十二）", "证明标题过长（最多 100 个字）。", "title"))
    if _blank(body):
        found.append(Finding("template_body", "（十二）", "请填写正文式样。", "body"))
        return found
    if len(body) > 4000:
        found.append(Finding("template_body", "（十二）", "正文式样过长（最多 4000 个字）。", "body"))
    try:
        names = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(body) if name is not None]
    except ValueError:
        found.append(
            Finding(
                "template_braces",
                "（十二）",
                "花括号不成对：占位符应写成 {姓名} 这样的形式；正文中要用花括号本身时请写 {{ 或 }}。",
                "body",
            )
        )
        return found
    unknown = sorted({n for n, _, _ in names if n not in PLACEHOLDERS})
    if unknown:
        known = "、".join("{" + k + "}" for k in PLACEHOLDERS)
        found.append(
            Finding(
                "template_placeholder",
                "（十二）",
                f"不认识的占位符：{'、'.join('{' + u + '}' for u in unknown)}。可用：{known}。",
                "body",
            )
        )
    if any(spec or conv for _, spec, conv in names):
        found.append(
            Finding(
                "template_placeholder", "（十二）", "占位符中不能带格式说明（如 {姓名:10}），请只写 {姓名}。", "body"
            )
        )
    if "姓名" not in {n for n, _, _ in names}:
        found.append(Finding("template_subject", "（十二）", "正文式样须包含 {姓名}，写明证明的是谁。", "body"))
    return found


def fill_template(body: str, values: dict[str, str]) -> list[str]:
    """The paragraphs of a body with placeholders filled; a blank line or newline starts a paragraph."""
    filled = body.format_map({k: values.get(k, "") for k in PLACEHOLDERS})
    return [p.strip() for p in filled.splitlines() if p.strip()]


# --- numbers, dates, content -----------------------------------------------------------------


def serial_text(region_code: str, year: int, seq: int) -> str:
    """The certificate serial printed and carried in the `sn` claim: the village code, the year and a
    number counted per village and year without gaps, so the serial alone names one certificate."""
    return f"{region_code}-{year}-{seq:06d}"


def receipt_text(year: int, seq: int) -> str:
    return f"SL{year}-{seq:06d}"


def refusal_text(year: int, seq: int) -> str:
    return f"GZ{year}-{seq:06d}"


def date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def purpose_line(purpose: str) -> str:
    purpose = (purpose or "").strip().rstrip("。")
    return f"本证明仅用于{purpose}，他用无效。"


def validity_line(until: dt.date | None) -> str | None:
    return f"本证明有效期至{date_text(until)}。" if until else None


def printed_content(
    *,
    title: str,
    serial: str,
    issuer_code: str,
    issuer_name: str,
    item_code: str,
    item_name: str,
    paragraphs: list[str],
    fields: list[tuple[str, str]],
    purpose: str,
    valid_until: dt.date | None,
    issued_on: dt.date,
) -> dict[str, Any]:
    """Everything printed on a certificate except the QR and footer: the input of the `dig` claim."""
    return {
        "v": 1,
        "title": title,
        "serial": serial,
        "issuer": {"code": issuer_code, "name": issuer_name},
        "item": {"code": item_code, "name": item_name},
        "paragraphs": list(paragraphs),
        "fields": [[label, value] for label, value in fields],
        "purpose_line": purpose_line(purpose),
        "validity_line": validity_line(valid_until),
        "date_text": date_text(issued_on),
    }


def verify_status(*, revoked: bool, valid_until: dt.datetime | None, now: dt.datetime) -> str:
    """valid, revoked or expired; revocation wins because it is the stronger statement."""
    if revoked:
        return "revoked"
    if valid_until is not None and now > valid_until:
        return "expired"
    return "valid"
