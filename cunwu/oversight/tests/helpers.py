"""make_<noun>() helpers for the oversight tests: records are made through the producing apps' services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cunwu.admission import services as admission
from cunwu.admission.tests.factories import make_approved
from cunwu.regions.selectors import region_get

VILLAGE = "530124103200"
OTHER_VILLAGE = "530124103201"
TOWNSHIP = "530124103000"
COUNTY = "530124000000"
PREFECTURE = "530100000000"


def province_code() -> str:
    return "53" + "0" * 10


def make_offlist(clerk: Any, *, n: int = 1, department_name: str = "富民县农业农村局") -> None:
    for i in range(n):
        admission.offlist_report(
            actor=clerk,
            village=region_get(VILLAGE),
            department=None,
            department_name=department_name,
            what=f"电话要求村里当天报送春耕进度表（第{i + 1}次）",
            channel="phone",
            received_on=timezone.localdate(),
        )


def make_assignment(department: Any, reviewer: Any, **over: Any) -> Any:
    return make_approved(department, reviewer, **over)
