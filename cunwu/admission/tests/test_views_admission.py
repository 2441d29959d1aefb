"""Pages of the admission area: authorization matrix, forms keeping what was typed, queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cunwu.admission import services
from cunwu.admission.models import Assignment, Channel, Evaluation, OffListReport, WorkRequest
from cunwu.regions.models import Organisation

from .factories import ASSIST_CONTENT, ASSIST_TITLE, VILLAGE, future, make_approved, make_request

pytestmark = pytest.mark.django_db


def post_request(client: Any, **over: Any) -> Any:
    data = {
        "title": ASSIST_TITLE,
        "content": ASSIST_CONTENT,
        "type": "task",
        "targets": [VILLAGE],
        "deadline": future().isoformat(),
    }
    data.update(over)
    return client.post(reverse("admission:request_new"), data)


class TestRequestPages:
    def test_file_rejected_on_the_spot(self, client_for: Any, department: Any) -> None:
        res = post_request(
            client_for(department),
            title="关于签订安全生产目标责任书的通知",
            content="要求各村签订2027年度安全生产目标责任书",
        )
        r = WorkRequest.objects.get(title="关于签订安全生产目标责任书的通知")
        assert res.status_code == 302 and res.url == reverse("admission:request_detail", args=[r.pk])
        page = client_for(department).get(res.url).content.decode()
        assert (
            "筛查未通过" in page
            and "（二）要求签订责任状（责任书、承诺书）" in page
            and "（二）将村级组织作为责任主体" in page
        )

    def test_errors_next_to_fields_keep_input(self, client_for: Any, department: Any) -> None:
        res = post_request(client_for(department), content="我们要求", deadline="2020-01-01")
        assert res.status_code == 422
        page = res.content.decode()
        assert "已经过去" in page and "我们要求" in page
        assert not WorkRequest.objects.filter(content="我们要求").exists()

    def test_outside_jurisdiction_target_is_field_error(self, client_for: Any, department: Any) -> None:
        res = post_request(client_for(department), targets=["530102001000"])
        assert res.status_code == 422
        assert "派往区划" in res.content.decode() or "targets" in res.content.decode()

    def test_screen_preview(self, client_for: Any, department: Any, clerk: Any) -> None:
        res = client_for(department).post(
            reverse("admission:screen_preview"), {"title": "安全生产", "content": "签订安全生产目标责任书"}
        )
        assert res.status_code == 200 and "不予通过" in res.content.decode() and "rejected" not in res.content.decode()
        assert (
            client_for(clerk).post(reverse("admission:screen_preview"), {"title": "a", "content": "b"}).status_code
            == 403
        )

    def test_request_new_matrix(self, client: Any, client_for: Any, clerk: Any, reviewer: Any, department: Any) -> None:
        url = reverse("admission:request_new")
        assert client.get(url).status_code == 302
        assert client_for(clerk).get(url).status_code == 403
        assert client_for(reviewer).get(url).status_code == 403
        assert client_for(department).get(url).status_code == 200

    def test_detail_matrix(
        self,
        client: Any,
        client_for: Any,
        department: Any,
        other_department: Any,
        clerk: Any,
        reviewer: Any,
        auditor: Any,
    ) -> None:
        r = make_request(department)
        url = reverse("admission:request_detail", args=[r.pk])
        assert client.get(url).status_code == 302
        assert client_for(other_department).get(url).status_code == 404
        assert client_for(clerk).get(url).status_code == 404
        assert client_for(auditor).get(url).status_code == 200
        page = client_for(reviewer).get(url).content.decode()
        assert "保存决定" in page and "本年度记录" in page
        assert "保存决定" not in client_for(auditor).get(url).content.decode()

    def test_decide_page_and_second_decision(
        self, client_for: Any, department: Any, reviewer: Any, auditor: Any
    ) -> None:
        r = make_request(department)
        url = reverse("admission:request_decide", args=[r.pk])
        data = {"outcome": "approve", "triage": "assist", "deployment": "富办通〔2027〕3号"}
        assert client_for(auditor).post(url, data).status_code == 403
        assert client_for(reviewer).post(url, data).status_code == 302
        assert Assignment.objects.filter(request=r).count() == 1
        assert client_for(reviewer).post(url, data).status_code == 409

    def test_revise_page(self, client_for: Any, department: Any, reviewer: Any) -> None:
        r = make_request(department)
        services.request_decide(actor=reviewer, request=r, outcome="return", reasons="补充依据")
        url = reverse("admission:request_revise", args=[r.pk])
        assert client_for(department).get(url).status_code == 200
        res = client_for(department).post(
            url,
            {
                "title": ASSIST_TITLE,
                "content": ASSIST_CONTENT,
                "type": "task",
                "targets": [VILLAGE],
                "deadline": future().isoformat(),
                "basis": "《社会救助暂行办法》",
                "note": "补充依据",
            },
        )
        assert res.status_code == 302
        r.refresh_from_db()
        assert r.version == 2 and r.status == "pending"

    def test_list_pages_query_counts(
        self, client_for: Any, department: Any, reviewer: Any, django_assert_max_num_queries: Any
    ) -> None:
        for i in range(3):
            make_request(department, title=f"{ASSIST_TITLE}{i}")
        client = client_for(reviewer)
        client.get(reverse("admission:review"))
        with django_assert_max_num_queries(30):
            assert client.get(reverse("admission:review")).status_code == 200
        with django_assert_max_num_queries(30):
            assert client.get(reverse("admission:requests")).status_code == 200


class TestVillagePages:
    def test_workbench_and_completion(
        self, client_for: Any, department: Any, reviewer: Any, clerk: Any, other_clerk: Any
    ) -> None:
        r = make_approved(department, reviewer)
        a = Assignment.objects.get(request=r)
        assert ASSIST_TITLE in client_for(clerk).get(reverse("accounts:workbench")).content.decode()
        assert ASSIST_TITLE in client_for(clerk).get(reverse("admission:village")).content.decode()
        assert ASSIST_TITLE not in client_for(other_clerk).get(reverse("admission:village")).content.decode()
        assert ASSIST_TITLE not in client_for(other_clerk).get(reverse("accounts:workbench")).content.decode()
        url = reverse("admission:assignment_detail", args=[a.pk])
        assert client_for(other_clerk).post(url, {"action": "acknowledge"}).status_code == 404
        assert client_for(clerk).post(url, {"action": "progress", "progress": "200"}).status_code == 422
        assert client_for(clerk).post(url, {"action": "complete", "note": "完成"}).status_code == 302
        a.refresh_from_db()
        assert a.status == "done"

    def test_village_page_matrix(
        self, client: Any, client_for: Any, clerk: Any, department: Any, django_assert_max_num_queries: Any
    ) -> None:
        url = reverse("admission:village")
        assert client.get(url).status_code == 302
        assert client_for(department).get(url).status_code == 403
        with django_assert_max_num_queries(30):
            assert client_for(clerk).get(url).status_code == 200

    def test_offlist_flow(self, client_for: Any, clerk: Any, reviewer: Any, other_clerk: Any, department: Any) -> None:
        dep = Organisation.objects.get(name="富民县公安局")
        res = client_for(clerk).post(
            reverse("admission:offlist_new"),
            {
                "department": str(dep.pk),
                "what": "微信群里要求每天报送巡逻照片",
                "channel": "chat_group",
                "received_on": "2026-01-05",
            },
        )
        assert res.status_code == 302
        report = OffListReport.objects.get()
        url = reverse("admission:offlist_detail", args=[report.pk])
        assert client_for(other_clerk).get(url).status_code == 404
        assert client_for(department).get(url).status_code in (403, 404)
        assert client_for(reviewer).post(url, {"status": "confirmed", "note": "已约谈"}).status_code == 302
        report.refresh_from_db()
        assert report.status == "confirmed"
        assert client_for(clerk).post(reverse("admission:offlist_new"), {"what": ""}).status_code == 422


class TestCountyPages:
    def test_ledger_meetings(
        self,
        client_for: Any,
        department: Any,
        reviewer: Any,
        township_officer: Any,
        clerk: Any,
        django_assert_max_num_queries: Any,
    ) -> None:
        make_approved(department, reviewer)
        for who in (reviewer, township_officer, clerk, department):
            with django_assert_max_num_queries(30):
                res = client_for(who).get(reverse("admission:ledger"))
            assert res.status_code == 200 and ASSIST_TITLE in res.content.decode()
        assert client_for(reviewer).get(reverse("admission:ledger") + "?region=530124103000").status_code == 200
        assert client_for(reviewer).get(reverse("admission:meetings")).status_code == 200

    def test_evaluation_pages(self, client_for: Any, county_admin: Any, reviewer: Any, clerk: Any) -> None:
        url = reverse("admission:evaluations")
        assert client_for(county_admin).post(url, {"year": "2027", "title": "2027年度综合考评"}).status_code == 302
        ev = Evaluation.objects.get()
        detail = reverse("admission:evaluation_detail", args=[ev.pk])
        res = client_for(county_admin).post(
            detail, {"form": "indicator", "name": "台账", "weight": "50", "evidence": ["ledger"]}
        )
        assert res.status_code == 422 and "台账、截图" in res.content.decode()
        assert client_for(reviewer).post(detail, {"form": "publish"}).status_code == 403
        assert client_for(clerk).get(detail).status_code == 404
        assert client_for(reviewer).get(detail).status_code == 200

    def test_channel_pages(self, client_for: Any, reviewer: Any, clerk: Any) -> None:
        owner = Organisation.objects.get(name="富民县民政局")
        url = reverse("admission:channels")
        res = client_for(reviewer).post(
            url,
            {
                "kind": "wechat",
                "name": "社会救助工作群",
                "owner": str(owner.pk),
                "purpose": "通知",
                "villages": [VILLAGE],
            },
        )
        assert res.status_code == 302 and Channel.objects.count() == 1
        assert (
            client_for(clerk).get(url).status_code == 200
        )  # a village sees an empty registry: entries belong to the county
        ch = Channel.objects.get()
        assert (
            client_for(clerk)
            .post(reverse("admission:channel_decide", args=[ch.pk]), {"decision": "close", "note": "x"})
            .status_code
            == 404
        )


class TestPublic:
    def test_public_results(self, client: Any, department: Any, reviewer: Any) -> None:
        make_approved(department, reviewer)
        make_request(
            department, title="关于签订安全生产目标责任书的通知", content="要求各村签订2027年度安全生产目标责任书"
        )
        page = client.get(reverse("admission_public:results")).content.decode()
        assert ASSIST_TITLE in page and "富民县民政局" in page and "筛查未通过" in page
        assert "签订安全生产目标责任书" not in page  # rejected requests are counted, not published
        assert "工作日按" in page
