"""`cunwu province-admin USERNAME --name 姓名 --region CODE`: the only way to make a province admin.

No page or API grants that role (accounts.permissions.ROLE_GRANTS): whoever runs this has the server.
The password is generated, printed once, and must be changed at first sign-in.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cunwu.accounts.models import User
from cunwu.accounts.permissions import Role
from cunwu.accounts.services import user_create
from cunwu.errors import DomainError
from cunwu.regions.selectors import region_get


class Command(BaseCommand):
    help = "设立省级管理员账号（只能在服务器命令行办理）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="姓名")
        parser.add_argument("--region", required=True, help="省级区划代码（12位）")

    def handle(self, *args: Any, username: str, name: str, region: str, **options: Any) -> None:
        password = secrets.token_urlsafe(12)
        try:
            with transaction.atomic():
                user = user_create(
                    actor=None,
                    username=username,
                    password=password,
                    display_name=name,
                    role=Role.PROVINCE_ADMIN,
                    region=region_get(region),
                    check_password=False,
                )
                # Set here by a person at the console: changed at first sign-in like any admin-set password.
                User.objects.filter(pk=user.pk).update(must_change_password=True)
        except DomainError as exc:
            errors = getattr(exc, "errors", None) or []
            raise CommandError("；".join(e.message for e in errors) or exc.detail) from exc
        self.stdout.write(f"已设立省级管理员 {user.username}，初始密码：{password}（仅显示这一次，首次登录后须修改）")
