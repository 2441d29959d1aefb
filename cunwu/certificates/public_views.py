"""Public pages (no login): verification /v/<token>, the JWKS, applying online, 式样.

Every page here is rate-limited per client; none shows personal data beyond a masked name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cunwu.catalogs.triage import advice_for
from cunwu.documents.pending import PendingUploads
from cunwu.errors import Invalid, NotFound
from cunwu.masking import mask_name
from cunwu.regions import codes
from cunwu.regions.selectors import region_find, region_path, regions_named
from cunwu.throttling import check_rate

from . import printing, rules
from .forms import IntakeForm, StatusLookupForm
from .keys import jwks
from .models import Application, Channel, Status
from .selectors import (
    application_public_get,
    application_status_lookup,
    certificate_printed_for_verify,
    certificate_verify,
    template_public_get,
    template_public_list,
)
from .services import application_receive
from .views import kept_uploads, pdf_response, upload_errors

if TYPE_CHECKING:
    from cunwu.regions.models import Region

TICKET_SALT = "certificates.apply"
TICKET_AGE = 7 * 24 * 3600  # a week to download the receipt or a refusal notice


def jwks_view(request: HttpRequest) -> JsonResponse:
    """GET /.well-known/jwks.json: every public key, retired ones included (DESIGN.md §4)."""
    response = JsonResponse(jwks())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def verify_form(request: HttpRequest) -> HttpResponse:
    """/v/: paste a token or the whole link read from a QR code."""
    check_rate(request, "verify")
    raw = (request.GET.get("token") or "").strip()
    if raw:
        token = raw.rsplit("/v/", 1)[-1].strip().strip("/")
        if token:
            return redirect("certificates_public:verify", token=token)
    return render(request, "certificates/verify_form.html", {"raw": raw})


def verify_page(request: HttpRequest, token: str) -> HttpResponse:
    """/v/<token>: genuine and valid, genuine but revoked, expired, or not genuine — said plainly."""
    check_rate(request, "verify")
    result = certificate_verify(token)
    context = {
        "r": result,
        "reason_text": REASONS.get(result["reason"] or "", ""),
        "printed": certificate_printed_for_verify(result),
    }
    response = render(request, "certificates/verify.html", context)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


REASONS = {
    "bad_signature": "签名与内容不符：证明内容可能被改动过，或不是本平台签发的。",
    "unknown_key": "签名所用的密钥不是本平台发布的密钥。",
    "malformed": "二维码内容不是有效的核验码，请确认扫描的是本平台出具证明上的二维码。",
    "not_found": "签名格式正确，但平台上没有这份证明的出具记录。",
}


# --- applying online -------------------------------------------------------------------------


def _ticket(app: Application) -> str:
    return signing.dumps({"a": app.pk}, salt=TICKET_SALT, compress=True)


def _from_ticket(ticket: str) -> Application:
    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_AGE)
    except signing.BadSignature as exc:
        raise NotFound("链接无效或已过期，请凭受理号查询办理进度。") from exc
    app = application_public_get(data.get("a"))
    if app is None:
        raise NotFound("找不到该申请。")
    return app


def apply_choose(request: HttpRequest) -> HttpResponse:
    """我要开证明（在线申请）, step 1: find your village or community by name."""
    check_rate(request, "public")
    q = (request.GET.get("q") or "").strip()[:20]
    villages: list[tuple[Region, str]] = []
    if q:
        found = regions_named(q, levels=codes.VILLAGE_LEVELS, limit=30, with_parents=True)
        for v in found:
            township = v.parent
            county = township.parent if township else None
            villages.append((v, "".join(r.name for r in (county, township) if r)))
    return render(request, "certificates/apply_choose.html", {"q": q, "villages": villages})


def apply_form(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the application, received by the chosen village （十二）."""
    check_rate(request, "public")
    region = region_find(code, levels=codes.VILLAGE_LEVELS)
    if region is None:
        raise NotFound("没有这个村（社区），请重新查找。")
    form = IntakeForm(request.POST or None, public=True)
    files: dict[str, list[str]] = {"materials": [], "authorisation": []}
    pending = PendingUploads(request, f"certificates-apply:{region.code}")
    if request.method == "POST":
        form.is_valid()
        materials = kept_uploads(request, pending, "materials", files)
        letters = kept_uploads(request, pending, "authorisation", files, "授权委托书")
        if not form.errors and not any(files.values()):
            try:
                app = application_receive(
                    actor=None,
                    region=region,
                    channel=Channel.ONLINE,
                    **form.answers(),
                    materials=materials,
                    authorisation=letters[0] if letters else None,
                )
            except Invalid as exc:
                upload_errors(form, exc, pending, files)
            else:
                pending.clear()
                return redirect("certificates_public:apply_done", ticket=_ticket(app))
        pending.keep()
    status = 422 if form.errors or any(files.values()) else 200
    path = " · ".join(r.name for r in region_path(region)[1:])
    return render(
        request,
        "certificates/apply_form.html",
        {
            "form": form,
            "files": files,
            "pending": pending.names(),
            "max_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
            "region": region,
            "path": path,
        },
        status=status,
    )


def apply_done(request: HttpRequest, ticket: str) -> HttpResponse:
    check_rate(request, "public")
    app = _from_ticket(ticket)
    return render(request, "certificates/apply_done.html", _public_status(app, ticket))


def apply_receipt(request: HttpRequest, ticket: str) -> HttpResponse:
    check_rate(request, "public")
    app = _from_ticket(ticket)
    return pdf_response(printing.receipt_pdf(app), f"受理回执-{app.receipt_number}.pdf")


def apply_refusal(request: HttpRequest, ticket: str) -> HttpResponse:
    check_rate(request, "public")
    app = _from_ticket(ticket)
    if app.status != Status.REFUSED:
        raise NotFound("该申请没有不予出具告知书。")
    return pdf_response(printing.refusal_pdf(app), f"不予出具告知书-{app.refusal_number}.pdf")


def apply_commitment(request: HttpRequest, ticket: str) -> HttpResponse:
    check_rate(request, "public")
    app = _from_ticket(ticket)
    if app.status != Status.REFUSED or (app.alternative or {}).get("kind") != "commitment":
        raise NotFound("该事项不实行告知承诺。")
    return pdf_response(printing.commitment_pdf(app), f"告知承诺书-{app.receipt_number}.pdf")


def _public_status(app: Application, ticket: str) -> dict[str, object]:
    """What the applicant may see: status, the decision's reason and alternative; masked name only."""
    advice = app.triage_advice or advice_for(app.outcome, None)[0]
    certificate = getattr(app, "certificate", None) if app.status == Status.ISSUED else None
    state = (
        rules.verify_status(
            revoked=certificate.revoked_at is not None, valid_until=certificate.valid_until, now=timezone.now()
        )
        if certificate is not None
        else ""
    )
    return {
        "certificate": certificate,
        "certificate_state": state,
        "app": app,
        "ticket": ticket,
        "name": mask_name(app.applicant_name),
        "advice": advice,
        "ground": rules.GROUNDS.get(app.refusal_ground),
        "commitment": (app.alternative or {}).get("kind") == "commitment",
        "township": app.region.parent.name if app.region.parent_id and app.region.parent else "",
    }


def apply_status(request: HttpRequest) -> HttpResponse:
    """Progress by receipt number, village code and the full ID number (all three must match).

    A POST form, so the ID number never appears in a URL (and so never in an access log).
    """
    check_rate(request, "public")
    form = StatusLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        app = application_status_lookup(d["village"], d["receipt_number"], d["id_number"])
        if app is None:
            form.add_error(None, "没有找到对应的申请，请核对受理号、村（社区）代码和身份证号码。")
        else:
            return render(
                request, "certificates/apply_done.html", {**_public_status(app, _ticket(app)), "lookup": True}
            )
    return render(request, "certificates/apply_status.html", {"form": form}, status=422 if form.errors else 200)


# --- 式样 (public （十二）) -----------------------------------------------------------------


def samples(request: HttpRequest) -> HttpResponse:
    check_rate(request, "public")
    code = (request.GET.get("region") or "").strip()
    region = region_find(code)
    templates = template_public_list(region=region)[:500]
    return render(
        request,
        "certificates/samples.html",
        {"templates": templates, "region": region, "placeholders": rules.PLACEHOLDERS},
    )


def sample_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    check_rate(request, "public")
    template = template_public_get(pk)
    response = pdf_response(printing.template_sample_pdf(template), f"式样-{template.item_code}.pdf", inline=True)
    response["Cache-Control"] = "public, max-age=600"
    return response
