"""Reading catalogs: the catalog in force for a region on a date, and a matcher over it.

Catalogs are public （二）（十六）, so these reads are not scoped; drafts are never returned.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Max
from django.utils import timezone

from cunwu.errors import NotFound
from cunwu.regions import codes
from cunwu.regions.models import Region

from . import kinds
from .models import Op, Revision, RevisionStatus, Statement

if TYPE_CHECKING:
    from cunwu.matching import Matcher


@dataclass(frozen=True)
class RevisionRef:
    id: int
    change: str
    document: str
    effective: date


@dataclass(frozen=True)
class CatalogItem:
    """An item as it stands in force: its content, the level that set it, the revision it came from."""

    kind: str
    code: str
    name: str
    aliases: tuple[str, ...]
    category: str
    basis: str
    source: str
    defined_by: str
    revision: RevisionRef
    fields: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def as_api(self) -> dict[str, Any]:
        """The item as DESIGN.md §4 shapes it: common fields, revision, the kind's own fields."""
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "aliases": list(self.aliases),
            "category": self.category or None,
            "basis": self.basis,
            "source": self.source or None,
            "defined_by": self.defined_by,
            "revision": {"change": self.revision.change, "document": self.revision.document, "effective": self.revision.effective.isoformat()},
        }
        if self.kind == kinds.CERT_FORBIDDEN:
            out["alternative"] = {
                "kind": self.fields.get("alternative_kind"),
                "agency": self.fields.get("alternative_agency"),
                "text": self.fields.get("alternative_text"),
            }
        else:
            for spec in kinds.KIND_FIELDS[self.kind]:
                if spec.key != "category":
                    out[spec.key] = self.fields.get(spec.key)
        return out


def defining_regions(region: Region) -> list[str]:
    """Codes of the levels whose statements apply to a region: province, prefecture, county."""
    wanted = []
    for level in (codes.PROVINCE, codes.PREFECTURE, codes.COUNTY):
        if codes.PREFIX_LENGTH[level] <= codes.PREFIX_LENGTH[region.level]:
            p = codes.prefix(region.code, level)
            wanted.append(p + "0" * (12 - len(p)))
    return wanted


def _generation() -> tuple[int, int]:
    # Any approval changes this pair, so cached catalogs are rebuilt after every publication.
    agg = Revision.objects.filter(status=RevisionStatus.APPROVED).aggregate(m=Max("id"), t=Max("approved_at"))
    stamp = int(agg["t"].timestamp() * 1000) if agg["t"] else 0
    return (agg["m"] or 0, stamp)


_cache: dict[tuple[Any, ...], Any] = {}
_cache_lock = threading.Lock()
_CACHE_MAX = 2048


def _cached(key: tuple[Any, ...], build: Any) -> Any:
    value = _cache.get(key)
    if value is None:
        value = build()
        with _cache_lock:
            if len(_cache) >= _CACHE_MAX:
                _cache.clear()
            _cache[key] = value
    return value


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _compute(kind: str, chain: tuple[str, ...], at: date) -> tuple[CatalogItem, ...]:
    rows = (
        Statement.objects.filter(
            kind=kind,
            revision__region_id__in=chain,
            revision__status=RevisionStatus.APPROVED,
            revision__effective__lte=at,
        )
        .select_related("revision")
        .order_by("revision__effective", "revision__approved_at", "revision_id")
    )
    depth = {code: i for i, code in enumerate(chain)}
    # Latest statement per (level, code), then the most local level wins.
    latest: dict[tuple[int, str], Statement] = {}
    for s in rows:
        latest[(depth[s.revision.region_id], s.code)] = s
    winner: dict[str, Statement] = {}
    for (d, code), s in sorted(latest.items()):
        winner[code] = s
    items = []
    for code, s in winner.items():
        if s.op == Op.WITHDRAW:
            continue
        r = s.revision
        items.append(
            CatalogItem(
                kind=kind, code=code, name=s.name, aliases=tuple(s.aliases or ()), category=s.category, basis=s.basis,
                source=s.source, defined_by=r.region_id,
                revision=RevisionRef(r.id, r.change, r.document, r.effective), fields=dict(s.fields or {}),
            )
        )
    return tuple(sorted(items, key=lambda i: _code_key(i.code)))


def _code_key(code: str) -> tuple[str, int, str]:
    head = code.rstrip("0123456789")
    tail = code[len(head):]
    return (head, int(tail) if tail.isdigit() else 0, code)


def catalog_in_force(kind: str, region: Region, at: date | None = None) -> tuple[CatalogItem, ...]:
    """The catalog of `kind` that applies to `region` on `at` (default today)."""
    if kind not in kinds.KINDS:
        raise NotFound(f"没有名为“{kind}”的目录。可选：{'、'.join(kinds.KINDS)}。", "unknown_kind")
    at = at or timezone.localdate()
    chain = tuple(defining_regions(region))
    return _cached(("items", kind, chain, at, _generation()), lambda: _compute(kind, chain, at))


def catalog_item_get(kind: str, region: Region, code: str, at: date | None = None) -> CatalogItem:
    for item in catalog_in_force(kind, region, at):
        if item.code == code:
            return item
    raise NotFound(f"{kinds.KIND_SHORT.get(kind, kind)}中没有编码为 {code} 的事项。", "unknown_item")


def catalog_matcher(kind_list: Sequence[str], region: Region, at: date | None = None) -> tuple["Matcher", dict[tuple[str, str], CatalogItem]]:
    """A matcher over the items of several catalogs in force, and the items by (kind, code)."""
    from cunwu.matching import Entry, Matcher

    at = at or timezone.localdate()
    chain = tuple(defining_regions(region))

    def build() -> tuple["Matcher", dict[tuple[str, str], CatalogItem]]:
        by_key: dict[tuple[str, str], CatalogItem] = {}
        entries = []
        for kind in kind_list:
            for item in catalog_in_force(kind, region, at):
                by_key[(kind, item.code)] = item
                entries.append(Entry(code=item.code, name=item.name, aliases=item.aliases, kind=kind))
        return Matcher(entries), by_key

    return _cached(("matcher", tuple(kind_list), chain, at, _generation()), build)


def revision_list(kind: str | None = None, region: Region | None = None, *, include_drafts: bool = False) -> list[Revision]:
    qs = Revision.objects.select_related("region", "drafted_by", "approved_by")
    if not include_drafts:
        qs = qs.filter(status=RevisionStatus.APPROVED)
    if kind:
        qs = qs.filter(kind=kind)
    if region is not None:
        qs = qs.filter(region_id__in=defining_regions(region))
    return list(qs.order_by("-effective", "-id"))
