"""County imports of real villages and staff accounts from officials' spreadsheets (all-or-nothing)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from cunwu.audit.services import audit_record
from cunwu.documents.xlsx import Column, RowError, build_template, read_table
from cunwu.regions import codes
from cunwu.regions.choices import OrgKind
from cunwu.regions.selectors import organisation_named, place_names_forget, region_find
from cunwu.regions.services import villages_save

from .models import User
from .permissions import DEPARTMENT_ROLES, Perm, Role
from .scope import scope_for
from .services import grant_findings, user_create, username_problem

ROLE_BY_LABEL = {label: value for value, label in Role.choices} | {value: value for value in Role.values}

STAFF_COLUMNS = [
    Column("username", "用户名", True, None, "登录用，字母、数字或 @.+-_，不能与已有账号重复"),
    Column("display_name", "姓名", True, None, "本人真实姓名"),
    Column("phone", "手机号", False, None, "可不填"),
    Column("role", "角色", True, tuple(label for _, label in Role.choices), "从下拉列表中选择"),
    Column("region", "区划代码", True, None, "12位统计用区划代码，须在本级管辖范围内"),
    Column("organisation", "所属部门", False, None, "部门工作人员必填，填写部门全称，如“富民县民政局”"),
    Column("password", "初始密码", False, None, "可不填，不填则自动生成并在导入结果中显示一次"),
]
VILLAGE_COLUMNS = [
    Column("code", "区划代码", True, None, "12位统计用区划代码；第10–12位 001–199 为社区，200–399 为村"),
    Column("name", "名称", True, None, "如“某某村委会”“某某社区居委会”"),
    Column("households", "户数", True, None, "正整数"),
    Column("population", "人口", False, None, "正整数，可不填"),
]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    passwords: list[tuple[str, str]] = field(default_factory=list)


class ImportFailed(Exception):
    def __init__(self, result: ImportResult) -> None:
        super().__init__("导入失败")
        self.result = result


def staff_template() -> bytes:
    return build_template(
        "人员账号",
        STAFF_COLUMNS,
        {
            "username": "zhangsan_lm",
            "display_name": "张三",
            "phone": "",
            "role": "村经办人",
            "region": "530124103200",
            "organisation": "",
            "password": "",
        },
        ["每行一个账号。整张表要么全部导入，要么一条都不导入。", "区划代码须在您的管辖范围内。"],
    )


def village_template() -> bytes:
    return build_template(
        "村（社区）",
        VILLAGE_COLUMNS,
        {"code": "530124103201", "name": "某某村委会", "households": "680", "population": "2200"},
        ["每行一个村或社区。已有的代码会更新名称、户数和人口。", "整张表要么全部导入，要么一条都不导入。"],
    )


def _positive_int(value: str) -> int | None:
    try:
        number = int(float(value))
    except ValueError:
        return None
    return number if number > 0 else None


def villages_import(*, actor: Any, data: bytes, filename: str) -> ImportResult:
    """Create or update village-level units under townships the actor manages."""
    table = read_table(data, filename, VILLAGE_COLUMNS)
    result = ImportResult(errors=list(table.errors))
    scope = scope_for(actor)
    seen: set[str] = set()
    plans: list[dict[str, Any]] = []
    townships = {}
    for row in table.rows:
        n = row["_row"]
        code = row["code"]
        problem = codes.code_problem(code)
        if problem:
            result.errors.append(RowError(n, "区划代码", problem))
            continue
        if code in seen:
            result.errors.append(RowError(n, "区划代码", f"代码 {code} 在表中重复出现。"))
            continue
        seen.add(code)
        township_code = code[:9] + "000"
        if township_code not in townships:
            townships[township_code] = region_find(township_code, levels=(codes.TOWNSHIP,))
        if townships[township_code] is None or code[9:] == "000":
            result.errors.append(RowError(n, "区划代码", f"代码 {code} 不是已知乡镇（街道）下的村或社区代码。"))
            continue
        if not scope.can(Perm.REGION_MANAGE, code):
            result.errors.append(RowError(n, "区划代码", f"代码 {code} 不在您的管辖范围内。"))
            continue
        if not 1 <= int(code[9:]) <= 399:
            result.errors.append(
                RowError(n, "区划代码", "村级代码第10–12位应在 001–399 之间（001–199 社区，200–399 村）。")
            )
            continue
        if len(row["name"]) > 64:
            result.errors.append(RowError(n, "名称", "名称最长64个字符。"))
            continue
        households = _positive_int(row["households"])
        if households is None:
            result.errors.append(RowError(n, "户数", "户数应为正整数。"))
            continue
        population = _positive_int(row["population"]) if row.get("population") else None
        if row.get("population") and population is None:
            result.errors.append(RowError(n, "人口", "人口应为正整数。"))
            continue
        plans.append(
            {
                "code": code,
                "name": row["name"],
                "households": households,
                "population": population,
                "parent": township_code,
            }
        )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)  # file-level problems (row 0) first, then row by row
        raise ImportFailed(result)
    with transaction.atomic():
        result.created, result.updated = villages_save(actor=actor, plans=plans)
        audit_record(
            actor=actor,
            action="region.import",
            object_type="regions.region",
            region_code=plans[0]["parent"] if plans else "",
            after={"created": result.created, "updated": result.updated, "file": filename[:100]},
        )
        changed = [p["code"] for p in plans]
        transaction.on_commit(lambda: place_names_forget(changed))
    return result


def staff_import(*, actor: Any, data: bytes, filename: str) -> ImportResult:
    """Create staff accounts; every row is checked before any account is written."""
    table = read_table(data, filename, STAFF_COLUMNS)
    result = ImportResult(errors=list(table.errors))
    scope = scope_for(actor)
    seen: set[str] = set()
    plans = []
    existing = set(
        User.objects.filter(username__in=[r["username"] for r in table.rows]).values_list("username", flat=True)
    )
    for row in table.rows:
        n = row["_row"]
        username = row["username"]
        if problem := username_problem(username):
            result.errors.append(RowError(n, "用户名", problem))
            continue
        if username in existing or username in seen:
            result.errors.append(RowError(n, "用户名", f"用户名“{username}”已被使用或在表中重复。"))
            continue
        seen.add(username)
        if len(row["display_name"]) > 64:
            result.errors.append(RowError(n, "姓名", "姓名最长64个字符。"))
            continue
        role = ROLE_BY_LABEL.get(row["role"])
        if role is None:
            result.errors.append(RowError(n, "角色", "角色不在可选范围内。"))
            continue
        problem = codes.code_problem(row["region"])
        region = None if problem else region_find(row["region"])
        if region is None:
            result.errors.append(RowError(n, "区划代码", problem or f"没有代码为 {row['region']} 的行政区划。"))
            continue
        if not scope.can(Perm.ACCOUNT_MANAGE, region.code):
            result.errors.append(RowError(n, "区划代码", f"{region.name}不在您的管辖范围内。"))
            continue
        org = None
        if role in DEPARTMENT_ROLES:
            org = organisation_named(row.get("organisation", ""), kind=OrgKind.DEPARTMENT)
            if org is None or not scope.can(Perm.ACCOUNT_MANAGE, org.region_id):
                result.errors.append(RowError(n, "所属部门", "部门工作人员须填写本级管辖范围内已登记的部门全称。"))
                continue
        if row.get("password"):
            try:
                validate_password(row["password"], User(username=username, display_name=row["display_name"]))
            except ValidationError as exc:
                result.errors.append(RowError(n, "初始密码", "".join(exc.messages)))
                continue
        # The same grant rule as the form: role fits the level, inside the importer's authority.
        column = {"role": "角色", "region": "区划代码", "organisation": "所属部门"}
        findings = grant_findings(actor, grantee=None, role=role, region=region, organisation=org)
        if findings:
            result.errors.extend(RowError(n, column.get(f.field, "角色"), f.message) for f in findings)
            continue
        plans.append((row, role, region, org))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)  # file-level problems (row 0) first, then row by row
        raise ImportFailed(result)
    with transaction.atomic():
        for row, role, region, org in plans:
            password = row.get("password") or secrets.token_urlsafe(9)
            user = user_create(
                actor=actor,
                username=row["username"],
                password=password,
                display_name=row["display_name"],
                role=role,
                region=region,
                organisation=org,
                phone=row.get("phone", ""),
                check_password=False,
            )
            if not row.get("password"):
                result.passwords.append((user.username, password))
            result.created += 1
    return result
