"""API shapes of the signs app (DESIGN.md §4), with Chinese messages at the field."""

from __future__ import annotations

import math
from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from . import rules

MAX_SIGNS = 300


class SignIn(Schema):
    name: str = Field(max_length=100, description="牌子上实际书写的文字")
    placement: str = Field(description="exterior_mark（外部标识）、gate（门口标牌）或 interior（内部标牌）")

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError("请填写牌子名称（按牌子上实际书写的文字）。")
        return value

    @field_validator("placement", mode="before")
    @classmethod
    def _placement(cls, value: Any) -> Any:
        if value not in rules.PLACEMENTS:
            raise ValueError(rules.PLACEMENT_PROBLEM)
        return value


class SignCheckIn(Schema):
    region: str = Field(description="村委会或社区的12位区划代码")
    signs: list[SignIn] = Field(max_length=MAX_SIGNS)


class SignFindingOut(Schema):
    index: int
    problem: str
    catalog_code: str | None
    clause: str
    message: str


class SignCheckOut(Schema):
    compliant: bool
    findings: list[SignFindingOut]
    missing: list[str]


class FacilityCheckIn(Schema):
    households: int = Field(description="服务户数，至少 1 户")
    building_area: float = Field(description="建筑面积（平方米），大于 0")

    @field_validator("households", mode="before")
    @classmethod
    def _households_type(cls, value: Any) -> Any:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError("服务户数应为整数。")
        return value

    @field_validator("households")
    @classmethod
    def _households(cls, value: int) -> int:
        if value < 1:
            raise ValueError("服务户数至少为 1 户。")
        return value

    @field_validator("building_area", mode="before")
    @classmethod
    def _area_type(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("建筑面积应为数字（平方米）。")
        return value

    @field_validator("building_area")
    @classmethod
    def _area(cls, value: float) -> float:
        if not math.isfinite(value) or value <= 0:
            raise ValueError("建筑面积应大于 0 平方米。")
        return value


class FacilityCheckOut(Schema):
    compliant: bool
    required_area: float
    message: str
