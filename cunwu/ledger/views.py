"""Pages of the ledger app: the public 存证链公示 (chain heads and their history) and, for oversight
staff, each village's chain with its entries and an on-demand verification."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cunwu.paging import ScopePaginator
from cunwu.regions.codes import ancestor_codes, is_code, prefix_range, subtree_prefix
from cunwu.regions.selectors import region_exists, region_names, regions_named
from cunwu.throttling import check_rate

from . import rules
from .keys import ledger_verifier_keys
from .selectors import (
    KIND_LABELS,
    chain_entry_list_for,
    chain_heads,
    chain_length,
    chain_list_for,
    chain_verify_for,
    checkpoint_list,
    checkpoint_tops,
    head_as_dict,
)

PAGE_SIZE = 50


def _place_names(codes: list[str]) -> dict[str, str]:
    """Full place names (county, township, village) for chain codes, in one query."""
    wanted = set(codes)
    for code in codes:
        wanted.update(c for c in ancestor_codes(code) if c[4:] != "00000000")  # below the prefecture
    names = region_names(wanted)
    out = {}
    for code in codes:
        parts = [names[c] for c in ancestor_codes(code) if c in names] + [names.get(code, "")]
        out[code] = "".join(p for p in parts if p) or code
    return out


def _shown(cp: Any) -> dict[str, Any]:
    row = head_as_dict(cp)
    row["shown_at"] = row["created_at"][:16].replace("T", " ")
    return row


def ledger_key(request: HttpRequest) -> HttpResponse:
    """GET /.well-known/ledger-key: the note verifier keys of the ledger, current first, retired after."""
    response = HttpResponse(
        "".join(f"{key}\n" for key in ledger_verifier_keys()), content_type="text/plain; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def public_heads(request: HttpRequest) -> HttpResponse:
    """存证链公示: the latest checkpoint of every village's chain, searchable by place or code."""
    check_rate(request, "public")
    q = request.GET.get("q", "").strip()[:40]
    error = ""
    heads = chain_heads()
    if q and is_code(q):
        heads = chain_heads(prefix=subtree_prefix(q))
    elif q.isdigit():
        error = "区划代码应为 12 位数字；也可以输入村（社区）、乡镇或县的名称。"
    elif q:
        codes = [r.code for r in regions_named(q, limit=20)]
        within = Q()
        for code in codes:
            within |= Q(chain__range=prefix_range(subtree_prefix(code)))
        heads = heads.filter(within) if codes else heads.none()
    page = ScopePaginator(heads, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_shown(cp) for cp in page]
    names = _place_names([r["chain"] for r in rows])
    for row in rows:
        row["name"] = names[row["chain"]]
    api_url = "/api/v1/ledger/heads" + (f"?region={q}" if q and is_code(q) else "")
    context: dict[str, Any] = {"page": page, "rows": rows, "q": q, "error": error, "api_url": api_url}
    return render(request, "ledger/public_heads.html", context)


def public_chain(request: HttpRequest, chain: str) -> HttpResponse:
    """Every checkpoint published for one village's chain, newest first."""
    check_rate(request, "public")
    if not rules.valid_chain(chain):
        raise Http404
    checkpoints = checkpoint_list(chain)
    page = ScopePaginator(checkpoints, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list and not region_exists(chain):
        raise Http404
    context = {
        "chain": chain,
        "name": _place_names([chain])[chain],
        "page": page,
        "rows": [_shown(cp) for cp in page],
        "api_url": f"/api/v1/ledger/heads?chain={chain}",
    }
    return render(request, "ledger/public_chain.html", context)


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    """Chains of the villages this person oversees, with their latest entry and checkpoint."""
    q = request.GET.get("q", "").strip()[:12]
    error = "请输入区划代码的数字部分，如 530124103。" if q and not q.isdigit() else ""
    page = ScopePaginator(chain_list_for(request.user, q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    codes = [h.chain for h in page]
    names = _place_names(codes)
    checkpointed = checkpoint_tops(codes)
    rows = [
        {
            "chain": h.chain,
            "name": names[h.chain],
            "seq": h.seq,
            "updated_at": h.updated_at,
            "checkpoint": checkpointed.get(h.chain),
        }
        for h in page
    ]
    return render(request, "ledger/chain_list.html", {"page": page, "rows": rows, "q": q, "error": error})


@login_required
def chain_detail(request: HttpRequest, chain: str) -> HttpResponse:
    """One village's chain: every entry (masked payloads), newest first, and a button to verify it."""
    entries = chain_entry_list_for(request.user, chain)
    page = ScopePaginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "kind": KIND_LABELS.get(e.kind, e.kind), "payload": _payload_text(e.payload)} for e in page]
    latest = chain_heads(chain).first()
    context = {"chain": chain, "name": _place_names([chain])[chain], "page": page, "rows": rows, "latest": latest}
    return render(request, "ledger/chain_detail.html", context)


@login_required
def chain_check(request: HttpRequest, chain: str) -> HttpResponse:
    """Verify one chain now (htmx fragment, or a page without JavaScript)."""
    problems = chain_verify_for(request.user, chain)
    count = chain_length(chain)
    context = {"chain": chain, "name": _place_names([chain])[chain], "problems": problems, "count": count}
    template = "ledger/_check.html" if getattr(request, "htmx", False) else "ledger/chain_check.html"
    return render(request, template, context)


def _payload_text(payload: Any) -> str:
    """Masked payload as one line of key: value pairs (it never holds unmasked personal data)."""
    if not isinstance(payload, dict):
        return str(payload)
    return "；".join(f"{k}：{v}" for k, v in payload.items())
