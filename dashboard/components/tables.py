"""Sortable, filterable tables (dash-ag-grid): rows from the metric frames, with the words and symbols
of models.reports.summaries next to the raw numbers (numbers stay numbers, so columns sort correctly)."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import pandas as pd

from models.reports.counting import REVISED_MARK
from models.reports.summaries.participants import why_text
from models.reports.summaries.words import (
    LOADING_TEXT,
    PROGRESS_LABELS,
    REPORTING_LABELS,
    STATUS_LABELS,
    growth_text,
    share_text,
    timestamp_text,
)
from models.reports.tabular import json_records

_NUMBER = {"type": "numericColumn", "filter": "agNumberColumnFilter"}
# Text wraps rather than being cut off ("○ no baseline", "United States of America"), so columns
# can stay narrow enough for every grid to fit a 1400-pixel window without scrolling sideways.
_WRAP = {"wrapText": True, "autoHeight": True}
_FIXED = {"flex": 0}  # a column of its own width, not a share of the grid's
PAGE_SIZES = [20, 50, 100]
_COUNT = {
    **_NUMBER,
    "valueFormatter": {"function": "params.value == null ? '—' : d3.format(',')(params.value)"},
}
# A count with the mark of a value revised after its cycle's close (the row's `revised_after_close`).
_MARKED_COUNT = {
    **_NUMBER,
    "valueFormatter": {
        "function": "(params.value == null ? '—' : d3.format(',')(params.value))"
        f" + (params.data && params.data.revised_after_close ? ' {REVISED_MARK}' : '')"
    },
}


def content_width(header: str, values: Any, most: int = 600) -> int:
    """Pixels a column needs to show its header and its longest value whole (about 8 px a character,
    plus room for the sort and filter icons), at least 80 and at most `most` (longer text wraps)."""
    longest = max([len(header), *(len(str(v)) for v in values if v is not None)])
    return max(80, min(most, 8 * longest + 56))


def staff_columns(rows: list[dict[str, Any]], headers: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Columns for the staff tables (uploads, audit, accounts), which have more columns than a window
    holds: each as wide as its content, so nothing is cut off; the first stays in place while the
    others scroll sideways; long free text (reasons, details) wraps."""
    columns: list[dict[str, Any]] = []
    for index, (field, header) in enumerate(headers):
        width = content_width(header, (row.get(field) for row in rows))
        column: dict[str, Any] = {"field": field, "headerName": header, "width": width}
        if index == 0:
            column["pinned"] = "left"
        if width >= 600:
            column.update(_WRAP)
        columns.append(column)
    return columns


# Keyboard: the grid is one Tab stop. Tab and Shift+Tab leave it (to the browser's next control)
# instead of walking every cell and header; inside it the arrow keys move, as AG Grid documents.
KEYBOARD_OPTIONS = {
    "tabToNextCell": {"function": "false"},
    "tabToNextHeader": {"function": "false"},
}


def table(
    table_id: str,
    rows: list[dict[str, Any]] | None,
    columns: list[dict[str, Any]],
    page_size: int = 50,
    filters: bool = True,
) -> dag.AgGrid:
    """A grid that grows with its rows (no inner scroll), pages of `page_size` (one of PAGE_SIZES, which
    the reader can choose from), every column sortable and, with `filters`, filterable. `rows` None:
    the rows are on their way (a callback fills them), and the grid says "Loading…" until they come.

    Every column is rendered (no column virtualisation) and the columns' minimum widths add up to
    less than the page's width from 1200 pixels up, so no column hides off to the side.
    """
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page_size must be one of {PAGE_SIZES}")  # AG Grid warns otherwise (#94, #95)
    return dag.AgGrid(
        id=table_id,
        rowData=rows,
        columnDefs=columns if filters else [{**column, "filter": False} for column in columns],
        defaultColDef={
            "sortable": True,
            "filter": filters,
            "resizable": True,
            "flex": 1,
            "minWidth": 90,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
        },
        dashGridOptions={
            "domLayout": "autoHeight",
            "pagination": True,
            "paginationPageSize": page_size,
            "paginationPageSizeSelector": PAGE_SIZES,
            "ensureDomOrder": True,
            "enableCellTextSelection": True,
            "suppressColumnVirtualisation": True,
            # What the grid says while its rows are on their way, and when none match.
            "localeText": {"loadingOoo": LOADING_TEXT, "noRowsToShow": "No rows match the chosen filters."},
            **KEYBOARD_OPTIONS,
        },
        className="mb-2",
    )


def _link(name: str, code: str, basis: str) -> str:
    safe = str(name).replace("[", "(").replace("]", ")")
    return f"[{safe}](/country/{code}?basis={basis})"


def compliance_rows(frame: pd.DataFrame, basis: str) -> list[dict[str, Any]]:
    """Compliance rows (named) as grid records with status/progress labels, growth text and the why."""
    records = json_records(frame)
    # The texts are read from each record's plain values (a dict per row, not a pandas row: that
    # cost most of a first view of the compliance page).
    for record in records:
        status, progress = record["status"], record["progress"]
        record["status_label"] = STATUS_LABELS.get(str(status), "")
        record["progress_label"] = PROGRESS_LABELS.get(str(progress), "") if progress is not None else ""
        record["growth_text"] = growth_text(record["growth"], status)
        record["why"] = why_text(record)
        code = str(record["participant"])
        record["link"] = record["name"] if code == "ALL" else _link(record["name"], code, basis)
    return records


def compliance_columns(with_name: bool = True, with_year: bool = True) -> list[dict[str, Any]]:
    """Columns for compliance rows: participant (linked), year, status, progress, the numbers, why.

    The previous year is in the "why" text; every number is in the downloads.
    """
    columns: list[dict[str, Any]] = []
    if with_name:
        columns.append(
            {
                "field": "link",
                "headerName": "Participant",
                "cellRenderer": "markdown",
                "pinned": "left",  # stays in view while a narrow screen scrolls the others sideways
                "width": 140,
                **_WRAP,
            }
        )
    if with_year:
        pinned = {} if with_name else {"pinned": "left"}
        columns.append({"field": "year", "headerName": "Year", **_NUMBER, "minWidth": 85, **pinned})
    columns += [
        {"field": "status_label", "headerName": "Status", "minWidth": 125, **_WRAP},
        {"field": "progress_label", "headerName": "Progress", "minWidth": 140, **_WRAP},
        {"field": "value", "headerName": "Count", **_MARKED_COUNT, "minWidth": 100},
        {"field": "previous_value", "headerName": "Previous", **_COUNT, "minWidth": 110},
        {"field": "required_value", "headerName": "Required", **_COUNT, "minWidth": 110},
        {
            "field": "growth",
            "headerName": "Growth",
            **_NUMBER,
            "valueFormatter": {"function": "params.data.growth_text"},
            "minWidth": 105,
        },
        {"field": "why", "headerName": "Why", "flex": 3, "minWidth": 170, **_WRAP},
    ]
    return columns


def reporting_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    records = json_records(frame)
    for record in records:
        record["status_label"] = REPORTING_LABELS.get(str(record["status"]), "")
        record["link"] = _link(record["name"], str(record["participant"]), "annual")
    return records


def reporting_columns() -> list[dict[str, Any]]:
    return [
        {
            "field": "link",
            "headerName": "Participant",
            "cellRenderer": "markdown",
            "pinned": "left",
            "width": 180,
            **_WRAP,
        },
        {"field": "status_label", "headerName": "Status", "minWidth": 120},
        {"field": "years_reported", "headerName": "Years reported", **_NUMBER, "minWidth": 110},
        {"field": "years_covered", "headerName": "Years covered", **_NUMBER, "minWidth": 110},
        {"field": "missing_years", "headerName": "Missing years", "minWidth": 120, **_WRAP},
        {"field": "reported_on", "headerName": "Last year first reported on", "minWidth": 130},
        {"field": "days_late", "headerName": "Days late", **_NUMBER, "minWidth": 100},
    ]


def cycle_rows(summary: pd.DataFrame) -> list[dict[str, Any]]:
    records = json_records(summary)
    for record in records:
        expected = int(record["expected"])
        record["completeness"] = share_text(int(record["completeness_numerator"]), expected)
        record["timeliness"] = share_text(int(record["timeliness_numerator"]), expected)
        first, last = record["first_year"], record["last_year"]
        record["years"] = str(first) if first == last else f"{first}–{last}"
    return records


def cycle_columns() -> list[dict[str, Any]]:
    """The cycles table: a handful of rows, so it is shown without filters (sorting is enough), and
    its ten columns fit a 1400-pixel window."""
    return [
        {"field": "cycle", "headerName": "Cycle", "pinned": "left", "width": 130, **_WRAP},
        {"field": "deadline", "headerName": "Deadline", "minWidth": 105},
        {"field": "years", "headerName": "Years", "minWidth": 105},
        {"field": "expected", "headerName": "Expected", **_NUMBER, "minWidth": 100},
        {"field": "on_time", "headerName": "✓ On time", **_NUMBER, "minWidth": 90},
        {"field": "late", "headerName": "◷ Late", **_NUMBER, "minWidth": 80},
        {"field": "incomplete", "headerName": "◐ Incomplete", **_NUMBER, "minWidth": 105},
        {"field": "missing", "headerName": "– Missing", **_NUMBER, "minWidth": 90},
        # "Completeness" and "Timeliness", as the chart's summary says: "On time" names the count.
        {"field": "completeness", "headerName": "Completeness", "minWidth": 150},
        {"field": "timeliness", "headerName": "Timeliness", "minWidth": 150},
    ]


def revision_rows(history: pd.DataFrame) -> list[dict[str, Any]]:
    records = json_records(history)
    for record, recorded_at in zip(records, history["recorded_at"], strict=True):
        record["recorded_at"] = timestamp_text(recorded_at)  # the CSV keeps the full precision
        record["change"] = (
            f"{record['new_value']:,} (first recorded)"
            if record["old_value"] is None
            else f"{record['old_value']:,} → {record['new_value']:,}"
        ) + (f" {REVISED_MARK}" if record.get("revised_after_close") else "")
    return records


def revision_columns() -> list[dict[str, Any]]:
    return [
        {
            "field": "recorded_at",
            "headerName": "Recorded (UTC)",
            "pinned": "left",
            "width": 185,
            "sort": "desc",
        },
        # Fixed widths, and the reason alone takes what is left: flex columns held between a minimum
        # and a maximum were once laid out 8 pixels wider than the grid on a loaded machine.
        {"field": "year", "headerName": "Year", **_NUMBER, **_FIXED, "width": 100},
        {"field": "basis", "headerName": "Basis", **_FIXED, "width": 130},
        {"field": "change", "headerName": "Old → new", **_FIXED, "width": 180, **_WRAP},
        {"field": "recorded_by", "headerName": "By", **_FIXED, "width": 170, **_WRAP},
        {"field": "reason", "headerName": "Reason", "flex": 1, "minWidth": 220, **_WRAP},
    ]
