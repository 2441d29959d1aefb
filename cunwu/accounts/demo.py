"""Demo accounts: one per role, named after the role; a second village set with suffix 2."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cunwu.regions import codes
from cunwu.regions.models import Organisation, Region

from .models import User
from .permissions import Role
from .services import user_create

PASSWORD_FILE = "demo-password.txt"
VILLAGE_ROLES = (Role.VILLAGE_CLERK, Role.VILLAGE_HEAD, Role.SEAL_CUSTODIAN, Role.SUPERVISOR)
DEMO_NAMES = {
    Role.PROVINCE_ADMIN: "李省管",
    Role.PREFECTURE_ADMIN: "赵州管",
    Role.COUNTY_ADMIN: "王县管",
    Role.COUNTY_REVIEWER: "周审查",
    Role.TOWNSHIP_OFFICER: "孙乡镇",
    Role.VILLAGE_CLERK: "张经办",
    Role.VILLAGE_HEAD: "杨书记",
    Role.SEAL_CUSTODIAN: "刘保管",
    Role.SUPERVISOR: "陈监督",
    Role.DEPARTMENT_OFFICER: "吴部门",
    Role.AUDITOR: "郑审计",
}


def demo_password() -> str:
    """CUNWU_DEMO_PASSWORD, or one generated on first use and kept under var/."""
    if settings.CUNWU_DEMO_PASSWORD:
        return settings.CUNWU_DEMO_PASSWORD
    path = settings.VAR_DIR / PASSWORD_FILE
    if path.exists():
        return path.read_text().strip()
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    password = "Cw-" + secrets.token_urlsafe(9)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role label, region name) for printing."""
    out = []
    for user in (
        User.objects.filter(username__in=_usernames()).prefetch_related("memberships__region").order_by("username")
    ):
        for m in user.memberships.filter(active=True):
            out.append((user.username, m.get_role_display(), m.region.name))
    return out


def _usernames() -> list[str]:
    names = [r.value for r in Role]
    names += [f"{r.value}2" for r in VILLAGE_ROLES] + ["department_officer2", "county_admin2"]
    return names


@transaction.atomic
def seed(scale: str, stdout: Any) -> None:
    """Demo accounts keep the printed password (not must-change); never in production."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("演示账号不能在生产环境（CUNWU_ENV=production）中创建。")
    if scale != "demo" and User.objects.filter(username="village_clerk").exists():
        return
    password = demo_password()
    township = Region.objects.get(code="530124103000")  # 罗免镇
    villages = list(township.children.order_by("code")[:2])
    county = Region.objects.get(code="530124000000")
    places: dict[str, tuple[Region, Organisation | None]] = {
        Role.PROVINCE_ADMIN: (Region.objects.get(code=codes.PROVINCE_CODE), None),
        Role.PREFECTURE_ADMIN: (Region.objects.get(code="530100000000"), None),
        Role.COUNTY_ADMIN: (county, None),
        Role.COUNTY_REVIEWER: (county, None),
        Role.AUDITOR: (county, None),
        Role.TOWNSHIP_OFFICER: (township, None),
        Role.DEPARTMENT_OFFICER: (county, Organisation.objects.get(region=county, name="富民县民政局")),
    }
    plan: list[tuple[str, str, Region, Organisation | None]] = [(r, r, *places[r]) for r in places]
    for suffix, village in zip(("", "2"), villages, strict=True):
        plan += [(f"{r.value}{suffix}", r, village, None) for r in VILLAGE_ROLES]
    plan.append(
        (
            "department_officer2",
            Role.DEPARTMENT_OFFICER,
            county,
            Organisation.objects.get(region=county, name="富民县公安局"),
        )
    )
    # A second county admin: a drafter may not approve their own catalog revision.
    plan.append(("county_admin2", Role.COUNTY_ADMIN, county, None))
    created = 0
    for username, role, region, org in plan:
        if User.objects.filter(username=username).exists():
            continue
        base = DEMO_NAMES[Role(role)]
        user = user_create(
            actor=None,
            username=username,
            password=password,
            display_name=base if username == role else base + "二",
            role=role,
            region=region,
            organisation=org,
            check_password=False,
        )
        created += 1
        if role == Role.PROVINCE_ADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
    stdout.write(f"演示账号：新增 {created} 个")
