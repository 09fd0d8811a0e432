"""File bytes to raw text cells, with row numbers as a spreadsheet shows them; the format is told by content.

`read_table` tells the format and reads CSV and JSON here; XLSX is read by `data_ingest.workbooks`,
and what every reader hands on (RawTable, UnreadableFile) is in `data_ingest.raw_tables`.

Readers never interpret values: a cell is handed on as the text the liaison typed (XLSX numbers as
their exact decimal text), and every judgement is left to `data_ingest.schemas`.

Every reader works in time and memory proportional to the file: it goes through the file once,
keeps at most MAX_COLUMNS cells a row (a wider row refuses the file as soon as it is met, naming
it), never fills in rows or cells a file leaves out (an XLSX row 1,000,000 is one row, not a
million), and keeps at most ERRORS_KEPT problems in full (the rest are counted).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from data_ingest.raw_tables import (
    FORMATS_HINT,
    MAX_COLUMNS,
    RawRow,
    RawTable,
    TableBuilder,
    UnreadableFile,
    trim,
)
from data_ingest.report import Issue, ProblemLog
from data_ingest.workbooks import read_xlsx

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LINE = re.compile(r"[^\r\n]+")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DELIMITERS = ("\t", ";", ",")
_DELIMITER_NAMES = {"\t": "tab", ";": "semicolon", ",": "comma"}
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_AFTER_ITEM = re.compile(r"[ \t\n\r]*([,\]])[ \t\n\r]*")


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
        return read_xlsx(content, sheet)
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
    builder = TableBuilder("csv")
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
        trimmed = trim(cells)
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
