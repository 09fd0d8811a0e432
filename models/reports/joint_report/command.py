"""What `python -m models report --cycle NAME --output FILE.pdf` does, for models/__main__.py."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Engine

from models.cli import announce_demo
from models.db import read_session

#: Output formats `--output` may name, and why the others are refused (usage errors, exit status 2).
PDF_SUFFIX = ".pdf"
NOT_YET = {".xlsx": "the spreadsheet joint report (.xlsx) is not available yet; write a .pdf for now"}


def output_problem(output: Path) -> str | None:
    """Why `output` cannot be written as a report (a usage error), or None when it can be."""
    suffix = output.suffix.lower()
    if suffix == PDF_SUFFIX:
        return None
    if suffix in NOT_YET:
        return f"--output {output}: {NOT_YET[suffix]}"
    return f"--output {output}: the report is written as a .pdf file"


def write_report(engine: Engine, cycle: str, output: Path) -> int:
    """Write the cycle's joint report to `output`; the exit status (1, one line on stderr, when refused)."""
    # Imported here: fpdf and its fonttools and Pillow take a good half second to load, which no
    # other `python -m models` command (init-db runs at every `make run`) should pay.
    from models.reports.joint_report import strings
    from models.reports.joint_report.data import ReportError, joint_report
    from models.reports.joint_report.document import write_pdf

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
    try:
        written = write_pdf(report, output)
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    years = strings.years(report.cycle.first_year, report.cycle.last_year)
    print(
        f"wrote {written.path}: {written.pages} pages, {written.size:,} bytes; {report.cycle.name} "
        f"(covering {years}), {len(report.participants)} participants, figures as at "
        f"{strings.moment(report.as_at)}, data version {report.data_version}"
    )
    return 0
