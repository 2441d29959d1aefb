"""API operations of the ledger app (mounted at /api/v1/ by cunwu/api.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router

from cunwu.errors import Invalid, NotFound
from cunwu.regions.codes import code_problem, subtree_prefix
from cunwu.throttling import check_rate

from . import notes
from .schemas import ConsistencyOut, HeadsOut, InclusionOut
from .selectors import chain_heads, head_as_dict, tree_consistency, tree_head_latest, tree_inclusion

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


# Public like the heads: the signed checkpoint, its proofs and the verifier key are what outside
# witnesses (the prefecture, auditors) fetch to countersign and to check later copies against.
@router.get("/ledger/checkpoint", auth=None, summary="签名存证点（C2SP tlog-checkpoint 签名文本）")
def ledger_checkpoint(request: HttpRequest) -> HttpResponse:
    """The latest signed checkpoint as a signed note (text/plain): origin, tree size, root, signature."""
    check_rate(request, "public")
    head = tree_head_latest()
    if head is None:
        raise NotFound("尚未生成签名存证点。")
    return HttpResponse(head.note, content_type="text/plain; charset=utf-8")


@router.get("/ledger/consistency", response=ConsistencyOut, auth=None, summary="两个签名存证点之间的一致性证明")
def ledger_consistency(request: HttpRequest, first: int, second: int) -> dict:
    """RFC 6962 consistency proof that tree `second` extends tree `first` (both signed sizes or smaller)."""
    check_rate(request, "public")
    try:
        proof = tree_consistency(first, second)
    except ValueError as exc:
        raise Invalid.field("first", str(exc)) from exc
    return {"first": first, "second": second, "proof": [notes.b64(h) for h in proof]}


@router.get("/ledger/inclusion", response=InclusionOut, auth=None, summary="链头在签名存证点中的包含证明")
def ledger_inclusion(request: HttpRequest, chain: str) -> dict:
    """The chain's latest signed head with its RFC 6962 inclusion proof in the latest signed tree."""
    check_rate(request, "public")
    if problem := code_problem(chain):
        raise Invalid.field("chain", problem)
    found = tree_inclusion(chain)
    if found is None:
        raise NotFound("该链尚无签名存证点。")
    return found
