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


class ConsistencyOut(Schema):
    first: int
    second: int
    proof: list[str]


class InclusionOut(Schema):
    chain: str
    seq: int
    hash: str
    leaf_index: int
    tree_size: int
    root_hash: str
    proof: list[str]
    checkpoint: str
