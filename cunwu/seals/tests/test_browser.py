"""The main journey in a real browser: a contract needs a resolution, the head approves, the custodian
stamps, the register shows it, and a direct SQL edit of its chain entry makes `cunwu audit verify` fail."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from cunwu.accounts.models import User
from cunwu.ledger.models import ChainEntry
from cunwu.regions.models import Region
from cunwu.seals.models import SealRequest, SealUse

from .factories import make_seal, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_contract_request_is_blocked_until_resolution_then_approved_stamped_and_tamper_evident(page_for: Any) -> None:
    village = Region.objects.get(code="530124103200")
    seal = make_seal(village, User.objects.get(username="seal_custodian"), [User.objects.get(username="village_head")])
    base = page_for.base_url

    clerk = page_for("village_clerk")
    clerk.goto(f"{base}/seals/requests/new/")
    clerk.locator("select[name=seal]").select_option(label=f"{village.name} · {seal.name}（村民委员会章）")
    clerk.get_by_label("用印类别").select_option(label="合同签订")
    clerk.get_by_label("用印事由").fill("与种植合作社签订集体大棚租赁合同")
    clerk.get_by_label("用印次数").fill("3")
    clerk.locator("input[name=document]").set_input_files(
        files=[{"name": "租赁合同.pdf", "mimeType": "application/pdf", "buffer": pdf("lease")}]
    )
    clerk.get_by_role("button", name="提交申请").click()
    clerk.wait_for_url(re.compile(r"/seals/requests/\d+/$"))
    assert clerk.locator("#request-status").inner_text() == "待补材料"
    assert "请先上传会议决议" in clerk.locator("#missing").inner_text()

    # Blocked: submitting without the resolution is refused with the clause's words.
    clerk.get_by_role("button", name="提交审批").click()
    assert "集体研究同意" in clerk.get_by_role("alert").first.inner_text()
    assert clerk.locator("#request-status").inner_text() == "待补材料"

    clerk.locator("input[name=resolution_file]").set_input_files(
        files=[{"name": "村民代表会议决议.pdf", "mimeType": "application/pdf", "buffer": pdf("resolution")}]
    )
    clerk.get_by_label("会议类型").select_option(label="村民代表会议")
    clerk.get_by_label("应到人数口径").select_option(label="村民代表会议组成人员")
    clerk.get_by_label("会议日期").fill("2025-03-01")
    clerk.get_by_label("应到人数（户数）").fill("35")
    clerk.get_by_label("实到人数（户数）").fill("30")
    clerk.get_by_label("同意人数").fill("27")
    clerk.get_by_role("button", name="上传决议").click()
    clerk.get_by_role("button", name="提交审批").click()
    assert clerk.locator("#request-status").inner_text() == "待审批"
    request_url = clerk.url

    head = page_for("village_head")
    head.goto(request_url)
    head.get_by_role("button", name="批准（主要负责人签字）").click()
    assert head.locator("#request-status").inner_text() == "已批准待用印"

    custodian = page_for("seal_custodian", phone=True)
    custodian.goto(request_url)
    custodian.get_by_label("实际用印次数").fill("3")
    custodian.get_by_role("button", name="确认用印").click()
    assert custodian.locator("#request-status").inner_text() == "已用印"
    assert "与存证链一致" in custodian.locator("#use").inner_text()

    use = SealUse.objects.get()
    assert SealRequest.objects.get().approver.username == "village_head" and use.impressions == 3
    clerk.goto(f"{base}/seals/register/")
    row = clerk.locator("#register tbody tr").first.inner_text()
    assert "签订集体大棚租赁合同" in row and f"#{use.chain_seq}" in row

    call_command("audit", "verify")
    entry = ChainEntry.objects.get(ref_type="seal_use", ref_id=str(use.pk))
    forged = {**entry.payload, "impressions": 1}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE ledger_chainentry DISABLE TRIGGER ALL")
        cast = "::jsonb" if connection.vendor == "postgresql" else ""
        cursor.execute(
            f"UPDATE ledger_chainentry SET payload = %s{cast} WHERE id = %s",
            [json.dumps(forged, ensure_ascii=False), entry.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE ledger_chainentry ENABLE TRIGGER ALL")
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1
    assert village.code in str(exc.value) and f"第 {entry.seq} 条" in str(exc.value) and "记录被改动" in str(exc.value)
