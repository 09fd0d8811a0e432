"""Country page (/country/<ISO3>): one participant's series against its 10% path, its growth, every year's
"why", what it takes next year, and the history of every value recorded. /country lists the participants.

URL: /country/<ISO3>?basis=cumulative|annual&submitted=yes. `submitted=yes` (the switch the
secretariat, and a participant's own liaison, see) adds its figures awaiting review: decided on the
server from the signed-in account's record, at every request.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import _data
from dashboard.components import tables
from dashboard.components.country_figures import participant_growth_figure, participant_series_figure
from dashboard.components.figures import described
from dashboard.components.layout import (
    aria,
    basis_control,
    chart,
    download_buttons,
    figures_note,
    image_config,
    not_found,
    page_header,
    register_url_sync,
    select_control,
    status_legend,
    status_progress_note,
    submitted_control,
)
from models.counting import ACCEPTED_ONLY, asks_for_submitted
from models.reference import iso3_country_name
from models.reports.summaries.participants import (
    not_a_participant_text,
    participant_heading,
    participant_since_text,
)
from models.reports.summaries.words import page_title
from models.views.country import CODE
from models.views.query import first


def _title(iso3: str | None = None) -> str:
    if iso3 is None:
        return page_title("Participants")
    name = _data.participant_name(iso3)
    return page_title(name or "Participant not found")


dash.register_page(
    __name__, path="/country", path_template="/country/<iso3>", name="Country", title=_title, order=2
)

register_url_sync("country-query")


def layout(iso3: Any = None, **query: Any) -> html.Div:
    iso3 = first(iso3)  # a query may repeat the key (?iso3=FRA&iso3=DEU): Dash passes a list
    if iso3 is None or iso3 == "none":
        return _chooser()
    if _data.participant_name(iso3) is None:
        return _not_registered(str(iso3))
    view = _data.country_page(iso3, query)
    code, name, basis, register = view.code, view.name, view.query.basis, view.register
    assert register is not None  # a registered participant's page
    scope = _data.submitted_scope()  # the switch only where it changes something: a covered participant
    scope = scope if scope.covers(code) else ACCEPTED_ONLY
    return html.Div(
        [
            page_header(participant_heading(name, code), participant_since_text(register["joined_on"])),
            html.P(
                [
                    "Source of the joining date: ",
                    html.A(register["source_title"], href=register["source_url"]),
                ],
                className="small",
            ),
            dbc.Row(
                [
                    dbc.Col(basis_control("country-basis", basis), lg=8),
                    dbc.Col(
                        select_control("country-select", "Another participant", view.others, code),
                        lg=4,
                    ),
                ]
            ),
            submitted_control("country-submitted", scope, view.query.counting.include_submitted),
            html.Div(figures_note(view.figures_note), id="country-figures-note", **aria(live="polite")),
            dbc.Alert(id="country-requirement", color="primary", className="fs-5"),
            status_legend(),
            chart("country", "series", "Counts against the 10% path"),
            chart("country", "growth", "Growth each year against the goal"),
            html.Section(
                [
                    html.H2("Every year, and why", id="country-table-heading", className="h5"),
                    status_progress_note("country-status-progress"),
                    html.P(view.revised_note, id="country-revised-note", className="small"),
                    tables.table("country-table", None, tables.compliance_columns(with_name=False)),
                    download_buttons("country-table", "this table"),
                ],
                **aria(labelledby="country-table-heading"),
                className="mb-5",
            ),
            html.Section(
                [
                    html.H2("Revision history", id="country-revisions-heading", className="h5"),
                    html.P(view.revisions_summary, id="country-revisions-summary"),
                    html.P(view.revisions_note, id="country-revisions-note", className="small"),
                    tables.table(
                        "country-revisions", tables.revision_rows(view.revisions), tables.revision_columns()
                    ),
                    dbc.Button(
                        "Download the history (CSV)", id="country-revisions-csv", color="primary", size="sm"
                    ),
                ],
                **aria(labelledby="country-revisions-heading"),
            ),
            dcc.Store(id="country-code", data=code),
            dcc.Store(id="country-query"),
            dcc.Download(id="country-download"),
            dcc.Location(id="country-nav", refresh="callback-nav"),
        ]
    )


def _chooser() -> html.Div:
    participants = _data.participants().sort_values("name")
    return html.Div(
        [
            page_header(
                "Participants", "Choose a participant to see its series, its growth and its history."
            ),
            html.Ul(
                [
                    html.Li(
                        dcc.Link(
                            participant_heading(row["name"], row["code"]), href=f"/country/{row['code']}"
                        )
                    )
                    for _, row in participants.iterrows()
                ],
                style={"columns": "16rem"},
                id="country-list",
            ),
        ]
    )


def _not_registered(iso3: str) -> html.Div:
    name = iso3_country_name(iso3) if CODE.match(iso3) else None
    message = not_a_participant_text(iso3, name)
    return not_found("Participant not found", message, "See the list of participants", "/country")


@callback(
    Output("country-requirement", "children"),
    Output("country-series-graph", "figure"),
    Output("country-series-graph", "config"),
    Output("country-series-summary", "children"),
    Output("country-growth-graph", "figure"),
    Output("country-growth-graph", "config"),
    Output("country-growth-summary", "children"),
    Output("country-table", "rowData"),
    Output("country-figures-note", "children"),
    Output("country-revised-note", "children"),
    Output("country-query", "data"),
    inputs={"basis": Input("country-basis", "value"), "submitted": Input("country-submitted", "value")},
    state={"code": State("country-code", "data")},
)
def update_country(basis: Any, code: Any, submitted: Any = None) -> tuple[Any, ...]:
    """The charts and table for the controls. Asking for figures awaiting review makes the answer
    personal (what the signed-in account may count: `_data.submitted_scope`; accepted figures for a
    viewer whatever it sends), never cached for anyone else. Otherwise it is public."""
    if asks_for_submitted(submitted):
        _data.depends_on_who_asks()
        return country_outputs(code, {"basis": basis, "submitted": submitted})
    return public_country(basis, code)


@_data.same_for_everyone
def public_country(basis: Any, code: Any) -> tuple[Any, ...]:
    """The charts and table of the accepted figures: the same for everyone, cached."""
    return country_outputs(code, {"basis": basis})


def country_outputs(code: Any, values: dict[str, Any]) -> tuple[Any, ...]:
    """The country callback's outputs for a participant and the controls' values."""
    view = _data.country_page(str(code), values)
    return (
        view.requirement_text,
        described(participant_series_figure(view.history, view.query.basis), view.series_chart),
        image_config(view.series_chart),
        view.series_summary,
        described(participant_growth_figure(view.history), view.growth_chart),
        image_config(view.growth_chart),
        view.growth_summary,
        tables.compliance_rows(view.history, view.query.basis),
        figures_note(view.figures_note),
        view.revised_note,
        view.query.query(),
    )


@callback(
    Output("country-nav", "href"),
    inputs={"chosen": Input("country-select", "value")},
    state={"current": State("country-code", "data"), "basis": State("country-basis", "value")},
    prevent_initial_call=True,
)
def navigate_to_participant(chosen: Any, current: Any, basis: Any) -> str:
    """The address of the chosen participant's page, on the same basis."""
    code = str(chosen).upper() if _data.participant_name(chosen) else str(current)
    return f"/country/{code}" + _data.country_query({"basis": basis}).query()


DOWNLOADS = [
    "country-series-csv",
    "country-growth-csv",
    "country-table-csv",
    "country-table-xlsx",
    "country-revisions-csv",
]


@callback(
    Output("country-download", "data"),
    inputs={"clicks": [Input(button, "n_clicks") for button in DOWNLOADS]},
    state={
        "basis": State("country-basis", "value"),
        "code": State("country-code", "data"),
        "submitted": State("country-submitted", "value"),
    },
    prevent_initial_call=True,
)
def download_country_data(clicks: list[Any], basis: Any, code: Any, submitted: Any = None) -> dict[str, Any]:
    return country_download(str(ctx.triggered_id), basis=basis, code=code, submitted=submitted)


def country_download(trigger: str, *, basis: Any, code: Any, submitted: Any = None) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): a chart's data, the table or the history,
    labelled when they count figures awaiting review (what the signed-in account may count)."""
    view = _data.country_page(str(code), {"basis": basis, "submitted": submitted})
    return _data.send(view.exports, trigger)
