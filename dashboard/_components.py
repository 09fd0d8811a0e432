"""Shared page pieces: the site frame (navbar, demo banner, footer) and small display helpers."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import _data
from models.demo import DEMO_LABEL


def navbar() -> dbc.Navbar:
    """The top navigation, built from the registered pages in their declared order."""
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in sorted(dash.page_registry.values(), key=lambda p: p.get("order", 99))
        if page.get("nav", True)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("VID Monitor", href="/"),
                dbc.Nav(links, navbar=True, className="me-auto"),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="md",
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
    status = _data.status()
    return html.Div(
        [
            html.A("Skip to main content", href="#main-content", className="visually-hidden-focusable"),
            html.Header(navbar()),
            demo_banner() if status.demo else None,
            html.Main(dbc.Container(dash.page_container, fluid="lg", className="py-4"), id="main-content"),
            html.Footer(
                dbc.Container(
                    f"Data version {status.version} · {status.participants} participants registered",
                    fluid="lg",
                    className="py-3 small text-body-secondary",
                ),
                className="border-top",
            ),
        ]
    )
