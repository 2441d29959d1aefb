"""Public pages (no login): report a breach, the receipt, follow a report by tracking code, typical cases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cunwu.certificates.selectors import refusal_prefill
from cunwu.documents import qr_svg_data_uri
from cunwu.errors import DomainError, Invalid, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import region_children, region_get, region_path
from cunwu.throttling import check_rate

from . import references, rules, selectors, services
from .forms import ComplaintForm, QuestionForm, TrackForm
from .models import Category, Complaint, TypicalCase

RECEIPT_KEY = "complaints_receipt"
ENTRY_SOURCES = {"portal", "triage", "refusal", "catalog", "api"}


def _apply_errors(form: Any, exc: Invalid) -> None:
    if not exc.errors:
        form.add_error(None, exc.detail)
    for err in exc.errors:
        name = err.field.split(".")[0]
        name = {"contact": "contact_name", "references": "subject"}.get(name, name)
        if err.field == "contact.phone":
            name = "contact_phone"
        form.add_error(name if name in form.fields else None, err.message)


def _picker(code: str) -> dict[str, Any]:
    """The region tree around `code` for the picker: its path and its children (public data)."""
    region = None
    if codes.is_code(code):
        try:
            region = region_get(code)
        except DomainError:
            region = None
    if region is None:
        region = region_get(codes.prefix_range("53")[0])
    children = [] if region.is_village else region_children(region)
    return {"picked": region, "picked_path": region_path(region), "picked_children": children}


def _prefill(params: QueryDict) -> dict[str, str]:
    """What the entry points pass: category, region, subject, item (catalog code), refusal (notice number)."""
    initial = {k: params.get(k, "")[:128] for k in ("category", "region", "subject", "item", "refusal", "source")}
    if initial["category"] not in Category.values:
        initial["category"] = ""
    if initial["source"] not in ENTRY_SOURCES:
        initial["source"] = ""
    refusal = None
    if initial["refusal"] and codes.is_code(initial["region"]):
        refusal = refusal_prefill(initial["region"], initial["refusal"])
    if refusal is not None:
        initial["refusal"] = f"{initial['region']}/{initial['refusal']}"
        initial["item"] = initial["item"] or refusal["item"]
        initial["subject"] = initial["subject"] or refusal["subject"]
        initial["category"] = initial["category"] or (
            "forbidden_certificate" if refusal["forbidden"] else "certificate_refused"
        )
        initial["source"] = "refusal"
    elif initial["refusal"]:
        initial["refusal"] = ""
    return initial


@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    """我要举报: phone-first form; anonymous by default; nothing kept unless everything is right."""
    if request.method == "POST":
        check_rate(request, "public")
        form = ComplaintForm(request.POST, request.FILES)
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            refs = [("catalog_item", d["item"]), ("certificate_refusal", d["refusal"])]
            filing = services.Filing(
                category=d["category"],
                region=d["region"].strip(),
                text=d["text"],
                subject=d["subject"],
                anonymous=d["anonymous"],
                contact_name="" if d["anonymous"] else d["contact_name"],
                contact_phone="" if d["anonymous"] else d["contact_phone"],
                photos=[services.Upload(f.read(), f.name or "") for f in request.FILES.getlist("photos")],
                references=[(k, v) for k, v in refs if v],
                source=d["source"] or "portal",
            )
            try:
                complaint = services.complaint_file(filing)
            except Invalid as exc:
                _apply_errors(form, exc)
            else:
                request.session[RECEIPT_KEY] = complaint.tracking_code
                return redirect("complaints_public:receipt")
        code = request.POST.get("region", "")
    else:
        initial = _prefill(request.GET)
        form = ComplaintForm(initial=initial | {"anonymous": "1"})
        status = 200
        code = initial["region"]
    ctx = {"form": form, **_picker(code)}
    item = (request.POST if request.method == "POST" else form.initial).get("item", "")
    found = references.resolve("catalog_item", item, ctx["picked"]) if item else None
    ctx["item_label"] = found.label if found else ""
    return render(request, "complaints/public/file.html", ctx, status=status)


@require_GET
def region_picker(request: HttpRequest) -> HttpResponse:
    """The picker fragment for a region (htmx swaps it as the person chooses down the tree)."""
    ctx = _picker(request.GET.get("code", "")) | {"oob": True}
    return render(request, "complaints/public/file.html#picker", ctx)


def _track_url(code: str) -> str:
    return f"{settings.BASE_URL}{reverse('complaints_public:track')}?code={code}"


@require_GET
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt right after filing: tracking code, due date, handler, as text and QR, printable."""
    code = request.session.get(RECEIPT_KEY, "")
    if not code:
        return redirect("complaints_public:track")
    complaint = selectors.complaint_public_get(code)
    ctx = {"c": complaint, "qr": qr_svg_data_uri(_track_url(complaint.tracking_code)), "track_url": _track_url(code)}
    response = render(request, "complaints/public/receipt.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


def _track_context(complaint: Complaint) -> dict[str, Any]:
    return {
        "c": complaint,
        "history": selectors.public_history(complaint),
        "questions": selectors.questions_of(complaint),
        "question_form": QuestionForm(initial={"code": complaint.tracking_code}),
        "labels": rules.STEP_LABELS,
    }


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """查询办理进度 by tracking code (POST keeps the code out of addresses; GET ?code= serves the QR)."""
    data = request.POST if request.method == "POST" else (request.GET if "code" in request.GET else None)
    form = TrackForm(data)
    ctx: dict[str, Any] = {"form": form}
    status = 200
    if data is not None:
        check_rate(request, "public")
        if form.is_valid():
            try:
                ctx |= _track_context(selectors.complaint_public_get(form.cleaned_data["code"]))
            except NotFound as exc:
                form.add_error("code", exc.detail)
                status = 404
        else:
            status = 422
    response = render(request, "complaints/public/track.html", ctx, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    """The reporter adds a follow-up question by tracking code."""
    check_rate(request, "public")
    form = QuestionForm(request.POST)
    complaint = selectors.complaint_public_get(request.POST.get("code", ""))
    status = 422
    if form.is_valid():
        try:
            services.question_ask(complaint=complaint, text=form.cleaned_data["text"])
        except Invalid as exc:
            _apply_errors(form, exc)
        else:
            form = QuestionForm(initial={"code": complaint.tracking_code})
            status = 200
    ctx = {"form": TrackForm(initial={"code": complaint.tracking_code}), **_track_context(complaint)}
    ctx["question_form"] = form
    ctx["asked"] = status == 200
    return render(request, "complaints/public/track.html", ctx, status=status)


# --- typical cases -------------------------------------------------------------------------------


@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    check_rate(request, "public")
    clause = request.GET.get("clause", "")
    prefecture = request.GET.get("prefecture", "")
    items = selectors.typical_case_list(
        clause=clause if clause in rules.CLAUSES else "", prefecture=prefecture if codes.is_code(prefecture) else ""
    )[:200]
    ctx = {
        "cases": items,
        "clauses": rules.CLAUSES,
        "prefectures": selectors.typical_case_prefectures(),
        "clause": clause,
        "prefecture": prefecture,
    }
    return render(request, "complaints/public/cases.html", ctx)


@require_GET
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "complaints/public/case.html", {"case": selectors.typical_case_get(pk)})


class TypicalCasesFeed(Feed):
    """Atom feed of typical cases （十六 通报曝光）, newest first."""

    feed_type = Atom1Feed
    title = "村级组织减负典型案例通报"
    subtitle = "依据《云南省规范村级组织工作事务、机制牌子和证明事项的若干措施》（十六）通报曝光的典型问题。"

    def link(self) -> str:
        return reverse("complaints_public:cases")

    def items(self) -> list[TypicalCase]:
        return list(selectors.typical_case_list()[:50])

    def item_title(self, item: TypicalCase) -> str:
        return f"{item.title}（{item.clause}）"

    def item_description(self, item: TypicalCase) -> str:
        return f"{item.department}：{item.summary} 处理结果：{item.action_taken}"

    def item_link(self, item: TypicalCase) -> str:
        return reverse("complaints_public:case", args=[item.pk])

    def item_pubdate(self, item: TypicalCase) -> Any:
        return item.published_at

    def item_updateddate(self, item: TypicalCase) -> Any:
        return item.published_at

    def item_categories(self, item: TypicalCase) -> list[str]:
        return [item.clause, item.prefecture.name]
