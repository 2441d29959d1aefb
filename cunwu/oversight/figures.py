"""The burden plug-ins: every app's `burden.py`, found with autodiscover_modules (see
BURDEN_PROTOCOL in docs/burden-index.md). Oversight only calls them; it never reads their tables."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Figure:
    name: str
    label: str
    unit: str
    clause: str
    app: str


@cache
def burden_modules() -> tuple[ModuleType, ...]:
    """Each installed app's burden module, in INSTALLED_APPS order."""
    autodiscover_modules("burden")
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.burden")
        if module is not None and hasattr(module, "FIGURES") and hasattr(module, "counts"):
            found.append(module)
    return tuple(found)


@cache
def all_figures() -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for module in burden_modules():
        app = module.__name__.rsplit(".", 2)[-2]
        for name, spec in module.FIGURES.items():
            out[name] = Figure(name, spec["label"], spec.get("unit", ""), spec.get("clause", ""), app)
    return out


def _owner(figure: str) -> ModuleType | None:
    for module in burden_modules():
        if figure in module.FIGURES:
            return module
    return None


def counts(start: date, end: date) -> Iterator[tuple[str, str, str, str | None, int]]:
    """Every app's rows for records dated in [start, end)."""
    for module in burden_modules():
        yield from module.counts(start, end)


def has_records(figure: str) -> bool:
    module = _owner(figure)
    return module is not None and hasattr(module, "records")


def records(
    figure: str, low: str, high: str, start: date, end: date, *, user: Any, limit: int
) -> tuple[list[Any], int]:
    """The producing app's records behind a figure with region codes in [low, high], dated in
    [start, end) (its own `records`, from the same queries that count the figure), and their total."""
    module = _owner(figure)
    if module is None or not hasattr(module, "records"):
        return [], 0
    found: tuple[list[Any], int] = module.records(figure, low, high, start, end, user=user, limit=limit)
    return found
