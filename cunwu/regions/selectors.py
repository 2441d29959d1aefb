from __future__ import annotations

from django.core.cache import cache
from django.db.models import Q

from cunwu.errors import Invalid, NotFound

from . import codes
from .models import Organisation, Region


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
    return list(Region.objects.filter(region.subtree_q(), level__in=[codes.VILLAGE, codes.COMMUNITY]).order_by("code"))


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


def region_names(region_codes: list[str]) -> dict[str, tuple[str, str]]:
    """code → (name, level) for the codes that exist."""
    return {
        c: (n, lv) for c, n, lv in Region.objects.filter(code__in=region_codes).values_list("code", "name", "level")
    }


def regions_at_level(code: str, level: str) -> list[Region]:
    """Regions of one level inside the subtree of `code` (the prefectures of the province, …)."""
    low, high = codes.code_range(code, codes.level_of(code))
    return list(Region.objects.filter(code__gte=low, code__lte=high, level=level).order_by("code"))
