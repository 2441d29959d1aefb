"""The pure decisions of the admission (准入) area, each citing its clause.

The screening rules as data (`RULES`: id, clause, effect), their findings and the outcome they
lead to (DESIGN.md §4); the county's triage （三） and where the work then goes （十七）; request
and assignment transitions; the county's one evaluation （五）. Reading a request's text for the
rules is `screening.py`. No ORM here: facts are passed in by the services.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

# --- findings -------------------------------------------------------------------------------

REJECT, REDIRECT = "reject", "redirect"
IN_CATALOG, NEEDS_REVIEW, REJECTED = "in_catalog", "needs_review", "rejected"


@dataclass(frozen=True)
class RuleSpec:
    rule: str
    clause: str
    effect: str
    label: str


RULES: dict[str, RuleSpec] = {
    s.rule: s
    for s in (
        RuleSpec("pledge", "（二）", REJECT, "要求签订责任状（责任书、承诺书）"),
        RuleSpec("responsible_body", "（二）", REJECT, "将村级组织作为责任主体"),
        RuleSpec("evidence_screenshot", "（五）", REJECT, "以台账、截图、照片、视频作为工作落实依据"),
        RuleSpec("separate_evaluation", "（五）", REJECT, "部门单独组织考核评比"),
        RuleSpec("dedicated_post", "（六）", REJECT, "要求专人专岗"),
        RuleSpec("new_mechanism", "（六）（九）", REDIRECT, "新设村级工作机制或加挂牌子"),
        RuleSpec("adhoc_form", "（四）", REDIRECT, "年度计划外的填表报数"),
        RuleSpec("meeting", "（四）", REDIRECT, "要求村干部参加会议或培训"),
    )
}
RULE_IDS = tuple(RULES)


@dataclass(frozen=True)
class Violation:
    rule: str
    clause: str
    effect: str
    message: str
    evidence: str = ""  # the sentence that triggered it, shown to people (not part of the API)

    def as_api(self) -> dict[str, str]:
        return {"rule": self.rule, "clause": self.clause, "effect": self.effect, "message": self.message}


@dataclass(frozen=True)
class Match:
    kind: str
    code: str
    name: str
    score: float

    def as_api(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "name": self.name, "score": self.score}


@dataclass(frozen=True)
class ScreenInput:
    title: str
    content: str
    type: str = ""
    basis: str = ""
    pledge: bool | None = None
    responsible_body: str = ""
    evidence: str = ""
    # Facts the text cannot establish, supplied by the services from the registers: the request
    # cites a pledge approved by 省委、省政府 （二）, a mechanism approved under （六）, or an
    # evaluation the county organises （五）; the county's annual form plan covers it （四）.
    approved_pledge: bool = False
    approved_mechanism: bool = False
    approved_evaluation: bool = False
    in_form_plan: bool = False
    # The registered document numbers behind those facts, (kind, 文号), to record which one exempted it.
    approvals: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Exemption:
    """A registry entry that lifted a rule from a request: its kind and document number （二）（五）（六）."""

    kind: str
    number: str

    def as_record(self) -> dict[str, str]:
        return {"kind": self.kind, "number": self.number, "label": EXEMPTION_LABELS.get(self.kind, self.kind)}


@dataclass(frozen=True)
class Screening:
    outcome: str
    matches: tuple[Match, ...] = ()
    violations: tuple[Violation, ...] = ()
    exemptions: tuple[Exemption, ...] = ()

    @property
    def rejected(self) -> bool:
        return self.outcome == REJECTED

    def rules(self) -> set[str]:
        return {v.rule for v in self.violations}

    def as_api(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "matches": [m.as_api() for m in self.matches],
            "violations": [v.as_api() for v in self.violations],
        }

    def as_record(self) -> dict[str, Any]:
        """What is stored with a request version (the API shape plus the triggering sentences and
        the registry entries that exempted it)."""
        out = self.as_api()
        for item, v in zip(out["violations"], self.violations, strict=True):
            item["evidence"] = v.evidence
        out["exemptions"] = [e.as_record() for e in self.exemptions]
        return out


def decide_outcome(violations: Sequence[Violation], matches: Sequence[Match]) -> str:
    """DESIGN.md §4: rejected if any violation rejects, else needs_review if any redirects or
    nothing in the catalogs matches, else in_catalog."""
    if any(v.effect == REJECT for v in violations):
        return REJECTED
    if any(v.effect == REDIRECT for v in violations) or not matches:
        return NEEDS_REVIEW
    return IN_CATALOG


TYPES = {
    "task": "工作任务",
    "meeting": "会议或培训",
    "evaluation": "考核评比",
    "chat_group": "工作群",
    "app": "政务应用（APP）",
    "mechanism": "新设机制或挂牌",
    "form": "填表报数",
}
TYPE_RULE = {
    "meeting": "meeting",
    "evaluation": "separate_evaluation",
    "mechanism": "new_mechanism",
    "form": "adhoc_form",
}

MESSAGES = {
    "pledge": "不得要求村级组织签订责任状、责任书或承诺书（含“一票否决”）；中央没有明确规定或未经省委和省政府批准的一律不得要求签订，不得变相向基层推卸责任。",
    "responsible_body": "不得将村级组织作为{area}等事务的责任主体；村级组织只能协助宣传、发现报告，责任由职能部门承担。",
    "evidence_screenshot": "不得以上传工作场景截图、照片、录制视频或台账记录、工作笔记作为工作是否落实的标准，应以实地查看、群众评价等方式评价实际工作。",
    "separate_evaluation": "村级组织的考核评价由县（市、区）党委和政府统一部署实施，各职能部门不得单独组织考核、评比、排名。",
    "dedicated_post": "村级组织实行“大岗位制”，党政群机构不得要求村级组织设立专岗或配备专人、专职人员。",
    "new_mechanism": "新设村级工作机制或在指导目录外加挂牌子，须有党中央、国务院明确要求或法律法规规定，或经省委和省政府同意；请转入机制牌子审批渠道，由县级统筹。",
    "adhoc_form": "不得随意要求村级组织填表报数、提供材料；确需填报的，请纳入县级年初统一整合的填报计划，按规定频次由乡镇安排。",
    "meeting": "非必要不要求村级组织参加会议和培训；能以文件、电话通知安排的不再开会。确需参加的，请说明理由，报县级审批。",
}


def violation(rule: str, evidence: str = "", **fmt: str) -> Violation:
    spec = RULES[rule]
    message = (
        MESSAGES[rule].format(**fmt)
        if fmt
        else MESSAGES[rule].replace("{area}", "行政执法、拆迁拆违、招商引资、安全生产")
    )
    return Violation(rule=rule, clause=spec.clause, effect=spec.effect, message=message, evidence=evidence[:200])


# --- decisions, triage, transitions ----------------------------------------------------------

TRIAGE = {
    "duty": "村级组织依法履职事项（加强业务指导和培训）",
    "assist": "协助服务事项（部门提供必要工作条件）",
    "township": "村级组织难以承担的公共事务（由乡镇统筹协调解决）",
    "purchase": "适合市场化提供的事项（纳入政府购买服务）",
}

# （三）: only work the village does (its duties, or assisting a department) is assigned to villages;
# work routed to the township or to purchased services leaves the village, and then （十七） wants
# the channel where villagers now go for it.
VILLAGE_TRIAGE = frozenset({"duty", "assist"})


def creates_assignments(triage: str) -> bool:
    """Whether approved work with this triage is assigned to the target villages （三）."""
    return triage in VILLAGE_TRIAGE


# Work that leaves the village: a task for the township, or a purchase of services by the county.
ROUTED_TRIAGE = ("township", "purchase")


def channel_required(triage: str) -> bool:
    """Whether the decision must name the service channel villagers use now （十七）."""
    return triage in TRIAGE and triage not in VILLAGE_TRIAGE


# --- registries of approvals （二）（五）（六） ------------------------------------------------------

# Which level records which approval: pledges （二） and mechanisms （六） need 省委、省政府, the one
# evaluation （五） is organised by the county.
APPROVAL_LEVELS = {"pledge": "province", "mechanism": "province", "evaluation": "county"}


# Which approval kind lifts which rule: a registered pledge （二）, mechanism （六） or county evaluation （五）.
EXEMPTED_BY = {
    "pledge": "pledge",
    "new_mechanism": "mechanism",
    "dedicated_post": "mechanism",
    "separate_evaluation": "evaluation",
}
EXEMPTION_LABELS = {
    "pledge": "经省委、省政府批准的责任状",
    "mechanism": "经省委和省政府同意的村级工作机制",
    "evaluation": "县级统一组织的考核评价",
}


def registered_numbers(cited: Iterable[str], registered: dict[str, set[str]]) -> tuple[tuple[str, str], ...]:
    """(kind, 文号) of each cited number on a registry, in citation order."""
    return tuple((kind, key) for key in cited for kind in APPROVAL_LEVELS if key in registered.get(kind, set()))


def exemptions_for(lifted_rules: Iterable[str], approvals: Iterable[tuple[str, str]]) -> tuple[Exemption, ...]:
    """The registry entries that lifted these rules (a rule found only when approvals are ignored)."""
    kinds = {EXEMPTED_BY[r] for r in lifted_rules if r in EXEMPTED_BY}
    return tuple(Exemption(kind, number) for kind, number in approvals if kind in kinds)


def registry_facts(cited: Iterable[str], registered: dict[str, set[str]]) -> dict[str, bool]:
    """Which exemptions a request earns: a kind counts only when a document number cited in its
    basis is on that kind's registry. Naming 省委、省政府 or citing an unregistered number earns none."""
    keys = set(cited)
    return {
        "approved_pledge": bool(keys & registered.get("pledge", set())),
        "approved_mechanism": bool(keys & registered.get("mechanism", set())),
        "approved_evaluation": bool(keys & registered.get("evaluation", set())),
    }


def decision_overrides(found_rules: Iterable[str], decided: str) -> bool:
    """Whether the county's decision contradicts the screening: approving a request in which
    screening found a rule broken, or refusing one in which it found none."""
    found = bool(set(found_rules))
    return (decided == "approve" and found) or (decided == "reject" and not found)


CHANNELS = {
    "phone": "电话",
    "chat_group": "工作群（微信、QQ等）",
    "meeting": "会议",
    "document": "文件通知",
    "app": "政务应用（APP）",
    "in_person": "当面交办",
    "other": "其他",
}

# Request states and who moves them. A returned or screen-rejected request can be revised.
TRANSITIONS: dict[str, set[str]] = {
    "screen_rejected": {"pending", "screen_rejected", "withdrawn"},
    "pending": {"approved", "returned", "rejected", "withdrawn"},
    "returned": {"pending", "screen_rejected", "withdrawn"},
    "approved": set(),
    "rejected": set(),
    "withdrawn": set(),
}


# Off-list reports (清单外摊派反映, （十七）): the county confirms or dismisses an open one, once.
OFFLIST_TRANSITIONS: dict[str, set[str]] = {
    "open": {"confirmed", "dismissed"},
    "confirmed": set(),
    "dismissed": set(),
}


def can_transition(old: str, new: str) -> bool:
    return new in TRANSITIONS.get(old, set())


def status_after_screening(screening: Screening) -> str:
    return "screen_rejected" if screening.rejected else "pending"


ASSIGNMENT_FLOW: dict[str, set[str]] = {
    "assigned": {"acknowledged", "in_progress", "done"},
    "acknowledged": {"in_progress", "done"},
    "in_progress": {"in_progress", "done"},
    "done": set(),
}


def can_progress(old: str, new: str) -> bool:
    return new in ASSIGNMENT_FLOW.get(old, set())


def is_overdue(deadline: date | None, status: str, today: date) -> bool:
    return deadline is not None and status != "done" and deadline < today


# --- the one evaluation （五） ---------------------------------------------------------------

EVIDENCE_KINDS = {
    "site_visit": "实地查看",
    "villager_survey": "群众满意度测评",
    "results_data": "工作实绩数据（系统数据）",
    "interview": "座谈访谈",
    "documents": "文件资料",
    "ledger": "台账记录",
    "screenshot": "截图、照片",
    "video": "视频",
}
_FORMAL_EVIDENCE = {"ledger", "screenshot", "video", "documents"}


def check_indicator_evidence(kinds_: Iterable[str]) -> str | None:
    """（五）: evidence may not be mere ledgers, screenshots or videos; one substantive kind needed."""
    chosen = set(kinds_)
    if not chosen:
        return "请至少选择一种评价依据。"
    unknown = chosen - set(EVIDENCE_KINDS)
    if unknown:
        return "评价依据不在可选范围内。"
    if chosen <= _FORMAL_EVIDENCE:
        return "评价依据不能只有台账、截图、照片、视频或文件资料（（五）），请加入实地查看、群众满意度测评、工作实绩数据或座谈访谈。"
    return None


def check_weights(weights: Sequence[float]) -> str | None:
    total = round(sum(weights), 2)
    if total != 100:
        return f"各项指标权重之和应为 100，现在为 {total:g}。"
    return None


def weighted_total(scores: dict[int, float], weights: dict[int, float]) -> float:
    """A village's total: Σ weight × score / 100 over the indicators it was scored on."""
    return round(sum(weights[i] * scores[i] / 100 for i in scores if i in weights), 2)


# --- chat groups and apps （五） -------------------------------------------------------------

CHANNEL_KINDS = {"wechat": "微信群", "qq": "QQ群", "app": "政务应用（APP）", "other": "其他"}
CLEANUP = {"keep": "保留", "merge": "合并", "close": "关停"}


def counts_before_after(entries: Iterable[tuple[int, set[str], str, int | None]]) -> dict[str, tuple[int, int]]:
    """Per village code: how many groups/apps reach its staff before clean-up and after.

    Entries are (id, village codes, decision, merged_into id). After clean-up a village keeps the
    kept or undecided entries, and the entry a merged one joined (counted once); closed ones go.
    """
    entries = list(entries)
    target = {eid: merged for eid, _, decision, merged in entries if decision == "merge"}
    decisions = {eid: decision for eid, _, decision, _ in entries}

    def final(eid: int) -> int | None:
        seen = set()
        while eid in target and eid not in seen:
            seen.add(eid)
            eid = target[eid]  # type: ignore[assignment]
        return None if decisions.get(eid) in ("close", "merge") or eid is None else eid

    before: dict[str, int] = {}
    after: dict[str, set[int]] = {}
    for eid, villages, _, _ in entries:
        f = final(eid)
        for code in villages:
            before[code] = before.get(code, 0) + 1
            bucket = after.setdefault(code, set())
            if f is not None:
                bucket.add(f)
    return {code: (before[code], len(after[code])) for code in before}


# --- departments' responsibilities toward villages （一） --------------------------------------------

REMIT_KINDS = ("duty", "assist")  # the catalogs through which a department asks villages for work


@dataclass(frozen=True)
class RemitCheck:
    """Whether a request lies within its department's published responsibilities （一）.

    Shown to the reviewer as 需核对 with the reason; it adds no screening rule and changes no outcome.
    """

    needs_check: bool
    reason: str = ""


def remit_check(*, has_remit: bool, remit_items: Iterable[str], matches: Iterable[tuple[str, str, str]]) -> RemitCheck:
    """Compare the catalog items a request matches, (kind, code, name), with the items its department
    stated it asks villages to assist through. No stated responsibilities, or no item in common → 需核对.
    """
    if not has_remit:
        return RemitCheck(True, "该部门尚未公布乡村振兴职责范围和履职方式（一），无法核对本申请是否属于其职责。")
    stated = list(dict.fromkeys(remit_items))
    matched = [(code, name) for kind, code, name in matches if kind in REMIT_KINDS]
    if any(code in stated for code, _ in matched):
        return RemitCheck(False)
    listed = "、".join(stated) if stated else "无"
    if not matched:
        return RemitCheck(
            True,
            f"申请内容未对应履职事项或协助服务事项目录中的事项，不在该部门公布的请村协助事项（{listed}）之内。",
        )
    found = "、".join(f"{code} {name}" for code, name in matched)
    return RemitCheck(True, f"申请对应的目录事项（{found}）不在该部门公布的请村协助事项（{listed}）之内。")
