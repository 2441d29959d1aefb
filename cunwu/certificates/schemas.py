"""API schemas of the certificates app (DESIGN.md §4 for verification; Chinese validation messages)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator

from cunwu.textinput import CodeText, SafeText

from . import rules


class Attachment(Schema):
    """A file sent inline as base64 (for platforms that post JSON only)."""

    filename: str = Field(max_length=200)
    content_base64: str
    label: str = Field(default="", max_length=100)

    @field_validator("content_base64")
    @classmethod
    def _decodable(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("文件内容应为 base64 编码。") from exc
        return value

    def data(self) -> bytes:
        return base64.b64decode(self.content_base64)


class ApplicationIn(Schema):
    region: str = Field(description="受理的村（社区）12 位区划代码")
    applicant_name: SafeText = Field(max_length=64)
    applicant_id_number: CodeText = Field(max_length=18)
    applicant_phone: CodeText = Field(default="", max_length=20)
    request_text: str = Field(max_length=rules.MAX_TEXT, description="申请人原话，如“派出所让我开居住证明”")
    purpose: str = Field(max_length=rules.MAX_PURPOSE)
    requesting_agency: str = Field(default="", max_length=rules.MAX_AGENCY)
    agency_basis: str = Field(default="", max_length=rules.MAX_BASIS)
    by_proxy: bool = False
    agent_name: str = Field(default="", max_length=64)
    agent_id_number: CodeText = Field(default="", max_length=18)
    agent_phone: CodeText = Field(default="", max_length=20)
    channel: Literal["api", "desk"] = Field(default="api", description="api：政务服务平台转来；desk：村窗口受理")
    materials: list[Attachment] = Field(default_factory=list, max_length=rules.MAX_MATERIALS)
    authorisation: Attachment | None = Field(default=None, description="委托代办时的授权委托书")


class DecisionIn(Schema):
    action: Literal["issue", "refuse"]
    item_code: str | None = Field(
        default=None, description="改选的目录事项编码；空字符串或 UNLISTED 表示目录外；不传则沿用初步判断"
    )
    materials_checked: list[str] = Field(default_factory=list)
    verification_method: str = ""
    verified_facts: str = ""
    validity_days: int | None = None
    refusal_ground: Literal[
        "", "no_legal_basis", "provable_otherwise", "written_notice", "covered_by_other", "cannot_verify", "not_true"
    ] = ""
    note: str = ""
    major_matter: bool = False
    investigation_record: str = ""
    meeting_resolution: str = ""
    legal_risk: bool = False
    lawyer_review: str = ""


class NoteIn(Schema):
    note: str = Field(max_length=500)


class ReasonIn(Schema):
    reason: str = Field(max_length=300)


class PrintIn(Schema):
    reason: str = Field(default="", max_length=200)


class CaseCloseIn(Schema):
    action: Literal["agency_accepted", "agency_corrected", "reported", "other"]
    result: str = Field(max_length=2000)


class TemplateIn(Schema):
    region: str = Field(description="适用范围：县级或以上区划代码")
    item_code: str = Field(max_length=32)
    requesting_agency: str = Field(max_length=128)
    title: str = Field(max_length=100)
    body: str = Field(max_length=4000)
    validity_days: int | None = None


class CodeName(Schema):
    code: str
    name: str


class VerifyOut(Schema):
    valid: bool
    status: Literal["valid", "revoked", "expired", "invalid"]
    reason: Literal["bad_signature", "unknown_key", "malformed", "not_found"] | None
    serial: str | None
    issuer: CodeName | None
    item: CodeName | None
    issued_at: str | None
    valid_until: str | None
    revoked_at: str | None
    revocation_reason: str | None
    subject: str | None


class MaterialOut(Schema):
    id: int
    kind: str
    label: str
    mime: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class CertificateOut(Schema):
    id: int
    serial: str
    status: str
    title: str
    item: CodeName
    issuer: CodeName
    subject: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None
    revoked_at: dt.datetime | None
    revocation_reason: str | None
    signer_name: str
    signer_title: str
    copies: int
    seal_use_ref: str | None
    chain_seq: int | None
    token: str
    verify_url: str
    application_id: int


class ApplicationOut(Schema):
    id: int
    receipt_number: str
    region: CodeName
    channel: str
    status: str
    applicant: str = Field(description="脱敏姓名")
    applicant_id_number: str = Field(description="脱敏身份证号")
    by_proxy: bool
    agent: str | None
    request_text: str
    purpose: str
    requesting_agency: str | None
    agency_basis: str | None
    outcome: str
    item: CodeName | None
    triage: dict
    received_at: dt.datetime
    decision: dict | None
    certificate: CertificateOut | None
    coordination_case: dict | None
    materials: list[MaterialOut]


class Page(Schema):
    count: int
    items: list[ApplicationOut]


class RegisterRow(Schema):
    application_id: int
    receipt_number: str
    region: CodeName
    applicant: str
    outcome: str
    item: CodeName | None
    requesting_agency: str | None
    purpose: str
    result: Literal["issued", "revoked", "refused"]
    serial: str | None
    refusal_number: str | None
    decision_rule: str
    decision_clause: str
    signer_name: str | None
    signer_title: str | None
    decided_at: dt.datetime | None
    issued_at: dt.datetime | None
    valid_until: dt.datetime | None
    revoked_at: dt.datetime | None
    copies: int | None


class RegisterPage(Schema):
    count: int
    items: list[RegisterRow]


class StatsOut(Schema):
    per_item: list[dict]
    per_agency: list[dict]


class CaseOut(Schema):
    id: int
    application_id: int
    region: CodeName
    township: CodeName
    item: CodeName
    agency: str
    status: str
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    action: str | None
    result: str | None


class TemplateOut(Schema):
    id: int
    item_code: str
    item_name: str
    region: CodeName
    requesting_agency: str
    title: str
    body: str
    validity_days: int | None
    status: str
    published_at: dt.datetime | None
    sample_pdf: str | None
