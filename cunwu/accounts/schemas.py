from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import Field

from cunwu.textinput import CodeText


class TokenIn(Schema):
    username: CodeText = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    # The TOTP code; required only where two-factor sign-in applies to the account (CUNWU_2FA_REQUIRED).
    otp: str = Field(default="", max_length=12)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class TokenListOut(Schema):
    id: int
    label: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class MembershipOut(Schema):
    role: str
    role_label: str
    region: str
    region_name: str
    organisation: str | None


class MeOut(Schema):
    username: str
    display_name: str
    memberships: list[MembershipOut]
