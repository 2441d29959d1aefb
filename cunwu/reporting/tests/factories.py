"""Test data through the services (requests, plans, filings)."""

from __future__ import annotations

from typing import Any

from cunwu.accounts.permissions import Perm
from cunwu.accounts.scope import scope_for
from cunwu.reporting import services
from cunwu.reporting.models import FormRequest
from cunwu.reporting.services import FieldIn

YEAR = 2027


def department_id(user: Any) -> int:
    return scope_for(user).department_ids(Perm.FORM_REQUEST)[0]


def make_request(
    user: Any,
    fields: list[FieldIn],
    *,
    title: str = "农村低保对象统计表",
    frequency: str = "monthly",
    basis: str = "《社会救助暂行办法》",
    year: int = YEAR,
    layout: dict[str, Any] | None = None,
) -> FormRequest:
    return services.request_register(
        actor=user,
        department_id=department_id(user),
        year=year,
        title=title,
        purpose="掌握低保对象变化，按月向市局报送",
        basis=basis,
        frequency=frequency,
        fields=fields,
        layout=layout,
    )
