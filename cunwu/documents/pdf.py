"""Print-ready A4 PDFs with an embedded CJK font (ReportLab).

Used for certificates (证明), refusal notices (告知书), receipts (受理回执), commitment letters
(告知承诺书), one-page public notices and tabular registers. Callers pass plain values; text is
escaped here, so no caller can inject ReportLab markup.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as _rl_paragraph

from cunwu.documents.qr import qr_modules

# ReportLab's CJK wrapping keeps Japanese closing punctuation off the start of a line but misses
# the full-width Chinese ones, so a line could begin with ， or ；. Its table is a global used
# by both splitters (one frag: textsplit.wordSplit; several: paragraph.cjkFragSplit).
_CANNOT_START_ZH = "，；：！？、。）》〉」』】〕”’…—·％"
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START += "".join(ch for ch in _CANNOT_START_ZH if ch not in _module.ALL_CANNOT_START)

DEFAULT_CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT_ENV_VAR = "CUNWU_CJK_FONT"
# 32 mm puts a ~300-character URL (version 13, 77 modules with the quiet zone) at ~0.42 mm per
# module, comfortably above what phone cameras and zbar need (the brief's floor is 25 mm).
QR_SIZE = 32 * mm
SEAL_BOX = 45 * mm  # township and village seals are 42 mm across
GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#f0f0f0")


class FontNotFound(RuntimeError):
    """The CJK TrueType font is missing or unusable; PDFs cannot be made without it."""


@dataclass
class Document:
    """One printed document: everything optional except the title.

    ``seal_area`` draws an empty dashed box labelled （盖章处） for the physical seal; a seal image
    is never drawn, because a printed seal image is not a seal.
    """

    title: str
    serial: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    fields: list[tuple[str, str]] = field(default_factory=list)
    qr_url: str | None = None
    qr_caption: str | None = None
    issuer: str | None = None
    date_text: str | None = None
    seal_area: bool = False
    footer: str | None = None
    purpose_line: str | None = None
    validity_line: str | None = None


_font_lock = threading.Lock()
_registered: dict[str, str] = {}


def cjk_font_name() -> str:
    """Register the CJK font once per process and return its ReportLab name.

    The path comes from ``CUNWU_CJK_FONT`` (default: Debian's fonts-wqy-microhei). ReportLab
    embeds a subset of it, unlike its built-in STSong-Light which viewers render blank.
    """
    path = os.environ.get(FONT_ENV_VAR) or DEFAULT_CJK_FONT
    with _font_lock:
        if path in _registered:
            return _registered[path]
        if not os.path.isfile(path):
            raise FontNotFound(
                f"CJK font not found at {path!r}. Install the Debian package fonts-wqy-microhei "
                f"(see the Makefile) or set {FONT_ENV_VAR} to a TrueType .ttf/.ttc file."
            )
        name = f"CunwuCJK{len(_registered)}"
        try:
            # subfontIndex 0 is the regular face of a .ttc; ignored for .ttf files.
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
        except Exception as exc:  # ReportLab raises bare TTFError/AssertionError variants
            raise FontNotFound(
                f"ReportLab cannot use the font {path!r} ({exc}). It needs TrueType outlines: "
                f"fonts-wqy-microhei works, the CFF-based Noto CJK .ttc does not."
            ) from exc
        # The font has no bold face: map <b> to the same face so markup never fails.
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
        _registered[path] = name
        return name


def _styles(font: str) -> dict[str, ParagraphStyle]:
    # wordWrap="CJK" breaks lines between any two Han characters; the default breaks only at spaces.
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    return {
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontSize=20,
            leading=28,
            alignment=TA_CENTER,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontSize=11,
            leading=16,
            alignment=TA_CENTER,
            textColor=GREY,
        ),
        "serial": ParagraphStyle(
            "serial",
            parent=base,
            fontSize=10,
            leading=14,
            alignment=TA_RIGHT,
            textColor=GREY,
        ),
        # Two-character first-line indent, as Chinese official prose is set.
        "body": ParagraphStyle("body", parent=base, firstLineIndent=24, spaceAfter=6),
        "line": ParagraphStyle("line", parent=base, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=16),
        "small": ParagraphStyle(
            "small",
            parent=base,
            fontSize=9,
            leading=12,
            alignment=TA_CENTER,
            textColor=GREY,
        ),
        "footer": ParagraphStyle(
            "footer",
            parent=base,
            fontSize=8,
            leading=11,
            alignment=TA_LEFT,
            textColor=GREY,
        ),
        "th": ParagraphStyle("th", parent=base, fontSize=10, leading=14, alignment=TA_CENTER),
        "td": ParagraphStyle("td", parent=base, fontSize=10, leading=14),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, with newlines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _QrCode(Flowable):
    """A QR code drawn as vector squares, sharp at any print or scan resolution."""

    def __init__(self, data: str, size: float) -> None:
        super().__init__()
        self.modules = qr_modules(data)
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        n = len(self.modules)
        unit = self.size / n
        c = self.canv
        c.setFillColor(colors.white)
        c.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        # One path for all dark runs: separate fills would leave anti-aliasing seams between them.
        path = c.beginPath()
        for r, row in enumerate(self.modules):
            y = self.size - (r + 1) * unit
            col = 0
            while col < n:
                if row[col]:
                    start = col
                    while col < n and row[col]:
                        col += 1
                    path.rect(start * unit, y, (col - start) * unit, unit)
                else:
                    col += 1
        c.setFillColor(colors.black)
        c.drawPath(path, stroke=0, fill=1)


class _SignatureBlock(Flowable):
    """Issuer and date, right-aligned, inside a dashed （盖章处） box when a seal is due.

    The box sits over the issuer and date because that is where a seal is stamped on paper.
    """

    def __init__(
        self,
        issuer: str | None,
        date_text: str | None,
        seal_area: bool,
        width: float,
        font: str,
    ) -> None:
        super().__init__()
        self.lines = [t for t in (issuer, date_text) if t]
        self.seal_area = seal_area
        self.font = font
        self.width = width
        self.height = max(SEAL_BOX if seal_area else 0, 22 * len(self.lines)) + 4

    def draw(self) -> None:
        c = self.canv
        size = 12.0
        widest = max((pdfmetrics.stringWidth(t, self.font, size) for t in self.lines), default=0)
        if widest > self.width:  # a long issuer name shrinks rather than running off the page
            size = size * self.width / widest
            widest = self.width
        right = self.width
        centre_x = right - widest / 2 if self.lines else right - SEAL_BOX / 2
        if self.seal_area:
            box_left = min(max(centre_x - SEAL_BOX / 2, 0), self.width - SEAL_BOX)
            bottom = (self.height - SEAL_BOX) / 2
            c.saveState()
            c.setStrokeColor(colors.HexColor("#999999"))
            c.setDash(3, 3)
            c.setLineWidth(0.6)
            c.rect(box_left, bottom, SEAL_BOX, SEAL_BOX, stroke=1, fill=0)
            c.setFont(self.font, 9)
            c.setFillColor(colors.HexColor("#999999"))
            c.drawCentredString(box_left + SEAL_BOX / 2, bottom + SEAL_BOX - 13, "（盖章处）")
            c.restoreState()
        c.setFont(self.font, size)
        c.setFillColor(colors.black)
        y = self.height / 2 + (len(self.lines) - 1) * 11 - size / 3
        for text in self.lines:
            c.drawRightString(right, y, text)
            y -= 22


def _numbered_canvas(font: str, footer: str | None) -> type[Canvas]:
    """A canvas class that draws the footer and 第 x 页 / 共 n 页 once the page count is known."""
    style = _styles(font)["footer"]

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _decorate(self, number: int, total: int) -> None:
            page_w, _ = self._pagesize
            left = 20 * mm
            if footer:
                para = _p(footer, style)
                para.wrap(page_w - 2 * left, 30 * mm)
                para.drawOn(self, left, 10 * mm + (14 if total > 1 else 0))
            if total > 1:
                self.setFont(font, 9)
                self.setFillColor(GREY)
                self.drawCentredString(page_w / 2, 10 * mm, f"第 {number} 页 / 共 {total} 页")

    return NumberedCanvas


def _template(buf: io.BytesIO, title: str, author: str | None, **kwargs: Any) -> SimpleDocTemplate:
    font = cjk_font_name()
    options: dict[str, Any] = {
        "pagesize": A4,
        "leftMargin": 25 * mm,
        "rightMargin": 25 * mm,
        "topMargin": 25 * mm,
        "bottomMargin": 28 * mm,
    }
    options.update(kwargs)
    return SimpleDocTemplate(
        buf,
        title=title,
        author=author or "",
        creator="cunwu",
        lang="zh-CN",
        displayDocTitle=True,
        pageCompression=1,
        initialFontName=font,
        **options,
    )


def render_pdf(doc: Document) -> bytes:
    """Render ``doc`` as A4 PDF bytes; a certificate of ordinary length fits one page."""
    font = cjk_font_name()
    st = _styles(font)
    buf = io.BytesIO()
    template = _template(buf, doc.title, doc.issuer, subject=doc.serial or "")
    width = template.width
    story: list[Flowable] = [_p(doc.title, st["title"])]
    if doc.serial:
        story.append(_p(f"编号：{doc.serial}", st["serial"]))
    story.append(Spacer(1, 8))
    story.extend(_p(text, st["body"]) for text in doc.paragraphs)
    if doc.fields:
        rows = [[_p(label, st["cell"]), _p(value, st["cell"])] for label, value in doc.fields]
        table = Table(rows, colWidths=[36 * mm, width - 36 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                    ("BACKGROUND", (0, 0), (0, -1), LIGHT),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ]
            )
        )
        story.extend([Spacer(1, 4), table, Spacer(1, 8)])
    for line in (doc.purpose_line, doc.validity_line):
        if line:
            story.append(_p(line, st["line"]))
    story.append(Spacer(1, 12))
    story.extend(_closing(doc, width, font, st))
    template.build(story, canvasmaker=_numbered_canvas(font, doc.footer))
    return buf.getvalue()


def _closing(doc: Document, width: float, font: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """QR code on the left, issuer/date/seal box on the right, kept together on one page."""
    has_signature = bool(doc.issuer or doc.date_text or doc.seal_area)
    if not doc.qr_url and not has_signature:
        return []
    left_w = QR_SIZE + 16 * mm if doc.qr_url else 0
    right_w = width - left_w
    left: list[Flowable] = []
    if doc.qr_url:
        left.append(_QrCode(doc.qr_url, QR_SIZE))
        if doc.qr_caption:
            left.append(_p(doc.qr_caption, st["small"]))
    right: list[Flowable] = []
    if has_signature:
        right.append(_SignatureBlock(doc.issuer, doc.date_text, doc.seal_area, right_w - 6, font))
    cells = [left, right] if doc.qr_url else [right]
    table = Table([cells], colWidths=[left_w, right_w] if doc.qr_url else [right_w])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("ALIGN", (0, 0), (0, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [KeepTogether([table])]


def _display_width(text: str) -> int:
    """Width in half-width cells: Han characters and full-width forms count two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], total: float) -> list[float]:
    # Share the width by the typical (not the longest) content, so one long remark cannot
    # squeeze every other column into a one-character strip.
    wants = []
    for i, header in enumerate(headers):
        lengths = sorted(_display_width(r[i]) for r in rows[:200] if i < len(r)) or [0]
        typical = lengths[int((len(lengths) - 1) * 0.9)]
        # +2 for the cell padding, so a two-character header like 序号 stays on one line.
        wants.append(min(max(_display_width(header), typical, 4), 40) + 2)
    scale = total / sum(wants)
    return [w * scale for w in wants]


def render_table_pdf(
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    subtitle: str | None = None,
) -> bytes:
    """An A4 register or report; long tables continue over pages with the header row repeated.

    More than six columns turn the page to landscape.
    """
    font = cjk_font_name()
    st = _styles(font)
    buf = io.BytesIO()
    wide = len(headers) > 6
    template = _template(
        buf,
        title,
        None,
        pagesize=landscape(A4) if wide else A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=18 * mm,
        bottomMargin=22 * mm,
    )
    text_rows = [["" if v is None else str(v) for v in row] for row in rows]
    widths = _column_widths(headers, text_rows, template.width)
    data: list[list[Any]] = [[_p(h, st["th"]) for h in headers]]
    data.extend([_p(v, st["td"]) for v in row] for row in text_rows)
    if not text_rows:
        data.append([_p("（无记录）", st["td"])] + [""] * (len(headers) - 1))
    table = LongTable(data, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if not text_rows:
        style.append(("SPAN", (0, 1), (-1, 1)))
    table.setStyle(TableStyle(style))
    story: list[Flowable] = [_p(title, st["title"])]
    if subtitle:
        story.append(_p(subtitle, st["subtitle"]))
    story.extend([Spacer(1, 8), table])
    template.build(story, canvasmaker=_numbered_canvas(font, None))
    return buf.getvalue()
