"""The page engine under the joint report: fpdf2 with shipped fonts, shaped text, page furniture and contents.

fpdf2 is pure Python and takes fonts by path only (no fontconfig, no system library); uharfbuzz
shapes the text (Arabic joining, bidi, kerning). Layout rules worth knowing before changing anything:
- `multi_cell` is always given new_x/new_y: fpdf2's default leaves x at the right margin, so the
  next full-width `multi_cell` has no room ("Not enough horizontal space to render a single character").
- "Page N of M" is written in a last pass over the finished pages (`number_pages`), not with the
  {nb} alias, which under text shaping leaves the width of "{nb}" as a gap.
- The contents reserve an exact number of pages, computed from the number of entries; fpdf2 raises
  when the contents then need another number, so a wrong count fails loudly instead of shifting
  every page number.
- `text()` skips the fallback fonts (a ✓ silently missing): labels are drawn with `cell()`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.outline import OutlineSection

from models.reports.joint_report import strings
from models.settings import PROJECT_ROOT

FONT_DIR = PROJECT_ROOT / "assets" / "fonts"
FONTS = {  # family -> {style: file}; shipped in assets/fonts with their licences in assets/licenses
    "NotoSans": {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"},
    "NotoSansArabic": {"": "NotoSansArabic-Regular.ttf", "B": "NotoSansArabic-Bold.ttf"},
    # ✓ ✗ ○ ◷ ◐ † ↑ ↓, which Noto Sans lacks; bold text borrows the regular symbols (exact_match=False)
    "DejaVuSans": {"": "DejaVuSans.ttf"},
}
BODY = "NotoSans"
FALLBACKS = ["NotoSansArabic", "DejaVuSans"]  # per glyph, in this order, when BODY lacks one

#: Scripts whose letters change shape with their neighbours or run right to left (Hebrew, Arabic,
#: Syriac, Thaana, N'Ko, the Indic scripts, Arabic presentation forms): text in them must be shaped.
COMPLEX_SCRIPT = re.compile("[\u0590-\u08ff\u0900-\u0dff\ufb1d-\ufdff\ufe70-\ufeff]")

MARGIN = 15.0
TOP = 18.0  # below the running header (and the demonstration mark)
BOTTOM = 16.0  # above the footer
TOC_LINE = 5.2
TOC_TITLE = 14.0  # height taken by the "Contents" title on the first contents page
INK = (33, 33, 33)
MUTED = (90, 90, 90)
DEMO_RED = (170, 20, 20)


def needs_shaping(texts: Iterable[str], direction: str = strings.DIRECTION) -> bool:
    """Whether a document holding these texts must be shaped: right to left, or any complex script."""
    return direction == "rtl" or any(COMPLEX_SCRIPT.search(text) for text in texts)


class ReportPDF(FPDF):
    """An A4 document with the report's fonts, shaped text, a running header, "Page N of M" and contents.

    `demonstration`: every page carries the demonstration mark, in text, in its header.
    `footer_text`: what each page says beside its number (the cycle, the data's date and version).
    `shaping`: shape text with HarfBuzz (joining, bidi, kerning). Needed for Arabic and other complex
    scripts; Latin text reads the same without it, and fpdf2 lays it out about twice as fast, since
    its line breaking measures a line's shaped width again at every character (`needs_shaping`).
    """

    def __init__(
        self,
        *,
        demonstration: bool,
        running_head: str,
        footer_text: str,
        created: dt.datetime,
        title: str,
        subject: str = "",
        language: str = strings.LANGUAGE,
        shaping: bool = True,
    ) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.demonstration = demonstration
        self.running_head = running_head
        self.footer_text = footer_text
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        for family, styles in FONTS.items():
            for style, file in styles.items():
                self.add_font(family, style, str(FONT_DIR / file))
        self.set_fallback_fonts(FALLBACKS, exact_match=False)
        self.set_text_shaping(shaping)
        self.set_font(BODY, "", 10)
        self.set_title(title)
        self.set_subject(subject)
        self.set_lang(language)
        self.set_creator(strings.CREATOR)
        self.set_producer(strings.CREATOR)
        # The data's own date, not the clock: the same data gives the same bytes.
        self.set_creation_date(created)

    # -- fpdf2 2.8.9 workaround ------------------------------------------------------------------
    # fpdf2 writes the font into a page lazily, at the next text. When that text starts with a
    # glyph from a fallback font (✓, or Arabic) and the line is wrapped in q/Q (it is whenever the
    # line changes colour or ends in another font), the page font is written *inside* q/Q, lost at
    # Q, yet recorded as written: every later text on the page then shows in no font ("No font in
    # show") or garbage glyphs. Writing the font eagerly, at set_font time, avoids that path. It uses
    # fpdf2's private `_out`/`_set_font_for_page`, hence the exact pin (fpdf2==2.8.9).
    # tests/models/reports/joint_report/test_pdf.py reproduces the upstream bug on a bare FPDF: when
    # an upgrade fixes it, that test says so, and this override can go.
    def set_font(self, family: str | None = None, style: str = "", size: float = 0) -> None:  # type: ignore[override]
        super().set_font(family, style, size)
        self._establish_font()

    def set_font_size(self, size: float) -> None:
        super().set_font_size(size)
        self._establish_font()

    def _establish_font(self) -> None:
        if self.page > 0 and self.current_font is not None and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))

    # -- page furniture -------------------------------------------------------------------------
    def header(self) -> None:
        with self.local_context():
            if self.demonstration:
                self.set_font(BODY, "B", 8.5)
                self.set_text_color(*DEMO_RED)
                self.set_draw_color(*DEMO_RED)
                text = strings.DEMO_MARK
            else:
                self.set_font(BODY, "", 8)
                self.set_text_color(*MUTED)
                self.set_draw_color(200, 200, 200)
                text = self.running_head
            self.set_xy(MARGIN, 7)
            self.cell(self.epw, 4, text, align="C")
            self.set_line_width(0.2)
            self.line(MARGIN, 12, self.w - MARGIN, 12)
        self.set_xy(MARGIN, TOP)

    def footer(self) -> None:
        """Nothing yet: the footer needs the page total, written by number_pages()."""

    def number_pages(self) -> None:
        """Write the footer, with "Page N of M", on every page now that M is known."""
        total = self.pages_count
        current = self.page
        self.set_auto_page_break(False)
        for n in range(1, total + 1):
            self.page = n
            # fpdf2 believes the font is already in this page's stream (it was, for the last page
            # touched): on a revisited page that belief is stale, so make set_font write it again.
            self.current_font_is_set_on_page = False
            self.set_font(BODY, "", 7.5)
            self.set_text_color(*MUTED)
            self.set_xy(MARGIN, self.h - 11)
            self.cell(self.epw - 30, 4, self.footer_text, align="L")
            self.set_xy(self.w - MARGIN - 30, self.h - 11)
            self.cell(30, 4, strings.PAGE_OF.format(n=n, total=total), align="R")
        self.page = current
        self.set_auto_page_break(True, margin=BOTTOM)

    # -- building blocks --------------------------------------------------------------------------
    def heading(self, text: str, level: int = 0, keep_with: float | None = None, align: str = "L") -> None:
        """A section heading that is also a PDF bookmark and a contents line.

        `keep_with`: the height (mm) of what must follow on the same page; a heading is never left
        alone at the foot of a page.
        """
        size = {0: 15.0, 1: 11.0}[level]
        needed = keep_with if keep_with is not None else {0: 40.0, 1: 14.0}[level]
        if self.will_page_break(needed + size * 0.5):
            self.add_page()
        self.start_section(text, level=level)
        self.set_font(BODY, "B", size)
        self.set_text_color(*INK)
        self.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5 if level else 3)

    def subheading(self, text: str) -> None:
        """A bold line that is not in the contents."""
        if self.will_page_break(20):
            self.add_page()
        self.set_font(BODY, "B", 10)
        self.set_text_color(*INK)
        self.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(
        self, text: str, size: float = 10, align: str = "L", colour: tuple[int, int, int] = INK
    ) -> None:
        self.set_font(BODY, "", size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.ln(2)

    def caption(self, text: str) -> None:
        self.paragraph(text, size=8, colour=(80, 80, 80))
        self.ln(1)

    # -- contents ---------------------------------------------------------------------------------
    def contents_pages(self, entries: int) -> int:
        """Pages the contents need for this many entries (one line each)."""
        first = int((self.h - TOP - BOTTOM - TOC_TITLE) // TOC_LINE)
        rest = int((self.h - TOP - BOTTOM) // TOC_LINE)
        return 1 if entries <= first else 1 + math.ceil((entries - first) / rest)

    def contents(self, entries: int) -> None:
        """Reserve the contents on a new page, filled in at the end with every section's page."""
        self.add_page()
        self.insert_toc_placeholder(self._render_contents, pages=self.contents_pages(entries))
        # insert_toc_placeholder() has already broken to a fresh page: no add_page() after it.

    def _render_contents(self, pdf: FPDF, outline: list[OutlineSection]) -> None:
        pdf.set_x(MARGIN)  # fpdf2 restores the page and y of the placeholder, not x
        pdf.set_font(BODY, "B", 15)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 8, strings.CONTENTS, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(TOC_TITLE - 8)
        for entry in outline:
            indent = 6.0 * entry.level
            pdf.set_font(BODY, "B" if entry.level == 0 else "", 9.5 if entry.level == 0 else 9)
            link = pdf.add_link(page=entry.page_number)
            number = str(entry.page_number)
            pdf.set_x(MARGIN + indent)
            pdf.cell(text=entry.name, h=TOC_LINE, link=link)  # own width: shaped, with fallback glyphs
            # a dotted leader between the name and the right-aligned page number
            x0, x1 = pdf.get_x() + 1.5, pdf.w - MARGIN - pdf.get_string_width(number) - 1.5
            y = pdf.get_y() + TOC_LINE * 0.7
            pdf.set_draw_color(150, 150, 150)
            pdf.set_line_width(0.2)
            pdf.set_dash_pattern(dash=0.2, gap=1.0)
            pdf.line(x0, y, x1, y)
            pdf.set_dash_pattern()
            pdf.set_x(pdf.w - MARGIN - 12)
            pdf.cell(12, TOC_LINE, number, align="R", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def write_to(self, output: Path) -> int:
        """Number the pages and write the file; returns the number of pages."""
        self.number_pages()
        self.output(str(output))
        return int(self.pages_count)
