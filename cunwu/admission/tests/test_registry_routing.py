"""Registries instead of words （二）（五）（六）, routing that follows the decision （三）（十七）, and
decisions that contradict the screening kept as rule misses."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cunwu.admission import rules, selectors, services
from cunwu.admission.models import Approval, Assignment, RoutedWork, RouteStatus, RuleMiss
from cunwu.audit.models import AuditEntry
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.regions.models import Region
from cunwu.regions.selectors import province

from .factories import PLEDGE_CONTENT, PLEDGE_TITLE, make_request

pytestmark = pytest.mark.django_db

COUNTY = "530124000000"


def register(actor: Any, kind: str = "pledge", number: str = "云发〔2026〕3号", region: Any = None) -> Approval:
    return services.approval_register(
        actor=actor,
        region=region or province(),
        kind=kind,
        number=number,
        title="关于签订森林防火目标责任书的通知",
        issued_on=timezone.localdate() - timedelta(days=10),
        scope="全省各村（社区）",
    )


def pledge(department: Any, basis: str) -> Any:
    return make_request(department, title=PLEDGE_TITLE, content=PLEDGE_CONTENT, basis=basis)


class TestRegistry:
    def test_pledge_citing_an_unregistered_document_is_rejected(self, department: Any, province_admin: Any) -> None:
        register(province_admin, number="云发〔2026〕3号")
        r = pledge(department, "依据云发〔2026〕9号，经省委、省政府同意")
        assert r.status == "screen_rejected"
        assert "pledge" in {v["rule"] for v in r.screening["violations"]}

    def test_naming_a_high_level_body_does_not_exempt(self, department: Any) -> None:
        r = pledge(department, "省委、省政府和中央有关要求")
        assert "pledge" in {v["rule"] for v in r.screening["violations"]}

    @pytest.mark.parametrize("spelling", ["云发[2026]3号", "云发（2026）3号", "雲發〔2026〕03號", "云发(2026)3号"])
    def test_registered_number_exempts_however_bracketed(
        self, department: Any, province_admin: Any, spelling: str
    ) -> None:
        register(province_admin)
        r = pledge(department, f"依据{spelling}")
        assert "pledge" not in {v["rule"] for v in r.screening["violations"]}

    def test_the_stored_result_names_the_number_that_exempted_it(
        self, client: Any, department: Any, province_admin: Any, reviewer: Any
    ) -> None:
        register(province_admin)
        r = make_request(
            department,
            title="关于签订森林防火目标责任书的通知",
            content="各村与乡镇签订森林防火目标责任书。",
            basis="依据云发[2026]3号",
        )
        assert r.status == "pending"
        assert r.screening["exemptions"] == [
            {"kind": "pledge", "number": "云发〔2026〕3号", "label": rules.EXEMPTION_LABELS["pledge"]}
        ]
        assert pledge(department, "依据云发〔2026〕9号").screening["exemptions"] == []
        client.force_login(reviewer)
        page = client.get(reverse("admission:review")).content.decode()
        assert "云发〔2026〕3号" in page

    def test_registry_look_ups_are_cached_until_a_write(
        self, province_admin: Any, django_assert_num_queries: Any
    ) -> None:
        county = Region.objects.get(code=COUNTY)
        assert selectors.registered_approvals(["云发〔2026〕3号"], county) == {}
        with django_assert_num_queries(0):
            assert selectors.registered_approvals(["云发〔2026〕3号"], county) == {}
        approval = register(province_admin)
        assert selectors.registered_approvals(["云发〔2026〕3号"], county) == {"pledge": {"云发〔2026〕3号"}}
        services.approval_revoke(actor=province_admin, approval=approval, reason="登记有误")
        assert selectors.registered_approvals(["云发〔2026〕3号"], county) == {}

    def test_revoked_approval_no_longer_exempts(self, department: Any, province_admin: Any) -> None:
        approval = register(province_admin)
        services.approval_revoke(actor=province_admin, approval=approval, reason="登记有误")
        r = pledge(department, "依据云发〔2026〕3号")
        assert r.status == "screen_rejected"
        assert AuditEntry.objects.filter(action="admission.approval.revoke").exists()
        with pytest.raises(Conflict):
            services.approval_revoke(actor=province_admin, approval=approval, reason="再次")

    def test_county_evaluation_registry(self, department: Any, county_admin: Any, province_admin: Any) -> None:
        text = "县禁毒办对各村禁毒工作进行年度考评排名。"
        inp = rules.ScreenInput(title="禁毒考评", content=text, basis="富政办发〔2026〕7号")
        county = Region.objects.get(code=COUNTY)
        assert "separate_evaluation" in selectors.screening_for(inp, county).rules()
        register(county_admin, kind="evaluation", number="富政办发〔2026〕7号", region=county)
        assert "separate_evaluation" not in selectors.screening_for(inp, county).rules()
        # The same number registered as a pledge does not exempt an evaluation.
        other = rules.ScreenInput(title="禁毒考评", content=text, basis="云发〔2026〕3号")
        register(province_admin)
        assert "separate_evaluation" in selectors.screening_for(other, county).rules()

    def test_register_checks_level_number_and_duplicates(
        self, province_admin: Any, county_admin: Any, department: Any
    ) -> None:
        county = Region.objects.get(code=COUNTY)
        with pytest.raises(Invalid) as exc:
            register(province_admin, kind="evaluation")
        assert exc.value.errors[0].field == "kind"
        with pytest.raises(Invalid) as exc:
            register(province_admin, number="省委同意")
        assert exc.value.errors[0].field == "number"
        register(province_admin)
        with pytest.raises(Invalid):
            register(province_admin, number="云发[2026]3号")
        with pytest.raises(Forbidden):
            register(county_admin)  # pledges are the province's to record
        with pytest.raises(Forbidden):
            register(department, kind="evaluation", region=county)
        assert Approval.objects.count() == 1

    def test_registry_facts_is_pure(self) -> None:
        facts = rules.registry_facts(["云发〔2026〕3号"], {"mechanism": {"云发〔2026〕3号"}})
        assert facts == {"approved_pledge": False, "approved_mechanism": True, "approved_evaluation": False}


class TestRouting:
    def test_township_routing_creates_a_township_task_and_no_assignment(
        self, department: Any, reviewer: Any, township_officer: Any, clerk: Any
    ) -> None:
        r = make_request(department, title="关于村级道路日常养护的通知")
        services.request_decide(
            actor=reviewer,
            request=r,
            outcome="approve",
            triage="township",
            deployment="富政发〔2026〕1号",
            service_channel="罗免镇便民服务中心，电话 0871-1234567",
        )
        assert not Assignment.objects.filter(request=r).exists()
        task = RoutedWork.objects.get(request=r)
        assert task.region_id == "530124103000" and task.status == RouteStatus.OPEN
        assert list(selectors.routed_list_for(township_officer)) == [task]
        assert list(selectors.routed_list_for(clerk)) == []
        services.routed_update(actor=township_officer, routed=task, status="done", note="镇交通管理站已安排养护")
        task.refresh_from_db()
        assert task.status == RouteStatus.DONE
        with pytest.raises(Invalid):
            services.routed_update(actor=township_officer, routed=task, status="in_progress", note="再改")
        with pytest.raises(NotFound):  # the village does not even see it
            services.routed_update(actor=clerk, routed=task, status="done", note="村里不办")

    def test_purchase_routing_creates_a_purchase_record(self, department: Any, reviewer: Any) -> None:
        r = make_request(department, title="关于农村生活垃圾清运的通知")
        services.request_decide(
            actor=reviewer,
            request=r,
            outcome="approve",
            triage="purchase",
            deployment="富政发〔2026〕2号",
            service_channel="县环卫服务热线",
        )
        assert not Assignment.objects.filter(request=r).exists()
        record = RoutedWork.objects.get(request=r)
        assert (record.route, record.region_id, record.service_channel) == ("purchase", COUNTY, "县环卫服务热线")

    def test_routing_away_needs_the_service_channel(self, department: Any, reviewer: Any) -> None:
        r = make_request(department)
        with pytest.raises(Invalid) as exc:
            services.request_decide(
                actor=reviewer, request=r, outcome="approve", triage="township", deployment="富政发〔2026〕1号"
            )
        assert exc.value.errors[0].field == "service_channel"
        assert not RoutedWork.objects.exists()


class TestRuleMisses:
    def test_rejecting_what_screening_passed_is_kept_with_the_reason(self, department: Any, reviewer: Any) -> None:
        r = make_request(department, content="请各村协助县民政局入户调查。联系人：张三，电话13812345678。")
        assert r.screening["violations"] == []
        services.request_decide(
            actor=reviewer, request=r, outcome="reject", reasons="实为将村作为责任主体", clauses=["（二）"]
        )
        miss = RuleMiss.objects.get(request=r)
        assert (miss.screened, miss.decided, miss.reason) == (r.outcome, "reject", "实为将村作为责任主体")
        assert "13812345678" not in miss.excerpt and "张三" not in miss.excerpt

    def test_approving_in_line_with_screening_is_not_a_miss(self, department: Any, reviewer: Any) -> None:
        r = make_request(department)
        services.request_decide(
            actor=reviewer, request=r, outcome="approve", triage="assist", deployment="富办〔2026〕1号"
        )
        assert not RuleMiss.objects.exists()

    def test_province_reviews_the_queue(self, department: Any, reviewer: Any, province_admin: Any) -> None:
        r = make_request(department)
        services.request_decide(actor=reviewer, request=r, outcome="reject", reasons="重复部署", clauses=["（二）"])
        miss = selectors.rule_miss_list_for(province_admin).get()
        services.rule_miss_review(actor=province_admin, miss=miss)
        with pytest.raises(Forbidden):
            services.rule_miss_review(actor=reviewer, miss=miss)


def test_approving_despite_findings_needs_a_reason_and_is_kept(department: Any, reviewer: Any) -> None:
    r = make_request(department, content="请各村协助县民政局入户调查，每周五前报送进度统计表。")
    assert r.status == "pending" and r.screening["violations"]
    with pytest.raises(Invalid) as exc:
        services.request_decide(
            actor=reviewer, request=r, outcome="approve", triage="assist", deployment="富办〔2026〕1号"
        )
    assert exc.value.errors[0].field == "reasons"
    services.request_decide(
        actor=reviewer,
        request=r,
        outcome="approve",
        triage="assist",
        deployment="富办〔2026〕1号",
        reasons="进度表已纳入县级年度填报计划",
    )
    miss = RuleMiss.objects.get(request=r)
    assert miss.decided == "approve" and miss.reason == "进度表已纳入县级年度填报计划"


def test_request_page_shows_where_routed_work_went(client: Any, department: Any, reviewer: Any) -> None:
    r = make_request(department, title="关于农村生活垃圾清运的通知")
    services.request_decide(
        actor=reviewer,
        request=r,
        outcome="approve",
        triage="purchase",
        deployment="富政发〔2026〕2号",
        service_channel="县环卫服务热线",
    )
    client.force_login(department)
    body = client.get(f"/admission/requests/{r.pk}/").content.decode()
    assert "分流去向（不派给村）" in body and "县环卫服务热线" in body
