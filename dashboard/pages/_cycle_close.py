"""A closed cycle "as at close" beside "current", and what changed since the close (/compliance, /reporting).

The section is the same on both pages; its component ids start with the page's name (so the page's
rules apply to its callbacks). The frozen tables come from the cycle's latest snapshot
(`models.cycles.closing.latest_snapshot`), labelled with its close date and SHA-256; "current" is the
same tables from the accepted figures now (`current_frames`); the changes from `changes_since_close`.
Public data only: accepted figures, the same for everyone.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, html

from dashboard import _data
from models.cycles import CycleError
from models.cycles.closing import changes_since_close, current_frames, latest_snapshot, list_snapshots
from models.cycles.locks import revised_after_close
from models.reports.summaries.words import date_time_text, words_count
from models.reports.tabular import json_records

VIEWS = (("close", "As at close"), ("current", "Current"))
BASES = (("annual", "Annual"), ("cumulative", "Cumulative"))
REVISED = "revised after close"
CHANGE_COLUMNS = (
    ("participant", "Participant"),
    ("year", "Year"),
    ("basis", "Basis"),
    ("old", "As at close"),
    ("new", "Now"),
    ("changed_by", "Changed by"),
    ("changed_at", "When (UTC)"),
    ("reason", "Why"),
)
COMPLIANCE_SHOWN = ("participant", "year", "value", "required_value", "status", "progress")
REPORTING_SHOWN = ("participant", "status", "years_reported", "missing_years", "reported_on", "days_late")


def closed_cycle_names() -> list[str]:
    """The cycles with a snapshot, newest close first."""
    with _data.reading() as session:
        names = [record.cycle for record in reversed(list_snapshots(session))]
    return list(dict.fromkeys(names))


def close_section(page: str) -> html.Section:
    """The "as at close" section of a page (`compliance` or `reporting`)."""
    names = closed_cycle_names()
    heading = html.H2("Closed cycles: as at close and now", className="h4 mt-4")
    if not names:
        return html.Section(
            [heading, html.P("No reporting cycle is closed yet.", className="text-body-secondary")],
            id=f"{page}-close",
        )
    controls: list[Any] = [
        dbc.Col(
            [
                dbc.Label("Cycle", html_for=f"{page}-close-cycle"),
                dbc.Select(id=f"{page}-close-cycle", options=names, value=names[0]),
            ],
            md=4,
        ),
        dbc.Col(
            [
                dbc.Label("Show", html_for=f"{page}-close-view"),
                dbc.RadioItems(
                    id=f"{page}-close-view",
                    options=[{"label": label, "value": value} for value, label in VIEWS],
                    value="close",
                    inline=True,
                ),
            ],
            md=4,
        ),
    ]
    if page == "compliance":
        controls.append(
            dbc.Col(
                [
                    dbc.Label("Basis", html_for="compliance-close-basis"),
                    dbc.RadioItems(
                        id="compliance-close-basis",
                        options=[{"label": label, "value": value} for value, label in BASES],
                        value="annual",
                        inline=True,
                    ),
                ],
                md=4,
            )
        )
    return html.Section(
        [
            heading,
            html.P(
                "A closed cycle's figures stay as they were reported: its snapshot was frozen at the close. "
                "Values changed since are marked “revised after close”.",
                className="text-body-secondary",
            ),
            dbc.Row(controls, className="g-2"),
            html.Div(id=f"{page}-close-content", className="mt-2"),
        ],
        id=f"{page}-close",
    )


def _grid(grid_id: str, frame: pd.DataFrame, columns: list[tuple[str, str]]) -> dag.AgGrid:
    return dag.AgGrid(
        id=grid_id,
        rowData=json_records(frame[[field for field, _ in columns]]),
        columnDefs=[
            {"field": field, "headerName": header, "minWidth": 110, "flex": 1} for field, header in columns
        ],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={"pagination": True, "paginationPageSize": 20, "domLayout": "autoHeight"},
        className="ag-theme-alpine",
    )


def close_view(page: str, cycle_name: Any, view: Any, basis: Any = "annual") -> html.Div:
    """The chosen cycle's table as at close or now, then every change since the close."""
    if not isinstance(view, str) or view not in dict(VIEWS):
        view = "close"
    if not isinstance(basis, str) or basis not in dict(BASES):
        basis = "annual"
    if not isinstance(cycle_name, str):
        return html.Div()
    with _data.reading() as session:
        snapshot = latest_snapshot(session, cycle_name)
        if snapshot is None:
            return html.Div(dbc.Alert(f"The cycle {cycle_name!r} is not closed.", color="warning"))
        frozen = snapshot.compliance(basis) if page == "compliance" else snapshot.reporting
        first_year = int(frozen["year"].min()) if page == "compliance" and len(frozen) else None
        try:
            now = current_frames(session, cycle_name, first_year)
        except CycleError as exc:
            return html.Div(dbc.Alert(str(exc), color="warning"))
        changes = changes_since_close(session, cycle_name)
        revised = revised_after_close(session)
    label = (
        f"As at close of {snapshot.cycle}: closed {date_time_text(snapshot.closed_at)} "
        f"by {snapshot.closed_by}, "
        f"data version {snapshot.data_version}, SHA-256 {snapshot.sha256}"
        + (" — demonstration data" if snapshot.demonstration else "")
    )
    if page == "compliance":
        table = frozen if view == "close" else now[f"compliance_{basis}"]
        shown = [(field, field.replace("_", " ").capitalize()) for field in COMPLIANCE_SHOWN]
        table = table.copy()
        if view == "current":
            marked = {(p, int(y)) for p, y in zip(revised["participant"], revised["year"], strict=True)}
            table["note"] = [
                REVISED if (p, int(y)) in marked else ""
                for p, y in zip(table["participant"], table["year"], strict=True)
            ]
            shown.append(("note", "Note"))
    else:
        table = (frozen if view == "close" else now["reporting"]).copy()
        shown = [(field, field.replace("_", " ").capitalize()) for field in REPORTING_SHOWN]
    caption = label if view == "close" else f"Current: {snapshot.cycle} from the accepted figures now"
    change_frame = pd.DataFrame(
        [{**c.as_dict(), "changed_at": date_time_text(c.changed_at)} for c in changes],
        columns=[field for field, _ in CHANGE_COLUMNS],
    )
    return html.Div(
        [
            html.P(caption, className="small text-break", id=f"{page}-close-label"),
            _grid(f"{page}-close-table", table, shown),
            html.H3("Changed since the close", className="h5 mt-3"),
            html.P(
                f"{words_count(len(changes), 'figure or status', 'figures and statuses').capitalize()} "
                "changed since the close.",
                id=f"{page}-close-changes-count",
            ),
            _grid(f"{page}-close-changes", change_frame, list(CHANGE_COLUMNS)) if changes else None,
        ]
    )


def register_close_callbacks(page: str) -> None:
    """The section's one callback, for one page."""
    inputs = [Input(f"{page}-close-cycle", "value"), Input(f"{page}-close-view", "value")]
    if page == "compliance":
        inputs.append(Input("compliance-close-basis", "value"))

    @callback(Output(f"{page}-close-content", "children"), *inputs)
    def update_close_view(cycle_name: Any, view: Any, basis: Any = "annual") -> html.Div:
        return close_view(page, cycle_name, view, basis)
