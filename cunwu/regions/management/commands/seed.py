"""`cunwu seed --scale demo|yunnan [--years N [--fraction F]]`: divisions, generated villages, each
app's demo data, and (with --years) N years of certificate and seal activity in every village."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from cunwu.plugins import app_modules
from cunwu.regions.seeding import seed_regions


class Command(BaseCommand):
    help = "载入行政区划并生成演示数据（可重复执行，不会重复写入）；--years 另生成全省若干年的业务数据。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["demo", "yunnan"], default="demo")
        parser.add_argument("--seed", type=int, default=2027, help="随机种子：相同种子生成相同的村和业务数据")
        parser.add_argument(
            "--years",
            type=int,
            default=0,
            help="另为每个村生成这么多年的证明申请、用印和存证链（仅 PostgreSQL）",
        )
        parser.add_argument("--jobs", type=int, default=2, help="生成业务数据的进程数（各自用 COPY 载入）")
        parser.add_argument(
            "--fraction", type=float, default=1.0, help="只为这一比例的村（均匀抽取）生成业务数据，用于分段测量"
        )

    def handle(self, *args: Any, scale: str, seed: int, years: int, fraction: float, jobs: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("生产环境（CUNWU_ENV=production）不载入演示数据和演示账号。")
        if years:
            if not 1 <= years <= 10 or not 0 < fraction <= 1:
                raise CommandError("--years 应为 1–10，--fraction 应大于 0、不大于 1。")
            if connection.vendor != "postgresql":
                raise CommandError(
                    "按年生成全省业务数据只支持 PostgreSQL（用 COPY 载入约千万行）；"
                    "SQLite 请不带 --years 运行，或设置 DATABASE_URL 指向 PostgreSQL。"
                )
        started = time.perf_counter()
        result = seed_regions(scale, seed)
        self.stdout.write(
            f"行政区划：新增 {result.regions} 条（其中村、社区 {result.villages} 个，组织 {result.organisations} 个）"
        )
        # Each app may add demo data in `<app>/demo.py`: def seed(scale: str, stdout) -> None.
        for module in app_modules("demo"):
            module.seed(scale=scale, stdout=self.stdout)
        if years:
            self.seed_years(years, fraction, seed, max(1, jobs))
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {time.perf_counter() - started:.1f} 秒"))

    def seed_years(self, years: int, fraction: float, seed: int, jobs: int) -> None:
        from cunwu.scale.history import generate

        try:
            stats = generate(years=years, fraction=fraction, seed=seed, jobs=jobs, stdout=self.stdout)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        analyze = time.perf_counter() - started
        self.stdout.write(
            f"业务数据（{years} 年，{stats.villages} 个村）：证明申请 {stats.applications:,} 件（出具 {stats.certificates:,}，"
            f"不予出具 {stats.refused:,}），用印 {stats.seal_uses:,} 次，存证链记录 {stats.chain_entries:,} 条，"
            f"操作日志 {stats.audit_rows:,} 条，人员 {stats.users:,} 名"
        )
        work = stats.activity.get("rows", {})
        if work:
            self.stdout.write(
                f"县级工作（{stats.activity['counties']} 个县）："
                + "，".join(f"{t} {n:,}" for t, n in sorted(work.items()))
            )
            took = stats.activity["seconds"]
            copied = sum(v for k, v in took.items() if k.startswith("copy "))
            self.stdout.write(
                f"县级工作用时：准备 {took['prepare']:.1f} 秒，生成并载入 {took['generate_and_copy']:.1f} 秒"
                f"（生成 {took['generate']:.1f} 进程秒，COPY {copied:.1f} 进程秒）"
            )
        copy = "，".join(f"{t} {s:.1f} 秒" for t, s in sorted(stats.copy_seconds.items(), key=lambda kv: -kv[1]))
        phases = "，".join(f"{name} {seconds:.1f} 秒" for name, seconds in stats.phases.items())
        self.stdout.write(
            f"用时：{phases}，ANALYZE {analyze:.1f} 秒（生成共 {stats.generate_seconds:.1f} 进程秒、"
            f"CPU {stats.generate_cpu_seconds:.1f} 秒，"
            f"含签名 {stats.sign_seconds:.1f}、加密 {stats.encrypt_seconds:.1f}）；COPY 分表（进程秒）：{copy}"
        )
