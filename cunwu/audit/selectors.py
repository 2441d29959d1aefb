from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import Forbidden

from .models import AuditEntry


def audit_entry_list_for(
    user: Any,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    region: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit rows the user may read: rows of their regions; province-wide rows only to the province."""
    scope = scope_for(user)
    if not scope.has(Perm.AUDIT_VIEW):
        raise Forbidden("您没有查看操作日志的权限。")
    qs = AuditEntry.objects.filter(scope.region_q("region_code", Perm.AUDIT_VIEW))
    if action:
        qs = qs.filter(action__icontains=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if region:
        qs = qs.filter(Q(region_code__startswith=region.rstrip("0")))
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.select_related("actor")
