"""Example catalogs and labelled sets from the repository's CSV files, for tests and benchmarks."""

from __future__ import annotations

import csv
from pathlib import Path

from cunwu.matching import Entry

CATALOG_DIR = Path(__file__).resolve().parents[3] / "data" / "catalogs"
DATA_DIR = Path(__file__).resolve().parent / "data"

# The names a village in 富民县罗免镇 and a community in 永定街道 strip from text.
STRIP_NAMES = ("云南省", "昆明市", "富民县", "罗免镇", "某某村委会", "永定街道", "永定社区居委会")


def load_catalog(*kinds: str) -> list[Entry]:
    """Entries of the example catalogs `data/catalogs/<kind>.csv` (aliases are |-separated)."""
    entries: list[Entry] = []
    for kind in kinds:
        with (CATALOG_DIR / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
                entries.append(Entry(row["code"], row["name"], aliases, kind))
    return entries


def load_labelled(name: str) -> list[tuple[str, str]]:
    """(text, expected_code) rows of `tests/data/<name>.csv`; an empty code means unlisted."""
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["text"], row["expected_code"]) for row in csv.DictReader(handle)]
