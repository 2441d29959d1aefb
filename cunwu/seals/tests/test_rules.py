"""Clause （十四） as pure rules: no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from cunwu.seals import rules
from cunwu.seals.choices import Category, HandoverStatus, MeetingKind, QuorumBasis, RequestStatus, SealStatus
from cunwu.seals.rules import Meeting

CST = timezone(timedelta(hours=8))
TODAY = date(2027, 3, 10)


def ids(findings: list[rules.Finding]) -> list[str]:
    return [f.rule for f in findings]


# --- 严禁以村民群众履行义务为用印的前置条件 ------------------------------------------------------


@pytest.mark.parametrize(
    ("matter", "remarks"),
    [
        ("为村民出具居住证明", "先缴清卫生费再盖章"),
        ("先缴清医保费再出具证明", ""),
        ("为张三出具居住证明，交齐合作医疗费后才能盖章", ""),
        ("完成植树任务后方可用印", ""),
        ("未缴纳卫生费的不予出具证明", ""),
        ("出具证明", "须参加村里义务劳动"),
        ("出具证明", "拆除违建后再来"),
        ("出具居住证明", "请先签订门前三包责任书"),
        ("出具居住证明", "待其交清欠缴的水费后用印"),
        ("开具收入证明", "需先认购村集体股份"),
        ("为李四出具证明", "只有参保新农合才给盖章"),
        ("出具证明", "先缴清卫生费，再盖章"),  # full-width comma
        ("出具证明", "先 缴 清 卫 生 费 再 盖 章"),  # spaces
    ],
)
def test_seal_use_tied_to_a_villagers_obligation_is_refused(matter: str, remarks: str) -> None:
    found = rules.check_obligation_conditions(matter, remarks)
    assert ids(found) == ["obligation_precondition"]
    assert found[0].clause == "（十四）"
    assert "严禁以村民群众履行义务为用印的前置条件" in found[0].message


@pytest.mark.parametrize(
    ("matter", "remarks"),
    [
        ("为村民出具居住证明", ""),
        ("出具缴费证明", ""),  # a certificate about a payment is not a condition on it
        ("为李四出具欠款证明", ""),
        ("为张三出具已缴纳新农合的证明", ""),
        ("出具证明", "申请人已交齐材料"),
        ("出具证明", "交齐材料后盖章"),  # asking for the supporting materials is allowed
        ("签订合同后加盖印章", ""),
        ("出具证明", "本人自愿"),
        ("与合作社签订大棚租赁合同", "经村民代表会议表决通过后用印"),
    ],
)
def test_ordinary_requests_are_not_mistaken_for_obligation_conditions(matter: str, remarks: str) -> None:
    assert rules.check_obligation_conditions(matter, remarks) == []


# --- 严禁设置印章使用“搭车”事项 -----------------------------------------------------------------


@pytest.mark.parametrize(
    "matter",
    [
        "1.出具居住证明 2.出具收入证明",
        "1、居住证明；2、收入证明",
        "（1）居住证明（2）收入证明",
        "出具居住证明①②",
        "一是出具居住证明，二是出具收入证明",
        "出具居住证明和收入证明",
        "出具居住证明及户口、收入等证明",
        "签订合同并出具收据",
        "签订土地流转合同及出具收入证明",
        "出具居住证明，顺便盖一下收入证明",
        "出具证明，一并加盖村委会章于申请表",
        "出具居住证明，另外在低保申请表上盖章",
        "签订大棚承包合同和林地租赁合同",
        "为张三出具居住证明等多项事项",
    ],
)
def test_a_request_bundling_several_matters_is_refused(matter: str) -> None:
    found = rules.check_single_matter(matter)
    assert ids(found) == ["piggyback"]
    assert "搭车" in found[0].message and found[0].field == "matter"


@pytest.mark.parametrize(
    "matter",
    [
        "为村民张三出具居住证明",
        "为张三出具居住证明，用于办理低保申请",
        "签订集体林地承包合同，合同期限10年",
        "根据2027年3月村民代表会议决议，签订大棚租赁合同",
        "与富民县某公司签订土地流转合同（一式三份）及附件",
        "签订租赁合同及补充协议",
        "签订大棚租赁合同，租赁合同期限三年",
        "出具居住证明，证明其在本村居住满三年",
        "为村民出具居住证明（保留证明事项）",
        "处置村集体闲置仓库（公开拍卖）",
        "2027.3.1出具居住证明",
        "出具第一村民小组和第二村民小组的土地界线证明",
        "出具1.5亩承包地的证明",
    ],
)
def test_one_matter_is_not_mistaken_for_several(matter: str) -> None:
    assert rules.check_single_matter(matter) == []


def test_check_request_reports_every_field_problem() -> None:
    found = rules.check_request(matter="", remarks="x" * 301, category="bogus", impressions=0)
    assert set(ids(found)) == {"matter_missing", "remarks_long", "category", "impressions"}
    assert {f.field for f in found} == {"matter", "remarks", "category", "impressions"}
    assert ids(rules.check_request(matter="出具证明", remarks="", category=Category.OTHER, impressions=100)) == [
        "impressions"
    ]


def test_precondition_rules_are_the_ones_recorded_for_the_township() -> None:
    assert {"obligation_precondition", "piggyback"} == rules.PRECONDITION_RULES


# --- 集体研究：村民会议、村民代表会议 ------------------------------------------------------------


def meeting(**kw: object) -> Meeting:
    base = {
        "kind": MeetingKind.REPRESENTATIVES,
        "basis": QuorumBasis.MEMBERS,
        "held_on": TODAY,
        "members_total": 30,
        "attended": 20,
        "in_favour": 11,
    }
    base.update(kw)
    return Meeting(**base)  # type: ignore[arg-type]


def test_a_representatives_meeting_needs_two_thirds_of_its_members() -> None:
    assert rules.check_meeting(meeting(attended=20), today=TODAY) == []  # exactly two thirds
    found = rules.check_meeting(meeting(attended=19, in_favour=15), today=TODAY)
    assert ids(found) == ["quorum"] and "三分之二" in found[0].message and "第二十六条" in found[0].message


def test_a_villagers_meeting_needs_more_than_half_of_adults_or_two_thirds_of_households() -> None:
    adults = {"kind": MeetingKind.VILLAGERS, "basis": QuorumBasis.ADULTS, "members_total": 1000}
    assert rules.check_meeting(meeting(**adults, attended=501, in_favour=300), today=TODAY) == []
    assert ids(rules.check_meeting(meeting(**adults, attended=500, in_favour=300), today=TODAY)) == ["quorum"]
    households = {"kind": MeetingKind.VILLAGERS, "basis": QuorumBasis.HOUSEHOLDS, "members_total": 300}
    assert rules.check_meeting(meeting(**households, attended=200, in_favour=150), today=TODAY) == []
    assert ids(rules.check_meeting(meeting(**households, attended=199, in_favour=150), today=TODAY)) == ["quorum"]
    assert ids(rules.check_meeting(meeting(kind=MeetingKind.VILLAGERS, basis=QuorumBasis.MEMBERS), today=TODAY)) == [
        "quorum_basis"
    ]


def test_a_decision_needs_more_than_half_of_those_present() -> None:
    assert ids(rules.check_meeting(meeting(attended=20, in_favour=10), today=TODAY)) == ["majority"]
    assert rules.check_meeting(meeting(attended=20, in_favour=11), today=TODAY) == []


def test_attendance_must_make_sense_and_the_meeting_must_have_happened() -> None:
    assert ids(rules.check_meeting(meeting(attended=31), today=TODAY)) == ["attendance"]
    assert ids(rules.check_meeting(meeting(in_favour=21), today=TODAY)) == ["attendance"]
    assert ids(rules.check_meeting(meeting(held_on=TODAY + timedelta(days=1)), today=TODAY)) == ["meeting_date"]
    missing = rules.check_meeting(meeting(held_on=None, members_total=None, attended=None, in_favour=None), today=TODAY)
    assert {f.field for f in missing} == {"held_on", "members_total", "attended", "in_favour"}
    assert ids(rules.check_meeting(meeting(kind="party"), today=TODAY)) == ["meeting_kind"]


# --- 审批：审批人与保管人、申请人分离；主要负责人签字 -----------------------------------------------


def approval(**kw: object) -> list[rules.Finding]:
    base = {
        "category": Category.DAILY_CERTIFICATE,
        "requester_id": 1,
        "custodian_id": 2,
        "approver_id": 3,
        "approver_is_listed": True,
        "approver_is_principal": True,
        "has_resolution": False,
    }
    base.update(kw)
    return rules.check_approval(**base)  # type: ignore[arg-type]


def test_the_principal_approves_a_daily_certificate() -> None:
    assert approval() == []


def test_the_approver_is_never_the_requester_nor_the_custodian() -> None:
    assert ids(approval(approver_id=1)) == ["self_approval"]
    found = approval(approver_id=2)
    assert ids(found) == ["custodian_approval"]
    assert found[0].message == "印章使用的审批人与印章保管人不得为同一人（十四）"


def test_daily_certificates_and_major_matters_need_the_principal() -> None:
    assert ids(approval(approver_is_principal=False)) == ["principal_required"]
    assert "主要负责人签字" in approval(approver_is_principal=False)[0].message
    assert ids(approval(category=Category.CONTRACT, approver_is_principal=False, has_resolution=True)) == [
        "principal_required"
    ]
    assert approval(category=Category.OTHER, approver_is_principal=False) == []


def test_contracts_and_asset_disposals_need_a_meeting_resolution() -> None:
    for category in (Category.CONTRACT, Category.ASSET_DISPOSAL, Category.MAJOR_OTHER):
        assert ids(approval(category=category)) == ["resolution_missing"]
        assert approval(category=category, has_resolution=True) == []


def test_only_listed_approvers_approve() -> None:
    assert ids(approval(approver_is_listed=False)) == ["approver_not_listed"]


def test_ready_needs_a_document_and_for_major_matters_a_resolution() -> None:
    assert ids(rules.check_ready(category=Category.CONTRACT, document_count=0, has_resolution=False)) == [
        "document_missing",
        "resolution_missing",
    ]
    assert rules.check_ready(category=Category.CONTRACT, document_count=1, has_resolution=True) == []
    assert rules.check_ready(category=Category.DAILY_CERTIFICATE, document_count=1, has_resolution=False) == []


# --- 用印 -------------------------------------------------------------------------------------

NOW = datetime(2027, 3, 10, 10, 0, tzinfo=CST)
H = "a" * 64


def stamp(**kw: object) -> list[rules.Finding]:
    base = {
        "approved_impressions": 3,
        "impressions": 3,
        "document_sha256": H,
        "request_hashes": {H},
        "stamped_at": NOW,
        "approved_at": NOW - timedelta(hours=1),
        "now": NOW,
    }
    base.update(kw)
    return rules.check_stamp(**base)  # type: ignore[arg-type]


def test_stamping_matches_the_approval() -> None:
    assert stamp() == []
    assert stamp(impressions=2) == []  # fewer than approved is fine
    assert ids(stamp(impressions=4)) == ["impressions_exceeded"]
    assert ids(stamp(impressions=0)) == ["impressions"]
    assert ids(stamp(document_sha256="b" * 64)) == ["document_mismatch"]
    assert ids(stamp(document_sha256="xyz")) == ["document_hash"]
    assert ids(stamp(stamped_at=NOW + timedelta(minutes=1))) == ["stamped_at"]
    assert ids(stamp(stamped_at=NOW - timedelta(hours=2))) == ["stamped_at"]
    assert stamp(document_sha256=H.upper()) == []


# --- 移交 -------------------------------------------------------------------------------------


def handover(**kw: object) -> list[rules.Finding]:
    base = {
        "from_id": 1,
        "to_id": 2,
        "witness_id": 3,
        "seal_ids": [10],
        "custodian_ids": {1},
        "approver_ids": {5},
        "receiver_can_keep": True,
    }
    base.update(kw)
    return rules.check_handover(**base)  # type: ignore[arg-type]


def test_a_handover_names_two_people_and_a_third_as_witness() -> None:
    assert handover() == []
    assert ids(handover(to_id=1)) == ["handover_self"]
    assert "本人" in handover(to_id=1)[0].message
    assert ids(handover(witness_id=2)) == ["witness_party"]
    assert ids(handover(witness_id=None, to_id=None)) == ["receiver_missing", "witness_missing"]
    assert ids(handover(to_id=5)) == ["receiver_approver"]
    assert ids(handover(receiver_can_keep=False)) == ["receiver_role"]
    assert ids(handover(custodian_ids={1, 4})) == ["not_custodian"]
    assert ids(handover(seal_ids=[])) == ["seals_missing"]


def test_seal_roles_keep_custodian_out_of_the_approvers() -> None:
    assert rules.check_seal_roles(custodian_id=1, approver_ids=[2]) == []
    assert ids(rules.check_seal_roles(custodian_id=1, approver_ids=[1, 2])) == ["custodian_approver"]
    assert ids(rules.check_seal_roles(custodian_id=1, approver_ids=[])) == ["approver_missing"]


# --- 状态 -------------------------------------------------------------------------------------


def test_transitions() -> None:
    assert rules.can_move(rules.REQUEST_TRANSITIONS, RequestStatus.SUBMITTED, RequestStatus.APPROVED)
    assert not rules.can_move(rules.REQUEST_TRANSITIONS, RequestStatus.DRAFT, RequestStatus.APPROVED)
    assert not rules.can_move(rules.REQUEST_TRANSITIONS, RequestStatus.STAMPED, RequestStatus.WITHDRAWN)
    assert rules.can_move(rules.HANDOVER_TRANSITIONS, HandoverStatus.CONFIRMED, HandoverStatus.ACKNOWLEDGED)
    assert not rules.can_move(rules.HANDOVER_TRANSITIONS, HandoverStatus.PENDING, HandoverStatus.ACKNOWLEDGED)


def test_status_changes_need_a_date_and_a_reason() -> None:
    ok = rules.check_status_change(
        old=SealStatus.IN_USE, new=SealStatus.SEALED_AWAY, on=TODAY, reason="换届封存", today=TODAY
    )
    assert ok == []
    assert ids(
        rules.check_status_change(old=SealStatus.IN_USE, new=SealStatus.LOST, on=None, reason=" ", today=TODAY)
    ) == ["status_date", "status_reason"]
    assert ids(
        rules.check_status_change(old=SealStatus.DESTROYED, new=SealStatus.IN_USE, on=TODAY, reason="x", today=TODAY)
    ) == ["status_transition"]
    assert ids(
        rules.check_status_change(old=SealStatus.IN_USE, new=SealStatus.IN_USE, on=TODAY, reason="x", today=TODAY)
    ) == ["status_same"]
    assert ids(
        rules.check_status_change(
            old=SealStatus.IN_USE, new=SealStatus.LOST, on=TODAY + timedelta(days=1), reason="x", today=TODAY
        )
    ) == ["status_date"]


# --- 监管 -------------------------------------------------------------------------------------


def test_office_hours_follow_chinas_working_days() -> None:
    assert not rules.is_outside_office_hours(datetime(2025, 9, 30, 10, 0))  # Tuesday
    assert rules.is_outside_office_hours(datetime(2025, 9, 30, 8, 29))
    assert not rules.is_outside_office_hours(datetime(2025, 9, 30, 8, 30))
    assert rules.is_outside_office_hours(datetime(2025, 9, 30, 18, 0))
    assert rules.is_outside_office_hours(datetime(2025, 10, 1, 10, 0))  # National Day
    assert not rules.is_outside_office_hours(datetime(2025, 9, 28, 10, 0))  # a Sunday made a working day (调休)
    assert rules.is_outside_office_hours(datetime(2099, 3, 7, 10, 0))  # beyond the calendar: a Saturday


def test_many_impressions_for_one_matter() -> None:
    assert not rules.is_many_impressions(Category.DAILY_CERTIFICATE, 3)
    assert rules.is_many_impressions(Category.DAILY_CERTIFICATE, 4)
    assert not rules.is_many_impressions(Category.CONTRACT, 12)
    assert rules.is_many_impressions(Category.CONTRACT, 13)


def test_non_working_days_agree_with_the_office_hours_rule() -> None:
    days = rules.non_working_days(2025)
    assert date(2025, 10, 1) in days and date(2025, 9, 28) not in days and date(2025, 9, 27) in days
    assert all(rules.is_outside_office_hours(datetime(d.year, d.month, d.day, 10)) for d in days)
    assert 100 < len(days) < 130


# --- who may decide: the page's buttons and the service's refusal (issue 16) -------------------------


def test_decision_refusal_is_none_for_the_listed_principal() -> None:
    assert rules.decision_refusal(approval(), may_approve=True, approving=True) is None
    assert rules.decision_refusal(approval(), may_approve=True, approving=False) is None


def test_decision_refusal_names_the_duty_rule_with_its_clause() -> None:
    own = rules.decision_refusal(approval(approver_id=1), may_approve=True, approving=True)
    assert own is not None and own.rule == "self_approval" and own.message.endswith("（十四）")
    # The custodian holds no approval permission, yet is told the rule of （十四）, not a bare 没有权限.
    kept = rules.decision_refusal(approval(approver_id=2, approver_is_listed=False), may_approve=False, approving=True)
    assert kept is not None and kept.rule == "custodian_approval" and "保管人" in kept.message


def test_refusing_needs_no_principal_but_approving_does() -> None:
    findings = approval(approver_is_principal=False)
    assert rules.decision_refusal(findings, may_approve=True, approving=False) is None
    refusal = rules.decision_refusal(findings, may_approve=True, approving=True)
    assert refusal is not None and refusal.rule == "principal_required"


def test_someone_without_the_approval_role_is_told_who_approves() -> None:
    refusal = rules.decision_refusal(approval(approver_id=9), may_approve=False, approving=True)
    assert refusal is not None and refusal.rule == "not_approver" and "（十四）" in refusal.message
