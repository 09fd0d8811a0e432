"""What `python -m models report --cycle NAME --output FILE.pdf|FILE.xlsx` does, for models/__main__.py."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from models.cli import announce_demo
from models.db import read_session
from models.reports.joint_report.data import ReportError
from models.reports.joint_report.view import JointReport

#: Output formats `--output` may name; any other is refused (a usage error, exit status 2).
PDF_SUFFIX = ".pdf"
XLSX_SUFFIX = ".xlsx"
SUFFIXES = (PDF_SUFFIX, XLSX_SUFFIX)


def output_problem(output: Path) -> str | None:
    """Why `output` cannot be written as a report (a usage error), or None when it can be."""
    if output.suffix.lower() in SUFFIXES:
        return None
    return f"--output {output}: the report is written as a .pdf or an .xlsx file"


@dataclass(frozen=True)
class ReportFile:
    """A joint report written to a file: the report, where, how big, and what it holds ("22 pages")."""

    report: JointReport
    path: Path
    size: int
    extent: str


def render_report(engine: Engine, cycle: str, output: Path) -> ReportFile:
    """Build the cycle's joint report and write it to `output` as PDF or XLSX (by its suffix). The one
    function behind the command line and the /reporting page's buttons.

    Raises ReportError for an unknown cycle, OSError when the file cannot be written.
    """
    # Imported here: fpdf and its fonttools and Pillow take a good half second to load, which no
    # other `python -m models` command (init-db runs at every `make run`) should pay.
    from models.reports.joint_report.data import joint_report
    from models.reports.joint_report.document import write_pdf
    from models.reports.joint_report.workbook import write_xlsx

    with read_session(engine) as session:
        report = joint_report(session, cycle)
    if output.suffix.lower() == XLSX_SUFFIX:
        book = write_xlsx(report, output)
        return ReportFile(report, book.path, book.size, f"{book.sheets} sheets")
    written = write_pdf(report, output)
    return ReportFile(report, written.path, written.size, f"{written.pages} pages")


def write_report(engine: Engine, cycle: str, output: Path) -> int:
    """Write the cycle's joint report to `output`; the exit status (1, one line on stderr, when refused)."""
    from models.reports.joint_report import strings

    if not output.parent.is_dir():
        print(f"error: cannot write {output}: the folder {output.parent} does not exist", file=sys.stderr)
        return 1
    try:
        written = render_report(engine, cycle, output)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    report = written.report
    announce_demo(strings.DEMO_MARK if report.demonstration else None)
    years = strings.years(report.cycle.first_year, report.cycle.last_year)
    print(
        f"wrote {written.path}: {written.extent}, {written.size:,} bytes; {report.cycle.name} "
        f"(covering {years}), {len(report.participants)} participants, figures as at "
        f"{strings.moment(report.as_at)}, data version {report.data_version}"
    )
    return 0
