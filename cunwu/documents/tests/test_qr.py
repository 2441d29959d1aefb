from __future__ import annotations

import base64
import io
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image

from cunwu.documents import qr_png, qr_svg_data_uri
from cunwu.documents.qr import make_qr

URL = "https://cunwu.yn.gov.cn/verify/5301-2027-000123?t=" + "x" * 250


def test_error_correction_is_m() -> None:
    assert make_qr(URL).error == "M"
    assert not make_qr(URL).is_micro


def test_png_is_a_png() -> None:
    image = Image.open(io.BytesIO(qr_png(URL)))
    assert image.format == "PNG"


def test_svg_data_uri_is_an_svg() -> None:
    uri = qr_svg_data_uri(URL)
    assert uri.startswith("data:image/svg+xml")
    payload = uri.split(",", 1)[1]
    svg = base64.b64decode(payload) if ";base64" in uri else urllib.parse.unquote(payload)
    assert "<svg" in str(svg)


def test_empty_data_is_refused() -> None:
    with pytest.raises(ValueError):
        qr_png("")


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools (zbarimg) not installed")
def test_png_decodes_to_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "qr.png"
    path.write_bytes(qr_png("村务核验 " + URL, scale=4))
    out = subprocess.run(["zbarimg", "--raw", "-q", str(path)], capture_output=True, timeout=30)
    assert out.stdout.rstrip(b"\n") == ("村务核验 " + URL).encode()
