"""Checking uploaded files by their content, and re-encoding images without metadata.

A file's name and the browser's Content-Type are chosen by the uploader; only the bytes count.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from cunwu.errors import Invalid

# Width × height from the image header, refused above this before any pixel is decoded. Phone
# photos are 12–50 megapixels, and JPEGs that large decode at a reduced scale (draft); a PNG or
# WebP is decoded whole, so at most 40 MP × 4 bytes = 160 MB per decode.
MAX_PIXELS = 40_000_000
# Pillow's own bomb check only warns below twice its limit: make its limit ours as a second guard
# (errors from 2 × MAX_PIXELS), and silence its warning, since every such image is refused above.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
# One decode at a time per process bounds the memory that uploads can take together.
_DECODING = threading.BoundedSemaphore(1)
_FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
_MIME = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
_NAMES = {"pdf": "PDF", "jpeg": "JPEG 图片", "png": "PNG 图片", "webp": "WebP 图片"}


class UploadError(ValueError):
    """The upload is refused; ``message`` is Chinese, fit to show next to the file field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    """What the bytes are: ``kind`` (e.g. "pdf", "jpeg"), MIME type, size and SHA-256 (hex)."""

    kind: str
    mime: str
    size: int
    sha256: str


def megabytes(n: int) -> str:
    mb = n / (1024 * 1024)
    return f"{mb:.0f}" if mb >= 10 or mb.is_integer() else f"{mb:.1f}"


def detect_kind(data: bytes) -> str | None:
    """The file kind from magic bytes: "pdf", "jpeg", "png", "webp", … or None if unknown."""
    if data.startswith(b"%PDF-"):
        # A real PDF ends with %%EOF (possibly followed by a little whitespace or junk).
        return "pdf" if b"%%EOF" in data[-2048:] else None
    guess = filetype.guess(data)
    if guess is None or guess.extension == "pdf":  # filetype would accept %PDF anywhere early
        return None
    return "jpeg" if guess.extension == "jpg" else guess.extension


def check_batch(files: Sequence[tuple[str, int]], *, max_files: int, max_bytes: int, max_total: int) -> None:
    """Refuse a batch by what the request already says — how many files, each one's size, their sum —
    before any file is read. ``files`` are (name, size) pairs; raises UploadError."""
    if len(files) > max_files:
        raise UploadError(f"一次最多上传 {max_files} 个文件，您选择了 {len(files)} 个，请减少后再提交")
    for name, size in files:
        if size > max_bytes:
            label = f"“{name}”" if name else "文件"
            raise UploadError(f"{label}太大（{megabytes(size)} MB），最大 {megabytes(max_bytes)} MB")
    total = sum(size for _, size in files)
    if total > max_total:
        raise UploadError(f"文件合计太大（{megabytes(total)} MB），一次最多 {megabytes(max_total)} MB")


def validate_upload_size(f: UploadedFile) -> None:
    """Form-field validator: refuse a file by its declared size before anything reads it."""
    try:
        check_batch(
            [(f.name or "", f.size or 0)],
            max_files=1,
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_total=settings.UPLOAD_MAX_BYTES,
        )
    except UploadError as exc:
        raise ValidationError(exc.message, code="upload_too_large") from exc


def read_uploads(files: Sequence[UploadedFile], *, field: str, max_files: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of each uploaded file, read only once count, sizes and total pass (Invalid at `field`)."""
    try:
        check_batch(
            [(f.name or "", f.size or 0) for f in files],
            max_files=max_files,
            max_bytes=settings.UPLOAD_MAX_BYTES,
            max_total=settings.UPLOAD_MAX_TOTAL_BYTES,
        )
    except UploadError as exc:
        raise Invalid.field(field, exc.message) from exc
    return [(f.name or "", f.read()) for f in files]


def check_upload(data: bytes, filename: str, *, allowed: set[str], max_bytes: int) -> CheckedFile:
    """Accept ``data`` only if it is non-empty, at most ``max_bytes`` and of an allowed kind.

    Raises UploadError. ``filename`` appears only in messages.
    """
    name = f"“{filename}”" if filename else "文件"
    if not data:
        raise UploadError(f"{name}是空文件，请重新选择")
    if len(data) > max_bytes:
        raise UploadError(f"{name}太大（{megabytes(len(data))} MB），最大 {megabytes(max_bytes)} MB")
    kind = detect_kind(data)
    if kind is None or kind not in allowed:
        wanted = "、".join(_NAMES.get(k, k.upper()) for k in sorted(allowed))
        raise UploadError(f"{name}的内容不是允许的文件类型，只能上传：{wanted}")
    mime = _MIME.get(kind)
    if mime is None:
        known = filetype.get_type(ext=kind)
        mime = known.mime if known else "application/octet-stream"
    return CheckedFile(
        kind=kind,
        mime=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def clean_image(
    data: bytes, *, max_side: int = 1600, max_pixels: int = MAX_PIXELS, max_dimension: int | None = None
) -> bytes:
    """Re-encode a JPEG, PNG or WebP, keeping its format, with every bit of metadata dropped.

    EXIF orientation is applied first (so the photo stays upright without its EXIF), colour
    profiles are converted to sRGB, and the image is shrunk to fit ``max_side``. The pixel count is
    read from the header and checked against ``max_pixels`` (and ``max_dimension``, the longest side)
    before anything is decoded. Raises
    UploadError for anything that is not a whole, reasonably sized image.
    """
    try:
        # Image.open reads only the header: the size is known before anything is decoded.
        image: Image.Image = Image.open(io.BytesIO(data))
        fmt = image.format or ""
        if fmt not in _FORMATS:
            raise UploadError("只能上传 JPEG、PNG 或 WebP 图片")
        width, height = image.size
        if width * height > max_pixels or (max_dimension is not None and max(width, height) > max_dimension):
            raise UploadError(
                f"图片尺寸过大（{width}×{height} 像素，约 {width * height / 1e6:.0f} 百万像素），"
                f"最大 {max_pixels // 1_000_000} 百万像素，请缩小后再上传"
            )
        with _DECODING:
            return _reencode(image, fmt, max_side)
    except UploadError:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadError("图片尺寸过大，请缩小后再上传") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UploadError("图片无法读取：文件可能已损坏、不完整或不是图片") from exc


def _reencode(image: Image.Image, fmt: str, max_side: int) -> bytes:
    """Decode (bounded: size checked, one at a time), fix orientation and colours, shrink, save bare."""
    width, height = image.size
    if fmt == "JPEG" and max(width, height) > max_side:
        # Decode JPEGs at 1/2, 1/4 or 1/8 scale when that still leaves enough pixels:
        # much less memory and time for 50-megapixel phone photos.
        scale = max_side / max(width, height)
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    image.load()  # decodes now, so truncated files fail here
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)
    image = _to_saveable_mode(image, fmt)
    if icc:
        image = _to_srgb(image, icc)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)

    # A fresh info dict: EXIF (GPS, camera serials), XMP, text chunks and ICC are not carried over.
    image.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=False)
    else:
        image.save(out, "WEBP", quality=85)
    return out.getvalue()


def _to_saveable_mode(image: Image.Image, fmt: str) -> Image.Image:
    """Modes the encoder takes and resizing handles well (palette images resize badly)."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa") or "transparency" in image.info
    if fmt == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    return image.convert("RGBA" if has_alpha else "RGB")


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert colours from the embedded profile to sRGB, so dropping the profile keeps colours."""
    if image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, target, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are
    return converted or image
