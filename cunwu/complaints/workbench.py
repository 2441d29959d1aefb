"""Workbench cards: reports waiting for the handling body, and overdue ones (county and prefecture)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from . import selectors

AREA = "举报办理"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    if not scope.has(Perm.COMPLAINT_HANDLE):
        return []
    out: list[WorkItem] = []
    queue = reverse("complaints:queue")
    waiting = selectors.waiting_for(user)
    if waiting:
        out.append(
            WorkItem(AREA, "新收到的举报待受理", queue + "?status=received", waiting, "15 个工作日内办结（十六）")
        )
    own, below = selectors.overdue_for(user)
    if own:
        out.append(
            WorkItem(AREA, "举报已超过办理期限", queue + "?overdue=1", own, "请尽快办结或说明延期理由", urgent=True)
        )
    if below:
        out.append(
            WorkItem(
                AREA, "所辖县（市、区）有超期未办结的举报", queue, below, "请督促有关县级办理单位（十六）", urgent=True
            )
        )
    return out
