"""Permissions as data: the enum and the role → permission table, in one place.

Apps check `Perm` values through `cunwu.accounts.scope`; nothing else decides who may do what.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", "省级管理员"
    PREFECTURE_ADMIN = "prefecture_admin", "州（市）管理员"
    COUNTY_ADMIN = "county_admin", "县级管理员"
    COUNTY_REVIEWER = "county_reviewer", "县级审查人员"
    TOWNSHIP_OFFICER = "township_officer", "乡镇工作人员"
    VILLAGE_CLERK = "village_clerk", "村经办人"
    VILLAGE_HEAD = "village_head", "村主要负责人"
    SEAL_CUSTODIAN = "seal_custodian", "印章保管人"
    SUPERVISOR = "supervisor", "村务监督委员会成员"
    DEPARTMENT_OFFICER = "department_officer", "部门工作人员"
    AUDITOR = "auditor", "监督检查人员（只读）"


class Perm(StrEnum):
    # regions and people
    REGION_VIEW = "region:view"
    REGION_MANAGE = "region:manage"
    ACCOUNT_MANAGE = "account:manage"
    AUDIT_VIEW = "audit:view"
    # catalogs (清单)
    CATALOG_VIEW = "catalog:view"
    CATALOG_EDIT = "catalog:edit"
    CATALOG_APPROVE = "catalog:approve"
    # admission (准入)
    ADMISSION_VIEW = "admission:view"
    ADMISSION_FILE = "admission:file"
    ADMISSION_REVIEW = "admission:review"
    ADMISSION_RECEIVE = "admission:receive"
    ADMISSION_REPORT = "admission:report"
    ADMISSION_HANDLE = "admission:handle"  # work routed away from villages （三）
    EVALUATION_MANAGE = "evaluation:manage"
    GROUP_MANAGE = "group:manage"
    # reporting (填表报数)
    FORM_VIEW = "form:view"
    FORM_REQUEST = "form:request"
    FORM_INTEGRATE = "form:integrate"
    FORM_FILL = "form:fill"
    FORM_ACCEPT = "form:accept"
    # signs and facilities (机制牌子)
    SIGN_VIEW = "sign:view"
    SIGN_EDIT = "sign:edit"
    SIGN_CAMPAIGN = "sign:campaign"
    SIGN_REVIEW = "sign:review"
    SIGN_APPROVE = "sign:approve"
    # certificates (证明)
    CERT_VIEW = "certificate:view"
    CERT_INTAKE = "certificate:intake"
    CERT_SIGN_OFF = "certificate:sign_off"
    CERT_REVOKE = "certificate:revoke"
    CERT_COORDINATE = "certificate:coordinate"
    CERT_TEMPLATE = "certificate:template"
    # seals (印章)
    SEAL_VIEW = "seal:view"
    SEAL_REQUEST = "seal:request"
    SEAL_APPROVE = "seal:approve"
    SEAL_STAMP = "seal:stamp"
    SEAL_MANAGE = "seal:manage"
    SEAL_FILE = "seal:file"
    # oversight
    OVERSIGHT_VIEW = "oversight:view"
    COMPLAINT_HANDLE = "complaint:handle"
    OVERSIGHT_MANAGE = "oversight:manage"
    OVERSIGHT_REPORT = "oversight:report"


P = Perm
_READ_ALL = {
    P.REGION_VIEW,
    P.CATALOG_VIEW,
    P.ADMISSION_VIEW,
    P.FORM_VIEW,
    P.SIGN_VIEW,
    P.CERT_VIEW,
    P.SEAL_VIEW,
    P.OVERSIGHT_VIEW,
    P.AUDIT_VIEW,
}
_VILLAGE_READ = {P.REGION_VIEW, P.CATALOG_VIEW, P.ADMISSION_VIEW, P.FORM_VIEW, P.SIGN_VIEW, P.CERT_VIEW, P.SEAL_VIEW}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.PROVINCE_ADMIN: frozenset(
        _READ_ALL
        | {P.REGION_MANAGE, P.ACCOUNT_MANAGE, P.CATALOG_EDIT, P.CATALOG_APPROVE, P.SIGN_APPROVE, P.COMPLAINT_HANDLE}
        | {P.OVERSIGHT_MANAGE, P.OVERSIGHT_REPORT}
    ),
    Role.PREFECTURE_ADMIN: frozenset(
        _READ_ALL
        | {P.REGION_MANAGE, P.ACCOUNT_MANAGE, P.CATALOG_EDIT, P.CATALOG_APPROVE, P.COMPLAINT_HANDLE}
        | {P.OVERSIGHT_REPORT}
    ),
    Role.COUNTY_ADMIN: frozenset(
        _READ_ALL
        | {
            P.REGION_MANAGE,
            P.ACCOUNT_MANAGE,
            P.CATALOG_EDIT,
            P.CATALOG_APPROVE,
            P.FORM_INTEGRATE,
            P.EVALUATION_MANAGE,
            P.GROUP_MANAGE,
            P.SIGN_CAMPAIGN,
            P.SIGN_REVIEW,
            P.COMPLAINT_HANDLE,
            P.CERT_TEMPLATE,
            P.OVERSIGHT_REPORT,
        }
    ),
    Role.COUNTY_REVIEWER: frozenset(
        _READ_ALL | {P.ADMISSION_REVIEW, P.SIGN_REVIEW, P.FORM_INTEGRATE, P.COMPLAINT_HANDLE, P.GROUP_MANAGE}
    ),
    Role.TOWNSHIP_OFFICER: frozenset(
        _VILLAGE_READ | {P.OVERSIGHT_VIEW, P.CERT_COORDINATE, P.SEAL_FILE, P.COMPLAINT_HANDLE, P.AUDIT_VIEW}
    ),
    Role.VILLAGE_CLERK: frozenset(
        _VILLAGE_READ
        | {P.ADMISSION_RECEIVE, P.ADMISSION_REPORT, P.FORM_FILL, P.SIGN_EDIT, P.CERT_INTAKE, P.SEAL_REQUEST}
    ),
    Role.VILLAGE_HEAD: frozenset(
        _VILLAGE_READ
        | {
            P.ADMISSION_RECEIVE,
            P.ADMISSION_REPORT,
            P.FORM_FILL,
            P.SIGN_EDIT,
            P.CERT_INTAKE,
            P.CERT_SIGN_OFF,
            P.CERT_REVOKE,
            P.SEAL_REQUEST,
            P.SEAL_APPROVE,
            P.SEAL_MANAGE,
        }
    ),
    Role.SEAL_CUSTODIAN: frozenset(_VILLAGE_READ | {P.SEAL_STAMP, P.SEAL_REQUEST}),
    Role.SUPERVISOR: frozenset(_VILLAGE_READ | {P.OVERSIGHT_VIEW, P.AUDIT_VIEW}),
    # A department officer sees its own department's records across its jurisdiction (see scope.py).
    Role.DEPARTMENT_OFFICER: frozenset(
        {
            P.REGION_VIEW,
            P.CATALOG_VIEW,
            P.ADMISSION_VIEW,
            P.ADMISSION_FILE,
            P.FORM_VIEW,
            P.FORM_REQUEST,
            P.CERT_TEMPLATE,
        }
    ),
    Role.AUDITOR: frozenset(_READ_ALL),
}

# Township officers check and accept (or return) villages' filings (reporting, （四）).
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] | {P.FORM_ACCEPT}

# Work the county routes away from villages （三）: townships handle their tasks, county reviewers
# the purchases of services.
ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] = ROLE_PERMISSIONS[Role.TOWNSHIP_OFFICER] | {P.ADMISSION_HANDLE}
ROLE_PERMISSIONS[Role.COUNTY_REVIEWER] = ROLE_PERMISSIONS[Role.COUNTY_REVIEWER] | {P.ADMISSION_HANDLE}

# Roles whose membership names an organisation rather than only a region.
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_OFFICER})

# Which levels each role may be held at. A department officer sits where its department sits
# (the service also requires the membership's region to be the department's own region).
_VILLAGE_LEVELS = ("village", "community")
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.PROVINCE_ADMIN: ("province",),
    Role.PREFECTURE_ADMIN: ("prefecture",),
    Role.COUNTY_ADMIN: ("county",),
    Role.COUNTY_REVIEWER: ("county",),
    Role.TOWNSHIP_OFFICER: ("township",),
    Role.VILLAGE_CLERK: _VILLAGE_LEVELS,
    Role.VILLAGE_HEAD: _VILLAGE_LEVELS,
    Role.SEAL_CUSTODIAN: _VILLAGE_LEVELS,
    Role.SUPERVISOR: _VILLAGE_LEVELS,
    Role.DEPARTMENT_OFFICER: ("province", "prefecture", "county", "township"),
    Role.AUDITOR: ("province", "prefecture", "county"),
}

# Which roles each role may grant, inside the subtree of the membership that carries the right.
# Admin roles come only from the level above; a county admin grants its own county's staff,
# township, village and department roles, never an admin role nor the auditor who checks it.
# Province admins are made only from the command line (`cunwu create-province-admin`).
_LOCAL_ROLES = frozenset(
    {
        Role.COUNTY_REVIEWER,
        Role.TOWNSHIP_OFFICER,
        Role.VILLAGE_CLERK,
        Role.VILLAGE_HEAD,
        Role.SEAL_CUSTODIAN,
        Role.SUPERVISOR,
        Role.DEPARTMENT_OFFICER,
    }
)
ROLE_GRANTS: dict[str, frozenset[str]] = {
    Role.PROVINCE_ADMIN: _LOCAL_ROLES | {Role.PREFECTURE_ADMIN, Role.AUDITOR},
    Role.PREFECTURE_ADMIN: _LOCAL_ROLES | {Role.COUNTY_ADMIN, Role.AUDITOR},
    Role.COUNTY_ADMIN: _LOCAL_ROLES,
}
# Roles whose holders sign in with a second factor where CUNWU_2FA_REQUIRED is on.
TWO_FACTOR_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PREFECTURE_ADMIN, Role.COUNTY_ADMIN})
