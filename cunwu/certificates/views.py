"""Staff pages: the desk (受理、审查、签字出具、打印、撤销), the register, township cases, 式样."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.accounts.selectors import regions_in_scope
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force
from cunwu.documents import read_uploads, write_table
from cunwu.documents.pending import PendingUploads
from cunwu.errors import DomainError, Forbidden, Invalid, NotFound
from cunwu.masking import mask_id_number, mask_name, mask_phone
from cunwu.pages import attempt
from cunwu.paging import ScopePaginator
from cunwu.regions import codes
from cunwu.regions.selectors import region_get

from . import printing, rules
from .forms import (
    CaseCloseForm,
    CaseFilterForm,
    DecisionForm,
    IntakeForm,
    NoteForm,
    PrintForm,
    RegisterFilterForm,
    RevokeForm,
    TemplateForm,
    WithdrawForm,
    add_errors,
)
from .models import Application, CaseStatus, CertificateStatus, Channel, MaterialKind, Outcome, Status, TemplateStatus
from .selectors import (
    Filters,
    application_get_for,
    application_list_for,
    case_get_for,
    case_list_for,
    certificate_get_for,
    certificate_item_for,
    issuer_name,
    material_get_for,
    register_list_for,
    register_stats_for,
    template_get_for,
    template_list_for,
)
from .services import (
    Upload,
    application_decide,
    application_personal_data,
    application_receive,
    application_return,
    application_withdraw,
    build_content,
    certificate_issue,
    certificate_print,
    certificate_revoke,
    coordination_case_close,
    template_publish,
    template_save,
    template_withdraw,
)

if TYPE_CHECKING:
    from cunwu.regions.models import Region

PAGE_SIZE = 50


def _need(request: HttpRequest, perm: Perm, message: str) -> None:
    if not scope_for(request.user).has(perm):
        raise Forbidden(message)


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def uploads_from(request: HttpRequest, name: str, label: str = "") -> list[Upload]:
    # Count and sizes are checked before any file is read (Invalid at the field otherwise).
    files = read_uploads(request.FILES.getlist(name), field=name, max_files=rules.MAX_MATERIALS)
    return [Upload(name=n or "文件", data=data, label=label) for n, data in files]


def kept_uploads(
    request: HttpRequest, pending: PendingUploads, field: str, errors: dict[str, list[str]], label: str = ""
) -> list[Upload]:
    """The files of `field` in this submit: chosen now, else kept from the failed one before; a
    refused batch (too many, too large) goes to `errors[field]` and is not kept."""
    try:
        fresh = read_uploads(request.FILES.getlist(field), field=field, max_files=rules.MAX_MATERIALS)
    except Invalid as exc:
        pending.forget(field)
        errors[field].extend(e.message for e in exc.errors)
        return []
    return [Upload(name=n or "文件", data=data, label=label) for n, data in pending.resolve(field, fresh)]


def upload_errors(form: Any, exc: Invalid, pending: PendingUploads, files: dict[str, list[str]]) -> None:
    """A service's errors at the form's fields; those of a file input beside it, its files not kept."""
    add_errors(form, exc, skip=files)
    for err in exc.errors:
        key = err.field.split(".")[0]
        if key in files:
            files[key].append(err.message)
            pending.forget(key)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _filters(form: RegisterFilterForm) -> Filters:
    if not form.is_valid():
        return Filters()
    d = form.cleaned_data
    return Filters(
        status=d.get("status") or "",
        outcome=d.get("outcome") or "",
        item=d.get("item") or "",
        agency=d.get("agency") or "",
        region=d.get("region") or "",
        q=d.get("q") or "",
        since=d.get("since"),
        until=d.get("until"),
    )


# --- desk ----------------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    """The desk's list: applications in scope, masked, filterable by status."""
    _need(request, Perm.CERT_VIEW, "您没有查看证明事项的权限。")
    form = RegisterFilterForm(request.GET or None)
    filters = _filters(form)
    page = ScopePaginator(application_list_for(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/list.html",
        {
            "page": page,
            "form": form,
            "can_intake": scope_for(request.user).has(Perm.CERT_INTAKE),
            "query": _query(request),
        },
    )


def _intake_villages(user: Any) -> list[Region]:
    return regions_in_scope(user, Perm.CERT_INTAKE, levels=codes.VILLAGE_LEVELS, limit=200)


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """受理 at the desk: identity, the certificate in the applicant's words, purpose, materials."""
    _need(request, Perm.CERT_INTAKE, "您没有受理证明申请的权限。")
    villages = _intake_villages(request.user)
    form = IntakeForm(request.POST or None)
    files: dict[str, list[str]] = {"materials": [], "authorisation": []}
    chosen = request.POST.get("region") or (villages[0].code if villages else "")
    pending = PendingUploads(request, "certificates-intake")
    if request.method != "POST":
        pending.clear()  # a new applicant at the desk never sees the files of the one before
    else:
        form.is_valid()
        materials = kept_uploads(request, pending, "materials", files)
        letters = kept_uploads(request, pending, "authorisation", files, "授权委托书")
        if not form.errors and not any(files.values()):
            try:
                region = next((v for v in villages if v.code == chosen), None)
                if region is None:
                    raise Invalid.field("region", "请选择受理的村（社区）。")
                app = application_receive(
                    actor=request.user,
                    region=region,
                    channel=Channel.DESK,
                    **form.answers(),
                    materials=materials,
                    authorisation=letters[0] if letters else None,
                )
            except Invalid as exc:
                upload_errors(form, exc, pending, files)
            else:
                pending.clear()
                messages.success(request, f"已受理，受理号 {app.receipt_number}。请打印受理回执交申请人。")
                return redirect("certificates:detail", pk=app.pk)
        pending.keep()
    status = 422 if form.errors or any(files.values()) else 200
    return render(
        request,
        "certificates/intake.html",
        {
            "form": form,
            "files": files,
            "pending": pending.names(),
            "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "villages": villages,
            "chosen": chosen,
        },
        status=status,
    )


def _catalog_choices(region: Region) -> list[tuple[str, str, str]]:
    """(code, label, group) of every certificate item in force for the village."""
    out = []
    for kind, group in ((kinds.CERT_RETAINED, "保留证明事项"), (kinds.CERT_FORBIDDEN, "不应出具证明事项")):
        for item in catalog_in_force(kind, region):
            out.append((item.code, f"{item.code} {item.name}", group))
    return out


def _decision_context(app: Application, item_code: str) -> dict[str, Any]:
    """Materials and grounds for the item the clerk is looking at (the triage's or a chosen one)."""
    try:
        outcome, item = certificate_item_for(app.region, item_code, timezone.localdate())
    except Invalid:
        outcome, item = app.outcome, None
    materials = list(item.get("materials") or []) if item is not None and outcome == Outcome.RETAINED else []
    grounds = (
        list(rules.RETAINED_GROUNDS if outcome == Outcome.RETAINED else rules.UNLISTED_GROUNDS)
        if outcome != Outcome.FORBIDDEN
        else []
    )
    return {"outcome": outcome, "item": item, "materials": materials, "grounds": grounds}


def _detail_context(
    request: HttpRequest, app: Application, decision_form: DecisionForm | None = None, item_code: str | None = None
) -> dict[str, Any]:
    scope = scope_for(request.user)
    code = item_code if item_code is not None else app.item_code
    ctx = _decision_context(app, code)
    can_decide = app.status == Status.RECEIVED and scope.can(Perm.CERT_INTAKE, app.region_id)
    if decision_form is None and can_decide:
        initial = {
            "item_code": code,
            "materials_checked": [],
            "action": rules.REFUSE if ctx["outcome"] == Outcome.FORBIDDEN else rules.ISSUE,
        }
        decision_form = DecisionForm(initial=initial, materials=ctx["materials"], grounds=ctx["grounds"])
    preview = None
    if app.status == Status.PENDING:
        content, _ = build_content(
            app, serial="（签发时生成）", issuer_name=issuer_name(app.region), issued_on=timezone.localdate()
        )
        preview = content
    certificate = getattr(app, "certificate", None) if app.status == Status.ISSUED else None
    return {
        "app": app,
        "masked": {
            "name": mask_name(app.applicant_name),
            "id": mask_id_number(app.applicant_id_number),
            "phone": mask_phone(app.applicant_phone),
            "agent": mask_name(app.agent_name),
            "agent_id": mask_id_number(app.agent_id_number),
        },
        "materials": list(app.materials.all()),
        "hints": rules.risk_hints(app.request_text),
        "can_decide": can_decide,
        "can_sign": app.status == Status.PENDING and scope.can(Perm.CERT_SIGN_OFF, app.region_id),
        "can_withdraw": can_decide,
        "can_reveal": scope.can(Perm.CERT_INTAKE, app.region_id),
        "decision_form": decision_form,
        "pending": _decision_pending(request, app).names() if can_decide else {},
        "catalog": _catalog_choices(app.region) if can_decide else [],
        "chosen_item": code,
        "decision": ctx,
        "preview": preview,
        "note_form": NoteForm(),
        "withdraw_form": WithdrawForm(),
        "certificate": certificate,
        "case": getattr(app, "coordination_case", None),
        "ground": rules.GROUNDS.get(app.refusal_ground),
        "commitment": (app.alternative or {}).get("kind") == "commitment",
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    item_code = request.GET.get("item_code")
    return render(request, "certificates/detail.html", _detail_context(request, app, item_code=item_code))


DECISION_UPLOADS = (MaterialKind.INVESTIGATION, MaterialKind.RESOLUTION, MaterialKind.LAWYER_REVIEW)


def _decision_pending(request: HttpRequest, app: Application) -> PendingUploads:
    return PendingUploads(request, f"certificates-decide:{app.pk}")


def _decision_uploads(request: HttpRequest, form: DecisionForm, pending: PendingUploads) -> list[tuple[str, Upload]]:
    """The attachments of this submit: files chosen now, else those kept from a failed submit."""
    out: list[tuple[str, Upload]] = []
    for kind in DECISION_UPLOADS:
        field = f"upload_{kind}"
        try:
            fresh = read_uploads(request.FILES.getlist(field), field=field, max_files=rules.MAX_MATERIALS)
        except Invalid as exc:
            pending.forget(field)
            add_errors(form, exc)
            continue
        label = MaterialKind(kind).label
        out.extend(
            (kind, Upload(name=n or "文件", data=data, label=label)) for n, data in pending.resolve(field, fresh)
        )
    return out


@login_required
@require_POST
def application_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    item_code = request.POST.get("item_code", app.item_code)
    ctx = _decision_context(app, item_code)
    form = DecisionForm(request.POST, materials=ctx["materials"], grounds=ctx["grounds"])
    pending = _decision_pending(request, app)
    form.is_valid()
    uploads = _decision_uploads(request, form, pending)
    if not form.errors:
        d = form.cleaned_data
        try:
            app = application_decide(
                actor=request.user,
                application=app,
                action=d["action"],
                item_code=d["item_code"],
                materials_checked=d["materials_checked"],
                verification_method=d["verification_method"],
                verified_facts=d["verified_facts"],
                validity_days=d["validity_days"],
                refusal_ground=d["refusal_ground"],
                note=d["note"],
                major_matter=d["major_matter"],
                investigation_record=d["investigation_record"],
                meeting_resolution=d["meeting_resolution"],
                legal_risk=d["legal_risk"],
                lawyer_review=d["lawyer_review"],
                uploads=uploads,
            )
        except Invalid as exc:
            add_errors(form, exc)
            for err in exc.errors:  # a refused attachment (uploads.<i>) is not kept for the next try
                head, _, index = err.field.partition(".")
                if head == "uploads" and index.isdigit() and int(index) < len(uploads):
                    pending.forget(f"upload_{uploads[int(index)][0]}")
        else:
            pending.clear()
            if app.status == Status.REFUSED:
                messages.success(request, f"已决定不予出具，告知书编号 {app.refusal_number}。请打印告知书交申请人。")
            else:
                messages.success(request, "已提交主要负责人签字。")
            return redirect("certificates:detail", pk=app.pk)
    pending.keep()
    return render(request, "certificates/detail.html", _detail_context(request, app, form, item_code), status=422)


@login_required
@require_POST
def application_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The principal signs off （十四）: the certificate is issued with a serial and a QR token."""
    app = application_get_for(request.user, pk)
    ok, cert = attempt(
        request,
        lambda: certificate_issue(actor=request.user, application=app),
        lambda c: f"已签字出具，证明编号 {c.serial}。请打印并加盖公章。",
    )
    if not ok or cert is None:
        return redirect("certificates:detail", pk=app.pk)
    return redirect("certificates:certificate", pk=cert.pk)


@login_required
@require_POST
def application_return_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    attempt(
        request,
        lambda: application_return(actor=request.user, application=app, note=request.POST.get("note", "")),
        "已退回经办人。",
    )
    return redirect("certificates:detail", pk=app.pk)


@login_required
@require_POST
def application_personal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The full personal data, for the clerk handling the application (audited; htmx partial)."""
    app = application_get_for(request.user, pk)
    full = application_personal_data(actor=request.user, application=app)
    template = "certificates/personal.html#full" if request.headers.get("HX-Request") else "certificates/personal.html"
    response = render(request, template, {"app": app, "full": full})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    attempt(
        request,
        lambda: application_withdraw(actor=request.user, application=app, reason=request.POST.get("reason", "")),
        "申请已撤回。",
    )
    return redirect("certificates:detail", pk=app.pk)


@login_required
@require_POST
def application_materials_view(request: HttpRequest, pk: int) -> HttpResponse:
    from .services import application_add_materials

    app = application_get_for(request.user, pk)
    attempt(
        request,
        lambda: application_add_materials(
            actor=request.user,
            application=app,
            uploads=uploads_from(request, "materials", request.POST.get("label", "")),
        ),
        lambda added: f"已上传 {len(added)} 份材料。",
    )
    return redirect("certificates:detail", pk=app.pk)


@login_required
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    return pdf_response(printing.receipt_pdf(app), f"受理回执-{app.receipt_number}.pdf")


@login_required
def refusal_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    if app.status != Status.REFUSED:
        raise NotFound("该申请没有不予出具告知书。")
    return pdf_response(printing.refusal_pdf(app), f"不予出具告知书-{app.refusal_number}.pdf")


@login_required
def commitment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    app = application_get_for(request.user, pk)
    if app.status != Status.REFUSED or (app.alternative or {}).get("kind") != "commitment":
        raise NotFound("该事项不实行告知承诺。")
    return pdf_response(printing.commitment_pdf(app), f"告知承诺书-{app.receipt_number}.pdf")


@login_required
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = material_get_for(request.user, pk)
    ext = (material.file.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        material.file.open("rb"), content_type=material.mime, as_attachment=True, filename=f"材料-{material.pk}.{ext}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- certificates --------------------------------------------------------------------------


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = certificate_get_for(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "certificates/certificate.html",
        {
            "cert": cert,
            "copies": list(cert.copy_records.all()),
            "can_print": scope.can(Perm.CERT_INTAKE, cert.region_id) and cert.status == CertificateStatus.VALID,
            "can_revoke": scope.can(Perm.CERT_REVOKE, cert.region_id) and cert.status == CertificateStatus.VALID,
            "print_form": PrintForm(),
            "verify_url": printing.verify_url(cert.token),
        },
    )


@login_required
@require_POST
def certificate_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Print (download) a copy; every copy is recorded, the first as the original."""
    cert = certificate_get_for(request.user, pk)
    form = PrintForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    ok, printed = attempt(request, lambda: certificate_print(actor=request.user, certificate=cert, reason=reason))
    if not ok or printed is None:
        return redirect("certificates:certificate", pk=cert.pk)
    pdf, copy = printed
    return pdf_response(pdf, f"证明-{cert.serial}-第{copy.number}份.pdf")


@login_required
def certificate_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoking is irreversible: a page says what will happen and asks the reason, then the POST."""
    cert = certificate_get_for(request.user, pk)
    scope_for(request.user).require(Perm.CERT_REVOKE, cert.region_id, view=Perm.CERT_VIEW)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(actor=request.user, certificate=cert, reason=form.cleaned_data["reason"])
        except Invalid as exc:
            add_errors(form, exc)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.detail)
            return redirect("certificates:certificate", pk=cert.pk)
        else:
            messages.success(request, "证明已撤销，扫码核验将显示“已撤销”。")
            return redirect("certificates:certificate", pk=cert.pk)
    return render(
        request,
        "certificates/revoke_confirm.html",
        {"cert": cert, "form": form, "revocable": cert.status == CertificateStatus.VALID},
        status=422 if form.errors else 200,
    )


# --- register (台账) ------------------------------------------------------------------------


REGISTER_HEADERS = [
    "受理号",
    "村（社区）",
    "受理时间",
    "渠道",
    "申请人",
    "事项类别",
    "事项编码",
    "事项名称",
    "索要单位",
    "用途",
    "结果",
    "证明编号",
    "告知书编号",
    "决定依据",
    "签字人",
    "签字人职务",
    "出具时间",
    "有效期至",
    "撤销时间",
    "撤销原因",
    "打印份数",
]


def register_rows(apps: Any) -> list[list[Any]]:
    """Register rows with masked names; the signer's name and title as they were on the day."""
    rows = []
    for a in apps:
        cert = getattr(a, "certificate", None) if a.status == Status.ISSUED else None
        result = a.get_status_display()
        if cert and cert.status == CertificateStatus.REVOKED:
            result = "已出具（已撤销）"
        rows.append(
            [
                a.receipt_number,
                a.region.name,
                timezone.localtime(a.received_at).strftime("%Y-%m-%d %H:%M"),
                a.get_channel_display(),
                mask_name(a.applicant_name),
                a.get_outcome_display(),
                a.item_code or "—",
                a.item_name or "目录外事项",
                a.requesting_agency,
                a.purpose,
                result,
                cert.serial if cert else "",
                a.refusal_number,
                f"{a.decision_rule} {a.decision_clause}".strip(),
                cert.signer_name if cert else "",
                cert.signer_title if cert else "",
                timezone.localtime(cert.issued_at).strftime("%Y-%m-%d %H:%M") if cert else "",
                timezone.localtime(cert.valid_until).strftime("%Y-%m-%d") if cert and cert.valid_until else "",
                timezone.localtime(cert.revoked_at).strftime("%Y-%m-%d %H:%M") if cert and cert.revoked_at else "",
                cert.revocation_reason if cert else "",
                cert.copies if cert else "",
            ]
        )
    return rows


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.CERT_VIEW, "您没有查看证明台账的权限。")
    form = RegisterFilterForm(request.GET or None)
    page = ScopePaginator(register_list_for(request.user, _filters(form)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/register.html", {"form": form, "page": page, "query": _query(request)})


MAX_EXPORT = 50_000


@login_required
def register_xlsx(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.CERT_VIEW, "您没有导出证明台账的权限。")
    form = RegisterFilterForm(request.GET or None)
    apps = register_list_for(request.user, _filters(form))[:MAX_EXPORT]
    data = write_table("证明台账", REGISTER_HEADERS, register_rows(apps))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote('证明台账-' + timezone.localdate().isoformat() + '.xlsx')}"
    )
    return response


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.CERT_VIEW, "您没有查看证明统计的权限。")
    form = RegisterFilterForm(request.GET or None)
    data = register_stats_for(request.user, _filters(form))
    return render(request, "certificates/stats.html", {"form": form, **data, "query": request.GET.urlencode()})


# --- township coordination --------------------------------------------------------------------


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.CERT_VIEW, "您没有查看证明协调事项的权限。")
    form = CaseFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = ScopePaginator(case_list_for(request.user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/cases.html", {"form": form, "page": page})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get_for(request.user, pk)
    can_close = case.status == CaseStatus.OPEN and scope_for(request.user).can(Perm.CERT_COORDINATE, case.region_id)
    form = CaseCloseForm(request.POST or None)
    if request.method == "POST":
        if not can_close:
            scope_for(request.user).require(Perm.CERT_COORDINATE, case.region_id, view=Perm.CERT_VIEW)
        if form.is_valid():
            try:
                coordination_case_close(
                    actor=request.user,
                    case=case,
                    action=form.cleaned_data["action"],
                    result=form.cleaned_data["result"],
                )
            except Invalid as exc:
                add_errors(form, exc)
            except DomainError as exc:
                if exc.status in (403, 404):
                    raise
                messages.error(request, exc.detail)
                return redirect("certificates:case", pk=case.pk)
            else:
                messages.success(request, "协调事项已办结。")
                return redirect("certificates:case", pk=case.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "certificates/case.html",
        {"case": case, "form": form, "can_close": can_close, "app": case.application},
        status=status,
    )


# --- templates (式样) ------------------------------------------------------------------------


@login_required
def templates(request: HttpRequest) -> HttpResponse:
    _need(request, Perm.CERT_TEMPLATE, "您没有管理证明式样的权限。")
    return render(
        request,
        "certificates/templates.html",
        {"templates": template_list_for(request.user)[:300], "placeholders": rules.PLACEHOLDERS},
    )


def _template_region(request: HttpRequest, code: str) -> Region:
    if code:
        return region_get(code)
    regions = scope_for(request.user).regions(Perm.CERT_TEMPLATE)
    if not regions:
        raise Forbidden("您没有管理证明式样的权限。")
    return region_get(regions[0][0])


@login_required
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _need(request, Perm.CERT_TEMPLATE, "您没有管理证明式样的权限。")
    template = template_get_for(request.user, pk) if pk else None
    if template is not None and template.status != TemplateStatus.DRAFT and request.method == "POST":
        messages.error(request, "已公布或停用的式样不能修改；请新建一份式样。")
        return redirect("certificates:template", pk=template.pk)
    initial: dict[str, Any] = {}
    if template is not None:
        initial = {
            f: getattr(template, f) for f in ("item_code", "requesting_agency", "title", "body", "validity_days")
        }
        initial["region"] = template.region_id
    else:
        initial = {"body": rules.RETAINED_DEFAULT_BODY}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            region = template.region if template else _template_region(request, d["region"])
            saved = template_save(
                actor=request.user,
                region=region,
                item_code=d["item_code"],
                title=d["title"],
                body=d["body"],
                requesting_agency=d["requesting_agency"],
                validity_days=d["validity_days"],
                template=template,
            )
        except Invalid as exc:
            add_errors(form, exc)
        except DomainError as exc:
            if exc.status == 404 and template is None:
                form.add_error("region", exc.detail)
            elif exc.status in (403, 404):
                raise
            else:
                form.add_error(None, exc.detail)
        else:
            messages.success(request, "式样已保存为草稿，核对无误后请公布。")
            return redirect("certificates:template", pk=saved.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "certificates/template_form.html",
        {"form": form, "template": template, "placeholders": rules.PLACEHOLDERS},
        status=status,
    )


@login_required
@require_POST
def template_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_get_for(request.user, pk)
    action = template_withdraw if request.POST.get("withdraw") else template_publish
    attempt(
        request,
        lambda: action(actor=request.user, template=template),
        "式样已停用。" if request.POST.get("withdraw") else "式样已公布，门户网站可查看，新出具的证明将采用该式样。",
    )
    return redirect("certificates:template", pk=template.pk)


@login_required
def template_sample(request: HttpRequest, pk: int) -> HttpResponse:
    template = template_get_for(request.user, pk)
    return pdf_response(
        printing.template_sample_pdf(template), f"式样-{template.item_code}-{template.pk}.pdf", inline=True
    )
