"""Writes of the admission area: filing, screening on the spot, review, dispatch, receipt."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cunwu.accounts.models import Notification
from cunwu.admission import services
from cunwu.admission.models import (
    Assignment,
    AssignmentEvent,
    Channel,
    Decision,
    OffListReport,
    RequestVersion,
    Score,
    WorkRequest,
)
from cunwu.audit.models import AuditEntry
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.regions.models import Organisation, Region

from .factories import (
    OTHER_VILLAGE,
    PLEDGE_CONTENT,
    PLEDGE_TITLE,
    VILLAGE,
    future,
    make_approved,
    make_request,
    request_data,
)

pytestmark = pytest.mark.django_db


def fields(exc: Invalid) -> set[str]:
    return {e.field for e in exc.errors}


class TestFiling:
    def test_assist_request_waits_for_county(self, department: Any) -> None:
        r = make_request(department)
        assert r.status == "pending" and r.outcome == "in_catalog" and r.version == 1
        assert r.department.name == "富民县民政局" and r.county_id == "530124000000" and r.village_count == 1
        assert RequestVersion.objects.filter(request=r, number=1).exists()
        assert AuditEntry.objects.filter(action="admission.request.file", object_id=str(r.pk)).exists()
        assert Notification.objects.filter(
            role="county_reviewer", region_id="530124000000", subject_id=str(r.pk), done_at=None
        ).exists()

    def test_pledge_rejected_on_the_spot(self, department: Any) -> None:
        r = make_request(department, title=PLEDGE_TITLE, content=PLEDGE_CONTENT)
        assert r.status == "screen_rejected" and r.outcome == "rejected"
        assert {v["rule"] for v in r.screening["violations"]} == {"pledge", "responsible_body"}
        assert not Notification.objects.filter(subject_id=str(r.pk), role="county_reviewer").exists()

    def test_township_target_reaches_all_its_villages(self, department: Any) -> None:
        r = make_request(department, targets=["530124103000"])
        assert r.village_count == Region.objects.filter(parent_id="530124103000").count() > 2

    @pytest.mark.parametrize(
        "over,field",
        [
            ({"title": ""}, "title"),
            ({"content": "x" * 20001}, "content"),
            ({"deadline": timezone.localdate() - timedelta(days=1)}, "deadline"),
            ({"deadline": None}, "deadline"),
            ({"targets": []}, "targets"),
            ({"targets": ["530124999299"]}, "targets.0"),
            ({"targets": ["530102001200"]}, "targets.0"),
            ({"type": "meeting"}, "meeting_reason"),
            ({"type": "party"}, "type"),
            ({"attachments": [("a.pdf", b"not a pdf")]}, "attachments.0"),
        ],
    )
    def test_bad_input_writes_nothing(self, department: Any, over: dict[str, Any], field: str) -> None:
        before = WorkRequest.objects.count()
        with pytest.raises(Invalid) as exc:
            make_request(department, **over)
        assert field in fields(exc.value)
        assert WorkRequest.objects.count() == before

    def test_outside_jurisdiction_target(self, department: Any) -> None:
        # 官渡区 (another county of 昆明市) is outside 富民县民政局's jurisdiction.
        region = Region.objects.filter(level="township").exclude(code__startswith="530124").first()
        with pytest.raises(Invalid) as exc:
            make_request(department, targets=[region.code])
        assert "不在您的管辖范围内" in exc.value.errors[0].message

    def test_only_departments_file(self, clerk: Any, reviewer: Any) -> None:
        for who in (clerk, reviewer):
            with pytest.raises(Forbidden):
                make_request(who)

    def test_attachment_checked_and_stored(self, department: Any, tmp_path: Any, settings: Any) -> None:
        settings.MEDIA_ROOT = tmp_path
        pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
        r = make_request(department, attachments=[("通知.pdf", pdf)])
        att = r.attachments.get()
        assert att.kind == "pdf" and att.size == len(pdf) and att.filename == "通知.pdf"


class TestReview:
    def test_approve_creates_assignments_and_notifies(self, department: Any, reviewer: Any) -> None:
        r = make_approved(department, reviewer, targets=[VILLAGE])
        assert r.status == "approved" and r.triage == "assist" and r.deployment
        a = Assignment.objects.get(request=r)
        assert a.village_id == VILLAGE and a.township_id == "530124103000" and a.status == "assigned"
        assert a.responsible_body == "富民县民政局（村委会协助）"
        assert Notification.objects.filter(
            role="village_clerk", region_id=VILLAGE, done_at=None, subject_id=str(a.pk)
        ).exists()
        assert Notification.objects.filter(user=department, kind="admission.approve").exists()
        assert not Notification.objects.filter(role="county_reviewer", subject_id=str(r.pk), done_at=None).exists()

    def test_second_decision_is_conflict(self, department: Any, reviewer: Any) -> None:
        r = make_approved(department, reviewer)
        with pytest.raises(Conflict):
            services.request_decide(actor=reviewer, request=r, outcome="reject", reasons="重复", clauses=["（二）"])
        assert Decision.objects.filter(request=r).count() == 1
        assert Assignment.objects.filter(request=r).count() == 1

    def test_decision_needs_reasons_triage_clauses(self, department: Any, reviewer: Any) -> None:
        r = make_request(department)
        with pytest.raises(Invalid) as exc:
            services.request_decide(actor=reviewer, request=r, outcome="approve")
        assert {"triage", "deployment"} <= fields(exc.value)
        with pytest.raises(Invalid) as exc:
            services.request_decide(actor=reviewer, request=r, outcome="reject", reasons="不合规", clauses=["（十八）"])
        assert "clauses" in fields(exc.value)
        with pytest.raises(Invalid):
            services.request_decide(actor=reviewer, request=r, outcome="return")
        r.refresh_from_db()
        assert r.status == "pending" and not Decision.objects.filter(request=r).exists()

    def test_only_reviewers_decide(self, department: Any, county_admin: Any, other_department: Any) -> None:
        r = make_request(department)
        with pytest.raises(Forbidden):
            services.request_decide(actor=county_admin, request=r, outcome="return", reasons="x")
        with pytest.raises(NotFound):
            services.request_decide(actor=other_department, request=r, outcome="return", reasons="x")

    def test_return_revise_resubmit_keeps_versions(self, department: Any, reviewer: Any) -> None:
        r = make_request(department)
        services.request_decide(actor=reviewer, request=r, outcome="return", reasons="请写明部门提供的工作条件")
        r.refresh_from_db()
        assert r.status == "returned"
        services.request_revise(
            actor=department, request=r, data=request_data(provisions="每户入户调查补助 20 元"), note="补充工作条件"
        )
        r.refresh_from_db()
        assert r.status == "pending" and r.version == 2 and r.provisions == "每户入户调查补助 20 元"
        assert list(r.versions.values_list("number", flat=True)) == [1, 2]
        assert r.versions.get(number=1).snapshot["provisions"] == "业务培训和工作经费"
        services.request_decide(
            actor=reviewer, request=r, outcome="approve", triage="assist", deployment="富办通〔2027〕2号"
        )
        assert Decision.objects.filter(request=r).count() == 2

    def test_revise_only_when_returned(self, department: Any) -> None:
        r = make_request(department)
        with pytest.raises(Conflict):
            services.request_revise(actor=department, request=r, data=request_data())

    def test_screen_rejected_can_be_fixed(self, department: Any) -> None:
        r = make_request(department, title=PLEDGE_TITLE, content=PLEDGE_CONTENT)
        services.request_revise(actor=department, request=r, data=request_data(), note="删除责任书要求")
        r.refresh_from_db()
        assert r.status == "pending" and r.version == 2


class TestReceipt:
    def test_acknowledge_progress_complete(self, department: Any, reviewer: Any, clerk: Any) -> None:
        r = make_approved(department, reviewer)
        a = Assignment.objects.get(request=r)
        services.assignment_act(actor=clerk, assignment=a, action="acknowledge")
        a = services.assignment_act(actor=clerk, assignment=a, action="progress", progress=40, note="已入户 8 户")
        assert a.status == "in_progress" and a.progress == 40 and a.acknowledged_at
        a = services.assignment_act(actor=clerk, assignment=a, action="complete", note="全部入户完成")
        assert a.status == "done" and a.progress == 100 and a.completed_at
        assert list(AssignmentEvent.objects.filter(assignment=a).values_list("kind", flat=True)) == [
            "acknowledge",
            "progress",
            "complete",
        ]
        assert Notification.objects.filter(user=department, kind="admission.done").exists()
        with pytest.raises(Conflict):
            services.assignment_act(actor=clerk, assignment=a, action="complete")

    def test_other_village_gets_404(self, department: Any, reviewer: Any, other_clerk: Any) -> None:
        r = make_approved(department, reviewer)
        a = Assignment.objects.get(request=r)
        with pytest.raises(NotFound):
            services.assignment_act(actor=other_clerk, assignment=a, action="acknowledge")
        a.refresh_from_db()
        assert a.status == "assigned"

    def test_department_cannot_act(self, department: Any, reviewer: Any) -> None:
        a = Assignment.objects.get(request=make_approved(department, reviewer))
        with pytest.raises(Forbidden):
            services.assignment_act(actor=department, assignment=a, action="complete")

    def test_progress_needs_note_and_range(self, department: Any, reviewer: Any, clerk: Any) -> None:
        a = Assignment.objects.get(request=make_approved(department, reviewer))
        with pytest.raises(Invalid) as exc:
            services.assignment_act(actor=clerk, assignment=a, action="progress", progress=120)
        assert {"progress", "note"} <= fields(exc.value)


class TestOffList:
    def test_report_reaches_county_and_counts(self, clerk: Any, reviewer: Any, village: Any) -> None:
        dep = Organisation.objects.get(name="富民县公安局")
        report = services.offlist_report(
            actor=clerk,
            village=village,
            department=dep,
            department_name="",
            what="电话要求统计外出务工人员",
            channel="phone",
            received_on=timezone.localdate(),
        )
        assert report.county_id == "530124000000" and report.status == "open"
        assert Notification.objects.filter(role="county_reviewer", subject_id=str(report.pk)).exists()
        services.offlist_handle(actor=reviewer, report=report, status="confirmed", note="已责令停止")
        with pytest.raises(Conflict):
            services.offlist_handle(actor=reviewer, report=report, status="dismissed", note="再次")
        from cunwu.admission.selectors import department_history

        assert department_history([dep.pk], timezone.localdate().year)[dep.pk].offlist == 1

    def test_report_bad_input(self, clerk: Any, village: Any, other_village: Any) -> None:
        with pytest.raises(Invalid) as exc:
            services.offlist_report(
                actor=clerk,
                village=village,
                department=None,
                department_name="",
                what="",
                channel="pigeon",
                received_on=future(3),
            )
        assert {"department", "what", "channel", "received_on"} <= fields(exc.value)
        with pytest.raises(NotFound):
            services.offlist_report(
                actor=clerk,
                village=other_village,
                department=None,
                department_name="县公安局",
                what="x",
                channel="phone",
                received_on=timezone.localdate(),
            )
        assert not OffListReport.objects.exists()


class TestEvaluation:
    def test_one_evaluation_evidence_weights_scores(self, county_admin: Any, county: Any, village: Any) -> None:
        ev = services.evaluation_create(actor=county_admin, county=county, year=2027, title="2027年度村级组织综合考评")
        with pytest.raises(Conflict):
            services.evaluation_create(actor=county_admin, county=county, year=2027, title="又一个")
        with pytest.raises(Invalid) as exc:
            services.indicator_add(
                actor=county_admin,
                evaluation=ev,
                name="党建",
                description="",
                weight=50,
                evidence=["ledger", "screenshot"],
            )
        assert "evidence" in fields(exc.value)
        a = services.indicator_add(
            actor=county_admin,
            evaluation=ev,
            name="为民服务",
            description="",
            weight=60,
            evidence=["site_visit", "ledger"],
        )
        with pytest.raises(Invalid):
            services.evaluation_publish(actor=county_admin, evaluation=ev)
        b = services.indicator_add(
            actor=county_admin, evaluation=ev, name="群众满意", description="", weight=40, evidence=["villager_survey"]
        )
        services.evaluation_publish(actor=county_admin, evaluation=ev)
        services.score_record(actor=county_admin, evaluation=ev, village=village, scores={a.pk: 90, b.pk: 80})
        assert Score.objects.filter(indicator__evaluation=ev, village=village).count() == 2
        from cunwu.admission.selectors import evaluation_results

        assert evaluation_results(ev, [village])[0]["total"] == 86.0
        with pytest.raises(Invalid):
            services.score_record(actor=county_admin, evaluation=ev, village=village, scores={a.pk: 101})

    def test_reviewer_cannot_manage(self, reviewer: Any, county: Any) -> None:
        with pytest.raises(Forbidden):
            services.evaluation_create(actor=reviewer, county=county, year=2027, title="x")


class TestChannels:
    def test_register_flag_merge_counts(self, reviewer: Any, county: Any) -> None:
        from cunwu.admission.selectors import channel_counts, channel_lookalikes

        civil = Organisation.objects.get(name="富民县民政局")
        a = services.channel_register(
            actor=reviewer,
            county=county,
            kind="wechat",
            name="富民县社会救助工作群",
            owner=civil,
            purpose="社会救助政策通知",
            villages=[VILLAGE, OTHER_VILLAGE],
        )
        b = services.channel_register(
            actor=reviewer,
            county=county,
            kind="wechat",
            name="罗免镇社会救助工作群",
            owner=civil,
            purpose="社会救助政策通知",
            villages=[VILLAGE],
        )
        c = services.channel_register(
            actor=reviewer,
            county=county,
            kind="app",
            name="森林防火巡护打卡",
            owner=civil,
            purpose="护林员巡山打卡",
            villages=[VILLAGE],
        )
        items = list(Channel.objects.all())
        flagged = channel_lookalikes(items)
        assert b.pk in flagged and a.pk in [o.pk for o, _ in flagged[b.pk]] and c.pk not in flagged
        services.channel_decide(actor=reviewer, channel=b, decision="merge", merged_into=a, note="与县级群重复")
        services.channel_decide(actor=reviewer, channel=c, decision="close", note="以实地巡查为准")
        counts = {r.code: (x, y) for r, x, y in channel_counts(list(Channel.objects.all()))}
        assert counts[VILLAGE] == (3, 1) and counts[OTHER_VILLAGE] == (1, 1)
        with pytest.raises(Conflict):
            services.channel_decide(actor=reviewer, channel=c, decision="keep")
        with pytest.raises(Invalid):
            services.channel_decide(actor=reviewer, channel=a, decision="merge", merged_into=a, note="x")


def test_service_channel_recorded_for_work_the_village_will_not_do(department: Any, reviewer: Any) -> None:
    """（十七）: when work leaves the village, the decision says where citizens go instead."""
    r = make_request(department)
    services.request_decide(
        actor=reviewer,
        request=r,
        outcome="approve",
        triage="township",
        deployment="富办通〔2027〕9号",
        service_channel="群众到乡镇便民服务中心社会救助窗口办理",
    )
    r.refresh_from_db()
    assert r.service_channel == "群众到乡镇便民服务中心社会救助窗口办理"
    assert Decision.objects.get(request=r).service_channel == r.service_channel
    with pytest.raises(Invalid) as exc:
        services.request_decide(
            actor=reviewer,
            request=make_request(department),
            outcome="reject",
            reasons="x",
            clauses=["（二）"],
            service_channel="长" * 301,
        )
    assert "service_channel" in fields(exc.value)


@pytest.mark.parametrize("triage", ["township", "purchase"])
def test_work_routed_away_from_the_village_creates_no_assignment(department: Any, reviewer: Any, triage: str) -> None:
    """（三）: approved work the county routes to the township or to purchased services is not
    assigned to villages, and （十七） the decision must say where villagers go now."""
    r = make_request(department)
    with pytest.raises(Invalid) as exc:
        services.request_decide(
            actor=reviewer, request=r, outcome="approve", triage=triage, deployment="富办通〔2027〕9号"
        )
    assert "service_channel" in fields(exc.value)
    r.refresh_from_db()
    assert r.status == "pending" and not Assignment.objects.filter(request=r).exists()
    services.request_decide(
        actor=reviewer,
        request=r,
        outcome="approve",
        triage=triage,
        deployment="富办通〔2027〕9号",
        service_channel="群众到乡镇便民服务中心办理",
    )
    r.refresh_from_db()
    assert r.status == "approved" and r.triage == triage
    assert not Assignment.objects.filter(request=r).exists()
