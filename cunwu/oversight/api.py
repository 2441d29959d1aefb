"""API operations of the oversight app (mounted at /api/v1/ by cunwu/api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from cunwu.errors import Invalid

from . import selectors
from .selectors import Node

router = Router(tags=["oversight"])


def _node(n: Node, *, code_name_level_only: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"code": n.code, "name": n.name, "level": n.level}
    if not code_name_level_only:
        out["index"] = n.index
        out["components"] = n.components
    return out


@router.get("/oversight/burden", summary="负担指数：一个区划一个期间的指数、分项和下级（十五）（十六）")
def burden(
    request: HttpRequest, region: str = "", year: str = "", quarter: str = "", month: str = ""
) -> dict[str, Any]:
    """Outside scope → 404; in scope without oversight:view → 403; a future or malformed period → 422."""
    if not region:
        raise Invalid.field("region", "请填写区划代码（region）。")
    code = region.strip()
    selectors.region_for(request.user, code)
    period = selectors.period_from(year, quarter or None, month or None)
    data = selectors.burden_for(request.user, code, period)
    return {
        "region": _node(data.region, code_name_level_only=True),
        "period": period.key,
        "index": data.region.index,
        "formula_version": data.formula_version,
        "components": data.region.components,
        "children": [_node(c) for c in data.children],
    }
