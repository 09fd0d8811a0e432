"""The joint report's opening sections: title page, summary, the Alliance's trend, status map, grid."""

from __future__ import annotations

from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from models.metrics.compliance import DEFAULT_BASIS
from models.reports.joint_report import charts, strings
from models.reports.joint_report.layout import BOLD_WHITE, HEAD, OTHER_BASIS, WHITE, tints
from models.reports.joint_report.pdf import BODY, DEMO_RED, INK, MARGIN, ReportPDF
from models.reports.joint_report.topo import Topology, ids
from models.reports.joint_report.view import JointReport

GRID_YEARS = 15  # columns that fit across A4 portrait beside the names
SMALL_WHITE = FontFace(size_pt=6, fill_color=(255, 255, 255))


def years_text(report: JointReport) -> str:
    return strings.years(report.cycle.first_year, report.cycle.last_year)


def _centred(pdf: ReportPDF, height: float, text: str) -> None:
    pdf.multi_cell(0, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


# -- title page -----------------------------------------------------------------------------------
def title_page(pdf: ReportPDF, report: JointReport) -> None:
    pdf.add_page()
    pdf.set_y(62)
    pdf.set_font(BODY, "B", 24)
    pdf.set_text_color(*INK)
    _centred(pdf, 11, strings.TITLE)
    pdf.set_font(BODY, "", 13)
    _centred(pdf, 7, strings.SUBTITLE)
    pdf.ln(4)
    pdf.set_font(BODY, "B", 16)
    _centred(pdf, 8, report.cycle.name)
    pdf.ln(10)
    facts = [
        (strings.FACT_CYCLE, report.cycle.name),
        (strings.FACT_YEARS, years_text(report)),
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
            row.cell(name, style=BOLD_WHITE)
            row.cell(value, style=WHITE)
    if report.demonstration:
        pdf.ln(16)
        pdf.set_font(BODY, "B", 16)
        pdf.set_text_color(*DEMO_RED)
        _centred(pdf, 9, strings.DEMO_MARK)
        pdf.set_font(BODY, "", 10)
        pdf.set_x(MARGIN + 20)
        pdf.multi_cell(pdf.epw - 40, 5, strings.DEMO_NOTICE, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)


# -- summary --------------------------------------------------------------------------------------
def summary(pdf: ReportPDF, report: JointReport) -> None:
    pdf.heading(strings.SUMMARY)
    r = report.reporting
    text = strings.SUMMARY_REPORTING.format(
        expected=r.expected,
        cycle=report.cycle.name,
        years=years_text(report),
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
        p.name for p in report.participants if p.reporting and p.reporting.status in ("incomplete", "missing")
    ]
    if behind:
        pdf.paragraph(strings.SUMMARY_NOT_COMPLETE.format(names=strings.names(behind, limit=20)))
    for year in report.cycle.years:
        for basis in (DEFAULT_BASIS, OTHER_BASIS):
            pdf.paragraph(_year_sentence(report, basis, year))
    last = report.cycle.last_year
    missed = [
        p.name for p in report.participants if (row := p.row(DEFAULT_BASIS, last)) and row.status == "not_met"
    ]
    if missed:
        pdf.paragraph(
            strings.SUMMARY_NOT_MET.format(
                year=last, basis=strings.BASIS_NAMES[DEFAULT_BASIS], names=strings.names(missed, limit=30)
            )
        )


def _year_sentence(report: JointReport, basis: str, year: int) -> str:
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


# -- the Alliance's trend -------------------------------------------------------------------------
def trend(pdf: ReportPDF, report: JointReport) -> None:
    pdf.heading(strings.TREND, keep_with=110)
    for basis in (DEFAULT_BASIS, OTHER_BASIS):
        rows = report.alliance[basis]
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


# -- status map -----------------------------------------------------------------------------------
def status_map(pdf: ReportPDF, report: JointReport, topology: Topology) -> None:
    year = report.cycle.last_year
    pdf.heading(strings.MAP, keep_with=120)
    statuses: dict[str, str] = {}
    for p in report.participants:
        row = p.row(DEFAULT_BASIS, year)
        if row is not None:
            statuses[p.code] = row.status
    y = pdf.get_y()
    h = charts.status_map(pdf, topology, statuses, MARGIN, y, pdf.epw)
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
    drawn = ids(topology)
    unseen = [p.name for p in report.participants if p.code in statuses and p.code not in drawn]
    if unseen:
        pdf.caption(strings.MAP_NOT_DRAWN.format(names=strings.names(unseen, limit=30)))


# -- compliance grid ------------------------------------------------------------------------------
def grid(pdf: ReportPDF, report: JointReport) -> None:
    pdf.add_page()
    pdf.heading(strings.GRID)
    years = report.years[-GRID_YEARS:]
    caption = strings.GRID_CAPTION.format(basis=strings.BASIS_NAMES[DEFAULT_BASIS], cycle=report.cycle.name)
    if len(report.years) > len(years):
        caption += strings.GRID_CAPTION_CUT.format(first=report.years[0], last=years[0] - 1)
    pdf.caption(caption)
    year_w = 9.0
    name_w = pdf.epw - year_w * len(years)
    status_style = tints(charts.STATUS_TINTS)
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
                    row.cell(strings.STATUS_SYMBOLS[figures.status], style=status_style[figures.status])
        alliance = {r.year: r for r in report.alliance[DEFAULT_BASIS]}
        row = table.row()
        row.cell(strings.GRID_ALLIANCE, style=BOLD_WHITE)
        for year in years:
            found = alliance.get(year)
            status = found.comparison.status if found else "missing"
            row.cell(charts.alliance_symbol(found) if found else "", style=status_style.get(status, WHITE))
        row = table.row()
        row.cell(strings.GRID_COMPARED, style=SMALL_WHITE)
        for year in years:
            found = alliance.get(year)
            covers = "" if found is None or found.panel is None else f"{found.panel}/{found.expected}"
            row.cell(covers, style=SMALL_WHITE)
