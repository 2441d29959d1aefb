"""Who may grant which role where: pure rules over plain values, tables in permissions.py.

Each finding cites the access-control requirement of 网络安全等级保护 level 3 it enforces
(GB/T 22239-2019 8.1.4.2: least privilege, separation of duties).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cunwu.regions import codes

from .permissions import DEPARTMENT_ROLES, ROLE_GRANTS, ROLE_LEVELS, Role

CLAUSE = "GB/T 22239-2019 8.1.4.2"
# Findings about the grantor's authority (403); the others are about the grant's shape (422).
AUTHORITY_RULES = frozenset({"grant_authority", "grant_self", "grant_province_admin"})


@dataclass(frozen=True)
class Finding:
    rule: str
    clause: str
    message: str
    field: str = ""


@dataclass(frozen=True)
class Held:
    """One active membership of the grantor."""

    role: str
    region_code: str
    region_level: str

    def covers(self, code: str) -> bool:
        low, high = codes.code_range(self.region_code, self.region_level)
        return low <= code <= high


def _label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def grantable_roles(held: Sequence[Held]) -> set[str]:
    """Every role some membership of the grantor may grant (somewhere in its subtree)."""
    return {role for h in held for role in ROLE_GRANTS.get(h.role, frozenset())}


def check_grant(
    *,
    grantor: Sequence[Held] | None,
    grantor_id: int | None,
    grantee_id: int | None,
    role: str,
    region_code: str,
    region_level: str,
    organisation_region: str | None = None,
) -> list[Finding]:
    """Findings against giving `role` at a region; `grantor=None` is the command line (no authority check).

    The role must be one that may be held at that level; a department officer sits at its department's
    region; the grantor must hold, over that region, a role whose grant table names `role`; and nobody
    grants a role to themselves.
    """
    if role not in Role.values:
        return [Finding("grant_role_unknown", CLAUSE, "角色不在可选范围内。", "role")]
    found: list[Finding] = []
    levels = ROLE_LEVELS[role]
    if region_level not in levels:
        allowed = "、".join(codes.LEVEL_LABELS[level] for level in levels)
        here = codes.LEVEL_LABELS.get(region_level, region_level)
        found.append(
            Finding("grant_level", CLAUSE, f"“{_label(role)}”只能在{allowed}一级任职，不能设在{here}。", "region")
        )
    if role in DEPARTMENT_ROLES:
        if organisation_region is None:
            found.append(Finding("grant_department", CLAUSE, "部门工作人员须选择所属党政群机构。", "organisation"))
        elif organisation_region != region_code:
            found.append(
                Finding("grant_department", CLAUSE, "部门工作人员的任职区划须为其所属部门所在的区划。", "organisation")
            )
    if grantor is None:
        return found
    if grantee_id is not None and grantee_id == grantor_id:
        found.append(Finding("grant_self", CLAUSE, "不能给自己授予或交接角色，请由其他管理员办理。", "role"))
    if role == Role.PROVINCE_ADMIN:
        found.append(Finding("grant_province_admin", CLAUSE, "省级管理员只能由运维人员在服务器命令行设立。", "role"))
    elif not any(role in ROLE_GRANTS.get(h.role, frozenset()) and h.covers(region_code) for h in grantor):
        found.append(
            Finding(
                "grant_authority",
                CLAUSE,
                f"您无权在该区划授予“{_label(role)}”角色：管理员角色只能由上一级管理员授予，"
                "且只能授予本级管辖范围内的角色。",
                "role",
            )
        )
    return found
