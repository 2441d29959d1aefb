"""Typed references from a complaint to the record it is about, checked through the owners' selectors.

A reference is (kind, id or code); the owning app says whether the record exists and what it is
called. Complaints never read those apps' tables and hold no foreign key into them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cunwu.admission.selectors import offlist_reference, request_reference
from cunwu.catalogs import kinds
from cunwu.catalogs.selectors import catalog_item_get
from cunwu.certificates.selectors import refusal_reference
from cunwu.errors import NotFound
from cunwu.regions.selectors import organisation_reference
from cunwu.seals.selectors import seal_use_reference
from cunwu.signs.selectors import sign_reference

if TYPE_CHECKING:
    from cunwu.regions.models import Region

KINDS: dict[str, str] = {
    "catalog_item": "清单事项",
    "department": "部门或单位",
    "admission_request": "准入申请",
    "offlist_report": "清单外摊派反映",
    "certificate_refusal": "不予出具证明告知书",
    "sign": "牌子",
    "seal_use": "用印登记",
}


@dataclass(frozen=True)
class Ref:
    kind: str
    ref: str
    label: str

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)


def _by_int(lookup: Callable[[int], tuple[str, str] | None]) -> Callable[[str], tuple[str, str] | None]:
    def find(ref: str) -> tuple[str, str] | None:
        return lookup(int(ref)) if ref.isdigit() and len(ref) < 12 else None

    return find


def _refusal(ref: str) -> tuple[str, str] | None:
    """A refusal notice is `<village code>/<notice number>`: numbers run per village."""
    village, _, number = ref.partition("/")
    label = refusal_reference(village, number) if village and number else None
    return (village, label) if label else None


_LOOKUPS: dict[str, Callable[[str], tuple[str, str] | None]] = {
    "department": _by_int(organisation_reference),
    "admission_request": _by_int(request_reference),
    "offlist_report": _by_int(offlist_reference),
    "certificate_refusal": _refusal,
    "sign": _by_int(sign_reference),
    "seal_use": seal_use_reference,
}


def _catalog_item(region: Region, code: str) -> str | None:
    for kind in kinds.KINDS:
        try:
            item = catalog_item_get(kind, region, code)
        except NotFound:
            continue
        return f"{item.code} {item.name}"
    return None


def resolve(kind: str, ref: str, region: Region) -> Ref | None:
    """The reference with its label when the record exists, else None. Catalog items are looked up in
    the catalogs in force at the report's region; other records by their id anywhere."""
    ref = (ref or "").strip()[:64]
    if kind not in KINDS or not ref:
        return None
    if kind == "catalog_item":
        label = _catalog_item(region, ref)
        return Ref(kind, ref, label[:200]) if label else None
    found = _LOOKUPS[kind](ref)
    if found is None:
        return None
    return Ref(kind, ref, found[1][:200])
