"""How catalog items read on pages: labelled facts per kind, and where an item comes from.

Pure presentation over CatalogItem values (no ORM besides the cached selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from cunwu.regions import codes
from cunwu.regions.selectors import region_unsaved

from . import kinds
from .selectors import CatalogItem, catalog_in_force, defining_regions, region_name

if TYPE_CHECKING:
    from cunwu.regions.models import Region

BASE, REFINED, LOCAL = "base", "refined", "local"


@dataclass(frozen=True)
class ItemCard:
    """An item as a card: the item, where it comes from, and its kind's facts as (label, text)."""

    item: CatalogItem
    origin: str
    origin_label: str
    facts: list[tuple[str, str]]

    @property
    def code(self) -> str:
        return self.item.code


def item_facts(item: CatalogItem) -> list[tuple[str, str]]:
    """The kind's own fields, labelled in Chinese, skipping blanks."""
    out = []
    for spec in kinds.KIND_FIELDS[item.kind]:
        if spec.key == "category":
            continue
        text = kinds.field_label(spec.key, item.get(spec.key))
        if text:
            out.append((spec.header, text))
    return out


def _level_region(code: str) -> Region:
    # catalog_in_force only reads code and level; an unsaved Region avoids a query per level.
    significant = code.rstrip("0")
    level = codes.PROVINCE if len(significant) <= 2 else codes.PREFECTURE if len(significant) <= 4 else codes.COUNTY
    return region_unsaved(code, level)


def origins(kind: str, region: Region, at: date) -> dict[str, str]:
    """For each code set below the province: refined (a parent level has the code) or local."""
    chain = defining_regions(region)
    out: dict[str, str] = {}
    above: set[str] = set()
    for depth, code in enumerate(chain):
        items = catalog_in_force(kind, _level_region(code), at)
        for item in items:
            if item.defined_by == code and depth > 0:
                out[item.code] = REFINED if item.code in above else LOCAL
        above = {i.code for i in items}
    return out


def origin_label(item: CatalogItem, origin: str) -> str:
    if origin == BASE:
        return "示例目录" if item.is_example else "省级目录"
    name = region_name(item.defined_by)
    return f"{name}细化" if origin == REFINED else f"{name}新增"


def item_cards(
    kind: str, region: Region, at: date, items: list[CatalogItem] | tuple[CatalogItem, ...]
) -> list[ItemCard]:
    found = origins(kind, region, at)
    cards = []
    for item in items:
        origin = found.get(item.code, BASE) if item.defined_by != defining_regions(region)[0] else BASE
        cards.append(ItemCard(item, origin, origin_label(item, origin), item_facts(item)))
    return cards
