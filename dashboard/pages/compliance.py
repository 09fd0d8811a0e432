"""Compliance page (/compliance): who met the 10% goal, participant × year, as a grid and as a table.

URL: ?basis=cumulative|annual&from=YYYY&to=YYYY&cycle=NAME&status=met,not_met,no_baseline,missing
&participants=FRA,DEU,ALL (none: all). A cycle, when given, sets the years to the ones it covers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import _data
from dashboard._query import first, parse_basis, parse_list, parse_range, query_string
from dashboard.components import tables
from dashboard.components.figures import described, status_grid_figure
from dashboard.components.layout import (
    basis_control,
    chart,
    download_buttons,
    image_config,
    page_header,
    register_url_sync,
    select_control,
    status_filter,
    status_legend,
    status_progress_note,
)
from models.metrics.compliance import ALL, STATUSES
from models.metrics.headlines import years_with_data
from models.metrics.series import participant_names, status_grid
from models.reports import exports
from models.reports.sheets import compliance_sheet, wide_grid
from models.reports.summaries import GOAL_TEXT, chart_subtitle, grid_summary

dash.register_page(__name__, path="/compliance", name="Compliance", title="Compliance · VID Monitor", order=3)

register_url_sync("compliance-query")

ANY_CYCLE = "any"


def _years() -> list[int]:
    return sorted(
        set(years_with_data(_data.compliance("cumulative")))
        | set(years_with_data(_data.compliance("annual")))
    )


NO_STATUS = "none"


def _year_choices() -> list[int]:
    """The years the selects offer: every year with data, and every past year a reporting cycle covers
    (a cycle nobody reported for still shows its participants as missing)."""
    this_year = dt.datetime.now(dt.UTC).year
    covered = {year for a, b in _cycles().values() for year in range(a, min(b, this_year) + 1)}
    return sorted(set(_years()) | covered)


def _cycles() -> dict[str, tuple[int, int]]:
    """Reporting cycle name → (first year, last year), in deadline order."""
    summary = _data.reporting().summary
    return {str(r["cycle"]): (int(r["first_year"]), int(r["last_year"])) for _, r in summary.iterrows()}


class Selection(NamedTuple):
    """The page's checked state: what the controls (or the URL) ask for, bad values replaced.

    (A NamedTuple, not a dataclass: Dash imports page modules without registering them in
    sys.modules, which dataclasses need.)
    """

    basis: str
    start: int
    end: int
    cycle: str
    statuses: list[str]
    codes: list[str] | None  # None: every participant and the Alliance

    def query(self) -> str:
        """The address query; an empty status or participant choice is left out (it means all)."""
        return query_string(
            {
                "basis": self.basis,
                "from": self.start,
                "to": self.end,
                "cycle": None if self.cycle == ANY_CYCLE else self.cycle,
                "status": self.statuses or NO_STATUS,  # "none" (all unticked) must survive a reload
                "participants": self.codes,
            }
        )


def _participant_options() -> list[tuple[str, str]]:
    """(code, name) of every participant by name, then the Alliance."""
    names = participant_names(_data.participants())
    alliance = names.pop(ALL)
    return [*sorted(names.items(), key=lambda item: item[1]), (ALL, alliance)]


def _state(
    basis_value: Any, first_value: Any, last_value: Any, cycle_value: Any, statuses: Any, codes: Any = None
) -> Selection:
    """Checked control values: basis, years (a chosen cycle's), cycle, statuses, participants."""
    years = _years() or [0]
    cycles = _cycles()
    cycle = first(cycle_value) or ANY_CYCLE
    if cycle in cycles:
        start, end = cycles[cycle]
    else:
        cycle = ANY_CYCLE
        start, end = parse_range(first_value, last_value, _year_choices()) or (years[0], years[-1])
    chosen = parse_list(codes, [code for code, _ in _participant_options()])
    return Selection(
        parse_basis(basis_value), start, end, cycle, parse_list(statuses, STATUSES) or [], chosen
    )


def _int(value: Any) -> int:
    text = first(None if value is None else str(value))
    return int(text) if text and text.isdigit() else 0


def layout(**query: Any) -> html.Div:
    years = _years()
    header = page_header(
        "Compliance",
        f"Who met the {GOAL_TEXT} goal, year by year. Choose the basis, the years (or a reporting cycle), "
        "the statuses and, if you like, some participants; the table below has the numbers behind each cell.",
    )
    if not years:
        return html.Div([header, dbc.Alert("No values have been reported yet.", color="info")])
    chosen = _state(
        query.get("basis"),
        query.get("from"),
        query.get("to"),
        query.get("cycle"),
        query.get("status"),
        query.get("participants"),
    )
    # No status in the address: all of them; "status=none": the view someone left with none ticked.
    none_ticked = str(first(query.get("status")) or "").lower() == NO_STATUS
    statuses = [] if none_ticked else (chosen.statuses or list(STATUSES))
    year_options = [(str(y), str(y)) for y in _year_choices()]
    cycle_options = [
        (ANY_CYCLE, "Any years"),
        *((name, f"{name} ({a}–{b})") for name, (a, b) in _cycles().items()),
    ]
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
                            "compliance-cycle", "Or a reporting cycle", cycle_options, chosen.cycle
                        ),
                        sm=4,
                        lg=3,
                    ),
                    dbc.Col(status_filter("compliance-status", statuses), lg=5),
                ],
                className="g-3",
            ),
            _participant_filter(chosen.codes),
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
                    tables.table("compliance-table", None, tables.compliance_columns()),
                    download_buttons("compliance-table", "this table"),
                ],
                **{"aria-labelledby": "compliance-table-heading"},
            ),
            dcc.Store(id="compliance-query"),
            dcc.Download(id="compliance-download"),
        ]
    )


def _one_year_button() -> dbc.Button:
    """One click from a range to the From year alone (the To year follows)."""
    return dbc.Button(
        "Show only this year", id="compliance-one-year", color="link", size="sm", className="p-0 mt-1"
    )


def _participant_filter(codes: list[str] | None) -> html.Details:
    """Check boxes for the participants, folded away: none ticked means every participant."""
    return html.Details(
        [
            html.Summary(id="compliance-participants-summary", children=_participants_label(codes)),
            dbc.Checklist(
                id="compliance-participants",
                value=list(codes or []),
                options=[{"label": name, "value": code} for code, name in _participant_options()],
                inline=True,
                className="mt-2",
            ),
        ],
        className="mb-3",
    )


def _participants_label(codes: list[str] | None) -> str:
    if not codes:
        return "Participants: all (open to choose some)"
    return f"Participants: {len(codes)} chosen"


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
    cycles = _cycles()
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


@callback(
    Output("compliance-grid-heading", "children"),
    Output("compliance-grid-graph", "figure"),
    Output("compliance-grid-graph", "config"),
    Output("compliance-grid-summary", "children"),
    Output("compliance-table", "rowData"),
    Output("compliance-participants-summary", "children"),
    Output("compliance-query", "data"),
    Input("compliance-basis", "value"),
    Input("compliance-from", "value"),
    Input("compliance-to", "value"),
    Input("compliance-cycle", "value"),
    Input("compliance-status", "value"),
    Input("compliance-participants", "value"),
)
@_data.same_for_everyone
def update_compliance_grid(*controls: Any) -> tuple[Any, ...]:
    chosen = _state(*controls)
    grid = _grid(chosen)
    years = f"{chosen.start}" if chosen.start == chosen.end else f"{chosen.start}–{chosen.end}"
    source, demo = _data.chart_source()
    stem = f"compliance-grid-{chosen.basis}-{chosen.start}" + (
        "" if chosen.start == chosen.end else f"-{chosen.end}"
    )
    return (
        f"Status per participant and year, {chosen.basis} basis, {years}",
        described(
            status_grid_figure(grid),
            f"Status against the {GOAL_TEXT} goal per participant and year",
            chart_subtitle(chosen.basis, years),
            source,
            demo,
        ),
        image_config(stem, demo),
        grid_summary(grid, chosen.basis, chosen.start, chosen.end, chosen.statuses),
        tables.compliance_rows(grid, chosen.basis),
        _participants_label(chosen.codes),
        chosen.query(),
    )


def _table(chosen: Selection) -> Any:
    """The compliance table covering the chosen years: the default range (every year with data in
    the basis), stretched to years before or after it when a cycle or the selects ask for them."""
    table = _data.compliance(chosen.basis)
    years = years_with_data(table)
    if years and years[0] <= chosen.start and chosen.end <= years[-1]:
        return table
    first_year, last_year = min([chosen.start, *years[:1]]), max([chosen.end, *years[-1:]])
    return _data.compliance(chosen.basis, first_year, last_year)


def _grid(chosen: Selection) -> Any:
    return status_grid(
        _table(chosen),
        _data.participants(),
        chosen.start,
        chosen.end,
        chosen.statuses,
        chosen.codes,
    )


@callback(
    Output("compliance-download", "data"),
    Input("compliance-grid-csv", "n_clicks"),
    Input("compliance-table-csv", "n_clicks"),
    Input("compliance-table-xlsx", "n_clicks"),
    State("compliance-basis", "value"),
    State("compliance-from", "value"),
    State("compliance-to", "value"),
    State("compliance-cycle", "value"),
    State("compliance-status", "value"),
    State("compliance-participants", "value"),
    prevent_initial_call=True,
)
def download_compliance_table(*args: Any) -> dict[str, Any]:
    return compliance_download(str(ctx.triggered_id), *args[-6:])


def compliance_download(trigger: str, *controls: Any) -> dict[str, Any]:
    """The file for a download button (`trigger` is its id): the rows shown, as CSV or XLSX."""
    chosen = _state(*controls)
    grid = _grid(chosen)
    selection = {"years": f"{chosen.start}–{chosen.end}", "statuses": ", ".join(chosen.statuses) or "none"}
    if chosen.cycle != ANY_CYCLE:
        selection["reporting cycle"] = chosen.cycle
    if chosen.codes:
        selection["participants shown"] = ", ".join(chosen.codes)
    basis = chosen.basis
    info = _data.export_info(f"Compliance with the {GOAL_TEXT} goal, {basis} basis", basis, selection)
    years = f"{chosen.start}" if chosen.start == chosen.end else f"{chosen.start}-{chosen.end}"
    if trigger == "compliance-grid-csv":  # what the grid shows: participants down, years across
        wide = wide_grid(grid, chosen.start, chosen.end)
        return dcc.send_bytes(
            exports.csv_bytes(wide, info), exports.file_name(f"compliance-grid-{basis}-{years}", info, "csv")
        )
    stem = f"compliance-table-{basis}-{years}"
    if trigger == "compliance-table-xlsx":
        sheet = compliance_sheet(grid, basis, chosen.start, chosen.end)
        return dcc.send_bytes(
            exports.xlsx_bytes(grid, info, report=[sheet]), exports.file_name(stem, info, "xlsx")
        )
    return dcc.send_bytes(exports.csv_bytes(grid, info), exports.file_name(stem, info, "csv"))
