"""Report sheets: the tables a secretariat pastes into a report, built from the metrics' frames.

Participants down, years across, readable headers ("Participant", "2024"), statuses as symbols and
words ("✓ Met"), and the codes behind them defined once (`CODES`) so the About sheet of every
export defines exactly the statuses its columns hold. Pure functions of frames (no database, no
Dash, no openpyxl: models.reports.exports writes the sheets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from models.metrics.compliance import ALL, PROGRESS, STATUSES
from models.metrics.reporting import REPORTING_STATUSES
from models.reports.summaries.words import (
    GOAL_TEXT,
    PROGRESS_LABELS,
    REPORTING_LABELS,
    STATUS_LABELS,
    share_text,
)

#: The words a status code means, per kind of column. A test checks each against the metric's codes.
STATUS_DEFINITIONS: dict[str, str] = {
    "met": "value ≥ required_value: at least 10% a year above the previous value.",
    "not_met": "value below required_value.",
    "no_baseline": "nothing earlier to compare with (the first year with a value).",
    "missing": "no value reported.",
}
PROGRESS_DEFINITIONS: dict[str, str] = {
    "on_track": "growth at least 95% of the 10% target (9.5% a year).",
    "acceleration_needed": "growth 60–95% of the target.",
    "limited_progress": "growth 0–60% of the target.",
    "deterioration": "the count fell.",
}
REPORTING_DEFINITIONS: dict[str, str] = {
    "on_time": "every covered year reported, the last first submitted by the deadline.",
    "late": "every covered year reported, the last after the deadline.",
    "incomplete": "some covered years reported, some not.",
    "missing": "no covered year reported.",
}
#: Which codes a column holds, and what each means: compliance exports.
COMPLIANCE_CODES: dict[str, dict[str, str]] = {"status": STATUS_DEFINITIONS, "progress": PROGRESS_DEFINITIONS}
#: The reporting exports: `status` there is a reporting status (on_time, late, ...).
REPORTING_CODES: dict[str, dict[str, str]] = {"status": REPORTING_DEFINITIONS}
#: Every code's domain, from the metrics: what the definitions above must match.
DOMAINS: dict[str, tuple[str, ...]] = {
    "compliance status": STATUSES,
    "progress": PROGRESS,
    "reporting status": REPORTING_STATUSES,
}

COVERAGE_LABEL = "Alliance covers"
THIN_MARK = "⚠"


def sheet_label(label: str) -> str:
    """ "✓ met" → "✓ Met": a summary label as a spreadsheet cell starts its word with a capital."""
    symbol, _, words = label.partition(" ")
    return f"{symbol} {words[:1].upper()}{words[1:]}"


STATUS_CELLS = {code: sheet_label(label) for code, label in STATUS_LABELS.items()}
PROGRESS_CELLS = {code: sheet_label(label) for code, label in PROGRESS_LABELS.items()}
REPORTING_CELLS = {code: sheet_label(label) for code, label in REPORTING_LABELS.items()}


@dataclass(frozen=True)
class ReportSheet:
    """One report sheet: a heading (title, then subtitle lines), a header row and body rows.

    `legend`: (cell text, definition) for every symbol the body may show, for the About sheet.
    `number_columns`: header → number format for the columns of counts or percentages.
    """

    name: str
    title: str
    subtitle: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    legend: tuple[tuple[str, str], ...] = ()
    number_columns: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _legend(cells: Mapping[str, str], definitions: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((cells[code], definitions[code]) for code in cells)


def coverage_text(covered: int, expected: int) -> str:
    """ "3 of 49" participants; with ⚠ and "fewer than half" when fewer than half are covered."""
    text = f"{covered} of {expected}"
    if expected and 2 * covered < expected:
        text = f"{THIN_MARK} {text}: fewer than half"
    return text


def status_cell(status: str, thin: bool = False) -> str:
    """A status as a cell; an Alliance status resting on fewer than half the participants shows no bare ✓."""
    cell = STATUS_CELLS.get(status, status)
    if not thin:
        return cell
    return f"{THIN_MARK} {cell.partition(' ')[2]} (too few participants)"


def compliance_sheet(
    grid: pd.DataFrame, basis: str, first_year: int, last_year: int, name: str = "Report"
) -> ReportSheet:
    """The compliance grid as a report sheet: one row per participant (by name), one column per year
    holding its status, then the Alliance row and how many participants the Alliance covers each year.

    `grid`: rows of models.metrics.series.status_grid (participant, name, year, status, participants).
    """
    years = list(range(first_year, last_year + 1))
    people = grid[grid["participant"] != ALL]
    alliance = grid[grid["participant"] == ALL].set_index("year")
    expected = people.groupby("year").size()
    cells: dict[tuple[str, str], dict[int, str]] = {}
    for row in people.itertuples(index=False):
        cells.setdefault((str(row.name), str(row.participant)), {})[int(row.year)] = STATUS_CELLS.get(
            str(row.status), str(row.status)
        )
    rows: list[tuple[Any, ...]] = [
        (person, code, *[by_year.get(year, "") for year in years])
        for (person, code), by_year in sorted(cells.items())
    ]
    if len(alliance):
        statuses, covers = [], []
        for year in years:
            total = int(expected.get(year, 0))
            if year not in alliance.index:
                statuses.append("")
                covers.append("")
                continue
            row = alliance.loc[year]
            covered = 0 if pd.isna(row["participants"]) else int(row["participants"])
            thin = bool(total) and 2 * covered < total
            statuses.append(status_cell(str(row["status"]), thin))
            covers.append(coverage_text(covered, total))
        rows.append(("Alliance (balanced panel)", ALL, *statuses))
        rows.append((COVERAGE_LABEL, "", *covers))
    return ReportSheet(
        name=name,
        title=f"Compliance with the {GOAL_TEXT} goal, {basis} basis, "
        + (str(first_year) if first_year == last_year else f"{first_year}–{last_year}"),
        subtitle=(f"Status per participant and year on the {basis} basis",),
        header=("Participant", "Code", *[str(year) for year in years]),
        rows=tuple(rows),
        legend=_legend(STATUS_CELLS, STATUS_DEFINITIONS),
        notes=(
            f"{COVERAGE_LABEL}: how many of the participants expected that year the Alliance's "
            "like-for-like comparison covers (those that reported both the year and the year before); "
            f"{THIN_MARK} marks a figure based on fewer than half of them.",
        ),
    )


def wide_grid(grid: pd.DataFrame, first_year: int, last_year: int) -> pd.DataFrame:
    """The grid as one row per participant (the Alliance last) and one column per year holding its
    status code, for the grid's CSV. Columns: participant, name, then "2012", "2013", ... as text."""
    years = [str(year) for year in range(first_year, last_year + 1)]
    if grid.empty:
        return pd.DataFrame(columns=["participant", "name", *years])
    wide = grid.assign(year=grid["year"].astype(int).astype(str)).pivot_table(
        index=["participant", "name"], columns="year", values="status", aggfunc="first"
    )
    wide = wide.reindex(columns=years).reset_index()
    wide.columns.name = None
    wide = wide.assign(_alliance=wide["participant"] == ALL).sort_values(["_alliance", "name"], kind="stable")
    return (
        wide[["participant", "name", *years]].astype(object).where(wide.notna(), None).reset_index(drop=True)
    )


def reporting_participants_sheet(rows: pd.DataFrame, cycle: str, name: str = "Report") -> ReportSheet:
    """One cycle's reporting status as a report sheet: participants down, the covered years across
    (✓ Reported or – Not reported), then the status, when the last year came in and how late.

    `rows`: models.metrics.series.cycle_table (reporting.TABLE_COLUMNS + name).
    """
    first = int(rows["first_year"].iloc[0]) if len(rows) else 0
    last = int(rows["last_year"].iloc[0]) if len(rows) else -1
    years = list(range(first, last + 1))
    body = []
    for row in rows.itertuples(index=False):
        missing = {int(y) for y in str(row.missing_years).split(", ") if y.strip().isdigit()}
        body.append(
            (
                str(row.name),
                str(row.participant),
                *["– Not reported" if year in missing else "✓ Reported" for year in years],
                REPORTING_CELLS.get(str(row.status), str(row.status)),
                None if pd.isna(row.reported_on) else row.reported_on,
                None if pd.isna(row.days_late) else int(row.days_late),
            )
        )
    return ReportSheet(
        name=name,
        title=f"Reporting status per participant, {cycle}",
        subtitle=(f"Covered years {first}–{last}" if first != last else f"Covered year {first}",),
        header=(
            "Participant",
            "Code",
            *[str(y) for y in years],
            "Status",
            "Last year reported on",
            "Days late",
        ),
        rows=tuple(body),
        legend=(
            *_legend(REPORTING_CELLS, REPORTING_DEFINITIONS),
            ("✓ Reported", "a value was reported for the year (annual basis)."),
            ("– Not reported", "no value for the year."),
        ),
        number_columns={"Last year reported on": "yyyy-mm-dd", "Days late": "0"},
    )


def reporting_cycles_sheet(summary: pd.DataFrame, name: str = "Report") -> ReportSheet:
    """Completeness and timeliness per cycle as a report sheet: one row per cycle, by deadline."""
    body = []
    for row in summary.itertuples(index=False):
        expected = int(row.expected)
        years = (
            str(row.first_year) if row.first_year == row.last_year else f"{row.first_year}–{row.last_year}"
        )
        body.append(
            (
                str(row.cycle),
                years,
                row.deadline,
                expected,
                int(row.on_time),
                int(row.late),
                int(row.incomplete),
                int(row.missing),
                share_text(int(row.completeness_numerator), expected),
                share_text(int(row.timeliness_numerator), expected),
            )
        )
    return ReportSheet(
        name=name,
        title="Reporting completeness and timeliness per cycle",
        subtitle=("Annual basis: a participant reports a cycle by giving a value for every covered year",),
        header=(
            "Cycle",
            "Years covered",
            "Due",
            "Expected",
            REPORTING_CELLS["on_time"],
            REPORTING_CELLS["late"],
            REPORTING_CELLS["incomplete"],
            REPORTING_CELLS["missing"],
            "Complete",
            "On time",
        ),
        rows=tuple(body),
        legend=_legend(REPORTING_CELLS, REPORTING_DEFINITIONS),
        number_columns={"Due": "yyyy-mm-dd"},
    )


def codes_in(frame: pd.DataFrame, codes: Mapping[str, Mapping[str, str]]) -> dict[str, set[str]]:
    """For each coded column present in `frame`, the codes it holds (nulls left out)."""
    return {
        column: {str(v) for v in frame[column] if v is not None and not pd.isna(v)}
        for column in codes
        if column in frame.columns
    }


def names_of(sheets: Sequence[ReportSheet]) -> list[str]:
    return [sheet.name for sheet in sheets]
