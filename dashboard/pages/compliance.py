"""Compliance page (/compliance): who met the 10% goal, participant × year, as a grid and as a table.

URL: ?basis=cumulative|annual&from=YYYY&to=YYYY&cycle=NAME&status=met,not_met,no_baseline,missing
&participants=FRA,DEU,ALL (none: all)&submitted=yes. A cycle, when given, sets the years to the ones it
covers. `submitted=yes` (the switch the secretariat and liaisons see) adds the figures awaiting review
that the signed-in account may see: decided on the server from its record, at every request.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import _data
from dashboard.components import tables
from dashboard.components.figures import described, status_grid_figure
from dashboard.components.layout import (
    aria,
    basis_control,
    chart,
    download_buttons,
    figures_note,
    image_config,
    page_header,
    register_url_sync,
    select_control,
    status_filter,
    status_legend,
    status_progress_note,
    submitted_control,
)
from dashboard.pages._cycle_close import close_section, register_close_callbacks
from models.counting import asks_for_submitted
from models.reports.summaries.grid import COMPLIANCE_INTRO
from models.reports.summaries.words import no_values_text
from models.views.compliance import ANY_CYCLE, ComplianceView

dash.register_page(__name__, path="/compliance", name="Compliance", title="Compliance · VID Monitor", order=3)

register_url_sync("compliance-query")


def layout(**query: Any) -> html.Div:
    header = page_header(
        "Compliance",
        COMPLIANCE_INTRO,
    )
    view = _data.compliance_page(query)
    if not view.years:
        return html.Div([header, dbc.Alert(no_values_text(), color="info")])
    chosen = view.query
    year_options = [(str(y), str(y)) for y in view.year_choices]
    return html.Div(
        [
            header,
            dbc.Row(
                [
                    dbc.Col(basis_control("compliance-basis", chosen.basis), lg=12),
                    dbc.Col(
                        select_control(
                            "compliance-from",
                            "From year",
                            year_options,
                            str(chosen.start),
                            _one_year_button(),
                        ),
                        sm=4,
                        lg=2,
                    ),
                    dbc.Col(
                        select_control("compliance-to", "To year", year_options, str(chosen.end)), sm=4, lg=2
                    ),
                    dbc.Col(
                        select_control(
                            "compliance-cycle", "Or a reporting cycle", view.cycle_options, chosen.cycle
                        ),
                        sm=4,
                        lg=3,
                    ),
                    dbc.Col(status_filter("compliance-status", chosen.statuses), lg=5),
                ],
                className="g-3",
            ),
            _participant_filter(view),
            submitted_control(
                "compliance-submitted", _data.submitted_scope(), chosen.counting.include_submitted
            ),
            html.Div(figures_note(view.figures_note), id="compliance-figures-note", **aria(live="polite")),
            status_legend(),
            chart("compliance", "grid", "Status per participant and year"),
            html.Section(
                [
                    html.H2("The numbers behind every cell", id="compliance-table-heading", className="h5"),
                    html.P(
                        "Sort or filter any column. Growth is annualised; the Alliance row compares the "
                        "participants that reported both years.",
                        className="small",
                    ),
                    status_progress_note("compliance-status-progress"),
                    html.P(view.revised_note, id="compliance-revised-note", className="small"),
                    tables.table("compliance-table", None, tables.compliance_columns()),
                    download_buttons("compliance-table", "this table"),
                ],
                **aria(labelledby="compliance-table-heading"),
            ),
            close_section("compliance"),  # issue 14: a closed cycle as at close and now
            dcc.Store(id="compliance-query"),
            dcc.Download(id="compliance-download"),
        ]
    )


def _int(value: Any) -> int:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() else 0


def _one_year_button() -> dbc.Button:
    """One click from a range to the From year alone (the To year follows)."""
    return dbc.Button(
        "Show only this year", id="compliance-one-year", color="link", size="sm", className="p-0 mt-1"
    )


def _participant_filter(view: ComplianceView) -> html.Details:
    """Check boxes for the participants, folded away: none ticked means every participant."""
    return html.Details(
        [
            html.Summary(id="compliance-participants-summary", children=view.participants_label),
            dbc.Checklist(
                id="compliance-participants",
                value=list(view.query.codes or []),
                options=[{"label": name, "value": code} for code, name in view.participant_options],
                inline=True,
                className="mt-2",
            ),
        ],
        className="mb-3",
    )


@callback(
    Output("compliance-from", "value"),
    Output("compliance-to", "value"),
    Output("compliance-cycle", "value"),
    Input("compliance-from", "value"),
    Input("compliance-to", "value"),
    Input("compliance-cycle", "value"),
    Input("compliance-one-year", "n_clicks"),
    prevent_initial_call=True,
)
def update_compliance_range(
    first_value: Any, last_value: Any, cycle_value: Any, _one_year: Any
) -> tuple[Any, Any, Any]:
    return compliance_range(str(ctx.triggered_id), first_value, last_value, cycle_value)


def compliance_range(
    trigger: str, first_value: Any, last_value: Any, cycle_value: Any
) -> tuple[Any, Any, Any]:
    """From, To and the cycle after the control `trigger` (its id) changed; no_update where nothing moves.

    A chosen cycle sets the years. The year just chosen is always kept: a From year after the To
    year moves To along, a To year before the From year moves From; "Show only this year" sets To
    to From. Years chosen by hand clear the cycle, unless they are its years.
    """
    cycles = _data.cycles()
    if trigger == "compliance-cycle":
        if str(cycle_value) in cycles:
            start, end = cycles[str(cycle_value)]
            return str(start), str(end), no_update
        return no_update, no_update, no_update
    first_year, last_year = _int(first_value), _int(last_value)
    if not first_year or not last_year:
        return no_update, no_update, no_update
    start, end = first_year, last_year
    if trigger == "compliance-one-year":
        end = start
    elif trigger == "compliance-to":
        start = min(start, end)
    else:
        end = max(start, end)
    return (
        no_update if start == first_year else str(start),
        no_update if end == last_year else str(end),
        no_update if cycles.get(str(cycle_value)) == (start, end) else ANY_CYCLE,
    )


# The controls by the address's names: callbacks receive them as keyword arguments, never by position.
CONTROLS = {
    "basis": Input("compliance-basis", "value"),
    "start": Input("compliance-from", "value"),  # the address's `from`
    "end": Input("compliance-to", "value"),  # the address's `to`
    "cycle": Input("compliance-cycle", "value"),
    "status": Input("compliance-status", "value"),
    "participants": Input("compliance-participants", "value"),
    "submitted": Input("compliance-submitted", "value"),
}
DOWNLOADS = ["compliance-grid-csv", "compliance-table-csv", "compliance-table-xlsx"]


def _address(
    basis: Any, start: Any, end: Any, cycle: Any, status: Any, participants: Any, submitted: Any = None
) -> dict[str, Any]:
    """The controls' values under the address's keys, for the page's query."""
    return {
        "basis": basis,
        "from": start,
        "to": end,
        "cycle": cycle,
        "status": status,
        "participants": participants,
        "submitted": submitted,
    }


@callback(
    Output("compliance-grid-heading", "children"),
    Output("compliance-grid-graph", "figure"),
    Output("compliance-grid-graph", "config"),
    Output("compliance-grid-summary", "children"),
    Output("compliance-table", "rowData"),
    Output("compliance-participants-summary", "children"),
    Output("compliance-figures-note", "children"),
    Output("compliance-revised-note", "children"),
    Output("compliance-query", "data"),
    inputs=CONTROLS,
)
def update_compliance_grid(
    basis: Any,
    start: Any,
    end: Any,
    cycle: Any,
    status: Any,
    participants: Any = None,
    submitted: Any = None,
) -> tuple[Any, ...]:
    """The grid and table for the controls. Asking for figures awaiting review makes the answer
    personal: what it counts is the signed-in account's (`_data.submitted_scope`, accepted figures for
    a viewer whatever it sends), and it is never cached for anyone else. Otherwise it is public."""
    if asks_for_submitted(submitted):
        _data.depends_on_who_asks()
        return compliance_grid_outputs(_address(basis, start, end, cycle, status, participants, submitted))
    return public_compliance_grid(basis, start, end, cycle, status, participants)


@_data.same_for_everyone
def public_compliance_grid(
    basis: Any, start: Any, end: Any, cycle: Any, status: Any, participants: Any
) -> tuple[Any, ...]:
    """The grid and table of the accepted figures: the same for everyone, cached."""
    return compliance_grid_outputs(_address(basis, start, end, cycle, status, participants))


def compliance_grid_outputs(values: dict[str, Any]) -> tuple[Any, ...]:
    """The grid callback's outputs for the controls' values (under the address's keys)."""
    view = _data.compliance_page(values)
    return (
        view.heading,
        described(status_grid_figure(view.grid, view.revised), view.grid_chart),
        image_config(view.grid_chart),
        view.summary,
        tables.compliance_rows(view.grid, view.query.basis),
        view.participants_label,
        figures_note(view.figures_note),
        view.revised_note,
        view.query.query(),
    )


@callback(
    Output("compliance-download", "data"),
    inputs={"clicks": [Input(button, "n_clicks") for button in DOWNLOADS]},
    state={
        name: State(control.component_id, control.component_property) for name, control in CONTROLS.items()
    },
    prevent_initial_call=True,
)
def download_compliance_table(
    clicks: list[Any],
    basis: Any,
    start: Any,
    end: Any,
    cycle: Any,
    status: Any,
    participants: Any,
    submitted: Any = None,
) -> dict[str, Any]:
    return compliance_download(
        str(ctx.triggered_id),
        basis=basis,
        start=start,
        end=end,
        cycle=cycle,
        status=status,
        participants=participants,
        submitted=submitted,
    )


def compliance_download(
    trigger: str,
    *,
    basis: Any,
    start: Any,
    end: Any,
    cycle: Any,
    status: Any,
    participants: Any = None,
    submitted: Any = None,
) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the rows shown, as CSV or XLSX, labelled
    when they count figures awaiting review (what the signed-in account may: `_data.compliance_page`)."""
    view = _data.compliance_page(_address(basis, start, end, cycle, status, participants, submitted))
    return _data.send(view.exports, trigger)


register_close_callbacks("compliance")
