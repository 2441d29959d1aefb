"""Every write about people: accounts, memberships, API tokens, hand-over at 换届, notifications."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Problems
from cunwu.masking import mask_name, mask_phone

from .models import ApiToken, Membership, Notification, User
from .permissions import DEPARTMENT_ROLES, Perm, Role
from .scope import scope_for

if TYPE_CHECKING:
    from cunwu.regions.models import Organisation, Region


def _user_snapshot(user: User) -> dict[str, Any]:
    # Masked: the audit log must never hold personal data in clear (names and phones included).
    return {
        "username": user.username,
        "display_name": mask_name(user.display_name),
        "phone": mask_phone(user.phone),
        "active": user.is_active,
    }


def _home_region(user: User) -> str:
    """The region of the person's first active membership, so their own rows show in its audit log."""
    return user.memberships.filter(active=True).order_by("region_id").values_list("region_id", flat=True).first() or ""


def _require_account_manager(actor: Any, region: Region) -> None:
    scope = scope_for(actor)
    if not scope.covers(region.code, Perm.REGION_VIEW):
        raise NotFound("找不到该区划，或不在您的管辖范围内。")
    if not scope.can(Perm.ACCOUNT_MANAGE, region.code):
        raise Forbidden("您没有管理该区划人员账号的权限。")


_USERNAME = re.compile(r"^[\w.@+-]{1,150}$", re.ASCII)


def username_problem(username: str) -> str | None:
    """None when the username is well-formed, else a Chinese reason (uniqueness is checked apart)."""
    if not username:
        return "请填写用户名。"
    if not _USERNAME.fullmatch(username):
        return "用户名只能包含英文字母、数字和 @ . + - _，最长150个字符。"
    return None


def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    display_name: str,
    role: str,
    region: Region,
    organisation: Organisation | None = None,
    phone: str = "",
    check_password: bool = True,
) -> User:
    """Create an account holding one membership. The actor must manage accounts at that region."""
    if actor is not None:
        _require_account_manager(actor, region)
    problems = Problems()
    username = (username or "").strip()
    if problem := username_problem(username):
        problems.add("username", problem)
    elif User.objects.filter(username=username).exists():
        problems.add("username", f"用户名“{username}”已被使用，请换一个。")
    if not display_name.strip():
        problems.add("display_name", "请填写姓名。")
    elif len(display_name.strip()) > 64:
        problems.add("display_name", "姓名最长64个字符。")
    if role not in Role.values:
        problems.add("role", "角色不在可选范围内。")
    if role in DEPARTMENT_ROLES and (organisation is None or organisation.kind != "department"):
        problems.add("organisation", "部门工作人员须选择所属党政群机构。")
    if check_password:
        try:
            validate_password(password, User(username=username, display_name=display_name))
        except ValidationError as exc:
            problems.add("password", "；".join(exc.messages))
    problems.raise_if_any()
    try:
        with transaction.atomic():
            user = User(username=username, display_name=display_name.strip(), phone=phone.strip())
            user.set_password(password)
            user.save()
            membership = Membership.objects.create(user=user, role=role, region=region, organisation=organisation)
            audit_record(
                actor=actor or "system",
                action="user.create",
                obj=user,
                region_code=region.code,
                after={
                    **_user_snapshot(user),
                    "role": role,
                    "region": region.code,
                    "organisation": organisation.pk if organisation else None,
                    "membership": membership.pk,
                },
            )
    except IntegrityError as exc:
        raise Conflict(f"用户名“{username}”已被使用，请换一个。", "duplicate_username") from exc
    return user


def membership_add(
    *, actor: Any, user: User, role: str, region: Region, organisation: Organisation | None = None
) -> Membership:
    """Give an existing person one more role; several memberships combine as a union of scopes."""
    if actor is not None:
        _require_account_manager(actor, region)
    if role not in Role.values:
        raise Invalid.field("role", "角色不在可选范围内。")
    with transaction.atomic():
        if Membership.objects.filter(user=user, role=role, region=region, active=True).exists():
            raise Conflict("该人员在此区划已有相同角色。", "duplicate_membership")
        membership = Membership.objects.create(user=user, role=role, region=region, organisation=organisation)
        audit_record(
            actor=actor or "system",
            action="membership.add",
            obj=membership,
            region_code=region.code,
            after={"user": user.username, "role": role, "region": region.code},
        )
    return membership


def password_reset(*, actor: Any, user: User) -> str:
    """Set a new random password the person must change at next sign-in; returns it once."""
    regions = list(user.memberships.filter(active=True).select_related("region"))
    if not regions:
        raise NotFound("找不到该账号。")
    for m in regions:
        _require_account_manager(actor, m.region)
    new_password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(actor=actor, action="user.password_reset", obj=user, region_code=regions[0].region_id)
    return new_password


def password_change(*, actor: User, new_password: str) -> None:
    """The person sets their own password (validated); clears the must-change flag set by a reset."""
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise Invalid("新密码不符合要求。", [FieldError("new_password1", m) for m in exc.messages]) from exc
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        audit_record(actor=actor, action="user.password_change", obj=actor, region_code=_home_region(actor))


def membership_hand_over(
    *, actor: Any, membership: Membership, successor: User | None, reason: str = "换届"
) -> Membership | None:
    """At 换届 the old holder's role ends and, when named, the successor takes the same role."""
    _require_account_manager(actor, membership.region)
    if not reason.strip():
        raise Invalid.field("reason", "请填写交接原因。")
    if successor is not None and successor.pk == membership.user_id:
        raise Invalid.field("successor", "接任人不能是原任职人本人。")
    with transaction.atomic():
        changed = Membership.objects.filter(pk=membership.pk, active=True).update(
            active=False, ended_on=timezone.localdate()
        )
        if not changed:
            raise Conflict("该任职已经结束，无需重复交接。", "already_ended")
        new = None
        if successor is not None:
            if not successor.is_active:
                raise Invalid.field("successor", f"接任人账号“{successor.username}”已停用，请先启用或另建账号。")
            if Membership.objects.filter(
                user=successor, role=membership.role, region=membership.region, active=True
            ).exists():
                raise Conflict(f"{successor.username} 在此区划已担任该角色。", "duplicate_membership")
            new = Membership.objects.create(
                user=successor, role=membership.role, region=membership.region, organisation=membership.organisation
            )
        old_user = membership.user
        if not old_user.memberships.filter(active=True).exists():
            old_user.is_active = False
            old_user.save(update_fields=["is_active"])
            ApiToken.objects.filter(user=old_user, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(
            actor=actor,
            action="membership.hand_over",
            obj=membership,
            region_code=membership.region_id,
            before={"user": old_user.username, "role": membership.role},
            after={
                "user": successor.username if successor else None,
                "role": membership.role,
                "membership": new.pk if new else None,
            },
            note=reason,
        )
    return new


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_issue(*, user: User, label: str = "") -> tuple[str, ApiToken]:
    """Issue a bearer token. The raw value is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, key_hash=_hash_token(raw), expires_at=timezone.now() + settings.API_TOKEN_TTL, label=label[:64]
        )
        audit_record(
            actor=user,
            action="api_token.issue",
            obj=token,
            region_code=_home_region(user),
            after={"expires_at": token.expires_at.isoformat(), "label": token.label},
        )
    return raw, token


def api_token_revoke(*, actor: Any, token: ApiToken) -> None:
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        if not changed:
            raise Conflict("该令牌已经作废。", "already_revoked")
        audit_record(actor=actor, action="api_token.revoke", obj=token, region_code=_home_region(token.user))


def api_token_user(raw: str) -> User | None:
    """The active user behind a bearer token, or None when unknown, revoked or expired."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Touch at most once a minute: a write per request would serialise SQLite.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def notification_send(
    *,
    kind: str,
    title: str,
    url: str = "",
    user: User | None = None,
    role: str = "",
    region: Region | str | None = None,
    subject: tuple[str, str] | None = None,
) -> Notification:
    """Tell the person (or whoever holds `role` at `region`) that something waits for them."""
    region_code = region if region is None or isinstance(region, str) else region.code
    return Notification.objects.create(
        user=user,
        role=role,
        region_id=region_code,
        kind=kind,
        title=title[:200],
        url=url[:300],
        subject_type=subject[0] if subject else "",
        subject_id=str(subject[1]) if subject else "",
    )


def notification_close(*, subject: tuple[str, str], kind: str | None = None, at: datetime | None = None) -> int:
    """Mark notifications about a subject done once it has been handled."""
    qs = Notification.objects.filter(subject_type=subject[0], subject_id=str(subject[1]), done_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.update(done_at=at or timezone.now())
