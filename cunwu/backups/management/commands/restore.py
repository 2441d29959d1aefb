"""`cunwu restore FILE [--force]`: check an archive, load it into an empty place, verify the chains."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.backups.archive import BackupError, backup_restore


class Command(BaseCommand):
    help = "恢复：校验备份文件后写入空的数据库和上传目录，最后校验存证链。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="cunwu backup 写出的备份文件")
        parser.add_argument("--force", action="store_true", help="数据库或上传目录已有数据时仍然覆盖")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(Path(options["file"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(f"未恢复：{exc}") from exc
        rows = sum(manifest.tables.values())
        self.stdout.write(
            f"已恢复 {manifest.created_at} 的备份：{len(manifest.tables)} 张表 {rows} 行，{len(manifest.files)} 个文件。"
        )
        call_command("audit", "verify", stdout=self.stdout, stderr=self.stderr)
