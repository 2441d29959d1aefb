"""What each person must do about seals, for the workbench."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from .choices import HandoverStatus, RequestStatus
from .models import Seal, SealHandover, SealRequest
from .selectors import awaiting_approval_for, awaiting_stamp_for

AREA = "印章"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    out: list[WorkItem] = []
    if not scope.has(Perm.SEAL_VIEW):
        return out
    requests_url = reverse("seals:request_list")
    if scope.has(Perm.SEAL_APPROVE):
        n = awaiting_approval_for(user).count()
        if n:
            out.append(
                WorkItem(AREA, "用印申请待审批", requests_url, n, "审批人不得是申请人或保管人（十四）", urgent=True)
            )
    if scope.has(Perm.SEAL_STAMP):
        n = awaiting_stamp_for(user).count()
        if n:
            out.append(WorkItem(AREA, "已批准待用印", requests_url, n, "用印后如实登记，写入存证链", urgent=True))
    if scope.has(Perm.SEAL_REQUEST):
        n = SealRequest.objects.filter(requester=user, status=RequestStatus.DRAFT).count()
        if n:
            out.append(
                WorkItem(
                    AREA, "用印申请待补材料", f"{requests_url}?mine=1&status=draft", n, "补齐文件或会议决议后提交审批"
                )
            )
    n = SealHandover.objects.filter(to_user=user, status=HandoverStatus.PENDING).count()
    if n:
        out.append(
            WorkItem(AREA, "印章移交待确认接收", reverse("seals:handover_list") + "?status=pending", n, urgent=True)
        )
    if scope.has(Perm.SEAL_FILE):
        unfiled = (
            Seal.objects.filter(scope.region_q("region_id", Perm.SEAL_FILE), filed_on__isnull=True)
            .exclude(status="destroyed")
            .count()
        )
        if unfiled:
            out.append(
                WorkItem(AREA, "印章待备案", reverse("seals:seal_list"), unfiled, "村级组织印章须报乡镇备案（十四）")
            )
        acks = SealHandover.objects.filter(
            scope.region_q("region_id", Perm.SEAL_FILE), status=HandoverStatus.CONFIRMED
        ).count()
        if acks:
            out.append(WorkItem(AREA, "印章移交待乡镇签收", reverse("seals:handover_list") + "?status=confirmed", acks))
    return out
