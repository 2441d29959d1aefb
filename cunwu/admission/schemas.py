"""API input and output shapes of the admission area (Chinese messages in validators)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema
from pydantic import Field, field_validator

from . import rules

TITLE_MAX, CONTENT_MAX, FIELD_MAX = 200, 20000, 500


def _text(value: Any, label: str, limit: int, required: bool) -> str:
    if value is None:
        if required:
            raise ValueError(f"请填写{label}。")
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{label}应为文本。")
    value = value.strip()
    if required and not value:
        raise ValueError(f"{label}不能为空。")
    if len(value) > limit:
        raise ValueError(f"{label}过长（{len(value)} 字），最多 {limit} 字。")
    return value


class ScreenIn(Schema):
    title: str
    content: str
    region: str
    type: str | None = None
    basis: str | None = None
    pledge: bool | None = None
    responsible_body: str | None = None
    evidence: str | None = None

    @field_validator("title", mode="before")
    @classmethod
    def _title(cls, v: Any) -> str:
        return _text(v, "标题", TITLE_MAX, True)

    @field_validator("content", mode="before")
    @classmethod
    def _content(cls, v: Any) -> str:
        return _text(v, "工作内容", CONTENT_MAX, True)

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, v: Any) -> str:
        v = _text(v, "区划代码", 12, True)
        if not (len(v) == 12 and v.isdigit()):
            raise ValueError("区划代码应为 12 位数字。")
        return v

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, v: Any) -> str | None:
        if v in (None, ""):
            return None
        if v not in rules.TYPES:
            raise ValueError(f"事项类型不在可选范围内（可选：{'、'.join(rules.TYPES)}）。")
        return str(v)

    @field_validator("basis", "evidence", mode="before")
    @classmethod
    def _long(cls, v: Any) -> str:
        return _text(v, "该项", FIELD_MAX, False)

    @field_validator("responsible_body", mode="before")
    @classmethod
    def _body(cls, v: Any) -> str:
        return _text(v, "责任主体", 200, False)


class MatchOut(Schema):
    kind: str
    code: str
    name: str
    score: float


class ViolationOut(Schema):
    rule: str
    clause: str
    effect: str
    message: str


class ScreenOut(Schema):
    outcome: str
    matches: list[MatchOut]
    violations: list[ViolationOut]


class RequestIn(Schema):
    title: str
    content: str
    targets: list[str] = Field(default_factory=list)
    type: str = "task"
    basis: str = ""
    period_start: date | None = None
    period_end: date | None = None
    deadline: date | None = None
    pledge: bool = False
    responsible_body: str = ""
    evidence: str = ""
    provisions: str = ""
    meeting_reason: str = ""
    department: int | None = None
    note: str = ""


class DecisionIn(Schema):
    outcome: str
    reasons: str = ""
    clauses: list[str] = Field(default_factory=list)
    triage: str = ""
    deployment: str = ""
    service_channel: str = ""


class RequestOut(Schema):
    id: int
    title: str
    department: str
    county: str
    type: str
    status: str
    version: int
    outcome: str
    screening: dict[str, Any]
    targets: list[str]
    village_count: int
    deadline: date | None
    triage: str | None
    deployment: str | None
    submitted_at: datetime


class AssignmentOut(Schema):
    id: int
    request: int
    title: str
    department: str
    village: str
    township: str
    status: str
    deadline: date | None
    progress: int
    responsible_body: str
    basis: str
    provisions: str


class AssignmentActIn(Schema):
    progress: int | None = None
    note: str = ""


class OffListIn(Schema):
    village: str
    department: int | None = None
    department_name: str = ""
    what: str
    channel: str
    received_on: date | None = None
