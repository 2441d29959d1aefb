"""Burden figures owned by certificates, counted for oversight (（十五）（十六）)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse

from .models import Outcome, Status
from .selectors import burden_rows

FIGURES: dict[str, dict[str, str]] = {
    "certificates_issued": {"label": "村级组织出具的证明", "unit": "件", "clause": "（十二）"},
    "certificates_refused": {"label": "不予出具的证明申请", "unit": "件", "clause": "（十一）"},
    "certificates_forbidden_demands": {
        "label": "索要不应由村出具证明的（记录了索要单位）",
        "unit": "次",
        "clause": "（十一）",
    },
    "certificates_escalated": {"label": "报乡镇协调的索要证明事项", "unit": "件", "clause": "（十三）"},
}

_REGISTER_FILTER: dict[str, dict[str, str]] = {
    "certificates_issued": {"status": Status.ISSUED},
    "certificates_refused": {"status": Status.REFUSED},
    "certificates_forbidden_demands": {"outcome": Outcome.FORBIDDEN},
}


def counts(start: dt.date, end: dt.date) -> Iterable[tuple[str, str, str, str | None, int]]:
    return burden_rows(start, end)


def records_url(figure: str, region_code: str, start: dt.date, end: dt.date) -> str | None:
    """The register filtered by region subtree and receipt dates; coordination cases for escalations."""
    if figure == "certificates_escalated":
        return reverse("certificates:cases")
    if figure not in _REGISTER_FILTER:
        return None
    until = end - dt.timedelta(days=1)
    query = {**_REGISTER_FILTER[figure], "region": region_code, "since": start.isoformat(), "until": until.isoformat()}
    return reverse("certificates:register") + "?" + urlencode(query)
