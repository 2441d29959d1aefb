"""Menus and workbench items contributed by each app, so no app edits another's templates.

An app may define `nav.py` with `NAV: list[NavItem]` (staff menu) and `PUBLIC: list[NavItem]`
(portal menu), and `workbench.py` with `items(user, scope) -> list[WorkItem]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from django.urls import reverse

from cunwu.plugins import app_modules

from .permissions import Perm
from .scope import Scope, scope_for


@dataclass(frozen=True)
class NavItem:
    """A menu entry; `detail` (optional) is the one-line description shown on the portal's home page."""

    label: str
    url_name: str
    perm: Perm | None = None
    order: int = 50
    detail: str = ""


@dataclass(frozen=True)
class Section:
    """A public section as the portal lists it."""

    label: str
    url: str
    detail: str


@dataclass(frozen=True)
class WorkItem:
    """One thing a person has to do (or watch), shown as a card on the workbench."""

    area: str
    title: str
    url: str
    count: int | None = None
    detail: str = ""
    urgent: bool = False


@cache
def _modules(name: str) -> tuple[ModuleType, ...]:
    return app_modules(name)


def nav_for(user: Any) -> list[tuple[str, str]]:
    scope = scope_for(user)
    items = [i for m in _modules("nav") for i in getattr(m, "NAV", [])]
    items = [i for i in items if i.perm is None or scope.has(i.perm)]
    return [(i.label, reverse(i.url_name)) for i in sorted(items, key=lambda i: (i.order, i.label))]


def _public_items() -> list[NavItem]:
    items = [i for m in _modules("nav") for i in getattr(m, "PUBLIC", [])]
    return sorted(items, key=lambda i: (i.order, i.label))


def public_nav() -> list[tuple[str, str]]:
    return [(i.label, reverse(i.url_name)) for i in _public_items()]


def public_sections() -> list[Section]:
    """The public menu with descriptions, for the portal's home page."""
    return [Section(i.label, reverse(i.url_name), i.detail) for i in _public_items()]


def work_items_for(user: Any) -> list[WorkItem]:
    scope: Scope = scope_for(user)
    out: list[WorkItem] = []
    for module in _modules("workbench"):
        out.extend(module.items(user, scope))
    return sorted(out, key=lambda w: (not w.urgent, w.area))
