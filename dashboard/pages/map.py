"""Map page (/map): one year on a world map, the participants ranked, and the same data as a table.

URL: ?year=YYYY&basis=cumulative|annual&measure=status|growth|value&region=world|europe.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import _data
from dashboard._query import parse_basis, parse_choice, parse_year, query_string
from dashboard.components import tables
from dashboard.components.figures import described
from dashboard.components.layout import (
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
from dashboard.components.map_figures import REGIONS, choropleth_figure, ranking_figure
from models.metrics.headlines import years_with_data
from models.metrics.series import DEFAULT_MEASURE, MEASURES, map_view, ranking_view, year_table
from models.reports import exports
from models.reports.summaries import GOAL_TEXT, MEASURE_LABELS, chart_subtitle, year_summary

dash.register_page(__name__, path="/map", name="Map", title="Map and ranking · VID Monitor", order=1)

register_url_sync("map-query")

_REGION_OPTIONS = [("world", "World"), ("europe", "Europe")]
_MEASURE_OPTIONS = [
    ("status", f"Status (met the {GOAL_TEXT} goal?)"),
    ("growth", "Growth"),
    ("value", "Count"),
]


def _years() -> list[int]:
    """Every year from the first to the last with data on either basis: the slider's steps (it keeps
    its range when the basis changes, and a year nobody reported shows everyone as missing)."""
    reported = set(years_with_data(_data.compliance("cumulative"))) | set(
        years_with_data(_data.compliance("annual"))
    )
    return list(range(min(reported), max(reported) + 1)) if reported else []


def layout(**query: Any) -> html.Div:
    years = _years()
    header = page_header(
        "Map and ranking",
        "Every participant for one year: who met the goal, how fast it grew, how many victims it identified.",
    )
    if not years:
        return html.Div([header, dbc.Alert("No values have been reported yet.", color="info")])
    year = parse_year(query.get("year"), years, years[-1])
    assert year is not None
    basis = parse_basis(query.get("basis"))
    measure = parse_choice(query.get("measure"), MEASURES, DEFAULT_MEASURE)
    region = parse_choice(query.get("region"), list(REGIONS), "world")
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
                **{"aria-labelledby": "map-table-heading"},
            ),
            dcc.Store(id="map-query"),
            dcc.Download(id="map-download"),
        ]
    )


def _state(
    year_value: Any, basis_value: Any, measure_value: Any, region_value: Any
) -> tuple[int, str, str, str]:
    """The controls' values, checked (a bad value falls back like a bad URL)."""
    years = _years()
    year = parse_year(None if year_value is None else str(year_value), years, years[-1] if years else 0)
    basis = parse_basis(basis_value)
    measure = parse_choice(measure_value, MEASURES, DEFAULT_MEASURE)
    region = parse_choice(region_value, list(REGIONS), "world")
    return int(year or 0), basis, measure, region


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
    Input("map-year", "value"),
    Input("map-basis", "value"),
    Input("map-measure", "value"),
    Input("map-region", "value"),
)
@_data.same_for_everyone
def update_map(year_value: Any, basis_value: Any, measure_value: Any, region_value: Any) -> tuple[Any, ...]:
    year, basis, measure, region = _state(year_value, basis_value, measure_value, region_value)
    rows = year_table(_data.compliance(basis), _data.participants(), year, measure)
    summary = year_summary(rows, year, basis, measure)
    label = MEASURE_LABELS[measure].lower()
    source, demo = _data.chart_source()
    subtitle = chart_subtitle(basis, str(year), None if region == "world" else region.capitalize())
    return (
        str(year),
        f"Map: {label} in {year}, {basis} basis",
        described(
            choropleth_figure(rows, measure, region), f"Map: {label} in {year}", subtitle, source, demo
        ),
        image_config(f"map-{measure}-{year}-{basis}" + ("" if region == "world" else f"-{region}"), demo),
        summary,
        f"Ranking by {label} in {year}, {basis} basis",
        described(ranking_figure(rows, measure), f"Ranking by {label} in {year}", subtitle, source, demo),
        image_config(f"ranking-{measure}-{year}-{basis}", demo),
        summary,
        tables.compliance_rows(rows, basis),
        query_string({"year": year, "basis": basis, "measure": measure, "region": region}),
    )


@callback(
    Output("map-download", "data"),
    Input("map-choropleth-csv", "n_clicks"),
    Input("map-ranking-csv", "n_clicks"),
    Input("map-table-csv", "n_clicks"),
    Input("map-table-xlsx", "n_clicks"),
    State("map-year", "value"),
    State("map-basis", "value"),
    State("map-measure", "value"),
    State("map-region", "value"),
    prevent_initial_call=True,
)
def download_map_data(*args: Any) -> dict[str, Any]:
    return map_download(str(ctx.triggered_id), *args[-4:])


def map_download(trigger: str, *controls: Any) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the year's rows, as CSV or XLSX."""
    year, basis, measure, _region = _state(*controls)
    rows = year_table(_data.compliance(basis), _data.participants(), year, measure)
    info = _data.export_info(
        f"Participants in {year}, {basis} basis, ranked by {measure}", basis, {"year": year}
    )
    shown = {"map-choropleth-csv": "chart", "map-ranking-csv": "ranking"}.get(trigger, "table")
    stem = f"map-{shown}-{year}-{basis}-{measure}"  # one name per button: no download overwrites another
    if trigger == "map-table-xlsx":
        return dcc.send_bytes(exports.xlsx_bytes(rows, info), exports.file_name(stem, info, "xlsx"))
    # Each CSV holds what its view shows: the map's colours, the ranking's order, the full table.
    frame = {"chart": map_view, "ranking": ranking_view}.get(shown, lambda rows, _measure: rows)(
        rows, measure
    )
    return dcc.send_bytes(exports.csv_bytes(frame, info), exports.file_name(stem, info, "csv"))
