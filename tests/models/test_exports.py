"""Downloads: labelled demonstration data, typed XLSX cells, and no spreadsheet formula ever executed."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from models.demo import DEMO_LABEL
from models.metrics.compliance import COLUMNS
from models.metrics.reporting import SUMMARY_COLUMNS, TABLE_COLUMNS
from models.metrics.series import GRID_COLUMNS, TREND_COLUMNS, YEAR_COLUMNS
from models.queries import REVISION_COLUMNS
from models.reports import exports

NOW = dt.datetime(2026, 11, 28, 12, 30, tzinfo=dt.UTC)


def info(demo: bool = True) -> exports.ExportInfo:
    return exports.ExportInfo("Compliance", 42, demo, NOW, "annual", (("years", "2012–2025"),))


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "participant": ["FRA", "DEU"],
            "year": [2020, 2021],
            "value": pd.array([1150, None], dtype="Int64"),
            "growth": pd.array([0.1843, None], dtype="Float64"),
            "reason": ['=HYPERLINK("http://evil")', "-2+3"],
            "deadline": [dt.date(2020, 7, 1), dt.date(2022, 7, 1)],
            "recorded_at": [NOW, NOW],
            "on_path": [True, False],
        }
    )


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # byte-order mark for spreadsheet programs
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("France", "France"),
        ("a=b", "a=b"),
        (-1, -1),  # numbers stay numbers
        (0.5, 0.5),
        (None, None),
    ],
)
def test_text_that_a_spreadsheet_would_execute_is_made_inert(text: object, safe: object) -> None:
    assert exports.neutralise(text) == safe


def test_csv_of_demonstration_data_has_a_data_note_on_every_row() -> None:
    rows = read_csv(exports.csv_bytes(frame(), info(demo=True)))
    assert rows[0] == [*frame().columns, "data_note"]
    assert [row[-1] for row in rows[1:]] == [DEMO_LABEL, DEMO_LABEL]


def test_csv_of_real_data_has_no_note_and_round_trips() -> None:
    data = exports.csv_bytes(frame(), info(demo=False))
    rows = read_csv(data)
    assert rows[0] == list(frame().columns)
    assert rows[1][:4] == ["FRA", "2020", "1150", "0.1843"]
    assert rows[2][2:4] == ["", ""]  # nulls are empty cells
    assert rows[1][4:6] == ['\'=HYPERLINK("http://evil")', "2020-07-01"]
    assert rows[2][4] == "'-2+3"
    assert rows[1][6] == "2026-11-28T12:30:00+00:00"
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["value"].astype("Int64")) == [1150, pd.NA]


def test_xlsx_has_typed_cells_a_frozen_header_and_an_about_sheet() -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(frame(), info(demo=True))))
    assert book.sheetnames == ["Data", "About"]
    data = book["Data"]
    assert data.freeze_panes == "A2"
    assert [c.value for c in data[1]] == [*frame().columns, "data_note"]
    assert data["A1"].font.bold
    first = [c.value for c in data[2]]
    assert first[:4] == ["FRA", 2020, 1150, 0.1843]
    assert [type(v) for v in first[1:4]] == [int, int, float]
    assert data["D2"].number_format == "0.0%"
    assert first[4] == '\'=HYPERLINK("http://evil")'
    assert data["E2"].data_type == "s"
    assert first[5] == dt.datetime(2020, 7, 1, tzinfo=dt.UTC).replace(tzinfo=None)  # a real date cell
    assert first[6] == NOW.replace(tzinfo=None)  # UTC, without a zone (XLSX has none)
    assert first[7] is True
    assert data["C3"].value is None  # a null is an empty cell, not "nan" or "<NA>"
    assert first[-1] == DEMO_LABEL
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["VID Monitor export"] == "Compliance"
    assert about["Generated (UTC)"] == "2026-11-28 12:30:00 UTC"
    assert about["Data version"] == 42
    assert about["Demonstration data"] == f"Yes: {DEMO_LABEL}"
    assert about["Basis"].startswith("annual: victims identified during the year")
    assert about["years"] == "2012–2025"
    assert about["value"] == exports.DEFINITIONS["value"]


def test_xlsx_of_real_data_says_so() -> None:
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx_bytes(frame(), info(demo=False))))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["Demonstration data"] == "No: reported data"
    assert "data_note" not in [c.value for c in book["Data"][1]]


@pytest.mark.parametrize(
    ("stem", "demo", "name"),
    [
        ("compliance-annual-2012-2025", True, "vid-compliance-annual-2012-2025-demo.csv"),
        ("Report 2026", False, "vid-report-2026.csv"),
        ("../../etc/passwd", False, "vid-etc-passwd.csv"),
    ],
)
def test_file_names_are_safe_and_say_demo(stem: str, demo: bool, name: str) -> None:
    assert exports.file_name(stem, info(demo), "csv") == name


@pytest.mark.parametrize(
    "columns",
    [COLUMNS, GRID_COLUMNS, YEAR_COLUMNS, TREND_COLUMNS, TABLE_COLUMNS, SUMMARY_COLUMNS, REVISION_COLUMNS],
)
def test_every_exported_column_is_defined(columns: list[str]) -> None:
    undefined = [c for c in [*columns, "name", "basis"] if c not in exports.DEFINITIONS]
    assert undefined == []


def test_rows_that_say_whether_they_are_demonstration_are_labelled_one_by_one() -> None:
    uploads = pd.DataFrame({"upload_id": [1, 2], "outcome": ["loaded", "rejected"]})
    uploads["synthetic"] = [True, False]
    text = exports.csv_bytes(uploads, info(demo=True)).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row[exports.DEMO_NOTE_COLUMN] for row in rows] == [DEMO_LABEL, ""]  # a real attempt stays real
    assert exports.DEMO_NOTE_COLUMN not in exports.labelled(uploads, info(demo=False)).columns
