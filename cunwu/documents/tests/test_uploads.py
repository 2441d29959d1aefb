from __future__ import annotations

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from cunwu.documents import UploadError, check_upload, clean_image, render_pdf
from cunwu.documents.pdf import Document

IMAGES = {"jpeg", "png", "webp"}
ANY = {"pdf", *IMAGES}
MB = 1024 * 1024


def photo_with_gps(size: tuple[int, int] = (3000, 2000), orientation: int = 6) -> bytes:
    """A JPEG like a phone's: EXIF with GPS position, camera model and rotation."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, size[0] // 2, size[1]))  # left half blue, to see rotation
    exif = Image.Exif()
    exif[0x0110] = "VillagePhone 12"  # Model
    exif[0x0112] = orientation  # 6 = rotate 90° clockwise to view
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (25.0, 2.0, 30.0)
    gps[3] = "E"
    gps[4] = (102.0, 42.0, 0.0)
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif, quality=90)
    return buf.getvalue()


def test_photo_comes_back_upright_resized_and_without_any_metadata() -> None:
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has GPS

    cleaned = clean_image(original, max_side=1600)
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG"
    # Orientation 6 applied: the 3000×2000 landscape becomes portrait, fitted to 1600.
    assert image.size == (1067, 1600)
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(0x8825)
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert b"VillagePhone" not in cleaned
    # Left half was blue; after a clockwise turn the top half is blue.
    r, _g, b = image.convert("RGB").getpixel((500, 200))  # type: ignore[misc]
    assert b > 150 and r < 100


def test_png_and_webp_keep_their_format_and_lose_text_metadata() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "村民身份证号 530102199001011234")
    buf = io.BytesIO()
    Image.new("RGBA", (2000, 100), (0, 0, 0, 128)).save(buf, "PNG", pnginfo=info)
    cleaned = clean_image(buf.getvalue(), max_side=1000)
    image = Image.open(io.BytesIO(cleaned))
    assert (image.format, image.size, image.mode) == ("PNG", (1000, 50), "RGBA")
    assert b"530102" not in cleaned

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(buf, "WEBP", exif=Image.Exif().tobytes())
    image = Image.open(io.BytesIO(clean_image(buf.getvalue())))
    assert (image.format, image.size) == ("WEBP", (400, 300))


def test_truncated_image_is_refused() -> None:
    data = photo_with_gps((800, 600))
    with pytest.raises(UploadError, match="损坏"):
        clean_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding() -> None:
    # A tiny PNG that claims 100000×100000 pixels.
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    bomb = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )
    with pytest.raises(UploadError, match="过大"):
        clean_image(bomb)


def test_not_an_image_is_refused_by_clean_image() -> None:
    with pytest.raises(UploadError):
        clean_image(b"hello, I am text")


def test_real_files_are_accepted_with_kind_mime_size_and_hash() -> None:
    jpeg = photo_with_gps((200, 100))
    checked = check_upload(jpeg, "照片.JPG", allowed=ANY, max_bytes=5 * MB)
    assert (checked.kind, checked.mime, checked.size) == ("jpeg", "image/jpeg", len(jpeg))
    assert checked.sha256 == hashlib.sha256(jpeg).hexdigest()

    pdf = render_pdf(Document(title="证明"))
    assert check_upload(pdf, "scan.bin", allowed={"pdf"}, max_bytes=5 * MB).kind == "pdf"

    buf = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buf, "PNG")
    # The name says .jpg but the content is PNG: the content wins.
    assert check_upload(buf.getvalue(), "a.jpg", allowed=ANY, max_bytes=MB).kind == "png"


def test_text_file_named_jpg_is_refused() -> None:
    with pytest.raises(UploadError, match="不是允许的文件类型"):
        check_upload(b"just some text, not a photo\n" * 10, "photo.jpg", allowed=ANY, max_bytes=MB)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body>%PDF-1.7</body></html>",  # mentions %PDF but does not start with it
        b"%PDF-1.7\n" + b"x" * 5000,  # starts right but has no end-of-file marker
        b"Content-Type: application/pdf\n\n" + b"\0" * 100,
    ],
)
def test_fake_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(UploadError):
        check_upload(data, "证明.pdf", allowed={"pdf"}, max_bytes=MB)


def test_allowed_kinds_are_enforced() -> None:
    pdf = render_pdf(Document(title="证明"))
    with pytest.raises(UploadError, match="JPEG 图片"):
        check_upload(pdf, "a.pdf", allowed=IMAGES, max_bytes=5 * MB)


def test_too_large_file_says_the_limit_in_mb() -> None:
    data = b"%PDF-1.7\n" + b"x" * (3 * MB) + b"\n%%EOF\n"
    with pytest.raises(UploadError, match=r"最大 2 MB") as excinfo:
        check_upload(data, "大文件.pdf", allowed={"pdf"}, max_bytes=2 * MB)
    assert "大文件.pdf" in excinfo.value.message


def test_empty_file_is_refused() -> None:
    with pytest.raises(UploadError, match="空文件"):
        check_upload(b"", "a.pdf", allowed={"pdf"}, max_bytes=MB)
