"""API shapes of the seals area (django-ninja / pydantic), with Chinese messages in validators."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

from .rules import MAX_IMPRESSIONS, MAX_MATTER, MAX_REMARKS

SealKindId = Literal["party", "committee", "supervision", "collective", "finance", "other"]
SealStatusId = Literal["in_use", "sealed_away", "destroyed", "lost"]
CategoryId = Literal["daily_certificate", "contract", "asset_disposal", "major_other", "other"]


class PersonOut(Schema):
    id: int
    username: str
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str


class SealOut(Schema):
    id: int
    region: str
    region_name: str
    organisation: OrganisationOut
    kind: str
    kind_label: str
    name: str
    scope_of_use: str
    custodian: PersonOut
    approvers: list[PersonOut]
    filed_on: date | None
    filing_reference: str | None
    status: str
    status_label: str
    status_on: date
    status_reason: str | None
    registered_at: datetime


class SealIn(Schema):
    organisation: int = Field(description="本村（社区）组织的编号")
    kind: SealKindId
    name: str = Field(min_length=1, max_length=64)
    scope_of_use: str = Field(min_length=1, max_length=500)
    custodian: str = Field(min_length=1, max_length=150, description="保管人的用户名")
    approvers: list[str] = Field(min_length=1, max_length=20, description="用印审批人的用户名")


class SealPatch(Schema):
    scope_of_use: str = Field(min_length=1, max_length=500)
    approvers: list[str] = Field(min_length=1, max_length=20)


class FilingIn(Schema):
    filed_on: date
    reference: str = Field(min_length=1, max_length=64)


class StatusIn(Schema):
    status: SealStatusId
    on: date
    reason: str = Field(min_length=1, max_length=300)


class DocumentOut(Schema):
    id: int
    purpose: Literal["document", "resolution"]
    title: str
    kind: str
    size: int
    sha256: str
    uploaded_at: datetime


class ResolutionOut(Schema):
    meeting_kind: str
    basis: str
    held_on: date
    members_total: int
    attended: int
    in_favour: int
    document_sha256: str


class FindingOut(Schema):
    rule: str
    clause: str
    field: str
    message: str


class ChainRef(Schema):
    chain: str
    seq: int
    hash: str


class UseOut(Schema):
    id: str
    request: int
    seal: int
    seal_name: str
    region: str
    category: str
    approved_impressions: int
    impressions: int
    document_sha256: str
    stamped_at: datetime
    recorded_at: datetime
    custodian: PersonOut
    approver: PersonOut
    requester: PersonOut
    principal_signed: bool
    device: str | None
    chain: ChainRef


class RequestOut(Schema):
    id: int
    region: str
    seal: int
    seal_name: str
    category: str
    category_label: str
    matter: str
    remarks: str | None
    impressions: int
    certificate_serial: str | None
    status: str
    status_label: str
    requester: PersonOut
    custodian: PersonOut
    approver: PersonOut | None
    principal_signed: bool
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_note: str | None
    claimed_by: str | None
    claimed_at: datetime | None
    stamped_at: datetime | None
    documents: list[DocumentOut]
    resolution: ResolutionOut | None
    missing: list[FindingOut]
    use: UseOut | None


class RequestIn(Schema):
    seal: int
    category: CategoryId
    matter: str = Field(min_length=1, max_length=MAX_MATTER, description="一次申请只写一个事项")
    impressions: int = Field(ge=1, le=MAX_IMPRESSIONS)
    remarks: str = Field(default="", max_length=MAX_REMARKS)
    certificate_serial: str = Field(default="", max_length=40)


class ResolutionForm(Schema):
    meeting_kind: Literal["villagers", "representatives"]
    basis: Literal["adults", "households", "members"]
    held_on: date
    members_total: int = Field(ge=1)
    attended: int = Field(ge=0)
    in_favour: int = Field(ge=0)


class NoteIn(Schema):
    note: str = Field(default="", max_length=300)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class OptionalReasonIn(Schema):
    reason: str = Field(default="", max_length=300)


class ClaimIn(Schema):
    device: str = Field(min_length=1, max_length=64, description="智能印章设备编号")


class StampIn(Schema):
    impressions: int = Field(ge=1, le=MAX_IMPRESSIONS, description="实际用印次数")
    document_sha256: str = Field(description="所盖文件的 SHA-256（须是该申请上传的文件之一）")
    stamped_at: datetime | None = Field(default=None, description="实际用印时间（带时区），缺省为服务器当前时间")
    device: str = Field(default="", max_length=64)

    @field_validator("document_sha256")
    @classmethod
    def _hex(cls, value: str) -> str:
        value = value.strip().lower()
        if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
            raise ValueError("应为 64 位十六进制的 SHA-256 摘要。")
        return value

    @field_validator("stamped_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("用印时间须带时区，例如 2027-03-01T09:30:00+08:00。")
        return value


class HandoverItemIn(Schema):
    seal: int
    condition: str = Field(min_length=1, max_length=120, description="印章状况，如“印面完好”")


class HandoverIn(Schema):
    region: str = Field(pattern=r"^\d{12}$")
    from_user: str | None = Field(default=None, description="移交人用户名，缺省为本人")
    to_user: str = Field(min_length=1, max_length=150)
    witness: str = Field(min_length=1, max_length=150)
    seals: list[HandoverItemIn] = Field(min_length=1, max_length=50)
    note: str = Field(default="", max_length=300)


class HandoverItemOut(Schema):
    seal: int
    seal_name: str
    seal_status: str
    condition: str


class HandoverOut(Schema):
    id: int
    region: str
    from_user: PersonOut
    to_user: PersonOut
    witness: PersonOut
    status: str
    status_label: str
    note: str | None
    created_at: datetime
    answered_at: datetime | None
    refusal_reason: str | None
    acknowledged_at: datetime | None
    items: list[HandoverItemOut]


class RefusalOut(Schema):
    id: int
    region: str
    seal: int
    category: str
    matter: str
    rules: list[str]
    messages: list[str]
    at: datetime


class VillageSummaryOut(Schema):
    code: str
    name: str
    uses: int
    impressions: int
    major: int
    refusals: int
    anomalies: int
    unfiled: int
    pending_handovers: int


class CountOut(Schema):
    key: str
    label: str
    uses: int
    impressions: int


class AnomalyOut(Schema):
    kind: Literal["off_hours", "many_impressions", "precondition"]
    label: str
    at: datetime
    region: str
    village: str
    seal: str
    detail: str


class MajorOut(Schema):
    request: int
    region: str
    category: str
    matter: str
    status: str
    resolution: ResolutionOut | None


class OversightOut(Schema):
    year: int
    villages: list[VillageSummaryOut]
    by_category: list[CountOut]
    by_seal: list[CountOut]
    by_month: list[CountOut]
    anomalies: list[AnomalyOut]
    major: list[MajorOut]


class SealList(Schema):
    count: int
    items: list[SealOut]


class RequestList(Schema):
    count: int
    items: list[RequestOut]


class UseList(Schema):
    count: int
    items: list[UseOut]
