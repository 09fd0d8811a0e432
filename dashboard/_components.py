"""Shared page pieces: the site frame (navbar, demo banner, footer) and small display helpers."""

from __future__ import annotations

import logging

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import SQLAlchemyError

from dashboard import _data
from dashboard._access import EVERYONE, role_of
from dashboard._auth import signed_in
from models.demo import DEMO_LABEL

log = logging.getLogger("vidmonitor")


def navbar() -> dbc.Navbar:
    """The top navigation from the registered pages in their order; restricted pages only for their roles."""
    role = role_of(signed_in())
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in sorted(dash.page_registry.values(), key=lambda p: p.get("order", 99))
        if page.get("nav", True) and role in page.get("roles", EVERYONE)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("VID Monitor", href="/"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                account_menu(),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="md",
    )


def account_menu() -> html.Div:
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
    except SQLAlchemyError:
        log.exception("cannot read the database")
        return html.Div(
            html.Main(
                dbc.Alert(
                    [
                        html.H1("The database is not ready", className="h4"),
                        "Run python -m models init-db (with the same DATABASE_URL), then reload this page.",
                    ],
                    color="danger",
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
                    f"Data version {status.version} · {status.participants} participants registered",
                    fluid="lg",
                    className="py-3 small text-body-secondary",
                ),
                className="border-top",
            ),
        ]
    )
