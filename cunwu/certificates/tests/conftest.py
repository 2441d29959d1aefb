from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media_and_keys(settings: Any, tmp_path: Any) -> Iterator[None]:
    """Uploads go to a temporary folder; parsed keys are not carried from one test's DB to the next."""
    from ..keys import clear_caches

    settings.MEDIA_ROOT = tmp_path / "media"
    clear_caches()
    yield
    clear_caches()
