"""File bytes to raw text cells, with row numbers as a spreadsheet shows them; the format is told by content.

Readers never interpret values: a cell is handed on as the text the liaison typed (XLSX numbers as
their exact decimal text), and every judgement is left to `data_ingest.schemas`.

Every reader works in time and memory proportional to the file: it goes through the file once,
keeps at most MAX_COLUMNS cells a row (a wider row refuses the file as soon as it is met, naming
it), never fills in rows or cells a file leaves out (an XLSX row 1,000,000 is one row, not a
million), and keeps at most ERRORS_KEPT problems in full (the rest are counted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from data_ingest.report import Issue, ProblemLog, Problems

FORMATS_HINT = "Send the figures as CSV, XLSX or JSON (see the file format page, /file-format)."
#: A table of figures needs a country, a year and two counts, or a country and a column per year
#: since 2000: far fewer columns than this. A wider row refuses the file.
MAX_COLUMNS = 100
# Excel's own limit: a row number beyond it cannot come from a real spreadsheet.
_EXCEL_MAX_ROWS = 1_048_576
# A workbook that unpacks to more than this is refused before it is opened (zip bombs).
_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Spreadsheet number cells are doubles: whole numbers are exact only below this.
_EXACT_IN_A_NUMBER_CELL = 2**53
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINE = re.compile(r"[^\r\n]+")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DELIMITERS = ("\t", ";", ",")
_DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma"}
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_AFTER_ITEM = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")
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


def read_table(content: bytes, filename: str = "", sheet: str | None = None) -> RawTable:
    """Read CSV, XLSX or JSON bytes into text cells; raises UnreadableFile for anything else.

    `sheet` names the XLSX worksheet to read (default: the first); other formats ignore it.
    """
    kind = sniff_format(content)
    if kind == "empty":
        raise UnreadableFile("The file is empty.", "empty")
    if kind == "pdf":
        raise UnreadableFile(f"This is a PDF document, not a table of figures. {FORMATS_HINT}", "pdf")
    if kind == "ole2":
        raise UnreadableFile(
            "This is an old-style Excel file (.xls) or a password-protected workbook. "
            "Save it in Excel as 'Excel Workbook (.xlsx)' without a password, or as CSV.",
            "xls",
        )
    if kind == "zip":
        return _read_xlsx(content, sheet)
    text, encoding = _decode(content)
    if not text.strip():
        raise UnreadableFile("The file is empty.", "empty")
    if _CONTROL_CHARACTERS.search(text):
        raise UnreadableFile(
            f"This file holds binary data: it is not a CSV, XLSX or JSON file. {FORMATS_HINT}", "binary"
        )
    if text.lstrip().startswith(("[", "{")) or filename.lower().endswith(".json"):
        return _read_json(text, encoding)
    return _read_csv(text, encoding)


def sniff_format(content: bytes) -> str:
    """What the bytes are, by their content: empty, pdf, ole2 (old Excel), zip, or text."""
    if not content.strip():
        return "empty"
    if content.startswith(b"%PDF"):
        return "pdf"
    if content.startswith(_OLE2_MAGIC):
        return "ole2"
    if content.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    return "text"


def _decode(content: bytes) -> tuple[str, str]:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if content.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "The characters in this file cannot be read. Save it as 'CSV UTF-8' (or as XLSX) and send it again.",
        "binary",
    )


def _trim(cells: Sequence[str]) -> tuple[str, ...]:
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


class _TableBuilder:
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
        trimmed = _trim(cells)
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


def detect_delimiter(line: str) -> str:
    """Comma, semicolon or tab: whichever separates most headings in the first line (comma if none)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])  # ties go to the earlier: tab, semicolon, comma
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    """The first line holding more than spaces (found in one pass, however long the lines)."""
    for match in _LINE.finditer(text):
        if not match.group().isspace():
            return match.group()
    return ""


def _read_csv(text: str, encoding: str) -> RawTable:
    delimiter = detect_delimiter(_first_line(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    builder = _TableBuilder("csv")
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            builder.add(number, cells)
    except csv.Error as exc:
        row = number + 1
        problem = (
            "a cell is far too long"
            if "field larger" in str(exc)
            else 'a quotation mark (") is not closed, or stands in the middle of a cell'
        )
        raise UnreadableFile(
            f"Row {row} cannot be read: {problem}. Check that row and the ones after it.", "csv", row=row
        ) from exc
    return builder.table(encoding=encoding, delimiter=_DELIMITER_NAMES[delimiter])


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers keys given more than once (json.loads would keep only the last)."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject(pairs)
    if len(obj) < len(pairs):  # rare: only then is the attribute (and its memory) added
        seen: set[str] = set()
        repeated = []
        for key, _value in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        obj.duplicates = tuple(repeated)
    return obj


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | str):
        return str(value)
    return json.dumps(value, default=str, ensure_ascii=False)


def _json_position(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - text.rfind("\n", 0, position)


def _not_valid(text: str, position: int, message: str) -> UnreadableFile:
    line, column = _json_position(text, position)
    return UnreadableFile(f"This is not valid JSON: {message} at line {line}, column {column}.", "json")


def _json_items(text: str) -> Iterator[Any]:
    """The items of the top-level JSON array, one at a time (never the whole document at once)."""
    decoder = json.JSONDecoder(parse_float=Decimal, parse_constant=str, object_pairs_hook=_json_object)
    position = _space_after(text, 0)
    if not text.startswith("[", position):
        try:
            decoder.decode(text)
        except json.JSONDecodeError as exc:
            raise _not_valid(text, exc.pos, exc.msg) from exc
        except (ValueError, RecursionError) as exc:
            raise UnreadableFile(
                "This is not valid JSON, or it is nested too deeply to read.", "json"
            ) from exc
        raise UnreadableFile(
            'A JSON file must be an array of row objects: [{"country": "DEU", "year": 2014, ...}, ...].',
            "json",
        )
    position = _space_after(text, position + 1)
    if text.startswith("]", position):
        position += 1
    else:
        while True:
            try:
                item, position = decoder.raw_decode(text, position)
            except json.JSONDecodeError as exc:
                raise _not_valid(text, exc.pos, exc.msg) from exc
            except (ValueError, RecursionError) as exc:
                raise UnreadableFile(
                    "This is not valid JSON, or it is nested too deeply to read.", "json"
                ) from exc
            yield item
            separator = _JSON_AFTER_ITEM.match(text, position)
            if separator is None:
                raise _not_valid(text, position, "Expecting ',' delimiter")
            position = separator.end()
            if separator.group(1) == "]":
                break
    end = _space_after(text, position)
    if end < len(text):
        raise _not_valid(text, end, "Extra data")


def _space_after(text: str, position: int) -> int:
    """The position of the first character at or after `position` that is not JSON white space."""
    match = _JSON_SPACE.match(text, position)
    return match.end() if match else position


def _read_json(text: str, encoding: str) -> RawTable:
    columns: dict[str, int] = {}
    rows: list[RawRow] = []
    filled: set[int] = set()
    problems = ProblemLog()
    position = 0
    for position, item in enumerate(_json_items(text), start=1):
        if not isinstance(item, dict):
            shown = _json_text(item)
            problems.add(
                Issue(
                    position,
                    None,
                    shown[:200],
                    f"Item {position} is not a row object with column names, like "
                    '{"country": "DEU", "year": 2014, ...}.',
                )
            )
            continue
        for key in getattr(item, "duplicates", ()):
            problems.add(Issue(position, key, None, f"The column '{key}' is given twice in this object."))
        cells: list[str] = []
        for key, value in item.items():
            index = columns.get(key)
            if index is None:
                index = len(columns)
                if index >= MAX_COLUMNS:
                    raise UnreadableFile(
                        f"Item {position} brings the number of different column names to {index + 1}: "
                        f"a table of figures has at most {MAX_COLUMNS} (country, year and the counts, or a "
                        "country and "
                        "one column per year). Use the same column names in every object.",
                        "json",
                        row=position,
                    )
                columns[key] = index
            if index >= len(cells):
                cells.extend([""] * (index + 1 - len(cells)))
            cells[index] = _json_text(value)
        trimmed = _trim(cells)
        if trimmed and "".join(trimmed).strip():
            for index, cell in enumerate(trimmed):
                if index not in filled and cell.strip():
                    filled.add(index)
            rows.append(RawRow(position, trimmed))
    if position == 0:
        raise UnreadableFile("The JSON array is empty: there are no rows of figures.", "json")
    if not rows and not problems.total:
        raise UnreadableFile("The JSON array has no rows of figures.", "json")
    return RawTable(
        "json",
        tuple(columns),
        tuple(rows),
        header_row=None,
        problems=problems.freeze(),
        encoding=encoding,
        width=len(columns),
        filled=frozenset(filled),
        examined=position,
    )


def _cell_text(value: Any) -> str:
    """An XLSX cell as text: whole numbers without '.0', other numbers as stored.

    A number cell holds a double: beyond 2**53 its digits are not exact, so such a value is
    handed on in scientific notation, which validation refuses (text cells keep every digit).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float) and abs(value) >= _EXACT_IN_A_NUMBER_CELL:
        return f"{float(value):.16e}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(content: bytes, sheet: str | None) -> RawTable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        unpacked = sum(info.file_size for info in archive.infolist())
        content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise UnreadableFile(
            f"This file is a damaged ZIP archive; it cannot be read as an Excel workbook. {FORMATS_HINT}",
            "zip",
        ) from exc
    if "mimetype" in names and not content_types:
        raise UnreadableFile(
            "This is an OpenDocument file (LibreOffice). Save it as 'Excel 2007-365 (.xlsx)' or as CSV.",
            "ods",
        )
    if b"macroEnabled" in content_types or any(name.lower().endswith("vbaproject.bin") for name in names):
        raise UnreadableFile(
            "This workbook contains macros (.xlsm), which are not accepted for safety. "
            "Save it in Excel as 'Excel Workbook (.xlsx)' and send that file.",
            "xlsm",
        )
    if "xl/workbook.xml" not in names:
        raise UnreadableFile(
            f"This is a ZIP archive, but not an Excel workbook (.xlsx). {FORMATS_HINT}",
            "zip",
        )
    if unpacked > _MAX_UNPACKED_BYTES:
        raise UnreadableFile("This workbook is far too large once unpacked to be a table of figures.", "xlsx")
    try:
        return _read_workbook(content, sheet)
    except UnreadableFile:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged workbooks
        raise UnreadableFile(
            "This workbook cannot be read: it may be damaged or password-protected. "
            "Open it in Excel, save it as 'Excel Workbook (.xlsx)' and send it again.",
            "xlsx",
        ) from exc


def _read_workbook(content: bytes, sheet: str | None) -> RawTable:
    import openpyxl  # imported here: the command line starts faster for CSV and JSON files

    with warnings.catch_warnings():
        # openpyxl warns about features it ignores (data validation, default styles); nothing to act on.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            worksheets = list(workbook.worksheets)
            if not worksheets:
                raise UnreadableFile("This workbook has no worksheet.", "xlsx")
            if sheet is None:
                worksheet = worksheets[0]
            else:
                matches = [ws for ws in worksheets if ws.title.strip().casefold() == sheet.strip().casefold()]
                if not matches:
                    available = ", ".join(f"'{ws.title}'" for ws in worksheets)
                    raise UnreadableFile(
                        f"This workbook has no sheet named '{sheet}'. Its sheets are: {available}.", "xlsx"
                    )
                worksheet = matches[0]
            builder = _TableBuilder("xlsx")
            for number, cells in _numbered_rows(_sparse_rows(workbook, worksheet)):
                builder.add(number, cells)
            table = builder.table(sheet=worksheet.title)
        finally:
            workbook.close()
    return table


def _sparse_rows(workbook: Any, worksheet: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The rows a worksheet's XML holds, each with only the cells it holds, as openpyxl parses them.

    `iter_rows` would fill in every row and cell the file leaves out (up to its last row and its
    rightmost cell), which a small hostile file turns into millions; this reads what is there.
    It uses the parser of openpyxl's read-only mode (openpyxl is pinned; the reader tests cover it).
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        yield from parser.parse()


def _numbered_rows(rows: Iterable[tuple[int, list[dict[str, Any]]]]) -> Iterator[tuple[int, list[str]]]:
    previous = 0
    for number, cells in rows:
        if number > _EXCEL_MAX_ROWS:
            raise UnreadableFile("This worksheet has more rows than Excel allows; it cannot be read.", "xlsx")
        if number <= previous:
            raise UnreadableFile(
                f"This workbook is damaged: its row {number} comes after row {previous}. "
                "Open it in Excel, save it as 'Excel Workbook (.xlsx)' and send it again.",
                "xlsx",
                row=number,
            )
        previous = number
        values = [(int(cell["column"]), cell["value"]) for cell in cells if cell["value"] is not None]
        if not values:
            continue
        reach = max(column for column, _value in values)
        if reach > MAX_COLUMNS:
            raise UnreadableFile(too_wide_message(f"Row {number}", reach), "xlsx", row=number)
        texts = [""] * reach
        for column, value in values:
            if column < 1:
                raise UnreadableFile("This workbook is damaged: a cell has no column.", "xlsx", row=number)
            texts[column - 1] = _cell_text(value)
        yield number, texts
