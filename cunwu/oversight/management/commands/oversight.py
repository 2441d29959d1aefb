"""`cunwu oversight refresh|alerts`: the scheduled jobs of burden monitoring.

refresh  recounts the current and previous month from every app's burden module (run it every
         minute from cron or a systemd timer); --since YYYY-MM recounts from that month on.
alerts   evaluates the alert rules over the stored counts and raises new alerts (run daily).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cunwu.oversight import aggregation, rules, services


class Command(BaseCommand):
    help = "负担监测：refresh 刷新预汇总数据；alerts 按预警规则生成预警。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="refresh|alerts")
        refresh = sub.add_parser("refresh", help="重新统计本月和上月（或 --since 起各月）的负担指标")
        refresh.add_argument("--since", default=None, help="从这个月（YYYY-MM）起重新统计到本月")
        sub.add_parser("alerts", help="按预警规则生成预警")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "alerts":
            raised = services.alerts_raise()
            self.stdout.write(self.style.SUCCESS(f"生成预警 {len(raised)} 条。"))
            return
        today = timezone.localdate()
        months = aggregation.recent_months(today)
        since = options.get("since")
        if since:
            if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", since):
                raise CommandError("--since 应为 YYYY-MM，如 2025-01。")
            months = []
            day = rules.month_start(since)
            while day <= today:
                months.append(day.strftime("%Y-%m"))
                day = rules.next_month(day)
        rows = aggregation.refresh_months(months)
        self.stdout.write(self.style.SUCCESS(f"已刷新 {len(months)} 个月，{rows} 行预汇总数据。"))
