from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from cunwu.errors import Forbidden, NotFound
from cunwu.regions import codes
from cunwu.regions.selectors import organisations_where, regions_where

from .models import ApiToken, Membership, Notification, User
from .permissions import Perm
from .scope import scope_for

if TYPE_CHECKING:
    from cunwu.regions.models import Organisation, Region


def notification_list_for(user: Any) -> QuerySet[Notification]:
    """Open notifications addressed to the user, or to a role they hold at that exact region."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    q = Q(user=user)
    for g in scope_for(user).grants:
        q |= Q(role=g.role, region_id=g.region_code)
    return Notification.objects.filter(q, done_at__isnull=True)


def user_list_for(user: Any, *, region: str = "", q: str = "") -> QuerySet[User]:
    """Accounts holding a membership inside the caller's account-management scope."""
    scope = scope_for(user)
    memberships = Membership.objects.filter(scope.region_q("region_id", Perm.ACCOUNT_MANAGE))
    if region:
        memberships = memberships.filter(
            region_id__startswith=codes.subtree_prefix(region) if codes.is_code(region) else region
        )
    qs = User.objects.filter(pk__in=memberships.values("user_id")).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs.prefetch_related("memberships__region")


def user_get_for(user: Any, pk: int) -> User:
    """An account the caller manages; 403 when it is only visible to them (same region), else 404."""
    target = user_list_for(user).filter(pk=pk).first()
    if target is not None:
        return target
    scope = scope_for(user)
    visible = Membership.objects.filter(scope.region_q("region_id", Perm.REGION_VIEW), user_id=pk).exists()
    if visible:
        raise Forbidden("您没有管理人员账号的权限。")
    raise NotFound("找不到该账号，或不在您的管辖范围内。")


def membership_get_for(user: Any, pk: int) -> Membership:
    """A membership the caller may hand over (account management at its region); 404 or 403 otherwise."""
    membership = Membership.objects.select_related("user", "region", "organisation").filter(pk=pk).first()
    if membership is None:
        raise NotFound("找不到该任职记录。")
    scope_for(user).require(Perm.ACCOUNT_MANAGE, membership.region_id, view=Perm.REGION_VIEW)
    return membership


def account_counts_for(user: Any) -> dict[str, int]:
    """Active accounts and those still waiting to change an administrator-set password, in scope."""
    qs = user_list_for(user).filter(is_active=True)
    return {"active": qs.count(), "must_change": qs.filter(must_change_password=True).count()}


def people_holding(code: str, perm: Perm, *, levels: tuple[str, ...] = ()) -> QuerySet[User]:
    """Active people whose active memberships grant `perm` at region `code` (held there or above it).

    One query: the role → permission table decides which roles count, the code which regions;
    `levels` keeps only memberships held at those levels (e.g. the village and its township).
    """
    from cunwu.regions.codes import ancestor_codes

    from .permissions import ROLE_PERMISSIONS

    roles = [role for role, perms in ROLE_PERMISSIONS.items() if perm in perms]
    return (
        User.objects.filter(
            is_active=True,
            memberships__active=True,
            memberships__role__in=roles,
            memberships__region_id__in=[*ancestor_codes(code), code],
            **({"memberships__region__level__in": levels} if levels else {}),
        )
        .distinct()
        .order_by("username")
    )


def regions_in_scope(
    user: Any, perm: Perm, *, levels: Iterable[str], limit: int | None = None, with_parents: bool = False
) -> list[Region]:
    """Regions at `levels` inside the subtrees where the user holds `perm`, in code order, at most `limit`."""
    return regions_where(scope_for(user).region_q("code", perm), levels=levels, limit=limit, with_parents=with_parents)


def organisations_in_scope(user: Any, perm: Perm, *, kinds: Iterable[str], limit: int) -> list[Organisation]:
    """Organisations of `kinds` at regions where the user holds `perm`, by region and name."""
    return organisations_where(scope_for(user).region_q("region_id", perm), kinds=kinds, limit=limit)


def user_find(username: str, *, active_only: bool = False) -> User | None:
    """An account by exact username (for naming a successor, a receiver or a witness), or None."""
    qs = User.objects.filter(username=username)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.first()


def api_token_find(user: Any, key_hash: str) -> ApiToken | None:
    """The user's unrevoked API token with this key hash (the one the current request presented), or None."""
    return ApiToken.objects.filter(key_hash=key_hash, user=user, revoked_at__isnull=True).first()


def grantable_roles_for(user: Any) -> set[str]:
    """Roles the user may grant somewhere in their scope (accounts.permissions.ROLE_GRANTS)."""
    from .rules import Held, grantable_roles

    return grantable_roles([Held(g.role, g.region_code, g.region_level) for g in scope_for(user).grants])


def api_token_list_for(user: Any) -> QuerySet[ApiToken]:
    """The person's own API tokens, newest first (never anyone else's)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at")[:100]


def api_token_get_for(user: Any, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is 404."""
    token = ApiToken.objects.filter(pk=pk, user_id=getattr(user, "pk", 0) or 0).first()
    if token is None:
        raise NotFound("找不到该令牌。")
    return token
