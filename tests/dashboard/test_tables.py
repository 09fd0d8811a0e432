"""Grids of the public pages: every column rendered, page sizes AG Grid accepts, text that wraps."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.components import tables
from models.reports import exports

COLUMN_SETS = {
    "compliance": tables.compliance_columns(),
    "one participant": tables.compliance_columns(with_name=False),
    "one year": tables.compliance_columns(with_year=False),
    "reporting": tables.reporting_columns(),
    "cycles": tables.cycle_columns(),
    "revisions": tables.revision_columns(),
}


@pytest.mark.parametrize("page_size", [20, 50, 100])
def test_a_grid_renders_every_column_and_offers_the_page_sizes(page_size: int) -> None:
    grid = tables.table("t-grid", [], tables.compliance_columns(), page_size=page_size)
    options = grid.dashGridOptions
    assert options["suppressColumnVirtualisation"] is True
    assert options["paginationPageSize"] == page_size
    assert options["paginationPageSizeSelector"] == [20, 50, 100]  # AG Grid warns (#94/#95) otherwise


def test_a_page_size_ag_grid_would_warn_about_is_refused() -> None:
    with pytest.raises(ValueError, match="page_size"):
        tables.table("t-grid", [], [], page_size=25)


def test_a_grid_without_filters_has_none_in_any_column() -> None:
    grid = tables.table("t-grid", [], tables.cycle_columns(), filters=False)
    assert grid.defaultColDef["filter"] is False
    assert all(column["filter"] is False for column in grid.columnDefs)


@pytest.mark.parametrize("name", COLUMN_SETS)
def test_columns_fit_a_1400_pixel_window(name: str) -> None:
    """The grid is 1,114 pixels wide in any window from 1200 to 1399 pixels (a 1400-pixel window with a
    scroll bar): the columns' minimum widths must add up to less, or some slide off to the side."""
    widths = [column.get("minWidth", 90) for column in COLUMN_SETS[name]]
    assert sum(widths) <= 1114


@pytest.mark.parametrize("field", ["link", "status_label", "progress_label", "why"])
def test_label_columns_wrap_instead_of_cutting_the_text(field: str) -> None:
    column = next(c for c in tables.compliance_columns() if c["field"] == field)
    assert (column["wrapText"], column["autoHeight"]) == (True, True)


def test_the_cycle_rates_are_named_apart_from_the_on_time_count() -> None:
    headers = [column["headerName"] for column in tables.cycle_columns()]
    assert len(headers) == len(set(headers))
    assert headers[-2:] == ["Completeness", "Timeliness"]


def revision_history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "basis": ["annual", "annual"],
            "year": [2025, 2025],
            "old_value": pd.array([40, None], dtype="Int64"),
            "new_value": [43, 40],
            "recorded_at": [
                dt.datetime(2026, 11, 28, 15, 33, 11, 620983, tzinfo=dt.UTC),
                dt.datetime(2026, 6, 21, 9, 0, tzinfo=dt.UTC),
            ],
            "recorded_by": ["FRA liaison", "Secretariat"],
            "reason": ["Late correction", ""],
            "upload_id": [7, 3],
            "synthetic": [False, False],
        }
    )


def test_the_revision_grid_shows_minutes_in_utc_and_the_csv_keeps_every_digit() -> None:
    rows = tables.revision_rows(revision_history())
    assert [(row["recorded_at"], row["change"]) for row in rows] == [
        ("2026-11-28 15:33 UTC", "40 → 43"),
        ("2026-06-21 09:00 UTC", "40 (first recorded)"),
    ]
    info = exports.ExportInfo("t", 1, False, dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    csv = exports.csv_bytes(revision_history(), info).decode("utf-8-sig")
    assert "2026-11-28T15:33:11.620983+00:00" in csv


def test_staff_columns_are_as_wide_as_their_content_and_the_first_stays_in_place() -> None:
    from dashboard.components.tables import content_width, staff_columns

    rows = [{"upload_id": 7, "uploaded_by": "a.very.long.address@police.example.org", "reason": "x" * 300}]
    columns = staff_columns(rows, [("upload_id", "Upload"), ("uploaded_by", "Sent by"), ("reason", "Reason")])
    assert [c.get("pinned") for c in columns] == ["left", None, None]
    upload, sent_by, reason = columns
    assert upload["width"] == content_width("Upload", [7]) >= 80
    assert sent_by["width"] >= 8 * len(rows[0]["uploaded_by"])  # the whole address, not "a.very.lo…"
    assert reason["width"] == 600
    assert reason["wrapText"] is True  # too long for one line: it wraps instead of being cut
    assert "wrapText" not in sent_by
