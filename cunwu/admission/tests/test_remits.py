"""（一） 县（市、区）……明确党政群机构在全面推进乡村振兴方面的职责范围和履职方式: the county sets each
department's responsibilities toward villages (what it does itself, what it asks villages to assist
with and through which catalog item), publishes them, and the reviewer sees them beside a request,
with 需核对 when the request lies outside them — no new screening rule, no change to the outcome."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cunwu.admission import rules, services
from cunwu.admission.models import DepartmentRemit
from cunwu.audit.models import AuditEntry
from cunwu.errors import Forbidden, Invalid, NotFound
from cunwu.regions.models import Organisation, Region

from .factories import make_request

COUNTY = "530124000000"


def civil_affairs() -> Organisation:
    return Organisation.objects.get(region_id=COUNTY, name="富民县民政局")


def save(actor: Any, **over: Any) -> DepartmentRemit:
    data: dict[str, Any] = {
        "county": Region.objects.get(code=COUNTY),
        "department": civil_affairs(),
        "responsibilities": "负责农村低保、特困供养等社会救助的审核确认。",
        "own_work": "审核确认、资金发放、入户核查抽查。",
        "village_work": "协助困难群众提出救助申请、组织民主评议和公示。",
        "items": ["A01"],
    }
    data.update(over)
    return services.remit_save(actor=actor, **data)


# ---------------------------------------------------------------------------- rules, no database


def test_clause_1_request_within_the_stated_items_needs_no_check():
    check = rules.remit_check(has_remit=True, remit_items=["A01"], matches=[("assist", "A01", "协助开展社会救助工作")])
    assert check == rules.RemitCheck(False)


def test_clause_1_request_outside_the_stated_items_needs_a_check_with_the_reason():
    check = rules.remit_check(has_remit=True, remit_items=["A10"], matches=[("assist", "A01", "协助开展社会救助工作")])
    assert check.needs_check
    assert check.reason == "申请对应的目录事项（A01 协助开展社会救助工作）不在该部门公布的请村协助事项（A10）之内。"
    # certificates matched by the screening are not ways of asking villages for work
    check = rules.remit_check(has_remit=True, remit_items=["A01"], matches=[("cert_retained", "R05", "居住证明")])
    assert check.needs_check and "未对应履职事项或协助服务事项目录中的事项" in check.reason


def test_clause_1_department_without_published_responsibilities_needs_a_check():
    check = rules.remit_check(has_remit=False, remit_items=[], matches=[("assist", "A01", "协助开展社会救助工作")])
    assert check.needs_check and "尚未公布乡村振兴职责范围和履职方式" in check.reason


def test_clause_1_the_check_is_not_a_screening_rule():
    assert "remit" not in rules.RULES and all("remit" not in r for r in rules.RULE_IDS)


# ---------------------------------------------------------------------------- services


def test_clause_1_county_sets_a_departments_responsibilities_audited(county_admin):
    remit = save(county_admin)
    assert remit.items == ["A01"] and remit.updated_by == county_admin
    save(county_admin, items=["A01", "A10"], village_work="协助救助申请；协助高龄老人探访。")
    assert DepartmentRemit.objects.count() == 1
    entries = list(AuditEntry.objects.filter(action="admission.remit.save").order_by("pk"))
    assert len(entries) == 2 and entries[0].before is None
    assert entries[1].before["items"] == ["A01"] and entries[1].after["items"] == ["A01", "A10"]


def test_clause_1_only_the_county_level_sets_responsibilities(reviewer, department):
    with pytest.raises(Forbidden):
        save(reviewer)
    with pytest.raises((Forbidden, NotFound)):
        save(department)
    assert not DepartmentRemit.objects.exists()


def test_clause_1_bad_input_is_said_in_chinese_and_nothing_is_written(county_admin):
    with pytest.raises(Invalid) as exc:
        save(county_admin, responsibilities=" ", items=["A99"])
    errors = {e.field: e.message for e in exc.value.errors}
    assert errors["responsibilities"] == "请填写乡村振兴职责范围。"
    assert "目录事项 A99 不在富民县施行的履职事项、协助服务事项目录中" in errors["items"]
    with pytest.raises(Invalid) as exc:
        save(county_admin, items=[])
    assert "请选择请村协助所依的目录事项" in exc.value.errors[0].message
    other = Organisation.objects.create(region_id="530125000000", name="宜良县民政局（测试）", kind="department")
    with pytest.raises(Invalid) as exc:
        save(county_admin, department=other)
    assert exc.value.errors[0].field == "department" and "不是富民县的党政群机构" in exc.value.errors[0].message
    assert not DepartmentRemit.objects.exists() and not AuditEntry.objects.filter(action="admission.remit.save")


# ---------------------------------------------------------------------------- pages


def test_clause_1_responsibilities_are_published(client, county_admin):
    save(county_admin)
    page = client.get(reverse("admission_public:remits", args=[COUNTY])).content.decode()
    assert "富民县民政局" in page and "负责农村低保、特困供养等社会救助的审核确认" in page
    assert "A01 协助开展社会救助工作" in page and "富民县公安局" in page and "尚未公布" in page
    assert client.get(reverse("admission_public:remits", args=["530124103200"])).status_code == 404


def test_clause_1_county_edits_on_a_page_with_errors_at_the_field(client_for, county_admin):
    client = client_for(county_admin)
    url = reverse("admission:remit_edit", args=[civil_affairs().pk])
    bad = client.post(url, {"responsibilities": "", "own_work": "审核确认", "village_work": "协助申请", "items": []})
    assert bad.status_code == 422
    form = bad.context["form"]
    assert form.errors["responsibilities"] == ["请填写乡村振兴职责范围。"]
    good = client.post(
        url,
        {"responsibilities": "社会救助审核确认", "own_work": "审核确认", "village_work": "协助申请", "items": ["A01"]},
    )
    assert good.status_code == 302 and DepartmentRemit.objects.get().items == ["A01"]
    listing = client.get(reverse("admission:remits")).content.decode()
    assert "社会救助审核确认" in listing and "富民县公安局" in listing


def test_clause_1_review_page_shows_the_entry_and_flags_requests_outside_it(
    client_for, county_admin, department, reviewer
):
    request = make_request(department)  # 低保入户调查: matches A01
    client = client_for(reviewer)
    page = client.get(reverse("admission:review")).content.decode()
    assert "需核对" in page and "尚未公布乡村振兴职责范围和履职方式" in page
    save(county_admin, items=["A10"], village_work="协助高龄老人探访")
    page = client.get(reverse("admission:review")).content.decode()
    assert "需核对" in page and "不在该部门公布的请村协助事项（A10）之内" in page
    assert "审核确认、资金发放、入户核查抽查。" in page
    save(county_admin, items=["A01"])
    page = client.get(reverse("admission:review")).content.decode()
    assert "在公布的职责内" in page and "需核对：" not in page
    detail = client.get(reverse("admission:request_detail", args=[request.pk])).content.decode()
    assert "富民县民政局的乡村振兴职责和履职方式" in detail and "在公布的职责内" in detail


def test_clause_1_the_flag_does_not_change_screening(api, county_admin, department):
    body = {
        "title": "关于召开全县禁毒工作推进会的通知",
        "content": "请各村党组织书记到县公安局参加禁毒工作推进会。",
        "region": COUNTY,
    }
    before = api(department).post("admission/screen", body).json()
    save(county_admin, items=["A10"], village_work="协助高龄老人探访")
    assert api(department).post("admission/screen", body).json() == before
