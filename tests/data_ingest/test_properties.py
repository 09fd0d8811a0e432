"""Properties: any valid table survives CSV and XLSX exactly; no byte string makes the ingest raise."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_ingest.cells import MAX_COUNT, ValidationContext
from data_ingest.columns import FIRST_YEAR
from data_ingest.load import read_file, validate_file
from data_ingest.schemas import ValidatedFile
from models.recording import CellValue
from models.reference import ANNUAL, CUMULATIVE, read_participant_register

TODAY = dt.date(2026, 11, 28)
REGISTER = {record.code: record.name for record in read_participant_register()}
CONTEXT = ValidationContext(REGISTER, TODAY)
CODES = sorted(REGISTER)
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Row = tuple[str, int, int | None, int | None]


def _rows(largest: int) -> st.SearchStrategy[list[Row]]:
    counts = st.one_of(st.none(), st.integers(0, 1000), st.integers(0, largest))
    return st.lists(
        st.tuples(st.sampled_from(CODES), st.integers(FIRST_YEAR, TODAY.year), counts, counts).filter(
            lambda row: row[2] is not None or row[3] is not None
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda row: (row[0], row[1]),
    )


rows = _rows(MAX_COUNT)
# A spreadsheet number cell is a double: whole numbers are exact up to 2**53 only (text cells: any).
rows_for_number_cells = _rows(min(MAX_COUNT, 2**53 - 1))


def _expected(table: list[Row]) -> list[CellValue]:
    values = []
    for code, year, annual, cumulative in table:
        if annual is not None:
            values.append(CellValue(code, ANNUAL, year, annual))
        if cumulative is not None:
            values.append(CellValue(code, CUMULATIVE, year, cumulative))
    return values


def _country(code: str, form: int) -> str:
    """The participant written as its code, its register name, or lower-case code."""
    return (code, REGISTER[code], code.lower())[form % 3]


def _count_text(value: int | None, grouped: bool) -> str:
    if value is None:
        return ""
    return f"{value:,}" if grouped else str(value)


def _values(content: bytes, name: str) -> list[CellValue]:
    validated = validate_file(read_file(content, name), CONTEXT)
    assert validated.errors == ()
    return [cell.value for cell in validated.cells]


@PROPERTY_SETTINGS
@given(
    table=rows,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
    grouped=st.booleans(),
    form=st.integers(0, 2),
)
def test_a_valid_table_round_trips_through_csv(
    table: list[Row], delimiter: str, encoding: str, grouped: bool, form: int
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Country", "Year", "Identified victims", "cumulative_total"])
    for code, year, annual, cumulative in table:
        writer.writerow(
            [_country(code, form), year, _count_text(annual, grouped), _count_text(cumulative, grouped)]
        )
    assert _values(buffer.getvalue().encode(encoding), "figures.csv") == _expected(table)


@PROPERTY_SETTINGS
@given(
    table=rows_for_number_cells, as_text=st.booleans(), year_as_float=st.booleans(), form=st.integers(0, 2)
)
def test_a_valid_table_round_trips_through_xlsx(
    table: list[Row], as_text: bool, year_as_float: bool, form: int
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["country", "year", "identified_victims", "cumulative_total"])
    for code, year, annual, cumulative in table:
        cells = [annual, cumulative]
        if as_text:
            cells = [_count_text(value, grouped=True) or None for value in cells]
        sheet.append([_country(code, form), float(year) if year_as_float else year, *cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert _values(buffer.getvalue(), "figures.xlsx") == _expected(table)


def _valid_cells_only(validated: ValidatedFile) -> None:
    """Whatever the input, a result without errors holds only values the database may take."""
    assert isinstance(validated, ValidatedFile)
    if not validated.errors:
        for cell in validated.cells:
            value = cell.value
            assert value.participant_code in REGISTER
            assert value.indicator_code in (ANNUAL, CUMULATIVE)
            assert FIRST_YEAR <= value.year <= TODAY.year
            assert 0 <= value.value <= MAX_COUNT


prefixes = st.sampled_from(
    [
        b"",
        b"PK\x03\x04",
        b"%PDF-1.4",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"[",
        b'[{"country": "DEU", "year": ',
        b"country,year,identified_victims\n",
        b"country;2014;2015\nDEU;",
    ]
)


@PROPERTY_SETTINGS
@given(
    prefix=prefixes, body=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.xlsx", "x.json", "x"])
)
def test_garbage_bytes_are_rejected_never_raised(prefix: bytes, body: bytes, name: str) -> None:
    _valid_cells_only(validate_file(read_file(prefix + body, name), CONTEXT))


@PROPERTY_SETTINGS
@given(text=st.text(max_size=300))
def test_garbage_text_is_rejected_never_raised(text: str) -> None:
    _valid_cells_only(validate_file(read_file(text.encode("utf-8"), "x.csv"), CONTEXT))


@PROPERTY_SETTINGS
@given(
    members=st.dictionaries(
        st.sampled_from(
            [
                "[Content_Types].xml",
                "xl/workbook.xml",
                "xl/worksheets/sheet1.xml",
                "xl/_rels/workbook.xml.rels",
            ]
        ),
        st.binary(max_size=200),
        min_size=1,
    )
)
def test_garbage_workbooks_are_rejected_never_raised(members: dict[str, bytes]) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    _valid_cells_only(validate_file(read_file(buffer.getvalue(), "x.xlsx"), CONTEXT))
