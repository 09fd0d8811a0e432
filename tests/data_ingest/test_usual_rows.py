"""The usual long row is read without the row model: same values and same problems as the row model gives."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from data_ingest import schemas
from data_ingest.cells import MAX_COUNT, ValidationContext
from data_ingest.raw_tables import RawRow, RawTable, trim
from data_ingest.schemas import ValidatedFile, validate_table
from models.demo import DEMO_LABEL
from models.reference import read_participant_register

TODAY = dt.date(2026, 11, 28)
REGISTER = {record.code: record.name for record in read_participant_register()}
CODES = ["DEU", "FRA", "USA", "XKX"]

HEADERS = [
    ("country", "year", "identified_victims", "cumulative_total", "notes"),
    ("country", "year", "identified_victims", "cumulative_total"),
    ("Year", "Country", "cumulative_total"),
    ("iso3", "period", "identified", "notes"),
    ("country", "identified_victims"),  # no year: the header refuses the file, rows are still checked
]

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _number_texts(number: int) -> st.SearchStrategy[str]:
    plain = str(number)
    return st.sampled_from(
        [
            plain,
            f" {plain}",
            f"{plain}\t",
            f"00{plain}",
            f"{plain}.0",
            f"{plain}.5",
            f"+{plain}",
            f"-{plain}",
            f"−{plain}",
            f"{plain}e3",
            f"{number:,}",
            f"{number:,}".replace(",", " "),
            f"{number:,}".replace(",", "."),
            f"{number:,}".replace(",", "'"),
            plain.translate(_ARABIC_INDIC),
            plain.translate(_FULL_WIDTH),
            f"{plain}\x00",
            f"{plain}\x1f",
            f"\ufeff{plain}",
        ]
    )


# Half the cells in their usual form (plain digits, a registered code), so that whole rows often are.
_BOUND = [MAX_COUNT - 1, MAX_COUNT, MAX_COUNT + 1, 10 * MAX_COUNT, 99_999_999_999, 10**30]
counts = st.one_of(
    st.one_of(st.integers(0, 10**6), st.sampled_from(_BOUND), st.just(0)).map(str),
    st.just(""),
    st.integers(0, 10**6).flatmap(_number_texts),
    st.sampled_from(_BOUND).flatmap(_number_texts),
    st.sampled_from([" ", "n/a", "NA", "-", "–", "..", "none", "²", "1²", "00000000000000", "0000000001"]),
)
years = st.one_of(
    st.integers(1990, 2030).map(str),
    st.integers(1990, 2030).flatmap(_number_texts),
    st.sampled_from(["", "14", "0999", "20140", "2014.00", "year", "2 014", "²⁰¹⁴", "1999", "2000", "2027"]),
)
countries = st.one_of(
    st.sampled_from(CODES),
    st.sampled_from(CODES).map(str.lower),
    st.sampled_from(CODES).map(lambda code: f" {code}"),
    st.sampled_from(CODES).map(lambda code: f"{code}\x00"),
    st.sampled_from(["Germany", "ZZZ", "", "DEU (Germany)", "DEU\x1f", "ß", "Xkx"]),
)
notes = st.sampled_from(["", " ", "checked", DEMO_LABEL, "line\x00", "{message}"])
_usual_count = (st.sampled_from(_BOUND) | st.integers(0, 10**6)).map(str) | st.just("")
# The years either side of the bounds (2000, and 2026 as TODAY's year), as often as all the others.
_usual_year = st.sampled_from([1999, 2000, 2001, 2025, 2026, 2027]) | st.integers(1000, 9999)
usual_rows = st.tuples(st.sampled_from(CODES), _usual_year.map(str), _usual_count, _usual_count, st.just(""))
odd_rows = st.tuples(countries, years, counts, counts, notes)


def _one_odd(usual: tuple[str, ...], odd: tuple[str, ...], position: int) -> tuple[str, ...]:
    return tuple(odd[index] if index == position else cell for index, cell in enumerate(usual))


# Rows in the usual form, rows with one odd cell, and rows of odd cells.
rows = st.lists(
    usual_rows | st.builds(_one_odd, usual_rows, odd_rows, st.integers(0, 4)) | odd_rows,
    min_size=1,
    max_size=8,
)


def _table(header: tuple[str, ...], cells: list[tuple[str, ...]]) -> RawTable:
    raw = tuple(RawRow(number, trim(row[: len(header)])) for number, row in enumerate(cells, start=2))
    return RawTable("csv", header, raw, width=len(header), filled=frozenset(range(len(header))))


def _by_row_model(table: RawTable, context: ValidationContext) -> ValidatedFile:
    with mock.patch.object(schemas._RowChecker, "_usual_long", return_value=None):
        return validate_table(table, context)


@settings(max_examples=300)
@given(
    header=st.sampled_from(HEADERS),
    cells=rows,
    allowed=st.sampled_from([None, None, None, "DEU", "XKX", "GBR"]),
)
def test_usual_rows_give_what_the_row_model_gives(
    header: tuple[str, ...], cells: list[tuple[str, ...]], allowed: str | None
) -> None:
    register = {**REGISTER, "XKX": "Kosovo"}
    context = ValidationContext(register, TODAY, allowed)
    # Column order as the header gives it: the generated cells follow the canonical order.
    order = {"country": 0, "iso3": 0, "year": 1, "Year": 1, "period": 1, "identified_victims": 2}
    order |= {"identified": 2, "cumulative_total": 3, "notes": 4, "Country": 0}
    arranged = [tuple(row[order[heading]] for heading in header) for row in cells]
    table = _table(header, arranged)
    assert validate_table(table, context) == _by_row_model(table, context)


def test_usual_rows_skip_the_row_model() -> None:
    context = ValidationContext(REGISTER, TODAY)
    header = ("country", "year", "identified_victims", "cumulative_total", "notes")
    cells = [("DEU", "2014", "12", "340", ""), ("FRA", "2015", "", "9999999999"), ("USA", "2016", "0")]
    table = _table(header, cells)

    class Refuse:
        def validate_python(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("the row model was asked about a usual row")

    with mock.patch.object(schemas, "LONG_ROW", Refuse()):
        validated = validate_table(table, context)
    assert [(cell.row, cell.column, cell.raw, cell.value.value) for cell in validated.cells] == [
        (2, "identified_victims", "12", 12),
        (2, "cumulative_total", "340", 340),
        (3, "cumulative_total", "9999999999", 9_999_999_999),
        (4, "identified_victims", "0", 0),
    ]
    assert validated == _by_row_model(table, context)
