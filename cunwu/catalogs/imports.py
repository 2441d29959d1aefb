"""Catalog spreadsheets: the template per kind, imports as one draft revision, exports of a catalog in force.

An import is all-or-nothing （二）: every problem is reported with its row, column and a Chinese
explanation, and only a file without problems becomes a draft revision. Re-importing the same
content changes nothing. Exports use the same columns, so an exported file can be re-imported.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from cunwu.documents import Column, RowError, build_template, read_table, render_table_pdf, write_csv, write_table
from cunwu.errors import Conflict, Invalid

from . import kinds, rules
from .models import Revision
from .selectors import CatalogItem, catalog_in_force, region_name
from .services import DEFINING_LEVELS, revision_draft

if TYPE_CHECKING:
    from cunwu.regions.models import Region

EXAMPLE_DIR = Path(settings.BASE_DIR) / "data" / "catalogs"
# The documents module's message for an empty required cell; our own rules say it better per op.
_EMPTY_REQUIRED = "必填，不能为空"

OP_COLUMN = Column(
    "op",
    "操作",
    False,
    None,
    "不填或填“设立”“细化”“修改”：在本地区设立该事项，或以本地表述替代上级同编码事项；填“取消”：该事项在本地区不再适用（须填写设定依据）",
)
REASON_COLUMN = Column("reason", "调整理由", False, None, "可不填；说明本条为何新增、细化、修改或取消")
# （十七）: a duty or assist item the village no longer does tells villagers where they go for it now.
WHERE_NOW_COLUMN = Column(
    "where_now",
    "群众今后办理去处",
    False,
    None,
    "填“取消”时必填：群众今后到哪里办理（如乡镇便民服务中心、县政务服务中心）",
)
# Columns an export adds for readers; an import accepts and ignores them, so exports re-import.
INFO_COLUMNS = (
    Column("level", "制定层级", False, None, "导出时填写，导入时忽略"),
    Column("change", "调整类型", False, None, "导出时填写，导入时忽略"),
    Column("document", "文号", False, None, "导出时填写，导入时忽略"),
    Column("effective", "施行日期", False, None, "导出时填写，导入时忽略", is_date=True),
)


def _field_column(spec: kinds.FieldSpec, *, for_template: bool) -> Column:
    choices = None
    if spec.type == "choice" and for_template:
        choices = tuple(kinds.CHOICE_LABELS[spec.key].values())
    help_text = spec.help
    if spec.type == "choice":
        help_text = "可选：" + "、".join(kinds.CHOICE_LABELS[spec.key].values())
    # Only code and basis are required on every row, withdrawals included; the rest is checked per op.
    return Column(spec.key, spec.header, spec.required, choices, help_text)


def _change_columns(kind: str) -> list[Column]:
    return [OP_COLUMN, REASON_COLUMN, *([WHERE_NOW_COLUMN] if kind in rules.WHERE_NOW_KINDS else [])]


def import_columns(kind: str) -> list[Column]:
    return [_field_column(s, for_template=False) for s in kinds.all_fields(kind)] + [
        *_change_columns(kind),
        *INFO_COLUMNS,
    ]


def template_columns(kind: str) -> list[Column]:
    return [_field_column(s, for_template=True) for s in kinds.all_fields(kind)] + _change_columns(kind)


def example_rows(kind: str) -> list[dict[str, Any]]:
    """The example catalog of `kind` (data/catalogs/<kind>.csv), as raw rows keyed by column name."""
    with (EXAMPLE_DIR / f"{kind}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def catalog_template(kind: str) -> bytes:
    """The downloadable .xlsx for `kind`: Chinese headers, one example row, a notes sheet."""
    kinds.KINDS.index(kind)
    cleaned, _ = rules.clean_row(kind, example_rows(kind)[0])
    example = {k: _cell(k, v) for k, v in cleaned.items()}
    example["op"] = "设立"
    example["reason"] = ""
    notes = [
        f"《{kinds.KIND_LABELS[kind]}》（{kinds.KIND_ATTACHMENT[kind]}）导入模板。一个文件对应一个层级（省、州市或县市区）的一次调整。",
        "每行一个事项。整张表要么全部导入成为一份待批准的修订草稿，要么一条都不导入；有错误时逐行列出，修改后重新上传即可。",
        "细化上级事项：填写上级事项的编码和本地表述，本地表述在本地区替代上级事项。新增本地事项：使用新的编码（如 KM-R01）。",
        "在本地区取消上级事项：填写编码和设定依据，“操作”列填“取消”。",
        "每个事项都须写明设定依据（法律法规、党内法规或政策文件及条款）（十一）。",
        "与现行目录相同的行会被跳过；重复导入同一文件不会产生新的修订。",
        "修订的文号、调整类型（立、改、废、释）和施行日期在上传页面填写；批准后于施行日期起公开生效。",
        "别名、所需材料可填多个，用 | 或顿号分隔。",
    ]
    if kind in kinds.PROCEDURE_KINDS:
        notes.append(
            "运行流程（一）：每个步骤以【序号】开头，写成“【1】办理主体｜办什么｜时限（工作日）｜收到的材料｜交出的材料｜服务渠道”，"
            "办理主体写“村：承办人”“乡镇：承办机构”或“部门：部门名称”，时限为正整数个工作日，材料用顿号分隔；"
            "默认交给下一步，需要跳到其他步骤时在末尾加“｜交给的步骤序号”，不能交回前面的步骤形成循环。不填表示尚未制定。"
        )
    return build_template(kinds.KIND_SHORT[kind], template_columns(kind), example, notes)


def _cell(key: str, value: Any) -> str:
    if key == kinds.PROCEDURE.key:
        return rules.procedure_text(value)
    if isinstance(value, list | tuple):
        return "|".join(str(v) for v in value)
    if key in kinds.CHOICE_LABELS:
        return kinds.field_label(key, value)
    return "" if value is None else str(value)


@dataclass
class ImportOutcome:
    """The result of one import: the draft revision, or the problems (nothing was written)."""

    revision: Revision | None = None
    row_errors: list[RowError] = field(default_factory=list)
    field_errors: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    unchanged: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.row_errors and not self.field_errors

    @property
    def changed_nothing(self) -> bool:
        return self.ok and self.revision is None


def catalog_import(
    *,
    actor: Any,
    region: Region,
    kind: str,
    data: bytes,
    filename: str,
    change: str,
    document: str,
    effective: date | None,
    note: str = "",
) -> ImportOutcome:
    """Import an official's .xlsx or .csv for `region` as one draft revision, or report every problem."""
    outcome = ImportOutcome()
    if region.level not in DEFINING_LEVELS:
        outcome.field_errors["region"] = (
            "目录只能由省、州（市）、县（市、区）制定或细化（一）（十一）；乡镇和村不能修改目录。"
        )
        return outcome
    for p in rules.check_revision_header(change=change, document=document, effective=effective):
        outcome.field_errors[p.field] = p.message
    if len(data) > settings.UPLOAD_MAX_BYTES:
        outcome.row_errors.append(RowError(0, "", f"文件过大（{len(data) // 1024} KB），请删除多余内容或分批导入。"))
        return outcome
    columns = import_columns(kind)
    headers = {c.key: c.header for c in columns}
    result = read_table(data, filename, columns)
    outcome.row_errors += [e for e in result.errors if e.message != _EMPTY_REQUIRED]
    outcome.rows = len(result.rows)
    if result.rows:
        in_force = {i.code: i.values() for i in catalog_in_force(kind, region, effective or timezone.localdate())}
        names = [f"第{r['_row']}行" for r in result.rows]
        _, problems, unchanged = rules.check_statements(kind, result.rows, in_force, names)
        outcome.unchanged = len(unchanged)
        reported = {(e.row, e.column) for e in outcome.row_errors}
        for index, problem in problems:
            row = result.rows[index]["_row"]
            column = headers.get(problem.field, problem.field)
            if (row, column) not in reported:
                outcome.row_errors.append(RowError(row, column, problem.message))
    outcome.row_errors.sort(
        key=lambda e: (e.row, list(headers.values()).index(e.column) if e.column in headers.values() else 99)
    )
    if not outcome.ok:
        return outcome
    rows = [
        {k: v for k, v in r.items() if k in headers and k not in {c.key for c in INFO_COLUMNS}} for r in result.rows
    ]
    try:
        outcome.revision = revision_draft(
            actor=actor,
            region=region,
            kind=kind,
            change=change,
            document=document,
            effective=effective,
            rows=rows,
            note=note,
            source_name=filename,
        )
    except Conflict as exc:
        if exc.code != "no_change":
            raise
        outcome.message = exc.detail
        return outcome
    except Invalid as exc:  # the rows were checked above; this is a header or permission-free problem
        for err in exc.errors:
            parts = err.field.split(".")
            if parts[0] == "rows" and len(parts) == 3:
                outcome.row_errors.append(
                    RowError(result.rows[int(parts[1])]["_row"], headers.get(parts[2], parts[2]), err.message)
                )
            else:
                outcome.field_errors[err.field] = err.message
        return outcome
    outcome.message = f"已生成待批准的修订草稿 #{outcome.revision.pk}：{outcome.rows - outcome.unchanged} 个事项" + (
        f"，{outcome.unchanged} 行与现行目录相同已跳过。" if outcome.unchanged else "。"
    )
    return outcome


# ---------------------------------------------------------------------------- exports


def export_headers(kind: str) -> list[str]:
    return [s.header for s in kinds.all_fields(kind)] + [c.header for c in INFO_COLUMNS]


def export_rows(kind: str, items: tuple[CatalogItem, ...] | list[CatalogItem]) -> list[list[object]]:
    out = []
    for item in items:
        values = item.values()
        row: list[object] = []
        for spec in kinds.all_fields(kind):
            value = values.get(spec.key)
            row.append(value if spec.type == "int" and value is not None else _cell(spec.key, value))
        row += [region_name(item.defined_by), item.revision.change, item.revision.document, item.revision.effective]
        out.append(row)
    return out


def export_catalog(kind: str, region: Region, at: date, fmt: str) -> tuple[bytes, str, str]:
    """The catalog in force as xlsx, csv or pdf: (content, MIME type, file name)."""
    items = catalog_in_force(kind, region, at)
    headers = export_headers(kind)
    rows = export_rows(kind, items)
    stem = f"{region.code}-{kind}-{at.isoformat()}"
    if fmt == "csv":
        return write_csv(headers, rows), "text/csv; charset=utf-8", f"{stem}.csv"
    if fmt == "pdf":
        short = [s.header for s in kinds.all_fields(kind) if s.key not in ("aliases", "source", "procedure")] + [
            "制定层级"
        ]
        keep = [i for i, h in enumerate(headers) if h in short]
        subtitle = f"{region.name} · {at.isoformat()} 施行的目录 · 共 {len(items)} 项"
        if any(i.is_example for i in items):
            subtitle += " · 含示例目录（待正式目录导入后替换）"
        body = render_table_pdf(
            f"{region.name}{kinds.KIND_LABELS[kind]}", short, [[r[i] for i in keep] for r in rows], subtitle
        )
        return body, "application/pdf", f"{stem}.pdf"
    if fmt == "xlsx":
        return (
            write_table(kinds.KIND_SHORT[kind], headers, rows),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    raise Invalid.field("format", "导出格式只能是 xlsx、csv 或 pdf。")
