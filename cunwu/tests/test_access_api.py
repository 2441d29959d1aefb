"""Every operation of /api/v1/openapi.json × every persona answers the status the access table expects."""

from __future__ import annotations

from typing import Any

import pytest

from cunwu.api import api

from .access_table import OPERATIONS
from .matrix import Caller, api_operations, fill_path
from .world import build_world

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return list(api_operations(api.get_openapi_schema()))


def test_every_operation_has_a_row_in_the_access_table() -> None:
    keys = [key for key, _, _ in _operations()]
    missing = [key for key in keys if key not in OPERATIONS]
    assert not missing, (
        "These API operations have no expected statuses: add a row per operation to OPERATIONS in "
        f"cunwu/tests/access_table.py (and their objects to cunwu/tests/world.py): {missing}"
    )
    stale = sorted(set(OPERATIONS) - set(keys))
    assert not stale, f"Rows for operations that no longer exist (remove them from OPERATIONS): {stale}"


def test_every_operation_answers_each_persona_as_the_table_says(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    caller = Caller()
    wrong: list[str] = []
    for key, path, op in _operations():
        row = OPERATIONS[key]
        params = [p["name"] for p in op.get("parameters", []) if p["in"] == "path"]
        url = fill_path(path, {p: world[row.kw.get(p, p)] for p in params})
        method = key.split()[0]
        for persona, status in row.expected(api=True).items():
            got = caller.operation(persona, method, url, row.body)
            if got != status:
                wrong.append(f"{key} ({url}) as {persona}: expected {status}, got {got}")
    assert not wrong, "\n".join(wrong)
