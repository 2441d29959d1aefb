"""`cunwu seed --scale demo|yunnan`: divisions, generated villages, then each app's demo data."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.plugins import app_modules
from cunwu.regions.seeding import seed_regions


class Command(BaseCommand):
    help = "载入行政区划并生成演示数据（可重复执行，不会重复写入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["demo", "yunnan"], default="demo")
        parser.add_argument("--seed", type=int, default=2027, help="随机种子：相同种子生成相同的村")

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境（CUNWU_ENV=production）不载入演示数据和演示账号。")
        started = time.perf_counter()
        result = seed_regions(scale, seed)
        self.stdout.write(
            f"行政区划：新增 {result.regions} 条（其中村、社区 {result.villages} 个，组织 {result.organisations} 个）"
        )
        # Each app may add demo data in `<app>/demo.py`: def seed(scale: str, stdout) -> None.
        for module in app_modules("demo"):
            module.seed(scale=scale, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.perf_counter() - started:.1f} 秒"))
