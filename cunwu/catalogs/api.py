"""API operations of the catalogs app (mounted at /api/v1/ by cunwu/api.py; paths are declared in full)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status, UploadedFile

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import FieldError, Forbidden, Invalid
from cunwu.throttling import check_rate

from . import kinds
from .forms import kind_param, parse_day, region_param
from .imports import catalog_import, import_columns
from .models import Revision
from .present import procedure_of
from .schemas import (
    CatalogOut,
    ChangesOut,
    DiscardIn,
    ImportOut,
    ItemDetailOut,
    RevisionDetailOut,
    RevisionIn,
    RevisionOut,
    TriageIn,
    TriageOut,
)
from .selectors import (
    catalog_compare,
    catalog_in_force,
    catalog_item_get,
    catalog_search,
    item_history,
    revision_effects,
    revision_get_for,
    revision_list_for,
)
from .services import revision_approve, revision_discard, revision_draft, triage_note_missed
from .triage import certificate_triage

router = Router(tags=["目录清单"])
MAX_Q = 200


# Public: the catalogs in force are disclosed to everyone （二）（十六）; rate-limited per client.
@router.get("/catalogs/{kind}", response=CatalogOut, auth=None, summary="某地区某日施行的目录")
def catalog_get(
    request: HttpRequest, kind: str, region: str | None = None, at: str | None = None, q: str | None = None
) -> dict:
    """The catalog in force for `region` (default the province) on `at` (default today; a future
    date shows approved changes due by then). `q` keeps the items the shared matcher ranks above
    a low threshold, best first."""
    check_rate(request, "public")
    kind = kind_param(kind)
    place = region_param(region)
    day = parse_day(at)
    q = (q or "").strip()
    if len(q) > MAX_Q:
        raise Invalid(f"检索词过长，最多 {MAX_Q} 字。", [FieldError("q", f"检索词过长，最多 {MAX_Q} 字。")])
    items = catalog_search(kind, place, day, q) if q else catalog_in_force(kind, place, day)
    return {"kind": kind, "region": place.code, "at": day, "items": [i.as_api() for i in items]}


# Public: a villager asks whether a village may issue a certificate （十一）（十二）（十三）.
@router.post("/certificates/triage", response=TriageOut, auth=None, summary="我要开证明：判断村级组织能否出具")
def triage(request: HttpRequest, payload: TriageIn) -> dict:
    check_rate(request, "public")
    place = region_param(payload.region) if payload.region else None
    result = certificate_triage(payload.text or "", place)
    triage_note_missed(payload.text or "", result)
    return result.as_api()


# Public: how one item came to read as it does （二）.
@router.get("/catalogs/{kind}/changes", response=ChangesOut, auth=None, summary="两个日期之间目录的变化")
def catalog_changes(
    request: HttpRequest, kind: str, region: str | None = None, before: str | None = None, after: str | None = None
) -> dict:
    check_rate(request, "public")
    kind = kind_param(kind)
    place = region_param(region)
    a, b = parse_day(before, "before"), parse_day(after, "after")
    diff = catalog_compare(kind, place, a, b)
    return {
        "kind": kind,
        "region": place.code,
        "before": a,
        "after": b,
        "added": [i.as_api() for i in diff.added],
        "withdrawn": [i.as_api() for i in diff.withdrawn],
        "changed": [
            {"code": new.code, "fields": fields, "before": old.as_api(), "after": new.as_api()}
            for old, new, fields in diff.changed
        ],
    }


# Public: an item and its approved history at the levels that apply to the region （二）.
@router.get("/catalogs/{kind}/{code}", response=ItemDetailOut, auth=None, summary="目录事项及其调整历史")
def catalog_item(request: HttpRequest, kind: str, code: str, region: str | None = None, at: str | None = None) -> dict:
    check_rate(request, "public")
    kind = kind_param(kind)
    place = region_param(region)
    day = parse_day(at)
    item = catalog_item_get(kind, place, code, day)
    history = [
        {
            "level": e.revision.region_id,
            "level_name": e.level_name,
            "op": e.statement.op,
            "change": e.revision.change,
            "document": e.revision.document,
            "effective": e.revision.effective,
            "name": e.statement.name,
            "basis": e.statement.basis,
            "reason": e.statement.reason,
            "changed": e.changed,
            "current": e.current,
        }
        for e in item_history(kind, place, code, at=day)
    ]
    procedure = procedure_of(item)
    return {
        "kind": kind,
        "region": place.code,
        "at": day,
        "item": item.as_api(),
        "history": history,
        "procedure": procedure.as_api() if procedure else None,
    }


# ---------------------------------------------------------------------------- editing (staff)


def _revision_out(r: Revision) -> dict[str, Any]:
    return {
        "id": r.pk,
        "region": {"code": r.region_id, "name": r.region.name},
        "kind": r.kind,
        "change": r.change,
        "document": r.document,
        "effective": r.effective,
        "note": r.note,
        "status": r.status,
        "items": getattr(r, "item_count", None) if getattr(r, "item_count", None) is not None else r.statements.count(),
        "source_name": r.source_name,
        "drafted_by": _name(r.drafted_by),
        "approved_by": _name(r.approved_by),
        "created_at": r.created_at,
        "approved_at": r.approved_at,
    }


def _name(user: Any) -> str | None:
    return (user.display_name or user.username) if user is not None else None


def _detail(r: Revision) -> dict[str, Any]:
    out = _revision_out(r)
    out["statements"] = [
        {
            "code": e.statement.code,
            "op": e.statement.op,
            "effect": e.effect,
            "effect_label": e.label,
            "changed": e.changed,
            "reason": e.statement.reason,
            "statement": {
                "name": e.statement.name,
                "aliases": e.statement.aliases,
                "category": e.statement.category or None,
                "basis": e.statement.basis,
                "source": e.statement.source or None,
                **(e.statement.fields or {}),
            },
            "current": e.current.as_api() if e.current else None,
        }
        for e in revision_effects(r)
    ]
    return out


def _require_any(request: HttpRequest, perm: Perm) -> None:
    if not scope_for(request.user).has(perm):
        raise Forbidden("您没有编辑目录的权限。" if perm == Perm.CATALOG_EDIT else "您没有查看目录修订的权限。")


@router.get("/catalog-revisions", response=list[RevisionOut], summary="目录修订列表（草稿仅本级编辑、批准人员可见）")
def revisions(request: HttpRequest, kind: str = "", region: str = "", status: str = "") -> list[dict]:
    _require_any(request, Perm.CATALOG_VIEW)
    if kind:
        kind_param(kind)
    return [_revision_out(r) for r in revision_list_for(request.user, kind=kind, region_code=region, status=status)]


@router.get("/catalog-revisions/{int:pk}", response=RevisionDetailOut, summary="目录修订详情及每项的效果")
def revision_detail(request: HttpRequest, pk: int) -> dict:
    _require_any(request, Perm.CATALOG_VIEW)
    return _detail(revision_get_for(request.user, pk))


@router.post("/catalog-revisions", response={201: RevisionDetailOut}, summary="起草目录修订（JSON）")
def revision_create(request: HttpRequest, payload: RevisionIn) -> Status:
    _require_any(request, Perm.CATALOG_EDIT)
    place = region_param(payload.region)
    kind_param(payload.kind)
    revision = revision_draft(
        actor=request.user,
        region=place,
        kind=payload.kind,
        change=payload.change,
        document=payload.document,
        effective=payload.effective,
        rows=payload.items,
        note=payload.note,
    )
    return Status(201, _detail(revision_get_for(request.user, revision.pk)))


@router.post(
    "/catalog-revisions/import", response={201: ImportOut, 200: ImportOut}, summary="导入目录表格为修订草稿（xlsx/csv）"
)
def revision_import(
    request: HttpRequest,
    file: File[UploadedFile],
    region: Form[str],
    kind: Form[str],
    change: Form[str],
    document: Form[str],
    effective: Form[str],
    note: Form[str] = "",
) -> Status:
    """All-or-nothing: 201 with the draft; 200 with `changed: false` when the file repeats what is in
    force (or already waits as a draft); 422 with one error per problem, field `file.<row>.<column>`."""
    _require_any(request, Perm.CATALOG_EDIT)
    kind = kind_param(kind)
    place = region_param(region)
    day = parse_day(effective, "effective") if effective.strip() else None
    outcome = catalog_import(
        actor=request.user,
        region=place,
        kind=kind,
        data=file.read(),
        filename=file.name or "upload",
        change=change,
        document=document,
        effective=day,
        note=note,
    )
    if not outcome.ok:
        keys = {c.header: c.key for c in import_columns(kind)}
        errors = [FieldError(f, m) for f, m in outcome.field_errors.items()]
        errors += [
            FieldError(
                f"file.{e.row}.{keys.get(e.column, e.column)}" if e.row else "file",
                (f"第{e.row}行“{e.column}”：" if e.row else "") + e.message,
            )
            for e in outcome.row_errors
        ]
        raise Invalid(f"表格中有 {len(errors)} 处问题，未导入任何内容。", errors, code="import_failed")
    body = {
        "changed": outcome.revision is not None,
        "detail": outcome.message,
        "rows": outcome.rows,
        "unchanged": outcome.unchanged,
        "revision": _revision_out(revision_get_for(request.user, outcome.revision.pk)) if outcome.revision else None,
    }
    return Status(201 if outcome.revision else 200, body)


@router.post("/catalog-revisions/{int:pk}/approve", response=RevisionOut, summary="批准目录修订（起草人不能批准）")
def revision_approve_op(request: HttpRequest, pk: int) -> dict:
    revision = revision_get_for(request.user, pk)
    scope_for(request.user).require(Perm.CATALOG_APPROVE, revision.region_id)
    revision = revision_approve(actor=request.user, revision=revision)
    return _revision_out(revision_get_for(request.user, revision.pk))


@router.post("/catalog-revisions/{int:pk}/discard", response=RevisionOut, summary="作废目录修订草稿")
def revision_discard_op(request: HttpRequest, pk: int, payload: DiscardIn) -> dict:
    revision = revision_get_for(request.user, pk)
    scope_for(request.user).require(Perm.CATALOG_EDIT, revision.region_id)
    revision = revision_discard(actor=request.user, revision=revision, reason=payload.reason)
    return _revision_out(revision_get_for(request.user, revision.pk))


__all__ = ["kinds", "router"]
