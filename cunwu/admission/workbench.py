"""What each person must do in the admission area, for the workbench."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from . import selectors
from .models import AssignmentStatus, OffListStatus, RequestStatus, RouteStatus

AREA = "准入"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    out: list[WorkItem] = []
    today = timezone.localdate()
    if scope.has(Perm.ADMISSION_REVIEW):
        n = selectors.review_queue_for(user).count()
        out.append(
            WorkItem(
                AREA,
                "待审查的准入申请",
                reverse("admission:review"),
                n,
                "部门要交给村里的工作，经县级审查后统一部署（二）",
                urgent=n > 0,
            )
        )
        open_reports = selectors.offlist_list_for(user, status=OffListStatus.OPEN).count()
        if open_reports:
            out.append(
                WorkItem(
                    AREA,
                    "清单外摊派反映待核处",
                    reverse("admission:offlist") + "?status=open",
                    open_reports,
                    urgent=True,
                )
            )
    if scope.has(Perm.ADMISSION_FILE):
        returned = selectors.request_list_for(user, status=RequestStatus.RETURNED).count()
        out.append(
            WorkItem(
                AREA,
                "我的准入申请",
                reverse("admission:requests"),
                returned,
                "被退回待修改的申请" if returned else "提交要村里办理的工作，系统立即筛查",
                urgent=returned > 0,
            )
        )
    if scope.has(Perm.ADMISSION_RECEIVE):
        work = list(selectors.village_workbench_for(user).exclude(status=AssignmentStatus.DONE)[:6])
        overdue = sum(1 for a in work if a.deadline and a.deadline < today)
        out.append(
            WorkItem(
                AREA,
                "派来的工作",
                reverse("admission:village"),
                len(work),
                "；".join(a.request.title for a in work[:3]) or "暂无待办的派发事项",
                urgent=overdue > 0,
            )
        )
        for a in work[:3]:
            out.append(
                WorkItem(
                    AREA,
                    a.request.title,
                    reverse("admission:assignment_detail", args=[a.pk]),
                    None,
                    f"{a.request.department.name} · 时限 {a.deadline.isoformat() if a.deadline else '无'} · {a.get_status_display()}",
                    urgent=bool(a.deadline and a.deadline < today),
                )
            )
    if scope.has(Perm.ADMISSION_HANDLE):
        # （三）: work the county routed to the township, or to purchased services, with its status.
        routed = [
            r
            for r in selectors.routed_list_for(user).exclude(status=RouteStatus.DONE)[:20]
            if scope.can(Perm.ADMISSION_HANDLE, r.region_id)
        ]
        if routed:
            out.append(
                WorkItem(
                    AREA,
                    "县级分流来的事项",
                    reverse("admission:routed"),
                    len(routed),
                    "；".join(f"{r.request.title}（{r.get_status_display()}）" for r in routed[:3]),
                    urgent=any(r.status == RouteStatus.OPEN for r in routed),
                )
            )
    return out
