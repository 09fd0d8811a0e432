"""The joint report's sections, laid out on A4 from a `JointReport`: `write_pdf(report, path)`.

Order: title page, contents, summary, the Alliance's trend, status map, compliance grid, one
section per participant, reporting completeness and timeliness, what was revised since the close,
the method, INTERPOL's published totals. Every word comes from `strings`; every number from the
`JointReport` (nothing is computed here but layout).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from models.metrics.compliance import DEFAULT_BASIS
from models.reports.joint_report import charts, strings
from models.reports.joint_report.pdf import BODY, DEMO_RED, INK, MARGIN, ReportPDF, needs_shaping
from models.reports.joint_report.topo import Topology, ids, world
from models.reports.joint_report.view import Figures, JointReport, ParticipantReport

OTHER_BASIS = "annual"
GRID_YEARS = 15  # columns that fit across A4 portrait beside the names
SECTION_YEARS = 8  # years across a participant's table
#: Sections started with a contents line at level 0, in order (one line each in the contents).
SECTIONS = (
    strings.SUMMARY,
    strings.TREND,
    strings.MAP,
    strings.GRID,
    strings.PARTICIPANTS,
    strings.REPORTING,
    strings.REVISED,
    strings.METHOD,
    strings.PUBLISHED,
)
WHITE = FontFace(fill_color=(255, 255, 255))  # explicit: a cell without a fill keeps the last one used
HEAD = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


@dataclass(frozen=True)
class RenderedReport:
    """What was written: the file, its number of pages and its size in bytes."""

    path: Path
    pages: int
    size: int


def write_pdf(report: JointReport, output: Path, topology: Topology | None = None) -> RenderedReport:
    """Lay the report out and write it to `output` (replaced in one step: never a half-written file)."""
    document = Document(report, topology or world())
    document.build()
    output = Path(output)
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".pdf", dir=output.parent)
    os.close(handle)
    try:
        pages = document.pdf.write_to(Path(temporary))
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return RenderedReport(output, pages, output.stat().st_size)


def _texts(report: JointReport) -> Iterator[str]:
    """Every text the report shows that is not a number: the strings' words, and the data's names."""
    for value in vars(strings).values():
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict | tuple):
            yield from (
                v for v in (value.values() if isinstance(value, dict) else value) if isinstance(v, str)
            )
    yield report.cycle.name
    for p in report.participants:
        yield p.name
    for figure in report.published:
        yield figure.source_title
    for change in report.changes_since_close:
        yield f"{change.changed_by} {change.reason or ''}"
    if report.snapshot is not None:
        yield report.snapshot.closed_by


def _years(report: JointReport) -> str:
    return strings.years(report.cycle.first_year, report.cycle.last_year)


class Document:
    """One report being laid out: the data, the map geometry and the PDF."""

    def __init__(self, report: JointReport, topology: Topology) -> None:
        self.report = report
        self.topology = topology
        as_at = strings.moment(report.as_at)
        self.pdf = ReportPDF(
            demonstration=report.demonstration,
            running_head=strings.RUNNING_HEAD.format(cycle=report.cycle.name),
            footer_text=strings.FOOTER.format(
                cycle=report.cycle.name, as_at=as_at, version=report.data_version
            ),
            created=report.as_at,
            title=f"{strings.TITLE} — {report.cycle.name}",
            subject=strings.SUBJECT.format(cycle=report.cycle.name),
            shaping=needs_shaping(_texts(report)),
        )

    def build(self) -> None:
        self.title_page()
        self.pdf.contents(len(SECTIONS) + len(self.report.participants))
        self.summary()
        self.trend()
        self.status_map()
        self.grid()
        self.participants()
        self.reporting()
        self.revised()
        self.method()
        self.published()

    # -- title page -------------------------------------------------------------------------------
    def title_page(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.add_page()
        pdf.set_y(62)
        pdf.set_font(BODY, "B", 24)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 11, strings.TITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(BODY, "", 13)
        pdf.multi_cell(0, 7, strings.SUBTITLE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        pdf.set_font(BODY, "B", 16)
        pdf.multi_cell(0, 8, report.cycle.name, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(10)
        facts = [
            (strings.FACT_CYCLE, report.cycle.name),
            (strings.FACT_YEARS, _years(report)),
            (strings.FACT_DEADLINE, strings.date(report.cycle.deadline)),
            (strings.FACT_AS_AT, strings.moment(report.as_at)),
            (strings.FACT_VERSION, str(report.data_version)),
        ]
        if report.snapshot is None:
            facts.append((strings.FACT_STATE, strings.STATE_OPEN))
        else:
            closed = strings.STATE_CLOSED.format(
                closed_at=strings.moment(report.snapshot.closed_at), closed_by=report.snapshot.closed_by
            )
            facts.append((strings.FACT_STATE, closed))
            facts.append((strings.FACT_SNAPSHOT, report.snapshot.sha256))
            if report.changes_since_close:
                changes = strings.changes_text(len(report.changes_since_close))
                facts.append(
                    (
                        strings.FACT_REVISED,
                        strings.STATE_REVISED.format(changes=changes, section=strings.REVISED),
                    )
                )
        pdf.set_font(BODY, "", 10.5)
        with pdf.table(
            col_widths=(45, 95),
            width=140,
            align="C",
            borders_layout="NONE",
            first_row_as_headings=False,
            text_align=("RIGHT", "LEFT"),
            line_height=6,
            padding=(0.8, 2),
        ) as table:
            for name, value in facts:
                row = table.row()
                row.cell(name, style=FontFace(emphasis="BOLD", fill_color=(255, 255, 255)))
                row.cell(value, style=WHITE)
        if report.demonstration:
            pdf.ln(16)
            pdf.set_font(BODY, "B", 16)
            pdf.set_text_color(*DEMO_RED)
            pdf.multi_cell(0, 9, strings.DEMO_MARK, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(BODY, "", 10)
            pdf.set_x(MARGIN + 20)
            pdf.multi_cell(
                pdf.epw - 40, 5, strings.DEMO_NOTICE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.set_text_color(*INK)

    # -- summary ----------------------------------------------------------------------------------
    def summary(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.heading(strings.SUMMARY)
        r = report.reporting
        text = strings.SUMMARY_REPORTING.format(
            expected=r.expected,
            cycle=report.cycle.name,
            years=_years(report),
            deadline=strings.date(report.cycle.deadline),
            complete=strings.share(r.complete, r.expected),
            on_time=r.on_time,
            late=r.late,
        )
        if r.incomplete:
            text += " " + strings.SUMMARY_INCOMPLETE.format(n=r.incomplete)
        if r.missing:
            text += " " + strings.SUMMARY_MISSING.format(n=r.missing)
        pdf.paragraph(text)
        behind = [
            p.name
            for p in report.participants
            if p.reporting and p.reporting.status in ("incomplete", "missing")
        ]
        if behind:
            pdf.paragraph(strings.SUMMARY_NOT_COMPLETE.format(names=strings.names(behind, limit=20)))
        for year in report.cycle.years:
            for basis in (DEFAULT_BASIS, OTHER_BASIS):
                pdf.paragraph(self._year_sentence(basis, year))
        last = report.cycle.last_year
        missed = [
            p.name
            for p in report.participants
            if (row := p.row(DEFAULT_BASIS, last)) and row.status == "not_met"
        ]
        if missed:
            pdf.paragraph(
                strings.SUMMARY_NOT_MET.format(
                    year=last, basis=strings.BASIS_NAMES[DEFAULT_BASIS], names=strings.names(missed, limit=30)
                )
            )

    def _year_sentence(self, basis: str, year: int) -> str:
        report = self.report
        counts = report.counts.get((basis, year))
        text = ""
        if counts is not None:
            text = strings.SUMMARY_YEAR.format(
                year=year, basis=strings.BASIS_NAMES[basis], met=counts.met, expected=counts.expected
            )
            others = [
                template.format(n=n)
                for template, n in (
                    (strings.SUMMARY_YEAR_OTHERS["not_met"], counts.not_met),
                    (strings.SUMMARY_YEAR_OTHERS["no_baseline"], counts.no_baseline),
                    (strings.SUMMARY_YEAR_OTHERS["missing"], counts.missing),
                )
                if n
            ]
            text += ("; " + ", ".join(others) if others else "") + "."
        row = report.alliance_year(basis, year)
        if row is None or row.panel is None:
            none = strings.SUMMARY_ALLIANCE_NONE.format(
                year=year, previous_year=year - 1, basis=strings.BASIS_NAMES[basis]
            )
            return f"{text} {none}".strip()
        c = row.comparison
        growth = strings.growth(c.value, c.previous_value, c.gap_years, c.growth, c.status, report.goal)
        if row.thin:
            alliance = strings.SUMMARY_ALLIANCE_THIN.format(
                panel=row.panel,
                expected=row.expected,
                previous_year=year - 1,
                year=year,
                growth=growth,
                basis=strings.BASIS_NAMES[basis],
                status_word=strings.ALLIANCE_VERDICT_WORD[c.status],
            )
        else:
            alliance = strings.SUMMARY_ALLIANCE.format(
                basis=strings.BASIS_NAMES[basis],
                previous=strings.number(c.previous_value),
                previous_year=year - 1,
                value=strings.number(c.value),
                year=year,
                growth=growth,
                status=strings.ALLIANCE_VERDICT[c.status],
                panel=row.panel,
                expected=row.expected,
            )
        return f"{text} {alliance}".strip()

    # -- the Alliance's trend -----------------------------------------------------------------------
    def trend(self) -> None:
        pdf = self.pdf
        pdf.heading(strings.TREND, keep_with=110)
        for basis in (DEFAULT_BASIS, OTHER_BASIS):
            rows = self.report.alliance[basis]
            if basis != DEFAULT_BASIS and pdf.will_page_break(110):
                pdf.add_page()
            pdf.subheading(strings.BASIS_TITLES[basis])
            if not any(r.total is not None for r in rows):
                pdf.paragraph(strings.TREND_EMPTY.format(basis=strings.BASIS_NAMES[basis]))
                continue
            y = pdf.get_y()
            charts.trend_chart(pdf, rows, MARGIN, y, pdf.epw, 88)
            pdf.set_y(y + 90)
            first = next(r.year for r in rows if r.total is not None)
            pdf.caption(
                strings.TREND_CAPTION.format(
                    basis=strings.BASIS_TITLES[basis], meaning=strings.BASIS_MEANING[basis], first=first
                )
            )

    # -- status map ---------------------------------------------------------------------------------
    def status_map(self) -> None:
        pdf, report = self.pdf, self.report
        year = report.cycle.last_year
        pdf.heading(strings.MAP, keep_with=120)
        statuses: dict[str, str] = {}
        for p in report.participants:
            row = p.row(DEFAULT_BASIS, year)
            if row is not None:
                statuses[p.code] = row.status
        y = pdf.get_y()
        h = charts.status_map(pdf, self.topology, statuses, MARGIN, y, pdf.epw)
        pdf.set_y(y + h + 3)
        charts.legend(
            pdf,
            MARGIN,
            pdf.get_y(),
            [
                (k, strings.STATUS_WORDS[k])
                for k in ("met", "not_met", "no_baseline", "missing", "not_participant")
            ],
            charts.STATUS_COLOURS,
        )
        pdf.set_y(pdf.get_y() + 6)
        pdf.caption(strings.MAP_CAPTION.format(year=year, basis=strings.BASIS_NAMES[DEFAULT_BASIS]))
        drawn = ids(self.topology)
        unseen = [p.name for p in report.participants if p.code in statuses and p.code not in drawn]
        if unseen:
            pdf.caption(strings.MAP_NOT_DRAWN.format(names=strings.names(unseen, limit=30)))

    # -- compliance grid ----------------------------------------------------------------------------
    def grid(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.add_page()
        pdf.heading(strings.GRID)
        years = report.years[-GRID_YEARS:]
        caption = strings.GRID_CAPTION.format(
            basis=strings.BASIS_NAMES[DEFAULT_BASIS], cycle=report.cycle.name
        )
        if len(report.years) > len(years):
            caption += strings.GRID_CAPTION_CUT.format(first=report.years[0], last=years[0] - 1)
        pdf.caption(caption)
        year_w = 9.0
        name_w = pdf.epw - year_w * len(years)
        tints = {k: FontFace(fill_color=v) for k, v in charts.STATUS_TINTS.items()}
        covered = FontFace(emphasis="BOLD", fill_color=(200, 200, 200))
        pdf.set_font(BODY, "", 7.5)
        pdf.set_draw_color(255, 255, 255)
        pdf.set_line_width(0.4)
        with pdf.table(
            col_widths=(name_w, *([year_w] * len(years))),
            text_align=("LEFT", *(["CENTER"] * len(years))),
            line_height=4.2,
            headings_style=HEAD,
            repeat_headings=1,
            borders_layout="ALL",
        ) as table:
            head = table.row()
            head.cell(strings.GRID_PARTICIPANT)
            for year in years:
                head.cell(str(year), style=covered if year in report.cycle.years else None)
            for participant in report.participants:
                row = table.row()
                row.cell(participant.name, style=WHITE)
                for year in years:
                    figures = participant.row(DEFAULT_BASIS, year)
                    if figures is None:
                        row.cell("", style=WHITE)
                    else:
                        row.cell(strings.STATUS_SYMBOLS[figures.status], style=tints[figures.status])
            alliance = {r.year: r for r in report.alliance[DEFAULT_BASIS]}
            row = table.row()
            row.cell(strings.GRID_ALLIANCE, style=FontFace(emphasis="BOLD", fill_color=(255, 255, 255)))
            for year in years:
                found = alliance.get(year)
                status = found.comparison.status if found else "missing"
                row.cell(charts.alliance_symbol(found) if found else "", style=tints.get(status, WHITE))
            row = table.row()
            row.cell(strings.GRID_COMPARED, style=FontFace(size_pt=6, fill_color=(255, 255, 255)))
            for year in years:
                found = alliance.get(year)
                covers = "" if found is None or found.panel is None else f"{found.panel}/{found.expected}"
                row.cell(covers, style=FontFace(size_pt=6, fill_color=(255, 255, 255)))

    # -- participants -------------------------------------------------------------------------------
    def participants(self) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.heading(strings.PARTICIPANTS)
        for participant in self.report.participants:
            self.participant(participant)

    def participant(self, p: ParticipantReport) -> None:
        pdf, report = self.pdf, self.report
        year = report.cycle.last_year
        pdf.heading(strings.SECTION_HEADING.format(name=p.name, code=p.code), level=1, keep_with=52)
        charts.sparkline(pdf, p.figures[DEFAULT_BASIS], pdf.w - MARGIN - 36, pdf.get_y() - 7.5, 36, 5.5)
        latest = p.latest(DEFAULT_BASIS)
        lines = []
        if latest is None:
            lines.append(strings.SECTION_NO_VALUE.format(basis=strings.BASIS_NAMES[DEFAULT_BASIS], year=year))
        else:
            progress = strings.PROGRESS_WORDS.get(latest.progress or "", "")
            lines.append(
                strings.SECTION_LATEST.format(
                    year=latest.year,
                    basis=strings.BASIS_NAMES[DEFAULT_BASIS],
                    value=strings.number(latest.value),
                    status=strings.STATUS_WORDS[latest.status],
                    progress=strings.SECTION_PROGRESS.format(progress=progress) if progress else "",
                )
            )
        lines.append(self._reporting_sentence(p))
        pdf.paragraph(" ".join(lines), size=8.5)
        self._participant_table(p)
        pdf.paragraph(self._next_year_sentence(p), size=8.5)
        pdf.ln(2)

    def _reporting_sentence(self, p: ParticipantReport) -> str:
        r = p.reporting
        if r is None:
            return strings.SECTION_REPORTING.format(
                cycle=self.report.cycle.name, status=strings.REPORTING_WORDS["not_expected"], detail=""
            )
        detail = ""
        if r.reported_on is not None:
            detail += strings.SECTION_RECEIVED.format(date=strings.date(r.reported_on))
        if r.days_late:
            detail += strings.SECTION_LATE.format(days=strings.days_text(r.days_late))
        if r.missing_years:
            detail += strings.SECTION_MISSING_YEARS.format(years=strings.year_list(r.missing_years))
        return strings.SECTION_REPORTING.format(
            cycle=self.report.cycle.name, status=strings.REPORTING_WORDS[r.status], detail=detail
        )

    def _participant_table(self, p: ParticipantReport) -> None:
        """Years across: cumulative count, growth, status and path; the annual count and status.

        A fixed grid of cell() calls: cheaper than table(), which measures every cell for wrapping
        (most of the build time for a hundred participants), and the block never breaks anyway.
        """
        pdf, report = self.pdf, self.report
        years = report.years[-SECTION_YEARS:]
        mark = strings.SECTION_REVISED_MARK
        revised = False

        def value_text(basis: str, f: Figures | None) -> str:
            nonlocal revised
            if f is None:
                return ""
            text = strings.number(f.value)
            if report.revised(p.code, f.year, basis):
                revised = True
                text += mark
            return text

        def status_text(f: Figures | None) -> str:
            return "" if f is None else strings.STATUS_SHORT[f.status]

        def growth_text(f: Figures | None) -> str:
            if f is None:
                return ""
            return strings.growth(f.value, f.previous_value, f.gap_years, f.growth, f.status, report.goal)

        cumulative = [p.row(DEFAULT_BASIS, y) for y in years]
        annual = [p.row(OTHER_BASIS, y) for y in years]
        rows = [
            (
                strings.ROW_GROUP[DEFAULT_BASIS],
                strings.ROW_VALUE,
                [value_text(DEFAULT_BASIS, f) for f in cumulative],
            ),
            ("", strings.ROW_GROWTH, [growth_text(f) for f in cumulative]),
            ("", strings.ROW_STATUS, [status_text(f) for f in cumulative]),
            ("", strings.ROW_PATH, [strings.number(f.path_value) if f else "" for f in cumulative]),
            (
                strings.ROW_GROUP[OTHER_BASIS],
                strings.ROW_ANNUAL,
                [value_text(OTHER_BASIS, f) for f in annual],
            ),
            ("", strings.ROW_ANNUAL_STATUS, [status_text(f) for f in annual]),
        ]
        group_w, label_w = 17.0, 16.0
        col_w = (pdf.epw - group_w - label_w) / len(years)
        line_h = 3.9
        pdf.set_fill_color(240, 240, 240)
        pdf.set_text_color(*INK)
        pdf.set_font(BODY, "B", 7.5)
        pdf.cell(group_w + label_w, line_h, strings.ROW_YEAR, fill=True)
        for year in years:
            pdf.cell(col_w, line_h, str(year), align="R", fill=True)
        pdf.ln(line_h)
        pdf.set_draw_color(*charts.GRID_LINE)
        pdf.set_line_width(0.15)
        for group, name, cells in rows:
            pdf.set_font(BODY, "B", 7.5)
            pdf.cell(group_w, line_h, group, border="B")
            pdf.set_font(BODY, "", 7.5)
            pdf.cell(label_w, line_h, name, border="B")
            for text in cells:
                pdf.cell(col_w, line_h, text, align="R", border="B")
            pdf.ln(line_h)
        pdf.ln(1.2)
        if revised:
            pdf.paragraph(strings.SECTION_REVISED_NOTE.format(section=strings.REVISED), size=7.5)

    def _next_year_sentence(self, p: ParticipantReport) -> str:
        parts = []
        for basis, template in (
            (DEFAULT_BASIS, strings.SECTION_NEXT_CUMULATIVE),
            (OTHER_BASIS, strings.SECTION_NEXT_ANNUAL),
        ):
            need = p.next_year[basis]
            if need is None:
                continue
            over = strings.SECTION_OVER_YEARS.format(gap=need.gap_years) if need.gap_years > 1 else ""
            if need.from_value == 0:
                over += strings.SECTION_NEXT_FROM_ZERO
            parts.append(
                template.format(
                    year=need.target_year,
                    required=strings.number(need.required_value),
                    increase=strings.number(need.increase),
                    from_value=strings.number(need.from_value),
                    from_year=need.from_year,
                    over=over,
                )
            )
        return " ".join(parts) if parts else strings.SECTION_NOTHING_TO_GROW

    # -- reporting ----------------------------------------------------------------------------------
    def reporting(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.add_page()
        pdf.heading(strings.REPORTING)
        r = report.reporting
        pdf.paragraph(
            strings.REPORTING_TEXT.format(
                completeness=strings.share(r.complete, r.expected),
                timeliness=strings.share(r.on_time, r.expected),
                deadline=strings.date(report.cycle.deadline),
            )
        )
        expected = [p for p in report.participants if p.reporting is not None]
        if not expected:
            pdf.paragraph(strings.REPORTING_NONE)
            return
        tints = {k: FontFace(fill_color=v) for k, v in charts.REPORTING_TINTS.items()}
        pdf.set_font(BODY, "", 8)
        pdf.set_draw_color(*charts.GRID_LINE)
        pdf.set_line_width(0.15)
        with pdf.table(
            col_widths=(52, 28, 22, 30, 30, 18),
            text_align=("LEFT", "LEFT", "CENTER", "CENTER", "LEFT", "RIGHT"),
            line_height=4.4,
            headings_style=HEAD,
            repeat_headings=1,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            head = table.row()
            for column in strings.REPORTING_COLUMNS:
                head.cell(column)
            for p in expected:
                s = p.reporting
                assert s is not None
                row = table.row()
                row.cell(p.name, style=WHITE)
                row.cell(strings.REPORTING_WORDS[s.status], style=tints[s.status])
                row.cell(f"{s.years_reported} of {s.years_covered}", style=WHITE)
                row.cell(strings.year_list(s.missing_years) or strings.NO_VALUE, style=WHITE)
                row.cell(strings.date(s.reported_on), style=WHITE)
                row.cell(str(s.days_late) if s.days_late else strings.NO_VALUE, style=WHITE)

    # -- revised since the close -------------------------------------------------------------------
    def revised(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.heading(strings.REVISED, keep_with=30)
        snapshot = report.snapshot
        if snapshot is None:
            pdf.paragraph(
                strings.REVISED_OPEN.format(cycle=report.cycle.name, as_at=strings.moment(report.as_at))
            )
            return
        closed = {
            "cycle": report.cycle.name,
            "closed_at": strings.moment(snapshot.closed_at),
            "closed_by": snapshot.closed_by,
            "sha256": snapshot.sha256,
        }
        if not report.changes_since_close:
            pdf.paragraph(strings.REVISED_NONE.format(**closed))
            return
        changes = strings.changes_text(len(report.changes_since_close))
        pdf.paragraph(strings.REVISED_SOME.format(changes=changes[0].upper() + changes[1:], **closed))
        names = {p.code: p.name for p in report.participants}
        pdf.set_font(BODY, "", 8)
        pdf.set_draw_color(*charts.GRID_LINE)
        with pdf.table(
            col_widths=(34, 12, 20, 30, 28, 28, 28),
            text_align=("LEFT", "RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
            line_height=4.4,
            headings_style=HEAD,
            repeat_headings=1,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            head = table.row()
            for column in strings.REVISED_COLUMNS:
                head.cell(column)
            for change in report.changes_since_close:
                row = table.row()
                row.cell(names.get(change.participant, change.participant), style=WHITE)
                row.cell(str(change.year), style=WHITE)
                row.cell(strings.BASIS_TITLES.get(change.basis, change.basis), style=WHITE)
                row.cell(f"{_changed(change.old)} → {_changed(change.new)}", style=WHITE)
                row.cell(change.changed_by, style=WHITE)
                row.cell(strings.moment(change.changed_at), style=WHITE)
                row.cell(change.reason or strings.REVISED_NO_REASON, style=WHITE)

    # -- method -------------------------------------------------------------------------------------
    def method(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.heading(strings.METHOD, keep_with=90)
        pdf.paragraph(strings.METHOD_GOAL)
        pdf.paragraph(strings.METHOD_RULE)
        pdf.paragraph(strings.METHOD_EXAMPLES)
        pdf.set_font(BODY, "", 8.5)
        pdf.set_draw_color(*charts.GRID_LINE)
        tints = {k: FontFace(fill_color=v) for k, v in charts.STATUS_TINTS.items()}
        with pdf.table(
            col_widths=(24, 34, 72, 20, 30),
            text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"),
            line_height=4.6,
            headings_style=HEAD,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            head = table.row()
            for column in strings.METHOD_EXAMPLE_COLUMNS:
                head.cell(column)
            for example in report.examples:
                ten, left, eleven, right = example.sides
                check = (
                    strings.METHOD_CHECK_ZERO
                    if example.previous_value == 0
                    else strings.METHOD_CHECK.format(
                        value=strings.number(example.value),
                        ten=strings.number(ten),
                        left=strings.number(left),
                        sign="≥" if example.status == "met" else "<",
                        previous=strings.number(example.previous_value),
                        eleven=strings.number(eleven),
                        right=strings.number(right),
                    )
                )
                row = table.row()
                row.cell(f"{example.previous_year} → {example.year}", style=WHITE)
                row.cell(
                    f"{strings.number(example.previous_value)} → {strings.number(example.value)}", style=WHITE
                )
                row.cell(check, style=WHITE)
                row.cell(strings.number(example.required_value), style=WHITE)
                row.cell(strings.STATUS_WORDS[example.status], style=tints[example.status])
        pdf.ln(3)
        for text in (
            strings.METHOD_PROGRESS,
            strings.METHOD_ALLIANCE,
            strings.METHOD_PATH,
            strings.METHOD_REPORTING,
        ):
            pdf.paragraph(text)

    # -- INTERPOL's published totals ----------------------------------------------------------------
    def published(self) -> None:
        pdf, report = self.pdf, self.report
        pdf.heading(strings.PUBLISHED, keep_with=50)
        text = strings.PUBLISHED_TEXT + (strings.PUBLISHED_TEXT_DEMO if report.demonstration else "")
        pdf.paragraph(text)
        if not report.published:
            pdf.paragraph(strings.PUBLISHED_NONE)
            return
        pdf.set_font(BODY, "", 8)
        pdf.set_draw_color(*charts.GRID_LINE)
        with pdf.table(
            col_widths=(26, 28, 126),
            text_align=("LEFT", "RIGHT", "LEFT"),
            line_height=4.2,
            headings_style=HEAD,
            repeat_headings=1,
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            head = table.row()
            for column in strings.PUBLISHED_COLUMNS:
                head.cell(column)
            for figure in report.published:
                value = strings.number(figure.value)
                row = table.row()
                row.cell(strings.partial_date(figure.date), style=WHITE)
                row.cell(
                    strings.PUBLISHED_ABOUT.format(value=value) if figure.approximate else value, style=WHITE
                )
                row.cell(f"{figure.source_title}\n{figure.source_url}", style=WHITE, link=figure.source_url)


def _changed(value: int | str | None) -> str:
    """A changed figure (a count) or status (a code) for people."""
    if value is None:
        return strings.NO_VALUE
    if isinstance(value, int):
        return strings.number(value)
    return strings.STATUS_WORDS.get(value, value)
