"""`cunwu keys rotate|list|encrypt`: the Ed25519 keys that sign certificate tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cunwu.certificates.keys import ENV_VAR, KeyConfigError, encryption_secret, signing_key_rotate, signing_keys_encrypt
from cunwu.certificates.models import SigningKey


class Command(BaseCommand):
    help = "证明签名密钥：rotate 轮换（旧公钥继续公开）、list 列出、encrypt 加密仍以明文保存的私钥。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rotate", help="生成新的签名密钥；旧密钥停止签名但公钥仍在 JWKS 中发布")
        sub.add_parser("list", help="列出全部签名密钥（不显示私钥）")
        sub.add_parser("encrypt", help=f"用 {ENV_VAR} 加密仍以明文保存的私钥")

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
                self.stdout.write(self.style.SUCCESS(f"已加密 {count} 个签名私钥。"))
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
            self.stderr.write(self.style.WARNING(f"警告：未设置 {ENV_VAR}，签名私钥以明文保存在数据库中。"))
