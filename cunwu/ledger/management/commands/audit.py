"""`cunwu audit verify [--chain CODE] [--checkpoints FILE] [--log-key K] [--witness-key K …]`.

Recomputes every hash chain and compares it with the checkpoints, then the Merkle tree of all chain
heads with every signed checkpoint. FILE is either the JSON of `GET /api/v1/ledger/heads` or signed
checkpoints (C2SP notes, e.g. a witness's history): their signatures, the cosignatures of every
`--witness-key`, and their roots against the database are checked. Exit status 0 with a summary when
everything holds; 1 naming the first problem when anything does not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.ledger import notes, rules
from cunwu.ledger.selectors import TreeProblem, VerifyStats, chain_verify_iter, tree_verify

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
            help="另行保存的存证点副本：/api/v1/ledger/heads 返回的 JSON，或签名存证点（见证方副署的文本）",
        )
        verify.add_argument("--log-key", default=None, help="另行保存的平台验证密钥（不设则用数据库中的公钥）")
        verify.add_argument(
            "--witness-key", action="append", default=[], help="见证方验证密钥：每个副本上都须有其有效副署（可多次）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options.get("chain"), options.get("checkpoints"), options)

    def verify(self, chain: str | None, checkpoints_file: str | None, options: dict[str, Any]) -> None:
        if chain is not None and not rules.valid_chain(chain):
            raise CommandError(f"--chain 应为 12 位村（社区）区划代码，收到：{chain}")
        published, saved = _load_copies(checkpoints_file) if checkpoints_file else (None, [])
        tree_problems = self.verify_tree(saved, options)
        stats = VerifyStats()
        problems = list(chain_verify_iter(chain, stats, published=published))
        rate = stats.entries / stats.seconds if stats.seconds else 0.0
        copies = f"，{stats.published} 个存证点副本" if published is not None else ""
        summary = (
            f"{stats.chains} 条链，{stats.entries} 条记录，{stats.checkpoints} 个最新存证点{copies}，"
            f"用时 {stats.seconds:.2f} 秒（{rate:,.0f} 条/秒）"
        )
        if tree_problems and not problems:
            raise CommandError(
                f"存证链校验未通过（签名存证点有 {len(tree_problems)} 处问题；{summary}）。"
                f"首个问题（{tree_problems[0].problem}）：{tree_problems[0].message}",
                returncode=1,
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

    def verify_tree(self, saved: list[notes.Note], options: dict[str, Any]) -> list[TreeProblem]:
        """Signed checkpoints (stored and saved) against the tree of chain heads; problems go to stderr."""
        try:
            log_keys = [notes.parse_verifier(options["log_key"])] if options.get("log_key") else None
            witnesses = [notes.parse_verifier(k) for k in options.get("witness_key") or []]
        except notes.NoteError as exc:
            raise CommandError(f"验证密钥有误：{exc}") from exc
        try:
            problems = tree_verify(saved, log_keys=log_keys, witness_keys=witnesses)
        except notes.NoteError as exc:
            problems = [TreeProblem(0, "bad_signature", f"数据库中的签名存证点无法解析：{exc}")]
        for problem in problems[:MAX_LISTED]:
            self.stderr.write(f"  签名存证点：{problem.message}（{problem.problem}）")
        if saved and not problems:
            cosigned = (
                f"，{len(witnesses)} 个见证方的副署均有效" if witnesses else "（未指定 --witness-key，未核对副署）"
            )
            self.stdout.write(f"{len(saved)} 个签名存证点副本签名有效、与数据库一致{cosigned}。")
        return problems


def _load_copies(path: str) -> tuple[list[dict[str, Any]] | None, list[notes.Note]]:
    """(heads JSON rows, None) for the JSON of /api/v1/ledger/heads; (None, notes) for signed checkpoints."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取存证点副本 {path}：{getattr(exc, 'strerror', None) or exc}") from exc
    if text.lstrip()[:1] not in ("{", "["):
        try:
            return None, notes.parse_notes(text)
        except notes.NoteError as exc:
            raise CommandError(f"签名存证点副本 {path} 有误：{exc}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"存证点副本 {path} 不是有效的 JSON：{exc}") from exc
    try:
        return rules.parse_published(data), []
    except ValueError as exc:
        raise CommandError(f"存证点副本 {path} 有误：{exc}") from exc
