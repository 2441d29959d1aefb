"""API operations of the ledger app (mounted at /api/v1/ by cunwu/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from cunwu.errors import Invalid
from cunwu.regions.codes import code_problem, subtree_prefix
from cunwu.throttling import check_rate

from .schemas import HeadsOut
from .selectors import chain_heads, head_as_dict

router = Router(tags=["存证链"])


# Public on purpose: anyone may keep copies of the published chain heads, so that a later rewrite of
# the registers in the database disagrees with what they hold. Heads carry hashes only, no personal data.
@router.get("/ledger/heads", response=HeadsOut, auth=None, summary="存证链公示：各村（社区）链的最新存证点")
def ledger_heads(request: HttpRequest, chain: str | None = None, region: str | None = None) -> dict:
    """The latest checkpoint of each chain (`chain`: one village or community; `region`: all chains under it)."""
    check_rate(request, "public")
    for name, value in (("chain", chain), ("region", region)):
        if value is not None and (problem := code_problem(value)):
            raise Invalid.field(name, problem)
    heads = chain_heads(chain, prefix=subtree_prefix(region) if region else "")
    rows = [head_as_dict(cp) for cp in heads]
    return {"count": len(rows), "heads": rows}
