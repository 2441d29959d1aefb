from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from .factories import make_seal


@pytest.fixture(autouse=True)
def _media(tmp_path: Any) -> Any:
    # Uploaded documents go to a throwaway MEDIA_ROOT per test.
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield


@pytest.fixture
def seal(village: Any, custodian: Any, head: Any) -> Any:
    """The 村民委员会章 of the first village: kept by seal_custodian, approved by village_head."""
    return make_seal(village, custodian, [head])


@pytest.fixture
def collective_seal(village: Any, custodian: Any, head: Any) -> Any:
    from ..choices import SealKind

    return make_seal(village, custodian, [head], kind=SealKind.COLLECTIVE)


@pytest.fixture
def other_seal(other_village: Any, other_head: Any) -> Any:
    from cunwu.accounts.models import User

    return make_seal(other_village, User.objects.get(username="seal_custodian2"), [other_head])
