"""Public pages (no login): catalog disclosure by region （二）（十六） and 我要开证明 （十一）（十二）（十三）."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunwu.accounts.navigation import public_nav
from cunwu.dbrouting import reads_from_replica
from cunwu.documents import render_pdf
from cunwu.errors import Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import province, region_children, region_path
from cunwu.throttling import check_rate

from . import kinds
from .forms import TriageForm, kind_param, parse_day, region_param
from .imports import export_catalog
from .present import guide_document, item_cards, item_facts, origins, procedure_of
from .selectors import (
    catalog_compare,
    catalog_in_force,
    catalog_item_get,
    catalog_search,
    editable_regions,
    item_history,
    region_name,
    revision_effects,
    revision_public_get,
    revisions_affecting,
)
from .services import triage_note_missed
from .triage import Triage, certificate_triage, triage_notice

if TYPE_CHECKING:
    from cunwu.regions.models import Region

# Candidates scoring at least this are offered as "您是不是要问".
SUGGEST_SCORE = 0.15
COMMON_REQUESTS = (
    "亲属关系证明",
    "居住证明",
    "无犯罪记录证明",
    "健在证明",
    "单身证明",
    "困难学生家庭情况证明",
    "宅基地权属来源证明",
    "收入证明",
)


def _place(request: HttpRequest, code: str) -> dict:
    """Context every disclosure page shares: the region, its path, its level label, the date."""
    region = region_param(code, "code")
    at = parse_day(request.GET.get("at"))
    today = timezone.localdate()
    return {
        "region": region,
        "path": region_path(region),
        "level_label": codes.LEVEL_LABELS[region.level],
        "at": at,
        "today": today,
        "at_param": "" if at == today else at.isoformat(),
        "kinds": [(k, kinds.KIND_LABELS[k], kinds.KIND_ATTACHMENT[k]) for k in kinds.KINDS],
    }


@require_GET
@reads_from_replica
def index(request: HttpRequest) -> HttpResponse:
    return redirect("catalogs_public:region", code=codes.PROVINCE_CODE)


@require_GET
@reads_from_replica
def region_page(request: HttpRequest, code: str) -> HttpResponse:
    """A region's five catalogs in force, and its sub-regions to drill down to a village."""
    ctx = _place(request, code)
    region, at = ctx["region"], ctx["at"]
    summary = []
    example = False
    for kind in kinds.KINDS:
        items = catalog_in_force(kind, region, at)
        local = origins(kind, region, at)
        example = example or any(i.is_example for i in items)
        summary.append(
            {
                "kind": kind,
                "label": kinds.KIND_LABELS[kind],
                "short": kinds.KIND_SHORT[kind],
                "attachment": kinds.KIND_ATTACHMENT[kind],
                "count": len(items),
                "refined": sum(1 for v in local.values() if v == "refined"),
                "local": sum(1 for v in local.values() if v == "local"),
            }
        )
    ctx.update(
        summary=summary,
        example=example,
        children=region_children(region),
        recent=revisions_affecting(region, limit=5),
        child_label=_child_label(region),
    )
    return render(request, "catalogs/public/region.html", ctx)


def _child_label(region: Region) -> str:
    return {
        codes.PROVINCE: "州（市）",
        codes.PREFECTURE: "县（市、区）",
        codes.COUNTY: "乡镇（街道）",
        codes.TOWNSHIP: "村（社区）",
    }.get(region.level, "")


@require_GET
@reads_from_replica
def kind_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """One catalog in force for a region on a date, searchable through the shared matcher."""
    kind = kind_param(kind)
    ctx = _place(request, code)
    region, at = ctx["region"], ctx["at"]
    q = request.GET.get("q", "").strip()[:200]
    all_items = catalog_in_force(kind, region, at)
    items = catalog_search(kind, region, at, q) if q else list(all_items)
    ctx.update(
        kind=kind,
        kind_label=kinds.KIND_LABELS[kind],
        attachment=kinds.KIND_ATTACHMENT[kind],
        q=q,
        cards=item_cards(kind, region, at, items),
        total=len(all_items),
        example=any(i.is_example for i in all_items),
        has_category=kinds.has_category(kind),
        with_procedure=(sum(1 for i in all_items if procedure_of(i)) if kind in kinds.PROCEDURE_KINDS else None),
    )
    return render(request, "catalogs/public/kind.html", ctx)


@require_GET
@reads_from_replica
def item_page(request: HttpRequest, code: str, kind: str, item: str) -> HttpResponse:
    """One item as in force, and every approved statement about it at the levels above the region."""
    kind = kind_param(kind)
    ctx = _place(request, code)
    region, at = ctx["region"], ctx["at"]
    try:
        found = catalog_item_get(kind, region, item, at)
    except NotFound:
        return _withdrawn_item(request, ctx, kind, item)
    card = item_cards(kind, region, at, [found])[0]
    ctx.update(
        kind=kind,
        kind_label=kinds.KIND_LABELS[kind],
        card=card,
        history=item_history(kind, region, item, at=at),
        procedure=procedure_of(found),
        has_procedure=kind in kinds.PROCEDURE_KINDS,
    )
    # Catalog editors reach the staff history (drafts included) and the refine form from here.
    ctx["staff"] = request.user.is_authenticated and bool(editable_regions(request.user))
    return render(request, "catalogs/public/item.html", ctx)


def _withdrawn_item(request: HttpRequest, ctx: dict, kind: str, item: str) -> HttpResponse:
    """An item withdrawn in this region: what it was, why it went and where villagers go now （十七）."""
    history = item_history(kind, ctx["region"], item, at=ctx["at"])
    withdrawn = next((e for e in reversed(history) if e.statement.op == "withdraw"), None)
    named = next((e for e in reversed(history) if e.statement.name), None)
    if withdrawn is None or named is None:
        raise NotFound(f"{kinds.KIND_SHORT.get(kind, kind)}中没有编码为 {item} 的事项。", "unknown_item")
    ctx.update(
        kind=kind,
        kind_label=kinds.KIND_LABELS[kind],
        code=item,
        name=named.statement.name,
        withdrawn=withdrawn,
        where_now=withdrawn.statement.fields.get("where_now", ""),
        history=history,
    )
    return render(request, "catalogs/public/item_withdrawn.html", ctx)


@require_GET
@reads_from_replica
def guide_pdf(request: HttpRequest, code: str, kind: str, item: str) -> HttpResponse:
    """The item's 办事指南 as a one-page A4 PDF （一）; 404 when no procedure is stated for it."""
    kind = kind_param(kind)
    ctx = _place(request, code)
    region, at = ctx["region"], ctx["at"]
    found = catalog_item_get(kind, region, item, at)
    procedure = procedure_of(found)
    if procedure is None:
        raise Http404("该事项尚未制定运行流程。")
    path = reverse("catalogs_public:item", args=[region.code, kind, found.code])
    doc = guide_document(found, procedure, region, url=f"{settings.BASE_URL}{path}", today=ctx["today"])
    response = HttpResponse(render_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''banshizhinan-{found.code}.pdf"
    return response


@require_GET
@reads_from_replica
def changes_page(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    """The catalog on two dates side by side: added, changed, withdrawn （二）."""
    kind = kind_param(kind)
    ctx = _place(request, code)
    region = ctx["region"]
    today = ctx["today"]
    errors = {}
    try:
        before = parse_day(request.GET.get("before") or (today - timedelta(days=365)).isoformat(), "before")
    except Invalid as exc:
        errors["before"], before = exc.errors[0].message, today - timedelta(days=365)
    try:
        after = parse_day(request.GET.get("after"), "after")
    except Invalid as exc:
        errors["after"], after = exc.errors[0].message, today
    comparison = catalog_compare(kind, region, before, after) if not errors else None
    changed = [
        {"old": old, "new": new, "fields": fields, "old_facts": item_facts(old), "new_facts": item_facts(new)}
        for old, new, fields in (comparison.changed if comparison else [])
    ]
    ctx.update(
        kind=kind,
        kind_label=kinds.KIND_LABELS[kind],
        before=before,
        after=after,
        errors=errors,
        comparison=comparison,
        changed=changed,
        before_text=request.GET.get("before", before.isoformat()),
        after_text=request.GET.get("after", after.isoformat()),
    )
    return render(request, "catalogs/public/changes.html", ctx, status=422 if errors else 200)


@require_GET
@reads_from_replica
def revisions_page(request: HttpRequest, code: str) -> HttpResponse:
    """Approved changes of the levels that apply to the region, by effective date （二）."""
    ctx = _place(request, code)
    kind = request.GET.get("kind", "")
    if kind:
        kind_param(kind)
    ctx.update(revisions=revisions_affecting(ctx["region"], kind=kind), kind=kind)
    return render(request, "catalogs/public/revisions.html", ctx)


@require_GET
@reads_from_replica
def revision_page(request: HttpRequest, pk: int) -> HttpResponse:
    revision = revision_public_get(pk)
    return render(
        request,
        "catalogs/public/revision.html",
        {
            "revision": revision,
            "effects": revision_effects(revision),
            "kind_label": kinds.KIND_LABELS[revision.kind],
            "today": timezone.localdate(),
        },
    )


@require_GET
@reads_from_replica
def export(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    """The catalog in force as xlsx, csv or a printable PDF, for a region and date."""
    check_rate(request, "public")
    kind = kind_param(kind)
    region = region_param(code, "code")
    at = parse_day(request.GET.get("at"))
    body, mime, filename = export_catalog(kind, region, at, fmt)
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# ---------------------------------------------------------------------------- 我要开证明


@require_http_methods(["GET", "POST"])
def triage_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """我要开证明: type what was asked for; learn whether the village issues it, and what to do instead.

    POST keeps what a villager typed out of addresses and logs; GET ?text= serves links from catalog pages.
    """
    region = region_param(code, "code") if code else None
    data = request.POST if request.method == "POST" else (request.GET if "text" in request.GET else None)
    form = TriageForm(data)
    result = None
    status = 200
    if data is not None:
        check_rate(request, "public")
        if form.is_valid():
            result = certificate_triage(form.cleaned_data["text"], region)
            triage_note_missed(form.cleaned_data["text"], result)
        else:
            status = 422
    place = region or province()
    report_url = next((url for label, url in public_nav() if "举报" in label or "投诉" in label or "反映" in label), "")
    ctx = {
        "form": form,
        "result": result,
        "region": region,
        "place": place,
        "path": region_path(place),
        "children": region_children(place) if not place.is_village else [],
        "child_label": _child_label(place),
        "common": COMMON_REQUESTS,
        "report_url": report_url,
        "facts": item_facts(result.item) if result and result.item else [],
        "township": _township(region),
        "kind_label": kinds.KIND_LABELS.get(result.item.kind, "") if result and result.item else "",
        "suggestions": _suggestions(result),
    }
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx answers; the fragment carries the error message itself.
        return render(request, "catalogs/public/triage.html#result", ctx)
    return render(request, "catalogs/public/triage.html", ctx, status=status)


def _suggestions(result: Triage | None) -> list[dict]:
    """Other items the text may have meant (up to three), for a villager to try instead."""
    if result is None:
        return []
    chosen = result.item.code if result.item else None
    return [c for c in result.candidates if c["code"] != chosen and c["score"] >= SUGGEST_SCORE][:3]


def _township(region: Region | None) -> str:
    if region is None or codes.PREFIX_LENGTH[region.level] < codes.PREFIX_LENGTH[codes.TOWNSHIP]:
        return ""
    return region_name(codes.prefix(region.code, codes.TOWNSHIP) + "000")


@require_POST
def triage_notice_pdf(request: HttpRequest) -> HttpResponse:
    """The triage answer as a one-page A4 notice to print or show an agency （十二）（十三）."""
    check_rate(request, "public")
    code = request.POST.get("region", "").strip()
    region = region_param(code, "region") if code else None
    form = TriageForm(request.POST)
    if not form.is_valid():
        raise Invalid(str(form.errors["text"][0]), code="validation_error")
    text = form.cleaned_data["text"]
    result = certificate_triage(text, region)
    path = reverse("catalogs_public:triage_region", args=[region.code]) if region else reverse("catalogs_public:triage")
    doc = triage_notice(result, text, region, url=f"{settings.BASE_URL}{path}", today=timezone.localdate())
    response = HttpResponse(render_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename*=UTF-8''kaizhengming.pdf"
    return response
