"""`cunwu partitions ensure|show`: the yearly partitions of the audit log and the chain entries (PostgreSQL).

cunwu partitions ensure --years-ahead 2     # monthly (systemd timer); idempotent
cunwu partitions show
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from cunwu import partitions


class Command(BaseCommand):
    help = "按年分区（仅 PostgreSQL）：ensure 预先建好今年及以后若干年的分区，并把默认分区里的记录移入所属年份；show 列出分区。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ensure|show")
        ensure = sub.add_parser("ensure", help="建好今年及以后若干年的分区（可重复运行）")
        ensure.add_argument("--years-ahead", type=int, default=2, help="提前建几年的分区（默认 2）")
        sub.add_parser("show", help="列出各表的分区及其行数")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("当前数据库不是 PostgreSQL：不分区，无需操作。")
            return
        if options["action"] == "ensure":
            made = partitions.ensure(max(0, options["years_ahead"]))
            if made:
                self.stdout.write(self.style.SUCCESS(f"新建 {len(made)} 个分区：{'、'.join(made)}。"))
            else:
                self.stdout.write("分区齐全，无需新建。")
            return
        with connection.cursor() as cursor:
            for p in partitions.PARTITIONED:
                if not partitions.is_partitioned(cursor, p.table):
                    self.stdout.write(f"{p.table}：未分区")
                    continue
                self.stdout.write(f"{p.table}（按 {p.column} 分年）：")
                for name, bound in partitions.partitions(cursor, p.table):
                    cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - name from the catalogue
                    self.stdout.write(f"  {name}  {bound}  {cursor.fetchone()[0]} 行")
