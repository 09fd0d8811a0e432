"""Reporting page (/reporting): every reporting cycle with its deadline, completeness and timeliness
(numerator and denominator shown), and per participant for a chosen cycle.

URL: ?cycle=NAME (default: the current cycle, the latest whose covered years have all ended)
&submitted=yes (the switch the secretariat and liaisons see: a report counts once submitted, for what
the signed-in account may see, decided on the server from its record at every request).
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.dcc.express import send_bytes
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard.components import tables
from dashboard.components.figures import REPORTING_COLOURS, described, reporting_cycles_figure
from dashboard.components.layout import (
    aria,
    chart,
    download_buttons,
    figures_note,
    image_config,
    legend,
    page_header,
    register_url_sync,
    select_control,
    submitted_control,
)
from dashboard.pages._cycle_close import close_section, register_close_callbacks
from dashboard.pages._reminders import reminders_section
from dashboard.server.access import SECRETARIAT, require_roles, role_of
from dashboard.server.auth import signed_in
from models.counting import asks_for_submitted
from models.reports.summaries.words import REPORTING_LABELS
from models.text import safe_file_name

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
            submitted_control(
                "reporting-submitted", _data.submitted_scope(), view.query.counting.include_submitted
            ),
            html.Div(figures_note(view.figures_note), id="reporting-figures-note", **aria(live="polite")),
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
                    tables.table("reporting-participants", None, tables.reporting_columns()),
                    download_buttons("reporting-participants", "this cycle"),
                ],
                **aria(labelledby="reporting-cycle-heading"),
            ),
            close_section("reporting"),  # issue 14: a closed cycle as at close and now
            reminders_section(),  # issue 14: the secretariat's reminders (None for others)
            _joint_report_section(),
            dcc.Store(id="reporting-query"),
            dcc.Download(id="reporting-download"),
            dcc.Download(id="reporting-report-download"),
        ]
    )


def _joint_report_section() -> html.Section:
    """The secretariat's buttons for the joint report of the chosen cycle (others see what it is)."""
    allowed = role_of(signed_in()) in SECRETARIAT
    buttons = html.Div(
        [
            dbc.Button(
                "Download the joint report (PDF)",
                id="reporting-report-pdf",
                color="primary",
                size="sm",
                className="me-2",
                disabled=not allowed,
            ),
            dbc.Button(
                "Download the joint report (XLSX)",
                id="reporting-report-xlsx",
                color="secondary",
                size="sm",
                disabled=not allowed,
            ),
        ],
        className="mb-2",
    )
    note = (
        "The joint report of the cycle chosen above: summary, Alliance trend, status map, compliance grid, "
        "a section per participant, reporting, method and INTERPOL's published totals. Writing the PDF "
        "takes a few seconds."
        if allowed
        else "The secretariat downloads the joint report of a cycle here (sign in with its account)."
    )
    return html.Section(
        [
            html.H2("Joint report", id="reporting-report-heading", className="h5 mt-5"),
            html.P(note, className="small"),
            dcc.Loading(buttons, type="dot"),
        ],
        **aria(labelledby="reporting-report-heading"),
    )


@callback(
    Output("reporting-cycles-graph", "figure"),
    Output("reporting-cycles-graph", "config"),
    Output("reporting-cycles-summary", "children"),
    Output("reporting-cycle-summary", "children"),
    Output("reporting-participants", "rowData"),
    Output("reporting-summary", "rowData"),
    Output("reporting-figures-note", "children"),
    Output("reporting-query", "data"),
    inputs={"cycle": Input("reporting-cycle", "value"), "submitted": Input("reporting-submitted", "value")},
)
def update_reporting(cycle: Any, submitted: Any = None) -> tuple[Any, ...]:
    """The cycles and the chosen cycle. Asking for figures awaiting review makes the answer personal
    (what the signed-in account may count: `_data.submitted_scope`; accepted figures for a viewer
    whatever it sends), never cached for anyone else. Otherwise it is public."""
    if asks_for_submitted(submitted):
        _data.depends_on_who_asks()
        return reporting_outputs({"cycle": cycle, "submitted": submitted})
    return public_reporting(cycle)


@_data.same_for_everyone
def public_reporting(cycle: Any) -> tuple[Any, ...]:
    """The cycles and the chosen cycle from the accepted figures: the same for everyone, cached."""
    return reporting_outputs({"cycle": cycle})


def reporting_outputs(values: dict[str, Any]) -> tuple[Any, ...]:
    """The reporting callback's outputs for the controls' values."""
    view = _data.reporting_page(values)
    return (
        described(reporting_cycles_figure(view.summary), view.cycles_chart),
        image_config(view.cycles_chart),
        view.trend_summary,
        view.cycle_summary,
        tables.reporting_rows(view.rows),
        tables.cycle_rows(view.summary),
        figures_note(view.figures_note),
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
    state={"cycle": State("reporting-cycle", "value"), "submitted": State("reporting-submitted", "value")},
    prevent_initial_call=True,
)
def download_reporting_data(clicks: list[Any], cycle: Any, submitted: Any = None) -> dict[str, Any]:
    return reporting_download(str(ctx.triggered_id), cycle=cycle, submitted=submitted)


def reporting_download(trigger: str, *, cycle: Any, submitted: Any = None) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the cycles, or one cycle's participants,
    labelled when they count figures awaiting review (what the signed-in account may count)."""
    return _data.send(_data.reporting_page({"cycle": cycle, "submitted": submitted}).exports, trigger)


JOINT_REPORT_BUTTONS = ["reporting-report-pdf", "reporting-report-xlsx"]


@callback(
    Output("reporting-report-download", "data"),
    inputs={"clicks": [Input(button, "n_clicks") for button in JOINT_REPORT_BUTTONS]},
    state={"cycle": State("reporting-cycle", "value")},
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)  # decided from the signed-in user's database record, not from the page
def download_joint_report(clicks: list[Any], cycle: Any) -> dict[str, Any]:
    trigger = ctx.triggered_id
    if trigger not in JOINT_REPORT_BUTTONS:
        raise PreventUpdate
    return joint_report_download(str(trigger), cycle=cycle)


def joint_report_download(trigger: str, *, cycle: Any) -> dict[str, Any]:
    """The chosen cycle's joint report as PDF or XLSX, written by the command line's own function."""
    chosen = _data.reporting_page({"cycle": cycle}).query.cycle
    extension = "xlsx" if trigger.endswith("xlsx") else "pdf"
    content, demonstration = _data.joint_report(chosen, extension)
    demo = "demo" if demonstration else ""
    name = safe_file_name("vid", "joint-report", chosen.lower(), demo, extension=extension)
    sent: dict[str, Any] = send_bytes(content, name)
    return sent


register_close_callbacks("reporting")
