"""API shapes of the ledger app."""

from __future__ import annotations

from ninja import Schema


class HeadOut(Schema):
    chain: str
    seq: int
    hash: str
    created_at: str


class HeadsOut(Schema):
    count: int
    heads: list[HeadOut]
