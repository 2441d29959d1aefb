"""`cunwu ledger checkpoint|witness|rotate-key`: publish and sign chain heads (hourly); witness them.

    cunwu ledger checkpoint                     # hourly (cron / systemd timer)
    cunwu ledger witness --url https://… --log-key 'name+id+key' --key witness.key --name NAME \\
        --history cosigned.txt [--generate-key]
    cunwu ledger rotate-key
"""

from __future__ import annotations

import urllib.request
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.keywrap import KeyConfigError
from cunwu.ledger import notes, rules, witness
from cunwu.ledger.keys import ledger_key_rotate
from cunwu.ledger.selectors import tree_head_latest
from cunwu.ledger.services import checkpoint_create_all

TIMEOUT = 20
MAX_BYTES = 1024 * 1024


def _fetch(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise witness.WitnessError(f"只能访问 http(s) 地址：{url}")
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - scheme checked above
        return response.read(MAX_BYTES)


class Command(BaseCommand):
    help = "存证链维护：checkpoint 每小时为有新记录的链生成存证点并签署存证树；witness 见证并副署；rotate-key 轮换签名密钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="checkpoint|witness|rotate-key")
        sub.add_parser("checkpoint", help="为有新记录的链生成存证点并签署存证树（每小时运行）；新增部分先校验")
        w = sub.add_parser("witness", help="取得签名存证点，验证签名与一致性后用见证方密钥副署")
        w.add_argument("--url", required=True, help="平台地址，如 https://cunwu.example.gov.cn")
        w.add_argument("--log-key", required=True, help="平台公布的验证密钥（/.well-known/ledger-key 的一行）")
        w.add_argument("--key", required=True, type=Path, help="见证方私钥文件")
        w.add_argument("--name", required=True, help="见证方名称，如 prefecture.example.gov.cn/witness")
        w.add_argument("--history", required=True, type=Path, help="副署过的存证点（追加写入）")
        w.add_argument("--generate-key", action="store_true", help="私钥文件不存在时生成")
        sub.add_parser("rotate-key", help="轮换存证签名密钥（旧验证密钥继续公布）")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "checkpoint":
                self.checkpoint()
            elif action == "witness":
                self.witness(options)
            else:
                row = ledger_key_rotate(actor="cli")
                self.stdout.write(
                    self.style.SUCCESS(f"新的存证签名密钥（{'已加密' if row.encrypted else '未加密'}）。")
                )
        except KeyConfigError as exc:
            raise CommandError(str(exc)) from exc

    def checkpoint(self) -> None:
        problems: list[rules.ChainProblem] = []
        made = checkpoint_create_all(problems=problems)
        head = tree_head_latest()
        signed = f"签名存证点：树大小 {head.size}。" if head else "尚无签名存证点。"
        self.stdout.write(f"新生成 {made} 个存证点。{signed}")
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem.message}（{problem.problem}）")
            raise CommandError(
                f"{len(problems)} 条链校验未通过，未为其生成存证点。请运行 cunwu audit verify 查看。", returncode=1
            )

    def witness(self, options: dict[str, Any]) -> None:
        key_path: Path = options["key"]
        try:
            log_key = notes.parse_verifier(options["log_key"])
            if not key_path.exists() and options["generate_key"]:
                private = witness.key_create(key_path)
            else:
                private = witness.key_load(key_path)
            cosigned = witness.witness_once(
                base_url=options["url"],
                fetch=_fetch,
                log_key=log_key,
                name=options["name"],
                private=private,
                history=options["history"],
            )
        except (notes.NoteError, witness.WitnessError, OSError, ValueError) as exc:
            raise CommandError(f"见证未完成：{exc}", returncode=1) from exc
        self.stdout.write(cosigned.text())
        self.stderr.write(f"见证方验证密钥：{witness.cosigner_key(options['name'], private)}")
