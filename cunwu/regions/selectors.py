from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Q

from cunwu.errors import Invalid, NotFound

from . import codes, search
from .models import Organisation, OrgKind, Region


def region_get(code: str) -> Region:
    """A region by code; the tree itself is public (the statistical codes are published)."""
    problem = codes.code_problem(code)
    if problem:
        raise Invalid(problem, code="invalid_region_code")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(f"没有代码为 {code} 的行政区划。", "unknown_region")
    return region


def region_with_children(code: str) -> tuple[Region, list[Region]]:
    """A region and its children in one query (the public API's hot path); errors as region_get."""
    problem = codes.code_problem(code)
    if problem:
        raise Invalid(problem, code="invalid_region_code")
    rows = list(Region.objects.filter(Q(code=code) | Q(parent_id=code)).order_by("code"))
    region = next((r for r in rows if r.code == code), None)
    if region is None:
        raise NotFound(f"没有代码为 {code} 的行政区划。", "unknown_region")
    return region, [r for r in rows if r.code != code]


def region_children(region: Region) -> list[Region]:
    return list(region.children.order_by("code"))


def region_ancestors(region: Region) -> list[Region]:
    """The chain from the province down to the region's parent, in order."""
    found = {r.code: r for r in Region.objects.filter(code__in=codes.ancestor_codes(region.code))}
    return [found[c] for c in codes.ancestor_codes(region.code) if c in found]


def region_path(region: Region) -> list[Region]:
    return [*region_ancestors(region), region]


# Names change rarely (an import of real village names, a renamed organisation): cache them briefly,
# and forget them explicitly when they change, so every process sees a rename within minutes.
PLACE_NAMES_TTL = 300


def _place_names_key(code: str) -> str:
    return f"place-names:{code}"


def region_place_names(region: Region) -> list[str]:
    """Names of the region, its ancestors and its organisations, for the matcher to strip."""
    key = _place_names_key(region.code)
    names = cache.get(key)
    if names is None:
        names = [r.name for r in region_path(region)]
        names += list(Organisation.objects.filter(region=region).values_list("name", flat=True))
        names = list(dict.fromkeys(names))
        cache.set(key, names, PLACE_NAMES_TTL)
    return list(names)


def place_names_forget(region_codes: list[str]) -> None:
    """Drop cached names after regions or their organisations were renamed or created."""
    cache.delete_many([_place_names_key(c) for c in region_codes])


def villages_under(region: Region) -> list[Region]:
    return regions_under(region, levels=codes.VILLAGE_LEVELS)


# --- the read API other apps use: they never query Region or Organisation themselves -------------
# A user's scope lives in accounts; `accounts.selectors.regions_in_scope` passes it here as a filter.


def region_find(code: str, *, levels: tuple[str, ...] = ()) -> Region | None:
    """A region by code (only at `levels` when given), or None; the code's form is not checked."""
    if not code:
        return None
    qs = Region.objects.filter(code=code)
    if levels:
        qs = qs.filter(level__in=levels)
    return qs.first()


def region_exists(code: str) -> bool:
    return Region.objects.filter(code=code).exists()


def province() -> Region:
    """云南省, the root of the tree (every deployment seeds it)."""
    return Region.objects.get(code=codes.PROVINCE_CODE)


def region_unsaved(code: str, level: str = "") -> Region:
    """A Region carrying only its code and level (default: read from the code), for range checks without a query."""
    return Region(code=code, level=level or codes.level_of(code))


def region_parent_code(code: str) -> str | None:
    """The parent's code as stored in the tree (a village's township), or None for an unknown code."""
    return Region.objects.filter(code=code).values_list("parent_id", flat=True).first()


def regions_by_code(region_codes: Iterable[str]) -> dict[str, Region]:
    """The known regions among `region_codes`, keyed by code, in one query."""
    return {r.code: r for r in Region.objects.filter(code__in=list(region_codes))}


def region_names(region_codes: Iterable[str]) -> dict[str, str]:
    """Names of the known regions among `region_codes`, keyed by code, in one query."""
    return dict(Region.objects.filter(code__in=list(region_codes)).values_list("code", "name"))


def regions_where(q: Q, *, levels: Iterable[str], limit: int | None = None, with_parents: bool = False) -> list[Region]:
    """Regions matching `q` (a filter on `code`, e.g. a scope) at `levels`, in code order, at most `limit`."""
    qs = Region.objects.filter(q, level__in=list(levels)).order_by("code")
    if with_parents:
        qs = qs.select_related("parent")
    return list(qs[:limit] if limit is not None else qs)


def regions_under(region: Region, *, levels: Iterable[str]) -> list[Region]:
    """Regions at `levels` in the subtree of `region` (itself included when at one of them), in code order."""
    return regions_where(region.subtree_q(), levels=levels)


def region_names_under(region: Region, *, levels: Iterable[str], with_ancestors: bool = False) -> dict[str, str]:
    """Names of the regions at `levels` in the subtree of `region` (and above it), keyed by code."""
    q = region.subtree_q()
    if with_ancestors:
        q |= Q(code__in=codes.ancestor_codes(region.code))
    return dict(Region.objects.filter(q, level__in=list(levels)).values_list("code", "name"))


def regions_named(text: str, *, levels: tuple[str, ...] = (), limit: int, with_parents: bool = False) -> list[Region]:
    """Regions whose name contains `text` (at `levels` when given), in code order, at most `limit`."""
    qs = Region.objects.filter(name__icontains=text)
    if levels:
        qs = qs.filter(level__in=levels)
    if with_parents:
        qs = qs.select_related("parent", "parent__parent")
    return list(qs.order_by("code")[:limit])


def organisation_find(pk: int | str | None) -> Organisation | None:
    """An organisation (with its region) by id, or None."""
    if pk is None or pk == "":
        return None
    return Organisation.objects.select_related("region").filter(pk=pk).first()


def organisations_by_pk(pks: Iterable[int]) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=list(pks)).select_related("region"))


def organisations_at(
    region: Region,
    *,
    kinds: Iterable[str] = (),
    exclude_kinds: Iterable[str] = (),
    active_only: bool = True,
    order_by: tuple[str, ...] = ("kind", "name"),
) -> list[Organisation]:
    """The organisations at one region (only `kinds`, none of `exclude_kinds`), active ones unless told."""
    qs = Organisation.objects.filter(region=region)
    if kinds:
        qs = qs.filter(kind__in=list(kinds))
    if exclude_kinds:
        qs = qs.exclude(kind__in=list(exclude_kinds))
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by(*order_by))


def organisations_where(q: Q, *, kinds: Iterable[str], limit: int) -> list[Organisation]:
    """Organisations of `kinds` whose region matches `q` (a filter on `region_id`, e.g. a scope)."""
    return list(Organisation.objects.filter(q, kind__in=list(kinds)).order_by("region_id", "name")[:limit])


def organisation_names_under(region: Region, *, levels: Iterable[str]) -> dict[str, list[str]]:
    """Names of the organisations at regions of `levels` under `region`, per region code, in kind order."""
    out: dict[str, list[str]] = {}
    rows = Organisation.objects.filter(region.subtree_q("region_id"), region__level__in=list(levels))
    for code, name in rows.order_by("region_id", "kind", "name").values_list("region_id", "name"):
        out.setdefault(code, []).append(name)
    return out


def organisation_named(name: str, *, kind: str) -> Organisation | None:
    """The organisation of `kind` with exactly this full name (the first, if several regions share it)."""
    if not name:
        return None
    return Organisation.objects.filter(name=name, kind=kind).first()


def organisation_reference(pk: int) -> tuple[str, str] | None:
    """(region code, name) of an organisation by id, or None (for complaints to link to)."""
    row = Organisation.objects.filter(pk=pk).values_list("region_id", "name").first()
    return (row[0], row[1]) if row else None


def counties_under(code: str) -> list[tuple[str, str]]:
    """(code, name) of the counties in the subtree of `code` (the county itself when it is one)."""
    low, high = codes.prefix_range(codes.subtree_prefix(code))
    rows = Region.objects.filter(level=codes.COUNTY, code__gte=low, code__lte=high).order_by("code")
    return list(rows.values_list("code", "name"))


def department_get(organisation_id: int) -> Organisation:
    """A department (党政群机构) by id, with its region; NotFound for anything else."""
    found = Organisation.objects.select_related("region").filter(pk=organisation_id, kind=OrgKind.DEPARTMENT).first()
    if found is None:
        raise NotFound("找不到该部门。", "unknown_department")
    return found


def departments_named(organisation_ids: list[int]) -> dict[int, str]:
    """Department names by id, for labels such as "已由县民政局按月采集"."""
    return dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "name"))


def village_level_codes() -> list[str]:
    """Codes of every village-level unit (villages and communities), for per-village means (oversight)."""
    return list(
        Region.objects.filter(level__in=[codes.VILLAGE, codes.COMMUNITY])
        .order_by("code")
        .values_list("code", flat=True)
    )


def codes_above_village() -> list[tuple[str, str]]:
    """(code, level) of the province, prefectures, counties and townships: the rows oversight rolls up to."""
    return list(
        Region.objects.exclude(level__in=[codes.VILLAGE, codes.COMMUNITY]).order_by("code").values_list("code", "level")
    )


def region_names_levels(region_codes: list[str]) -> dict[str, tuple[str, str]]:
    """code → (name, level) for the codes that exist."""
    return {
        c: (n, lv) for c, n, lv in Region.objects.filter(code__in=region_codes).values_list("code", "name", "level")
    }


def regions_at_level(code: str, level: str) -> list[Region]:
    """Regions of one level inside the subtree of `code` (the prefectures of the province, …)."""
    low, high = codes.code_range(code, codes.level_of(code))
    return list(Region.objects.filter(code__gte=low, code__lte=high, level=level).order_by("code"))


# --- finding a village or township by name, pinyin or initials (the portal's 找村) -----------------

PLACE_SEARCH_LEVELS = (codes.TOWNSHIP, *codes.VILLAGE_LEVELS)


def places_search(text: str, *, limit: int = 30) -> list[Region]:
    """Townships, villages and communities matching `text`, with their four ancestors loaded.

    Chinese text matches names (大箐) and also their pinyin (大青 finds 大箐 as "daqing"); Latin
    letters match the stored pinyin or initials from the start of a reading ("dqc", "daqing").
    Exact names first, then names that contain the text, then pinyin matches; code order within each.
    """
    chinese, latin = search.query_keys(text)
    if not chinese and not latin:
        return []
    q = Q()
    if chinese:
        q |= Q(name__contains=chinese)
    if latin and (not chinese or len(latin) >= 4):
        q |= Q(search_pinyin__contains=f" {latin}") | Q(search_initials__contains=f" {latin}")
    # Rank on (code, name) only, then load the few shown with their ancestors (one join query).
    rows = list(Region.objects.filter(q, level__in=PLACE_SEARCH_LEVELS).values_list("code", "name")[: limit * 4])

    def rank(row: tuple[str, str]) -> tuple[int, str]:
        code, name = row
        if chinese and name.startswith(chinese):
            return 0, code
        return (1 if chinese and chinese in name else 2), code

    order = [code for code, _ in sorted(rows, key=rank)[:limit]]
    ancestors = ("parent", "parent__parent", "parent__parent__parent", "parent__parent__parent__parent")
    found = {r.code: r for r in Region.objects.filter(code__in=order).select_related(*ancestors)}
    return [found[c] for c in order if c in found]


def place_path(region: Region) -> list[Region]:
    """Province → … → the region from the parents `places_search` loaded (no query)."""
    chain: list[Region] = []
    node: Region | None = region
    while node is not None:
        chain.append(node)
        node = node.parent if node.parent_id else None
    return chain[::-1]


def village_committees() -> list[tuple[str, str, str, int, str]]:
    """Every village and community with its committee, in code order:
    (village code, village name, township name, committee id, committee name)."""
    committees = {
        region_id: (pk, name)
        for region_id, pk, name in Organisation.objects.filter(
            kind=OrgKind.COMMITTEE, region__level__in=codes.VILLAGE_LEVELS
        ).values_list("region_id", "id", "name")
    }
    rows = (
        Region.objects.filter(level__in=codes.VILLAGE_LEVELS)
        .order_by("code")
        .values_list("code", "name", "parent__name")
    )
    return [(code, name, township or "", *committees[code]) for code, name, township in rows if code in committees]
