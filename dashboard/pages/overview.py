"""Overview page (/): the latest year's headline figures, the Alliance trend, INTERPOL's published totals.

URL: ?basis=cumulative|annual.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import _data
from dashboard.components.figures import alliance_trend_figure, described, empty_figure
from dashboard.components.layout import (
    aria,
    basis_control,
    chart,
    image_config,
    kpi_card,
    page_header,
    register_url_sync,
)
from models.reports.summaries.overview import (
    OVERVIEW_INTRO,
    published_date_text,
    published_figures_summary,
    published_total_text,
)

dash.register_page(__name__, path="/", name="Overview", title="Overview · VID Monitor", order=0)

register_url_sync("overview-query")


def layout(**query: Any) -> html.Div:
    basis = _data.overview_query(query).basis
    return html.Div(
        [
            page_header(
                "Victim identification in the Global Alliance",
                OVERVIEW_INTRO,
            ),
            basis_control("overview-basis", basis),
            html.Section(
                [
                    html.H2("Latest year", id="overview-headlines-heading", className="visually-hidden"),
                    dbc.Row(id="overview-headlines", className="g-3 mb-3"),
                    html.P(id="overview-headline-summary", className="mb-2", **aria(live="polite")),
                    html.P(dcc.Link(id="overview-who-met", href="/compliance"), className="mb-4"),
                ],
                **aria(labelledby="overview-headlines-heading"),
            ),
            chart("overview", "trend", "The Alliance over time"),
            _published_panel(),
            dcc.Store(id="overview-query"),
            dcc.Download(id="overview-download"),
        ]
    )


def _published_panel() -> html.Section:
    """INTERPOL's published totals: real figures, each with its date and source."""
    figures = _data.published_totals()
    items = [
        html.Li(
            [
                html.Strong(published_total_text(row)),
                published_date_text(row),
                html.A(
                    row["source_title"],
                    href=row["source_url"],
                    target="_blank",
                    rel="noopener noreferrer",
                ),
            ],
            className="mb-2",
        )
        for _, row in figures.iterrows()
    ]
    return html.Section(
        [
            html.H2("Context: INTERPOL's published totals", className="h5"),
            html.P(
                [
                    "Real figures published by INTERPOL (or quoting it) for the whole ICSE database, "
                    "all countries, not only Alliance participants. They are not the data above. ",
                    published_figures_summary(figures),
                    " Links open the public source (outside this network).",
                ],
                className="small",
            ),
            html.Ul(items, className="small"),
        ],
        className="border rounded p-3",
        id="overview-published",
    )


@callback(
    Output("overview-headlines", "children"),
    Output("overview-headline-summary", "children"),
    Output("overview-who-met", "children"),
    Output("overview-who-met", "href"),
    Output("overview-trend-graph", "figure"),
    Output("overview-trend-graph", "config"),
    Output("overview-trend-summary", "children"),
    Output("overview-query", "data"),
    inputs={"basis": Input("overview-basis", "value")},
)
@_data.same_for_everyone
def update_overview(basis: str | None) -> tuple[Any, ...]:
    view = _data.overview({"basis": basis})
    query = view.query.query()
    if view.year is None or view.trend_chart is None:
        message = view.message
        return [], message, "", view.who_met_href, empty_figure(message), no_update, message, query
    cards = [
        kpi_card(text.title, text.value, text.detail, card_id, warning=text.warning)
        for card_id, text in view.cards.items()
    ]
    return (
        [dbc.Col(card, md=6, lg=3) for card in cards],
        view.sentence,
        view.who_met,
        view.who_met_href,
        described(alliance_trend_figure(view.trend, view.query.basis), view.trend_chart),
        image_config(view.trend_chart),
        view.trend_summary,
        query,
    )


@callback(
    Output("overview-download", "data"),
    inputs={"clicks": Input("overview-trend-csv", "n_clicks")},
    state={"basis": State("overview-basis", "value")},
    prevent_initial_call=True,
)
def download_overview_trend(clicks: int | None, basis: str | None) -> dict[str, Any]:
    """The trend chart's data: totals and Alliance growth per year."""
    return overview_download("overview-trend-csv", basis=basis)


def overview_download(trigger: str, *, basis: Any) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the trend chart's data."""
    return _data.send(_data.overview({"basis": basis}).exports, trigger)
