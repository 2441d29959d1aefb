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
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cunwu.audit.services import audit_record
from cunwu.errors import Conflict, FieldError, Forbidden, Invalid, NotFound, Problems
from cunwu.masking import mask_name, mask_phone

from . import rules
from .models import ApiToken, Membership, Notification, User
from .permissions import DEPARTMENT_ROLES, TWO_FACTOR_ROLES, Perm
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


def grant_findings(
    actor: Any, *, grantee: User | None, role: str, region: Region, organisation: Organisation | None
) -> list[rules.Finding]:
    """What stands against `actor` giving `role` at `region` (actor None: the command line)."""
    held = None
    if actor is not None:
        held = [rules.Held(g.role, g.region_code, g.region_level) for g in scope_for(actor).grants]
    return rules.check_grant(
        grantor=held,
        grantor_id=getattr(actor, "pk", None),
        grantee_id=grantee.pk if grantee is not None else None,
        role=role,
        region_code=region.code,
        region_level=region.level,
        organisation_region=organisation.region_id if organisation is not None else None,
    )


def _require_grant(
    actor: Any,
    *,
    grantee: User | None,
    role: str,
    region: Region,
    organisation: Organisation | None,
    problems: Problems | None = None,
) -> None:
    """Refuse (403) a grant beyond the actor's authority; the grant's shape goes to `problems` (422)."""
    if actor is not None:
        _require_account_manager(actor, region)
    findings = grant_findings(actor, grantee=grantee, role=role, region=region, organisation=organisation)
    for f in findings:
        if f.rule in rules.AUTHORITY_RULES:
            raise Forbidden(f.message, "grant_not_allowed")
    own = problems if problems is not None else Problems()
    for f in findings:
        own.add(f.field, f.message)
    if problems is None:
        own.raise_if_any()


def _require_authority_over(actor: Any, membership: Membership, *, grantee: User | None) -> None:
    """Only someone who could grant a role may end it or reset its holder's password (403 otherwise)."""
    _require_account_manager(actor, membership.region)
    findings = grant_findings(
        actor, grantee=grantee, role=membership.role, region=membership.region, organisation=membership.organisation
    )
    for f in findings:
        if f.rule in rules.AUTHORITY_RULES:
            raise Forbidden(f.message, "grant_not_allowed")


def _granted_by(actor: Any) -> str:
    return getattr(actor, "username", "") or "命令行"


def credentials_revoke(*, user: User) -> int:
    """End every API token and session of the account (sessions through the session hash).

    Call inside the writing transaction. Returns how many tokens were revoked.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=models.F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


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
    """Create an account holding one membership the actor may grant (rules.check_grant).

    A password chosen by an administrator must be changed at first sign-in; only the command line
    (actor None: seed, province admins) creates accounts whose password stands as set.
    """
    problems = Problems()
    _require_grant(actor, grantee=None, role=role, region=region, organisation=organisation, problems=problems)
    username = (username or "").strip()
    if problem := username_problem(username):
        problems.add("username", problem)
    elif User.objects.filter(username=username).exists():
        problems.add("username", f"用户名“{username}”已被使用，请换一个。")
    if not display_name.strip():
        problems.add("display_name", "请填写姓名。")
    elif len(display_name.strip()) > 64:
        problems.add("display_name", "姓名最长64个字符。")
    if role in DEPARTMENT_ROLES and organisation is not None and organisation.kind != "department":
        problems.add("organisation", "部门工作人员须选择所属党政群机构。")
    if check_password:
        try:
            validate_password(password, User(username=username, display_name=display_name))
        except ValidationError as exc:
            problems.add("password", "；".join(exc.messages))
    problems.raise_if_any()
    try:
        with transaction.atomic():
            user = User(
                username=username,
                display_name=display_name.strip(),
                phone=phone.strip(),
                must_change_password=actor is not None,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            user.set_password(password)
            user.save()
            membership = Membership.objects.create(
                user=user, role=role, region=region, organisation=organisation, granted_by=user.created_by
            )
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
                    "created_by": _granted_by(actor),
                    "must_change_password": user.must_change_password,
                },
            )
    except IntegrityError as exc:
        raise Conflict(f"用户名“{username}”已被使用，请换一个。", "duplicate_username") from exc
    return user


def membership_add(
    *, actor: Any, user: User, role: str, region: Region, organisation: Organisation | None = None
) -> Membership:
    """Give an existing person one more role the actor may grant; memberships combine as a union of scopes."""
    _require_grant(actor, grantee=user, role=role, region=region, organisation=organisation)
    granted_by = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        if Membership.objects.filter(user=user, role=role, region=region, active=True).exists():
            raise Conflict("该人员在此区划已有相同角色。", "duplicate_membership")
        membership = Membership.objects.create(
            user=user, role=role, region=region, organisation=organisation, granted_by=granted_by
        )
        audit_record(
            actor=actor or "system",
            action="membership.add",
            obj=membership,
            region_code=region.code,
            after={"user": user.username, "role": role, "region": region.code, "granted_by": _granted_by(actor)},
        )
    return membership


def password_reset(*, actor: Any, user: User) -> str:
    """Set a new random password the person must change at next sign-in; returns it once."""
    regions = list(user.memberships.filter(active=True).select_related("region"))
    if not regions:
        raise NotFound("找不到该账号。")
    for m in regions:
        _require_authority_over(actor, m, grantee=user)
    new_password = secrets.token_urlsafe(9)
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        revoked = credentials_revoke(user=user)
        audit_record(
            actor=actor,
            action="user.password_reset",
            obj=user,
            region_code=regions[0].region_id,
            after={"tokens_revoked": revoked},
        )
    return new_password


def password_change(*, actor: User, new_password: str) -> None:
    """The person sets their own password (validated); clears the must-change flag set by a reset.

    Every token and every other session ends; the view keeps the current session with
    `update_session_auth_hash`.
    """
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise Invalid("新密码不符合要求。", [FieldError("new_password1", m) for m in exc.messages]) from exc
    with transaction.atomic():
        actor.set_password(new_password)
        actor.must_change_password = False
        actor.save(update_fields=["password", "must_change_password"])
        revoked = credentials_revoke(user=actor)
        audit_record(
            actor=actor,
            action="user.password_change",
            obj=actor,
            region_code=_home_region(actor),
            after={"tokens_revoked": revoked},
        )


def membership_hand_over(
    *, actor: Any, membership: Membership, successor: User | None, reason: str = "换届"
) -> Membership | None:
    """At 换届 the old holder's role ends and, when named, the successor takes the same role.

    Handing a role on is granting it: the same rules.check_grant as creation. The old holder's
    tokens and sessions end (what they may do has changed); with no role left the account is closed.
    """
    _require_authority_over(actor, membership, grantee=None)
    if successor is not None:
        _require_grant(
            actor,
            grantee=successor,
            role=membership.role,
            region=membership.region,
            organisation=membership.organisation,
        )
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
                user=successor,
                role=membership.role,
                region=membership.region,
                organisation=membership.organisation,
                granted_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        old_user = membership.user
        if not old_user.memberships.filter(active=True).exists():
            old_user.is_active = False
            old_user.save(update_fields=["is_active"])
        credentials_revoke(user=old_user)
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
                "granted_by": _granted_by(actor),
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
    """The active user behind a bearer token, or None when unknown, revoked, expired, or while
    an administrator-set password still waits to be changed."""
    if not raw or len(raw) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active or token.user.must_change_password:
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


# --- two-factor sign-in (TOTP) and lock-outs ------------------------------------------------------

TOTP_DEVICE_NAME = "手机动态口令"


def two_factor_required(user: Any) -> bool:
    """Whether this person signs in with a second factor: CUNWU_2FA_REQUIRED is on and they hold an
    admin role or manage accounts (role operations)."""
    if not settings.CUNWU_2FA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    return bool(scope.roles() & TWO_FACTOR_ROLES) or scope.has(Perm.ACCOUNT_MANAGE)


def totp_device_for(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed TOTP device (its secret shown once as a QR code), replacing any earlier one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def _verify_otp(device: TOTPDevice, otp: str) -> None:
    """Invalid (at the `otp` field) unless `otp` is the device's current code; waits after failures."""
    allowed, detail = device.verify_is_allowed()
    if not allowed:
        wait = ""
        if detail and detail.get("locked_until"):
            seconds = max(1, int((detail["locked_until"] - timezone.now()).total_seconds()) + 1)
            wait = f"{seconds} 秒后"
        raise Invalid.field("otp", f"动态口令输错次数过多，请{wait or '稍后'}再试。")
    if not otp.strip() or not device.verify_token(otp.strip()):
        raise Invalid.field("otp", "动态口令不正确或已过期，请输入手机上当前显示的6位数字。")


def totp_enrolment_confirm(*, user: User, device: TOTPDevice, otp: str) -> None:
    """Confirm the device with a first correct code; earlier confirmed devices of the person are removed."""
    if device.user_id != user.pk or device.confirmed:
        raise NotFound("找不到该绑定请求，请刷新页面重新扫码。")
    _verify_otp(device, otp)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.confirmed = True
        audit_record(actor=user, action="user.two_factor_enrol", obj=user, region_code=_home_region(user))


def otp_check(user: User, otp: str) -> TOTPDevice:
    """The person's confirmed device when `otp` is its current code; Forbidden when none is bound,
    Invalid on a wrong code (the device throttles repeated failures)."""
    device = totp_device_for(user)
    if device is None:
        raise Forbidden(
            "该账号须使用动态口令登录，请先在网页上登录并绑定手机动态口令。", "two_factor_enrolment_required"
        )
    if not otp.strip():
        raise Invalid.field("otp", "请输入手机上的6位动态口令。")
    _verify_otp(device, otp)
    return device


def account_locked_out(*, username: str) -> None:
    """django-axes locked the username: every token and session of that account ends now."""
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    with transaction.atomic():
        revoked = credentials_revoke(user=user)
        audit_record(
            actor="system",
            action="user.locked_out",
            obj=user,
            region_code=_home_region(user),
            after={"tokens_revoked": revoked},
        )
