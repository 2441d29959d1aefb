"""`cunwu ledger checkpoint`: publish the head of every chain that moved (run daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.ledger import rules
from cunwu.ledger.services import checkpoint_create_all


class Command(BaseCommand):
    help = "存证链维护：checkpoint 为有新记录的每条链生成并公示存证点（每天运行）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="checkpoint")
        sub.add_parser("checkpoint", help="为有新记录的链生成存证点；新增部分先校验，未通过的链不生成")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            problems: list[rules.ChainProblem] = []
            made = checkpoint_create_all(problems=problems)
            self.stdout.write(f"新生成 {made} 个存证点。")
            if problems:
                for problem in problems:
                    self.stderr.write(f"  {problem.message}（{problem.problem}）")
                raise CommandError(
                    f"{len(problems)} 条链校验未通过，未为其生成存证点。请运行 cunwu audit verify 查看。", returncode=1
                )
