"""The audit log on the workbench of those who oversee: how many writes in the last seven days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from .selectors import audit_entry_list_for


def items(user: Any, scope: Scope) -> list[WorkItem]:
    if not scope.has(Perm.AUDIT_VIEW):
        return []
    since = timezone.localdate() - timedelta(days=6)
    count = audit_entry_list_for(user, since=since).count()
    return [
        WorkItem(
            "操作日志",
            "近7天操作记录",
            reverse("audit:list") + f"?since={since.isoformat()}",
            count=count,
            detail="谁在何时做了什么，可按操作、人员、区划筛选",
        )
    ]
