"""Writing catalogs: draft revisions, approval (publication on the effective date), discarding drafts.

Every change is a revision by one level （二）（十一）: 立改废释, the document (文号), the effective
date, who drafted it and who approved it. Drafts are invisible outside that level until approved.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cunwu.accounts.permissions import Perm, Role
from cunwu.accounts.scope import scope_for
from cunwu.accounts.services import notification_close, notification_send
from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid
from cunwu.masking import mask_text
from cunwu.regions import codes

from . import kinds, rules
from .models import (
    Change,
    LexiconEntry,
    LexiconStatus,
    MissedPhrasing,
    Op,
    PhrasingStatus,
    Revision,
    RevisionStatus,
    Statement,
)
from .selectors import catalog_in_force, clear_cache
from .triage import UNLISTED, Triage

if TYPE_CHECKING:
    from cunwu.regions.models import Region

DEFINING_LEVELS = (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY)
# Who approves a level's revisions (notified when a draft waits).
APPROVER_ROLE = {
    codes.PROVINCE: Role.PROVINCE_ADMIN,
    codes.PREFECTURE: Role.PREFECTURE_ADMIN,
    codes.COUNTY: Role.COUNTY_ADMIN,
}
NOTIFY_KIND = "catalog_revision"


def _require(actor: Any, perm: Perm, region: Region) -> None:
    if actor is None:  # system loads (demo data, the command line run by an operator)
        return
    if not scope_for(actor).can(perm, region.code):
        raise Forbidden("您没有编辑该层级目录的权限。" if perm == Perm.CATALOG_EDIT else "您没有批准该层级目录的权限。")


def content_digest(region: Region, kind: str, rows: list[dict[str, Any]]) -> str:
    """SHA-256 of what a revision says, independent of row order and of the file it came from."""
    canonical = sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in rows)
    payload = json.dumps([region.code, kind, canonical], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    source_name: str = "",
) -> Revision:
    """Create a draft revision with its statements; nothing is public until it is approved.

    Rows that repeat the wording in force are left out; when nothing is left, or the same
    content already waits as a draft, nothing is written and Conflict("no_change") is raised.
    The returned revision carries `unchanged_rows`, the number of rows left out.
    """
    if region.level not in DEFINING_LEVELS:
        raise Invalid.field(
            "region", "目录只能由省、州（市）、县（市、区）制定或细化（一）（十一）；乡镇和村不能修改目录。"
        )
    if kind not in kinds.KINDS:
        raise Invalid.field("kind", f"没有名为“{kind}”的目录。可选：{'、'.join(kinds.KINDS)}。")
    _require(actor, Perm.CATALOG_EDIT, region)
    errors = [
        FieldError(p.field, p.message)
        for p in rules.check_revision_header(change=change, document=document, effective=effective)
    ]
    in_force = {i.code: i.values() for i in catalog_in_force(kind, region, effective or timezone.localdate())}
    cleaned, problems, unchanged = rules.check_statements(kind, rows, in_force)
    errors += [FieldError(f"rows.{i}.{p.field}", p.message) for i, p in problems]
    if not rows:
        errors.append(FieldError("rows", "修订中至少应有一个事项。"))
    if len(note) > rules.MAX_TEXT:
        errors.append(FieldError("note", f"说明过长，最多{rules.MAX_TEXT}字。"))
    if errors:
        raise Invalid("目录修订有误，未保存任何内容。请按提示修改后重新提交。", errors)
    skip = set(unchanged)
    keep = [values for i, values in enumerate(cleaned) if i not in skip]
    if not keep:
        raise Conflict("提交的事项与本地区现行目录完全相同，没有需要调整的内容，未生成新的修订。", "no_change")
    digest = content_digest(region, kind, keep)
    pending = Revision.objects.filter(
        region=region, kind=kind, status=RevisionStatus.DRAFT, source_digest=digest
    ).first()
    if pending is not None:
        raise Conflict(f"相同内容已导入为待批准的修订 #{pending.pk}（{pending.document}），未重复生成。", "no_change")
    assert effective is not None  # check_revision_header reported a missing date above
    with transaction.atomic():
        revision = Revision.objects.create(
            region=region,
            kind=kind,
            change=change,
            document=document.strip(),
            effective=effective,
            note=note.strip(),
            drafted_by=actor,
            source_digest=digest,
            source_name=source_name[:200],
        )
        Statement.objects.bulk_create([_statement(revision, kind, v) for v in keep])
        audit_record(
            actor=actor or "system",
            action="catalog.revision_draft",
            obj=revision,
            region_code=region.code,
            after={
                "kind": kind,
                "change": change,
                "document": revision.document,
                "effective": str(effective),
                "items": len(keep),
                "withdrawn": sum(1 for v in keep if v["op"] == Op.WITHDRAW),
                "file": source_name[:200],
            },
        )
        if actor is not None:
            notification_send(
                kind=NOTIFY_KIND,
                title=f"{region.name}{kinds.KIND_SHORT[kind]}修订待批准：{revision.document}（{len(keep)} 项，起草人 {_who(actor)}）",
                url=reverse("catalogs:revision", args=[revision.pk]),
                role=APPROVER_ROLE[region.level],
                region=region,
                subject=("catalogs.revision", str(revision.pk)),
            )
    revision.unchanged_rows = len(skip)  # type: ignore[attr-defined]
    return revision


def _who(actor: Any) -> str:
    return getattr(actor, "display_name", "") or getattr(actor, "username", "")


def _statement(revision: Revision, kind: str, v: dict[str, Any]) -> Statement:
    common = {"code", "name", "aliases", "category", "basis", "source", "op", "reason"}
    return Statement(
        revision=revision,
        kind=kind,
        code=v["code"],
        op=v.get("op") or Op.SET,
        name=v.get("name", ""),
        aliases=v.get("aliases", []),
        category=v.get("category", ""),
        basis=v.get("basis", ""),
        source=v.get("source", ""),
        reason=v.get("reason", ""),
        fields={k: val for k, val in v.items() if k not in common},
    )


def revision_approve(*, actor: Any, revision: Revision) -> Revision:
    """Approve a draft at its level; it is published on its effective date （二）.

    The drafter may not approve their own draft (four eyes); a higher level may approve for a lower one.
    """
    _require(actor, Perm.CATALOG_APPROVE, revision.region)
    if actor is not None and revision.drafted_by_id == getattr(actor, "pk", None):
        raise Forbidden("起草人不能批准自己起草的修订，请由本级另一位管理员批准。", "self_approval")
    with transaction.atomic():
        now = timezone.now()
        changed = Revision.objects.filter(pk=revision.pk, status=RevisionStatus.DRAFT).update(
            status=RevisionStatus.APPROVED, approved_by=actor, approved_at=now
        )
        if not changed:
            raise Conflict("该修订已经处理过（已批准或已作废），不能重复批准。", "already_decided")
        audit_record(
            actor=actor or "system",
            action="catalog.revision_approve",
            obj=revision,
            region_code=revision.region_id,
            before={"status": RevisionStatus.DRAFT},
            after={"status": RevisionStatus.APPROVED, "effective": str(revision.effective)},
        )
        notification_close(subject=("catalogs.revision", str(revision.pk)))
        # Readers in this process see the publication at once; others after GENERATION_TTL.
        clear_cache()
        transaction.on_commit(clear_cache)
    revision.refresh_from_db()
    return revision


def revision_discard(*, actor: Any, revision: Revision, reason: str = "") -> Revision:
    """Discard a draft (it stays on record as 已作废, never public)."""
    _require(actor, Perm.CATALOG_EDIT, revision.region)
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise Invalid.field("reason", "作废理由最多300字。")
    with transaction.atomic():
        changed = Revision.objects.filter(pk=revision.pk, status=RevisionStatus.DRAFT).update(
            status=RevisionStatus.DISCARDED
        )
        if not changed:
            raise Conflict("只能作废尚未批准的草稿。", "not_a_draft")
        audit_record(
            actor=actor or "system",
            action="catalog.revision_discard",
            obj=revision,
            region_code=revision.region_id,
            before={"status": RevisionStatus.DRAFT},
            after={"status": RevisionStatus.DISCARDED},
            note=reason,
        )
        notification_close(subject=("catalogs.revision", str(revision.pk)))
    revision.refresh_from_db()
    return revision


# ---------------------------------------------------------------------------- learning from use

PHRASING_MAX = 200
PHRASING_KINDS = (kinds.CERT_RETAINED, kinds.CERT_FORBIDDEN)


def phrasing_note(
    *,
    text: str,
    source: str,
    proposed: tuple[str, str] = ("", ""),
    chosen: tuple[str, str] = ("", ""),
    names: tuple[str, ...] = (),
) -> MissedPhrasing | None:
    """Keep a phrasing triage missed (masked of names, ID and phone numbers), counting repeats.

    Called for answers that ended unlisted and for intakes where the clerk chose another item than
    triage proposed. Text with nothing left to match after masking is not kept.
    """
    from cunwu.matching.normalize import clean

    masked = mask_text(text or "", names=names).strip()[:500]
    key = clean(masked)[:PHRASING_MAX]
    if len(key) < 2 or source not in ("triage", "intake"):
        return None
    with transaction.atomic():
        row, created = MissedPhrasing.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "text": masked,
                "source": source,
                "proposed_kind": proposed[0],
                "proposed_code": proposed[1],
                "chosen_kind": chosen[0],
                "chosen_code": chosen[1],
            },
        )
        if not created:
            extra = {"chosen_kind": chosen[0], "chosen_code": chosen[1]} if chosen[1] else {}
            MissedPhrasing.objects.filter(pk=row.pk).update(count=F("count") + 1, last_seen=timezone.now(), **extra)
    return row


def triage_note_missed(text: str, result: Triage) -> None:
    """A triage answer that ended unlisted (below the threshold) is kept for the province's queue."""
    if result.outcome == UNLISTED:
        top = result.candidates[0] if result.candidates else None
        phrasing_note(text=text, source="triage", proposed=(top["kind"], top["code"]) if top else ("", ""))


def _phrasing_region(actor: Any, perm: Perm) -> Region:
    from cunwu.regions.selectors import province

    region = province()
    _require(actor, perm, region)
    return region


def phrasing_propose_alias(*, actor: Any, phrasing: MissedPhrasing, kind: str, code: str) -> MissedPhrasing:
    """Draft a province revision that adds the phrasing as an alias of an item; it takes effect
    when another province admin approves it （十一）."""
    region = _phrasing_region(actor, Perm.CATALOG_EDIT)
    if phrasing.status != PhrasingStatus.OPEN:
        raise Conflict("该写法已处理过。", "already_decided")
    if kind not in PHRASING_KINDS:
        raise Invalid.field("item", "请选择保留证明事项或不应出具证明事项中的一项。")
    item = next((i for i in catalog_in_force(kind, region, timezone.localdate()) if i.code == code), None)
    if item is None:
        raise Invalid.field("item", "目录中没有这一事项，请重新选择。")
    alias = phrasing.text.strip()[: rules.MAX_NAME]
    values = item.values()
    values["aliases"] = [*values["aliases"], alias]
    values["reason"] = f"群众常用写法（出现 {phrasing.count} 次），补充为别名"
    with transaction.atomic():
        revision = revision_draft(
            actor=actor,
            region=region,
            kind=kind,
            change=Change.INTERPRET,
            document=f"别名补充（未识别写法第{phrasing.pk}号）",
            effective=timezone.localdate(),
            rows=[values],
            note=f"把“{alias}”补充为“{item.name}”的别名。",
        )
        if not MissedPhrasing.objects.filter(pk=phrasing.pk, status=PhrasingStatus.OPEN).update(
            status=PhrasingStatus.PROPOSED, revision=revision, resolved_by=actor
        ):
            raise Conflict("该写法已处理过。", "already_decided")
        audit_record(
            actor=actor,
            action="catalog.phrasing_propose",
            obj=phrasing,
            region_code=region.code,
            after={"item": f"{kind}:{code}", "revision": revision.pk},
        )
    phrasing.refresh_from_db()
    return phrasing


def phrasing_approve(*, actor: Any, phrasing: MissedPhrasing) -> MissedPhrasing:
    """Approve the alias revision (never by the admin who drafted it); the matcher sees it at once."""
    if phrasing.status != PhrasingStatus.PROPOSED or phrasing.revision is None:
        raise Conflict("该写法没有待批准的别名。", "not_proposed")
    with transaction.atomic():
        revision_approve(actor=actor, revision=phrasing.revision)
        MissedPhrasing.objects.filter(pk=phrasing.pk, status=PhrasingStatus.PROPOSED).update(
            status=PhrasingStatus.ADDED
        )
        audit_record(actor=actor, action="catalog.phrasing_approve", obj=phrasing, region_code=codes.PROVINCE_CODE)
    phrasing.refresh_from_db()
    return phrasing


def phrasing_mark_unlisted(*, actor: Any, phrasing: MissedPhrasing) -> MissedPhrasing:
    """The phrasing asks for something truly outside both catalogs （十三）."""
    region = _phrasing_region(actor, Perm.CATALOG_EDIT)
    with transaction.atomic():
        if not MissedPhrasing.objects.filter(pk=phrasing.pk, status=PhrasingStatus.OPEN).update(
            status=PhrasingStatus.UNLISTED, resolved_by=actor
        ):
            raise Conflict("该写法已处理过。", "already_decided")
        audit_record(actor=actor, action="catalog.phrasing_unlisted", obj=phrasing, region_code=region.code)
    phrasing.refresh_from_db()
    return phrasing


LEXICON_MAX = 50


def lexicon_propose(*, actor: Any, phrasing: MissedPhrasing, phrase: str, canonical: str) -> LexiconEntry:
    """Draft a lexicon entry from a missed phrasing: a phrase in it and the catalog term it means.
    It takes effect when another province admin approves it."""
    region = _phrasing_region(actor, Perm.CATALOG_EDIT)
    if phrasing.status != PhrasingStatus.OPEN:
        raise Conflict("该写法已处理过。", "already_decided")
    phrase, canonical = (phrase or "").strip(), (canonical or "").strip()
    errors = []
    if not phrase:
        errors.append(FieldError("phrase", "请填写群众说法（写法中的一个词，如“屋头穷”）。"))
    elif len(phrase) > LEXICON_MAX:
        errors.append(FieldError("phrase", f"群众说法最多{LEXICON_MAX}字。"))
    elif phrase not in phrasing.text:
        errors.append(FieldError("phrase", "群众说法应取自这条写法原文。"))
    if not canonical:
        errors.append(FieldError("canonical", "请填写对应的目录用语（如“家庭经济困难”）。"))
    elif len(canonical) > LEXICON_MAX:
        errors.append(FieldError("canonical", f"目录用语最多{LEXICON_MAX}字。"))
    elif canonical == phrase:
        errors.append(FieldError("canonical", "目录用语应与群众说法不同。"))
    if errors:
        raise Invalid("词条有误，未保存。", errors)
    with transaction.atomic():
        entry = LexiconEntry.objects.create(
            phrase=phrase,
            canonical=canonical,
            note=f"来自未识别写法第{phrasing.pk}号",
            effective=timezone.localdate(),
            phrasing=phrasing,
            proposed_by=actor,
        )
        if not MissedPhrasing.objects.filter(pk=phrasing.pk, status=PhrasingStatus.OPEN).update(
            status=PhrasingStatus.PROPOSED, resolved_by=actor
        ):
            raise Conflict("该写法已处理过。", "already_decided")
        audit_record(
            actor=actor,
            action="catalog.lexicon_propose",
            obj=entry,
            region_code=region.code,
            after={"phrase": phrase, "canonical": canonical},
        )
    return entry


def lexicon_approve(*, actor: Any, entry: LexiconEntry) -> LexiconEntry:
    """Approve a lexicon entry (never by its proposer); the matcher reads it at once."""
    region = _phrasing_region(actor, Perm.CATALOG_APPROVE)
    if entry.proposed_by_id == getattr(actor, "pk", None):
        raise Forbidden("提出词条的管理员不能批准自己的词条，请由另一位管理员批准。", "self_approval")
    with transaction.atomic():
        if not LexiconEntry.objects.filter(pk=entry.pk, status=LexiconStatus.DRAFT).update(
            status=LexiconStatus.APPROVED, approved_by=actor, approved_at=timezone.now()
        ):
            raise Conflict("该词条已批准。", "already_decided")
        if entry.phrasing_id:
            MissedPhrasing.objects.filter(pk=entry.phrasing_id, status=PhrasingStatus.PROPOSED).update(
                status=PhrasingStatus.LEXICON
            )
        audit_record(
            actor=actor,
            action="catalog.lexicon_approve",
            obj=entry,
            region_code=region.code,
            after={"phrase": entry.phrase, "canonical": entry.canonical},
        )
        clear_cache()
        transaction.on_commit(clear_cache)
    entry.refresh_from_db()
    return entry
