"""Data scope: what a person may see and do, computed from their active memberships.

A membership sees its region's subtree; a department officer sees its own department's records
within its region. Several memberships combine as a union of grants, never "the widest role wins":
a permission applies only in the subtree of the membership that carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from cunwu.errors import Forbidden, NotFound
from cunwu.regions import codes

from .permissions import DEPARTMENT_ROLES, ROLE_PERMISSIONS, Perm


@dataclass(frozen=True)
class Grant:
    role: str
    region_code: str
    region_level: str
    organisation_id: int | None
    perms: frozenset[Perm]

    @property
    def is_department(self) -> bool:
        return self.role in DEPARTMENT_ROLES

    def covers(self, code: str) -> bool:
        low, high = codes.code_range(self.region_code, self.region_level)
        return low <= code <= high

    def region_q(self, field: str) -> Q:
        low, high = codes.code_range(self.region_code, self.region_level)
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})


_NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    grants: tuple[Grant, ...]

    @property
    def is_empty(self) -> bool:
        return not self.grants

    def _with(self, perm: Perm | None) -> list[Grant]:
        return [g for g in self.grants if perm is None or perm in g.perms]

    def has(self, perm: Perm) -> bool:
        """The permission somewhere (for showing a menu entry, not for deciding on an object)."""
        return bool(self._with(perm))

    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def covers(self, code: str, perm: Perm | None = None, organisation_id: int | None = None) -> bool:
        for g in self._with(perm):
            if not g.covers(code):
                continue
            if g.is_department and organisation_id is not None and g.organisation_id != organisation_id:
                continue
            return True
        return False

    def can(self, perm: Perm, code: str, organisation_id: int | None = None) -> bool:
        return self.covers(code, perm, organisation_id)

    def region_q(self, field: str, perm: Perm | None = None) -> Q:
        """Rows whose region code field lies in a subtree the user holds `perm` for."""
        q = _NOTHING
        for g in self._with(perm):
            q |= g.region_q(field)
        return q

    def records_q(self, region_field: str, perm: Perm, department_field: str | None = None) -> Q:
        """Like region_q, but a department grant only reaches its own department's records."""
        q = _NOTHING
        for g in self._with(perm):
            part = g.region_q(region_field)
            if g.is_department:
                if department_field is None:
                    continue
                part &= Q(**{department_field: g.organisation_id})
            q |= part
        return q

    def department_ids(self, perm: Perm | None = None) -> list[int]:
        return sorted({g.organisation_id for g in self._with(perm) if g.is_department and g.organisation_id})

    def regions(self, perm: Perm | None = None) -> list[tuple[str, str]]:
        return sorted({(g.region_code, g.region_level) for g in self._with(perm)})

    def require(self, perm: Perm, code: str, organisation_id: int | None = None, *, view: Perm | None = None) -> None:
        """404 when the object is outside what the user can see at all; 403 when seen but not allowed."""
        if view is not None and not self.covers(code, view, organisation_id):
            raise NotFound("找不到该记录，或不在您的管辖范围内。")
        if not self.can(perm, code, organisation_id):
            raise Forbidden("您没有办理此事项的权限。")


EMPTY = Scope(())


def scope_for(user: Any) -> Scope:
    """The user's scope, computed once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, "_cunwu_scope", None)
    if cached is not None:
        return cached
    grants = tuple(
        Grant(
            role=m.role,
            region_code=m.region_id,
            region_level=m.region.level,
            organisation_id=m.organisation_id,
            perms=ROLE_PERMISSIONS.get(m.role, frozenset()),
        )
        for m in user.memberships.filter(active=True).select_related("region")
    )
    scope = Scope(grants)
    user._cunwu_scope = scope
    return scope
