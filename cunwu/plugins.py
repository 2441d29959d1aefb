"""Per-app plug-in modules (`nav.py`, `workbench.py`, `demo.py`), found by Django's autodiscovery.

An app contributes by defining the module; nobody edits a list of apps, and nothing imports by name.
"""

from __future__ import annotations

import sys
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


def app_modules(name: str) -> tuple[ModuleType, ...]:
    """Each cunwu app's `<app>.<name>` module that exists, in INSTALLED_APPS order."""
    autodiscover_modules(name)
    found = []
    for config in apps.get_app_configs():
        module = sys.modules.get(f"{config.name}.{name}") if config.name.startswith("cunwu.") else None
        if module is not None:
            found.append(module)
    return tuple(found)
