"""Sign compliance against the catalog in force （九）（十）: one village, or a whole subtree at once.

Reads only, and unscoped: callers (selectors, the API, the scan command) decide who may see what.
The province-wide scan makes one pass over the plates, ordered by village, with one identifier
per county catalog, so the same plate text in many villages is matched once.
"""

from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_in_force, catalog_matcher
from cunwu.regions import codes
from cunwu.regions.codes import ABOVE_VILLAGE_LEVELS, VILLAGE_LEVELS
from cunwu.regions.selectors import (
    organisation_names_under,
    region_ancestors,
    region_names,
    region_names_under,
    region_place_names,
    region_unsaved,
)

from . import rules
from .models import ApprovalRequest, RequestKind, RequestStatus, Sign, SignStatus

if TYPE_CHECKING:
    from cunwu.regions.models import Region

# Identifiers by catalog content: counties without refinements share the province's identifier,
# so its cache of matched plate texts serves them all. Content, not ids, keys it: same content,
# same matches.
_identifiers: dict[tuple[Any, ...], rules.SignIdentifier] = {}
_IDENTIFIERS_MAX = 512
_lock = threading.Lock()


def identifier_for(region: Region, at: date | None = None) -> rules.SignIdentifier:
    """The identifier over the sign catalog in force for `region` (its county's refinements included)."""
    items = catalog_in_force(kinds.SIGN, region, at)
    signature = tuple((i.code, i.name, i.aliases, i.get("placement"), i.get("max_count")) for i in items)
    found = _identifiers.get(signature)
    if found is None:
        matcher, _items = catalog_matcher([kinds.SIGN], region, at)
        found = rules.SignIdentifier(matcher, rules.catalog_signs(items))
        with _lock:
            if len(_identifiers) >= _IDENTIFIERS_MAX:
                _identifiers.clear()
            _identifiers[signature] = found
    return found


def standing_exceptions(region_codes: Iterable[str]) -> dict[str, list[rules.Standing]]:
    """Approved, not revoked, sign exceptions by village code （九）."""
    out: dict[str, list[rules.Standing]] = defaultdict(list)
    rows = ApprovalRequest.objects.filter(
        kind=RequestKind.SIGN, status=RequestStatus.APPROVED, region_id__in=list(region_codes)
    ).values_list("id", "region_id", "name", "placement", "approval_reference")
    for pk, code, name, placement, reference in rows:
        out[code].append(rules.Standing(pk, name, placement, reference))
    return out


def _standing_in(subtree: Q) -> dict[str, list[rules.Standing]]:
    out: dict[str, list[rules.Standing]] = defaultdict(list)
    rows = ApprovalRequest.objects.filter(subtree, kind=RequestKind.SIGN, status=RequestStatus.APPROVED).values_list(
        "id", "region_id", "name", "placement", "approval_reference"
    )
    for pk, code, name, placement, reference in rows:
        out[code].append(rules.Standing(pk, name, placement, reference))
    return out


def place_names(region: Region) -> rules.PlaceNames:
    """The names to read a village's plates without: region_place_names(region), split for speed."""
    everything = region_place_names(region)
    above = tuple(r.name for r in region_ancestors(region))
    own = tuple(n for n in everything if n not in above)
    return rules.PlaceNames(above, own, region.name)


def check_plates(region: Region, plates: Sequence[rules.Plate], at: date | None = None) -> rules.SignCheck:
    """Check a list of plates for one village or community against the catalog in force."""
    identifier = identifier_for(region, at)
    place = place_names(region)
    exceptions = standing_exceptions([region.code]).get(region.code, [])
    identified = [identifier.identify(p.name, place, exceptions) for p in plates]
    return rules.check_signs(plates, identified, identifier.catalog)


def hanging_signs(region: Region) -> list[Sign]:
    return list(Sign.objects.filter(region=region, status=SignStatus.HANGING).select_related("photo").order_by("id"))


@dataclass
class VillageCompliance:
    """The hanging plates of a village with the check over them, ready for the village page."""

    signs: list[Sign]
    check: rules.SignCheck
    catalog: tuple[rules.CatalogSign, ...]

    def rows(self) -> list[tuple[Sign, rules.Identified, list[rules.SignFinding]]]:
        return [(s, self.check.identified[i], self.check.for_index(i)) for i, s in enumerate(self.signs)]

    def missing_items(self) -> list[rules.CatalogSign]:
        by_code = {c.code: c for c in self.catalog}
        return [by_code[c] for c in self.check.missing if c in by_code]


def village_compliance(region: Region) -> VillageCompliance:
    signs = hanging_signs(region)
    check = check_plates(region, [rules.Plate(s.name, s.placement) for s in signs])
    return VillageCompliance(signs, check, identifier_for(region).catalog)


# --- scanning many villages -------------------------------------------------------------------


@dataclass
class CountyRow:
    """Scan figures for one county (or township, in a drill-down)."""

    code: str
    name: str
    villages: int = 0
    villages_with_plates: int = 0
    compliant_villages: int = 0
    plates: int = 0
    plates_with_findings: int = 0
    problems: Counter[str] = field(default_factory=Counter)
    missing: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "villages": self.villages,
            "villages_with_plates": self.villages_with_plates,
            "compliant_villages": self.compliant_villages,
            "plates": self.plates,
            "plates_with_findings": self.plates_with_findings,
            "problems": {p: self.problems.get(p, 0) for p in rules.SIGN_CLAUSES},
            "missing": self.missing,
        }


@dataclass
class ScanResult:
    region_code: str
    rows: list[CountyRow]
    seconds: float
    started_at: Any

    @property
    def villages(self) -> int:
        return sum(r.villages for r in self.rows)

    @property
    def plates(self) -> int:
        return sum(r.plates for r in self.rows)

    @property
    def totals(self) -> CountyRow:
        total = CountyRow(self.region_code, "合计")
        for r in self.rows:
            total.villages += r.villages
            total.villages_with_plates += r.villages_with_plates
            total.compliant_villages += r.compliant_villages
            total.plates += r.plates
            total.plates_with_findings += r.plates_with_findings
            total.problems.update(r.problems)
            total.missing += r.missing
        return total


def _group_code(code: str, level: str) -> str:
    p = codes.prefix(code, level)
    return p + "0" * (12 - len(p))


@dataclass(frozen=True)
class VillageResult:
    """One village's plates (ids, plates) and the check over them, from a bulk pass."""

    code: str
    sign_ids: tuple[int, ...]
    plates: tuple[rules.Plate, ...]
    result: rules.SignCheck


def check_villages(region: Region, *, chunk: int = 5000, include_empty: bool = False) -> Iterator[VillageResult]:
    """Check every village under `region` in one pass over its hanging plates, in code order.

    Queries: the regions above village level, the villages, their organisations, the standing
    exceptions, then the plates streamed in village order; one identifier per county catalog.
    """
    names = region_names_under(region, levels=ABOVE_VILLAGE_LEVELS, with_ancestors=True)
    if region.level in VILLAGE_LEVELS:
        village_names = {region.code: region.name}
    else:
        village_names = region_names_under(region, levels=VILLAGE_LEVELS)
    orgs: dict[str, list[str]] = defaultdict(list, organisation_names_under(region, levels=VILLAGE_LEVELS))
    exceptions = _standing_in(region.subtree_q("region_id"))
    identifiers: dict[str, rules.SignIdentifier] = {}
    aboves: dict[str, tuple[str, ...]] = {}

    def finish(code: str, ids: list[int], plates: list[rules.Plate]) -> VillageResult:
        # The catalog in force is the same for every village of a county (its chain ends there).
        county = codes.prefix(code, codes.COUNTY)
        identifier = identifiers.get(county)
        if identifier is None:
            identifier = identifiers[county] = identifier_for(_region_stub(code))
        above = aboves.get(code[:9])
        if above is None:
            above = aboves[code[:9]] = tuple(names[a] for a in codes.ancestor_codes(code) if a in names)
        own_name = village_names.get(code, "")
        own = tuple(n for n in dict.fromkeys((own_name, *orgs.get(code, ()))) if n and n not in above)
        place = rules.PlaceNames(above, own, own_name)
        standing = exceptions.get(code, ())
        identified = [identifier.identify(p.name, place, standing) for p in plates]
        return VillageResult(code, tuple(ids), tuple(plates), rules.check_signs(plates, identified, identifier.catalog))

    pending = sorted(village_names) if include_empty else []
    current: str | None = None
    ids: list[int] = []
    plates: list[rules.Plate] = []
    qs = (
        Sign.objects.filter(region.subtree_q("region_id"), status=SignStatus.HANGING)
        .order_by("region_id", "id")
        .values_list("region_id", "id", "name", "placement")
    )
    position = 0
    for code, pk, name, placement in qs.iterator(chunk_size=chunk):
        if code != current:
            if current is not None and current in village_names:
                yield finish(current, ids, plates)
            current, ids, plates = code, [], []
            # Villages without plates, in code order, when the caller wants them too.
            while position < len(pending) and pending[position] < code:
                yield finish(pending[position], [], [])
                position += 1
            if position < len(pending) and pending[position] == code:
                position += 1
        ids.append(pk)
        plates.append(rules.Plate(name, placement))
    if current is not None and current in village_names:
        yield finish(current, ids, plates)
    while position < len(pending):
        yield finish(pending[position], [], [])
        position += 1


def scan(region: Region, *, group_level: str = codes.COUNTY) -> ScanResult:
    """Compliance of every village under `region`, reported per county (or per `group_level`)."""
    started_at = timezone.now()
    t0 = time.perf_counter()
    villages = sorted(region_names_under(region, levels=VILLAGE_LEVELS).items())
    if region.level in VILLAGE_LEVELS:
        villages = [(region.code, region.name)]
    group_codes = {_group_code(code, group_level) for code, _ in villages}
    labels = region_names(group_codes)
    rows: dict[str, CountyRow] = {}
    for code, _name in villages:
        g = _group_code(code, group_level)
        row = rows.get(g)
        if row is None:
            row = rows[g] = CountyRow(g, labels.get(g, g))
        row.villages += 1
    for village in check_villages(region):
        result = village.result
        row = rows[_group_code(village.code, group_level)]
        row.villages_with_plates += 1
        row.plates += len(village.plates)
        row.compliant_villages += result.compliant
        row.plates_with_findings += len({f.index for f in result.findings})
        row.problems.update(f.problem for f in result.findings)
        row.missing += len(result.missing)
    ordered = sorted(rows.values(), key=lambda r: r.code)
    for row in ordered:
        # Villages without plates hang nothing that should not hang: compliant, if bare.
        row.compliant_villages += row.villages - row.villages_with_plates
    return ScanResult(region.code, ordered, time.perf_counter() - t0, started_at)


def _region_stub(code: str) -> Region:
    # catalog_matcher only reads the code and level to find the defining chain.
    return region_unsaved(code, codes.village_level(code))
