"""Staff pages: the handling body's queue, one report with its steps, typical-case publishing and the
review of regulatory documents. Thin: a scoped selector, a form, one service call, a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods, require_POST

from cunwu.documents import UploadError, check_upload
from cunwu.documents.text import docx_text, pdf_text
from cunwu.errors import Conflict, Forbidden, Invalid
from cunwu.masking import mask_name, mask_phone
from cunwu.pages import attempt, media_file
from cunwu.workdays import calendar_note

from . import references, rules, selectors, services
from .forms import (
    AnswerForm,
    CallbackForm,
    CaseForm,
    ConcludeForm,
    DecideForm,
    DocumentForm,
    NoteForm,
    ReasonForm,
)
from .models import Category, DocumentStatus, Status

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def _form_errors(form: Any, exc: Invalid) -> None:
    if not exc.errors:
        form.add_error(None, exc.detail)
    for err in exc.errors:
        form.add_error(err.field if err.field in form.fields else None, err.message)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The handling body's reports, soonest due first; overdue ones flagged."""
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.complaint_list_for(
        request.user,
        status=status if status in Status.values else "",
        category=category if category in Category.values else "",
        region=request.GET.get("region", ""),
        overdue=overdue,
        received=(parse_date(request.GET.get("from", "")[:10]), parse_date(request.GET.get("to", "")[:10])),
    )
    ctx = {
        "complaints": list(qs[:300]),
        "count": qs.count(),
        "statuses": Status.choices,
        "categories": Category.choices,
        "status": status,
        "category": category,
        "overdue": overdue,
        "today": timezone.localdate(),
        "can_review": selectors.can_review(request.user),
    }
    return render(request, "complaints/queue.html", ctx)


def _detail_context(request: HttpRequest, complaint: Any) -> dict[str, Any]:
    return {
        "c": complaint,
        "events": selectors.events_of(complaint),
        "references": selectors.references_of(complaint),
        "reference_kinds": references.KINDS,
        "photos": selectors.photos_of(complaint),
        "questions": selectors.questions_of(complaint),
        "contact_name": mask_name(complaint.contact_name),
        "contact_phone": mask_phone(complaint.contact_phone),
        "overdue": rules.is_overdue(complaint.status, complaint.due, timezone.localdate()),
        "can_transfer": rules.transfer_target(complaint.handler_id) is not None,
        "can_publish": selectors.can_publish(request.user, complaint),
        "labels": rules.STEP_LABELS,
        "calendar_note": calendar_note(complaint.due),
        "conclude_form": ConcludeForm(),
        "reason_form": ReasonForm(),
        "note_form": NoteForm(),
        "callback_form": CallbackForm(),
        "answer_form": AnswerForm(),
    }


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    complaint = selectors.complaint_get_for(request.user, code)
    return render(request, "complaints/detail.html", _detail_context(request, complaint))


@login_required
def photo(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A stored (cleaned) photo, for the handling body's staff only."""
    item = selectors.photo_get_for(request.user, code, pk)
    return media_file(item.path, item.mime)


_ACTIONS = {
    "accept": ("已受理，开始调查核实。", None),
    "decline": ("已决定不予受理，理由会告知反映人。", ReasonForm),
    "extend": ("办理期限已延长一次。", ReasonForm),
    "transfer": ("已移交上一级办理。", ReasonForm),
    "conclude": ("已办结，反映人可凭查询码查看结果。", ConcludeForm),
    "note": ("已记录。", NoteForm),
    "callback": ("已记录回访情况。", CallbackForm),
}


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """One handling step; errors come back on the report page next to the form that caused them."""
    complaint = selectors.complaint_get_for(request.user, code)
    if action not in _ACTIONS:
        raise Http404
    success, form_class = _ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        ctx = _detail_context(request, complaint) | {f"{action}_errors": form}
        messages.error(request, "提交的内容有误，请按提示修改。")
        return render(request, "complaints/detail.html", ctx, status=422)
    d = form.cleaned_data if form is not None else {}
    user = request.user
    calls = {
        "accept": lambda: services.complaint_accept(actor=user, complaint=complaint),
        "decline": lambda: services.complaint_decline(actor=user, complaint=complaint, reason=d.get("reason", "")),
        "extend": lambda: services.complaint_extend(actor=user, complaint=complaint, reason=d.get("reason", "")),
        "transfer": lambda: services.complaint_transfer(actor=user, complaint=complaint, reason=d.get("reason", "")),
        "conclude": lambda: services.complaint_conclude(
            actor=user, complaint=complaint, outcome=d.get("outcome", ""), finding=d.get("finding", "")
        ),
        "note": lambda: services.complaint_note(
            actor=user, complaint=complaint, note=d.get("note", ""), public=d.get("public", False)
        ),
        "callback": lambda: services.complaint_callback(
            actor=user, complaint=complaint, note=d.get("note", ""), satisfied=d.get("satisfied")
        ),
    }
    ok, _ = attempt(request, calls[action], success)
    if ok and action == "transfer":
        return redirect("complaints:queue")
    return redirect("complaints:detail", code=complaint.tracking_code)


@login_required
@require_POST
def answer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    question = selectors.question_get_for(request.user, code, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.question_answer(actor=request.user, question=question, answer=form.cleaned_data["answer"]),
            "已答复，反映人凭查询码可以看到。",
        )
    else:
        messages.error(request, "请填写答复。")
    return redirect("complaints:detail", code=question.complaint.tracking_code)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, code: str) -> HttpResponse:
    """通报曝光: edit an anonymised summary → check it (masking rules) → confirm → publish."""
    complaint = selectors.complaint_get_for(request.user, code)
    if not selectors.can_publish(request.user, complaint):
        raise Forbidden("只有县级或省级管理员可以发布典型案例。")
    confirming = False
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            draft = services.CaseDraft(d["title"], d["summary"], d["department"], d["clause"], d["action_taken"])
            try:
                if d["confirm"]:
                    case = services.typical_case_publish(actor=request.user, complaint=complaint, draft=draft)
                    messages.success(request, "典型案例已发布。")
                    return redirect("complaints_public:case", pk=case.pk)
                services.typical_case_check(complaint, draft)
                confirming = True
            except Invalid as exc:
                _form_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
    else:
        form = CaseForm(
            initial={
                "department": complaint.subject,
                "clause": rules.first_clause(rules.CATEGORIES[complaint.category][1]),
            }
        )
    status = 422 if request.method == "POST" and form.errors else 200
    return render(
        request, "complaints/publish.html", {"c": complaint, "form": form, "confirming": confirming}, status=status
    )


# --- review of regulatory documents -----------------------------------------------------------------


@login_required
def documents(request: HttpRequest) -> HttpResponse:
    """The register of reviewed documents, per county, with their status."""
    if not selectors.can_review(request.user):
        raise Forbidden("只有县级及以上工作人员或部门工作人员可以查看制度性文件审查。")
    status = request.GET.get("status", "")
    qs = selectors.document_list_for(
        request.user, county=request.GET.get("county", ""), status=status if status in DocumentStatus.values else ""
    )
    ctx = {"documents": list(qs[:300]), "statuses": DocumentStatus.choices, "status": status}
    return render(request, "complaints/documents.html", ctx)


def _document_text(form: DocumentForm, upload: Any) -> tuple[str, str]:
    """(text, source) from the uploaded docx or pdf, or the pasted text."""
    if upload is None:
        return form.cleaned_data["text"], "text"
    data = upload.read()
    checked = check_upload(data, upload.name, allowed={"pdf", "docx", "zip"}, max_bytes=DOCUMENT_MAX_BYTES)
    if checked.kind == "pdf":
        return rules.join_wrapped_lines(pdf_text(data)), "pdf"
    return docx_text(data), "docx"


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    counties = selectors.review_counties_for(request.user)
    if not counties:
        raise Forbidden("只有县级及以上工作人员或部门工作人员可以审查制度性文件。")
    form = DocumentForm(request.POST or None, request.FILES or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        try:
            text, source = _document_text(form, request.FILES.get("file"))
        except UploadError as exc:
            form.add_error("file", exc.message)
        else:
            d = form.cleaned_data
            doc = services.DocumentInput(d["county"], d["title"], d["issuer"], text, source, d["reference"])
            try:
                document = services.document_review(actor=request.user, doc=doc)
            except Invalid as exc:
                _form_errors(form, exc)
            else:
                return redirect("complaints:document", pk=document.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "complaints/document_form.html", {"form": form}, status=status)


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get_for(request.user, pk)
    ctx = {"document": document, "findings": selectors.findings_of(document), "decide_form": DecideForm()}
    return render(request, "complaints/document.html", ctx)


@login_required
@require_POST
def finding_decide(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.finding_get_for(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.finding_decide(
                actor=request.user,
                finding=finding,
                decision=form.cleaned_data["decision"],
                basis=form.cleaned_data["basis"],
            ),
            "已记录处理意见。",
        )
    else:
        messages.error(request, "；".join(str(e[0]) for e in form.errors.values()))
    return redirect(reverse("complaints:document", args=[finding.document_id]) + f"#f{finding.index}")
