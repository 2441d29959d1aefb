"""Decisions about seals, as pure functions over plain values. Each finding cites its clause.

Clause （十四）: scope of use, approval, registration, filing and handover; approver and custodian
are different people; daily certificates need the principal's signature; contracts and
collective asset disposals need a villagers' (representatives') meeting and the principal's
signature; seal use may never be conditional on villagers' obligations; no piggy-backed matters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cunwu.workdays import is_workday

from .choices import (
    MAJOR_CATEGORIES,
    PRINCIPAL_CATEGORIES,
    Category,
    HandoverStatus,
    MeetingKind,
    QuorumBasis,
    RequestStatus,
    SealStatus,
)

CLAUSE = "（十四）"
MAX_IMPRESSIONS = 99
MAX_MATTER = 200
MAX_REMARKS = 300


@dataclass(frozen=True)
class Finding:
    """One reason a seal action cannot go ahead: stable id, clause, field, Chinese message."""

    rule: str
    clause: str
    message: str
    field: str = ""


def _finding(rule: str, message: str, field: str = "") -> Finding:
    return Finding(rule=rule, clause=CLAUSE, message=f"{message}{CLAUSE}", field=field)


# --- transitions ----------------------------------------------------------------------------

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.DRAFT: frozenset({RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN}),
    RequestStatus.SUBMITTED: frozenset({RequestStatus.APPROVED, RequestStatus.REJECTED, RequestStatus.WITHDRAWN}),
    RequestStatus.APPROVED: frozenset({RequestStatus.STAMPED, RequestStatus.WITHDRAWN}),
    RequestStatus.REJECTED: frozenset(),
    RequestStatus.WITHDRAWN: frozenset(),
    RequestStatus.STAMPED: frozenset(),
}

SEAL_TRANSITIONS: dict[str, frozenset[str]] = {
    SealStatus.IN_USE: frozenset({SealStatus.SEALED_AWAY, SealStatus.DESTROYED, SealStatus.LOST}),
    SealStatus.SEALED_AWAY: frozenset({SealStatus.IN_USE, SealStatus.DESTROYED, SealStatus.LOST}),
    # A lost seal that turns up is destroyed or, once the township agrees, used again.
    SealStatus.LOST: frozenset({SealStatus.IN_USE, SealStatus.DESTROYED}),
    SealStatus.DESTROYED: frozenset(),
}

HANDOVER_TRANSITIONS: dict[str, frozenset[str]] = {
    HandoverStatus.PENDING: frozenset({HandoverStatus.CONFIRMED, HandoverStatus.REFUSED, HandoverStatus.CANCELLED}),
    HandoverStatus.CONFIRMED: frozenset({HandoverStatus.ACKNOWLEDGED}),
    HandoverStatus.REFUSED: frozenset(),
    HandoverStatus.ACKNOWLEDGED: frozenset(),
    HandoverStatus.CANCELLED: frozenset(),
}


def can_move(table: dict[str, frozenset[str]], old: str, new: str) -> bool:
    return new in table.get(old, frozenset())


# --- registry --------------------------------------------------------------------------------


def check_seal_roles(*, custodian_id: int, approver_ids: list[int]) -> list[Finding]:
    """A seal's custodian never approves its use; at least one approver is named."""
    found = []
    if not approver_ids:
        found.append(_finding("approver_missing", "须至少指定一名用印审批人", "approvers"))
    if custodian_id in approver_ids:
        found.append(_finding("custodian_approver", "印章保管人不得同时担任该印章的用印审批人", "approvers"))
    return found


def check_status_change(*, old: str, new: str, on: date | None, reason: str, today: date) -> list[Finding]:
    """Sealing away, destroying or losing a seal is recorded with a date and a reason."""
    found = []
    if old == new:
        found.append(_finding("status_same", f"印章当前已是“{SealStatus(old).label}”状态", "status"))
    elif not can_move(SEAL_TRANSITIONS, old, new):
        found.append(
            _finding("status_transition", f"印章不能从“{SealStatus(old).label}”改为“{SealStatus(new).label}”", "status")
        )
    if on is None:
        found.append(_finding("status_date", "请填写发生日期", "on"))
    elif on > today:
        found.append(_finding("status_date", "发生日期不能晚于今天", "on"))
    if not reason.strip():
        found.append(_finding("status_reason", "请填写原因（如换届封存、印章损坏销毁、遗失经过）", "reason"))
    return found


# --- the text of a request -------------------------------------------------------------------

_SENTENCE = re.compile(r"[。;!?\n]+")
# What the seal (or the certificate it makes valid) does.
_SEAL_ACT = re.compile(r"盖章|用印|盖印|加盖|签章|盖公章|盖个章|出具|开具|开证明|开具证明|签字|盖")
# A villager's obligation: paying, labour, tasks, pledges, donations, demolition, enrolment.
_OBLIGATION = re.compile(
    r"缴|(?:交|补交|上交|付|支付|付清|结清|还清|偿还|交清|交齐)[^,，、;:：]{0,10}?"
    r"(?:费|款|钱|金|税|医保|社保|保险|合作医疗|新农合|罚|欠|摊派|集资|租)"
    r"|欠[^,，;]{0,6}?(?:费|款|钱|租|账)|拖欠"
    r"|完成[^,，;]{0,15}?(?:任务|指标|义务|工作量|投工|投劳|植树|整治|清理|拆除|搬迁|种植|养殖|认购)"
    r"|投工|投劳|出工|义务工|义务劳动|以工代"
    r"|捐款|捐资|捐赠|集资|摊派"
    r"|拆除|拆迁|搬迁|腾退|清理[^,，;]{0,6}?(?:违建|乱堆|垃圾|杂物)"
    r"|参保|参合|续保|入股|认购|订阅|订购|接种"
    r"|参加[^,，;]{0,10}?(?:劳动|义务|会议|活动|培训|整治|清扫|巡逻|值班|大扫除)"
    r"|签(?:订|署)?[^,，;]{0,10}?(?:承诺书|责任书|保证书|责任状)"
    r"|配合[^,，;]{0,10}?(?:征地|征收|拆迁|整治|检查|工作)"
    r"|履行[^,，;]{0,6}?义务|门前三包|人居环境"
)
# Words that turn the obligation into a condition: first …, only after …, unless …, otherwise ….
_CONDITION = re.compile(
    r"先|再|后|之后|以后|才|方可|方能|方予|须|需|必须|要求|应当|应先|得先|待"
    r"|前提|条件|否则|除非|只有|不予|不得|不能|不给|暂缓|拒绝|一律不|未.{0,20}?不|没有.{0,20}?不|前(?:须|需|应|要|必须)"
)


def _normal(text: str) -> str:
    """Full-width letters, digits and punctuation to half-width; runs of spaces to one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def check_obligation_conditions(matter: str, remarks: str = "") -> list[Finding]:
    """Refuse a request that makes seal use wait on a villager's obligations (先缴清……再盖章).

    In the matter a sentence must name the seal act too; the remarks are conditions of this seal
    use by construction, so an obligation stated as a condition there is enough.
    """
    for field, text in (("matter", matter), ("remarks", remarks)):
        for sentence in _SENTENCE.split(_normal(text)):
            obligation = _OBLIGATION.search(sentence)
            if not obligation or not _CONDITION.search(sentence):
                continue
            if field == "matter" and not _SEAL_ACT.search(sentence):
                continue
            return [
                _finding(
                    "obligation_precondition",
                    f"严禁以村民群众履行义务为用印的前置条件（“{sentence[:40]}”），请删去该条件后再申请",
                    field,
                )
            ]
    return []


# The kinds of document a seal is put on: two of them in one request are two matters.
_HEAD = re.compile(
    r"证明|合同|协议书|协议|介绍信|委托书|承诺书|申请书|申请表|登记表|审批表|推荐信|推荐表|复印件|收据|公函|决定书|意见书"
)
# Attachments belong to the main document of the same matter.
_ATTACHMENT = re.compile(r"补充协议|附件|附表|副本|清单|花名册|一式")
_JOINERS = re.compile(r"[、,，;；/]|以及|及|和|与|并且|并|还有|另")
# What stands between a verb and the document it acts on: 出具(居住)证明, 签订(租赁)合同.
_QUALIFIER_STOP = re.compile(r"出具|开具|签订|签署|加盖|盖|办理|为|给|的|等|份|一")
# Purpose and basis clauses name other documents without asking to stamp them.
_PURPOSE = re.compile(r"(?:用于|用作|以便|便于|为了|供|作为)[^,，;；。]*")
_BASIS = re.compile(r"(?:根据|依据|按照|按|经)[^,，;；。]*?(?:决议|决定|会议|同意|批准|通过|规定|要求)[^,，;；。]*")
_ENUM_NUMBER = re.compile(r"(?:^|[,，;；:：。、(（\s])(\d{1,2}|[一二三四五六七八九十])[.．、)）](?!\d)")
_ENUM_PAREN = re.compile(r"[(（](?:\d{1,2}|[一二三四五六七八九十])[)）]")
_ENUM_CIRCLED = re.compile(r"[①②③④⑤⑥⑦⑧⑨⑩]")
_ENUM_WORDS = re.compile(r"[一二三四五六]是|其[一二三四]|首先|其次|第[一二三四五六][,，、:：]")
_ADD_ON = re.compile(
    r"顺便|顺带|捎带|一并|附带|搭车|另外|另需|另请|另加|此外|外加|再加盖|同时(?:加盖|盖|出具|开具|办理|签订)"
    r"|还(?:需|要|得)(?:要)?(?:盖|加盖|出具|开具|办理|签)|等(?:多项|多个|若干)?事项|多个事项|若干事项"
)


def _documents_named(text: str) -> list[tuple[str, str]]:
    """(document kind, qualifier) for each document the matter asks to stamp, in order."""
    # Remarks in brackets (一式三份, 保留证明事项) and purpose or basis clauses are not documents to stamp.
    text = _BASIS.sub("", _PURPOSE.sub("", re.sub(r"[(（【\[][^)）】\]]*[)）】\]]", "", text)))
    out = []
    for part in _JOINERS.split(text):
        m = _HEAD.search(part) if part and not _ATTACHMENT.search(part) else None
        if m is None:
            continue
        prefix = re.sub(r"(?:等|的|份|\s)+$", "", part[: m.start()])
        qualifier = _QUALIFIER_STOP.split(prefix)[-1].strip()[-4:]
        out.append((m.group(0), qualifier if len(qualifier) >= 2 else ""))
    return out


def _distinct_documents(named: list[tuple[str, str]]) -> list[str]:
    """Different kinds, or the same kind with unrelated qualifiers (居住证明 vs 收入证明)."""
    seen: list[tuple[str, str]] = []
    for kind, qualifier in named:
        same = any(
            k == kind and (not q or not qualifier or q.endswith(qualifier) or qualifier.endswith(q)) for k, q in seen
        )
        if not same:
            seen.append((kind, qualifier))
    return [q + k for k, q in seen]


def check_single_matter(matter: str) -> list[Finding]:
    """Refuse a request that bundles several matters (搭车): lists, add-on words, several documents."""
    text = _normal(matter)
    reason = ""
    numbered = {m.group(1) for m in _ENUM_NUMBER.finditer(text)}
    if (
        len(numbered) >= 2
        or len(_ENUM_PAREN.findall(text)) >= 2
        or len(_ENUM_CIRCLED.findall(matter or "")) >= 2
        or len(_ENUM_WORDS.findall(text)) >= 2
    ):
        reason = "事由中列出了多个编号事项"
    elif (m := _ADD_ON.search(text)) is not None:
        reason = f"事由中有“{m.group(0)}”，附带了其他事项"
    else:
        documents = _distinct_documents(_documents_named(text))
        if len(documents) >= 2:
            reason = f"事由同时涉及“{documents[0]}”和“{documents[1]}”"
    if not reason:
        return []
    return [
        _finding(
            "piggyback",
            f"一次用印申请只能办理一个事项：{reason}。请分开逐项申请，严禁设置用印“搭车”事项",
            "matter",
        )
    ]


def check_request(*, matter: str, remarks: str, category: str, impressions: int | None) -> list[Finding]:
    """Everything about a new request that can be decided from what was typed."""
    found: list[Finding] = []
    if not (matter or "").strip():
        found.append(Finding("matter_missing", CLAUSE, "请填写用印事由（一次申请只写一个事项）", "matter"))
    elif len(matter.strip()) > MAX_MATTER:
        found.append(Finding("matter_long", CLAUSE, f"用印事由最多 {MAX_MATTER} 个字", "matter"))
    if len((remarks or "").strip()) > MAX_REMARKS:
        found.append(Finding("remarks_long", CLAUSE, f"备注最多 {MAX_REMARKS} 个字", "remarks"))
    if category not in Category.values:
        found.append(Finding("category", CLAUSE, "请选择用印类别", "category"))
    if impressions is None or impressions < 1:
        found.append(Finding("impressions", CLAUSE, "用印次数至少为 1", "impressions"))
    elif impressions > MAX_IMPRESSIONS:
        found.append(Finding("impressions", CLAUSE, f"一次申请用印次数不能超过 {MAX_IMPRESSIONS} 次", "impressions"))
    found += check_obligation_conditions(matter or "", remarks or "")
    found += check_single_matter(matter or "")
    return found


# Rule ids that refuse a request for its preconditions: recorded for the township's oversight.
PRECONDITION_RULES = frozenset({"obligation_precondition", "piggyback"})


# --- meetings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    """A villagers' meeting or representatives' meeting resolution, as typed."""

    kind: str
    basis: str
    held_on: date | None
    members_total: int | None
    attended: int | None
    in_favour: int | None


def check_meeting(meeting: Meeting, *, today: date) -> list[Finding]:
    """Quorum and majority under 村民委员会组织法 (2018) 第二十二条 and 第二十六条.

    A villagers' meeting needs more than half of the adult villagers, or at least two thirds of the
    households' representatives; a representatives' meeting needs at least two thirds of its
    members; either decides by more than half of those present.
    """
    found: list[Finding] = []
    if meeting.kind not in MeetingKind.values:
        found.append(_finding("meeting_kind", "请选择会议类型：村民会议或村民代表会议", "meeting_kind"))
    if meeting.held_on is None:
        found.append(_finding("meeting_date", "请填写会议日期", "held_on"))
    elif meeting.held_on > today:
        found.append(_finding("meeting_date", "会议日期不能晚于今天，决议须在用印前作出", "held_on"))
    total, attended, favour = meeting.members_total, meeting.attended, meeting.in_favour
    if total is None or total < 1:
        found.append(_finding("attendance", "请填写应到人数（户数或组成人员数）", "members_total"))
    if attended is None or attended < 0:
        found.append(_finding("attendance", "请填写实到人数", "attended"))
    if favour is None or favour < 0:
        found.append(_finding("attendance", "请填写同意人数", "in_favour"))
    if found:
        return found
    assert total is not None and attended is not None and favour is not None
    if attended > total:
        return [_finding("attendance", "实到人数不能多于应到人数", "attended")]
    if favour > attended:
        return [_finding("attendance", "同意人数不能多于实到人数", "in_favour")]
    if meeting.kind == MeetingKind.VILLAGERS:
        if meeting.basis == QuorumBasis.HOUSEHOLDS:
            if attended * 3 < total * 2:
                found.append(
                    _finding(
                        "quorum", "村民会议须有本村三分之二以上的户的代表参加（村民委员会组织法第二十二条）", "attended"
                    )
                )
        elif meeting.basis == QuorumBasis.ADULTS:
            if attended * 2 <= total:
                found.append(
                    _finding(
                        "quorum",
                        "村民会议须有本村十八周岁以上村民的过半数参加（村民委员会组织法第二十二条）",
                        "attended",
                    )
                )
        else:
            found.append(
                _finding("quorum_basis", "请选择村民会议应到人数的计算口径：十八周岁以上村民或户的代表", "basis")
            )
    elif meeting.kind == MeetingKind.REPRESENTATIVES and attended * 3 < total * 2:
        found.append(
            _finding(
                "quorum", "村民代表会议须有三分之二以上的组成人员参加方可召开（村民委员会组织法第二十六条）", "attended"
            )
        )
    if favour * 2 <= attended:
        found.append(_finding("majority", "决定须经到会人员的过半数同意，该决议未获通过", "in_favour"))
    return found


# --- submission and approval -----------------------------------------------------------------


def check_ready(*, category: str, document_count: int, has_resolution: bool) -> list[Finding]:
    """What must be attached before a request goes to the approver."""
    found = []
    if document_count < 1:
        found.append(Finding("document_missing", CLAUSE, "请上传需要盖章的文件（PDF 或图片）", "documents"))
    if category in MAJOR_CATEGORIES and not has_resolution:
        found.append(
            _finding(
                "resolution_missing",
                f"“{Category(category).label}”须经村民会议或村民代表会议集体研究同意，请先上传会议决议",
                "resolution",
            )
        )
    return found


def check_approval(
    *,
    category: str,
    requester_id: int,
    custodian_id: int,
    approver_id: int,
    approver_is_listed: bool,
    approver_is_principal: bool,
    has_resolution: bool,
) -> list[Finding]:
    """Separation of duties and the principal's signature, in the words of （十四）."""
    found = []
    if approver_id == requester_id:
        found.append(_finding("self_approval", "用印审批人不得审批本人提出的用印申请"))
    if approver_id == custodian_id:
        found.append(_finding("custodian_approval", "印章使用的审批人与印章保管人不得为同一人"))
    if not approver_is_listed:
        found.append(_finding("approver_not_listed", "您不是该印章登记的用印审批人"))
    if category in PRINCIPAL_CATEGORIES and not approver_is_principal:
        words = "出具证明等日常事务" if category == Category.DAILY_CERTIFICATE else "合同签订、集体资产处置等重大事项"
        found.append(_finding("principal_required", f"{words}须由主要负责人签字后用印"))
    if category in MAJOR_CATEGORIES and not has_resolution:
        found.append(
            _finding(
                "resolution_missing", "合同签订、集体资产处置等重大事项须经村民会议或村民代表会议集体研究同意后用印"
            )
        )
    return found


# Findings that say this person may not decide the request at all (refusing needs no principal).
DECIDING_RULES = frozenset({"self_approval", "custodian_approval", "approver_not_listed"})
APPROVING_RULES = DECIDING_RULES | {"principal_required"}


def decision_refusal(findings: Sequence[Finding], *, may_approve: bool, approving: bool) -> Finding | None:
    """Why this person may not approve (`approving`) or refuse this request, in the words of （十四）;
    None when they may. The request page shows the buttons only when this is None, and the service
    refuses with this same finding, so a button never leads to a refusal."""
    wanted = APPROVING_RULES if approving else DECIDING_RULES
    duty = [f for f in findings if f.rule in wanted]
    if duty:
        return duty[0]
    if not may_approve:
        return _finding("not_approver", "用印须由主要负责人或登记的用印审批人审批，您不是该印章的审批人")
    return None


# --- stamping --------------------------------------------------------------------------------


def check_stamp(
    *,
    approved_impressions: int,
    impressions: int | None,
    document_sha256: str,
    request_hashes: set[str],
    stamped_at: datetime,
    approved_at: datetime,
    now: datetime,
) -> list[Finding]:
    """The stamping matches the approval: the approved document, no more impressions than approved."""
    found = []
    if impressions is None or impressions < 1:
        found.append(Finding("impressions", CLAUSE, "实际用印次数至少为 1", "impressions"))
    elif impressions > approved_impressions:
        found.append(
            _finding(
                "impressions_exceeded",
                f"实际用印 {impressions} 次，超过批准的 {approved_impressions} 次",
                "impressions",
            )
        )
    digest = (document_sha256 or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        found.append(
            Finding("document_hash", CLAUSE, "请指明所盖文件（SHA-256 摘要，64 位十六进制）", "document_sha256")
        )
    elif digest not in request_hashes:
        found.append(_finding("document_mismatch", "所盖文件不是该申请上传并经批准的文件", "document_sha256"))
    if stamped_at > now:
        found.append(Finding("stamped_at", CLAUSE, "用印时间不能晚于当前时间", "stamped_at"))
    elif stamped_at < approved_at:
        found.append(_finding("stamped_at", "用印时间不能早于批准时间", "stamped_at"))
    return found


# --- handover --------------------------------------------------------------------------------


def check_handover(
    *,
    from_id: int,
    to_id: int | None,
    witness_id: int | None,
    seal_ids: list[int],
    custodian_ids: set[int],
    approver_ids: set[int],
    receiver_can_keep: bool,
) -> list[Finding]:
    """A handover names two different people, a third as witness, and seals the giver holds."""
    found = []
    if to_id is None:
        found.append(Finding("receiver_missing", CLAUSE, "请选择接收人", "to_user"))
    elif to_id == from_id:
        found.append(_finding("handover_self", "不能把印章移交给本人", "to_user"))
    else:
        if not receiver_can_keep:
            found.append(_finding("receiver_role", "接收人须在本村担任印章保管人", "to_user"))
        if to_id in approver_ids:
            found.append(
                _finding("receiver_approver", "接收人是该印章的用印审批人，审批人与保管人不得为同一人", "to_user")
            )
    if witness_id is None:
        found.append(Finding("witness_missing", CLAUSE, "请选择监交人", "witness"))
    elif witness_id in (from_id, to_id):
        found.append(_finding("witness_party", "监交人不能是移交人或接收人", "witness"))
    if not seal_ids:
        found.append(Finding("seals_missing", CLAUSE, "请选择要移交的印章", "seals"))
    elif custodian_ids != {from_id}:
        found.append(_finding("not_custodian", "只能移交由移交人保管的印章", "seals"))
    return found


# --- oversight -------------------------------------------------------------------------------

OFFICE_OPENS = time(8, 30)
OFFICE_CLOSES = time(18, 0)
# More impressions than this for one matter is worth a look (a contract: copies plus 骑缝章).
MANY_IMPRESSIONS: dict[str, int] = {Category.DAILY_CERTIFICATE: 3}
MANY_IMPRESSIONS_DEFAULT = 12


def is_outside_office_hours(local: datetime) -> bool:
    """Stamping outside 08:30–18:00 on a working day (local time, Asia/Shanghai)."""
    return not is_workday(local.date()) or not (OFFICE_OPENS <= local.time() < OFFICE_CLOSES)


def non_working_days(year: int) -> list[date]:
    """Every non-working day of a year (weekends not made up, public holidays), for database filters."""
    day, out = date(year, 1, 1), []
    while day.year == year:
        if not is_workday(day):
            out.append(day)
        day += timedelta(days=1)
    return out


def many_impressions_limit(category: str) -> int:
    return MANY_IMPRESSIONS.get(category, MANY_IMPRESSIONS_DEFAULT)


def is_many_impressions(category: str, impressions: int) -> bool:
    return impressions > many_impressions_limit(category)
