"""Writing catalogs: draft revisions, approval (publication on the effective date), withdrawal."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid
from cunwu.regions import codes
from cunwu.regions.models import Region

from . import kinds
from .models import Op, Revision, RevisionStatus, Statement
from .rules import check_revision_header, clean_row
from .selectors import clear_cache

DEFINING_LEVELS = (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY)


def _require(actor: Any, perm: Perm, region: Region) -> None:
    if actor is None:  # system loads (demo data, the command line run by an operator)
        return
    if not scope_for(actor).can(perm, region.code):
        raise Forbidden("您没有编辑该层级目录的权限。" if perm == Perm.CATALOG_EDIT else "您没有批准该层级目录的权限。")


def revision_draft(
    *,
    actor: Any,
    region: Region,
    kind: str,
    change: str,
    document: str,
    effective: date | None,
    rows: list[dict[str, Any]],
    note: str = "",
    source_digest: str = "",
) -> Revision:
    """Create a draft revision with its statements; nothing is public until it is approved."""
    if region.level not in DEFINING_LEVELS:
        raise Invalid.field("region", "目录只能由省、州（市）、县（市、区）制定或细化。")
    if kind not in kinds.KINDS:
        raise Invalid.field("kind", f"没有名为“{kind}”的目录。")
    _require(actor, Perm.CATALOG_EDIT, region)
    errors = [FieldError(p.field, p.message) for p in check_revision_header(change=change, document=document, effective=effective)]
    cleaned = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        values, problems = clean_row(kind, row)
        errors += [FieldError(f"rows.{i}.{p.field}", p.message) for p in problems]
        if values.get("code") in seen:
            errors.append(FieldError(f"rows.{i}.code", f"编码“{values['code']}”在本次修订中重复。"))
        seen.add(values.get("code", ""))
        cleaned.append(values)
    if not rows:
        errors.append(FieldError("rows", "修订中至少应有一个事项。"))
    if errors:
        raise Invalid("目录修订有误，未保存。", errors)
    with transaction.atomic():
        revision = Revision.objects.create(
            region=region, kind=kind, change=change, document=document.strip(), effective=effective, note=note,
            drafted_by=actor, source_digest=source_digest,
        )
        Statement.objects.bulk_create([_statement(revision, kind, v) for v in cleaned])
        audit_record(actor=actor or "system", action="catalog.revision_draft", obj=revision, region_code=region.code,
                     after={"kind": kind, "change": change, "document": document, "effective": str(effective), "items": len(cleaned)})
    return revision


def _statement(revision: Revision, kind: str, v: dict[str, Any]) -> Statement:
    common = {"code", "name", "aliases", "category", "basis", "source", "op", "reason"}
    return Statement(
        revision=revision, kind=kind, code=v["code"], op=v.get("op") or Op.SET, name=v.get("name", ""),
        aliases=v.get("aliases", []), category=v.get("category", ""), basis=v.get("basis", ""), source=v.get("source", ""),
        reason=v.get("reason", ""), fields={k: val for k, val in v.items() if k not in common},
    )


def revision_approve(*, actor: Any, revision: Revision) -> Revision:
    """Approve a draft at its level; it is published on its effective date. The drafter may not approve."""
    _require(actor, Perm.CATALOG_APPROVE, revision.region)
    if actor is not None and revision.drafted_by_id == getattr(actor, "pk", None):
        raise Forbidden("起草人不能批准自己起草的修订，请由本级另一位管理员批准。", "self_approval")
    with transaction.atomic():
        now = timezone.now()
        changed = Revision.objects.filter(pk=revision.pk, status=RevisionStatus.DRAFT).update(
            status=RevisionStatus.APPROVED, approved_by=actor, approved_at=now
        )
        if not changed:
            raise Conflict("该修订已经处理过，不能重复批准。", "already_decided")
        audit_record(actor=actor or "system", action="catalog.revision_approve", obj=revision, region_code=revision.region_id,
                     before={"status": "draft"}, after={"status": "approved", "effective": str(revision.effective)})
        transaction.on_commit(clear_cache)
    revision.refresh_from_db()
    return revision


def revision_discard(*, actor: Any, revision: Revision, reason: str) -> None:
    _require(actor, Perm.CATALOG_EDIT, revision.region)
    with transaction.atomic():
        changed = Revision.objects.filter(pk=revision.pk, status=RevisionStatus.DRAFT).update(status=RevisionStatus.DISCARDED)
        if not changed:
            raise Conflict("只能作废草稿。", "not_a_draft")
        audit_record(actor=actor, action="catalog.revision_discard", obj=revision, region_code=revision.region_id, note=reason)
