"""`cunwu import-catalog KIND FILE --region CODE [--document 文号] [--effective DATE] [--change 立|改|废|释]`.

Does what the import page does: the whole file becomes one draft revision of the region's level,
or every problem is printed with its row and column and nothing changes. `--approve` publishes it
at once (for an operator loading an approved official catalog; the system is recorded as approver).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cunwu.accounts.models import User
from cunwu.documents import parse_date
from cunwu.errors import DomainError

from ... import kinds
from ...forms import region_param
from ...imports import catalog_import
from ...services import revision_approve


class Command(BaseCommand):
    help = "从 xlsx 或 csv 导入目录，生成一份修订草稿（全部导入或一条不导入）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="目录：" + "、".join(f"{k}（{kinds.KIND_SHORT[k]}）" for k in kinds.KINDS))
        parser.add_argument("file", help="按模板填写的 .xlsx，或 UTF-8、GBK 编码的 .csv")
        parser.add_argument("--region", required=True, help="制定层级的12位区划代码（省、州市或县市区）")
        parser.add_argument("--document", default="", help="文号，如“云民发〔2027〕3号”")
        parser.add_argument("--effective", default="", help="施行日期 YYYY-MM-DD（默认今天）")
        parser.add_argument(
            "--change", default="立", choices=list(kinds.CHANGES), help="调整类型：立、改、废、释（默认 立）"
        )
        parser.add_argument("--note", default="", help="说明")
        parser.add_argument("--actor", default="", help="记为起草人的用户名（默认：系统）")
        parser.add_argument("--approve", action="store_true", help="导入后立即批准并于施行日期公开（由系统批准）")

    def handle(
        self,
        *args: Any,
        kind: str,
        file: str,
        region: str,
        document: str,
        effective: str,
        change: str,
        note: str,
        actor: str,
        approve: bool,
        **options: Any,
    ) -> None:
        if kind not in kinds.KINDS:
            raise CommandError(f"没有名为“{kind}”的目录。可选：{'、'.join(kinds.KINDS)}。")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        try:
            place = region_param(region)
            day = parse_date(effective) if effective else None
        except (DomainError, ValueError) as exc:
            raise CommandError(getattr(exc, "detail", None) or str(exc)) from exc
        if day is None:
            from django.utils import timezone

            day = timezone.localdate()
        user = None
        if actor:
            user = User.objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"没有用户名为 {actor} 的账号。")
        try:
            outcome = catalog_import(
                actor=user,
                region=place,
                kind=kind,
                data=path.read_bytes(),
                filename=path.name,
                change=change,
                document=document,
                effective=day,
                note=note,
            )
        except DomainError as exc:
            raise CommandError(exc.detail) from exc
        if not outcome.ok:
            for name, message in outcome.field_errors.items():
                option = {
                    "document": "--document",
                    "effective": "--effective",
                    "change": "--change",
                    "region": "--region",
                }.get(name, name)
                self.stderr.write(f"{option}：{message}")
            for e in outcome.row_errors:
                where = f"第{e.row}行" if e.row else "文件"
                self.stderr.write(f"{where}{('“' + e.column + '”') if e.column else ''}：{e.message}")
            raise CommandError(f"共 {len(outcome.field_errors) + len(outcome.row_errors)} 处问题，未导入任何内容。")
        if outcome.revision is None:
            self.stdout.write(outcome.message)
            return
        self.stdout.write(outcome.message)
        if approve:
            try:
                revision = revision_approve(actor=None, revision=outcome.revision)
            except DomainError as exc:
                raise CommandError(exc.detail) from exc
            self.stdout.write(
                self.style.SUCCESS(
                    f"已批准修订 #{revision.pk}，自 {revision.effective:%Y-%m-%d} 起在{place.name}公开施行。"
                )
            )
