"""What oversight asks of a person on the workbench: the open alerts their body owns."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from .selectors import alerts_owned_by, home_code_for

AREA = "负担监测"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    out: list[WorkItem] = []
    if not scope.has(Perm.OVERSIGHT_VIEW):
        return out
    for alert in alerts_owned_by(user).select_related("rule")[:10]:
        overdue = alert.deadline < timezone.localdate()
        out.append(
            WorkItem(
                AREA,
                f"预警：{alert.rule.label}",
                reverse("oversight:alert", args=[alert.pk]),
                alert.value,
                f"{alert.message} 处理期限 {alert.deadline:%Y-%m-%d}{'（已逾期）' if overdue else ''}",
                urgent=True,
            )
        )
    code = home_code_for(user)
    if code and scope.has(Perm.OVERSIGHT_MANAGE):
        out.append(WorkItem(AREA, "监测全省负担情况", reverse("oversight:dashboard", args=[code])))
    return out
