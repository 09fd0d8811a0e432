"""File bytes to raw text cells, with row numbers as a spreadsheet shows them; the format is told by content.

Readers never interpret values: a cell is handed on as the text the liaison typed (XLSX numbers as
their exact decimal text), and every judgement is left to `data_ingest.schemas`.
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

from data_ingest.report import Issue

FORMATS_HINT = "Send the figures as CSV, XLSX or JSON (see the file format page, /file-format)."
# Excel's own limit: a row number beyond it cannot come from a real spreadsheet.
_EXCEL_MAX_ROWS = 1_048_576
# A workbook that unpacks to more than this is refused before it is opened (zip bombs).
_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Spreadsheet number cells are doubles: whole numbers are exact only below this.
_EXACT_IN_A_NUMBER_CELL = 2**53
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FIRST_LINE = re.compile(r"[^\r\n]*\S[^\r\n]*")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DELIMITERS = ("\t", ";", ",")
_DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma"}


class UnreadableFile(Exception):
    """The file cannot be read as a table; the message says why in plain words."""

    def __init__(self, message: str, file_format: str, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file_format = file_format
        self.row = row


@dataclass(frozen=True)
class RawRow:
    """A non-empty data row: its number as a spreadsheet shows it, and its cells as text."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A file read as text cells.

    `header_row` is the row number of the header (None for JSON, whose keys are the header).
    `problems` are reading problems tied to one row (a JSON item that is not an object, a key
    given twice); they are errors like any other.
    """

    file_format: str
    header: tuple[str, ...]
    rows: tuple[RawRow, ...]
    header_row: int | None = 1
    problems: tuple[Issue, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


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


def _is_empty(cells: Sequence[str]) -> bool:
    return not "".join(cells).strip()


def _trim(cells: Sequence[str]) -> tuple[str, ...]:
    """The cells without trailing empty ones (spreadsheets often carry empty cells at the right)."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return tuple(cells[:end])


def _table_from_rows(numbered: Iterable[tuple[int, list[str]]], file_format: str, **extra: Any) -> RawTable:
    """Header = first non-empty row; empty rows (anywhere) are skipped; a header alone is refused."""
    header: tuple[str, ...] | None = None
    header_row = 1
    rows: list[RawRow] = []
    for number, cells in numbered:
        if _is_empty(cells):
            continue
        if header is None:
            header, header_row = _trim(cells), number
        else:
            rows.append(RawRow(number, _trim(cells)))
    if header is None:
        raise UnreadableFile("The file is empty.", "empty")
    if not rows:
        raise UnreadableFile(
            "The file has a header but no rows of figures. Add one row per country and year.", file_format
        )
    return RawTable(file_format, header, tuple(rows), header_row=header_row, **extra)


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


def _read_csv(text: str, encoding: str) -> RawTable:
    first_line = _FIRST_LINE.search(text)
    delimiter = detect_delimiter(first_line.group() if first_line else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    numbered: list[tuple[int, list[str]]] = []
    try:
        numbered.extend(enumerate(reader, start=1))
    except csv.Error as exc:
        row = len(numbered) + 1
        problem = (
            "a cell is far too long"
            if "field larger" in str(exc)
            else 'a quotation mark (") is not closed, or stands in the middle of a cell'
        )
        raise UnreadableFile(
            f"Row {row} cannot be read: {problem}. Check that row and the ones after it.", "csv", row=row
        ) from exc
    return _table_from_rows(numbered, "csv", encoding=encoding, delimiter=_DELIMITER_NAMES[delimiter])


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers keys given more than once (json.loads would keep only the last)."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    obj = _JsonObject()
    seen: list[str] = []
    for key, value in pairs:
        if key in obj:
            seen.append(key)
        obj[key] = value
    obj.duplicates = tuple(seen)
    return obj


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal | str):
        return str(value)
    return json.dumps(value, default=str, ensure_ascii=False)


def _read_json(text: str, encoding: str) -> RawTable:
    try:
        data = json.loads(text, parse_float=Decimal, parse_constant=str, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(
            f"This is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.", "json"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise UnreadableFile("This is not valid JSON, or it is nested too deeply to read.", "json") from exc
    if not isinstance(data, list):
        raise UnreadableFile(
            'A JSON file must be an array of row objects: [{"country": "DEU", "year": 2014, ...}, ...].',
            "json",
        )
    if not data:
        raise UnreadableFile("The JSON array is empty: there are no rows of figures.", "json")
    header: dict[str, None] = {}
    for item in data:
        if isinstance(item, dict):
            header.update(dict.fromkeys(item))
    columns = tuple(header)
    rows: list[RawRow] = []
    problems: list[Issue] = []
    for position, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            shown = _json_text(item)
            problems.append(
                Issue(
                    position,
                    None,
                    shown[:200],
                    f"Item {position} is not a row object with column names, like "
                    '{"country": "DEU", "year": 2014, ...}.',
                )
            )
            continue
        problems.extend(
            Issue(position, key, None, f"The column '{key}' is given twice in this object.")
            for key in getattr(item, "duplicates", ())
        )
        cells = [_json_text(item.get(column)) for column in columns]
        if not _is_empty(cells):
            rows.append(RawRow(position, _trim(cells)))
    if not rows and not problems:
        raise UnreadableFile("The JSON array has no rows of figures.", "json")
    return RawTable(
        "json", columns, tuple(rows), header_row=None, problems=tuple(problems), encoding=encoding
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
            # The stored dimensions may be wrong (files written by other programs); read every cell.
            worksheet.reset_dimensions()
            table = _table_from_rows(_numbered_rows(worksheet.iter_rows(values_only=True)), "xlsx")
        finally:
            workbook.close()
    return RawTable(
        table.file_format, table.header, table.rows, header_row=table.header_row, sheet=worksheet.title
    )


def _numbered_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(rows, start=1):
        if number > _EXCEL_MAX_ROWS:
            raise UnreadableFile("This worksheet has more rows than Excel allows; it cannot be read.", "xlsx")
        yield number, [_cell_text(value) for value in values]
