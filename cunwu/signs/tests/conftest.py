"""Fixtures of the signs tests: photos kept in a temporary MEDIA_ROOT, sample images."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_jpeg(*, gps: bool = True, size: tuple[int, int] = (2400, 1800)) -> bytes:
    """A phone-like JPEG, by default carrying EXIF with a GPS position and a camera model."""
    image = Image.new("RGB", size, (180, 40, 30))
    exif = Image.Exif()
    exif[0x0110] = "PhoneCam X"  # Model
    if gps:
        exif[0x8825] = {1: "N", 2: (25.0, 13.0, 30.0), 3: "E", 4: (102.0, 29.0, 50.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


@pytest.fixture
def jpeg() -> bytes:
    return make_jpeg()
