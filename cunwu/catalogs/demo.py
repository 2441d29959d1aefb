"""The example catalogs (data/catalogs/*.csv) as the province's base, labelled 示例目录.

They go through the same import as an official's spreadsheet (立, 示例目录, 2023-01-01) and are
approved by the system, so the demo and the tests start from a published province base.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cunwu.regions import codes
from cunwu.regions.models import Region

from . import kinds
from .imports import EXAMPLE_DIR, catalog_import, example_rows
from .models import Revision, RevisionStatus
from .selectors import EXAMPLE_DOCUMENT
from .services import revision_approve

PROVINCE = codes.PROVINCE_CODE
EXAMPLE_EFFECTIVE = date(2023, 1, 1)
EXAMPLE_NOTE = "据已公开的国家和外省清单整理的示例目录，待云南省正式目录公布后以正式目录替换（来源列注明每条出处）。"

__all__ = ["EXAMPLE_DOCUMENT", "EXAMPLE_EFFECTIVE", "example_rows", "load_examples", "seed"]


def load_examples() -> int:
    """Load each example catalog once as an approved province revision (立, 示例目录)."""
    province = Region.objects.get(code=PROVINCE)
    loaded = 0
    for kind in kinds.KINDS:
        if (
            Revision.objects.filter(region=province, kind=kind, document=EXAMPLE_DOCUMENT)
            .exclude(status=RevisionStatus.DISCARDED)
            .exists()
        ):
            continue
        path = EXAMPLE_DIR / f"{kind}.csv"
        outcome = catalog_import(
            actor=None,
            region=province,
            kind=kind,
            data=path.read_bytes(),
            filename=path.name,
            change="立",
            document=EXAMPLE_DOCUMENT,
            effective=EXAMPLE_EFFECTIVE,
            note=EXAMPLE_NOTE,
        )
        if not outcome.ok or outcome.revision is None:
            problems = "; ".join(f"{e.row}行{e.column}：{e.message}" for e in outcome.row_errors) or outcome.message
            raise RuntimeError(f"示例目录 {path.name} 无法载入：{problems}")
        revision_approve(actor=None, revision=outcome.revision)
        loaded += 1
    return loaded


def seed(scale: str, stdout: Any) -> None:
    stdout.write(f"示例目录：新载入 {load_examples()} 个")
