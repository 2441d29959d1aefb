"""API operations of the signs app (mounted at /api/v1/ by cunwu/api.py), DESIGN.md §4."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cunwu.throttling import check_rate

from . import compliance, rules
from .schemas import FacilityCheckIn, FacilityCheckOut, SignCheckIn, SignCheckOut
from .selectors import check_region_for, village_get_for

router = Router(tags=["机制牌子"])


@router.post("/signs/check", response=SignCheckOut, summary="核对村（社区）挂牌是否符合保留挂牌目录（九）（十）")
def signs_check(request: HttpRequest, payload: SignCheckIn) -> dict[str, Any]:
    """Check a list of plates against the sign catalog in force for the village; nothing is saved."""
    region = check_region_for(request.user, payload.region)
    plates = [rules.Plate(s.name, s.placement) for s in payload.signs]
    return compliance.check_plates(region, plates).as_api()


@router.get("/signs/villages/{code}/compliance", response=SignCheckOut, summary="村（社区）在挂牌子的合规情况")
def village_compliance(request: HttpRequest, code: str) -> dict[str, Any]:
    """The same check over the plates recorded as hanging in the village's inventory (index: in id order)."""
    region = village_get_for(request.user, code)
    return compliance.village_compliance(region).check.as_api()


# Public: the facility standard of （七） is a published rule; the check uses no stored data.
@router.post("/facilities/check", response=FacilityCheckOut, auth=None, summary="村级综合服务设施面积标准测算（七）")
def facilities_check(request: HttpRequest, payload: FacilityCheckIn) -> dict[str, Any]:
    check_rate(request, "public")
    result = rules.check_facility_area(payload.households, payload.building_area)
    return {"compliant": result.compliant, "required_area": result.required_area, "message": result.message}
