"""Small builders for catalog tests; every write goes through the services."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook

from cunwu.catalogs.imports import example_rows
from cunwu.catalogs.models import Revision
from cunwu.catalogs.services import revision_approve, revision_draft
from cunwu.regions.models import Region

PROVINCE = "530000000000"
KUNMING = "530100000000"
FUMIN = "530124000000"
OTHER_COUNTY = "530125000000"  # 宜良县, also under 昆明市
VILLAGE = "530124103200"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def retained_row(code: str = "R05", name: str | None = None, **extra: Any) -> dict[str, Any]:
    """An example retained item (same wording as the province base) with some fields changed."""
    examples = {r["code"]: r for r in example_rows("cert_retained")}
    row = dict(examples.get(code) or examples["R05"], code=code)
    if name is not None:
        row["name"] = name
    row.update(extra)
    return row


def make_revision(
    *,
    rows: list[dict[str, Any]],
    code: str = FUMIN,
    kind: str = "cert_retained",
    effective: date = date(2024, 3, 1),
    change: str = "改",
    document: str = "测试〔2024〕1号",
    actor: Any = None,
    approver: Any = None,
    approve: bool = True,
) -> Revision:
    revision = revision_draft(
        actor=actor,
        region=region(code),
        kind=kind,
        change=change,
        document=document,
        effective=effective,
        rows=rows,
    )
    if approve:
        revision = revision_approve(actor=approver, revision=revision)
    return revision


def xlsx(rows: list[list[Any]], *, sheet: str = "保留证明事项") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


RETAINED_HEADERS = ["编码", "事项名称", "别名", "设定依据", "来源", "索要单位", "所需材料", "办事指南"]
