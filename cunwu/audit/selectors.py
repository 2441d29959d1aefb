from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import Forbidden
from cunwu.regions import codes

from .models import AuditEntry


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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
    """Audit rows the user may read: rows of their regions; rows with no region only to the province."""
    scope = scope_for(user)
    if not scope.has(Perm.AUDIT_VIEW):
        raise Forbidden("您没有查看操作日志的权限。")
    visible = scope.region_q("region_code", Perm.AUDIT_VIEW)
    if any(level == codes.PROVINCE for _, level in scope.regions(Perm.AUDIT_VIEW)):
        visible |= Q(region_code="")
    qs = AuditEntry.objects.filter(visible)
    if action:
        qs = qs.filter(action__icontains=action)
    if actor:
        qs = qs.filter(actor_name__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if region:
        qs = qs.filter(region_code__startswith=codes.subtree_prefix(region) if codes.is_code(region) else region)
    # Bounds as datetimes in local time, so the index on `at` serves the range.
    if since:
        qs = qs.filter(at__gte=_start_of(since))
    if until:
        qs = qs.filter(at__lt=_start_of(until + timedelta(days=1)))
    return qs


# Object types written by name rather than from a model (`audit_record(object_type=...)`).
NAMED_OBJECT_TYPES = {"oversight.month": "月度汇总"}


def audit_object_types() -> list[tuple[str, str]]:
    """Every kind of object the app can log, as (value, Chinese label), for the filter's drop-down.

    A fixed list from the app's models (their `label_lower`, as `audit_record` writes it) rather than
    `SELECT DISTINCT object_type` over the log, which reads every row in scope (seconds at the
    province's size). Models without a Chinese name show their code.
    """
    kinds = dict(NAMED_OBJECT_TYPES)
    for model in apps.get_models():
        if model.__module__.startswith("cunwu.") and model is not AuditEntry:
            name = str(model._meta.verbose_name)
            kinds[model._meta.label_lower] = name if not name.isascii() else model._meta.label_lower
    return sorted(kinds.items())
