"""Vector charts drawn with fpdf2's own primitives: the Alliance trend, the status map, a legend, a sparkline.

Drawing directly (not embedding matplotlib or plotly output) keeps chart text selectable, in the
report's fonts and shaped like the body text, and keeps the file small and the build fast (no
browser: plotly's image export needs one). Coordinates are millimetres on the page, y downwards.
Every status has a symbol as well as a colour; the colours are a colour-blind-safe blue/orange pair.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from fpdf.drawing_primitives import DeviceRGB

from models.reports.joint_report import strings
from models.reports.joint_report.pdf import BODY, INK, ReportPDF
from models.reports.joint_report.topo import EQUAL_EARTH_HALF_WIDTH, Topology, equal_earth
from models.reports.joint_report.view import AllianceYear, Figures

Colour = tuple[int, int, int]

STATUS_COLOURS: dict[str, Colour] = {  # map fills
    "met": (44, 123, 182),
    "not_met": (230, 97, 1),
    "no_baseline": (178, 171, 210),
    "missing": (255, 255, 255),
    "not_participant": (225, 225, 225),
}
STATUS_TINTS: dict[str, Colour] = {  # lighter cell fills, so black symbols stay legible
    "met": (198, 219, 239),
    "not_met": (253, 208, 162),
    "no_baseline": (226, 223, 240),
    "missing": (255, 255, 255),
}
REPORTING_TINTS: dict[str, Colour] = {
    "on_time": (198, 219, 239),
    "late": (253, 208, 162),
    "incomplete": (253, 208, 162),
    "missing": (255, 255, 255),
}
GRID_LINE: Colour = (210, 210, 210)
LINE: Colour = (44, 123, 182)
PATH: Colour = (90, 90, 90)
WHITE = DeviceRGB(1, 1, 1)
DASH = {"dash": 1.6, "gap": 1.2}


def label(
    pdf: ReportPDF, x: float, y: float, text: str, align: str = "L", w: float = 40, h: float = 3.5
) -> None:
    """Text in a box whose left (L), centre (C) or right (R) edge is at x and top at y.

    cell(), not text(): text() skips the fallback fonts, so ✓ ✗ or Arabic in a label would vanish.
    """
    left = {"L": x, "C": x - w / 2, "R": x - w}[align]
    pdf.set_xy(left, y)
    pdf.cell(w, h, text, align=align)


def nice_step(span: float, target_ticks: int = 5) -> int:
    """A 1-2-5 tick step giving about target_ticks ticks over span."""
    raw = max(span / target_ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * magnitude:
            return int(m * magnitude)
    return int(10 * magnitude)


def alliance_symbol(row: AllianceYear) -> str:
    """The Alliance's status as a symbol; in brackets when it covers fewer than half the expected."""
    symbol = strings.STATUS_SYMBOLS.get(row.comparison.status, "")
    return strings.THIN_SYMBOL.format(symbol=symbol) if row.thin else symbol


def trend_chart(pdf: ReportPDF, rows: Sequence[AllianceYear], x: float, y: float, w: float, h: float) -> None:
    """The Alliance's total per year (solid) against the 10% path from the first year's total (dashed).

    Under each year: how many participants the total covers ("k of n"); above the plot: the
    Alliance's like-for-like status per year.
    """
    left, right, top, bottom = 20.0, 4.0, 14.0, 15.0
    px, py, pw, ph = x + left, y + top, w - left - right, h - top - bottom
    drawn = [r for r in rows if r.total is not None]
    values = [r.total or 0 for r in drawn] + [r.path_value or 0 for r in drawn]
    step = nice_step(max(values, default=1))
    y_max = max(step * math.ceil(max(values, default=1) / step), step)
    years = [r.year for r in rows]
    every = 1 if len(years) <= 16 else 2

    def sx(year: int) -> float:
        return px + pw * (year - years[0]) / max(len(years) - 1, 1)

    def sy(value: float) -> float:
        return py + ph * (1 - value / y_max)

    pdf.set_font(BODY, "", 7)
    pdf.set_text_color(*INK)
    pdf.set_line_width(0.15)
    for tick in range(0, y_max + 1, step):
        pdf.set_draw_color(*GRID_LINE)
        pdf.line(px, sy(tick), px + pw, sy(tick))
        label(pdf, px - 1.5, sy(tick) - 1.75, strings.number(tick), align="R", w=left - 2)
    slot = pw / max(len(years) - 1, 1)  # mm between two years
    for index, row in enumerate(rows):
        if index % every == 0:
            pdf.set_font(BODY, "", 7)
            # a narrow box: one centred on the first year must not reach past the page's left edge
            # (fpdf2 reads a negative x from the right edge)
            label(
                pdf, sx(row.year), py + ph + 1.2, str(row.year), align="C", w=min(max(slot * every, 10), 16)
            )
        pdf.set_font(BODY, "", 5.5)
        pdf.set_text_color(100, 100, 100)
        coverage = strings.TREND_COVERAGE.format(k=row.reporting, n=row.expected)
        label(
            pdf, sx(row.year), py + ph + (4.6 if index % 2 == 0 or every == 1 else 7.6), coverage, "C", 12, 3
        )
        pdf.set_font(BODY, "", 7)
        pdf.set_text_color(*INK)
        label(pdf, sx(row.year), py - 4.6, alliance_symbol(row), align="C", w=10)
    pdf.set_draw_color(*INK)
    pdf.line(px, py + ph, px + pw, py + ph)

    path_points = [(sx(r.year), sy(r.path_value)) for r in drawn if r.path_value is not None]
    if len(path_points) > 1:
        pdf.set_draw_color(*PATH)
        pdf.set_line_width(0.35)
        pdf.set_dash_pattern(**DASH)
        pdf.polyline(path_points)
        pdf.set_dash_pattern()
    points = [(sx(r.year), sy(r.total or 0)) for r in drawn]
    pdf.set_draw_color(*LINE)
    pdf.set_fill_color(*LINE)
    pdf.set_line_width(0.6)
    if len(points) > 1:
        pdf.polyline(points)
    for cx, cy in points:
        pdf.circle(cx, cy, 0.7, style="F")

    # the legend above the plot, so that no label can collide with a line
    lx = px
    first = drawn[0].year if drawn else years[0]
    for colour, width, dashed, text in (
        (LINE, 0.6, False, strings.TREND_LINE),
        (PATH, 0.35, True, strings.TREND_PATH.format(first=first)),
    ):
        pdf.set_draw_color(*colour)
        pdf.set_line_width(width)
        if dashed:
            pdf.set_dash_pattern(**DASH)
        pdf.line(lx, y + 1.6, lx + 7, y + 1.6)
        pdf.set_dash_pattern()
        pdf.set_font(BODY, "", 7.5)
        pdf.set_text_color(*INK)
        pdf.set_xy(lx + 8.5, y)
        pdf.cell(text=text, h=3.2)
        lx = pdf.get_x() + 6


def status_map(
    pdf: ReportPDF, topology: Topology, statuses: Mapping[str, str], x: float, y: float, w: float
) -> float:
    """Countries filled by their participant's status (`statuses`: ISO3 → status); returns the height.

    Equal Earth, Antarctica left out and the map cut at 57° S; holes (lakes, enclaves) stay holes.
    """
    scale = w / (2 * EQUAL_EARTH_HALF_WIDTH)
    top, bottom = equal_earth(0, 84)[1], equal_earth(0, -57)[1]
    h = (top - bottom) * scale
    cx = x + w / 2
    for iso3, polygons in topology.polygons("countries"):
        if iso3 == "ATA":  # no participant, and a fifth of the map's height
            continue
        colour = STATUS_COLOURS[statuses.get(iso3 or "", "not_participant")]
        with pdf.new_path() as path:
            path.style.fill_color = DeviceRGB(*(c / 255 for c in colour))
            path.style.stroke_color = DeviceRGB(0.55, 0.55, 0.55)
            path.style.stroke_width = 0.08
            path.style.intersection_rule = "evenodd"
            for polygon in polygons:
                for ring in polygon:
                    for i, (lon, lat) in enumerate(ring):
                        ex, ey = equal_earth(lon, lat)
                        mx, my = cx + ex * scale, y + (top - ey) * scale
                        if i == 0:
                            path.move_to(mx, my)
                        else:
                            path.line_to(mx, my)
                    path.close()
    return h


def legend(
    pdf: ReportPDF, x: float, y: float, items: Sequence[tuple[str, str]], swatch: Mapping[str, Colour]
) -> None:
    """A one-line legend: a swatch, then the symbol and word, for each item."""
    pdf.set_font(BODY, "", 8)
    pdf.set_line_width(0.15)
    pdf.set_draw_color(120, 120, 120)
    for key, text in items:
        pdf.set_fill_color(*swatch[key])
        pdf.rect(x, y + 0.2, 3.2, 3.2, style="DF")
        pdf.set_xy(x + 4.2, y)
        pdf.set_text_color(*INK)
        pdf.cell(text=text, h=3.6)  # width from the shaped text, fallback glyphs included
        x = pdf.get_x() + 5


def sparkline(pdf: ReportPDF, rows: Sequence[Figures], x: float, y: float, w: float, h: float) -> None:
    """A participant's counts (solid) against its own 10% path (dashed), without axes."""
    drawn = [r for r in rows if r.value is not None]
    if len(drawn) < 2:
        return
    values = [r.value or 0 for r in drawn] + [r.path_value or 0 for r in drawn if r.path_value is not None]
    lo, hi = min(values), max(values)
    span = max(hi - lo, 1)
    y0, y1 = drawn[0].year, drawn[-1].year

    def pt(year: int, value: int) -> tuple[float, float]:
        return x + w * (year - y0) / max(y1 - y0, 1), y + h * (1 - (value - lo) / span)

    path = [pt(r.year, r.path_value) for r in drawn if r.path_value is not None]
    if len(path) > 1:
        pdf.set_line_width(0.3)
        pdf.set_draw_color(*PATH)
        pdf.set_dash_pattern(dash=1.0, gap=0.8)
        pdf.polyline(path)
        pdf.set_dash_pattern()
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.45)
    pdf.polyline([pt(r.year, r.value or 0) for r in drawn])
