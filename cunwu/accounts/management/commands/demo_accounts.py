"""Print the demo accounts and their password (the password is the local demo one, never a real one)."""

from typing import Any

from django.core.management.base import BaseCommand

from cunwu.accounts.demo import demo_accounts, demo_password


class Command(BaseCommand):
    help = "列出演示账号。"

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_accounts()
        if not rows:
            self.stdout.write("尚无演示账号，请先运行 cunwu seed --scale demo。")
            return
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码均为：{demo_password()} ；设置 CUNWU_DEMO_PASSWORD 可更改）")
        for username, role, region in rows:
            self.stdout.write(f"  {username:<22} {role:<14} {region}")
        self.stdout.write("")
