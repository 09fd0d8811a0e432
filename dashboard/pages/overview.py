"""Overview page (/): the latest year's headline figures, the Alliance trend, INTERPOL's published totals.

URL: ?basis=cumulative|annual.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import _data
from dashboard._query import parse_basis, query_string
from dashboard.components.figures import alliance_trend_figure, described, empty_figure
from dashboard.components.layout import (
    basis_control,
    chart,
    image_config,
    kpi_card,
    page_header,
    register_url_sync,
)
from models.metrics.headlines import latest_year, year_headline
from models.metrics.series import alliance_trend
from models.reports import exports
from models.reports.summaries import (
    GOAL_TEXT,
    alliance_growth_label,
    chart_subtitle,
    count_text,
    cycle_sentence,
    date_text,
    headline_sentence,
    published_figures_summary,
    share_text,
    trend_summary,
    years_text,
)

dash.register_page(__name__, path="/", name="Overview", title="Overview · VID Monitor", order=0)

register_url_sync("overview-query")


def layout(**query: Any) -> html.Div:
    basis = parse_basis(query.get("basis"))
    return html.Div(
        [
            page_header(
                "Victim identification in the Global Alliance",
                f"The Alliance's operational goal: increase the number of identified victims in INTERPOL's "
                f"ICSE database by at least {GOAL_TEXT} yearly. Here: how the participants are doing.",
            ),
            basis_control("overview-basis", basis),
            html.Section(
                [
                    html.H2("Latest year", id="overview-headlines-heading", className="visually-hidden"),
                    dbc.Row(id="overview-headlines", className="g-3 mb-3"),
                    html.P(id="overview-headline-summary", className="mb-2", **{"aria-live": "polite"}),
                    html.P(dcc.Link(id="overview-who-met", href="/compliance"), className="mb-4"),
                ],
                **{"aria-labelledby": "overview-headlines-heading"},
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
                html.Strong(
                    f"{'about ' if row['approximate'] else ''}{count_text(row['value'])} identified victims"
                ),
                f" · {date_text(row['date'])} · ",
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
    Input("overview-basis", "value"),
)
@_data.same_for_everyone
def update_overview(basis_value: str | None) -> tuple[Any, ...]:
    basis = parse_basis(basis_value)
    compliance = _data.compliance(basis)
    year = latest_year(compliance)
    query = query_string({"basis": basis})
    if year is None:
        message = f"No values on the {basis} basis yet."
        return [], message, "", "/compliance", empty_figure(message), no_update, message, query
    headline = year_headline(compliance, year)
    trend = alliance_trend(compliance)
    reporting = _data.reporting()
    cards = [
        kpi_card(
            f"Participants reporting for {year}",
            f"{headline.reporting} of {headline.expected}",
            f"with {'an' if basis[0] in 'aeiou' else 'a'} {basis} count for {year}",
            "overview-card-reporting",
        ),
        kpi_card(
            f"Alliance growth {year - 1}–{year}",
            *alliance_growth_label(headline),
            "overview-card-growth",
            warning=headline.alliance_thin,
        ),
        kpi_card(
            f"Met the {GOAL_TEXT} goal in {year}",
            f"{headline.met} of {headline.expected}",
            f"✗ {headline.not_met} not met · ○ {headline.no_baseline} no baseline · "
            f"– {headline.missing} missing",
            "overview-card-met",
        ),
        _cycle_card(reporting.summary, reporting.current_cycle),
    ]
    current = reporting.summary[reporting.summary["cycle"] == reporting.current_cycle]
    sentence = headline_sentence(headline)
    if len(current):
        sentence += " " + cycle_sentence(current.iloc[0])
    who_met = f"See which participants met the goal in {year} →"
    href = "/compliance" + query_string({"basis": basis, "from": year, "to": year, "status": "met"})
    return (
        [dbc.Col(card, md=6, lg=3) for card in cards],
        sentence,
        who_met,
        href,
        described(
            alliance_trend_figure(trend, basis),
            "The Alliance over time",
            chart_subtitle(basis, years_text(int(trend["year"].min()), int(trend["year"].max()))),
            *_data.chart_source(),
        ),
        image_config(f"alliance-trend-{basis}", _data.chart_source()[1]),
        trend_summary(trend, basis),
        query,
    )


def _cycle_card(summary: Any, current: str | None) -> dbc.Card:
    rows = summary[summary["cycle"] == current]
    if rows.empty:
        return kpi_card("Current reporting cycle", "—", "No cycle has closed yet.", "overview-card-cycle")
    row = rows.iloc[0]
    return kpi_card(
        f"Reported completely: {row['cycle']}",
        f"{row['completeness_numerator']} of {row['expected']}",
        f"on time {share_text(int(row['timeliness_numerator']), int(row['expected']))}; "
        f"due {date_text(row['deadline'])}",
        "overview-card-cycle",
    )


@callback(
    Output("overview-download", "data"),
    Input("overview-trend-csv", "n_clicks"),
    State("overview-basis", "value"),
    prevent_initial_call=True,
)
def download_overview_trend(_clicks: int | None, basis_value: str | None) -> dict[str, Any]:
    """The trend chart's data: totals and Alliance growth per year."""
    basis = parse_basis(basis_value)
    trend = alliance_trend(_data.compliance(basis))
    info = _data.export_info(f"Alliance trend, {basis} basis", basis)
    return dcc.send_bytes(
        exports.csv_bytes(trend, info), exports.file_name(f"alliance-trend-{basis}", info, "csv")
    )
