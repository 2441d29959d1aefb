"""Charts drawn on the server with reportlab.graphics: the same Drawing renders to SVG for pages
(inline, scaled to the screen, no script, no CDN) and to PDF for the reports."""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from cunwu.documents.pdf import cjk_font_name

BAR = colors.HexColor("#2f6f9f")
WARN = colors.HexColor("#b5472f")
MAX_BARS = 30
# Browsers do not know the font name reportlab registered; they get a CJK family list instead.
_SVG_FONTS = "WenQuanYi Zen Hei, Noto Sans CJK SC, Microsoft YaHei, sans-serif"


def bar_chart(labels: Sequence[str], values: Sequence[float], title: str, *, threshold: float | None = None) -> Drawing:
    """Horizontal bars, one per label (at most 30; the table beside it has them all)."""
    labels, values = list(labels)[:MAX_BARS], [float(v) for v in list(values)[:MAX_BARS]]
    font = cjk_font_name()
    rows = max(1, len(labels))
    width, height = 360, 40 + 16 * rows
    d = Drawing(width, height)
    d.add(String(4, height - 14, title, fontName=font, fontSize=10))
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 18, width - 130, height - 44
    # reportlab draws the first category at the bottom: reverse so the table's order reads top-down
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(labels)) or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    top = max(values or [0])
    chart.valueAxis.valueMax = max(1.0, top * 1.1, threshold or 0)
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%g"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    if threshold is not None:
        for i, v in enumerate(reversed(values)):
            if v >= threshold:
                chart.bars[(0, i)].fillColor = WARN
    d.add(chart)
    return d


def line_chart(labels: Sequence[str], values: Sequence[float], title: str) -> Drawing:
    """One series over time (months on the x axis)."""
    font = cjk_font_name()
    width, height = 360, 180
    d = Drawing(width, height)
    d.add(String(4, height - 14, title, fontName=font, fontSize=10))
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 34, 30, width - 50, height - 60
    chart.data = [[float(v) for v in values] or [0]]
    chart.categoryAxis.categoryNames = [label[2:] for label in labels] or [""]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 45
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1.0, max(values or [0]) * 1.1)
    chart.lines[0].strokeColor = BAR
    chart.lines[0].strokeWidth = 2
    d.add(chart)
    return d


def to_svg(drawing: Drawing, label: str) -> str:
    """Inline SVG that scales to its container (readable at 375 px), labelled for screen readers."""
    svg = renderSVG.drawToString(drawing)
    svg = svg[svg.index("<svg") :]
    svg = re.sub(
        r'<svg width="[\d.]+" height="[\d.]+"', f'<svg width="100%" role="img" aria-label="{label}"', svg, count=1
    )
    svg = re.sub(r"<title>.*?</title>", f"<title>{label}</title>", svg, count=1, flags=re.S)
    svg = _STYLE_ATTR.sub(_as_presentation_attributes, svg)
    return svg.replace(cjk_font_name(), _SVG_FONTS)


_STYLE_ATTR = re.compile(r'style="([^"]*)"')


def _as_presentation_attributes(match: re.Match[str]) -> str:
    """style="font-size: 8px; fill: …" → font-size="8px" fill="…": the pages' Content-Security-Policy
    (style-src 'self') blocks inline style attributes, which left every label at the browser's 16 px."""
    pairs = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)
