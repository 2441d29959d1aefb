"""`cunwu seals verify [--region CODE]`: every stamping in the register agrees with its chain entry.

`cunwu audit verify` proves the hash chains hold; this adds the other half: that the seals register
(seals_sealuse) still says what its chain entry says, and that every seal-use entry has its row.
Exit status 0 when all agree; 1 naming the first disagreement.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.seals.selectors import register_problems


class Command(BaseCommand):
    help = "印章用印登记核验：verify 比对每条用印登记与其存证链记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        verify = sub.add_parser("verify", help="比对用印登记簿与存证链")
        verify.add_argument("--region", default=None, help="只核验这个区划（村、乡镇或县）下的登记")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problems = register_problems(region=options.get("region"))
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"用印登记核验通过：{checked} 条用印登记均与存证链一致。"))
            return
        for problem in problems[1:20]:
            self.stderr.write(f"  另：{problem}")
        raise CommandError(
            f"用印登记核验未通过（{len(problems)} 处不一致，共核验 {checked} 条）。首个问题：{problems[0]}",
            returncode=1,
        )
