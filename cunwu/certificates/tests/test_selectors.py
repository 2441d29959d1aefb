"""Reads are scoped: outside scope → 404, and lists show what the person may see, nothing more."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.errors import NotFound

from ..models import CertificateTemplate
from ..selectors import (
    Filters,
    application_get_for,
    application_list_for,
    case_list_for,
    certificate_get_for,
    register_list_for,
    register_stats_for,
    template_for,
    work_counts_for,
)
from ..services import application_decide, certificate_revoke, template_publish, template_save
from .helpers import make_application, make_certificate, make_pending

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(clerk: Any, head: Any, other_clerk: Any, other_head: Any, village: Any, other_village: Any) -> dict[str, Any]:
    issued = make_certificate(clerk, head, village)
    refused = application_decide(
        actor=clerk,
        application=make_application(clerk, village, text="亲属关系证明", requesting_agency="某商业银行富民支行"),
        action="refuse",
    )
    pending = make_pending(clerk, village, applicant_name="李玉芬")
    elsewhere = make_certificate(other_clerk, other_head, other_village, requesting_agency="某商业银行富民支行")
    return {"issued": issued, "refused": refused, "pending": pending, "elsewhere": elsewhere}


def test_village_staff_see_their_village_only(world: dict[str, Any], clerk: Any, other_clerk: Any) -> None:
    assert {a.pk for a in application_list_for(clerk)} == {
        world["issued"].application_id,
        world["refused"].pk,
        world["pending"].pk,
    }
    with pytest.raises(NotFound):
        application_get_for(other_clerk, world["pending"].pk)
    with pytest.raises(NotFound):
        certificate_get_for(other_clerk, world["issued"].pk)


def test_township_and_county_see_every_village_below(
    world: dict[str, Any], township_officer: Any, auditor: Any
) -> None:
    assert application_list_for(township_officer).count() == 4
    assert register_list_for(auditor).count() == 3


def test_department_officers_do_not_see_applications(world: dict[str, Any], department: Any) -> None:
    assert application_list_for(department).count() == 0
    with pytest.raises(NotFound):
        application_get_for(department, world["pending"].pk)


def test_register_is_issued_and_refused_only(world: dict[str, Any], clerk: Any) -> None:
    assert {a.status for a in register_list_for(clerk)} == {"issued", "refused"}


def test_register_filters(world: dict[str, Any], clerk: Any, head: Any, township_officer: Any) -> None:
    assert [a.pk for a in register_list_for(clerk, Filters(status="refused"))] == [world["refused"].pk]
    assert [a.pk for a in register_list_for(clerk, Filters(outcome="forbidden"))] == [world["refused"].pk]
    assert register_list_for(township_officer, Filters(agency="商业银行")).count() == 2
    assert [a.pk for a in register_list_for(clerk, Filters(q=world["issued"].serial))] == [
        world["issued"].application_id
    ]
    assert [a.pk for a in register_list_for(clerk, Filters(q=world["refused"].refusal_number))] == [world["refused"].pk]
    assert application_list_for(clerk, Filters(q="李玉芬")).count() == 0  # never search people by name in a URL
    assert application_list_for(clerk, Filters(q="居住")).count() == 2
    assert register_list_for(township_officer, Filters(region=world["elsewhere"].region_id)).count() == 1
    certificate_revoke(actor=head, certificate=world["issued"], reason="作废")
    assert register_list_for(clerk, Filters(status="revoked")).count() == 1


def test_stats_show_which_agencies_keep_asking_for_forbidden_certificates(
    world: dict[str, Any], township_officer: Any
) -> None:
    data = register_stats_for(township_officer)
    bank = next(r for r in data["per_agency"] if r["agency"] == "某商业银行富民支行")
    assert (bank["total"], bank["forbidden"], bank["refused"], bank["issued"], bank["cases"]) == (2, 1, 1, 1, 1)
    assert data["per_agency"][0]["agency"] == "某商业银行富民支行"  # most forbidden requests first
    items = {r["item_code"]: r for r in data["per_item"]}
    assert items["R05"]["issued"] == 2 and items["R05"]["pending"] == 1 and items["F01"]["refused"] == 1


def test_cases_and_work_counts(
    world: dict[str, Any], clerk: Any, head: Any, township_officer: Any, other_clerk: Any
) -> None:
    assert case_list_for(township_officer).count() == 1 and case_list_for(other_clerk).count() == 0
    assert work_counts_for(township_officer)["cases"] == 1
    assert work_counts_for(head)["to_sign"] == 1
    assert work_counts_for(clerk) == {"to_decide": 0, "to_sign": 0, "cases": 0}


def test_template_for_prefers_the_agencys_own_and_the_most_local(
    department: Any, county_admin: Any, province_admin: Any, village: Any, county: Any
) -> None:
    assert template_for(village, "R05") is None
    body = "兹证明{姓名}居住在{村}。\n{核实情况}"
    general = template_publish(
        actor=county_admin,
        template=template_save(
            actor=county_admin,
            region=county,
            item_code="R05",
            title="居住证明",
            body=body,
            requesting_agency="有关单位",
        ),
    )
    assert template_for(village, "R05") == general
    police = template_publish(
        actor=department,
        template=template_save(
            actor=department,
            region=county,
            item_code="R05",
            title="居住情况证明",
            body=body,
            requesting_agency="公安派出所",
        ),
    )
    assert template_for(village, "R05", "富民县公安局罗免派出所") in {police, general}
    assert template_for(village, "R05", "公安派出所") == police
    assert police.organisation is not None and police.organisation.name == "富民县民政局"
    assert CertificateTemplate.objects.filter(status="published").count() == 2
