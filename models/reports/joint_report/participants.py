"""The joint report's participant sections: each one's figures, reporting and what it takes next year."""

from __future__ import annotations

from models.metrics.compliance import DEFAULT_BASIS
from models.reports.joint_report import charts, strings
from models.reports.joint_report.layout import OTHER_BASIS
from models.reports.joint_report.pdf import BODY, INK, MARGIN, ReportPDF
from models.reports.joint_report.view import Figures, JointReport, ParticipantReport

SECTION_YEARS = 8  # years across a participant's table


def participants(pdf: ReportPDF, report: JointReport) -> None:
    pdf.add_page()
    pdf.heading(strings.PARTICIPANTS)
    for participant in report.participants:
        section(pdf, report, participant)


def section(pdf: ReportPDF, report: JointReport, p: ParticipantReport) -> None:
    """One participant's section: heading and sparkline, its latest figure and reporting, its table,
    what it takes next year."""
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
    lines.append(_reporting_sentence(report, p))
    pdf.paragraph(" ".join(lines), size=8.5)
    _table(pdf, report, p)
    pdf.paragraph(_next_year_sentence(p), size=8.5)
    pdf.ln(2)


def _reporting_sentence(report: JointReport, p: ParticipantReport) -> str:
    r = p.reporting
    if r is None:
        return strings.SECTION_REPORTING.format(
            cycle=report.cycle.name, status=strings.REPORTING_WORDS["not_expected"], detail=""
        )
    detail = ""
    if r.reported_on is not None:
        detail += strings.SECTION_RECEIVED.format(date=strings.date(r.reported_on))
    if r.days_late:
        detail += strings.SECTION_LATE.format(days=strings.days_text(r.days_late))
    if r.missing_years:
        detail += strings.SECTION_MISSING_YEARS.format(years=strings.year_list(r.missing_years))
    return strings.SECTION_REPORTING.format(
        cycle=report.cycle.name, status=strings.REPORTING_WORDS[r.status], detail=detail
    )


def _table(pdf: ReportPDF, report: JointReport, p: ParticipantReport) -> None:
    """Years across: cumulative count, growth, status and path; the annual count and status.

    A fixed grid of cell() calls: cheaper than table(), which measures every cell for wrapping
    (most of the build time for a hundred participants), and the block never breaks anyway.
    """
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


def _next_year_sentence(p: ParticipantReport) -> str:
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
