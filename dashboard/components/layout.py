"""Shared page pieces: the site frame (navbar, demo banner, footer), controls, chart frames and cards.

Controls are native HTML where it matters for keyboard and screen-reader users: radio buttons,
check boxes, <select> and <input type="range">, each with a visible label.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import SQLAlchemyError

from dashboard import _data
from dashboard.components.figures import STATUS_COLOURS, loading_figure
from dashboard.server.access import EVERYONE, role_of
from dashboard.server.auth import signed_in
from models.counting import Counting
from models.demo import DEMO_LABEL
from models.faults import database_fault
from models.reports.counting import submitted_toggle_help, submitted_toggle_text
from models.reports.summaries.words import (
    BASIS_LABELS,
    BASIS_SHORT,
    STATUS_LABELS,
    STATUS_PROGRESS_NOTE,
    plural,
)
from models.text import safe_file_name
from models.views.common import Chart

# lang and dir on <html> (axe: html-has-lang); a later translation sets them per language. The
# scripts are not wrapped in <footer> (Dash's default), so the page has one footer landmark.
# Writes the page state into the address bar without a new history entry or a page reload, so the
# address can be copied at any moment and Back still leaves the page.
_URL_SYNC_JS = """
function(search) {
    if (typeof search === "string" && window.location.search !== search) {
        window.history.replaceState(window.history.state, "", window.location.pathname + search);
    }
}
"""


def _page_order(page: dict[str, Any]) -> int:
    order = page.get("order")
    return 99 if order is None else int(order)


log = logging.getLogger("vidmonitor")


def navbar() -> dbc.Navbar:
    """The top navigation from the registered pages in their order; restricted pages only for their roles."""
    role = role_of(signed_in())
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="partial"))
        if page["path"] != "/"
        else dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in sorted(dash.page_registry.values(), key=_page_order)
        if page.get("nav", True) and role in page.get("roles", EVERYONE)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("VID Monitor", href="/"),
                html.Button(  # dbc.NavbarToggler, with the aria attributes it does not take
                    html.Span(className="navbar-toggler-icon"),
                    id="site-menu-toggler",
                    n_clicks=0,
                    type="button",
                    className="navbar-toggler",
                    **aria(controls="site-menu", label="Menu", expanded="false"),
                ),
                dbc.Collapse(
                    [dbc.Nav(links, navbar=True, className="me-auto"), account_menu()],
                    id="site-menu",
                    is_open=False,
                    navbar=True,
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="lg",
    )


# The phone's menu: the toggler opens and closes the collapsed links (and says which, for screen readers).
dash.clientside_callback(
    """function(clicks, open) {
        const now = clicks ? !open : false;
        const toggler = document.getElementById("site-menu-toggler");
        if (toggler) toggler.setAttribute("aria-expanded", String(now));
        return now;
    }""",
    Output("site-menu", "is_open"),
    Input("site-menu-toggler", "n_clicks"),
    State("site-menu", "is_open"),
)


def account_menu() -> html.Div | html.Form:
    """Who is signed in, with a sign-out button (a CSRF-protected POST), or a sign-in link."""
    who = signed_in()
    if who is None:
        return html.Div(html.A("Sign in", href="/login", className="btn btn-outline-light btn-sm"))
    scope = f" · {who.participant_code}" if who.participant_code else ""
    return html.Form(
        [
            html.Span(f"{who.display_name} ({who.role}{scope})", className="navbar-text me-2 small"),
            dcc.Input(type="hidden", name="csrf_token", value=generate_csrf(), id="account-csrf"),
            html.Button("Sign out", type="submit", className="btn btn-outline-light btn-sm"),
        ],
        method="post",
        action="/logout",
        className="d-flex align-items-center",
    )


def demo_banner() -> dbc.Alert:
    """The warning shown on every page while the database holds demonstration data."""
    return dbc.Alert(
        [
            html.Strong(DEMO_LABEL + ". "),
            "Every count on these pages is synthetic, generated to show how the product works. "
            "Real figures appear only once the demonstration data is removed and real reports are loaded.",
        ],
        color="warning",
        className="mb-0 rounded-0 border-0 border-bottom",
        id="demo-banner",
    )


def site_layout() -> html.Div:
    """The frame around every page; called per page load, so the banner follows the data."""
    try:
        status = _data.status()
    except SQLAlchemyError as error:
        fault = database_fault(error)
        if fault is None:
            log.exception("cannot read the database")
        else:
            log.warning("the site frame cannot read the database: %s", fault.one_line())
        if fault is None or fault.kind == "not_ready":
            heading = "The database is not ready"
            advice = "Run python -m models init-db (with the same DATABASE_URL), then reload this page."
        else:
            heading, advice = "Try again shortly", fault.user_message
        return html.Div(
            html.Main(
                dbc.Alert(
                    [html.H1(heading, className="h4"), advice], color="danger", id="service-unavailable"
                ),
                className="container py-5",
            )
        )
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="visually-hidden-focusable"),
            html.Header(navbar()),
            demo_banner() if status.demo else None,
            html.Main(dbc.Container(dash.page_container, fluid="lg", className="py-4"), id="main-content"),
            html.Footer(
                dbc.Container(
                    [
                        f"Data version {status.version} · "
                        f"{plural(status.participants, 'participant')} registered · ",
                        html.A("File format for reports", href="/file-format"),
                    ],
                    fluid="lg",
                    className="py-3 small text-body-secondary",
                ),
                className="border-top",
            ),
        ]
    )


def register_url_sync(store_id: str) -> None:
    """Keep the address bar's query equal to the `data` (a "?..." string) of a page's store."""
    dash.clientside_callback(_URL_SYNC_JS, Input(store_id, "data"))


def image_config(chart: Chart) -> dcc.Graph.Config:
    """Chart settings with the PNG named for what its view says it shows (vid-map-status-2025-cumulative)."""
    demo = "demo" if chart.demo else ""
    name = safe_file_name("vid", chart.stem.lower(), demo, extension="png").removesuffix(".png")
    return graph_config(name.removeprefix("vid-"))


def graph_config(filename: str) -> dcc.Graph.Config:
    """Plotly settings: maps from the bundled geometry, PNG download named after the chart, and never
    a button that sends a chart away (plotly.js 4 shows "Share chart..." to Plotly Cloud by default)."""
    return {
        "topojsonURL": dash.get_asset_url("topojson/"),
        "displaylogo": False,
        "displayModeBar": "hover",  # over the chart only while the pointer is (never over its legend: below)
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "plotlyServerURL": "",
        "modeBarButtonsToRemove": [
            "select2d",
            "lasso2d",
            "autoScale2d",
            "sendChartToCloud",
            "sendDataToCloud",
        ],
        "toImageButtonOptions": {"format": "png", "filename": f"vid-{filename}", "scale": 2},
    }


def chart(prefix: str, name: str, title: str, key: Any = None) -> html.Figure:
    """A chart with its heading, its summary in words (the caption) and a CSV of exactly what it plots;
    `key`: a colour key shown under the heading, for a chart whose figure has none of its own.

    Ids: {prefix}-{name}-graph, -summary, -heading and -csv; the page's callbacks fill them.
    """
    return html.Figure(
        [
            html.H2(title, id=f"{prefix}-{name}-heading", className="h5 mb-1"),
            key,
            # Says "Loading…" until the page's callback draws the chart (never empty axes).
            dcc.Graph(
                id=f"{prefix}-{name}-graph",
                figure=loading_figure(),
                config=graph_config(f"{prefix}-{name}"),
                className=f"vid-graph vid-graph-{prefix}-{name}",
            ),
            html.Figcaption(id=f"{prefix}-{name}-summary", className="mt-2", **aria(live="polite")),
            dbc.Button(
                "Download the data of this chart (CSV)",
                id=f"{prefix}-{name}-csv",
                color="secondary",
                outline=True,
                size="sm",
            ),
        ],
        className="mb-5",
    )


def page_header(title: str, lead: str) -> html.Div:
    return html.Div([html.H1(title, className="h2"), html.P(lead, className="lead")], className="mb-3")


def basis_control(control_id: str, value: str) -> html.Fieldset:
    """The basis toggle: cumulative (the stock) or annual (the flow)."""
    return html.Fieldset(
        [
            html.Legend("Basis", className="form-label fs-6 fw-semibold mb-1"),
            dbc.RadioItems(
                id=control_id,
                value=value,
                inline=True,
                options=[
                    {"label": f"{BASIS_LABELS[b]} ({BASIS_SHORT[b]})", "value": b}
                    for b in ("cumulative", "annual")
                ],
            ),
        ],
        className="mb-3",
    )


def choice_control(
    control_id: str, legend: str, options: Sequence[tuple[str, str]], value: str
) -> html.Fieldset:
    """A small set of radio buttons (value, label) under a legend."""
    return html.Fieldset(
        [
            html.Legend(legend, className="form-label fs-6 fw-semibold mb-1"),
            dbc.RadioItems(
                id=control_id,
                value=value,
                inline=True,
                options=[{"label": label, "value": v} for v, label in options],
            ),
        ],
        className="mb-3",
    )


def select_control(
    control_id: str, label: str, options: Sequence[tuple[str, str]], value: str, after: Any = None
) -> html.Div:
    """A labelled native <select> of (value, label) options; `after`: something right under it."""
    return html.Div(
        [
            dbc.Label(label, html_for=control_id, className="fw-semibold mb-1"),
            dbc.Select(id=control_id, value=value, options=[{"label": t, "value": v} for v, t in options]),
            after,
        ],
        className="mb-3",
    )


def year_slider(control_id: str, years: Sequence[int], value: int) -> html.Div:
    """A native range input over the years with data, its ticks, and the chosen year beside the label."""
    return html.Div(
        [
            dbc.Label(
                ["Year: ", html.Strong(str(value), id=f"{control_id}-value")],
                html_for=control_id,
                className="fw-semibold mb-0",
            ),
            dcc.Input(
                id=control_id,
                type="range",
                min=years[0],
                max=years[-1],
                step=1,
                value=value,
                debounce=False,  # a delay makes dcc.Input select text a range input has not got
                list=f"{control_id}-ticks",
                className="form-range",  # Bootstrap's: the theme's blue, like every other control
            ),
            html.Datalist([html.Option(value=str(y)) for y in years], id=f"{control_id}-ticks"),
            html.Div(
                [
                    html.Span(str(y), style={"insetInlineStart": f"{_position(y, years)}%"})
                    for y in tick_years(years)
                ],
                className="vid-year-ticks small text-body-secondary",
                **aria(hidden="true"),
            ),
        ],
        className="mb-3",
    )


def tick_years(years: Sequence[int]) -> list[int]:
    """The years labelled under the slider: every one up to 8, else every other one from the first,
    and always the first and the last (a label too close to the last is left out)."""
    if len(years) <= 8:
        return list(years)
    shown = [y for y in years if (y - years[0]) % 2 == 0 and years[-1] - y >= 2]
    return [*shown, years[-1]]


def status_progress_note(note_id: str) -> html.P:
    """What status and progress each mean, where a page shows the two side by side."""
    return html.P(STATUS_PROGRESS_NOTE, id=note_id, className="small text-body-secondary mb-2")


def _position(year: int, years: Sequence[int]) -> float:
    """Where a year sits along the slider, in percent of its width."""
    span = years[-1] - years[0]
    return 0.0 if span == 0 else round(100 * (year - years[0]) / span, 2)


def status_filter(control_id: str, value: Sequence[str]) -> html.Fieldset:
    """Check boxes for the four statuses, each with its symbol."""
    return html.Fieldset(
        [
            html.Legend("Show statuses", className="form-label fs-6 fw-semibold mb-1"),
            dbc.Checklist(
                id=control_id,
                value=list(value),
                inline=True,
                options=[{"label": label, "value": status} for status, label in STATUS_LABELS.items()],
            ),
        ],
        className="mb-3",
    )


def legend(labels: dict[str, str], colours: dict[str, str]) -> html.Ul:
    """A colour key in text: a swatch (decorative) and the symbol and words of each status."""
    return html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        className="d-inline-block me-1 border border-dark align-middle",
                        style={"width": "1rem", "height": "1rem", "backgroundColor": colours[key]},
                        **aria(hidden="true"),
                    ),
                    label,
                ],
                className="list-inline-item me-3",
            )
            for key, label in labels.items()
        ],
        className="list-inline small mb-2",
        **aria(label="Colour key"),
    )


def status_legend() -> html.Ul:
    return legend(STATUS_LABELS, STATUS_COLOURS)


def kpi_card(label: str, value: str, detail: str, card_id: str, warning: bool = False) -> dbc.Card:
    """A headline figure: what it is, the number, and what it is out of. `warning`: the figure rests
    on too little data to stand on (its detail says why, in bold, and the card is outlined)."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(label, className="fs-6 text-body-secondary mb-1"),
                html.P(value, className="fs-3 fw-semibold mb-1"),
                html.P(detail, className="small mb-0" + (" fw-bold" if warning else "")),
            ]
        ),
        id=card_id,
        className="h-100" + (" border-warning border-3" if warning else ""),
    )


def download_buttons(prefix: str, what: str) -> html.Div:
    """CSV and XLSX buttons for a table: ids {prefix}-csv and {prefix}-xlsx."""
    return html.Div(
        [
            dbc.Button(
                f"Download {what} (CSV)", id=f"{prefix}-csv", color="primary", size="sm", className="me-2"
            ),
            dbc.Button(f"Download {what} (XLSX)", id=f"{prefix}-xlsx", color="primary", size="sm"),
        ],
        className="my-2",
    )


def submitted_control(control_id: str, scope: Counting, on: bool) -> html.Div:
    """The switch that adds figures awaiting review, for an account that may count them (`scope`, from
    its database record); for anyone else it is there (the page's callbacks read it) but hidden and off.
    What it may show is decided again on the server at every request, whatever the switch says."""
    if not scope.include_submitted:
        return html.Div(dbc.Switch(id=control_id, value=False), hidden=True)
    return html.Div(
        [
            dbc.Switch(id=control_id, value=on, label=submitted_toggle_text(scope), className="fw-semibold"),
            html.P(submitted_toggle_help(scope), className="small text-body-secondary mb-0"),
        ],
        className="mb-3 p-2 border rounded",
    )


def figures_note(text: str) -> dbc.Alert | None:
    """The banner of a view counting figures awaiting review (None, nothing shown, for accepted ones)."""
    if not text:
        return None
    return dbc.Alert([html.Strong("Not the public figures. "), text], color="warning", className="mb-3")


def not_found(title: str, message: str, link_text: str, href: str) -> html.Div:
    return html.Div(
        [
            html.H1(title, className="h2"),
            dbc.Alert(message, color="info", id="not-found-message"),
            dcc.Link(link_text, href=href),
        ]
    )


def aria(**attributes: str) -> dict[str, Any]:
    """ARIA attributes for a Dash html component: `**aria(labelledby="x")` gives aria-labelledby="x"
    (Dash takes them as keyword arguments whose names Python cannot spell)."""
    return {f"aria-{name}": value for name, value in attributes.items()}
