"""XLSX bytes to raw text cells: the workbook checked before it is opened, then its sheet read as it is.

Only the cells a worksheet's XML holds are read (an XLSX row 1,000,000 is one row, not a million);
numbers are handed on as their exact decimal text and judged by `data_ingest.schemas`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from data_ingest.raw_tables import (
    FORMATS_HINT,
    MAX_COLUMNS,
    RawTable,
    TableBuilder,
    UnreadableFile,
    too_wide_message,
)

# Excel's own limit: a row number beyond it cannot come from a real spreadsheet.
_EXCEL_MAX_ROWS = 1_048_576
# A workbook that unpacks to more than this is refused before it is opened (zip bombs).
_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Spreadsheet number cells are doubles: whole numbers are exact only below this.
_EXACT_IN_A_NUMBER_CELL = 2**53


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


def read_xlsx(content: bytes, sheet: str | None) -> RawTable:
    """Read a workbook's sheet (default: the first) into text cells; raises UnreadableFile if it cannot."""
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
            builder = TableBuilder("xlsx")
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
