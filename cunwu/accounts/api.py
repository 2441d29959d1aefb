from __future__ import annotations

from typing import cast

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from cunwu.errors import DomainError, Forbidden
from cunwu.throttling import check_rate

from .models import ApiToken, User
from .schemas import MeOut, TokenIn, TokenListOut, TokenOut
from .selectors import api_token_find, api_token_list_for
from .services import _hash_token, api_token_issue, api_token_revoke, otp_check, two_factor_required

router = Router(tags=["登录与令牌"])


class BadCredentials(DomainError):
    status = 401
    default_code = "invalid_credentials"


class LockedOut(DomainError):
    status = 429
    default_code = "locked_out"


# Public: this is how a client obtains credentials in the first place. Rate-limited per client,
# and django-axes locks the username after repeated failures. No token while an administrator-set
# password waits to be changed; where two-factor sign-in applies, `otp` carries the TOTP code.
@router.post("/auth/token", response=TokenOut, auth=None, summary="用账号密码换取访问令牌")
def token_create(request: HttpRequest, payload: TokenIn) -> dict:
    check_rate(request, "token")
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            # Answer in the API's error shape; left set, axes' middleware would swap in its HTML page.
            setattr(request, "axes_locked_out", False)  # noqa: B010 - set by axes, not a declared attribute
            raise LockedOut("登录失败次数过多，账号已暂时锁定，请稍后再试或联系管理员。")
        raise BadCredentials("用户名或密码不正确。")
    user = cast(User, user)
    if user.must_change_password:
        raise Forbidden(
            "该账号的密码由管理员设置，须先在网页上登录并修改密码，才能申请令牌。", "password_change_required"
        )
    if two_factor_required(user):
        otp_check(user, payload.otp)
    raw, token = api_token_issue(user=user, label="api")
    return {"token": raw, "expires_at": timezone.localtime(token.expires_at)}


@router.delete("/auth/token", response={204: None}, summary="作废当前访问令牌")
def token_revoke(request: HttpRequest) -> Status[None]:
    header = request.headers.get("Authorization", "")
    raw = header.removeprefix("Bearer ").strip()
    user = cast(User, request.user)  # authenticated: the API's default auth ran
    token = api_token_find(user, _hash_token(raw))
    if token is None:
        raise DomainError("只能作废以令牌方式登录时所用的令牌。", "not_a_token_session")
    api_token_revoke(actor=user, token=token)
    return Status(204, None)


@router.get("/auth/tokens", response=list[TokenListOut], summary="我的访问令牌（含最近使用时间）")
def token_list(request: HttpRequest) -> list[ApiToken]:
    return list(api_token_list_for(request.user))


@router.get("/me", response=MeOut, summary="当前用户及其任职")
def me(request: HttpRequest) -> dict:
    user = cast(User, request.user)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "memberships": [
            {
                "role": m.role,
                "role_label": m.get_role_display(),
                "region": m.region_id,
                "region_name": m.region.name,
                "organisation": m.organisation.name if m.organisation else None,
            }
            for m in user.memberships.filter(active=True).select_related("region", "organisation")
        ],
    }
