"""`cunwu audit verify [--chain CODE] [--checkpoints FILE]`: recompute every hash chain and compare it with the checkpoints.

Exit status 0 with a summary when every chain holds; 1 naming the first problem (village code,
sequence number, what is wrong in Chinese and the English problem id) when one does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.ledger import rules
from cunwu.ledger.selectors import VerifyStats, chain_verify_iter

MAX_LISTED = 20


class Command(BaseCommand):
    help = "校验存证链：verify 重新计算每条村级存证链并与公示的存证点比对。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="verify")
        verify = sub.add_parser("verify", help="重新计算全部存证链（或 --chain 指定的一条）")
        verify.add_argument("--chain", default=None, help="只校验这个村（社区）的链（12 位区划代码）")
        verify.add_argument(
            "--checkpoints",
            default=None,
            metavar="FILE",
            help="另行保存的存证点副本（/api/v1/ledger/heads 返回的 JSON），连同数据库中的存证点一起比对",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options.get("chain"), options.get("checkpoints"))

    def verify(self, chain: str | None, checkpoints_file: str | None) -> None:
        if chain is not None and not rules.valid_chain(chain):
            raise CommandError(f"--chain 应为 12 位村（社区）区划代码，收到：{chain}")
        published = _load_published(checkpoints_file) if checkpoints_file else None
        stats = VerifyStats()
        problems = list(chain_verify_iter(chain, stats, published=published))
        rate = stats.entries / stats.seconds if stats.seconds else 0.0
        copies = f"，{stats.published} 个存证点副本" if published is not None else ""
        summary = (
            f"{stats.chains} 条链，{stats.entries} 条记录，{stats.checkpoints} 个最新存证点{copies}，"
            f"用时 {stats.seconds:.2f} 秒（{rate:,.0f} 条/秒）"
        )
        if not problems:
            self.stdout.write(self.style.SUCCESS(f"存证链校验通过：{summary}。"))
            return
        first = problems[0]
        for problem in problems[1:MAX_LISTED]:
            self.stderr.write(f"  另：{problem.message}（{problem.problem}）")
        if len(problems) > MAX_LISTED:
            self.stderr.write(f"  ……另有 {len(problems) - MAX_LISTED} 条链有问题。")
        raise CommandError(
            f"存证链校验未通过（{len(problems)} 条链有问题；{summary}）。首个问题：村（社区）{first.chain}，"
            f"第 {first.seq} 条，{first.label}（{first.problem}）：{first.message}",
            returncode=1,
        )


def _load_published(path: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"无法读取存证点副本 {path}：{exc.strerror or exc}") from exc
    except ValueError as exc:
        raise CommandError(f"存证点副本 {path} 不是有效的 JSON：{exc}") from exc
    try:
        return rules.parse_published(data)
    except ValueError as exc:
        raise CommandError(f"存证点副本 {path} 有误：{exc}") from exc
