"""Writes to the division tree that other apps ask for (a county's import of its real villages)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cunwu.audit.services import audit_record

from . import codes
from .models import Organisation, Region
from .seeding import village_org_names


@transaction.atomic
def villages_save(*, actor: Any, plans: list[dict[str, Any]]) -> tuple[int, int]:
    """Create each planned village (with its four organisations) or update its name and size; audited.

    Precondition: the caller checked every plan (code, township `parent`, scope, numbers).
    Returns how many were created and how many updated.
    """
    created = updated = 0
    existing = {r.code: r for r in Region.objects.filter(code__in=[p["code"] for p in plans])}
    for p in plans:
        level = codes.village_level(p["code"])
        region = existing.get(p["code"])
        if region is None:
            region = Region.objects.create(
                code=p["code"],
                name=p["name"],
                level=level,
                parent_id=p["parent"],
                households=p["households"],
                population=p["population"],
            )
            short = p["name"].removesuffix("村委会").removesuffix("社区居委会").removesuffix("居委会")
            for kind, name in village_org_names(short, level):
                Organisation.objects.create(region=region, name=name, short_name=name.replace(short, "", 1), kind=kind)
            audit_record(
                actor=actor,
                action="region.create",
                obj=region,
                region_code=region.code,
                after={
                    "name": region.name,
                    "level": level,
                    "households": region.households,
                    "population": region.population,
                },
            )
            created += 1
        else:
            before = {"name": region.name, "households": region.households, "population": region.population}
            region.name, region.households, region.population = p["name"], p["households"], p["population"]
            region.generated = False
            region.save(update_fields=["name", "households", "population", "generated"])
            audit_record(
                actor=actor,
                action="region.update",
                obj=region,
                region_code=region.code,
                before=before,
                after={"name": region.name, "households": region.households, "population": region.population},
            )
            updated += 1
    return created, updated
