"""Staff pages for catalogs (/catalogs/): revisions, spreadsheet import, approval, item history, compare, export.

Province, prefecture and county admins draft (Perm.CATALOG_EDIT) and approve (Perm.CATALOG_APPROVE);
every other staff member reads approved catalogs here and on the public pages.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.errors import Conflict, DomainError, Forbidden, Invalid
from cunwu.regions import codes
from cunwu.regions.selectors import province, regions_by_code

from . import kinds
from .forms import ImportForm, ItemForm, WithdrawForm, kind_param, parse_day, region_param
from .imports import ImportOutcome, catalog_import, catalog_template
from .models import PhrasingStatus, RevisionStatus
from .present import item_facts
from .rules import procedure_text
from .selectors import (
    catalog_in_force,
    catalog_item_get,
    catalog_preview,
    editable_regions,
    item_history,
    lexicon_entries_for,
    phrasing_get_for,
    phrasing_list_for,
    revision_effects,
    revision_get_for,
    revision_list_for,
    revisions_affecting,
    revisions_awaiting,
)
from .services import (
    lexicon_approve,
    lexicon_propose,
    phrasing_approve,
    phrasing_mark_unlisted,
    phrasing_propose_alias,
    revision_approve,
    revision_discard,
    revision_draft,
)

if TYPE_CHECKING:
    from cunwu.regions.models import Region


def _require_view(request: HttpRequest) -> None:
    if not scope_for(request.user).has(Perm.CATALOG_VIEW):
        raise Forbidden("您没有查看目录的权限。")


def _require_edit(request: HttpRequest) -> list[Region]:
    regions = editable_regions(request.user)
    if not regions:
        raise Forbidden("只有省、州（市）、县（市、区）目录管理员可以编辑目录。")
    return regions


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What a person does with catalogs: approve drafts, import, or look up their region's catalogs."""
    _require_view(request)
    scope = scope_for(request.user)
    regions = editable_regions(request.user)
    own = sorted({code for code, _ in scope.regions(Perm.CATALOG_VIEW)})
    places = sorted(regions_by_code(own).values(), key=lambda r: r.code)
    awaiting = list(
        revisions_awaiting(request.user).select_related("region", "drafted_by").order_by("effective", "id")[:50]
    )
    mine = [
        r
        for r in revision_list_for(request.user, status=RevisionStatus.DRAFT, limit=50)
        if r.drafted_by_id == request.user.pk
    ]
    recent = revisions_affecting(places[0], limit=8) if places else []
    return render(
        request,
        "catalogs/home.html",
        {
            "can_edit": bool(regions),
            "awaiting": awaiting,
            "mine": mine,
            "places": places,
            "recent": recent,
            "kinds": [(k, kinds.KIND_LABELS[k], kinds.KIND_ATTACHMENT[k]) for k in kinds.KINDS],
            "today": timezone.localdate(),
        },
    )


@login_required
def revisions(request: HttpRequest) -> HttpResponse:
    """Revisions the person may see: approved ones, and drafts of the levels they edit or approve."""
    _require_view(request)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if kind:
        kind_param(kind)
    if status and status not in RevisionStatus.values:
        status = ""
    listing = revision_list_for(request.user, kind=kind, status=status)
    return render(
        request,
        "catalogs/revisions.html",
        {
            "revisions": listing,
            "kind": kind,
            "status": status,
            "statuses": RevisionStatus.choices,
            "kinds": [(k, kinds.KIND_LABELS[k]) for k in kinds.KINDS],
            "can_edit": bool(editable_regions(request.user)),
        },
    )


@login_required
def revision(request: HttpRequest, pk: int) -> HttpResponse:
    """A revision with what each statement does where it applies, and approve/discard for that level."""
    _require_view(request)
    rev = revision_get_for(request.user, pk)
    scope = scope_for(request.user)
    is_draft = rev.status == RevisionStatus.DRAFT
    can_approve = is_draft and scope.can(Perm.CATALOG_APPROVE, rev.region_id) and rev.drafted_by_id != request.user.pk
    preview = catalog_preview(rev) if is_draft else ()
    return render(
        request,
        "catalogs/revision.html",
        {
            "revision": rev,
            "effects": revision_effects(rev),
            "kind_label": kinds.KIND_LABELS[rev.kind],
            "can_approve": can_approve,
            "can_discard": is_draft and scope.can(Perm.CATALOG_EDIT, rev.region_id),
            "self_drafted": rev.drafted_by_id == request.user.pk,
            "today": timezone.localdate(),
            "preview_count": len(preview),
            "past_effective": is_draft and rev.effective < timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approving is irreversible (the revision takes effect and is public): a page says what will
    happen, then the POST."""
    rev = revision_get_for(request.user, pk)
    scope_for(request.user).require(Perm.CATALOG_APPROVE, rev.region_id)
    if request.method == "GET":
        is_draft = rev.status == RevisionStatus.DRAFT
        return render(
            request,
            "catalogs/approve_confirm.html",
            {
                "revision": rev,
                "kind_label": kinds.KIND_LABELS[rev.kind],
                "is_draft": is_draft,
                "self_drafted": rev.drafted_by_id == request.user.pk,
                "preview_count": len(catalog_preview(rev)) if is_draft else 0,
                "past_effective": is_draft and rev.effective < timezone.localdate(),
            },
        )
    try:
        rev = revision_approve(actor=request.user, revision=rev)
    except (Conflict, Forbidden) as exc:
        messages.error(request, exc.detail)
    else:
        when = "即日起" if rev.effective <= timezone.localdate() else f"自 {rev.effective:%Y-%m-%d} 起"
        messages.success(request, f"已批准 {rev.document}，{when}在{rev.region.name}及下辖地区公开施行。")
    return redirect("catalogs:revision", pk=pk)


@login_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    rev = revision_get_for(request.user, pk)
    scope_for(request.user).require(Perm.CATALOG_EDIT, rev.region_id)
    try:
        revision_discard(actor=request.user, revision=rev, reason=request.POST.get("reason", ""))
    except (Conflict, Invalid) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"已作废草稿 {rev.document}。")
    return redirect("catalogs:revision", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Upload an official's spreadsheet: all of it becomes one draft revision, or every problem is listed."""
    regions = _require_edit(request)
    initial = {"region": regions[0].code, "kind": request.GET.get("kind", kinds.CERT_RETAINED), "change": "改"}
    form = ImportForm(request.POST or None, request.FILES or None, regions=regions, initial=initial)
    outcome: ImportOutcome | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        outcome = catalog_import(
            actor=request.user,
            region=form.regions[data["region"]],
            kind=data["kind"],
            data=upload.read(),
            filename=upload.name,
            change=data["change"],
            document=data["document"],
            effective=data["effective"],
            note=data["note"],
        )
        for name, message in outcome.field_errors.items():
            form.add_error(name if name in form.fields else None, message)
        if outcome.ok and outcome.revision is not None:
            messages.success(request, outcome.message + "请由本级另一位管理员批准后公开施行。")
            return redirect("catalogs:revision", pk=outcome.revision.pk)
        if outcome.changed_nothing:
            messages.info(request, outcome.message)
            return redirect("catalogs:revisions")
        status = 422
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "catalogs/import.html",
        {
            "form": form,
            "outcome": outcome,
            "kinds": [(k, kinds.KIND_LABELS[k], kinds.KIND_ATTACHMENT[k]) for k in kinds.KINDS],
        },
        status=status,
    )


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    _require_view(request)
    kind = kind_param(kind)
    response = HttpResponse(
        catalog_template(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''catalog-template-{kind}.xlsx"
    return response


@login_required
def item_history_view(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Every statement about one item at the levels above a region, drafts of the person's levels included."""
    _require_view(request)
    kind = kind_param(kind)
    region = region_param(request.GET.get("region") or _home_region(request))
    at = parse_day(request.GET.get("at"))
    history = item_history(kind, region, code, user=request.user, at=at)
    if not history:
        catalog_item_get(kind, region, code, at)  # 404 with the usual message
    try:
        current = catalog_item_get(kind, region, code, at)
    except DomainError:
        current = None
    return render(
        request,
        "catalogs/item_history.html",
        {
            "kind": kind,
            "kind_label": kinds.KIND_LABELS[kind],
            "region": region,
            "code": code,
            "history": history,
            "current": current,
            "facts": item_facts(current) if current else [],
            "today": timezone.localdate(),
            "edit_region": _edit_region(request, region),
        },
    )


def _edit_region(request: HttpRequest, region: Region) -> Region | None:
    """The most local level the person edits that applies to `region` (a village's county, say)."""
    applies = [r for r in editable_regions(request.user) if r.contains(region.code)]
    return max(applies, key=lambda r: len(r.code.rstrip("0")), default=None)


def _home_region(request: HttpRequest) -> str:
    regions = scope_for(request.user).regions(Perm.CATALOG_VIEW)
    return regions[0][0] if regions else codes.PROVINCE_CODE


def _item_initial(kind: str, region: Region, code: str) -> dict[str, Any]:
    try:
        item = catalog_item_get(kind, region, code)
    except DomainError:
        return {"code": code}
    values = item.values()
    out = {k: ("|".join(v) if isinstance(v, list | tuple) else v) for k, v in values.items()}
    out["procedure"] = procedure_text(values.get("procedure"))
    out["source"] = ""
    return out


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, kind: str, code: str = "") -> HttpResponse:
    """Draft one item at a level: a new local item, or a local wording replacing a parent item （一）（十一）."""
    regions = _require_edit(request)
    kind = kind_param(kind)
    region_code = request.POST.get("region") or request.GET.get("region") or regions[0].code
    start = next((r for r in regions if r.code == region_code), regions[0])
    initial = {"region": start.code, "change": "改", **(_item_initial(kind, start, code) if code else {})}
    form = ItemForm(request.POST or None, regions=regions, kind=kind, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            row = {k: v for k, v in data.items() if k not in {"region", "change", "document", "effective", "note"}}
            rev = _draft(request, form, data, kind, [row])
            if rev is not None:
                return redirect("catalogs:revision", pk=rev.pk)
    return render(
        request,
        "catalogs/item_edit.html",
        {"form": form, "kind": kind, "kind_label": kinds.KIND_LABELS[kind], "code": code, "withdraw": False},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_withdraw(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """Draft the withdrawal of an item in a level's region, with the basis for it （二）（十一）."""
    regions = _require_edit(request)
    kind = kind_param(kind)
    region_code = request.POST.get("region") or request.GET.get("region") or regions[0].code
    start = next((r for r in regions if r.code == region_code), regions[0])
    form = WithdrawForm(
        request.POST or None, regions=regions, kind=kind, initial={"region": start.code, "change": "废"}
    )
    status = 200
    item = None
    try:
        item = catalog_item_get(kind, start, code)
    except DomainError:
        item = None
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            row = {"code": code, "op": "withdraw", "basis": data["basis"], "reason": data["reason"]}
            if "where_now" in data:
                row["where_now"] = data["where_now"]
            rev = _draft(request, form, data, kind, [row])
            if rev is not None:
                return redirect("catalogs:revision", pk=rev.pk)
    return render(
        request,
        "catalogs/item_edit.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": kinds.KIND_LABELS[kind],
            "code": code,
            "withdraw": True,
            "item": item,
        },
        status=status,
    )


def _draft(request: HttpRequest, form: Any, data: dict[str, Any], kind: str, rows: list[dict[str, Any]]) -> Any:
    """Call revision_draft for a one-item form; put problems next to the fields, keeping what was typed."""
    try:
        rev = revision_draft(
            actor=request.user,
            region=form.regions[data["region"]],
            kind=kind,
            change=data["change"],
            document=data["document"],
            effective=data["effective"],
            rows=rows,
            note=data.get("note", ""),
        )
    except Invalid as exc:
        for err in exc.errors:
            name = err.field.split(".")[-1]
            form.add_error(name if name in form.fields else None, err.message)
        if not exc.errors:
            form.add_error(None, exc.detail)
        return None
    except Conflict as exc:
        form.add_error(None, exc.detail)
        return None
    messages.success(request, f"已生成待批准的修订草稿 #{rev.pk}，请由本级另一位管理员批准后公开施行。")
    return rev


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """Pick a region and a catalog, then compare two dates on the disclosure page."""
    _require_view(request)
    kind = request.GET.get("kind", "")
    code = request.GET.get("region", "")
    if kind and code:
        kind_param(kind)
        region = region_param(code)
        query = request.GET.copy()
        for name in ("kind", "region"):
            query.pop(name, None)
        url = reverse("catalogs_public:changes", args=[region.code, kind])
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    return render(
        request,
        "catalogs/pick.html",
        {
            "action": "compare",
            "title": "比较两个日期的目录",
            "kinds": [(k, kinds.KIND_LABELS[k]) for k in kinds.KINDS],
            "region": code or _home_region(request),
            "kind": kind,
            "today": timezone.localdate(),
        },
    )


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """Pick a region, catalog, date and format, then download the catalog in force."""
    _require_view(request)
    kind = request.GET.get("kind", "")
    code = request.GET.get("region", "")
    fmt = request.GET.get("format", "xlsx")
    if kind and code:
        kind_param(kind)
        region = region_param(code)
        day: date = parse_day(request.GET.get("at"))
        if fmt not in ("xlsx", "csv", "pdf"):
            raise Invalid.field("format", "导出格式只能是 xlsx、csv 或 pdf。")
        url = reverse("catalogs_public:export", args=[region.code, kind, fmt])
        return redirect(f"{url}?at={day.isoformat()}")
    return render(
        request,
        "catalogs/pick.html",
        {
            "action": "export",
            "title": "导出施行中的目录",
            "kinds": [(k, kinds.KIND_LABELS[k]) for k in kinds.KINDS],
            "region": code or _home_region(request),
            "kind": kind,
            "today": timezone.localdate(),
        },
    )


# ---------------------------------------------------------------------------- missed phrasings


@login_required
def phrasings(request: HttpRequest) -> HttpResponse:
    """The province's queue of phrasings triage missed: add as an alias (approved by another
    admin), or mark as truly unlisted."""
    scope = scope_for(request.user)
    if not scope.has(Perm.CATALOG_EDIT):
        raise Forbidden("只有目录管理员可以查看未识别的写法。")
    status = request.GET.get("status", "")
    status = status if status in PhrasingStatus.values else ""
    items = list(phrasing_list_for(request.user, status)[:300])
    words = {e.phrasing_id: e for e in lexicon_entries_for(request.user).filter(phrasing__in=items, status="draft")}
    for p in items:
        p.word = words.get(p.pk)  # type: ignore[attr-defined]
    base = province()
    choices = [
        (f"{kind}:{item.code}", f"{kinds.KIND_SHORT[kind]} {item.code} {item.name}")
        for kind in (kinds.CERT_RETAINED, kinds.CERT_FORBIDDEN)
        for item in catalog_in_force(kind, base)
    ]
    return render(
        request,
        "catalogs/phrasings.html",
        {
            "items": items,
            "status": status,
            "statuses": PhrasingStatus.choices,
            "choices": choices,
            "can_act": scope.can(Perm.CATALOG_EDIT, base.code),
            "can_approve": scope.can(Perm.CATALOG_APPROVE, base.code),
        },
    )


@login_required
@require_POST
def phrasing_act(request: HttpRequest, pk: int) -> HttpResponse:
    phrasing = phrasing_get_for(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "alias":
            kind, _, code = request.POST.get("item", "").partition(":")
            phrasing_propose_alias(actor=request.user, phrasing=phrasing, kind=kind, code=code)
            messages.success(request, "已起草别名修订，请另一位管理员批准后生效。")
        elif action == "approve":
            phrasing_approve(actor=request.user, phrasing=phrasing)
            messages.success(request, "已批准，该写法即日起可以识别。")
        elif action == "lexicon":
            lexicon_propose(
                actor=request.user,
                phrasing=phrasing,
                phrase=request.POST.get("phrase", ""),
                canonical=request.POST.get("canonical", ""),
            )
            messages.success(request, "已提出词条，请另一位管理员批准后生效。")
        elif action == "approve_word":
            entry = lexicon_entries_for(request.user).filter(phrasing=phrasing, status="draft").first()
            if entry is None:
                raise Conflict("该写法没有待批准的词条。", "not_proposed")
            lexicon_approve(actor=request.user, entry=entry)
            messages.success(request, f"已批准词条“{entry.phrase} → {entry.canonical}”，即日起可以识别。")
        elif action == "unlisted":
            phrasing_mark_unlisted(actor=request.user, phrasing=phrasing)
            messages.success(request, "已标记为确属目录外。")
        else:
            messages.error(request, "请选择操作。")
    except DomainError as exc:
        errors = getattr(exc, "errors", None)
        messages.error(request, "；".join(e.message for e in errors) if errors else exc.detail)
    return redirect("catalogs:phrasings")
