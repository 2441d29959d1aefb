"""Workbench cards: applications to decide, certificates to sign, township cases to close."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from .selectors import work_counts_for

AREA = "证明事项"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    if not (scope.has(Perm.CERT_INTAKE) or scope.has(Perm.CERT_SIGN_OFF) or scope.has(Perm.CERT_COORDINATE)):
        return []
    counts = work_counts_for(user)
    out = []
    if scope.has(Perm.CERT_INTAKE):
        out.append(
            WorkItem(
                AREA,
                "待审查的证明申请",
                reverse("certificates:list") + "?status=received",
                counts["to_decide"],
                "受理后请及时审查：出具或出具告知书（十二）",
                urgent=counts["to_decide"] > 0,
            )
        )
    if scope.has(Perm.CERT_SIGN_OFF):
        out.append(
            WorkItem(
                AREA,
                "待签字出具的证明",
                reverse("certificates:list") + "?status=pending_sign_off",
                counts["to_sign"],
                "主要负责人签字后出具（十四）",
                urgent=counts["to_sign"] > 0,
            )
        )
    if scope.has(Perm.CERT_COORDINATE):
        out.append(
            WorkItem(
                AREA,
                "待协调的证明事项",
                reverse("certificates:cases") + "?status=open",
                counts["cases"],
                "有关单位仍索要不应由村级组织出具的证明（十三）",
                urgent=counts["cases"] > 0,
            )
        )
    return out
