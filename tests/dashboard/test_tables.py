"""Grids of the public pages: every column rendered, page sizes AG Grid accepts, text that wraps."""

from __future__ import annotations

import pytest

from dashboard import _tables

COLUMN_SETS = {
    "compliance": _tables.compliance_columns(),
    "one participant": _tables.compliance_columns(with_name=False),
    "one year": _tables.compliance_columns(with_year=False),
    "reporting": _tables.reporting_columns(),
    "cycles": _tables.cycle_columns(),
    "revisions": _tables.revision_columns(),
}


@pytest.mark.parametrize("page_size", [20, 50, 100])
def test_a_grid_renders_every_column_and_offers_the_page_sizes(page_size: int) -> None:
    grid = _tables.table("t-grid", [], _tables.compliance_columns(), page_size=page_size)
    options = grid.dashGridOptions
    assert options["suppressColumnVirtualisation"] is True
    assert options["paginationPageSize"] == page_size
    assert options["paginationPageSizeSelector"] == [20, 50, 100]  # AG Grid warns (#94/#95) otherwise


def test_a_page_size_ag_grid_would_warn_about_is_refused() -> None:
    with pytest.raises(ValueError, match="page_size"):
        _tables.table("t-grid", [], [], page_size=25)


def test_a_grid_without_filters_has_none_in_any_column() -> None:
    grid = _tables.table("t-grid", [], _tables.cycle_columns(), filters=False)
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
    column = next(c for c in _tables.compliance_columns() if c["field"] == field)
    assert (column["wrapText"], column["autoHeight"]) == (True, True)


def test_the_cycle_rates_are_named_apart_from_the_on_time_count() -> None:
    headers = [column["headerName"] for column in _tables.cycle_columns()]
    assert len(headers) == len(set(headers))
    assert headers[-2:] == ["Completeness", "Timeliness"]
