"""`cunwu keys rotate|list|encrypt|rotate-pii`: signing keys and the personal-data keys.

`rotate-pii` makes a new data key (and index key with `--index`) current, then re-encrypts every
encrypted column in batches, one short transaction each: the site stays up, since old keys still
decrypt. Interrupted, it is simply run again with `--resume` (no new key).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cunwu.certificates.keys import ENV_VAR, KeyConfigError, encryption_secret, signing_key_rotate, signing_keys_encrypt
from cunwu.certificates.models import SigningKey
from cunwu.ledger.keys import ledger_keys_encrypt
from cunwu.privacy.services import data_keys_encrypt, pii_keys_rotate, pii_reencrypt


class Command(BaseCommand):
    help = "证明签名密钥：rotate 轮换（旧公钥继续公开）、list 列出、encrypt 加密仍以明文保存的私钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate", help="生成新的签名密钥；旧密钥停止签名但公钥仍在 JWKS 中发布")
        sub.add_parser("list", help="列出全部签名密钥（不显示私钥）")
        sub.add_parser("encrypt", help=f"用 {ENV_VAR} 加密仍以明文保存的私钥（证明、存证签名密钥与个人信息密钥）")
        pii = sub.add_parser("rotate-pii", help="轮换个人信息加密密钥并分批重新加密（不停机）")
        pii.add_argument("--batch", type=int, default=500, help="每批重新加密的行数（默认 500）")
        pii.add_argument("--index", action="store_true", help="同时轮换检索（HMAC）密钥")
        pii.add_argument("--resume", action="store_true", help="不生成新密钥，只把尚未换用当前密钥的行重新加密")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "rotate":
                row = signing_key_rotate(actor="cli")
                self.stdout.write(
                    self.style.SUCCESS(
                        f"新的签名密钥 {row.kid}（{'已加密' if row.encrypted else '未加密'}）；旧公钥继续在 /.well-known/jwks.json 发布。"
                    )
                )
            elif action == "encrypt":
                count = signing_keys_encrypt(actor="cli")
                ledger = ledger_keys_encrypt(actor="cli")
                data = data_keys_encrypt(actor="cli")
                self.stdout.write(
                    self.style.SUCCESS(
                        f"已加密 {count} 个证明签名私钥、{ledger} 个存证签名私钥、{data} 个个人信息密钥。"
                    )
                )
            elif action == "rotate-pii":
                self.rotate_pii(options)
            else:
                for k in SigningKey.objects.order_by("created_at"):
                    state = (
                        "当前"
                        if k.current
                        else f"已停用 {timezone.localtime(k.retired_at):%Y-%m-%d %H:%M}"
                        if k.retired_at
                        else "停用"
                    )
                    self.stdout.write(
                        f"{k.kid}  {timezone.localtime(k.created_at):%Y-%m-%d %H:%M}  {state}  {'加密' if k.encrypted else '明文'}"
                    )
        except KeyConfigError as exc:
            raise CommandError(str(exc)) from exc
        if not encryption_secret():
            self.stderr.write(
                self.style.WARNING(f"警告：未设置 {ENV_VAR}，签名私钥和个人信息密钥以明文保存在数据库中。")
            )

    def rotate_pii(self, options: dict[str, Any]) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch 应为正整数。")
        if not options["resume"]:
            made = pii_keys_rotate(actor="cli", index=options["index"])
            self.stdout.write(f"新的个人信息密钥：{'、'.join(k.kid for k in made)}。")
        done = pii_reencrypt(batch=options["batch"], progress=lambda label, n: self.stdout.write(f"  {label}：{n} 行"))
        total = sum(done.values())
        self.stdout.write(self.style.SUCCESS(f"已用当前密钥重新加密 {total} 行（{len(done)} 张表）。"))
