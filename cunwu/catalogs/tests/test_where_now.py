"""A withdrawn duty or assist item tells villagers where to go now （十七）."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from cunwu.catalogs import kinds, services
from cunwu.errors import Invalid
from cunwu.regions.models import Region

pytestmark = pytest.mark.django_db

COUNTY, VILLAGE = "530124000000", "530124103200"


def withdraw(actor: Any, **extra: Any) -> Any:
    return services.revision_draft(
        actor=actor,
        region=Region.objects.get(code=COUNTY),
        kind=kinds.DUTY,
        change="废",
        document="富政办〔2027〕9号",
        effective=timezone.localdate(),
        rows=[{"code": "D01", "op": "withdraw", "basis": "富政办〔2027〕9号", **extra}],
    )


def test_withdrawing_a_duty_item_needs_where_villagers_go_now(county_admin: Any) -> None:
    with pytest.raises(Invalid) as exc:
        withdraw(county_admin)
    assert any(e.field.endswith("where_now") for e in exc.value.errors)


def test_public_page_of_a_withdrawn_item_shows_where_to_go(client: Any, county_admin: Any, province_admin: Any) -> None:
    rev = withdraw(county_admin, where_now="罗免镇便民服务中心（镇政府一楼）")
    services.revision_approve(actor=province_admin, revision=rev)
    response = client.get(f"/gongkai/{VILLAGE}/duty/D01/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "在本地区已取消" in body and "罗免镇便民服务中心（镇政府一楼）" in body
    assert client.get(f"/gongkai/{VILLAGE}/duty/D99/").status_code == 404
