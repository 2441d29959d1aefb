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


def _withdrawal_sheet(where_now: str) -> bytes:
    from .helpers import xlsx

    headers = [s.header for s in kinds.all_fields(kinds.DUTY)] + ["操作", "群众今后办理去处"]
    row = ["" for _ in headers]
    row[headers.index("编码")] = "D01"
    row[headers.index("设定依据")] = "富政办〔2027〕9号"
    row[headers.index("操作")] = "取消"
    row[-1] = where_now
    return xlsx([headers, row])


def test_spreadsheet_withdrawal_carries_where_villagers_go_now(county_admin: Any) -> None:
    from cunwu.catalogs.imports import catalog_import, template_columns

    assert "群众今后办理去处" in [c.header for c in template_columns(kinds.DUTY)]
    assert "群众今后办理去处" not in [c.header for c in template_columns(kinds.CERT_RETAINED)]
    common = {
        "actor": county_admin,
        "region": Region.objects.get(code=COUNTY),
        "kind": kinds.DUTY,
        "filename": "取消.xlsx",
        "change": "废",
        "document": "富政办〔2027〕9号",
        "effective": timezone.localdate(),
    }
    refused = catalog_import(data=_withdrawal_sheet(""), **common)
    assert refused.revision is None
    assert [(e.row, e.column) for e in refused.row_errors] == [(2, "群众今后办理去处")]
    assert "今后到哪里办理" in refused.row_errors[0].message
    outcome = catalog_import(data=_withdrawal_sheet("罗免镇便民服务中心"), **common)
    assert outcome.ok
    assert outcome.revision.statements.get().fields["where_now"] == "罗免镇便民服务中心"
