"""Scoped reads and the township's oversight."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.errors import NotFound
from cunwu.seals import selectors as sel
from cunwu.seals import services as svc
from cunwu.seals.choices import Category, RequestStatus
from cunwu.seals.models import SealRequest

from .factories import approved, backdate_approval, local, make_request, stamped

pytestmark = pytest.mark.django_db


def stamp_at(seal: Any, clerk: Any, head: Any, custodian: Any, when: Any, **kwargs: Any) -> Any:
    req = approved(seal, clerk, head, **kwargs)
    backdate_approval(req, when)
    SealRequest.objects.filter(pk=req.pk).update(created_at=when)
    return svc.request_stamp(
        actor=custodian,
        request=req,
        impressions=req.impressions,
        document_sha256=req.documents.get(purpose="document").sha256,
        stamped_at=when,
    )


def test_outsiders_see_nothing_of_another_village(
    seal: Any, other_seal: Any, clerk: Any, head: Any, custodian: Any, other_clerk: Any
) -> None:
    use = stamped(seal, clerk, head, custodian)
    assert list(sel.seal_list_for(other_clerk)) == [other_seal]
    assert not sel.request_list_for(other_clerk).exists() and not sel.use_list_for(other_clerk).exists()
    with pytest.raises(NotFound):
        sel.seal_get_for(other_clerk, seal.pk)
    with pytest.raises(NotFound):
        sel.request_get_for(other_clerk, use.request_id)
    with pytest.raises(NotFound):
        sel.use_get_for(other_clerk, str(use.pk))
    with pytest.raises(NotFound):
        sel.use_get_for(clerk, "not-a-uuid")


def test_the_township_and_county_see_both_villages_departments_nothing(
    seal: Any, other_seal: Any, township_officer: Any, auditor: Any, department: Any
) -> None:
    assert set(sel.seal_list_for(township_officer)) == {seal, other_seal}
    assert set(sel.seal_list_for(auditor)) == {seal, other_seal}
    assert not sel.seal_list_for(department).exists()
    assert list(sel.seal_list_for(township_officer, region=seal.region_id)) == [seal]


def test_work_queues(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    waiting = make_request(seal, clerk)
    assert list(sel.awaiting_approval_for(head)) == [waiting]
    assert not sel.awaiting_approval_for(clerk).exists()
    own = make_request(seal, head, text="own")
    assert own not in sel.awaiting_approval_for(head)
    svc.request_approve(actor=head, request=waiting)
    assert list(sel.awaiting_stamp_for(custodian)) == [waiting]
    assert sel.device_next_for(custodian, seal.pk) == waiting
    assert sel.device_next_for(clerk, seal.pk) is None
    svc.request_claim(actor=custodian, request=waiting, device="D1")
    assert sel.device_next_for(custodian, seal.pk) is None


def test_oversight_counts_uses_by_category_seal_and_month(
    seal: Any, collective_seal: Any, clerk: Any, head: Any, custodian: Any, township_officer: Any
) -> None:
    stamp_at(seal, clerk, head, custodian, local(2025, 9, 30, 10), text="a")
    stamp_at(seal, clerk, head, custodian, local(2025, 10, 9, 11), text="b", impressions=2)
    stamp_at(
        collective_seal,
        clerk,
        head,
        custodian,
        local(2025, 10, 10, 15),
        text="c",
        category=Category.CONTRACT,
        matter="签订大棚租赁合同",
    )
    o = sel.oversight_for(township_officer, year=2025)
    assert [(k, n, imp) for k, _, n, imp in o.by_category] == [("contract", 1, 1), ("daily_certificate", 2, 3)]
    assert sorted((name, n) for _, _, name, n, _ in o.by_seal) == sorted([(collective_seal.name, 1), (seal.name, 2)])
    assert o.by_month == [("2025-09", 1, 1), ("2025-10", 2, 3)]
    village = next(v for v in o.villages if v.code == seal.region_id)
    assert (village.uses, village.impressions, village.major, village.unfiled) == (3, 4, 1, 2)
    assert o.major[0]["resolution"] is not None and o.major[0]["resolution"].attended == 25
    assert o.anomalies == []
    assert sel.oversight_for(township_officer, year=2026).by_category == []


def test_oversight_finds_off_hours_many_impressions_and_precondition_refusals(
    seal: Any, clerk: Any, head: Any, custodian: Any, township_officer: Any, other_clerk: Any
) -> None:
    stamp_at(seal, clerk, head, custodian, local(2025, 10, 1, 10), text="holiday")  # National Day
    stamp_at(seal, clerk, head, custodian, local(2025, 9, 30, 19, 30), text="evening")
    stamp_at(seal, clerk, head, custodian, local(2025, 9, 28, 10), text="make-up-day")  # a Sunday worked (调休): fine
    stamp_at(seal, clerk, head, custodian, local(2025, 9, 29, 10), text="many", impressions=6)
    with pytest.raises(svc.Invalid):
        svc.request_create(
            actor=clerk,
            seal=seal,
            category=Category.DAILY_CERTIFICATE,
            matter="出具居住证明",
            remarks="先交清水费再盖章",
            impressions=1,
        )
    o = sel.oversight_for(township_officer, year=2025)
    kinds = sorted(a.kind for a in o.anomalies if a.kind != "precondition")
    assert kinds == ["many_impressions", "off_hours", "off_hours"]
    assert sel.anomaly_counts(o.anomalies)["off_hours"] == 2
    assert o.anomaly_counts == {"off_hours": 2, "many_impressions": 1, "precondition": 0}
    assert next(v for v in o.villages if v.code == seal.region_id).anomalies == 3
    assert {a.detail[:16] for a in o.anomalies if a.kind == "off_hours"} == {"2025-10-01 10:00", "2025-09-30 19:30"}
    # The refusal happened today, so it is counted in this year's view.
    from django.utils import timezone

    now_year = sel.oversight_for(township_officer, year=timezone.localdate().year)
    assert [a.kind for a in now_year.anomalies] == ["precondition"]
    assert next(v for v in now_year.villages if v.code == seal.region_id).refusals == 1
    assert sel.oversight_for(other_clerk).villages == []  # a clerk has no oversight view


def test_a_supervisor_oversees_only_their_village(seal: Any, other_seal: Any, supervisor: Any) -> None:
    o = sel.oversight_for(supervisor)
    assert [v.code for v in o.villages] == [seal.region_id]


def test_register_rows_and_chain_agreement(seal: Any, clerk: Any, head: Any, custodian: Any) -> None:
    use = stamped(seal, clerk, head, custodian)
    headers, rows = sel.register_rows(sel.use_list_for(clerk))
    assert headers[0] == "用印时间" and rows[0][4] == "为村民出具居住证明" and rows[0][12] == use.chain_seq
    assert sel.use_matches_chain(use)
    assert sel.register_problems() == (1, [])
    assert sel.request_get_for(clerk, use.request_id).status == RequestStatus.STAMPED
