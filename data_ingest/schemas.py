"""What a valid file says: pydantic row models whose errors become the report (columns: data_ingest.columns).

Cells arrive as the text the liaison typed (`data_ingest.readers`); the reusable `Annotated` types
below turn that text into participant codes, years and exact integer counts, or say in plain
words what is wrong. Nothing here touches the database: the caller passes what it needs (the
registered participants, today's date) in a ValidationContext.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, PlainValidator, TypeAdapter, ValidationError, ValidationInfo
from pydantic_core import ErrorDetails, PydanticCustomError

from data_ingest.columns import (
    COUNT_COLUMNS,
    COUNTRY,
    FIRST_YEAR,
    INDICATOR_OF,
    YEAR,
    Columns,
    Layout,
    recognise_columns,
)
from data_ingest.countries import Reading, Register, alternatives, display_name, labelled, resolve, suggest
from data_ingest.readers import RawRow, RawTable
from data_ingest.report import ColumnCounts, Issue, ProblemLog, problems_of
from models.demo import DEMO_LABEL
from models.recording import CellValue
from models.reference import ANNUAL
from models.text import CELL, NOTE, abbreviated, text_problem

#: The largest count accepted: more than the world's population (about 8.1 billion in 2025), so no
#: real count of victims comes near it, and far enough below 2**63 that every sum and ratio the
#: metrics make of all participants' counts over every year stays exact and within 64 bits.
MAX_COUNT = 10_000_000_000
#: Unknown country names get a "Did you mean" hint (a fuzzy search) for this many distinct names
#: per file; beyond, the plain hint, so a file of garbage cannot make validation slow.
SUGGESTIONS_PER_FILE = 100
_MAX_DIGITS = len(str(MAX_COUNT))

#: Cell texts that mean "not reported" (compared without case); never zero.
NOT_REPORTED = frozenset({"", "n/a", "na", "-", "–", "—", ".."})

_YEAR_TEXT = re.compile(r"[0-9]+(?:\.0+)?")
# Digits, optionally grouped by thousands with one kind of separator, optionally with a decimal part.
_NUMBER = re.compile(
    r"(?P<int>[0-9]+|[0-9]{1,3}(?P<sep>[, \u00a0\u202f\u2009'’])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:\.(?P<frac>[0-9]+))?"
)
_POINT_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_NEGATIVE = re.compile(r"[-−]\s*[0-9]")
_SCIENTIFIC = re.compile(r"[0-9.,]*[0-9][eE][+-]?[0-9]+")


@dataclass(frozen=True)
class ValidationContext:
    """What validation needs from outside: the registered participants (code -> name), today's date,
    and optionally the one participant this file may speak for (a liaison's upload)."""

    participants: Mapping[str, str]
    today: dt.date
    allowed_participant: str | None = None
    participant_codes: frozenset[str] = field(init=False)
    register: Register = field(init=False, compare=False, repr=False)
    # Suggestions made for this file: validate_table gives every file a fresh one.
    suggestions: dict[str, tuple[str, ...]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "participant_codes", frozenset(self.participants))
        object.__setattr__(self, "register", Register(self.participants))
        object.__setattr__(self, "suggestions", {})

    def suggestion(self, text: str) -> tuple[str, ...]:
        """The closest registered (or known) countries to `text` (several: an ambiguous name), within
        this file's budget of searches."""
        if text in self.suggestions:
            return self.suggestions[text]
        if len(self.suggestions) >= SUGGESTIONS_PER_FILE:
            return ()
        found = suggest(text, self.participant_codes)
        self.suggestions[text] = found
        return found


def _fail(kind: str, message: str) -> PydanticCustomError:
    # The message goes in the context, so braces typed by a liaison are never taken as placeholders.
    return PydanticCustomError(kind, "{message}", {"message": message})


def _context(info: ValidationInfo) -> ValidationContext | None:
    context = info.context
    return context if isinstance(context, ValidationContext) else None


# What a cell may start or end with and still mean its text: spaces, tabs and line ends, and the
# other Unicode spaces. Not str.strip()'s default, which also drops the control characters
# \x1c-\x1f and \x85: "DEU\x1f" must be refused as unreadable, never read as DEU.
_BLANKS = (
    "".join(
        c
        for c in map(chr, range(0x3001))
        if c.isspace() and (c in "\t\n\r" or unicodedata.category(c) != "Cc")
    )
    + "\ufeff"
)


def _text(value: Any) -> str:
    return (value if isinstance(value, str) else str(value)).strip(_BLANKS)


def _cell_text(value: Any) -> str:
    """A one-line cell's text, refused if it holds what no text can (a NUL, a broken character, a
    control character): "DEU\x00" must never be read as DEU."""
    text = _text(value)
    problem = text_problem(text, CELL)
    if problem is not None:
        raise _fail("cell_unreadable", problem)
    return text


def parse_country(value: Any, info: ValidationInfo) -> str:
    """A code, a name (data_ingest.countries) or "Name (CODE)" -> the alpha-3 code of a registered
    participant (allowed for this file)."""
    text = _text(value)
    if not text:
        raise _fail("country_missing", "The country is missing.")
    context = _context(info)
    registered = context.participants if context else None
    # A registered participant's own code is always understood, even one ISO leaves to its users
    # (e.g. XKX for Kosovo), which pycountry does not list.
    if registered is not None and text.upper() in registered:
        code = text.upper()
    else:
        reading = resolve(_cell_text(text), context.register if context else None)
        if reading.code is None:
            raise _unread_country(text, reading, context)
        code = reading.code
    if context is None:
        return code
    if code not in context.participants:
        raise _fail(
            "country_not_participant",
            f"{display_name(code)} ({code}) is not a registered participant of the Alliance.",
        )
    allowed = context.allowed_participant
    if allowed is not None and code != allowed:
        raise _fail(
            "country_not_allowed",
            f"This file may only hold figures for {display_name(allowed, registered)} ({allowed}); "
            f"this row is for {display_name(code, registered)} ({code}).",
        )
    return code


def _unread_country(text: str, reading: Reading, context: ValidationContext | None) -> PydanticCustomError:
    """Why a country cell names no one country: a name and code that disagree, an ambiguous name,
    or a name we do not know (with the closest we know, if any is close)."""
    registered = context.participants if context else None
    quoted = abbreviated(text)
    if reading.conflict is not None:
        given = labelled(reading.conflict, registered)
        if reading.candidates:
            return _fail(
                "country_code_mismatch",
                f"'{quoted}' gives the name of {alternatives(reading.candidates, registered)} but the code "
                f"of {given}. Write the code or the name alone.",
            )
        return _fail(
            "country_code_mismatch",
            f"'{quoted}' gives the code of {given} with a name we do not know for it. "
            "Write the code or the name alone.",
        )
    if reading.candidates:
        return _fail(
            "country_ambiguous",
            f"'{quoted}' can mean {alternatives(reading.candidates, registered)}. "
            "Write the ISO code or the full name.",
        )
    guesses = context.suggestion(text) if context else suggest(text, frozenset())
    hint = (
        f" Did you mean {alternatives(guesses, registered)}?"
        if len(guesses) > 1
        else f" Did you mean {labelled(guesses[0], registered)}?"
        if guesses
        else " Write the ISO code (e.g. DEU) or the name in English, French, Spanish or Arabic "
        "(e.g. Germany or Allemagne)."
    )
    return _fail("country_unknown", f"'{quoted}' is not a country we recognise.{hint}")


def parse_year(value: Any, info: ValidationInfo) -> int:
    """A four-digit year from 2000 to the current year ('2014.0' from a spreadsheet is fine)."""
    text = _text(value)
    if len(text) == 4 and text.isdigit() and text.isascii():  # the usual case, first
        year = int(text)
    elif not text:
        raise _fail("year_missing", "The year is missing.")
    elif not _YEAR_TEXT.fullmatch(_cell_text(text)):
        raise _fail(
            "year_invalid", f"'{abbreviated(text)}' is not a year: write it as four digits, e.g. 2014."
        )
    else:
        year = int(Decimal(text))
    context = _context(info)
    today = context.today if context else dt.datetime.now(dt.UTC).date()
    if year < 1000:
        raise _fail("year_invalid", f"'{abbreviated(text)}' is not a year: write all four digits, e.g. 2014.")
    if year < FIRST_YEAR:
        raise _fail(
            "year_too_early", f"Year {year} is before {FIRST_YEAR}, the first year the Monitor records."
        )
    if year > today.year:
        raise _fail("year_future", f"Year {year} is in the future.")
    return year


def _digits_with_commas(digits: str) -> str:
    return f"{int(digits):,}"


def parse_count(value: Any) -> int | None:
    """A non-negative whole number, exactly; None for a cell that means "not reported" (never zero).

    Accepts thousands separators (1,234 / 1 234 / 1'234) and a zero decimal part (1234.0);
    refuses fractions, negatives, text and the ambiguous 1.234.
    """
    text = _text(value)
    if text.isdigit() and text.isascii():  # plain digits: the usual case, first
        if len(text) < _MAX_DIGITS:  # fewer digits than the bound has: below it
            return int(text)
        digits = text.lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS or int(digits) > MAX_COUNT:
            raise _fail("count_too_large", _too_large(text))
        return int(digits)
    _cell_text(text)
    if text.casefold() in NOT_REPORTED:
        return None
    if _POINT_GROUPED.fullmatch(text):
        digits = text.replace(".", "")
        raise _fail(
            "count_ambiguous",
            f"'{abbreviated(text)}' is ambiguous (a point may separate thousands or decimals): "
            f"write {int(digits)} or {_digits_with_commas(digits)}.",
        )
    match = _NUMBER.fullmatch(text)
    if match is None:
        if _NEGATIVE.match(text):
            raise _fail("count_negative", f"'{abbreviated(text)}' is negative: a count cannot be below zero.")
        if _SCIENTIFIC.fullmatch(text):
            raise _fail(
                "count_scientific",
                f"'{abbreviated(text)}' is in scientific notation, which can lose digits: write the figure "
                "with all its "
                "digits, e.g. 123456.",
            )
        if any(char.isdigit() for char in text):
            raise _fail(
                "count_unreadable",
                f"'{abbreviated(text)}' is not a whole number we can read: write digits only, "
                "e.g. 1234 or 1,234.",
            )
        raise _fail(
            "count_not_number",
            f"'{abbreviated(text)}' is not a number. Leave the cell empty if not reported.",
        )
    fraction = match.group("frac")
    if fraction is not None and fraction.strip("0"):
        raise _fail(
            "count_fraction",
            f"'{abbreviated(text)}' is not a whole number: counts are whole numbers of victims.",
        )
    digits = re.sub(r"[^0-9]", "", match.group("int")).lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS or int(digits) > MAX_COUNT:
        raise _fail("count_too_large", _too_large(text))
    return int(digits)


def _too_large(text: str) -> str:
    return (
        f"'{abbreviated(text)}' is larger than any count of victims can be: counts are at most "
        f"{MAX_COUNT:,}, more "
        "than the world's population. Check the figure."
    )


def parse_notes(value: Any) -> str:
    """Free text kept with the upload's report; a row exported from demonstration data is refused."""
    text = _text(value)
    problem = text_problem(text, NOTE)
    if problem is not None:
        raise _fail("notes_unreadable", problem)
    if text.casefold() == DEMO_LABEL.casefold():
        raise _fail(
            "notes_demo",
            "This row comes from demonstration data (an export of the demonstration database): "
            "its figures are invented and cannot be loaded as real figures.",
        )
    return text


CountryCode = Annotated[str, PlainValidator(parse_country)]
Year = Annotated[int, PlainValidator(parse_year)]
Count = Annotated[int | None, PlainValidator(parse_count)]
Notes = Annotated[str, PlainValidator(parse_notes)]


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
COUNTRY_CELL: TypeAdapter[str] = TypeAdapter(CountryCode)
YEAR_CELL: TypeAdapter[int] = TypeAdapter(Year)


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

    def long_row(self, row: RawRow) -> None:
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
            given = False
            for name, position, indicator in self.counts:
                count = getattr(valid, name)
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
            if valid.notes:
                self.notes.append({"row": row.number, "country": country, "year": year, "note": valid.notes})
        if country is not None and year is not None:
            self._once(row, (country, year), self.columns.positions[COUNTRY])

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
