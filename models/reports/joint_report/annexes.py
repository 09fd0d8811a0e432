"""The joint report's closing sections: reporting, revisions since the close, method, INTERPOL's totals."""

from __future__ import annotations

from models.reports.joint_report import charts, strings
from models.reports.joint_report.layout import WHITE, headed_table, tints
from models.reports.joint_report.pdf import ReportPDF
from models.reports.joint_report.view import JointReport


# -- reporting ------------------------------------------------------------------------------------
def reporting(pdf: ReportPDF, report: JointReport) -> None:
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
    status_style = tints(charts.REPORTING_TINTS)
    with headed_table(
        pdf,
        strings.REPORTING_COLUMNS,
        size=8,
        line_width=0.15,
        col_widths=(52, 28, 22, 30, 30, 18),
        text_align=("LEFT", "LEFT", "CENTER", "CENTER", "LEFT", "RIGHT"),
        line_height=4.4,
    ) as table:
        for p in expected:
            s = p.reporting
            assert s is not None
            row = table.row()
            row.cell(p.name, style=WHITE)
            row.cell(strings.REPORTING_WORDS[s.status], style=status_style[s.status])
            row.cell(f"{s.years_reported} of {s.years_covered}", style=WHITE)
            row.cell(strings.year_list(s.missing_years) or strings.NO_VALUE, style=WHITE)
            row.cell(strings.date(s.reported_on), style=WHITE)
            row.cell(str(s.days_late) if s.days_late else strings.NO_VALUE, style=WHITE)


# -- revised since the close ----------------------------------------------------------------------
def revised(pdf: ReportPDF, report: JointReport) -> None:
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
    with headed_table(
        pdf,
        strings.REVISED_COLUMNS,
        size=8,
        col_widths=(34, 12, 20, 30, 28, 28, 28),
        text_align=("LEFT", "RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
        line_height=4.4,
    ) as table:
        for change in report.changes_since_close:
            row = table.row()
            row.cell(names.get(change.participant, change.participant), style=WHITE)
            row.cell(str(change.year), style=WHITE)
            row.cell(strings.BASIS_TITLES.get(change.basis, change.basis), style=WHITE)
            row.cell(f"{_changed(change.old)} → {_changed(change.new)}", style=WHITE)
            row.cell(change.changed_by, style=WHITE)
            row.cell(strings.moment(change.changed_at), style=WHITE)
            row.cell(change.reason or strings.REVISED_NO_REASON, style=WHITE)


def _changed(value: int | str | None) -> str:
    """A changed figure (a count) or status (a code) for people."""
    if value is None:
        return strings.NO_VALUE
    if isinstance(value, int):
        return strings.number(value)
    return strings.STATUS_WORDS.get(value, value)


# -- method ---------------------------------------------------------------------------------------
def method(pdf: ReportPDF, report: JointReport) -> None:
    pdf.heading(strings.METHOD, keep_with=90)
    pdf.paragraph(strings.METHOD_GOAL)
    pdf.paragraph(strings.METHOD_RULE)
    pdf.paragraph(strings.METHOD_EXAMPLES)
    status_style = tints(charts.STATUS_TINTS)
    with headed_table(
        pdf,
        strings.METHOD_EXAMPLE_COLUMNS,
        size=8.5,
        col_widths=(24, 34, 72, 20, 30),
        text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "LEFT"),
        line_height=4.6,
    ) as table:
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
            row.cell(strings.STATUS_WORDS[example.status], style=status_style[example.status])
    pdf.ln(3)
    for text in (
        strings.METHOD_PROGRESS,
        strings.METHOD_ALLIANCE,
        strings.METHOD_PATH,
        strings.METHOD_REPORTING,
    ):
        pdf.paragraph(text)


# -- INTERPOL's published totals ------------------------------------------------------------------
def published(pdf: ReportPDF, report: JointReport) -> None:
    pdf.heading(strings.PUBLISHED, keep_with=50)
    text = strings.PUBLISHED_TEXT + (strings.PUBLISHED_TEXT_DEMO if report.demonstration else "")
    pdf.paragraph(text)
    if not report.published:
        pdf.paragraph(strings.PUBLISHED_NONE)
        return
    with headed_table(
        pdf,
        strings.PUBLISHED_COLUMNS,
        size=8,
        col_widths=(26, 28, 126),
        text_align=("LEFT", "RIGHT", "LEFT"),
        line_height=4.2,
    ) as table:
        for figure in report.published:
            value = strings.number(figure.value)
            row = table.row()
            row.cell(strings.partial_date(figure.date), style=WHITE)
            row.cell(
                strings.PUBLISHED_ABOUT.format(value=value) if figure.approximate else value, style=WHITE
            )
            row.cell(f"{figure.source_title}\n{figure.source_url}", style=WHITE, link=figure.source_url)
