"""Services: every write checks scope, validates, writes atomically with an audit row."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image

from cunwu.audit.models import AuditEntry
from cunwu.errors import Conflict, Forbidden, Invalid, NotFound
from cunwu.regions.selectors import villages_under
from cunwu.signs import compliance, services
from cunwu.signs.models import (
    ApprovalRequest,
    Campaign,
    CampaignTask,
    CampaignVillage,
    Facility,
    Mechanism,
    Photo,
    Sign,
)

from .conftest import make_jpeg
from .helpers import JOURNEY, make_inventory, make_sign, open_campaign, request_approved

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def audit(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


# --- signs ---


def test_clerk_adds_a_sign_with_audit(clerk, village):
    sign = make_sign(clerk, village, "{v}村民委员会", "gate", size="60×200 厘米", material="不锈钢", put_up_on=TODAY())
    row = Sign.objects.get(pk=sign.pk)
    assert (row.region_id, row.name, row.placement, row.status, row.size) == (
        village.code,
        "大箐村民委员会",
        "gate",
        "hanging",
        "60×200 厘米",
    )
    assert row.created_by == clerk
    entry = AuditEntry.objects.get(action="signs.sign_add", object_id=str(sign.pk))
    assert entry.region_code == village.code and entry.after["name"] == "大箐村民委员会"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "  ", "placement": "gate"}, "name"),
        ({"name": "村委会", "placement": "roof"}, "placement"),
        ({"name": "村委会", "placement": "gate", "put_up_on": None, "size": "x" * 41}, "size"),
    ],
)
def test_bad_sign_input_writes_nothing(clerk, village, data, field):
    with pytest.raises(Invalid) as exc:
        services.sign_add(actor=clerk, region=village, **data)
    assert field in [e.field for e in exc.value.errors]
    assert not Sign.objects.filter(region=village).exists()
    assert audit("signs.sign_add") == 0


def test_future_hanging_date_is_refused(clerk, village):
    with pytest.raises(Invalid) as exc:
        services.sign_add(
            actor=clerk, region=village, name="村委会", placement="gate", put_up_on=TODAY() + timedelta(days=2)
        )
    assert exc.value.errors[0].field == "put_up_on"


def test_other_village_clerk_gets_404_and_township_gets_403(other_clerk, township_officer, clerk, village):
    with pytest.raises(NotFound):
        services.sign_add(actor=other_clerk, region=village, name="村委会", placement="gate")
    with pytest.raises(Forbidden):
        services.sign_add(actor=township_officer, region=village, name="村委会", placement="gate")
    sign = make_sign(clerk, village, "村委会")
    with pytest.raises(NotFound):
        services.sign_update(actor=other_clerk, sign=sign, name="x", placement="gate")
    with pytest.raises(NotFound):
        services.sign_remove(actor=other_clerk, sign=sign, removed_on=TODAY(), reason="remove")
    assert Sign.objects.get(pk=sign.pk).status == "hanging"


def test_photo_is_checked_resized_and_stripped_of_location(clerk, village, jpeg, settings):
    sign = make_sign(clerk, village, "{v}村民委员会", photo=services.Upload(jpeg, "IMG_0001.jpg"))
    photo = Photo.objects.get(pk=sign.photo_id)
    stored = Path(settings.MEDIA_ROOT) / photo.path
    assert stored.is_file() and photo.path.startswith(f"signs/{village.code}/")
    image = Image.open(io.BytesIO(stored.read_bytes()))
    assert max(image.size) <= 1600
    assert not image.getexif()
    assert b"PhoneCam" not in stored.read_bytes()
    assert photo.kind == "jpeg" and photo.size == stored.stat().st_size


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"%PDF-1.4 fake\n%%EOF", "只能上传"), (b"GIF89a" + b"\0" * 100, "只能上传"), (b"", None)],
)
def test_not_an_image_is_refused_and_nothing_is_written(clerk, village, settings, data, message):
    if not data:
        sign = make_sign(clerk, village, "村委会", photo=services.Upload(b"", "empty.jpg"))
        assert sign.photo_id is None  # an empty file field means no photo
        return
    with pytest.raises(Invalid) as exc:
        make_sign(clerk, village, "村委会", photo=services.Upload(data, "x.jpg"))
    assert exc.value.errors[0].field == "photo" and message in exc.value.errors[0].message
    assert not Sign.objects.exists() and not Photo.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / "signs").exists()


def test_too_large_photo_is_refused(clerk, village, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    with pytest.raises(Invalid) as exc:
        make_sign(clerk, village, "村委会", photo=services.Upload(make_jpeg(), "big.jpg"))
    assert "太大" in exc.value.errors[0].message
    assert not Photo.objects.exists()


def test_failed_transaction_removes_the_written_photo(clerk, village, settings, monkeypatch, jpeg):
    def boom(**kw):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        make_sign(clerk, village, "村委会", photo=services.Upload(jpeg, "a.jpg"))
    assert not Photo.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "signs").rglob("*.jpg"))


def test_update_and_remove(clerk, village):
    sign = make_sign(clerk, village, "{v}村民委员会", "interior")
    services.sign_update(
        actor=clerk,
        sign=sign,
        name="大箐村民委员会",
        placement="gate",
        size="",
        material="",
        put_up_by="",
        put_up_on=None,
    )
    assert Sign.objects.get(pk=sign.pk).placement == "gate"
    services.sign_remove(actor=clerk, sign=sign, removed_on=TODAY(), reason="other", note="损坏")
    row = Sign.objects.get(pk=sign.pk)
    assert (row.status, row.removed_on, row.removal_reason) == ("removed", TODAY(), "other")
    assert row.removal_recorded_at is not None
    with pytest.raises(Conflict):
        services.sign_remove(actor=clerk, sign=sign, removed_on=TODAY(), reason="other")
    with pytest.raises(Conflict):
        services.sign_update(actor=clerk, sign=row, name="x", placement="gate")
    assert audit("signs.sign_remove") == 1


def test_removal_needs_date_and_reason(clerk, village):
    sign = make_sign(clerk, village, "村委会")
    with pytest.raises(Invalid) as exc:
        services.sign_remove(actor=clerk, sign=sign, removed_on=None, reason="nope")
    assert {e.field for e in exc.value.errors} == {"removed_on", "reason"}
    assert Sign.objects.get(pk=sign.pk).status == "hanging"


# --- compliance over the stored inventory ---


def test_village_compliance_of_the_journey_inventory(clerk, village):
    make_inventory(clerk, village)
    state = compliance.village_compliance(village)
    got = sorted((f.index, f.problem, f.catalog_code) for f in state.check.findings)
    assert got == sorted(JOURNEY.findings)
    assert state.check.missing == JOURNEY.missing


def test_county_refinement_changes_the_catalog_in_force(clerk, village, county, county_admin, prefecture_admin):
    from cunwu.catalogs.services import revision_approve, revision_draft

    rev = revision_draft(
        actor=None,
        region=county,
        kind="sign",
        change="改",
        document="富办发〔2027〕3号",
        effective=TODAY(),
        rows=[
            {
                "code": "S10",
                "name": "功能区域门牌",
                "aliases": "党员活动室|农家书屋|卫生室|村民议事室",
                "placement": "interior",
                "max_count": 2,
                "basis": "县细化",
                "source": "富办发〔2027〕3号",
            }
        ],
    )
    revision_approve(actor=None, revision=rev)
    for room in ("党员活动室", "农家书屋", "卫生室"):
        make_sign(clerk, village, room, "interior")
    check = compliance.village_compliance(village).check
    assert [(f.index, f.problem, f.catalog_code) for f in check.findings] == [(2, "over_limit", "S10")]


def test_approved_exception_is_compliant_only_in_its_village_and_while_it_stands(
    clerk, other_clerk, reviewer, province_admin, village, other_village
):
    make_sign(clerk, village, "{v}村普洱茶产业协会", "interior")
    make_sign(other_clerk, other_village, "{v}村普洱茶产业协会", "interior")
    assert compliance.village_compliance(village).check.findings[0].problem == "not_in_catalog"
    req = request_approved(clerk, reviewer, province_admin, village, name="大箐村普洱茶产业协会")
    assert compliance.village_compliance(village).check.compliant
    assert not compliance.village_compliance(other_village).check.compliant
    services.request_revoke(actor=province_admin, request=req, reason="协会已注销")
    assert not compliance.village_compliance(village).check.compliant


# --- facility ---


def test_facility_save_and_update(clerk, village):
    f = services.facility_save(
        actor=clerk,
        region=village,
        building_area=Decimal("280"),
        households=700,
        zones={"party_area": Decimal(50), "residents_area": Decimal(60)},
        open_plan=True,
        one_stop=True,
    )
    row = Facility.objects.get(region=village)
    assert row.building_area == Decimal("280.00") and row.households == 700 and row.residents_area == Decimal("60.00")
    services.facility_save(actor=clerk, region=village, building_area=Decimal("360"), households=700, zones={})
    assert Facility.objects.get(pk=f.pk).building_area == Decimal("360.00")
    assert audit("signs.facility_save") == 2


@pytest.mark.parametrize(
    ("area", "households", "zones", "fields"),
    [
        (Decimal(-5), 100, {}, {"building_area"}),
        (Decimal(300), 0, {}, {"households"}),
        (Decimal(300), 100, {"office_area": Decimal(-1)}, {"office_area"}),
        (Decimal(300), 100, {"office_area": Decimal(200), "party_area": Decimal(150)}, {"building_area"}),
    ],
)
def test_bad_facility_numbers(clerk, village, area, households, zones, fields):
    with pytest.raises(Invalid) as exc:
        services.facility_save(actor=clerk, region=village, building_area=area, households=households, zones=zones)
    assert {e.field for e in exc.value.errors} == fields
    assert not Facility.objects.filter(region=village).exists()


def test_facility_of_another_village_is_404(other_clerk, village):
    with pytest.raises(NotFound):
        services.facility_save(actor=other_clerk, region=village, building_area=Decimal(300), households=100, zones={})


# --- mechanisms （六） ---


def test_mechanism_without_basis_is_registered_and_flagged(clerk, village):
    from cunwu.signs.selectors import mechanism_rows

    m = services.mechanism_add(
        actor=clerk,
        region=village,
        name="禁毒工作站",
        kind="station",
        department="富民县公安局",
        basis_kind="none",
        dedicated_posts=1,
    )
    rows = mechanism_rows(village)
    assert rows[0].mechanism == m
    assert [f.rule for f in rows[0].findings] == ["unapproved_mechanism", "dedicated_post"]
    services.mechanism_end(actor=clerk, mechanism=m, status="merged", ended_on=TODAY(), note="并入综合服务站")
    assert Mechanism.objects.get(pk=m.pk).status == "merged"
    assert mechanism_rows(village) == []
    with pytest.raises(Conflict):
        services.mechanism_end(actor=clerk, mechanism=m, status="abolished", ended_on=TODAY())


def test_mechanism_law_basis_needs_the_law(clerk, village):
    with pytest.raises(Invalid) as exc:
        services.mechanism_add(
            actor=clerk, region=village, name="人民调解委员会", kind="branch", department="县司法局", basis_kind="law"
        )
    assert exc.value.errors[0].field == "basis"
    assert not Mechanism.objects.exists()


def test_mechanism_request_county_to_province_then_registered_as_approved(
    clerk, reviewer, province_admin, county, village
):
    from cunwu.signs.selectors import mechanism_approvals_for, mechanism_rows

    with pytest.raises(Forbidden):
        services.request_file(actor=clerk, kind="mechanism", region=village, name="x", department="y", basis="z")
    req = services.request_file(
        actor=reviewer,
        kind="mechanism",
        region=county,
        name="农村电商服务站",
        department="富民县商务局",
        basis="县委常委会议纪要〔2027〕5号",
        admission_reference="ZR-2027-0012",
    )
    services.request_review(actor=reviewer, request=req, action="forward")
    services.request_decide(
        actor=province_admin, request=req, action="approve", approval_reference="云委办复〔2027〕21号"
    )
    approvals = mechanism_approvals_for(village)
    assert approvals == [ApprovalRequest.objects.get(pk=req.pk)]
    m = services.mechanism_add(
        actor=clerk,
        region=village,
        name="农村电商服务站",
        department="富民县商务局",
        basis_kind="none",
        approval=approvals[0],
    )
    row = Mechanism.objects.get(pk=m.pk)
    assert (row.basis_kind, row.approval_reference, row.approval_id) == ("province", "云委办复〔2027〕21号", req.pk)
    assert mechanism_rows(village)[0].findings == []
    services.request_revoke(actor=province_admin, request=approvals[0], reason="试点结束")
    assert mechanism_rows(village)[0].findings[0].rule == "unapproved_mechanism"


# --- approvals ---


def test_sign_request_flow_and_notifications(clerk, reviewer, province_admin, village):
    from cunwu.accounts.selectors import notification_list_for

    req = services.request_file(
        actor=clerk,
        kind="sign",
        region=village,
        name="大箐村普洱茶产业协会",
        department="县农业农村局",
        basis="茶产业条例",
        placement="interior",
        style="40×60 厘米",
    )
    assert ApprovalRequest.objects.get(pk=req.pk).status == "submitted"
    assert notification_list_for(reviewer).filter(subject_id=str(req.pk)).exists()
    with pytest.raises(Forbidden):
        services.request_decide(actor=reviewer, request=req, action="approve", approval_reference="x")
    with pytest.raises(Invalid):
        services.request_review(actor=reviewer, request=req, action="return", note="")
    services.request_review(actor=reviewer, request=req, action="forward", note="")
    assert not notification_list_for(reviewer).filter(subject_id=str(req.pk)).exists()
    assert notification_list_for(province_admin).filter(subject_id=str(req.pk)).exists()
    with pytest.raises(Invalid) as exc:
        services.request_decide(actor=province_admin, request=ApprovalRequest.objects.get(pk=req.pk), action="approve")
    assert exc.value.errors[0].field == "approval_reference"
    req = services.request_decide(
        actor=province_admin,
        request=ApprovalRequest.objects.get(pk=req.pk),
        action="approve",
        approval_reference="云委办复〔2027〕8号",
    )
    assert (req.status, req.approval_reference) == ("approved", "云委办复〔2027〕8号")
    assert notification_list_for(clerk).filter(kind="signs.request_decided").exists()
    stale = ApprovalRequest(pk=req.pk, status="forwarded", region_id=village.code, name=req.name)
    with pytest.raises(Conflict):
        services.request_decide(actor=province_admin, request=stale, action="reject", note="x")


def test_sign_request_rejects_catalog_plates_awards_and_duplicates(clerk, village):
    def file(name):
        return services.request_file(
            actor=clerk,
            kind="sign",
            region=village,
            name=name,
            department="县民政局",
            basis="文件",
            placement="interior",
            style="40×60",
        )

    with pytest.raises(Invalid) as exc:
        file("大箐村民委员会")
    assert "S05" in exc.value.errors[0].message
    with pytest.raises(Invalid) as exc:
        file("全国民主法治示范村")
    assert "公开栏" in exc.value.errors[0].message
    file("大箐村普洱茶产业协会")
    with pytest.raises(Conflict):
        file("大箐村普洱茶产业协会")


def test_request_outside_scope(other_clerk, village):
    with pytest.raises(NotFound):
        services.request_file(
            actor=other_clerk,
            kind="sign",
            region=village,
            name="x协会",
            department="y",
            basis="z",
            placement="interior",
            style="s",
        )


# --- campaigns （九） ---


def test_campaign_turns_findings_into_tasks_and_notifies(
    clerk, county_admin, county, village, other_clerk, other_village
):
    from cunwu.accounts.selectors import notification_list_for

    make_inventory(clerk, village)
    make_sign(other_clerk, other_village, "{v}村民委员会", "gate")
    campaign = open_campaign(county_admin, county)
    tasks = CampaignTask.objects.filter(campaign=campaign)
    assert sorted((t.region_id, t.action, t.problem, t.clause) for t in tasks) == [
        (village.code, "relocate", "wrong_placement", "（十）"),
        (village.code, "remove", "not_in_catalog", "（九）"),
        (village.code, "remove", "not_in_catalog", "（九）"),
    ]
    cv = CampaignVillage.objects.get(campaign=campaign, region=village)
    assert (cv.plates_before, cv.findings_before) == (9, 3)
    assert CampaignVillage.objects.filter(campaign=campaign).count() == len(villages_under(county))
    assert notification_list_for(clerk).filter(kind="signs.campaign").count() == 1
    assert not notification_list_for(other_clerk).filter(kind="signs.campaign").exists()
    with pytest.raises(Conflict):
        open_campaign(county_admin, county)
    assert audit("signs.campaign_open") == 1


def test_only_the_county_opens_campaigns(reviewer, township_officer, county, township):
    with pytest.raises(Forbidden):
        open_campaign(reviewer, county)
    with pytest.raises(NotFound):
        open_campaign(township_officer, county)
    assert not Campaign.objects.exists()


def test_campaign_needs_a_future_deadline(county_admin, county):
    with pytest.raises(Invalid) as exc:
        open_campaign(county_admin, county, deadline=TODAY())
    assert exc.value.errors[0].field == "deadline"


def test_removing_with_photo_completes_the_task_and_progress_counts_it(
    clerk, county_admin, county, village, township_officer, jpeg
):
    from cunwu.signs.selectors import campaign_progress

    signs = make_inventory(clerk, village)
    campaign = open_campaign(county_admin, county)
    task = CampaignTask.objects.get(campaign=campaign, sign=signs[6])
    with pytest.raises(Invalid) as exc:
        services.task_complete(actor=clerk, task=task, done_on=TODAY())
    assert exc.value.errors[0].field == "photo"
    assert CampaignTask.objects.get(pk=task.pk).status == "open"
    services.task_complete(actor=clerk, task=task, done_on=TODAY(), photo=services.Upload(jpeg, "a.jpg"), note="已摘除")
    task.refresh_from_db()
    assert task.status == "done" and task.photo_id is not None and task.done_by == clerk
    sign = Sign.objects.get(pk=signs[6].pk)
    assert (sign.status, sign.removal_reason, sign.removal_photo_id) == ("removed", "remove", task.photo_id)
    # The sign's other removal through the inventory page also needs a photo during the campaign.
    with pytest.raises(Invalid) as exc:
        services.sign_remove(actor=clerk, sign=signs[7], removed_on=TODAY(), reason="remove")
    assert exc.value.errors[0].field == "photo"
    services.sign_remove(
        actor=clerk, sign=signs[7], removed_on=TODAY(), reason="remove", photo=services.Upload(jpeg, "b.jpg")
    )
    relocate = CampaignTask.objects.get(campaign=campaign, action="relocate")
    services.task_complete(actor=clerk, task=relocate, done_on=TODAY(), placement="gate")
    assert Sign.objects.get(pk=signs[5].pk).placement == "gate"
    progress = campaign_progress(township_officer, campaign)
    t = progress.total
    assert (t.plates_before, t.plates_now, t.removed, t.tasks, t.tasks_done, t.tasks_open) == (9, 7, 2, 3, 3, 0)
    assert progress.level == "village" and progress.rows[0].code == village.code
    assert compliance.village_compliance(village).check.compliant
    with pytest.raises(Conflict):
        services.task_complete(actor=clerk, task=task, done_on=TODAY(), photo=services.Upload(jpeg, "a.jpg"))


def test_signs_added_during_a_campaign_become_tasks_and_fixed_ones_close(clerk, county_admin, county, village):
    campaign = open_campaign(county_admin, county)
    sign = make_sign(clerk, village, "{v}村民委员会", "interior")
    task = CampaignTask.objects.get(campaign=campaign, sign=sign)
    assert (task.action, task.status) == ("relocate", "open")
    services.sign_update(actor=clerk, sign=sign, name=sign.name, placement="gate")
    task.refresh_from_db()
    assert task.status == "done" and "问题已消除" in task.note


def test_approval_during_a_campaign_excepts_the_task(clerk, county_admin, reviewer, province_admin, county, village):
    sign = make_sign(clerk, village, "{v}村普洱茶产业协会", "interior")
    campaign = open_campaign(county_admin, county)
    task = CampaignTask.objects.get(campaign=campaign, sign=sign)
    request_approved(clerk, reviewer, province_admin, village, name="大箐村普洱茶产业协会")
    task.refresh_from_db()
    assert task.status == "excepted"


def test_batch_replacement_is_tracked(clerk, county_admin, county, village, township_officer):
    from cunwu.signs.selectors import batch_progress, campaign_progress

    old = make_sign(clerk, village, "{v}村民委员会", "gate")
    campaign = open_campaign(county_admin, county)
    with pytest.raises(Invalid) as exc:
        services.batch_create(
            actor=county_admin, campaign=campaign, title="", codes_=["S99"], made_by="", planned_on=None
        )
    assert {e.field for e in exc.value.errors} == {"title", "codes", "made_by", "planned_on"}
    batch = services.batch_create(
        actor=county_admin,
        campaign=campaign,
        title="第一批门口标牌",
        codes_=["S05"],
        made_by="富民县民政局",
        planned_on=TODAY() + timedelta(days=20),
        township=village.parent,
    )
    tasks = CampaignTask.objects.filter(batch=batch)
    assert tasks.count() == CampaignVillage.objects.filter(campaign=campaign, region__parent=village.parent).count()
    mine = tasks.get(region=village)
    assert mine.sign_id == old.pk and mine.action == "replace"
    services.task_complete(
        actor=clerk, task=mine, done_on=TODAY(), name="大箐村民委员会", size="60×200 厘米", material="不锈钢"
    )
    assert Sign.objects.get(pk=old.pk).removal_reason == "replace"
    new = Sign.objects.get(region=village, status="hanging", batch=batch)
    assert (new.name, new.placement, new.put_up_by) == ("大箐村民委员会", "gate", "富民县民政局")
    assert [(b.pk, total, done) for b, total, done in batch_progress(campaign, county_admin)] == [
        (batch.pk, tasks.count(), 1)
    ]
    progress = campaign_progress(township_officer, campaign)
    assert progress.total.replace_done == 1 and progress.total.removed == 0


def test_closed_campaign_takes_no_more_work(clerk, county_admin, county, village, jpeg):
    signs = make_inventory(clerk, village)
    campaign = open_campaign(county_admin, county)
    services.campaign_close(actor=county_admin, campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == "closed"
    task = CampaignTask.objects.filter(campaign=campaign).first()
    with pytest.raises(Conflict):
        services.task_complete(actor=clerk, task=task, done_on=TODAY(), photo=services.Upload(jpeg, "a.jpg"))
    with pytest.raises(Conflict):
        services.campaign_close(actor=county_admin, campaign=campaign)
    # Without an open campaign, removal needs no photo.
    services.sign_remove(actor=clerk, sign=signs[6], removed_on=TODAY(), reason="remove")
    open_campaign(county_admin, county, title="第二轮")


def test_scan_record(county_admin, clerk, village, county):
    make_inventory(clerk, village)
    report = services.scan_record(actor=county_admin, region=county)
    assert report.plates == 9 and report.villages == len(villages_under(county))
    assert report.rows[0]["problems"]["not_in_catalog"] == 2
