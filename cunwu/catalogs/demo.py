"""The example catalogs (data/catalogs/*.csv) as the province's base, labelled 示例目录."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings

from cunwu.regions.models import Region

from . import kinds
from .models import Revision
from .services import revision_approve, revision_draft

EXAMPLE_DIR = Path(settings.BASE_DIR) / "data" / "catalogs"
EXAMPLE_DOCUMENT = "示例目录"
EXAMPLE_EFFECTIVE = date(2023, 1, 1)


def example_rows(kind: str) -> list[dict[str, Any]]:
    with (EXAMPLE_DIR / f"{kind}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_examples() -> int:
    """Load each example catalog once as an approved province revision (立, 示例目录)."""
    province = Region.objects.get(code="530000000000")
    loaded = 0
    for kind in kinds.KINDS:
        if Revision.objects.filter(region=province, kind=kind, document=EXAMPLE_DOCUMENT).exists():
            continue
        revision = revision_draft(
            actor=None, region=province, kind=kind, change="立", document=EXAMPLE_DOCUMENT, effective=EXAMPLE_EFFECTIVE,
            rows=example_rows(kind), note="据已公开的国家和外省清单整理的示例目录，待云南省正式目录公布后以正式目录替换。",
        )
        revision_approve(actor=None, revision=revision)
        loaded += 1
    return loaded


def seed(scale: str, stdout: Any) -> None:
    stdout.write(f"示例目录：新载入 {load_examples()} 个")
