"""`cunwu signs_scan [--region CODE]`: the sign compliance scan, stored and printed per county （九）."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.errors import DomainError
from cunwu.regions import codes
from cunwu.regions.selectors import region_get
from cunwu.signs import rules
from cunwu.signs.services import scan_record


class Command(BaseCommand):
    help = "扫描全省（或指定区划）各村（社区）挂牌是否符合保留挂牌目录，按县汇总并保存结果。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", default=codes.PROVINCE_CODE, help="区划代码，默认云南省")

    def handle(self, *args: Any, region: str, **options: Any) -> None:
        try:
            place = region_get(region)
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        report = scan_record(actor=None, region=place)
        self.stdout.write(
            f"{place.name}：{report.villages} 个村（社区），在挂牌子 {report.plates} 块，用时 {report.seconds:.1f} 秒"
        )
        self.stdout.write(
            "区划代码\t名称\t村（社区）\t合规\t牌子\t" + "\t".join(rules.PROBLEM_LABELS[p] for p in rules.SIGN_CLAUSES)
        )
        for row in report.rows:
            figures = "\t".join(str(row["problems"].get(p, 0)) for p in rules.SIGN_CLAUSES)
            self.stdout.write(
                f"{row['code']}\t{row['name']}\t{row['villages']}\t{row['compliant_villages']}\t{row['plates']}\t{figures}"
            )
