"""Test data through the services: `make_user` creates an account with one or more roles."""

from __future__ import annotations

from typing import Any

from cunwu.accounts.models import User
from cunwu.accounts.services import membership_add, user_create
from cunwu.regions.models import Organisation, Region

PASSWORD = "Gx7-village-2027"
WUHUA = "530102000000"  # 五华区: another county of 昆明市, outside 富民县


def make_user(
    username: str,
    role: str,
    region: str,
    *,
    organisation: str | None = None,
    phone: str = "",
    display_name: str = "测试人员",
) -> User:
    """An account holding `role` at `region` (organisation by name for department officers)."""
    org = Organisation.objects.get(name=organisation) if organisation else None
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        display_name=display_name,
        role=role,
        region=Region.objects.get(code=region),
        organisation=org,
        phone=phone,
    )


def add_role(user: User, role: str, region: str, *, organisation: str | None = None) -> Any:
    org = Organisation.objects.get(name=organisation) if organisation else None
    return membership_add(actor=None, user=user, role=role, region=Region.objects.get(code=region), organisation=org)


def department(name: str, region: str) -> Organisation:
    return Organisation.objects.create(region_id=region, name=name, kind="department")
