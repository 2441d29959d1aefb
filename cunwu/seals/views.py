"""Pages of the seals area: registry, requests, stamping register, handovers, township oversight."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import people_holding
from cunwu.documents import write_table
from cunwu.errors import DomainError, Forbidden, Invalid, NotFound
from cunwu.paging import ScopePaginator
from cunwu.regions.selectors import organisations_at

from . import selectors as sel
from . import services as svc
from .choices import Category, HandoverStatus, MeetingKind, QuorumBasis, RequestStatus, SealStatus
from .forms import (
    ApproveForm,
    DocumentForm,
    FilingForm,
    HandoverForm,
    RefuseForm,
    RejectForm,
    RequestForm,
    ResolutionFields,
    SealEditForm,
    SealForm,
    StampForm,
    StatusForm,
    WithdrawForm,
)
from .rules import Meeting

if TYPE_CHECKING:
    from cunwu.regions.models import Region

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FIELD_ALIASES = {"on": "on", "reference": "reference", "documents": "document", "file": "file", "seals": "seals"}


def _apply(form: Form, exc: DomainError, *, fields_only: bool = False) -> None:
    """Put a service's errors next to the fields they name (the rest above the form, unless shown elsewhere)."""
    if isinstance(exc, Invalid) and exc.errors:
        for err in exc.errors:
            name = _FIELD_ALIASES.get(err.field.split(".")[0], err.field.split(".")[0])
            if name in form.fields and name not in form.errors:
                form.add_error(name, err.message)
            elif name not in form.fields:
                form.add_error(None, err.message)
    elif not fields_only:
        form.add_error(None, exc.detail)


def _status(exc: DomainError) -> int:
    return exc.status


def _require_any(user: Any, perm: Perm, message: str) -> None:
    if not scope_for(user).has(perm):
        raise Forbidden(message)


def _upload(file: Any) -> svc.Upload:
    return svc.Upload(data=file.read(), filename=file.name)


# --- registry --------------------------------------------------------------------------------


@login_required
def seal_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_VIEW, "您没有查看印章的权限。")
    region = request.GET.get("region", "").strip()
    status = request.GET.get("status", "")
    seals = sel.seal_list_for(
        request.user, region=region or None, status=status if status in SealStatus.values else None
    )
    return render(
        request,
        "seals/seal_list.html",
        {
            "seals": seals[:500],
            "villages": sel.villages_for(request.user),
            "region": region,
            "status": status,
            "statuses": SealStatus.choices,
            "can_manage": scope_for(request.user).has(Perm.SEAL_MANAGE),
        },
    )


def _manage_village(request: HttpRequest) -> Region | None:
    villages = sel.villages_for(request.user, Perm.SEAL_MANAGE)
    wanted = request.GET.get("region") or request.POST.get("region") or ""
    if len(villages) == 1 and not wanted:
        return villages[0]
    return next((v for v in villages if v.code == wanted), None)


@login_required
def seal_new(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_MANAGE, "您没有登记印章的权限。")
    village = _manage_village(request)
    if village is None:
        return render(
            request,
            "seals/choose_village.html",
            {"villages": sel.villages_for(request.user, Perm.SEAL_MANAGE), "title": "登记印章"},
        )
    organisations = organisations_at(village)
    custodians = list(people_holding(village.code, Perm.SEAL_STAMP))
    approvers = list(people_holding(village.code, Perm.SEAL_APPROVE))
    form = SealForm(request.POST or None, organisations=organisations, custodians=custodians, approvers=approvers)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seal = svc.seal_register(
                actor=request.user,
                organisation=next(o for o in organisations if o.pk == data["organisation"]),
                kind=data["kind"],
                name=data["name"],
                scope_of_use=data["scope_of_use"],
                custodian=next((u for u in custodians if u.pk == data["custodian"]), None),
                approvers=[u for u in approvers if u.pk in data["approvers"]],
            )
        except DomainError as exc:
            _apply(form, exc)
            status = _status(exc)
        else:
            messages.success(request, f"已登记印章“{seal.name}”，已通知乡镇备案。")
            return redirect("seals:seal_detail", pk=seal.pk)
    if form.errors:
        status = max(status, 422) if status == 200 else status
    return render(request, "seals/seal_new.html", {"form": form, "village": village}, status=status)


def _seal_context(request: HttpRequest, seal: Any, **forms: Any) -> dict[str, Any]:
    scope = scope_for(request.user)
    return {
        "seal": seal,
        "approvers": sel.seal_approvers(seal),
        "events": seal.events.select_related("actor").order_by("at", "id"),
        "uses": sel.use_list_for(request.user, seal=seal.pk)[:10],
        "handovers": sel.handover_list_for(request.user).filter(items__seal=seal).distinct()[:10],
        "can_file": scope.can(Perm.SEAL_FILE, seal.region_id) and seal.filed_on is None,
        "can_manage": scope.can(Perm.SEAL_MANAGE, seal.region_id),
        "can_request": scope.can(Perm.SEAL_REQUEST, seal.region_id) and seal.status == SealStatus.IN_USE,
        "filing_form": forms.get("filing_form") or FilingForm(initial={"filed_on": timezone.localdate()}),
        "status_form": forms.get("status_form") or StatusForm(initial={"on": timezone.localdate()}),
    }


@login_required
def seal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    seal = sel.seal_get_for(request.user, pk)
    return render(request, "seals/seal_detail.html", _seal_context(request, seal))


@login_required
@require_POST
def seal_file(request: HttpRequest, pk: int) -> HttpResponse:
    seal = sel.seal_get_for(request.user, pk)
    form = FilingForm(request.POST)
    if form.is_valid():
        try:
            svc.seal_file(
                actor=request.user,
                seal=seal,
                filed_on=form.cleaned_data["filed_on"],
                reference=form.cleaned_data["reference"],
            )
        except DomainError as exc:
            _apply(form, exc)
            return render(
                request, "seals/seal_detail.html", _seal_context(request, seal, filing_form=form), status=exc.status
            )
        messages.success(request, "已记录乡镇备案。")
        return redirect("seals:seal_detail", pk=pk)
    return render(request, "seals/seal_detail.html", _seal_context(request, seal, filing_form=form), status=422)


@login_required
@require_POST
def seal_status(request: HttpRequest, pk: int) -> HttpResponse:
    seal = sel.seal_get_for(request.user, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"] == SealStatus.DESTROYED and not request.POST.get("confirmed"):
            # Destroying cannot be undone: first a page that says what will happen, then the POST.
            return render(request, "seals/destroy_confirm.html", {"seal": seal, "data": data})
        try:
            svc.seal_set_status(
                actor=request.user, seal=seal, status=data["status"], on=data["on"], reason=data["reason"]
            )
        except DomainError as exc:
            _apply(form, exc)
            return render(
                request, "seals/seal_detail.html", _seal_context(request, seal, status_form=form), status=exc.status
            )
        messages.success(request, "已记录印章状态变更。")
        return redirect("seals:seal_detail", pk=pk)
    return render(request, "seals/seal_detail.html", _seal_context(request, seal, status_form=form), status=422)


@login_required
def seal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    seal = sel.seal_get_for(request.user, pk)
    scope_for(request.user).require(Perm.SEAL_MANAGE, seal.region_id)
    approvers = list(people_holding(seal.region_id, Perm.SEAL_APPROVE))
    initial = {"scope_of_use": seal.scope_of_use, "approvers": [a.pk for a in sel.seal_approvers(seal)]}
    form = SealEditForm(request.POST or None, initial=initial, approvers=approvers)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            svc.seal_update(
                actor=request.user,
                seal=seal,
                scope_of_use=form.cleaned_data["scope_of_use"],
                approvers=[u for u in approvers if u.pk in form.cleaned_data["approvers"]],
            )
        except DomainError as exc:
            _apply(form, exc)
            status = exc.status
        else:
            messages.success(request, "已更新用印范围和审批人。")
            return redirect("seals:seal_detail", pk=pk)
    elif form.errors:
        status = 422
    return render(request, "seals/seal_edit.html", {"form": form, "seal": seal}, status=status)


# --- requests --------------------------------------------------------------------------------


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_VIEW, "您没有查看用印申请的权限。")
    status = request.GET.get("status", "")
    region = request.GET.get("region", "").strip()
    qs = sel.request_list_for(
        request.user, region=region or None, status=status if status in RequestStatus.values else None
    )
    if request.GET.get("mine"):
        qs = qs.filter(requester_id=request.user.pk)
    page = ScopePaginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "seals/request_list.html",
        {
            "page": page,
            "status": status,
            "region": region,
            "statuses": RequestStatus.choices,
            "villages": sel.villages_for(request.user),
            "awaiting_approval": sel.awaiting_approval_for(request.user)[:20],
            "awaiting_stamp": sel.awaiting_stamp_for(request.user)[:20],
            "can_request": scope_for(request.user).has(Perm.SEAL_REQUEST),
        },
    )


def _requestable_seals(user: Any) -> list[Any]:
    scope = scope_for(user)
    return [
        s
        for s in sel.seal_list_for(user, status=SealStatus.IN_USE).filter(
            scope.region_q("region_id", Perm.SEAL_REQUEST)
        )
    ]


def _meeting(data: dict[str, Any]) -> Meeting:
    return Meeting(
        kind=data.get("meeting_kind") or "",
        basis=data.get("basis") or "",
        held_on=data.get("held_on"),
        members_total=data.get("members_total"),
        attended=data.get("attended"),
        in_favour=data.get("in_favour"),
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_REQUEST, "您没有申请用印的权限。")
    seals = _requestable_seals(request.user)
    initial = {"seal": request.GET.get("seal")} if request.GET.get("seal") else None
    form = RequestForm(request.POST or None, request.FILES or None, seals=seals, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        seal = next(s for s in seals if s.pk == data["seal"])
        documents = [_upload(data["document"])] if data.get("document") else []
        try:
            created = svc.request_create(
                actor=request.user,
                seal=seal,
                category=data["category"],
                matter=data["matter"],
                impressions=data["impressions"],
                remarks=data.get("remarks", ""),
                certificate_serial=data.get("certificate_serial", ""),
                documents=documents,
            )
        except DomainError as exc:
            _apply(form, exc)
            status = exc.status
        else:
            if created.status == RequestStatus.SUBMITTED:
                messages.success(request, "用印申请已提交，等待审批。")
            else:
                messages.warning(request, "申请已保存，但还缺少材料，补齐后才能提交审批。")
            return redirect("seals:request_detail", pk=created.pk)
    elif form.errors:
        status = 422
    return render(request, "seals/request_new.html", {"form": form, "has_seals": bool(seals)}, status=status)


def _request_context(request: HttpRequest, req: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    scope = scope_for(user)
    documents = sel.request_documents(req)
    to_stamp = [d for d in documents if d.purpose == "document"]
    is_requester = user.pk == req.requester_id
    is_draft = req.status == RequestStatus.DRAFT
    use = getattr(req, "use", None) if req.status == RequestStatus.STAMPED else None
    submitted = req.status == RequestStatus.SUBMITTED
    approve_refusal = svc.request_decision_refusal(actor=user, request=req) if submitted else None
    return {
        "req": req,
        "documents": documents,
        "resolution": sel.request_resolution(req),
        "missing": svc.request_missing(req) if is_draft else [],
        "use": use,
        "chain_ok": sel.use_matches_chain(use) if use else None,
        "can_edit": is_requester and is_draft,
        "can_withdraw": is_requester and req.status in svc.OPEN_STATUSES,
        "can_decide": submitted and approve_refusal is None,
        "can_refuse": submitted and svc.request_decision_refusal(actor=user, request=req, approving=False) is None,
        "decide_refusal": approve_refusal if submitted and scope.can(Perm.SEAL_APPROVE, req.region_id) else None,
        "can_stamp": req.status == RequestStatus.APPROVED
        and scope.can(Perm.SEAL_STAMP, req.region_id)
        and req.seal.custodian_id == user.pk,
        "needs_resolution": req.is_major,
        "document_form": forms.get("document_form") or DocumentForm(),
        "resolution_form": forms.get("resolution_form")
        or ResolutionFields(initial={"meeting_kind": MeetingKind.REPRESENTATIVES, "basis": QuorumBasis.MEMBERS}),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "stamp_form": forms.get("stamp_form")
        or StampForm(documents=to_stamp, initial={"impressions": req.impressions}),
        "action_error": forms.get("action_error"),
    }


def _detail(
    request: HttpRequest, req: Any, status: int = 200, error: DomainError | None = None, **forms: Any
) -> HttpResponse:
    # An error not tied to a field (409, 403) is shown above everything: its form may be gone by now.
    if error is not None and not (isinstance(error, Invalid) and error.errors):
        forms["action_error"] = error
    req = sel.request_get_for(request.user, req.pk)
    return render(request, "seals/request_detail.html", _request_context(request, req, **forms), status=status)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, sel.request_get_for(request.user, pk))


@login_required
@require_POST
def request_document(request: HttpRequest, pk: int) -> HttpResponse:
    req = sel.request_get_for(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, req, 422, document_form=form)
    try:
        svc.request_add_document(actor=request.user, request=req, upload=_upload(form.cleaned_data["file"]))
    except DomainError as exc:
        _apply(form, exc, fields_only=True)
        return _detail(request, req, exc.status, exc, document_form=form)
    messages.success(request, "文件已上传。")
    return redirect("seals:request_detail", pk=pk)


@login_required
@require_POST
def request_resolution(request: HttpRequest, pk: int) -> HttpResponse:
    req = sel.request_get_for(request.user, pk)
    form = ResolutionFields(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, req, 422, resolution_form=form)
    data = form.cleaned_data
    try:
        svc.request_add_resolution(
            actor=request.user,
            request=req,
            resolution=svc.ResolutionIn(upload=_upload(data["resolution_file"]), meeting=_meeting(data)),
        )
    except DomainError as exc:
        _apply(form, exc, fields_only=True)
        return _detail(request, req, exc.status, exc, resolution_form=form)
    messages.success(request, "会议决议已上传。")
    return redirect("seals:request_detail", pk=pk)


def _simple_action(
    request: HttpRequest, pk: int, action: Any, done: str, form_class: Any = None, form_key: str = "", **fields: str
) -> HttpResponse:
    req = sel.request_get_for(request.user, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _detail(request, req, 422, **{form_key: form})
    kwargs = {name: form.cleaned_data[key] for name, key in fields.items()} if form is not None else {}
    try:
        action(actor=request.user, request=req, **kwargs)
    except DomainError as exc:
        if form is not None:
            _apply(form, exc, fields_only=True)
            return _detail(request, req, exc.status, exc, **{form_key: form})
        return _detail(request, req, exc.status, action_error=exc)  # no form: every error goes on top
    messages.success(request, done)
    return redirect("seals:request_detail", pk=pk)


@login_required
@require_POST
def request_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(request, pk, svc.request_submit, "已提交审批。")


@login_required
@require_POST
def request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        svc.request_approve,
        "已批准（主要负责人签字），已通知保管人用印。",
        ApproveForm,
        "approve_form",
        note="note",
    )


@login_required
@require_POST
def request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request, pk, svc.request_reject, "已不予批准，并告知经办人理由。", RejectForm, "reject_form", reason="reason"
    )


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request, pk, svc.request_withdraw, "申请已撤回。", WithdrawForm, "withdraw_form", reason="reason"
    )


@login_required
@require_POST
def request_stamp(request: HttpRequest, pk: int) -> HttpResponse:
    req = sel.request_get_for(request.user, pk)
    documents = [d for d in sel.request_documents(req) if d.purpose == "document"]
    form = StampForm(request.POST, documents=documents)
    if not form.is_valid():
        return _detail(request, req, 422, stamp_form=form)
    try:
        use = svc.request_stamp(
            actor=request.user,
            request=req,
            impressions=form.cleaned_data["impressions"],
            document_sha256=form.cleaned_data["document_sha256"],
        )
    except DomainError as exc:
        _apply(form, exc, fields_only=True)
        return _detail(request, req, exc.status, exc, stamp_form=form)
    messages.success(request, f"已登记用印，已写入本村存证链第 {use.chain_seq} 条。")
    return redirect("seals:request_detail", pk=pk)


@login_required
def document_download(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    document = sel.document_get_for(request.user, pk, doc)
    try:
        handle = default_storage.open(document.stored_name, "rb")
    except FileNotFoundError as exc:
        raise NotFound("文件不在存储中，请联系管理员。") from exc
    extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}.get(document.kind, "bin")
    response = FileResponse(
        handle, content_type=document.mime, as_attachment=True, filename=f"seal-{pk}-{doc}.{extension}"
    )
    return response


# --- register --------------------------------------------------------------------------------


def _register_filters(request: HttpRequest) -> dict[str, Any]:
    category = request.GET.get("category", "")
    seal = request.GET.get("seal", "")
    return {
        "region": request.GET.get("region", "").strip() or None,
        "seal": int(seal) if seal.isdigit() else None,
        "category": category if category in Category.values else None,
        "month": request.GET.get("month", "").strip() or None,
    }


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_VIEW, "您没有查看用印登记的权限。")
    filters = _register_filters(request)
    uses = sel.use_list_for(request.user, **filters)
    page = ScopePaginator(uses, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "seals/register.html",
        {
            "page": page,
            "filters": filters,
            "categories": Category.choices,
            "villages": sel.villages_for(request.user),
            "seals": sel.seal_list_for(request.user, region=filters["region"])[:200],
            "query": request.GET.urlencode(),
        },
    )


@login_required
def register_export(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_VIEW, "您没有导出用印登记的权限。")
    uses = sel.use_list_for(request.user, **_register_filters(request))[:50000]
    headers, rows = sel.register_rows(uses)
    response = HttpResponse(write_table("用印登记簿", headers, rows), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''seal-register.xlsx"
    return response


# --- handovers -------------------------------------------------------------------------------


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.SEAL_VIEW, "您没有查看印章移交的权限。")
    status = request.GET.get("status", "")
    handovers = sel.handover_list_for(request.user, status=status if status in HandoverStatus.values else None)
    scope = scope_for(request.user)
    return render(
        request,
        "seals/handover_list.html",
        {
            "handovers": handovers[:200],
            "status": status,
            "statuses": HandoverStatus.choices,
            "can_start": scope.has(Perm.SEAL_STAMP) or scope.has(Perm.SEAL_MANAGE),
        },
    )


def _handover_village(request: HttpRequest) -> Region | None:
    scope = scope_for(request.user)
    villages = [
        v
        for v in sel.villages_for(request.user)
        if scope.can(Perm.SEAL_STAMP, v.code) or scope.can(Perm.SEAL_MANAGE, v.code)
    ]
    wanted = request.GET.get("region") or request.POST.get("region") or ""
    if len(villages) == 1 and not wanted:
        return villages[0]
    return next((v for v in villages if v.code == wanted), None)


@login_required
def handover_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.has(Perm.SEAL_STAMP) or scope.has(Perm.SEAL_MANAGE)):
        raise Forbidden("只有印章保管人或村主要负责人才能发起印章移交。")
    village = _handover_village(request)
    if village is None:
        villages = [
            v
            for v in sel.villages_for(request.user)
            if scope.can(Perm.SEAL_STAMP, v.code) or scope.can(Perm.SEAL_MANAGE, v.code)
        ]
        return render(request, "seals/choose_village.html", {"villages": villages, "title": "发起印章移交"})
    # The custodian hands over their own seals; the head may hand over any custodian's.
    seals = list(sel.seal_list_for(request.user, region=village.code).exclude(status=SealStatus.DESTROYED))
    if not scope.can(Perm.SEAL_MANAGE, village.code):
        seals = [s for s in seals if s.custodian_id == request.user.pk]
    receivers = list(people_holding(village.code, Perm.SEAL_STAMP))
    # The people a village would ask to witness: its own staff and supervisors, and the township.
    witnesses = list(people_holding(village.code, Perm.SEAL_VIEW, levels=("village", "community", "township")))
    form = HandoverForm(request.POST or None, receivers=receivers, witnesses=witnesses, seals=seals)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [s for s in seals if s.pk in data["seals"]]
        givers = {s.custodian_id for s in chosen}
        from_user = chosen[0].custodian if len(givers) == 1 else request.user
        try:
            if len(givers) > 1:
                raise Invalid.field("seals", "一次移交只能包含同一保管人保管的印章。")
            handover = svc.handover_create(
                actor=request.user,
                region=village,
                from_user=from_user,
                to_user=next((u for u in receivers if u.pk == data["to_user"]), None),
                witness=next((u for u in witnesses if u.pk == data["witness"]), None),
                items=[(s, data["condition"]) for s in chosen],
                note=data.get("note", ""),
            )
        except DomainError as exc:
            _apply(form, exc)
            status = exc.status
        else:
            messages.success(request, "已发起移交，等待接收人确认；确认前印章仍由原保管人负责。")
            return redirect("seals:handover_detail", pk=handover.pk)
    elif form.errors:
        status = 422
    return render(request, "seals/handover_new.html", {"form": form, "village": village}, status=status)


def _handover_context(request: HttpRequest, handover: Any, **forms: Any) -> dict[str, Any]:
    user = request.user
    scope = scope_for(user)
    pending = handover.status == HandoverStatus.PENDING
    return {
        "handover": handover,
        "items": handover.items.select_related("seal").order_by("seal__name"),
        "can_answer": pending and user.pk == handover.to_user_id,
        "can_cancel": pending and user.pk in (handover.initiated_by_id, handover.from_user_id),
        "can_acknowledge": handover.status == HandoverStatus.CONFIRMED
        and scope.can(Perm.SEAL_FILE, handover.region_id),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "action_error": forms.get("action_error"),
    }


@login_required
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = sel.handover_get_for(request.user, pk)
    return render(request, "seals/handover_detail.html", _handover_context(request, handover))


def _handover_action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    handover = sel.handover_get_for(request.user, pk)
    try:
        action(actor=request.user, handover=handover)
    except DomainError as exc:
        return render(
            request,
            "seals/handover_detail.html",
            _handover_context(request, handover, action_error=exc),
            status=exc.status,
        )
    messages.success(request, done)
    return redirect("seals:handover_detail", pk=pk)


@login_required
@require_POST
def handover_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _handover_action(request, pk, svc.handover_confirm, "已确认接收，印章自即时起由您保管。")


@login_required
@require_POST
def handover_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _handover_action(request, pk, svc.handover_cancel, "已撤销移交。")


@login_required
@require_POST
def handover_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _handover_action(request, pk, svc.handover_acknowledge, "乡镇已签收该移交。")


@login_required
@require_POST
def handover_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    handover = sel.handover_get_for(request.user, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            svc.handover_refuse(actor=request.user, handover=handover, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _apply(form, exc)
            return render(
                request,
                "seals/handover_detail.html",
                _handover_context(request, handover, refuse_form=form),
                status=exc.status,
            )
        messages.success(request, "已拒收，原保管人继续负责。")
        return redirect("seals:handover_detail", pk=pk)
    return render(
        request, "seals/handover_detail.html", _handover_context(request, handover, refuse_form=form), status=422
    )


# --- oversight -------------------------------------------------------------------------------


@login_required
def oversight(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Perm.OVERSIGHT_VIEW, "您没有查看用印监管的权限。")
    region = request.GET.get("region", "").strip()
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else timezone.localdate().year
    data = sel.oversight_for(request.user, region=region or None, year=year)
    return render(
        request,
        "seals/oversight.html",
        {
            "o": data,
            "region": region,
            "villages": sel.villages_for(request.user, Perm.OVERSIGHT_VIEW),
            "counts": data.anomaly_counts,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "export_query": f"region={region}" if region else "",
        },
    )
