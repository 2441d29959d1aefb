"""API shapes of the complaints app (DESIGN.md §4). Checks with Chinese messages live in the services."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class ContactIn(Schema):
    name: str = Field(default="", max_length=64)
    phone: str = Field(default="", max_length=32)


class ReferenceIn(Schema):
    kind: str = Field(
        description="catalog_item、department、admission_request、offlist_report、certificate_refusal、sign、seal_use"
    )
    ref: str = Field(max_length=64, description="该记录的编号或编码")


class ComplaintIn(Schema):
    category: str = Field(
        description="pushed_work、forbidden_certificate、certificate_refused、sign、seal、meeting_form 或 other"
    )
    region: str = Field(description="涉及的行政区划（12 位代码，省到村任一级）")
    text: str = Field(description="反映内容，1–2000 字")
    subject: str = Field(default="", description="涉及的部门、单位名称或清单事项编码")
    anonymous: bool
    contact: ContactIn | None = Field(default=None, description="实名举报必填；匿名举报不得填写")
    references: list[ReferenceIn] = Field(default_factory=list, max_length=10, description="所涉记录（可选）")


class RegionOut(Schema):
    code: str
    name: str


class FiledOut(Schema):
    tracking_code: str
    status: str
    due: str
    handler: RegionOut


class HistoryOut(Schema):
    status: str
    at: str


class PublicOut(Schema):
    tracking_code: str
    status: str
    category: str
    region: RegionOut
    received_at: str
    due: str
    outcome: str | None
    finding: str | None
    history: list[HistoryOut]


class ItemOut(Schema):
    tracking_code: str
    status: str
    category: str
    region: RegionOut
    subject: str
    text: str
    anonymous: bool
    received_at: str
    due: str
    handler: RegionOut


class ListOut(Schema):
    count: int
    items: list[ItemOut]


class ConcludeIn(Schema):
    outcome: str = ""
    finding: str = ""


class ReasonIn(Schema):
    reason: str = ""


class StatusOut(Schema):
    tracking_code: str
    status: str
    due: str
    handler: RegionOut


class TypicalCaseOut(Schema):
    id: int
    title: str
    summary: str
    department: str
    clause: str
    action_taken: str
    category: str
    prefecture: RegionOut
    published_at: str
    url: str


class TypicalCaseListOut(Schema):
    count: int
    items: list[TypicalCaseOut]
