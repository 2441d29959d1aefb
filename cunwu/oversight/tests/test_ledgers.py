"""Implementation ledgers （十五）: per level, the level above comments, overdue lines alert, the province sends at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cunwu.audit.models import AuditEntry
from cunwu.oversight import ledgers, services
from cunwu.oversight.models import Alert, LedgerTask

from .helpers import COUNTY, PREFECTURE, province_code

pytestmark = pytest.mark.django_db


def _deadline(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_province_sends_to_all_prefectures_and_watches_completion(
    client_for: Any, province_admin: Any, prefecture_admin: Any
) -> None:
    c = client_for(province_admin)
    r = c.post(
        f"/oversight/ledger/{province_code()}/",
        {
            "action": "send",
            "target_level": "prefecture",
            "title": "开展村级组织挂牌清理“回头看”",
            "responsible_body": "各州（市）党委组织部、民政局",
            "deadline": _deadline(),
        },
    )
    assert r.status_code == 302
    tasks = LedgerTask.objects.filter(batch__isnull=False)
    assert tasks.count() == 16
    assert AuditEntry.objects.filter(action="oversight.ledger.send").count() == 1
    page = c.get(f"/oversight/ledger/{province_code()}/").content.decode()
    assert "0 / 16" in page
    mine = tasks.get(region_code=PREFECTURE)
    p = client_for(prefecture_admin)
    r = p.post(f"/oversight/ledger/task/{mine.pk}/", {"status": "done", "progress_note": "已完成", "evidence": ""})
    assert r.status_code == 422 and "佐证材料" in r.content.decode()
    r = p.post(
        f"/oversight/ledger/task/{mine.pk}/",
        {"status": "done", "progress_note": "各县已完成", "evidence": "昆组通〔2026〕12号"},
    )
    assert r.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "done" and mine.done_at is not None
    assert "1 / 16" in c.get(f"/oversight/ledger/{province_code()}/").content.decode()


def test_the_level_above_comments_and_the_level_itself_does_not(
    client_for: Any, province_admin: Any, prefecture_admin: Any
) -> None:
    task = ledgers.task_add(
        actor=prefecture_admin,
        region_code=PREFECTURE,
        title="精简会议",
        responsible_body="市委办",
        deadline=timezone.localdate(),
    )
    assert (
        client_for(province_admin)
        .post(f"/oversight/ledger/task/{task.pk}/", {"action": "comment", "body": "请于月底前报送进展"})
        .status_code
        == 302
    )
    assert task.comments.count() == 1
    assert (
        client_for(prefecture_admin)
        .post(f"/oversight/ledger/task/{task.pk}/", {"action": "comment", "body": "自评"})
        .status_code
        == 403
    )
    # the province cannot write in the prefecture's own ledger
    assert (
        client_for(province_admin)
        .post(f"/oversight/ledger/task/{task.pk}/", {"status": "doing", "progress_note": "x", "evidence": ""})
        .status_code
        == 403
    )


def test_scope_of_ledgers(client_for: Any, county_admin: Any, clerk: Any) -> None:
    assert client_for(county_admin).get(f"/oversight/ledger/{COUNTY}/").status_code == 200
    assert client_for(county_admin).get("/oversight/ledger/530300000000/").status_code == 404
    assert client_for(clerk).get(f"/oversight/ledger/{COUNTY}/").status_code == 404
    assert client_for(county_admin).get("/oversight/ledger/abc/").status_code == 422


def test_bad_input_keeps_what_was_typed(client_for: Any, county_admin: Any) -> None:
    r = client_for(county_admin).post(
        f"/oversight/ledger/{COUNTY}/", {"title": "整合工作群", "responsible_body": "", "deadline": ""}
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "请填写责任主体" in page and "整合工作群" in page
    assert not LedgerTask.objects.exists()


def test_county_cannot_send_to_all(client_for: Any, county_admin: Any) -> None:
    with pytest.raises(Exception, match="下发"):
        ledgers.batch_send(
            actor=county_admin,
            region_code=COUNTY,
            target_level="county",
            title="x",
            responsible_body="y",
            deadline=timezone.localdate(),
        )


def test_overdue_lines_become_alerts_of_the_level(county_admin: Any) -> None:
    task = ledgers.task_add(
        actor=county_admin,
        region_code=COUNTY,
        title="清理工作群",
        responsible_body="县委办",
        deadline=timezone.localdate(),
    )
    services.alerts_raise(today=timezone.localdate() + dt.timedelta(days=3))
    alert = Alert.objects.get(rule__code="ledger_overdue")
    assert alert.owner_code == COUNTY and str(task.pk) in alert.subject and alert.value == 3
    assert "（十五）" in alert.message
