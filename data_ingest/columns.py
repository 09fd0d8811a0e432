"""The columns of a liaison's file: their names and aliases, and recognising the layout from the header.

Long layout: one row per participant and year; wide layout: one row per participant and a column
per year. Unknown columns are errors that name them: nothing in a file is silently dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from data_ingest.raw_tables import RawTable, column_letter
from data_ingest.report import Issue
from models.reference import ANNUAL, CUMULATIVE
from models.text import abbreviated

Layout = Literal["long", "wide"]

FIRST_YEAR = 2000

COUNTRY, YEAR, VICTIMS, CUMULATIVE_TOTAL, NOTES = (
    "country",
    "year",
    "identified_victims",
    "cumulative_total",
    "notes",
)
COLUMNS = (COUNTRY, YEAR, VICTIMS, CUMULATIVE_TOTAL, NOTES)
COUNT_COLUMNS = (VICTIMS, CUMULATIVE_TOTAL)
#: File column -> indicator code.
INDICATOR_OF = {VICTIMS: ANNUAL, CUMULATIVE_TOTAL: CUMULATIVE}
COLUMN_OF = {indicator: column for column, indicator in INDICATOR_OF.items()}
ALIASES: dict[str, str] = {
    "participant": COUNTRY,
    "country_code": COUNTRY,
    "iso3": COUNTRY,
    "iso": COUNTRY,
    "reporting_year": YEAR,
    "period": YEAR,
    "victims_identified": VICTIMS,
    "identified": VICTIMS,
    "new_identified_victims": VICTIMS,
    "cumulative": CUMULATIVE_TOTAL,
    "cumulative_identified": CUMULATIVE_TOTAL,
    "total_identified": CUMULATIVE_TOTAL,
}

_SEPARATORS = re.compile(r"[\s_\-]+")
_YEAR_HEADING = re.compile(r"[0-9]{4}(?:\.0+)?")


def normalise_heading(text: str) -> str:
    """A heading compared without case or surrounding spaces; spaces, hyphens and underscores alike."""
    return _SEPARATORS.sub("_", text.strip().casefold()).strip("_")


def canonical_column(heading: str) -> str | None:
    """The column a heading names (after aliases), or None if it names none."""
    name = normalise_heading(heading)
    if name in COLUMNS:
        return name
    return ALIASES.get(name)


@dataclass
class Columns:
    """Where each column stands, as recognised from the header."""

    layout: Layout
    headings: list[str]
    positions: dict[str, int] = field(default_factory=dict)  # long: column name -> position
    years: dict[int, int] = field(default_factory=dict)  # wide: position -> year
    errors: list[Issue] = field(default_factory=list)

    def heading(self, position: int) -> str:
        text = self.headings[position].strip() if position < len(self.headings) else ""
        return text or column_letter(position)


def _unknown_heading_message(heading: str) -> str:
    known = list(COLUMNS) + list(ALIASES)
    close = difflib.get_close_matches(normalise_heading(heading), known, n=1, cutoff=0.7)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return (
        f"Unknown column '{abbreviated(heading)}'.{hint} The columns are: country, year, identified_victims, "
        "cumulative_total, notes (see the file format page, /file-format)."
    )


def recognise_columns(table: RawTable, today: dt.date) -> Columns:
    """Recognise the layout and every column from the header; header problems become errors on its row."""
    header_row = table.header_row
    headings = list(table.header)
    width = max(len(headings), table.width)
    headings += [""] * (width - len(headings))
    is_year = [bool(_YEAR_HEADING.fullmatch(h.strip())) for h in headings]
    columns = Columns("wide" if any(is_year) else "long", headings)

    def error(position: int, value: str | None, message: str) -> None:
        columns.errors.append(Issue(header_row, columns.heading(position), value, message))

    for position, heading in enumerate(headings):
        if not heading.strip():
            if columns.layout == "wide" and position == 0:
                continue  # the top-left cell of a wide table is often left empty
            if position in table.filled:
                error(position, None, f"Column {column_letter(position)} has figures but no heading.")
            continue
        if columns.layout == "wide":
            if position == 0:
                if canonical_column(heading) != COUNTRY:
                    error(
                        position,
                        heading,
                        "In a table with years as column headings, the first column must be the country "
                        "(heading 'country').",
                    )
                continue
            if not is_year[position]:
                error(
                    position,
                    heading,
                    f"'{abbreviated(heading.strip())}' is not a year: in a table with years as column "
                    "headings, every "
                    "column after the country must be a year, such as 2014.",
                )
                continue
            year = int(Decimal(heading.strip()))
            if year < FIRST_YEAR:
                error(
                    position,
                    heading,
                    f"Year {year} is before {FIRST_YEAR}, the first year the Monitor records.",
                )
            elif year > today.year:
                error(position, heading, f"Year {year} is in the future.")
            elif year in columns.years.values():
                first = next(p for p, y in columns.years.items() if y == year)
                error(position, heading, f"Year {year} is also the heading of column {column_letter(first)}.")
            else:
                columns.years[position] = year
            continue
        name = canonical_column(heading)
        if name is None:
            error(position, heading, _unknown_heading_message(heading))
        elif name in columns.positions:
            first = columns.positions[name]
            error(
                position,
                heading,
                f"Column '{abbreviated(heading.strip())}' repeats column '{columns.heading(first)}' "
                f"({column_letter(first)}): both give the {name}. Keep one.",
            )
        else:
            columns.positions[name] = position
    if columns.layout == "long":
        for required in (COUNTRY, YEAR):
            if required not in columns.positions:
                columns.errors.append(
                    Issue(header_row, required, None, f"The column '{required}' is missing.")
                )
        if not any(name in columns.positions for name in COUNT_COLUMNS):
            columns.errors.append(
                Issue(
                    header_row,
                    VICTIMS,
                    None,
                    "The file needs a column 'identified_victims' or 'cumulative_total' (or both).",
                )
            )
    return columns
