from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cunwu.errors import DomainError, Invalid
from cunwu.regions.models import Organisation
from cunwu.regions.selectors import region_get
from cunwu.throttling import RateLimited, check_rate

from . import imports
from .forms import HandOverForm, ImportForm, LoginForm, UserCreateForm
from .models import Membership, User
from .navigation import work_items_for
from .permissions import Perm, Role
from .scope import scope_for
from .selectors import notification_list_for, user_get_for, user_list_for
from .services import membership_hand_over, password_reset, user_create


def login_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            check_rate(request, "login")
        except RateLimited as exc:
            return render(request, "accounts/login.html", {"form": LoginForm(request), "rate_error": exc.detail}, status=429)
    return auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True)(request)


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    memberships = request.user.memberships.filter(active=True).select_related("region", "organisation")
    return render(
        request,
        "accounts/workbench.html",
        {
            "memberships": memberships,
            "items": work_items_for(request.user),
            "notifications": notification_list_for(request.user)[:20],
            "roles": scope.roles(),
        },
    )


@login_required
def notification_count(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(notification_list_for(request.user).count()))



@login_required
def users(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has(Perm.ACCOUNT_MANAGE):
        return render(request, "403.html", {"detail": "您没有管理人员账号的权限。"}, status=403)
    q = request.GET.get("q", "").strip()
    listing = user_list_for(request.user, q=q)[:200]
    return render(request, "accounts/users.html", {"users": listing, "q": q})


def _departments_for(request: HttpRequest) -> list[Organisation]:
    scope = scope_for(request.user)
    return list(Organisation.objects.filter(scope.region_q("region_id", Perm.ACCOUNT_MANAGE), kind="department").order_by("region_id", "name")[:300])


@login_required
def user_new(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).has(Perm.ACCOUNT_MANAGE):
        return render(request, "403.html", {"detail": "您没有管理人员账号的权限。"}, status=403)
    form = UserCreateForm(request.POST or None)
    departments = _departments_for(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            region = region_get(data["region"])
            org = None
            if data.get("organisation"):
                org = next((d for d in departments if d.pk == data["organisation"]), None)
            user = user_create(
                actor=request.user, username=data["username"], password=data["password"], display_name=data["display_name"],
                role=data["role"], region=region, organisation=org, phone=data.get("phone", ""),
            )
        except Invalid as exc:
            for err in exc.errors or []:
                form.add_error(err.field if err.field in form.fields else None, err.message)
            if not exc.errors:
                form.add_error(None, exc.detail)
        except DomainError as exc:
            form.add_error("region" if exc.status == 404 else None, exc.detail)
        else:
            messages.success(request, f"已创建账号 {user.username}。")
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_new.html", {"form": form, "departments": departments}, status=422 if form.errors else 200)


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for(request.user, pk)
    memberships = target.memberships.select_related("region", "organisation").order_by("-active", "role")
    return render(request, "accounts/user_detail.html", {"target": target, "memberships": memberships, "handover_form": HandOverForm()})


@login_required
@require_POST
def user_reset(request: HttpRequest, pk: int) -> HttpResponse:
    target = user_get_for(request.user, pk)
    new_password = password_reset(actor=request.user, user=target)
    messages.warning(request, f"已为 {target.username} 重置密码：{new_password}（仅显示这一次，请当面告知本人，首次登录后须修改）")
    return redirect("accounts:user_detail", pk=pk)


@login_required
@require_POST
def membership_handover(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    membership = Membership.objects.filter(scope.region_q("region_id", Perm.ACCOUNT_MANAGE), pk=pk).select_related("user", "region").first()
    if membership is None:
        return render(request, "404.html", status=404)
    form = HandOverForm(request.POST)
    if form.is_valid():
        successor = None
        name = form.cleaned_data["successor"].strip()
        if name:
            successor = User.objects.filter(username=name, is_active=True).first()
            if successor is None:
                messages.error(request, f"找不到在用的账号“{name}”，请先为接任人创建账号。")
                return redirect("accounts:user_detail", pk=membership.user_id)
        try:
            membership_hand_over(actor=request.user, membership=membership, successor=successor, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(request, "已完成交接。" + (f"接任人：{successor.username}" if successor else "原任职已结束。"))
    return redirect("accounts:user_detail", pk=membership.user_id)


@login_required
def users_template(request: HttpRequest) -> HttpResponse:
    data = imports.staff_template()
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''staff-template.xlsx"
    return response


@login_required
def users_import(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.has(Perm.ACCOUNT_MANAGE):
        return render(request, "403.html", {"detail": "您没有管理人员账号的权限。"}, status=403)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        kind = request.POST.get("kind", "staff")
        upload = form.cleaned_data["file"]
        try:
            if kind == "villages":
                result = imports.villages_import(actor=request.user, data=upload.read(), filename=upload.name)
            else:
                result = imports.staff_import(actor=request.user, data=upload.read(), filename=upload.name)
        except imports.ImportFailed as exc:
            result = exc.result
            status = 422
        else:
            messages.success(request, f"导入完成：新增 {result.created} 条，更新 {result.updated} 条。")
            return redirect("accounts:users")
    return render(request, "accounts/import.html", {"form": form, "result": result, "roles": Role.choices}, status=status)
