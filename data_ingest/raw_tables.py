"""What every reader hands on: a file's rows as raw text cells, or why the file cannot be read.

The readers (`data_ingest.readers`, `data_ingest.workbooks`) collect rows with TableBuilder, which
keeps at most MAX_COLUMNS cells a row and refuses a wider row as soon as it is met, naming it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from data_ingest.report import Problems

FORMATS_HINT = "Send the figures as CSV, XLSX or JSON (see the file format page, /file-format)."
#: A table of figures needs a country, a year and two counts, or a country and a column per year
#: since 2000: far fewer columns than this. A wider row refuses the file.
MAX_COLUMNS = 100
NO_PROBLEMS = Problems()


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why in plain words."""

    def __init__(self, message: str, file_format: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file_format = file_format
        self.row = row


@dataclass(frozen=True, slots=True)
class RawRow:
    """A non-empty data row: its number as a spreadsheet shows it, and its cells as text."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A file read as text cells.

    `header_row` is the row number of the header (None for JSON, whose keys are the header).
    `problems` are reading problems tied to one row (a JSON item that is not an object, a key
    given twice); they are errors like any other. `width` is the widest row (header included,
    without trailing empty cells), `filled` the positions where some data row has a value, and
    `examined` how many rows (JSON: items) the reader looked at: a measure of its work.
    """

    file_format: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
    header_row: int | None = 1
    problems: Problems = NO_PROBLEMS
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    width: int = 0
    filled: frozenset[int] = frozenset()
    examined: int = 0


def trim(cells: Sequence[str]) -> tuple[str, ...]:
    """The cells without trailing empty ones (spreadsheets often carry empty cells at the right)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return tuple(cells[:end])


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column position: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def too_wide_message(row_name: str, columns: int) -> str:
    return (
        f"{row_name} reaches column {column_letter(columns - 1)} ({columns:,} columns): a table of figures "
        f"has at most {MAX_COLUMNS} (country, year and the counts, or a country and one column per year). "
        "Delete what stands to the right of the figures and send the file again."
    )


class TableBuilder:
    """Collects the rows of a reader: header = first non-empty row; empty rows (anywhere) are skipped."""

    def __init__(self, file_format: str) -> None:
        self.file_format = file_format
        self.header: tuple[str, ...] | None = None
        self.header_row = 1
        self.rows: list[RawRow] = []
        self.width = 0
        self.filled: set[int] = set()
        self.examined = 0

    def add(self, number: int, cells: Sequence[str], row_name: str | None = None) -> None:
        self.examined += 1
        trimmed = trim(cells)
        if not trimmed:
            return
        if len(trimmed) > MAX_COLUMNS:
            name = row_name or f"Row {number}"
            raise UnreadableFile(too_wide_message(name, len(trimmed)), self.file_format, row=number)
        self.width = max(self.width, len(trimmed))
        if self.header is None:
            self.header, self.header_row = trimmed, number
            return
        filled = self.filled
        for position, cell in enumerate(trimmed):
            if position not in filled and cell.strip():
                filled.add(position)
        self.rows.append(RawRow(number, trimmed))

    def table(self, **extra: Any) -> RawTable:
        if self.header is None:
            raise UnreadableFile("The file is empty.", "empty")
        if not self.rows:
            raise UnreadableFile(
                "The file has a header but no rows of figures. Add one row per country and year.",
                self.file_format,
            )
        return RawTable(
            self.file_format,
            self.header,
            tuple(self.rows),
            header_row=self.header_row,
            width=self.width,
            filled=frozenset(self.filled),
            examined=self.examined,
            **extra,
        )
