"""Reporting page (/reporting): every reporting cycle with its deadline, completeness and timeliness
(numerator and denominator shown), and per participant for a chosen cycle.

URL: ?cycle=NAME (default: the current cycle, the latest whose covered years have all ended).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard._query import parse_choice, query_string
from dashboard.components import tables
from dashboard.components.figures import REPORTING_COLOURS, described, reporting_cycles_figure
from dashboard.components.layout import (
    chart,
    download_buttons,
    image_config,
    legend,
    page_header,
    register_url_sync,
    select_control,
)
from dashboard.server.access import SECRETARIAT, require_roles, role_of
from dashboard.server.auth import signed_in
from models.metrics.series import cycle_names, cycle_table
from models.reports import exports
from models.reports.joint_report.command import render_report
from models.reports.sheets import REPORTING_CODES, reporting_cycles_sheet, reporting_participants_sheet
from models.reports.summaries import (
    REPORTING_LABELS,
    chart_subtitle,
    cycle_sentence,
    date_text,
    reporting_trend_summary,
    years_text,
)
from models.text import safe_file_name

dash.register_page(
    __name__, path="/reporting", name="Reporting", title="Reporting cycles · VID Monitor", order=4
)

register_url_sync("reporting-query")


def _cycle(value: Any) -> str:
    """A known cycle name, else the current cycle (or the latest)."""
    reporting = _data.reporting()
    names = cycle_names(reporting.summary)
    default = reporting.current_cycle or (names[-1] if names else "")
    return parse_choice(value, names, default)


def layout(**query: Any) -> html.Div:
    reporting = _data.reporting()
    header = page_header(
        "Reporting cycles",
        "Who reported every covered year, and who did so by the deadline. Counted on the annual basis "
        "(victims identified during each year); a correction sent later does not make a report late.",
    )
    if reporting.summary.empty:
        return html.Div([header, dbc.Alert("No reporting cycle is defined.", color="info")])
    cycle = _cycle(query.get("cycle"))
    options = [
        (str(r["cycle"]), f"{r['cycle']} (due {date_text(r['deadline'])})")
        for _, r in reporting.summary.iterrows()
    ]
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
                        tables.cycle_rows(reporting.summary),
                        tables.cycle_columns(),
                        filters=False,
                    ),
                    download_buttons("reporting-summary", "the cycles"),
                ],
                **{"aria-labelledby": "reporting-summary-heading"},
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
                    html.P(id="reporting-cycle-summary", **{"aria-live": "polite"}),
                    tables.table("reporting-participants", None, tables.reporting_columns()),
                    download_buttons("reporting-participants", "this cycle"),
                ],
                **{"aria-labelledby": "reporting-cycle-heading"},
            ),
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
        **{"aria-labelledby": "reporting-report-heading"},
    )


@callback(
    Output("reporting-cycles-graph", "figure"),
    Output("reporting-cycles-graph", "config"),
    Output("reporting-cycles-summary", "children"),
    Output("reporting-cycle-summary", "children"),
    Output("reporting-participants", "rowData"),
    Output("reporting-query", "data"),
    Input("reporting-cycle", "value"),
)
@_data.same_for_everyone
def update_reporting(cycle_value: Any) -> tuple[Any, ...]:
    reporting = _data.reporting()
    cycle = _cycle(cycle_value)
    chosen = reporting.summary[reporting.summary["cycle"] == cycle]
    rows = cycle_table(reporting.table, _data.participants(), cycle)
    source, demo = _data.chart_source()
    summary = reporting.summary
    span = (
        years_text(int(summary["first_year"].min()), int(summary["last_year"].max()))
        if len(summary)
        else None
    )
    return (
        described(
            reporting_cycles_figure(summary),
            "Every reporting cycle: expected participants by reporting status",
            chart_subtitle("annual", span),
            source,
            demo,
        ),
        image_config("reporting-cycles", demo),
        reporting_trend_summary(reporting.summary),
        cycle_sentence(chosen.iloc[0]) if len(chosen) else "",
        tables.reporting_rows(rows),
        query_string({"cycle": cycle}),
    )


@callback(
    Output("reporting-download", "data"),
    Input("reporting-cycles-csv", "n_clicks"),
    Input("reporting-summary-csv", "n_clicks"),
    Input("reporting-summary-xlsx", "n_clicks"),
    Input("reporting-participants-csv", "n_clicks"),
    Input("reporting-participants-xlsx", "n_clicks"),
    State("reporting-cycle", "value"),
    prevent_initial_call=True,
)
def download_reporting_data(*args: Any) -> dict[str, Any]:
    return reporting_download(str(ctx.triggered_id), args[-1])


def reporting_download(trigger: str, cycle_value: Any) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the cycles, or one cycle's participants.

    The XLSX files hold a report sheet (participants or cycles down, readable statuses) before the
    long Data sheet; their About sheet defines the reporting statuses the `status` column holds.
    """
    reporting = _data.reporting()
    if trigger.startswith("reporting-participants"):
        cycle = _cycle(cycle_value)
        frame = cycle_table(reporting.table, _data.participants(), cycle)
        info = _data.export_info(f"Reporting status per participant, {cycle}", "annual", {"cycle": cycle})
        stem = f"reporting-{cycle}"
        sheet = reporting_participants_sheet(frame, cycle)
    else:
        frame = reporting.summary
        info = _data.export_info("Reporting completeness and timeliness per cycle", "annual")
        stem = "reporting-cycles-chart" if trigger == "reporting-cycles-csv" else "reporting-cycles-table"
        sheet = reporting_cycles_sheet(frame)
    if trigger.endswith("xlsx"):
        data = exports.xlsx_bytes(frame, info, report=[sheet], codes=REPORTING_CODES)
        return dcc.send_bytes(data, exports.file_name(stem, info, "xlsx"))
    return dcc.send_bytes(exports.csv_bytes(frame, info), exports.file_name(stem, info, "csv"))


@callback(
    Output("reporting-report-download", "data"),
    Input("reporting-report-pdf", "n_clicks"),
    Input("reporting-report-xlsx", "n_clicks"),
    State("reporting-cycle", "value"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)  # decided from the signed-in user's database record, not from the page
def download_joint_report(pdf_clicks: Any, xlsx_clicks: Any, cycle_value: Any) -> dict[str, Any]:
    trigger = ctx.triggered_id
    if trigger not in ("reporting-report-pdf", "reporting-report-xlsx"):
        raise PreventUpdate
    return joint_report_download(str(trigger), cycle_value)


def joint_report_download(trigger: str, cycle_value: Any) -> dict[str, Any]:
    """The chosen cycle's joint report as PDF or XLSX, written by the command line's own function."""
    cycle = _cycle(cycle_value)
    suffix = ".xlsx" if trigger.endswith("xlsx") else ".pdf"
    with tempfile.TemporaryDirectory(prefix="vid-report-") as folder:
        written = render_report(_data.engine(), cycle, Path(folder) / f"report{suffix}")
        content = written.path.read_bytes()
    demo = "demo" if written.report.demonstration else ""
    name = safe_file_name("vid", "joint-report", cycle.lower(), demo, extension=suffix.lstrip("."))
    return dcc.send_bytes(content, name)
