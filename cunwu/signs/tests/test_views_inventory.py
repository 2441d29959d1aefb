"""Village pages: the inventory, facility and mechanisms, photos — with the authorization matrix."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cunwu.signs.models import Facility, Mechanism, Sign
from cunwu.signs.services import Upload

from .helpers import make_inventory, make_sign

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def get(client_for, user, url):
    from django.test import Client

    return (client_for(user) if user else Client()).get(url)


# --- who sees what ---


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("other_clerk", 404),
        ("department", 404),
        ("township_officer", 200),
        ("auditor", 200),
        ("clerk", 200),
    ],
)
def test_village_page_matrix(client_for, request, village, who, status):
    user = request.getfixturevalue(who) if who else None
    response = get(client_for, user, f"/signs/village/{village.code}/")
    assert response.status_code == status


@pytest.mark.parametrize(
    "path", ["village/{code}/signs/new/", "village/{code}/facility/", "village/{code}/mechanisms/new/"]
)
@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("other_clerk", 404), ("township_officer", 403), ("auditor", 403), ("clerk", 200)]
)
def test_edit_pages_matrix(client_for, request, village, path, who, status):
    user = request.getfixturevalue(who) if who else None
    assert get(client_for, user, "/signs/" + path.format(code=village.code)).status_code == status


@pytest.mark.parametrize("path", ["sign/{pk}/edit/", "sign/{pk}/remove/"])
@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("other_clerk", 404), ("township_officer", 403), ("head", 200), ("clerk", 200)]
)
def test_sign_pages_matrix(client_for, request, clerk, village, path, who, status):
    sign = make_sign(clerk, village, "村委会")
    user = request.getfixturevalue(who) if who else None
    assert get(client_for, user, "/signs/" + path.format(pk=sign.pk)).status_code == status


def test_home_redirects(client_for, clerk, township_officer, county_admin, department, village, township, county):
    assert client_for(clerk).get("/signs/").url == f"/signs/village/{village.code}/"
    assert client_for(township_officer).get("/signs/").url == f"/signs/region/{township.code}/"
    assert client_for(county_admin).get("/signs/").url == f"/signs/region/{county.code}/"
    assert client_for(department).get("/signs/").status_code == 403


# --- the village page ---


def test_village_page_shows_findings_with_clauses(client_for, clerk, village, django_assert_max_num_queries):
    make_inventory(clerk, village)
    client = client_for(clerk)
    client.get(f"/signs/village/{village.code}/")  # warm the catalog cache
    with django_assert_max_num_queries(40):
        response = client.get(f"/signs/village/{village.code}/")
    html = response.content.decode()
    assert "发现 <strong>3</strong> 个问题" in html
    assert "（九）" in html and "（十）" in html
    assert "大箐村综治中心" in html and "不在村级组织保留挂牌指导目录内" in html
    assert "应作为门口标牌" in html
    assert "目录内未悬挂的牌子（3 类" in html


def test_village_page_query_count_does_not_grow_with_plates(client_for, clerk, village, django_assert_max_num_queries):
    make_inventory(clerk, village)
    client = client_for(clerk)
    client.get(f"/signs/village/{village.code}/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/signs/village/{village.code}/")
    for i in range(10):
        make_sign(clerk, village, f"功能室{i}", "interior")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/signs/village/{village.code}/")
    # The catalogs app re-reads its generation stamp at most once a second: allow for that one query.
    assert len(many.captured_queries) <= len(few.captured_queries) + 1


def test_read_only_sees_no_edit_buttons(client_for, township_officer, clerk, village):
    make_sign(clerk, village, "村委会")
    html = client_for(township_officer).get(f"/signs/village/{village.code}/").content.decode()
    assert "登记牌子" not in html and "摘除</a>" not in html
    assert "登记牌子" in client_for(clerk).get(f"/signs/village/{village.code}/").content.decode()


# --- forms ---


def test_add_sign_form(client_for, clerk, village, jpeg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(clerk)
    response = client.post(
        f"/signs/village/{village.code}/signs/new/",
        {
            "name": "大箐村综治中心",
            "placement": "gate",
            "size": "60×200",
            "material": "不锈钢",
            "put_up_on": "2024-03-01",
            "photo": SimpleUploadedFile("p.jpg", jpeg, content_type="image/jpeg"),
            "another": "1",
        },
    )
    assert response.status_code == 302 and response.url == f"/signs/village/{village.code}/signs/new/"
    sign = Sign.objects.get(region=village)
    assert sign.name == "大箐村综治中心" and sign.photo_id


def test_add_sign_form_errors_keep_what_was_typed(client_for, clerk, village):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(clerk).post(
        f"/signs/village/{village.code}/signs/new/",
        {
            "name": "大箐村民委员会",
            "placement": "gate",
            "photo": SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "只能上传" in html and 'value="大箐村民委员会"' in html
    assert not Sign.objects.exists()
    response = client_for(clerk).post(f"/signs/village/{village.code}/signs/new/", {"name": "", "placement": ""})
    assert response.status_code == 422 and "请填写牌子名称" in response.content.decode()


def test_remove_form(client_for, clerk, village, jpeg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign = make_sign(clerk, village, "{v}村综治中心")
    response = client_for(clerk).post(
        f"/signs/sign/{sign.pk}/remove/",
        {
            "removed_on": TODAY().isoformat(),
            "reason": "remove",
            "note": "无实质性业务",
            "photo": SimpleUploadedFile("p.jpg", jpeg, content_type="image/jpeg"),
        },
    )
    assert response.status_code == 302
    sign.refresh_from_db()
    assert sign.status == "removed" and sign.removal_photo_id
    page = client_for(clerk).get(f"/signs/village/{village.code}/").content.decode()
    assert "已摘除的牌子" in page


def test_other_village_cannot_post(client_for, other_clerk, clerk, village):
    sign = make_sign(clerk, village, "村委会")
    client = client_for(other_clerk)
    assert (
        client.post(f"/signs/village/{village.code}/signs/new/", {"name": "x", "placement": "gate"}).status_code == 404
    )
    assert (
        client.post(
            f"/signs/sign/{sign.pk}/remove/", {"removed_on": TODAY().isoformat(), "reason": "remove"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/signs/village/{village.code}/facility/", {"building_area": "300", "households": "10"}
        ).status_code
        == 404
    )
    assert Sign.objects.count() == 1 and Sign.objects.get().status == "hanging"
    assert not Facility.objects.exists()


def test_photo_view(client_for, clerk, other_clerk, township_officer, village, jpeg):
    sign = make_sign(clerk, village, "村委会", photo=Upload(jpeg, "p.jpg"))
    response = client_for(township_officer).get(f"/signs/photo/{sign.photo_id}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    data = b"".join(response.streaming_content)
    assert data[:2] == b"\xff\xd8" and b"PhoneCam" not in data
    assert client_for(other_clerk).get(f"/signs/photo/{sign.photo_id}/").status_code == 404
    assert get(client_for, None, f"/signs/photo/{sign.photo_id}/").status_code == 302


def test_facility_form_and_share(client_for, clerk, village):
    client = client_for(clerk)
    response = client.post(
        f"/signs/village/{village.code}/facility/",
        {
            "building_area": "400",
            "households": "1500",
            "party_area": "60",
            "deliberation_area": "40",
            "training_area": "40",
            "public_service_area": "100",
            "residents_area": "100",
            "office_area": "40",
            "open_plan": "on",
            "one_stop": "on",
        },
    )
    assert response.status_code == 302
    assert Facility.objects.get(region=village).households == 1500
    html = client.get(f"/signs/village/{village.code}/").content.decode()
    assert "还差 50 平方米" in html and "25%" in html
    bad = client.post(f"/signs/village/{village.code}/facility/", {"building_area": "-3", "households": "0"})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "建筑面积应大于 0 平方米" in text and "服务户数至少为 1 户" in text


def test_mechanism_forms(client_for, clerk, village):
    client = client_for(clerk)
    response = client.post(
        f"/signs/village/{village.code}/mechanisms/new/",
        {
            "name": "禁毒工作站",
            "kind": "station",
            "department": "富民县公安局",
            "basis_kind": "none",
            "dedicated_posts": "1",
            "in_facility": "on",
        },
    )
    assert response.status_code == 302
    m = Mechanism.objects.get(region=village)
    html = client.get(f"/signs/village/{village.code}/").content.decode()
    assert "不得在村级新设工作机制" in html and "专人专岗" in html
    assert client.get(f"/signs/mechanism/{m.pk}/edit/").status_code == 200
    response = client.post(
        f"/signs/mechanism/{m.pk}/end/", {"status": "merged", "ended_on": TODAY().isoformat(), "note": "并入"}
    )
    assert response.status_code == 302
    assert Mechanism.objects.get(pk=m.pk).status == "merged"


# --- public page ---


def test_public_facility_standard(client):
    assert client.get("/facilities/standard/").status_code == 200
    response = client.get("/facilities/standard/", {"households": "1500", "building_area": "420"})
    assert response.status_code == 200 and "还差 30 平方米" in response.content.decode()
    bad = client.get("/facilities/standard/", {"households": "0", "building_area": "-1"})
    assert bad.status_code == 422 and "至少为 1 户" in bad.content.decode()
