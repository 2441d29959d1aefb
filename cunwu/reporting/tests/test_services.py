"""Requests, consolidation, the plan and filings through the services (database asserted)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from cunwu.audit.models import AuditEntry
from cunwu.errors import Conflict, Forbidden, Invalid
from cunwu.reporting import selectors, services
from cunwu.reporting.formfiles import read_form
from cunwu.reporting.models import (
    DataElement,
    DataValue,
    Filing,
    FilingStatus,
    FormRequest,
    PlanElement,
    RequestStatus,
    Window,
)
from cunwu.reporting.services import FieldIn

from .factories import YEAR, make_request
from .sheets import Col, FormSpec, Group, form_bytes

CIVIL_FIELDS = [
    FieldIn("低保户数", "integer", "户"),
    FieldIn("低保人数", "integer", "人"),
    FieldIn("低保金额", "decimal", "元"),
]


@pytest.fixture
def civil(department: Any) -> Any:
    return make_request(department, CIVIL_FIELDS)


def test_register_creates_elements_and_audits(civil: Any, county: Any) -> None:
    assert civil.status == RequestStatus.SUBMITTED
    assert [f.label for f in civil.fields.all()] == ["低保户数", "低保人数", "低保金额"]
    assert DataElement.objects.filter(county=county).count() == 3
    assert AuditEntry.objects.filter(action="reporting.request_register", object_id=str(civil.pk)).exists()


def test_register_refuses_bad_input_writing_nothing(department: Any) -> None:
    with pytest.raises(Invalid) as caught:
        make_request(department, [FieldIn("", "integer"), FieldIn("x", "number"), FieldIn("y", unit="斗")], title="")
    fields = {e.field for e in caught.value.errors}
    assert {"title", "fields.0.label", "fields.1.type", "fields.2.unit"} <= fields
    assert not FormRequest.objects.exists()
    assert not DataElement.objects.exists()


def test_only_departments_register(clerk: Any, reviewer: Any) -> None:
    for user in (clerk, reviewer):
        with pytest.raises(Forbidden):
            services.request_register(
                actor=user, department_id=1, year=YEAR, title="t", purpose="p", basis="", frequency="yearly", fields=[]
            )


def test_upload_proposes_reuse_naming_who_collects_it(civil: Any, other_department: Any, county: Any) -> None:
    spec = FormSpec(
        "县公安局",
        "村情统计表",
        [
            Col("村名", role="key"),
            Group("最低生活保障对象", (Col("户数（户）"), Col("金额（万元）"))),
            Col("辅警人数（人）"),
        ],
    )
    form = read_form(form_bytes(spec), spec.filename)
    proposals = {p.index: p for p in selectors.field_proposals(county.code, YEAR, form.columns)}
    households, money, new = proposals[1], proposals[2], proposals[3]
    assert households.element is not None and households.element.name == "低保户数"
    assert households.note.startswith("已由富民县民政局按月采集 — 直接复用")
    assert money.element is not None and money.element.name == "低保金额"
    assert money.unit_factor == 0.0001
    assert new.element is None and new.note == "新数据项"


def _approve_all(reviewer: Any, *requests: Any) -> None:
    for r in requests:
        services.request_decide(actor=reviewer, request=r, approve=True)


def test_consolidation_merge_keeps_values_with_factor(
    civil: Any, other_department: Any, reviewer: Any, county: Any
) -> None:
    police = make_request(
        other_department,
        [FieldIn("最低生活保障对象户数", "integer", "户"), FieldIn("低保资金", "decimal", "万元")],
        title="村情统计表",
        frequency="yearly",
    )
    proposals = selectors.consolidation_proposals(county.code, YEAR)
    pairs = {(p.keep.name, p.drop.name): p.factor for p in proposals}
    assert pairs[("低保户数", "最低生活保障对象户数")] == 1
    money = next(p for p in proposals if p.drop.name == "低保资金")
    assert money.factor == 10000  # 万元 × 10000 = 元
    for p in proposals:
        services.merge_decide(
            actor=reviewer, keep=p.keep, drop=p.drop, year=YEAR, factor=p.factor, confirm=True, score=p.score
        )
    assert selectors.consolidation_proposals(county.code, YEAR) == []
    field = police.fields.get(label="低保资金")
    assert field.element.name == "低保金额"
    assert field.factor == pytest.approx(0.0001)
    with pytest.raises(Conflict):
        services.merge_decide(actor=reviewer, keep=money.keep, drop=money.drop, year=YEAR, factor=1, confirm=True)


def test_refusal_needs_reason_and_plan_takes_highest_frequency(
    civil: Any, other_department: Any, reviewer: Any, county: Any
) -> None:
    yearly = make_request(
        other_department,
        [FieldIn("低保人数", "integer", "人", element_id=civil.fields.get(position=1).element_id)],
        title="年报",
        frequency="yearly",
    )
    adhoc = make_request(other_department, [FieldIn("临时摸排人数", "integer", "人")], title="临时摸排表", basis="")
    with pytest.raises(Invalid):
        services.request_decide(actor=reviewer, request=adhoc, approve=False)
    services.request_decide(actor=reviewer, request=adhoc, approve=False, reason="没有政策依据，属临时性填表")
    with pytest.raises(Invalid, match="未处理"):
        services.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)
    _approve_all(reviewer, civil, yearly)
    plan = services.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)
    rows = {pe.element.name: pe.frequency for pe in PlanElement.objects.filter(plan=plan).select_related("element")}
    assert rows == {"低保户数": "monthly", "低保人数": "monthly", "低保金额": "monthly"}
    windows = Window.objects.filter(plan=plan)
    assert windows.count() == 12
    march = windows.get(period=f"{YEAR}-03")
    assert march.opens.weekday() < 5 and march.opens > date(YEAR, 3, 31)
    with pytest.raises(Conflict):
        services.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)


def test_form_plan_covers(civil: Any, department: Any, other_department: Any, reviewer: Any, county: Any) -> None:
    from .factories import department_id

    code = str(department_id(department))
    args = {"department_code": code, "county_code": county.code, "year": YEAR}
    assert not selectors.form_plan_covers(**args, title="报送农村低保对象统计表", content="请各村按月填报低保户数")
    _approve_all(reviewer, civil)
    assert not selectors.form_plan_covers(**args, title="报送农村低保对象统计表", content="")  # not yet published
    services.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)
    assert selectors.form_plan_covers(**args, title="报送农村低保对象统计表", content="请各村按月填报低保户数")
    assert not selectors.form_plan_covers(**args, title="报送村级党建工作台账", content="各村填写党员活动记录表")
    other = str(department_id(other_department))
    assert not selectors.form_plan_covers(**{**args, "department_code": other}, title="农村低保对象统计表", content="")
    assert not selectors.form_plan_covers(**{**args, "year": YEAR + 1}, title="农村低保对象统计表", content="")


@pytest.fixture
def plan(civil: Any, reviewer: Any, county: Any) -> Any:
    _approve_all(reviewer, civil)
    return services.plan_publish(actor=reviewer, county_code=county.code, year=YEAR)


def _ids(filing: Filing) -> dict[str, int]:
    return {r.element.name: r.element.pk for s in selectors.filing_sections(filing) for r in s.rows}


def test_filing_flow(plan: Any, clerk: Any, township_officer: Any, village: Any) -> None:
    period = f"{YEAR}-03"
    window = Window.objects.get(plan=plan, period=period)
    filing = services.filing_open(actor=clerk, plan=plan, village_code=village.code, period=period)
    ids = _ids(filing)
    with pytest.raises(Invalid) as caught:
        services.filing_save(
            actor=clerk, filing=filing, values={ids["低保户数"]: "十二", ids["低保人数"]: "-3"}, today=window.opens
        )
    messages = [e.message for e in caught.value.errors]
    assert "「低保户数」应填整数（单位：户），不能填「十二」。" in messages
    assert any("不能小于 0" in m for m in messages)
    assert not DataValue.objects.exists()
    services.filing_save(actor=clerk, filing=filing, values={ids["低保户数"]: "12户"}, today=window.opens)
    assert DataValue.objects.get(element_id=ids["低保户数"]).value == "12"
    with pytest.raises(Invalid, match="有数据项"):
        services.filing_save(actor=clerk, filing=filing, values={}, submit=True, today=window.opens)
    services.filing_save(
        actor=clerk,
        filing=filing,
        values={ids["低保人数"]: "30", ids["低保金额"]: "4500.50"},
        submit=True,
        today=window.opens,
    )
    filing.refresh_from_db()
    assert filing.status == FilingStatus.SUBMITTED
    with pytest.raises(Forbidden):
        services.filing_accept(actor=clerk, filing=filing)
    with pytest.raises(Invalid):
        services.filing_return(actor=township_officer, filing=filing, reason=" ")
    services.filing_return(actor=township_officer, filing=filing, reason="低保金额与系统不符，请核对")
    filing.refresh_from_db()
    assert (filing.status, filing.return_reason) == (FilingStatus.RETURNED, "低保金额与系统不符，请核对")
    services.filing_save(actor=clerk, filing=filing, values={ids["低保金额"]: "4600"}, submit=True, today=window.closes)
    services.filing_accept(actor=township_officer, filing=filing)
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.ACCEPTED


def test_filing_locks_after_window_until_reopened(plan: Any, clerk: Any, township_officer: Any, village: Any) -> None:
    period = f"{YEAR}-01"
    window = Window.objects.get(plan=plan, period=period)
    filing = services.filing_open(actor=clerk, plan=plan, village_code=village.code, period=period)
    ids = _ids(filing)
    late = window.closes + timedelta(days=1)
    with pytest.raises(Conflict, match=r"截止并锁定.*乡镇") as caught:
        services.filing_save(actor=clerk, filing=filing, values={ids["低保户数"]: "1"}, today=late)
    assert caught.value.code == "window_closed"
    assert not DataValue.objects.exists()


def test_prefill_from_last_period_for_stable_elements(plan: Any, clerk: Any, village: Any) -> None:
    element = DataElement.objects.get(name="低保户数")
    DataElement.objects.filter(pk=element.pk).update(stable=True)
    jan = services.filing_open(actor=clerk, plan=plan, village_code=village.code, period=f"{YEAR}-01")
    opens = Window.objects.get(plan=plan, period=f"{YEAR}-01").opens
    services.filing_save(actor=clerk, filing=jan, values={element.pk: "12"}, today=opens)
    feb = services.filing_open(actor=clerk, plan=plan, village_code=village.code, period=f"{YEAR}-02")
    row = next(r for s in selectors.filing_sections(feb) for r in s.rows if r.element.pk == element.pk)
    assert (row.value, row.prefilled) == ("12", True)


def test_other_village_cannot_open(plan: Any, other_clerk: Any, village: Any) -> None:
    from cunwu.errors import NotFound

    with pytest.raises(NotFound):
        services.filing_open(actor=other_clerk, plan=plan, village_code=village.code, period=f"{YEAR}-01")
