"""The joint report as a spreadsheet: `python -m models report --cycle NAME --output FILE.xlsx`.

The same JointReport the PDF draws, written as report sheets (compliance per basis over the years
the report covers, the cycle's reporting status), the long machine-readable Data sheet and an About
sheet (models.reports.exports writes them all, with the product's conventions).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models.metrics.compliance import ALL
from models.reports import exports
from models.reports.joint_report.view import Figures, JointReport
from models.reports.sheets import ReportSheet, compliance_sheet, reporting_participants_sheet

BASES = ("cumulative", "annual")
DATA_COLUMNS = [
    "participant",
    "name",
    "year",
    "basis",
    "value",
    "previous_year",
    "previous_value",
    "gap_years",
    "required_value",
    "growth",
    "status",
    "progress",
    "path_value",
    "on_path",
    "participants",
]


@dataclass(frozen=True)
class WrittenWorkbook:
    """What was written: where, how many sheets, how many bytes."""

    path: Path
    sheets: int
    size: int


def _row(code: str, name: str, basis: str, figures: Figures) -> dict[str, Any]:
    return {
        "participant": code,
        "name": name,
        "year": figures.year,
        "basis": basis,
        "value": figures.value,
        "previous_year": figures.previous_year,
        "previous_value": figures.previous_value,
        "gap_years": figures.gap_years,
        "required_value": figures.required_value,
        "growth": figures.growth,
        "status": figures.status,
        "progress": figures.progress,
        "path_value": figures.path_value,
        "on_path": figures.on_path,
        "participants": figures.participants,
    }


def long_table(report: JointReport) -> pd.DataFrame:
    """Every figure of the report, one row per participant (then the Alliance), basis and year.
    Columns: DATA_COLUMNS."""
    rows = [
        _row(p.code, p.name, basis, figures)
        for basis in BASES
        for p in sorted(report.participants, key=lambda p: p.name)
        for figures in p.figures[basis]
    ]
    rows += [
        _row(ALL, "Alliance (balanced panel)", basis, year.comparison)
        | {"participants": year.comparison.participants}
        for basis in BASES
        for year in report.alliance[basis]
    ]
    frame = pd.DataFrame(rows, columns=DATA_COLUMNS)
    for column in (
        "value",
        "previous_year",
        "previous_value",
        "gap_years",
        "required_value",
        "path_value",
        "participants",
    ):
        frame[column] = pd.array(
            [None if v is None or pd.isna(v) else int(v) for v in frame[column]], dtype="Int64"
        )
    frame["growth"] = pd.array(frame["growth"], dtype="Float64")
    frame["on_path"] = pd.array(frame["on_path"], dtype="boolean")
    return frame


def report_sheets(report: JointReport, data: pd.DataFrame) -> list[ReportSheet]:
    """The compliance sheet of each basis over the report's years, then the cycle's reporting sheet."""
    first, last = report.years[0], report.years[-1]
    sheets = [
        compliance_sheet(data[data["basis"] == basis], basis, first, last, name=basis.capitalize())
        for basis in BASES
    ]
    reporting = pd.DataFrame(
        [
            {
                "participant": p.code,
                "name": p.name,
                "first_year": report.cycle.first_year,
                "last_year": report.cycle.last_year,
                "status": p.reporting.status,
                "missing_years": ", ".join(str(y) for y in p.reporting.missing_years),
                "reported_on": p.reporting.reported_on,
                "days_late": p.reporting.days_late,
            }
            for p in sorted(report.participants, key=lambda p: p.name)
            if p.reporting is not None
        ]
    )
    if len(reporting):
        sheets.append(reporting_participants_sheet(reporting, report.cycle.name, name="Reporting"))
    return sheets


def write_xlsx(report: JointReport, output: Path) -> WrittenWorkbook:
    """Write the report's workbook to `output` (replaced in one step: never a half-written file)."""
    data = long_table(report)
    sheets = report_sheets(report, data) if report.years else []
    info = exports.ExportInfo(
        title=f"Joint report, {report.cycle.name}",
        data_version=report.data_version,
        demo=report.demonstration,
        generated_at=report.as_at,
        selection=(
            ("reporting cycle", report.cycle.name),
            ("years covered by the cycle", f"{report.cycle.first_year}–{report.cycle.last_year}"),
            ("deadline", report.cycle.deadline.isoformat()),
        ),
    )
    content = exports.xlsx_bytes(data, info, report=sheets)
    output = Path(output)
    handle, temporary = tempfile.mkstemp(prefix=".report-", suffix=".xlsx", dir=output.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return WrittenWorkbook(output, len(sheets) + 2, output.stat().st_size)
