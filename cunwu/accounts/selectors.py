from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cunwu.errors import NotFound

from .models import Membership, Notification, User
from .permissions import Perm
from .scope import scope_for


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
        memberships = memberships.filter(region_id__startswith=region.rstrip("0"))
    qs = User.objects.filter(pk__in=memberships.values("user_id")).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs.prefetch_related("memberships__region")


def user_get_for(user: Any, pk: int) -> User:
    target = user_list_for(user).filter(pk=pk).first()
    if target is None:
        raise NotFound("找不到该账号，或不在您的管辖范围内。")
    return target
