"""Workbench cards: what this person has to do about signs, mechanisms and facilities."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from . import selectors

AREA = "机制牌子"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    out: list[WorkItem] = []
    if not scope.has(Perm.SIGN_VIEW):
        return out
    if scope.has(Perm.SIGN_EDIT):
        tasks = selectors.open_tasks_for(user).select_related("campaign")
        count = tasks.count()
        if count:
            first = tasks.order_by("campaign__deadline").first()
            assert first is not None
            out.append(
                WorkItem(
                    AREA,
                    "挂牌清理整改任务",
                    reverse("signs:village", args=[first.region_id]) + "#tasks",
                    count,
                    f"请于 {first.campaign.deadline} 前完成（九）",
                    urgent=True,
                )
            )
        else:
            home = selectors.home_region_for(user)
            if home is not None and home.is_village:
                out.append(WorkItem(AREA, "挂牌、机制和设施台账", reverse("signs:village", args=[home.code])))
    review, approve = selectors.requests_waiting_for(user)
    if review:
        out.append(
            WorkItem(
                AREA,
                "目录外挂牌、新设机制待县级审查",
                reverse("signs:request_list") + "?status=submitted",
                review,
                urgent=True,
            )
        )
    if approve:
        out.append(
            WorkItem(
                AREA,
                "目录外挂牌、新设机制待省级审批",
                reverse("signs:request_list") + "?status=forwarded",
                approve,
                urgent=True,
            )
        )
    if not scope.has(Perm.SIGN_EDIT):
        for campaign in selectors.campaign_list_for(user).filter(status="open")[:3]:
            progress = selectors.campaign_progress(user, campaign)
            out.append(
                WorkItem(
                    AREA,
                    f"清理行动未完成任务：{campaign.title}",
                    reverse("signs:campaign_detail", args=[campaign.pk]),
                    progress.total.tasks_open,
                    f"已完成 {progress.total.percent}%，期限 {campaign.deadline}",
                )
            )
    return out
