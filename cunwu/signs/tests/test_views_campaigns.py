"""Campaign, approval and report pages, with the authorization matrix."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cunwu.signs.models import ApprovalRequest, Campaign, CampaignTask, ReplacementBatch, ScanReport

from .helpers import make_inventory, make_sign, open_campaign, request_approved

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def client_or_anon(client_for, user):
    from django.test import Client

    return client_for(user) if user else Client()


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("reviewer", 403), ("township_officer", 403), ("county_admin", 200)]
)
def test_campaign_new_matrix(client_for, request, who, status):
    user = request.getfixturevalue(who) if who else None
    assert client_or_anon(client_for, user).get("/signs/campaigns/new/").status_code == status


def test_township_cannot_open_for_the_county(client_for, township_officer, county):
    assert client_for(township_officer).get(f"/signs/campaigns/new/?county={county.code}").status_code == 404


def test_county_opens_a_campaign_from_the_page(client_for, county_admin, clerk, village, county):
    make_inventory(clerk, village)
    client = client_for(county_admin)
    bad = client.post("/signs/campaigns/new/", {"county": county.code, "title": "", "deadline": TODAY().isoformat()})
    assert bad.status_code == 422 and "完成期限应晚于今天" in bad.content.decode()
    response = client.post(
        "/signs/campaigns/new/",
        {
            "county": county.code,
            "title": "2027年挂牌清理",
            "deadline": (TODAY() + timedelta(days=30)).isoformat(),
            "note": "逐村核对",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == f"/signs/campaigns/{campaign.pk}/"
    assert CampaignTask.objects.filter(campaign=campaign).count() == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("department", 404),
        ("clerk", 200),
        ("other_clerk", 200),
        ("township_officer", 200),
        ("county_admin", 200),
        ("province_admin", 200),
    ],
)
def test_campaign_detail_matrix(client_for, request, county_admin, county, who, status):
    campaign = open_campaign(county_admin, county)
    user = request.getfixturevalue(who) if who else None
    assert client_or_anon(client_for, user).get(f"/signs/campaigns/{campaign.pk}/").status_code == status


def test_progress_pages(
    client_for, clerk, county_admin, township_officer, village, county, django_assert_max_num_queries
):
    make_inventory(clerk, village)
    campaign = open_campaign(county_admin, county)
    client = client_for(county_admin)
    with django_assert_max_num_queries(20):
        html = client.get(f"/signs/campaigns/{campaign.pk}/").content.decode()
    assert "各乡镇（街道）进度" in html and village.parent.name in html
    html = client.get(f"/signs/campaigns/{campaign.pk}/?township={village.parent_id}").content.decode()
    assert "各村（社区）进度" in html and village.name in html
    html = client_for(township_officer).get(f"/signs/campaigns/{campaign.pk}/").content.decode()
    assert "各村（社区）进度" in html and "结束行动" not in html
    assert client.get("/signs/campaigns/").status_code == 200


def test_close_and_batch_pages(client_for, county_admin, reviewer, clerk, village, county):
    make_sign(clerk, village, "{v}村民委员会", "gate")
    campaign = open_campaign(county_admin, county)
    assert client_for(reviewer).post(f"/signs/campaigns/{campaign.pk}/close/").status_code == 403
    assert client_for(reviewer).get(f"/signs/campaigns/{campaign.pk}/batches/new/").status_code == 403
    client = client_for(county_admin)
    assert client.get(f"/signs/campaigns/{campaign.pk}/batches/new/").status_code == 200
    response = client.post(
        f"/signs/campaigns/{campaign.pk}/batches/new/",
        {
            "title": "第一批",
            "codes": ["S05", "S06"],
            "made_by": "富民县民政局",
            "planned_on": (TODAY() + timedelta(days=10)).isoformat(),
            "township": "",
        },
    )
    assert response.status_code == 302
    batch = ReplacementBatch.objects.get()
    assert batch.codes == ["S05", "S06"] and CampaignTask.objects.filter(batch=batch).count() > 2
    assert client.post(f"/signs/campaigns/{campaign.pk}/close/").status_code == 302
    assert Campaign.objects.get().status == "closed"


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("other_clerk", 404), ("township_officer", 403), ("clerk", 200)]
)
def test_task_page_matrix(client_for, request, clerk, county_admin, village, county, who, status):
    make_inventory(clerk, village)
    campaign = open_campaign(county_admin, county)
    task = CampaignTask.objects.filter(campaign=campaign, region=village).first()
    user = request.getfixturevalue(who) if who else None
    assert client_or_anon(client_for, user).get(f"/signs/tasks/{task.pk}/").status_code == status


def test_task_form_needs_a_photo_for_removals(client_for, clerk, county_admin, village, county, jpeg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_inventory(clerk, village)
    campaign = open_campaign(county_admin, county)
    task = CampaignTask.objects.filter(campaign=campaign, action="remove").first()
    client = client_for(clerk)
    bad = client.post(f"/signs/tasks/{task.pk}/", {"done_on": TODAY().isoformat()})
    assert bad.status_code == 422 and "请上传摘除后的现场照片" in bad.content.decode()
    ok = client.post(
        f"/signs/tasks/{task.pk}/",
        {"done_on": TODAY().isoformat(), "photo": SimpleUploadedFile("a.jpg", jpeg, content_type="image/jpeg")},
    )
    assert ok.status_code == 302
    assert CampaignTask.objects.get(pk=task.pk).status == "done"


# --- approvals ---


def test_request_pages(client_for, clerk, other_clerk, reviewer, province_admin, village):
    client = client_for(clerk)
    assert client.get(f"/signs/requests/new/?kind=sign&region={village.code}").status_code == 200
    assert client_for(other_clerk).get(f"/signs/requests/new/?kind=sign&region={village.code}").status_code == 404
    bad = client.post(
        "/signs/requests/new/",
        {
            "kind": "sign",
            "region": village.code,
            "name": "大箐村民委员会",
            "placement": "gate",
            "style": "x",
            "department": "县民政局",
            "basis": "文件",
        },
    )
    assert bad.status_code == 422 and "无需审批" in bad.content.decode()
    response = client.post(
        "/signs/requests/new/",
        {
            "kind": "sign",
            "region": village.code,
            "name": "大箐村普洱茶产业协会",
            "placement": "interior",
            "style": "40×60 铝塑板",
            "department": "县农业农村局",
            "basis": "《云南省茶产业发展条例》",
            "reason": "协会有实际业务",
        },
    )
    req = ApprovalRequest.objects.get()
    assert response.status_code == 302 and response.url == f"/signs/requests/{req.pk}/"
    assert client_for(other_clerk).get(f"/signs/requests/{req.pk}/").status_code == 404
    assert client.post(f"/signs/requests/{req.pk}/review/", {"action": "forward"}).status_code == 403
    assert (
        client_for(reviewer)
        .post(f"/signs/requests/{req.pk}/review/", {"action": "forward", "note": "同意"})
        .status_code
        == 302
    )
    assert ApprovalRequest.objects.get().status == "forwarded"
    detail = client_for(province_admin).get(f"/signs/requests/{req.pk}/").content.decode()
    assert "省级审批" in detail
    client_for(province_admin).post(
        f"/signs/requests/{req.pk}/decide/", {"action": "approve", "approval_reference": ""}
    )
    assert ApprovalRequest.objects.get().status == "forwarded"
    client_for(province_admin).post(
        f"/signs/requests/{req.pk}/decide/", {"action": "approve", "approval_reference": "云委办复〔2027〕8号"}
    )
    assert ApprovalRequest.objects.get().status == "approved"
    assert client_for(province_admin).get("/signs/requests/?status=approved").status_code == 200


def test_request_list_is_scoped(
    client_for, clerk, other_clerk, reviewer, province_admin, village, django_assert_max_num_queries
):
    request_approved(clerk, reviewer, province_admin, village)
    assert "普洱茶产业协会" in client_for(clerk).get("/signs/requests/").content.decode()
    assert "普洱茶产业协会" not in client_for(other_clerk).get("/signs/requests/").content.decode()
    client = client_for(province_admin)
    with django_assert_max_num_queries(12):
        client.get("/signs/requests/")


def test_mechanism_request_by_county(client_for, reviewer, county):
    client = client_for(reviewer)
    assert client.get(f"/signs/requests/new/?kind=mechanism&region={county.code}").status_code == 200
    response = client.post(
        "/signs/requests/new/",
        {
            "kind": "mechanism",
            "region": county.code,
            "name": "农村电商服务站",
            "department": "富民县商务局",
            "basis": "县委常委会议纪要",
            "dedicated_posts": "0",
        },
    )
    assert response.status_code == 302
    assert ApprovalRequest.objects.get().kind == "mechanism"


# --- overview and reports ---


@pytest.mark.parametrize(
    ("who", "code", "status"),
    [
        ("clerk", "530124000000", 404),
        ("township_officer", "530124000000", 404),
        ("township_officer", "530124103000", 200),
        ("county_admin", "530124000000", 200),
        ("prefecture_admin", "530100000000", 200),
        (None, "530124000000", 302),
    ],
)
def test_region_page_matrix(client_for, request, who, code, status):
    user = request.getfixturevalue(who) if who else None
    assert client_or_anon(client_for, user).get(f"/signs/region/{code}/").status_code == status


def test_region_pages_and_export(client_for, clerk, county_admin, province_admin, village, county):
    make_inventory(clerk, village)
    html = client_for(county_admin).get(f"/signs/region/{county.code}/").content.decode()
    assert village.parent.name in html and "发起挂牌清理行动" in html
    export = client_for(county_admin).get(f"/signs/region/{county.code}/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert client_for(clerk).get(f"/signs/region/{county.code}/export.xlsx").status_code == 404
    province = client_for(province_admin)
    assert "还没有扫描结果" in province.get("/signs/region/530000000000/").content.decode()
    assert province.post("/signs/region/530000000000/scan/").status_code == 302
    report = ScanReport.objects.get()
    assert report.plates == 9
    html = province.get("/signs/region/530000000000/").content.decode()
    assert county.name in html
    assert province.get("/signs/region/530000000000/export.xlsx").status_code == 200


def test_workbench_cards(client_for, clerk, county_admin, reviewer, village, county):
    make_inventory(clerk, village)
    open_campaign(county_admin, county)
    html = client_for(clerk).get("/accounts/workbench/").content.decode()
    assert "挂牌清理整改任务" in html
    assert "清理行动未完成任务" in client_for(county_admin).get("/accounts/workbench/").content.decode()
