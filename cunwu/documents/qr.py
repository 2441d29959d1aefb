"""QR codes for printed documents and web pages (segno, error correction M)."""

from __future__ import annotations

import io

import segno

# The quiet zone the QR standard asks for; scanners fail more often without it.
QUIET_ZONE = 4


def make_qr(data: str) -> segno.QRCode:
    """Return a regular (never micro) QR code of ``data`` at error correction M.

    M survives a fold or a smudge on paper while keeping a ~300-character verification URL
    at version 13; ``boost_error=False`` keeps the level exactly M, so sizes are predictable.
    """
    if not data:
        raise ValueError("QR data must not be empty")
    return segno.make(data, error="m", boost_error=False, micro=False)


def qr_png(data: str, scale: int = 8) -> bytes:
    """PNG bytes of the QR code; ``scale`` is pixels per module."""
    buf = io.BytesIO()
    make_qr(data).save(buf, kind="png", scale=scale, border=QUIET_ZONE)
    return buf.getvalue()


def qr_svg_data_uri(data: str) -> str:
    """An ``data:image/svg+xml`` URI for an ``<img src>``, served with the page (no CDN)."""
    # The SVG scales with CSS; scale only sets its intrinsic size.
    return make_qr(data).svg_data_uri(scale=4, border=QUIET_ZONE)


def qr_modules(data: str) -> list[list[bool]]:
    """The module matrix including the quiet zone, True for dark; used to draw vector QR in PDFs."""
    return [[bool(m) for m in row] for row in make_qr(data).matrix_iter(border=QUIET_ZONE)]
