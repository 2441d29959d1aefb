"""`cunwu backup --output FILE`: one archive with the database, the uploaded files and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.backups.archive import BackupError, backup_create


class Command(BaseCommand):
    help = "备份：把数据库、上传文件和清单写入一个备份文件（应用运行时也可备份，内容一致）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, metavar="FILE", help="备份文件路径（.tar.gz）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_create(Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{options['output']}（{manifest.engine}，{len(manifest.tables)} 张表 {rows} 行，"
                f"{len(manifest.files)} 个文件）。"
            )
        )
