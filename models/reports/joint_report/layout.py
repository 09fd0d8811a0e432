"""What the joint report's sections share: the second basis, cell styles, and the headed list table.

The sections themselves are `overview` (title page to compliance grid), `participants` (one section
each) and `annexes` (reporting, revisions, method, published totals); `document` puts them in order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from fpdf.fonts import FontFace
from fpdf.table import Table

from models.reports.joint_report import charts
from models.reports.joint_report.pdf import BODY, ReportPDF

OTHER_BASIS = "annual"
WHITE = FontFace(fill_color=(255, 255, 255))  # explicit: a cell without a fill keeps the last one used
BOLD_WHITE = FontFace(emphasis="BOLD", fill_color=(255, 255, 255))
HEAD = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


def tints(colours: Mapping[str, charts.Colour]) -> dict[str, FontFace]:
    """A cell style per status, filled with its tint (charts.STATUS_TINTS, charts.REPORTING_TINTS)."""
    return {k: FontFace(fill_color=v) for k, v in colours.items()}


@contextmanager
def headed_table(
    pdf: ReportPDF,
    columns: Sequence[str],
    *,
    size: float,
    col_widths: Sequence[float],
    text_align: Sequence[str],
    line_height: float,
    line_width: float | None = None,
) -> Iterator[Table]:
    """A list the width of the page: its column headings (repeated on every page it runs onto), thin
    grey lines between rows, text at `size`; the rows are the caller's to add."""
    pdf.set_font(BODY, "", size)
    pdf.set_draw_color(*charts.GRID_LINE)
    if line_width is not None:
        pdf.set_line_width(line_width)
    with pdf.table(
        col_widths=tuple(col_widths),
        text_align=tuple(text_align),
        line_height=line_height,
        headings_style=HEAD,
        repeat_headings=1,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        head = table.row()
        for column in columns:
            head.cell(column)
        yield table
