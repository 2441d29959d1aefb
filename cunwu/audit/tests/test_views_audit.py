"""The audit log page: who may read it, what they see, filters, masking, htmx partial."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cunwu.accounts.permissions import Role
from cunwu.accounts.services import user_create
from cunwu.accounts.tests.factories import PASSWORD, WUHUA, make_user
from cunwu.audit.models import AuditEntry
from cunwu.audit.selectors import audit_entry_list_for
from cunwu.audit.services import audit_record
from cunwu.errors import Forbidden
from cunwu.regions.models import Region

URL = "/audit/"


def _row(action: str, region: str, **kw) -> AuditEntry:
    with transaction.atomic():
        return audit_record(actor="system", action=action, object_type="test", region_code=region, **kw)


@pytest.fixture
def rows(db):
    return {
        "village": _row("test.village", "530124103200"),
        "other_village": _row("test.other_village", "530124103201"),
        "county": _row("test.county", "530124000000"),
        "wuhua": _row("test.wuhua", "530102000000"),
        "province": _row("test.province", "530000000000"),
        "nowhere": _row("test.nowhere", ""),
    }


def _actions(user) -> set[str]:
    return {a for a in audit_entry_list_for(user).values_list("action", flat=True) if a.startswith("test.")}


def test_each_reader_sees_their_own_subtree(
    rows, auditor, township_officer, supervisor, province_admin, prefecture_admin
):
    assert _actions(auditor) == {"test.village", "test.other_village", "test.county"}
    assert _actions(township_officer) == {"test.village", "test.other_village"}
    assert _actions(supervisor) == {"test.village"}
    assert _actions(prefecture_admin) == {"test.village", "test.other_village", "test.county", "test.wuhua"}
    # Rows that name no region are the province's to read.
    assert _actions(province_admin) == {
        "test.village",
        "test.other_village",
        "test.county",
        "test.wuhua",
        "test.province",
        "test.nowhere",
    }


def test_readers_without_the_permission_are_refused(clerk, department, rows):
    for user in (clerk, department):
        with pytest.raises(Forbidden):
            audit_entry_list_for(user)


@pytest.mark.parametrize(
    ("persona", "status"),
    [(None, 302), ("clerk", 403), ("department", 403), ("auditor", 200), ("county_admin", 200), ("supervisor", 200)],
)
def test_audit_page_matrix(client, client_for, request, rows, persona, status):
    c = client_for(request.getfixturevalue(persona)) if persona else client
    response = c.get(URL)
    assert response.status_code == status
    if status == 403:
        assert "没有查看操作日志的权限" in response.content.decode()
    if persona == "auditor":
        html = response.content.decode()
        assert "test.county" in html and "test.wuhua" not in html


def test_outsider_sees_none_of_the_countys_rows(client_for, rows):
    outsider = make_user("wuhua_auditor", Role.AUDITOR, WUHUA)
    html = client_for(outsider).get(URL).content.decode()
    assert "test.wuhua" in html and "test.county" not in html and "test.village" not in html


def test_filters(client_for, auditor, rows):
    client = client_for(auditor)
    html = client.get(URL, {"action": "other_village"}).content.decode()
    assert "test.other_village" in html and "test.county" not in html
    html = client.get(URL, {"region": "530124103200"}).content.decode()
    assert "test.village" in html and "test.other_village" not in html
    html = client.get(URL, {"region": "530124103000"}).content.decode()
    assert "test.village" in html and "test.other_village" in html and "test.county" not in html
    html = client.get(URL, {"actor": "county_admin"}).content.decode()
    assert "test.village" not in html
    today = timezone.localdate()
    html = client.get(URL, {"since": (today + timedelta(days=1)).isoformat()}).content.decode()
    assert "没有符合条件的记录" in html
    html = client.get(
        URL, {"since": today.isoformat(), "until": today.isoformat(), "object_type": "test"}
    ).content.decode()
    assert "test.village" in html and "共 3 条" in html
    bad = client.get(URL, {"since": "2027-13-45"}).content.decode()
    assert "日期格式应为 YYYY-MM-DD" in bad and "test.village" in bad


def test_htmx_request_gets_only_the_rows(client_for, auditor, rows):
    response = client_for(auditor).get(URL, {"action": "test.county"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "test.county" in html and "<html" not in html and "<form" not in html


def test_personal_data_is_masked_in_the_log(client_for, county_admin, auditor, village):
    user_create(
        actor=county_admin,
        username="masked_one",
        password=PASSWORD,
        display_name="张三丰",
        role=Role.VILLAGE_CLERK,
        region=village,
        phone="13912345678",
    )
    html = client_for(auditor).get(URL, {"action": "user.create"}).content.decode()
    assert "139****5678" in html and "张*丰" in html
    assert "13912345678" not in html and "张三丰" not in html
    assert all("13912345678" not in str(e.after) for e in AuditEntry.objects.all())


def test_audit_list_queries_do_not_grow_with_the_rows(client_for, auditor, rows, django_assert_max_num_queries):
    client = client_for(auditor)
    client.get(URL)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for i in range(30):
        _row(f"test.more{i}", "530124103200", after={"i": i})
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_pages_keep_the_filters(client_for, auditor, db):
    for _ in range(55):
        _row("test.paged", "530124103200")
    html = client_for(auditor).get(URL, {"action": "test.paged"}).content.decode()
    assert "第 1 / 2 页" in html and "?action=test.paged&amp;page=2" in html


def test_writes_through_pages_carry_the_client_address(client_for, county_admin, db):
    client = client_for(county_admin)
    client.post(
        "/accounts/users/new/",
        {
            "username": "ip_user",
            "display_name": "某",
            "role": Role.VILLAGE_CLERK,
            "region": "530124103200",
            "password": PASSWORD,
        },
        REMOTE_ADDR="192.0.2.7",
    )
    row = AuditEntry.objects.get(action="user.create", after__username="ip_user")
    assert row.ip == "192.0.2.7" and row.actor == county_admin
    assert Region.objects.filter(code=row.region_code).exists()


def test_object_type_filter_is_a_fixed_list_not_read_from_the_log(client_for, auditor, rows):
    with CaptureQueriesContext(connection) as ctx:
        html = client_for(auditor).get(URL, {"object_type": "test"}).content.decode()
    assert not any("DISTINCT" in q["sql"].upper() for q in ctx.captured_queries)
    assert '<option value="certificates.application">证明申请（certificates.application）</option>' in html
    assert '<option value="oversight.month">月度汇总（oversight.month）</option>' in html
    # A type not in the list (typed into the address) stays selected, and filters.
    assert '<option value="test" selected>test</option>' in html and "test.village" in html
