"""Services: filing (anonymous keeps nothing), bad input keeps nothing, transitions, typical cases, documents."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from conftest import COUNTY, TOWNSHIP
from cunwu.admission.services import offlist_report
from cunwu.audit.context import current_ip
from cunwu.audit.models import AuditEntry
from cunwu.complaints import rules, services
from cunwu.complaints.models import Complaint, Event, Photo, Question, Reference, ReviewedDocument, TypicalCase
from cunwu.errors import Conflict, Forbidden, Invalid
from cunwu.signs.tests.conftest import make_jpeg

from .conftest import png_header_only

pytestmark = pytest.mark.django_db


def _audit(c: Complaint) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type="complaints.complaint", object_id=str(c.pk)))


def test_an_anonymous_report_keeps_no_identifier_not_even_in_the_audit_log(make_complaint: Any) -> None:
    token = current_ip.set("203.0.113.9")
    try:
        c = make_complaint(photos=[services.Upload(make_jpeg(), "a.jpg")])
    finally:
        current_ip.reset(token)
    c.refresh_from_db()
    assert rules.TRACKING_RE.fullmatch(c.tracking_code)
    assert (c.contact_name, c.contact_phone, c.anonymous) == ("", "", True)
    assert c.handler_id == COUNTY
    assert c.due == rules.due_date(timezone.localdate())
    [row] = _audit(c)
    assert row.ip is None and row.actor is None
    assert "203.0.113.9" not in str(row.after) and row.after["contact"] is None
    # The photo is re-encoded: no EXIF (camera, GPS) left.
    [photo] = Photo.objects.filter(complaint=c)
    data = (Path(services.settings.MEDIA_ROOT) / photo.path).read_bytes()
    assert b"Exif" not in data and b"PhoneCam" not in data


def test_a_named_report_keeps_contact_but_the_audit_log_holds_it_masked(make_complaint: Any) -> None:
    token = current_ip.set("203.0.113.9")
    try:
        c = make_complaint(anonymous=False, contact_name="王小明", contact_phone="13812345678")
    finally:
        current_ip.reset(token)
    assert (c.contact_name, c.contact_phone) == ("王小明", "13812345678")
    [row] = _audit(c)
    assert row.ip == "203.0.113.9"
    assert row.after["contact"] == {"name": "王*明", "phone": "138****5678"}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "字" * 20000}, "text"),
        ({"region": "999999999999"}, "region"),
        ({"region": "53012"}, "region"),
        ({"category": "nonsense"}, "category"),
        ({"anonymous": False}, "contact.name"),
        ({"anonymous": False, "contact_name": "王小明", "contact_phone": "123"}, "contact.phone"),
        ({"anonymous": True, "contact_given": True}, "contact"),
        ({"photos": [services.Upload(b"MZ\x90\x00 not an image", "virus.jpg")]}, "photos.0"),
        ({"photos": [services.Upload(b"\xff\xd8\xff" + b"\0" * (50 * 1024 * 1024), "big.jpg")]}, "photos.0"),
        ({"photos": [services.Upload(png_header_only(40000, 1200), "wide.png")]}, "photos.0"),
        ({"photos": [services.Upload(png_header_only(8000, 8000), "huge.png")]}, "photos.0"),
        ({"photos": [services.Upload(make_jpeg(size=(40, 30)), f"{i}.jpg") for i in range(6)]}, "photos"),
        ({"references": [("catalog_item", "NOPE99")]}, "references.catalog_item"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_kept(make_complaint: Any, overrides: dict, field: str) -> None:
    before = (Complaint.objects.count(), AuditEntry.objects.count(), Photo.objects.count())
    with pytest.raises(Invalid) as caught:
        make_complaint(**overrides)
    fields = {e.field for e in caught.value.errors}
    assert field in fields
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in e.message) for e in caught.value.errors)
    assert (Complaint.objects.count(), AuditEntry.objects.count(), Photo.objects.count()) == before
    media = Path(services.settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.rglob("*.*"))


def test_scripts_are_stored_as_typed(make_complaint: Any) -> None:
    c = make_complaint(text="<script>alert('x')</script><b>粗</b>", subject="<img src=x onerror=alert(1)>")
    c.refresh_from_db()
    assert c.text == "<script>alert('x')</script><b>粗</b>"
    assert c.subject == "<img src=x onerror=alert(1)>"


def test_routing_by_region_never_by_subject(make_complaint: Any) -> None:
    assert make_complaint(region=TOWNSHIP, subject="云南省某厅").handler_id == COUNTY
    assert make_complaint(region="530100000000").handler_id == "530100000000"
    assert make_complaint(region="530000000000", subject="富民县某局").handler_id == "530000000000"


def test_accept_then_conclude_and_a_second_conclusion_conflicts(make_complaint: Any, reviewer: Any) -> None:
    c = make_complaint()
    services.complaint_accept(actor=reviewer, complaint=c)
    services.complaint_conclude(actor=reviewer, complaint=c, outcome="已责令该局停止摊派。", finding="substantiated")
    c.refresh_from_db()
    assert (c.status, c.finding, c.closed_at is not None) == ("concluded", "substantiated", True)
    assert [e.action for e in Event.objects.filter(complaint=c)] == ["received", "accepted", "concluded"]
    with pytest.raises(Conflict):
        services.complaint_conclude(actor=reviewer, complaint=c, outcome="再办一次", finding="partly")
    assert {a.action for a in _audit(c)} == {"complaint.file", "complaint.accepted", "complaint.concluded"}


def test_conclude_straight_from_received_and_without_outcome(make_complaint: Any, reviewer: Any) -> None:
    c = make_complaint()
    with pytest.raises(Invalid) as caught:
        services.complaint_conclude(actor=reviewer, complaint=c, outcome="", finding="")
    assert {e.field for e in caught.value.errors} == {"outcome", "finding"}
    c.refresh_from_db()
    assert c.status == "received"
    services.complaint_conclude(actor=reviewer, complaint=c, outcome="经查不属实。", finding="unsubstantiated")
    assert Complaint.objects.get(pk=c.pk).status == "concluded"


def test_stale_copies_lose_the_race(make_complaint: Any, reviewer: Any, county_admin: Any) -> None:
    c = make_complaint()
    stale = Complaint.objects.get(pk=c.pk)
    services.complaint_decline(actor=county_admin, complaint=c, reason="不属于措施规范范围")
    with pytest.raises(Conflict):
        services.complaint_accept(actor=reviewer, complaint=stale)
    assert Complaint.objects.get(pk=c.pk).status == "declined"


def test_only_the_handling_body_acts(make_complaint: Any, township_officer: Any, prefecture_admin: Any) -> None:
    c = make_complaint()
    for person in (township_officer, prefecture_admin):
        with pytest.raises(Forbidden):
            services.complaint_accept(actor=person, complaint=c)


def test_extend_once_with_a_reason(make_complaint: Any, reviewer: Any) -> None:
    c = make_complaint()
    due = c.due
    with pytest.raises(Invalid):
        services.complaint_extend(actor=reviewer, complaint=c, reason=" ")
    services.complaint_extend(actor=reviewer, complaint=c, reason="需要调取部门文件核实")
    c.refresh_from_db()
    assert c.due == rules.extended_due(due) and c.extension_reason == "需要调取部门文件核实"
    with pytest.raises(Conflict):
        services.complaint_extend(actor=reviewer, complaint=c, reason="再延一次")
    assert Complaint.objects.get(pk=c.pk).due == rules.extended_due(due)


def test_transfer_up_moves_the_handler(make_complaint: Any, reviewer: Any, prefecture_admin: Any) -> None:
    c = make_complaint()
    services.complaint_transfer(actor=reviewer, complaint=c, reason="涉及州级部门")
    c.refresh_from_db()
    assert c.handler_id == "530100000000"
    with pytest.raises(Forbidden):
        services.complaint_accept(actor=reviewer, complaint=c)
    services.complaint_accept(actor=prefecture_admin, complaint=c)
    assert Complaint.objects.get(pk=c.pk).status == "accepted"


def test_callback_only_for_named_reporters_after_closing(make_complaint: Any, reviewer: Any) -> None:
    anonymous = make_complaint()
    named = make_complaint(anonymous=False, contact_name="王小明", contact_phone="13812345678")
    with pytest.raises(Conflict):
        services.complaint_callback(actor=reviewer, complaint=named, note="已电话回访", satisfied=True)
    services.complaint_conclude(actor=reviewer, complaint=named, outcome="已纠正。", finding="partly")
    services.complaint_callback(actor=reviewer, complaint=named, note="已电话回访，表示满意", satisfied=True)
    named.refresh_from_db()
    assert named.callback_satisfied is True and named.callback_at is not None
    services.complaint_conclude(actor=reviewer, complaint=anonymous, outcome="已纠正。", finding="partly")
    with pytest.raises(Conflict):
        services.complaint_callback(actor=reviewer, complaint=anonymous, note="x", satisfied=None)


def test_anonymous_follow_up_questions_keep_no_ip(make_complaint: Any, reviewer: Any) -> None:
    c = make_complaint()
    token = current_ip.set("198.51.100.7")
    try:
        q = services.question_ask(complaint=c, text="请问查到哪一步了？")
    finally:
        current_ip.reset(token)
    assert AuditEntry.objects.get(action="complaint.question", object_id=str(c.pk)).ip is None
    services.question_answer(actor=reviewer, question=q, answer="已约谈该局，正在核实。")
    assert Question.objects.get(pk=q.pk).answer == "已约谈该局，正在核实。"
    with pytest.raises(Conflict):
        services.question_answer(actor=reviewer, question=q, answer="again")


def test_pushed_work_links_to_the_villages_off_list_report(make_complaint: Any, clerk: Any, village: Any) -> None:
    report = offlist_report(
        actor=clerk,
        village=village,
        department=None,
        department_name="富民县某局",
        what="要求每周上报巡查照片",
        channel="chat_group",
        received_on=timezone.localdate() - timedelta(days=3),
    )
    c = make_complaint(subject="富民县某局")
    assert list(Reference.objects.filter(complaint=c).values_list("kind", "ref")) == [
        ("offlist_report", str(report.pk))
    ]
    other = make_complaint(subject="富民县另一局")
    assert not Reference.objects.filter(complaint=other).exists()


def test_publish_a_typical_case(make_complaint: Any, reviewer: Any, county_admin: Any, province_admin: Any) -> None:
    c = make_complaint(anonymous=False, contact_name="王小明", contact_phone="13812345678")
    draft = services.CaseDraft(
        "某局向村级组织摊派巡查任务",
        "经查，该局通过工作群要求各村每周报送照片。",
        "富民县某局",
        "（二）",
        "已责令停止并通报。",
    )
    with pytest.raises(Conflict):
        services.typical_case_publish(actor=county_admin, complaint=c, draft=draft)
    services.complaint_conclude(actor=reviewer, complaint=c, outcome="属实，已纠正。", finding="substantiated")
    with pytest.raises(Forbidden):
        services.typical_case_publish(actor=reviewer, complaint=c, draft=draft)
    bad = services.CaseDraft(
        draft.title, "王小明反映该局要求报送照片，电话13812345678。", draft.department, "（二）", draft.action_taken
    )
    with pytest.raises(Invalid) as caught:
        services.typical_case_publish(actor=county_admin, complaint=c, draft=bad)
    assert len(caught.value.errors) == 2
    assert not TypicalCase.objects.exists()
    case = services.typical_case_publish(actor=county_admin, complaint=c, draft=draft)
    assert (case.prefecture_id, case.clause) == ("530100000000", "（二）")
    with pytest.raises(Conflict):
        services.typical_case_publish(actor=province_admin, complaint=c, draft=draft)


SAMPLE_REGULATION = """富民县某局关于加强村级安全生产工作的通知
一、各村（社区）要与镇政府签订安全生产目标责任书。
二、村委会作为本村安全生产工作的责任主体，负责日常巡查。
三、各村每周通过工作群上报巡查照片和视频，作为考核依据。
四、请各村安排专人专岗负责此项工作。
五、县局将适时开展业务指导。"""


def test_document_review_lists_breaching_sentences_with_their_clauses(reviewer: Any) -> None:
    doc = services.document_review(
        actor=reviewer,
        doc=services.DocumentInput(COUNTY, "关于加强村级安全生产工作的通知", "富民县某局", SAMPLE_REGULATION, "text"),
    )
    assert doc.sentence_count == 6 and doc.status == "open"
    found = {f.index: {v["rule"]: v["clause"] for v in f.violations} for f in doc.findings.all()}
    assert found[2] == {"pledge": "（二）"}
    assert found[3].get("responsible_body") == "（二）"
    assert found[4].get("evidence_screenshot") == "（五）"
    assert found[5].get("dedicated_post") == "（六）"
    assert 6 not in found and 1 not in found
    for finding in doc.findings.all():
        services.finding_decide(
            actor=reviewer, finding=finding, decision="revise", basis="按措施（二）（五）（六）修改"
        )
    assert ReviewedDocument.objects.get(pk=doc.pk).status == "done"


def test_document_review_needs_text_and_a_county_person(township_officer: Any, reviewer: Any) -> None:
    with pytest.raises(Invalid):
        services.document_review(actor=reviewer, doc=services.DocumentInput(COUNTY, "x", "y", "  ", "text"))
    with pytest.raises(Forbidden):
        services.document_review(
            actor=township_officer, doc=services.DocumentInput(COUNTY, "x", "y", "各村签订责任书。", "text")
        )
    assert not ReviewedDocument.objects.exists()
