"""What a valid file says: pydantic row models whose errors become the report (columns: data_ingest.columns).

Cells arrive as the text the liaison typed (`data_ingest.readers`); the row models below read them
with the cell types of `data_ingest.cells` (participant codes, years, exact integer counts), which
say in plain words what is wrong. Nothing here touches the database: the caller passes what it
needs (the registered participants, today's date) in a ValidationContext.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from data_ingest.cells import (
    COUNTRY_CELL,
    MAX_DIGITS,
    YEAR_CELL,
    Count,
    CountryCode,
    Notes,
    ValidationContext,
    Year,
    usual_codes,
)
from data_ingest.columns import (
    COUNT_COLUMNS,
    COUNTRY,
    FIRST_YEAR,
    INDICATOR_OF,
    NOTES,
    YEAR,
    Columns,
    Layout,
    recognise_columns,
)
from data_ingest.countries import display_name
from data_ingest.raw_tables import RawRow, RawTable
from data_ingest.report import ColumnCounts, Issue, ProblemLog, problems_of
from models.recording import CellValue
from models.reference import ANNUAL


class LongRow(BaseModel):
    """One row of the long layout: a participant, a year and its counts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: CountryCode
    year: Year
    identified_victims: Count = None
    cumulative_total: Count = None
    notes: Notes = ""


class WideRow(BaseModel):
    """One row of the wide layout: a participant and identified_victims per year column.

    `counts` is keyed by the column's position (as text), so two headings alike stay apart.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: CountryCode
    counts: dict[str, Count]


LONG_ROW = TypeAdapter(LongRow)
WIDE_ROW = TypeAdapter(WideRow)


@dataclass(frozen=True, slots=True)
class FileCell:
    """A value the file gives for one cell, and where in the file it stands."""

    row: int
    column: str
    raw: str
    value: CellValue


@dataclass(frozen=True)
class ValidatedFile:
    """The outcome of validation. `cells` holds the values of the rows, in file order, when there
    is no error (a file may be loaded only then; a refused file keeps none).

    `errors` are the first ERRORS_KEPT problems (header problems first, then by row and column);
    `error_count` counts them all and `error_counts` per column. `year_heading` is the heading of
    the year column (long layout).
    """

    layout: Layout | None
    rows: int
    cells: tuple[FileCell, ...]
    errors: tuple[Issue, ...]
    notes: tuple[dict[str, Any], ...] = ()
    participants: frozenset[str] = frozenset()
    error_count: int = -1
    error_counts: ColumnCounts = ()
    year_heading: str | None = None

    def __post_init__(self) -> None:
        if self.error_count < 0:
            object.__setattr__(self, "error_count", len(self.errors))

    @property
    def latest_year(self) -> int | None:
        """The latest year the file gives a figure for."""
        return max((cell.value.year for cell in self.cells), default=None)


def _cell(row: RawRow, position: int) -> str:
    cells = row.cells
    return cells[position] if position < len(cells) else ""


def _cells_at(row: RawRow, fields: list[tuple[str, int]]) -> dict[str, str]:
    """The cells of a row at the given positions, by name ("" beyond the row's last cell)."""
    cells = row.cells
    width = len(cells)
    return {name: cells[position] if position < width else "" for name, position in fields}


def _issues(
    errors: list[ErrorDetails], row: RawRow, where: Mapping[str, int], columns: Columns
) -> list[Issue]:
    """pydantic's errors for one row as report entries, with the file's heading and raw cell."""
    issues = []
    for error in errors:
        if error["type"] == "missing":
            continue  # a missing column is reported once, on the header
        loc = error["loc"]
        key = str(loc[-1]) if loc else ""
        position = int(key) if loc and loc[0] == "counts" else where.get(key)
        if position is None:
            issues.append(Issue(row.number, None, None, error["msg"]))
        else:
            issues.append(Issue(row.number, columns.heading(position), _cell(row, position), error["msg"]))
    return issues


def _key_part(adapter: TypeAdapter[Any], text: str, context: ValidationContext) -> Any:
    try:
        return adapter.validate_python(text, context=context)
    except ValidationError:
        return None


def validate_table(table: RawTable, context: ValidationContext) -> ValidatedFile:
    """Every problem in the file in one pass, and the values of its valid rows.

    Errors are ordered by row, then column; header problems come first. The work is proportional
    to the file: each row is checked once, reading only the cells of recognised columns.
    """
    context = replace(context)  # a fresh budget of suggestions for this file
    columns = recognise_columns(table, context.today)
    check = _RowChecker(columns, context, refused=bool(columns.errors or table.problems.total))
    if columns.layout == "long":
        for row in table.rows:
            check.long_row(row)
    else:
        for row in table.rows:
            check.wide_row(row)
    order = {heading: position for position, heading in reversed(list(enumerate(check.headings)))}
    found = check.errors.freeze()
    counts: dict[str | None, int] = {}
    for column, count in (*problems_of(columns.errors).counts, *table.problems.counts, *found.counts):
        counts[column] = counts.get(column, 0) + count
    body = sorted(
        (*table.problems.kept, *found.kept),
        key=lambda issue: (issue.row or 0, order.get(issue.column or "", len(order))),
    )
    year_position = columns.positions.get(YEAR)
    return ValidatedFile(
        layout=columns.layout,
        rows=len(table.rows),
        cells=() if counts else tuple(check.cells),
        errors=(*columns.errors, *body)[: check.errors.limit],
        notes=tuple(check.notes),
        participants=frozenset(check.participants),
        error_count=sum(counts.values()),
        error_counts=tuple(counts.items()),
        year_heading=None if year_position is None else columns.heading(year_position),
    )


def received_on_errors(validated: ValidatedFile, received_on: dt.date) -> list[Issue]:
    """One error for each row with figures for a year that had not ended by `received_on`.

    A report cannot have been received before the end of the years it gives figures for; the error
    names the row and its latest such year.
    """
    latest: dict[int, FileCell] = {}
    for cell in validated.cells:
        if cell.value.year >= received_on.year:
            known = latest.get(cell.row)
            if known is None or cell.value.year > known.value.year:
                latest[cell.row] = cell
    issues = []
    for row, cell in latest.items():
        year = cell.value.year
        long_layout = validated.layout == "long" and validated.year_heading is not None
        issues.append(
            Issue(
                row,
                validated.year_heading if long_layout else cell.column,
                str(year) if long_layout else cell.raw,
                f"Row {row} gives figures for {year}, which had not ended on {received_on.isoformat()}, "
                "the date given as received on: a report cannot have been received before the end of the "
                "years it covers. Give the date the report was actually received.",
            )
        )
    return issues


class _RowChecker:
    """Validates rows one by one, collecting errors, values and notes (kept lean: files can be large)."""

    def __init__(self, columns: Columns, context: ValidationContext, refused: bool = False) -> None:
        self.columns = columns
        self.context = context
        self.refused = refused  # the header or the reader already found an error
        self.width = len(columns.headings)
        self.headings = [columns.heading(position) for position in range(self.width)]
        self.errors = ProblemLog()
        self.cells: list[FileCell] = []
        self.notes: list[dict[str, Any]] = []
        self.participants: set[str] = set()
        self.first_row: dict[tuple[str, int | None], int] = {}
        self.fields = list(columns.positions.items())
        self.counts = [
            (name, columns.positions[name], INDICATOR_OF[name])
            for name in COUNT_COLUMNS
            if name in columns.positions
        ]
        self.years = [(position, str(position), year) for position, year in columns.years.items()]
        # The usual row (a registered code, a four-digit year, plain digits or nothing, no note) is
        # read here directly; any other goes through the row model, which finds every problem.
        positions = columns.positions
        self.usual = COUNTRY in positions and YEAR in positions
        self.usual_codes = usual_codes(context)
        self.where = (positions.get(COUNTRY, 0), positions.get(YEAR, 0), positions.get(NOTES))

    def _usual_long(self, row: RawRow) -> tuple[str, int, list[int | None]] | None:
        """The country, year and counts of a usual row, as the row model reads them; None for any other.

        Only text the cell types read first as it is (`parse_country`, `parse_year`, `parse_count`).
        """
        cells = row.cells
        width = len(cells)
        country_at, year_at, notes_at = self.where
        country = cells[country_at] if country_at < width else ""
        if country not in self.usual_codes:
            return None
        text = cells[year_at] if year_at < width else ""
        if not (len(text) == 4 and text.isdigit() and text.isascii()):
            return None
        year = int(text)
        if year < FIRST_YEAR or year > self.context.today.year:
            return None
        if notes_at is not None and notes_at < width and cells[notes_at]:
            return None
        counts: list[int | None] = []
        for _name, position, _indicator in self.counts:
            text = cells[position] if position < width else ""
            if text.isdigit() and text.isascii() and len(text) < MAX_DIGITS:
                counts.append(int(text))
            elif text:
                return None
            else:
                counts.append(None)
        return country, year, counts

    def long_row(self, row: RawRow) -> None:
        usual = self._usual_long(row) if self.usual else None
        if usual is not None:
            self._long_values(row, *usual, "")
            self._once(row, usual[:2], self.where[0])
            return
        data = _cells_at(row, self.fields)
        try:
            valid = LONG_ROW.validate_python(data, context=self.context)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            self.errors.extend(_issues(errors, row, self.columns.positions, self.columns))
            # The key of the row, for "also in row N": only its parts that were valid.
            failed = {error["loc"][0] for error in errors if error["loc"]}
            context = self.context
            country = None if COUNTRY in failed else _key_part(COUNTRY_CELL, data.get(COUNTRY, ""), context)
            year = None if YEAR in failed else _key_part(YEAR_CELL, data.get(YEAR, ""), context)
        else:
            country, year = valid.country, valid.year
            counts = [getattr(valid, name) for name, _position, _indicator in self.counts]
            self._long_values(row, country, year, counts, valid.notes)
        if country is not None and year is not None:
            self._once(row, (country, year), self.columns.positions[COUNTRY])

    def _long_values(
        self, row: RawRow, country: str, year: int, counts: list[int | None], notes: str
    ) -> None:
        """Keep the values of a valid long row (its counts in the order of self.counts) and its note."""
        given = False
        for (_name, position, indicator), count in zip(self.counts, counts, strict=True):
            if count is not None:
                given = True
                value = CellValue(country, indicator, year, count)
                self._keep(FileCell(row.number, self.headings[position], _cell(row, position), value))
        if self.counts and not given:
            names = " or ".join(f"'{self.headings[position]}'" for _name, position, _i in self.counts)
            position = self.counts[0][1]
            self.errors.add(
                Issue(
                    row.number,
                    self.headings[position],
                    _cell(row, position),
                    f"This row has no figure: fill in {names}, or delete the row.",
                )
            )
        if notes:
            self.notes.append({"row": row.number, "country": country, "year": year, "note": notes})

    def wide_row(self, row: RawRow) -> None:
        counts = {key: _cell(row, position) for position, key, _year in self.years}
        try:
            valid = WIDE_ROW.validate_python(
                {"country": _cell(row, 0), "counts": counts}, context=self.context
            )
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            self.errors.extend(_issues(errors, row, {COUNTRY: 0}, self.columns))
            failed = {error["loc"][0] for error in errors if error["loc"]}
            country = None if COUNTRY in failed else _key_part(COUNTRY_CELL, _cell(row, 0), self.context)
        else:
            country = valid.country
            for position, key, year in self.years:
                count = valid.counts[key]
                if count is not None:
                    value = CellValue(country, ANNUAL, year, count)
                    self._keep(FileCell(row.number, self.headings[position], _cell(row, position), value))
        if country is not None:
            self._once(row, (country, None), 0)

    def _keep(self, cell: FileCell) -> None:
        """Keep a valid row's value, while the file can still be loaded: a refused file loads nothing,
        so a file of many rows with an error (say 27 year columns each) keeps no values."""
        if self.refused or self.errors.total:
            self.cells.clear()
            return
        self.cells.append(cell)

    def _once(self, row: RawRow, key: tuple[str, int | None], position: int) -> None:
        """The same participant (and year) twice in one file: an error on the later row naming the first."""
        self.participants.add(key[0])
        earlier = self.first_row.setdefault(key, row.number)
        if earlier == row.number:
            return
        code, year = key
        what = f"{display_name(code, self.context.participants)} ({code})" + (
            f" {year}" if year is not None else ""
        )
        scope = "each country and year" if year is not None else "each country"
        self.errors.add(
            Issue(
                row.number,
                self.headings[position],
                _cell(row, position),
                f"{what} is also in row {earlier}: {scope} may appear only once in a file.",
            )
        )
