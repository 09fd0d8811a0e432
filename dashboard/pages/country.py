"""Country page (/country/<ISO3>): one participant's series against its 10% path, its growth, every year's
"why", what it takes next year, and the history of every value recorded. /country lists the participants.

URL: /country/<ISO3>?basis=cumulative|annual.
"""

from __future__ import annotations

import re
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard import _data
from dashboard._query import QueryValue, first, parse_basis, query_string
from dashboard.components import tables
from dashboard.components.figures import described, participant_growth_figure, participant_series_figure
from dashboard.components.layout import (
    basis_control,
    chart,
    download_buttons,
    image_config,
    not_found,
    page_header,
    register_url_sync,
    select_control,
    status_legend,
    status_progress_note,
)
from models.metrics.headlines import what_it_takes
from models.metrics.series import participant_history, participant_names, with_names
from models.reference import iso3_country_name
from models.reports import exports
from models.reports.summaries import (
    GOAL_TEXT,
    chart_subtitle,
    date_text,
    growth_summary,
    participant_summary,
    requirement_text,
    revision_summary,
    years_text,
)

_CODE = re.compile(r"^[A-Za-z]{3}$")
# What each chart plots (its CSV has exactly these columns) and what the table shows.
_SERIES_COLUMNS = ["participant", "name", "year", "basis", "value", "status", "baseline_year", "path_value"]
_SERIES_COLUMNS += ["on_path"]
_GROWTH_COLUMNS = ["participant", "name", "year", "basis", "growth", "status", "progress", "previous_year"]
_GROWTH_COLUMNS += ["previous_value", "value", "gap_years"]


def _title(iso3: str | None = None) -> str:
    if iso3 is None:
        return "Participants · VID Monitor"
    name = _known(iso3)
    return f"{name} · VID Monitor" if name else "Participant not found · VID Monitor"


dash.register_page(
    __name__, path="/country", path_template="/country/<iso3>", name="Country", title=_title, order=2
)

register_url_sync("country-query")


def _known(iso3: str | None) -> str | None:
    """The participant's name when `iso3` is a registered participant's code (any case), else None."""
    if iso3 is None or not _CODE.match(iso3):
        return None
    return participant_names(_data.participants()).get(iso3.upper()) if iso3.upper() != "ALL" else None


def layout(iso3: QueryValue = None, **query: Any) -> html.Div:
    iso3 = first(iso3)  # a query may repeat the key (?iso3=FRA&iso3=DEU): Dash passes a list
    if iso3 is None or iso3 == "none":
        return _chooser()
    name = _known(iso3)
    if name is None:
        return _not_registered(str(iso3))
    code = iso3.upper()
    basis = parse_basis(query.get("basis"))
    register = _data.participants().set_index("code").loc[code]
    history = _data.revisions(code)
    options = [(c, n) for c, n in participant_names(_data.participants()).items() if c != "ALL"]
    return html.Div(
        [
            page_header(
                f"{name} ({code})",
                f"Participant since {date_text(register['joined_on'])}.",
            ),
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
                        select_control(
                            "country-select", "Another participant", sorted(options, key=_by_name), code
                        ),
                        lg=4,
                    ),
                ]
            ),
            dbc.Alert(id="country-requirement", color="primary", className="fs-5"),
            status_legend(),
            chart("country", "series", "Counts against the 10% path"),
            chart("country", "growth", "Growth each year against the goal"),
            html.Section(
                [
                    html.H2("Every year, and why", id="country-table-heading", className="h5"),
                    status_progress_note("country-status-progress"),
                    tables.table("country-table", None, tables.compliance_columns(with_name=False)),
                    download_buttons("country-table", "this table"),
                ],
                **{"aria-labelledby": "country-table-heading"},
                className="mb-5",
            ),
            html.Section(
                [
                    html.H2("Revision history", id="country-revisions-heading", className="h5"),
                    html.P(revision_summary(history, name), id="country-revisions-summary"),
                    tables.table(
                        "country-revisions", tables.revision_rows(history), tables.revision_columns()
                    ),
                    dbc.Button(
                        "Download the history (CSV)", id="country-revisions-csv", color="primary", size="sm"
                    ),
                ],
                **{"aria-labelledby": "country-revisions-heading"},
            ),
            dcc.Store(id="country-code", data=code),
            dcc.Store(id="country-query"),
            dcc.Download(id="country-download"),
            dcc.Location(id="country-nav", refresh="callback-nav"),
        ]
    )


def _by_name(option: tuple[str, str]) -> str:
    return option[1]


def _chooser() -> html.Div:
    participants = _data.participants().sort_values("name")
    return html.Div(
        [
            page_header(
                "Participants", "Choose a participant to see its series, its growth and its history."
            ),
            html.Ul(
                [
                    html.Li(dcc.Link(f"{row['name']} ({row['code']})", href=f"/country/{row['code']}"))
                    for _, row in participants.iterrows()
                ],
                style={"columns": "16rem"},
                id="country-list",
            ),
        ]
    )


def _not_registered(iso3: str) -> html.Div:
    shown = iso3[:12]
    name = iso3_country_name(iso3) if _CODE.match(iso3) else None
    message = (
        f"{name} ({iso3.upper()}) is not a registered participant of the Global Alliance."
        if name
        else f"“{shown}” is not the ISO 3166-1 alpha-3 code of a participant."
    )
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
    Output("country-query", "data"),
    Input("country-basis", "value"),
    State("country-code", "data"),
)
@_data.same_for_everyone
def update_country(basis_value: Any, code: str) -> tuple[Any, ...]:
    basis = parse_basis(basis_value)
    name = _known(code) or code
    compliance = _data.compliance(basis)
    history = with_names(participant_history(compliance, code), _data.participants())
    requirement = what_it_takes(compliance, code, _data.target_growth(basis))
    source, demo = _data.chart_source()
    span = years_text(int(history["year"].min()), int(history["year"].max())) if len(history) else None
    subtitle = chart_subtitle(basis, span)
    return (
        requirement_text(requirement, name),
        described(
            participant_series_figure(history, basis),
            f"{name}: counts against the {GOAL_TEXT} path",
            subtitle,
            source,
            demo,
        ),
        image_config(f"country-{code}-series-{basis}", demo),
        participant_summary(history, name, basis),
        described(
            participant_growth_figure(history),
            f"{name}: growth each year against the {GOAL_TEXT} goal",
            subtitle,
            source,
            demo,
        ),
        image_config(f"country-{code}-growth-{basis}", demo),
        growth_summary(history, name),
        tables.compliance_rows(history, basis),
        query_string({"basis": basis}),
    )


@callback(
    Output("country-nav", "href"),
    Input("country-select", "value"),
    State("country-code", "data"),
    State("country-basis", "value"),
    prevent_initial_call=True,
)
def navigate_to_participant(chosen: Any, current: str, basis_value: Any) -> str:
    """The address of the chosen participant's page, on the same basis."""
    code = str(chosen).upper() if _known(str(chosen)) else current
    return f"/country/{code}" + query_string({"basis": parse_basis(basis_value)})


@callback(
    Output("country-download", "data"),
    Input("country-series-csv", "n_clicks"),
    Input("country-growth-csv", "n_clicks"),
    Input("country-table-csv", "n_clicks"),
    Input("country-table-xlsx", "n_clicks"),
    Input("country-revisions-csv", "n_clicks"),
    State("country-basis", "value"),
    State("country-code", "data"),
    prevent_initial_call=True,
)
def download_country_data(*args: Any) -> dict[str, Any]:
    return country_download(str(ctx.triggered_id), args[-2], args[-1])


def country_download(trigger: str, basis_value: Any, code_value: Any) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): a chart's data, the table or the history."""
    basis, code = parse_basis(basis_value), str(code_value)
    history = with_names(participant_history(_data.compliance(basis), code), _data.participants())
    frames = {
        "country-series-csv": ("series", history[_SERIES_COLUMNS]),
        "country-growth-csv": ("growth", history[_GROWTH_COLUMNS]),
        "country-table-csv": ("years", history),
        "country-table-xlsx": ("years", history),
        "country-revisions-csv": ("revisions", _data.revisions(code)),
    }
    what, frame = frames[trigger]
    info = _data.export_info(f"{code}: {what}, {basis} basis", basis, {"participant": code})
    stem = f"{code}-{what}" if what == "revisions" else f"{code}-{what}-{basis}"
    if trigger == "country-table-xlsx":
        return dcc.send_bytes(exports.xlsx_bytes(frame, info), exports.file_name(stem, info, "xlsx"))
    return dcc.send_bytes(exports.csv_bytes(frame, info), exports.file_name(stem, info, "csv"))
