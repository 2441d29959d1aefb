"""Writing the audit log. Every service calls `audit_record` inside its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from .context import current_ip
from .models import AuditEntry


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
    keep_ip: bool = True,
) -> AuditEntry:
    """Append one audit row. Callers pass masked values only: personal data never enters the log.

    `keep_ip=False` leaves the address out (an anonymous report keeps no identifier of its sender).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=getattr(user, "username", "") if user else (actor if isinstance(actor, str) else ""),
        action=action,
        object_type=object_type,
        object_id=object_id,
        region_code=region_code,
        before=before,
        after=after,
        ip=current_ip.get() if keep_ip else None,
        note=note[:300],
    )
