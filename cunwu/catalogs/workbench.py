"""Workbench cards: drafts waiting for this person's approval, their own drafts, and recent changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.navigation import WorkItem
from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import Scope

from .models import Revision, RevisionStatus
from .selectors import revisions_awaiting

AREA = "目录清单"


def items(user: Any, scope: Scope) -> list[WorkItem]:
    out: list[WorkItem] = []
    if scope.has(Perm.CATALOG_APPROVE):
        waiting = revisions_awaiting(user).count()
        if waiting:
            out.append(
                WorkItem(
                    AREA,
                    "待批准的目录修订",
                    reverse("catalogs:home"),
                    waiting,
                    "批准后于施行日期公开生效（二）",
                    urgent=True,
                )
            )
    if scope.has(Perm.CATALOG_EDIT):
        mine = Revision.objects.filter(drafted_by=user, status=RevisionStatus.DRAFT).count()
        if mine:
            out.append(
                WorkItem(AREA, "我起草的修订（待他人批准）", reverse("catalogs:revisions") + "?status=draft", mine)
            )
    if scope.has(Perm.CATALOG_VIEW):
        today = timezone.localdate()
        codes = {code for code, _ in scope.regions(Perm.CATALOG_VIEW)}
        # Levels above any of the person's regions: province, prefecture and county codes.
        chain = {c[:n] + "0" * (12 - n) for c in codes for n in (2, 4, 6)}
        recent = Revision.objects.filter(
            status=RevisionStatus.APPROVED,
            region_id__in=chain,
            effective__gte=today - timedelta(days=30),
            effective__lte=today + timedelta(days=30),
        ).count()
        if recent:
            out.append(
                WorkItem(
                    AREA,
                    "本地区目录近期调整",
                    reverse("catalogs:revisions") + "?status=approved",
                    recent,
                    "前后30天内施行的修订",
                )
            )
    return out
