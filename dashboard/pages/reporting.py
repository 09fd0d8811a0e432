"""Reporting page (/reporting): every reporting cycle with its deadline, completeness and timeliness
(numerator and denominator shown), and per participant for a chosen cycle.

URL: ?cycle=NAME (default: the current cycle, the latest whose covered years have all ended).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import _data
from dashboard.components import tables
from dashboard.components.figures import REPORTING_COLOURS, reporting_cycles_figure
from dashboard.components.layout import (
    aria,
    chart,
    download_buttons,
    legend,
    page_header,
    register_url_sync,
    select_control,
)
from models.reports.summaries import REPORTING_LABELS

dash.register_page(
    __name__, path="/reporting", name="Reporting", title="Reporting cycles · VID Monitor", order=4
)

register_url_sync("reporting-query")


def layout(**query: Any) -> html.Div:
    view = _data.reporting_page(query)
    header = page_header(
        "Reporting cycles",
        "Who reported every covered year, and who did so by the deadline. Counted on the annual basis "
        "(victims identified during each year); a correction sent later does not make a report late.",
    )
    if view.summary.empty:
        return html.Div([header, dbc.Alert("No reporting cycle is defined.", color="info")])
    cycle, options = view.query.cycle, view.cycle_options
    return html.Div(
        [
            header,
            legend(REPORTING_LABELS, REPORTING_COLOURS),
            chart("reporting", "cycles", "Every cycle: expected participants by reporting status"),
            html.Section(
                [
                    html.H2("Every cycle as a table", id="reporting-summary-heading", className="h5"),
                    tables.table(
                        "reporting-summary",
                        tables.cycle_rows(view.summary),
                        tables.cycle_columns(),
                        filters=False,
                    ),
                    download_buttons("reporting-summary", "the cycles"),
                ],
                **aria(labelledby="reporting-summary-heading"),
                className="mb-5",
            ),
            html.Section(
                [
                    html.H2(
                        "One cycle, participant by participant", id="reporting-cycle-heading", className="h5"
                    ),
                    dbc.Row(
                        dbc.Col(select_control("reporting-cycle", "Reporting cycle", options, cycle), md=6)
                    ),
                    html.P(id="reporting-cycle-summary", **aria(live="polite")),
                    tables.table("reporting-participants", [], tables.reporting_columns()),
                    download_buttons("reporting-participants", "this cycle"),
                ],
                **aria(labelledby="reporting-cycle-heading"),
            ),
            dcc.Store(id="reporting-query"),
            dcc.Download(id="reporting-download"),
        ]
    )


@callback(
    Output("reporting-cycles-graph", "figure"),
    Output("reporting-cycles-summary", "children"),
    Output("reporting-cycle-summary", "children"),
    Output("reporting-participants", "rowData"),
    Output("reporting-query", "data"),
    inputs={"cycle": Input("reporting-cycle", "value")},
)
@_data.same_for_everyone
def update_reporting(cycle: Any) -> tuple[Any, ...]:
    view = _data.reporting_page({"cycle": cycle})
    return (
        reporting_cycles_figure(view.summary),
        view.trend_summary,
        view.cycle_summary,
        tables.reporting_rows(view.rows),
        view.query.query(),
    )


DOWNLOADS = [
    "reporting-cycles-csv",
    "reporting-summary-csv",
    "reporting-summary-xlsx",
    "reporting-participants-csv",
    "reporting-participants-xlsx",
]


@callback(
    Output("reporting-download", "data"),
    inputs={"clicks": [Input(button, "n_clicks") for button in DOWNLOADS]},
    state={"cycle": State("reporting-cycle", "value")},
    prevent_initial_call=True,
)
def download_reporting_data(clicks: list[Any], cycle: Any) -> dict[str, Any]:
    return reporting_download(str(ctx.triggered_id), cycle=cycle)


def reporting_download(trigger: str, *, cycle: Any) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the cycles, or one cycle's participants."""
    return _data.send(_data.reporting_page({"cycle": cycle}).exports, trigger)
