"""Fixtures of the complaints tests: photos in a temporary MEDIA_ROOT, and a report made through the service."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from conftest import VILLAGE


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height and holds almost no pixel data: refusing it must not
    need decoding it."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


@pytest.fixture
def make_complaint(db: Any) -> Callable[..., Any]:
    """`make_complaint(**overrides)` → a report filed through the service (anonymous, about the village)."""
    from cunwu.complaints.services import Filing, complaint_file

    def make(**kw: Any) -> Any:
        values: dict[str, Any] = {
            "category": "pushed_work",
            "region": VILLAGE,
            "text": "县某局要求村里每周上报防溺水巡查照片，不在清单内。",
            "subject": "富民县某局",
            "anonymous": True,
        }
        values.update(kw)
        return complaint_file(Filing(**values))

    return make
