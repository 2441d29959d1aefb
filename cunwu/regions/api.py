from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from cunwu.throttling import check_rate

from .schemas import RegionOut
from .selectors import region_with_children

router = Router(tags=["行政区划"])


# Public: the division tree is published statistical data; no personal data in it.
@router.get("/regions/{code}", response=RegionOut, auth=None, summary="行政区划及其下级")
def region_detail(request: HttpRequest, code: str) -> dict:
    check_rate(request, "public")
    region, children = region_with_children(code)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent_id,
        "households": region.households,
        "population": region.population,
        "children": [{"code": c.code, "name": c.name, "level": c.level} for c in children],
    }
