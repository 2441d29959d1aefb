from __future__ import annotations

from ninja import Schema


class RegionRef(Schema):
    code: str
    name: str
    level: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    households: int | None = None
    population: int | None = None
    children: list[RegionRef]
