"""What `python -m models report --cycle NAME --output FILE.pdf|FILE.xlsx` does, for models/__main__.py."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Engine

from models.cli import announce_demo
from models.db import read_session

#: Output formats `--output` may name; any other is refused (a usage error, exit status 2).
PDF_SUFFIX = ".pdf"
XLSX_SUFFIX = ".xlsx"
SUFFIXES = (PDF_SUFFIX, XLSX_SUFFIX)


def output_problem(output: Path) -> str | None:
    """Why `output` cannot be written as a report (a usage error), or None when it can be."""
    if output.suffix.lower() in SUFFIXES:
        return None
    return f"--output {output}: the report is written as a .pdf or an .xlsx file"


def write_report(engine: Engine, cycle: str, output: Path) -> int:
    """Write the cycle's joint report to `output`; the exit status (1, one line on stderr, when refused)."""
    # Imported here: fpdf and its fonttools and Pillow take a good half second to load, which no
    # other `python -m models` command (init-db runs at every `make run`) should pay.
    from models.reports.joint_report import strings
    from models.reports.joint_report.data import ReportError, joint_report
    from models.reports.joint_report.document import write_pdf
    from models.reports.joint_report.workbook import write_xlsx

    if not output.parent.is_dir():
        print(f"error: cannot write {output}: the folder {output.parent} does not exist", file=sys.stderr)
        return 1
    with read_session(engine) as session:
        try:
            report = joint_report(session, cycle)
        except ReportError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    announce_demo(strings.DEMO_MARK if report.demonstration else None)
    years = strings.years(report.cycle.first_year, report.cycle.last_year)
    about = (
        f"{report.cycle.name} (covering {years}), {len(report.participants)} participants, figures as at "
        f"{strings.moment(report.as_at)}, data version {report.data_version}"
    )
    try:
        if output.suffix.lower() == XLSX_SUFFIX:
            book = write_xlsx(report, output)
            print(f"wrote {book.path}: {book.sheets} sheets, {book.size:,} bytes; {about}")
            return 0
        written = write_pdf(report, output)
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {written.path}: {written.pages} pages, {written.size:,} bytes; {about}")
    return 0
