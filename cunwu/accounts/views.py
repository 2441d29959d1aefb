from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from cunwu.documents import qr_svg_data_uri
from cunwu.errors import DomainError, Forbidden, Invalid
from cunwu.regions.selectors import region_get
from cunwu.throttling import RateLimited, check_rate

from . import imports
from .forms import HandOverForm, ImportForm, LoginForm, OtpForm, UserCreateForm
from .middleware import session_verified
from .models import User
from .navigation import nav_for, work_items_for
from .permissions import Perm, Role
from .scope import scope_for
from .selectors import (
    api_token_get_for,
    api_token_list_for,
    grantable_roles_for,
    membership_get_for,
    notification_list_for,
    organisations_in_scope,
    user_find,
    user_get_for,
    user_list_for,
)
from .services import (
    api_token_revoke,
    membership_hand_over,
    otp_check,
    password_change,
    password_reset,
    totp_device_for,
    totp_enrolment_confirm,
    totp_enrolment_start,
    two_factor_required,
    user_create,
)
from .workbench import ROLE_DUTIES

if TYPE_CHECKING:
    from cunwu.regions.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class LoginView(auth_views.LoginView):
    """The Chinese login form: rate-limited per client, locked per username by django-axes."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            check_rate(request, "login")
        except RateLimited as exc:
            return render(
                request,
                self.template_name,
                {"form": self.get_form_class()(request), "rate_error": exc.detail},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        # A password set by an administrator (reset or import) must be replaced before anything else.
        if getattr(self.request.user, "must_change_password", False):
            return reverse("accounts:password_change")
        return super().get_success_url()


login_view = LoginView.as_view()


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = cast(User, self.request.user)  # login_required
        try:
            password_change(actor=user, new_password=form.cleaned_data["new_password1"])
        except Invalid as exc:
            for err in exc.errors:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。")
        return redirect("accounts:workbench")


password_change_view = login_required(PasswordChangeView.as_view())


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """What this person has to do: each area's work items, open notifications, and their menu."""
    user = cast(User, request.user)
    # Each membership with a line on what the role does.
    memberships = [
        (m, ROLE_DUTIES.get(m.role, ""))
        for m in user.memberships.filter(active=True)
        .select_related("region", "organisation")
        .order_by("region_id", "role")
    ]
    shortcuts = [(label, url) for label, url in nav_for(request.user) if url != request.path]
    return render(
        request,
        "accounts/workbench.html",
        {
            "memberships": memberships,
            "items": work_items_for(request.user),
            "notifications": notification_list_for(request.user)[:20],
            "shortcuts": shortcuts,
        },
    )


@login_required
def notification_count(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(notification_list_for(request.user).count()))


def _require_account_manager(request: HttpRequest) -> None:
    if not scope_for(request.user).has(Perm.ACCOUNT_MANAGE):
        raise Forbidden("您没有管理人员账号的权限。")


@login_required
def users(request: HttpRequest) -> HttpResponse:
    _require_account_manager(request)
    q = request.GET.get("q", "").strip()
    listing = user_list_for(request.user, q=q)[:200]
    return render(request, "accounts/users.html", {"users": listing, "q": q})


def _departments_for(request: HttpRequest) -> list[Organisation]:
    return organisations_in_scope(request.user, Perm.ACCOUNT_MANAGE, kinds=("department",), limit=300)


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    _require_account_manager(request)
    form = UserCreateForm(request.POST or None, grantable=grantable_roles_for(request.user))
    departments = _departments_for(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = region_get(data["region"])
            org = None
            if data.get("organisation"):
                org = next((d for d in departments if d.pk == data["organisation"]), None)
            user = user_create(
                actor=request.user,
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                role=data["role"],
                region=region,
                organisation=org,
                phone=data.get("phone", ""),
            )
        except Invalid as exc:
            for err in exc.errors or []:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            if not exc.errors:
                form.add_error("region" if exc.code == "invalid_region_code" else None, exc.detail)
        except DomainError as exc:
            # A role beyond the creator's authority belongs to the role field; an unknown or
            # out-of-scope region (404) and no right to manage it (403) to the region field.
            if exc.code == "grant_not_allowed":
                form.add_error("role", exc.detail)
            else:
                form.add_error("region" if exc.status in (403, 404) else None, exc.detail)
        else:
            messages.success(request, f"已创建账号 {user.username}。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(
        request,
        "accounts/user_new.html",
        {"form": form, "departments": departments},
        status=422 if form.errors else 200,
    )


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for(request.user, pk)
    memberships = target.memberships.select_related("region", "organisation", "granted_by").order_by("-active", "role")
    return render(
        request,
        "accounts/user_detail.html",
        {"target": target, "memberships": memberships, "handover_form": HandOverForm()},
    )


@login_required
@require_POST
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for(request.user, pk)
    new_password = password_reset(actor=request.user, user=target)
    messages.warning(
        request, f"已为 {target.username} 重置密码：{new_password}（仅显示这一次，请当面告知本人，首次登录后须修改）"
    )
    return redirect("accounts:user_detail", pk=pk)


@login_required
@require_POST
def membership_handover(request: HttpRequest, pk: int) -> HttpResponse:
    membership = membership_get_for(request.user, pk)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("accounts:user_detail", pk=membership.user_id)
    successor = None
    name = form.cleaned_data["successor"].strip()
    if name:
        successor = user_find(name)
        if successor is None:
            messages.error(request, f"找不到账号“{name}”，请先为接任人创建账号。")
            return redirect("accounts:user_detail", pk=membership.user_id)
    try:
        membership_hand_over(
            actor=request.user, membership=membership, successor=successor, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request, "已完成交接。" + (f"接任人：{successor.username}。" if successor else "原任职已结束。")
        )
    return redirect("accounts:user_detail", pk=membership.user_id)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def users_template(request: HttpRequest) -> HttpResponse:
    _require_account_manager(request)
    return _xlsx(imports.staff_template(), "staff-template.xlsx")


@login_required
def villages_template(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).has(Perm.REGION_MANAGE):
        raise Forbidden("您没有维护村（社区）名单的权限。")
    return _xlsx(imports.village_template(), "villages-template.xlsx")


@login_required
def users_import(request: HttpRequest) -> HttpResponse:
    _require_account_manager(request)
    scope = scope_for(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    kind = request.POST.get("kind", "staff") if request.method == "POST" else "staff"
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if kind == "villages":
                if not scope.has(Perm.REGION_MANAGE):
                    raise Forbidden("您没有维护村（社区）名单的权限。")
                result = imports.villages_import(actor=request.user, data=upload.read(), filename=upload.name)
            else:
                result = imports.staff_import(actor=request.user, data=upload.read(), filename=upload.name)
        except imports.ImportFailed as exc:
            result = exc.result
            status = 422
        else:
            messages.success(request, f"导入完成：新增 {result.created} 条，更新 {result.updated} 条。")
            if result.passwords:
                # Shown once so the administrator can hand each person their first password.
                listed = "；".join(f"{u}：{p}" for u, p in result.passwords)
                messages.warning(request, f"以下账号的初始密码由系统生成，仅显示这一次，首次登录后须修改：{listed}")
            return redirect("accounts:users")
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "accounts/import.html",
        {
            "form": form,
            "result": result,
            "roles": Role.choices,
            "kind": kind,
            "can_villages": scope.has(Perm.REGION_MANAGE),
        },
        status=status,
    )


_ENROLMENT = "cunwu_totp_enrolment"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("accounts:workbench")


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: the TOTP code, or binding a phone authenticator (QR) the first time."""
    user = cast(User, request.user)
    device = totp_device_for(user)
    verified = session_verified(request.user)
    # Binding anew (a new phone) is only for a session that has already passed the check.
    enrolling = device is None or (verified and request.GET.get("rebind") == "1")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if request.session.get(_ENROLMENT) and (device is None or verified):
                pending = totp_device_for(user, confirmed=False)
                if pending is None or pending.pk != request.session.get(_ENROLMENT):
                    raise Invalid.field("otp", "绑定请求已失效，请重新扫描二维码。")
                totp_enrolment_confirm(user=user, device=pending, otp=form.cleaned_data["otp"])
                device = pending
                request.session.pop(_ENROLMENT, None)
            elif device is not None:
                device = otp_check(user, form.cleaned_data["otp"])
            else:
                raise Invalid.field("otp", "请先扫描二维码绑定手机动态口令。")
        except Invalid as exc:
            for err in exc.errors:
                form.add_error("otp", err.message)
        else:
            otp_login(request, device)
            messages.success(request, "动态口令验证通过。")
            return redirect(_next_url(request))
    pending_qr = ""
    secret = ""
    if enrolling:
        pending = totp_device_for(user, confirmed=False)
        if request.method == "GET" or pending is None or pending.pk != request.session.get(_ENROLMENT):
            pending = totp_enrolment_start(user=user)
            request.session[_ENROLMENT] = pending.pk
        pending_qr = qr_svg_data_uri(pending.config_url)
        secret = pending.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enrolling": enrolling,
            "qr": pending_qr,
            "secret": secret,
            "verified": verified,
            "required": two_factor_required(user),
            "next": _next_url(request),
        },
        status=422 if form.errors else 200,
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's own API tokens: when each was made, last used, expires; revocable."""
    return render(request, "accounts/tokens.html", {"tokens": api_token_list_for(request.user), "now": timezone.now()})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_token_get_for(request.user, pk)
    try:
        api_token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "令牌已作废。")
    return redirect("accounts:tokens")
