"""Menus and workbench items contributed by each app, so no app edits another's templates.

An app may define `nav.py` with `NAV: list[NavItem]` (staff menu) and `PUBLIC: list[NavItem]`
(portal menu), and `workbench.py` with `items(user, scope) -> list[WorkItem]`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from types import ModuleType
from typing import Any

from django.urls import reverse

from cunwu.plugins import app_modules

from .permissions import Perm
from .scope import Scope, scope_for


@dataclass(frozen=True)
class NavItem:
    """A menu entry; `detail` (optional) is the one-line description shown on the portal's home page.

    `group` files a staff entry under one of `GROUPS`; an app's `nav.py` may set a module-level `GROUP`
    for all its entries instead. An entry with no group stands on its own at the front (工作台).
    """

    label: str
    url_name: str
    perm: Perm | None = None
    order: int = 50
    detail: str = ""
    group: str = ""


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


# The staff menu's headings, in the order they are shown. A township officer holds some 20 entries;
# flat, they filled three rows at 1280 px, so they are grouped by the work they belong to.
GROUPS = ("", "清单与准入", "填表报数", "牌子与阵地", "证明", "印章", "监督与举报", "系统")


def _staff_items(user: Any) -> list[NavItem]:
    scope = scope_for(user)
    items = []
    for module in _modules("nav"):
        default = getattr(module, "GROUP", "")
        for item in getattr(module, "NAV", []):
            if item.perm is None or scope.has(item.perm):
                items.append(item if item.group else replace(item, group=default))
    # One entry may be granted through two permissions (批准登记); it is listed once.
    unique = {i.url_name: i for i in sorted(items, key=lambda i: (i.order, i.label), reverse=True)}
    return sorted(unique.values(), key=_menu_position)


def _menu_position(item: NavItem) -> tuple[int, int, str]:
    group = GROUPS.index(item.group) if item.group in GROUPS else len(GROUPS)
    return (group, item.order, item.label)


def nav_for(user: Any) -> list[tuple[str, str]]:
    """The staff menu as one list (label, url), group by group in menu order."""
    return [(i.label, reverse(i.url_name)) for i in _staff_items(user)]


def nav_groups_for(user: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The staff menu grouped under `GROUPS`: (heading, [(label, url)]) with empty groups left out."""
    grouped: dict[str, list[tuple[str, str]]] = {}
    for item in _staff_items(user):
        grouped.setdefault(item.group, []).append((item.label, reverse(item.url_name)))
    return list(grouped.items())


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
