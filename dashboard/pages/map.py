"""Map page (/map): one year on a world map, the participants ranked, and the same data as a table.

URL: ?year=YYYY&basis=cumulative|annual&measure=status|growth|value&region=world|europe.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import _data
from dashboard.components import tables
from dashboard.components.figures import described
from dashboard.components.layout import (
    aria,
    basis_control,
    chart,
    choice_control,
    download_buttons,
    image_config,
    page_header,
    register_url_sync,
    status_legend,
    status_progress_note,
    year_slider,
)
from dashboard.components.map_figures import choropleth_figure, ranking_figure
from models.reports.summaries.words import no_values_text
from models.reports.summaries.years import MEASURE_CHOICES

dash.register_page(__name__, path="/map", name="Map", title="Map and ranking · VID Monitor", order=1)

register_url_sync("map-query")

DOWNLOADS = ["map-choropleth-csv", "map-ranking-csv", "map-table-csv", "map-table-xlsx"]
_REGION_OPTIONS = [("world", "World"), ("europe", "Europe")]
_MEASURE_OPTIONS = list(MEASURE_CHOICES.items())


def layout(**query: Any) -> html.Div:
    header = page_header(
        "Map and ranking",
        "Every participant for one year: who met the goal, how fast it grew, how many victims it identified.",
    )
    view = _data.map_page(query)
    if not view.years:
        return html.Div([header, dbc.Alert(no_values_text(), color="info")])
    year, basis, measure, region = view.query.year, view.query.basis, view.query.measure, view.query.region
    years = view.years
    return html.Div(
        [
            header,
            dbc.Row(
                [
                    dbc.Col(year_slider("map-year", years, year), lg=5),
                    dbc.Col(basis_control("map-basis", basis), lg=3),
                    dbc.Col(
                        choice_control("map-measure", "Colour and rank by", _MEASURE_OPTIONS, measure), lg=2
                    ),
                    dbc.Col(choice_control("map-region", "Map of", _REGION_OPTIONS, region), lg=2),
                ],
                className="g-3",
            ),
            # The map carries its own key (statuses, or a colour bar for growth and count); the
            # ranking's bars are coloured by status whatever the measure, so it gets the status key.
            chart("map", "choropleth", "Map"),
            chart("map", "ranking", "Ranking", key=status_legend()),
            html.Section(
                [
                    html.H2("The same data as a table", id="map-table-heading", className="h5"),
                    status_progress_note("map-status-progress"),
                    tables.table("map-table", None, tables.compliance_columns(with_year=False)),
                    download_buttons("map-table", "this table"),
                ],
                **aria(labelledby="map-table-heading"),
            ),
            dcc.Store(id="map-query"),
            dcc.Download(id="map-download"),
        ]
    )


# The controls by the address's names: callbacks receive them as keyword arguments, never by position.
CONTROLS = {
    "year": Input("map-year", "value"),
    "basis": Input("map-basis", "value"),
    "measure": Input("map-measure", "value"),
    "region": Input("map-region", "value"),
}


@callback(
    Output("map-year-value", "children"),
    Output("map-choropleth-heading", "children"),
    Output("map-choropleth-graph", "figure"),
    Output("map-choropleth-graph", "config"),
    Output("map-choropleth-summary", "children"),
    Output("map-ranking-heading", "children"),
    Output("map-ranking-graph", "figure"),
    Output("map-ranking-graph", "config"),
    Output("map-ranking-summary", "children"),
    Output("map-table", "rowData"),
    Output("map-query", "data"),
    inputs=CONTROLS,
)
@_data.same_for_everyone
def update_map(year: Any, basis: Any, measure: Any, region: Any) -> tuple[Any, ...]:
    view = _data.map_page({"year": year, "basis": basis, "measure": measure, "region": region})
    query = view.query
    return (
        str(query.year),
        view.map_heading,
        described(choropleth_figure(view.rows, query.measure, query.region), view.map_chart),
        image_config(view.map_chart),
        view.summary,
        view.ranking_heading,
        described(ranking_figure(view.rows, query.measure), view.ranking_chart),
        image_config(view.ranking_chart),
        view.summary,
        tables.compliance_rows(view.rows, query.basis),
        query.query(),
    )


@callback(
    Output("map-download", "data"),
    inputs={"clicks": [Input(button, "n_clicks") for button in DOWNLOADS]},
    state={
        name: State(control.component_id, control.component_property) for name, control in CONTROLS.items()
    },
    prevent_initial_call=True,
)
def download_map_data(clicks: list[Any], year: Any, basis: Any, measure: Any, region: Any) -> dict[str, Any]:
    return map_download(str(ctx.triggered_id), year=year, basis=basis, measure=measure, region=region)


def map_download(trigger: str, *, year: Any, basis: Any, measure: Any, region: Any = None) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the year's rows, as CSV or XLSX."""
    view = _data.map_page({"year": year, "basis": basis, "measure": measure, "region": region})
    return _data.send(view.exports, trigger)
