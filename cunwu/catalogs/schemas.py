"""API shapes of the catalogs app (DESIGN.md §4). Kind-specific item fields pass through as extras."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field

ITEM_DOC = "目录事项：code、name、aliases、category、basis、source、defined_by、revision 及该目录自己的字段"
Item = dict[str, Any]


class CatalogOut(Schema):
    kind: str
    region: str
    at: date
    items: list[Item] = Field(description=ITEM_DOC)


class TriageIn(Schema):
    text: str | None = Field(None, description="群众被要求开具的证明，用自己的话描述即可（最多2000字）")
    region: str | None = Field(None, description="村（社区）或上级区划的12位代码；不填则按省级目录")


class CandidateOut(Schema):
    code: str
    name: str
    kind: str
    score: float


class TriageOut(Schema):
    outcome: str = Field(description="retained | forbidden | unlisted")
    item: Item | None
    candidates: list[CandidateOut]
    advice: str
    clauses: list[str]


class HistoryOut(Schema):
    level: str
    level_name: str
    op: str
    change: str
    document: str
    effective: date
    name: str
    basis: str
    reason: str
    changed: list[str]
    current: bool


class StepOut(Schema):
    number: int
    body: str = Field(description="village | township | department")
    body_label: str
    actor: str
    action: str
    days: int = Field(description="时限（工作日）")
    inputs: list[str]
    outputs: list[str]
    channel: str
    hands_to: int | None = Field(description="办完交给第几步；null 表示办结")


class ProcedureOut(Schema):
    steps: list[StepOut]
    working_days: int
    defined_by: str


class ItemDetailOut(Schema):
    kind: str
    region: str
    at: date
    item: Item
    history: list[HistoryOut]
    procedure: ProcedureOut | None = Field(
        None, description="运行流程（一）：仅履职事项、协助服务事项；未制定时为 null"
    )


class ChangedOut(Schema):
    code: str
    fields: list[str]
    before: Item
    after: Item


class ChangesOut(Schema):
    kind: str
    region: str
    before: date
    after: date
    added: list[Item]
    withdrawn: list[Item]
    changed: list[ChangedOut]


class RegionRefOut(Schema):
    code: str
    name: str


class RevisionOut(Schema):
    id: int
    region: RegionRefOut
    kind: str
    change: str
    document: str
    effective: date
    note: str
    status: str
    items: int
    source_name: str
    drafted_by: str | None
    approved_by: str | None
    created_at: datetime
    approved_at: datetime | None


class EffectOut(Schema):
    code: str
    op: str
    effect: str
    effect_label: str
    changed: list[str]
    reason: str
    statement: dict[str, Any]
    current: Item | None


class RevisionDetailOut(RevisionOut):
    statements: list[EffectOut]


class RevisionIn(Schema):
    region: str
    kind: str
    change: str = Field(description="立 | 改 | 废 | 释")
    document: str = Field(description="文号")
    effective: date
    note: str = ""
    items: list[dict[str, Any]] = Field(
        description="每项的键为目录列名（code、name、basis …），op 为 set 或 withdraw", max_length=10_000
    )


class DiscardIn(Schema):
    reason: str = ""


class ImportOut(Schema):
    changed: bool
    detail: str
    revision: RevisionOut | None
    rows: int
    unchanged: int
