"""Uploads are bounded before work (issue 10): count and sizes before any file is read, pixels from
the header before any decoding, one body size for the whole request."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cunwu.certificates.models import Application, Material
from cunwu.certificates.tests.helpers import id_number
from cunwu.documents import UploadError, check_batch, clean_image
from cunwu.documents.uploads import MAX_PIXELS

SIDE = 7745  # 7745 × 7745 ≈ 60.0 megapixels, just under the old 60 MP limit


def huge_png(width: int = SIDE, height: int = SIDE) -> bytes:
    """A real, whole PNG of width × height black pixels: a few tens of KB that would decode to 60 MB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte + one grey byte per pixel
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def png_60mp() -> bytes:
    return huge_png()


def small_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, "PNG")
    return out.getvalue()


def test_the_60_megapixel_png_is_small_on_disk_and_whole(png_60mp: bytes) -> None:
    assert len(png_60mp) < 300_000
    with Image.open(io.BytesIO(png_60mp)) as image:
        assert image.size == (SIDE, SIDE) and image.size[0] * image.size[1] > MAX_PIXELS


def test_60_megapixels_are_refused_from_the_header_with_a_clear_message(png_60mp: bytes) -> None:
    with pytest.raises(UploadError) as exc:
        clean_image(png_60mp)
    assert f"{SIDE}×{SIDE}" in exc.value.message and "最大 40 百万像素" in exc.value.message


def test_40_megapixels_is_the_limit() -> None:
    assert MAX_PIXELS == 40_000_000 and Image.MAX_IMAGE_PIXELS == MAX_PIXELS


def test_a_batch_is_refused_by_count_size_and_total_without_reading() -> None:
    with pytest.raises(UploadError, match="最多上传 10 个文件，您选择了 14 个"):
        check_batch([("a.png", 10)] * 14, max_files=10, max_bytes=100, max_total=1000)
    with pytest.raises(UploadError, match="太大"):
        check_batch([("a.png", 101)], max_files=10, max_bytes=100, max_total=1000)
    with pytest.raises(UploadError, match="合计太大"):
        check_batch([("a.png", 100)] * 5, max_files=10, max_bytes=100, max_total=400)


# --- through the public application form -------------------------------------------------------


def _application(files: list[SimpleUploadedFile]) -> dict[str, Any]:
    return {
        "applicant_name": "岩温",
        "applicant_id_number": id_number(),
        "applicant_phone": "13800000000",
        "request_text": "开具居住证明",
        "purpose": "办理手续",
        "requesting_agency": "某公司",
        "materials": files,
    }


@pytest.mark.django_db
def test_fourteen_files_are_refused_at_the_field_before_any_is_read(client: Any, village: Any) -> None:
    # Not images at all: had any been read and checked, the message would be about its type.
    files = [SimpleUploadedFile(f"f{i}.png", b"not an image", "image/png") for i in range(14)]
    response = client.post(reverse("certificates_public:apply_form", args=[village.code]), _application(files))
    assert response.status_code == 422
    html = response.content.decode()
    assert "一次最多上传 10 个文件，您选择了 14 个" in html and "不是允许的文件类型" not in html
    assert not Application.objects.exists() and not Material.objects.exists()


@pytest.mark.django_db
def test_a_60_megapixel_photo_is_a_field_error_on_the_form(client: Any, village: Any, png_60mp: bytes) -> None:
    files = [SimpleUploadedFile("huge.png", png_60mp, "image/png")]
    response = client.post(reverse("certificates_public:apply_form", args=[village.code]), _application(files))
    assert response.status_code == 422 and "百万像素" in response.content.decode()
    assert not Application.objects.exists()


def test_django_counts_files_below_its_default(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES < 100


@pytest.mark.django_db
def test_a_body_larger_than_any_accepted_upload_is_refused_unparsed(client: Any, village: Any, settings: Any) -> None:
    settings.UPLOAD_MAX_TOTAL_BYTES = 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    files = [SimpleUploadedFile("big.png", small_png() + b"\0" * 4096, "image/png")]
    response = client.post(reverse("certificates_public:apply_form", args=[village.code]), _application(files))
    assert response.status_code == 413 and "合计太大" in response.content.decode()
    assert not Application.objects.exists()
