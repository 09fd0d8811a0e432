"""Accounts page (/users): the secretariat adds and deactivates liaison accounts; admins any account."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard._access import SECRETARIAT, require_roles, restricted_layout, role_of
from dashboard._auth import signed_in
from dashboard._tables import staff_columns
from models.db import read_session, write_transaction
from models.queries import participants_frame
from models.tabular import json_records
from models.users import UserError, create_user, deactivate_user, users_frame

PATH = "/users"
NO_PARTICIPANT = "none"
dash.register_page(
    __name__, path=PATH, name="Accounts", title="Accounts · VID Monitor", order=90, roles=SECRETARIAT
)

ROLE_OPTIONS = [
    {"label": "Liaison (one participant)", "value": "liaison"},
    {"label": "Secretariat", "value": "secretariat"},
    {"label": "Admin", "value": "admin"},
]


def creatable_roles(role: str) -> set[str]:
    """The secretariat creates and deactivates liaison accounts; an admin, every kind."""
    return {"liaison", "secretariat", "admin"} if role == "admin" else {"liaison"}


@restricted_layout(SECRETARIAT, PATH)
def layout(**_query: str) -> html.Div:
    with read_session(_data.engine()) as session:
        participants = participants_frame(session)
    allowed = creatable_roles(role_of(signed_in()))
    rows = _rows()
    return html.Div(
        [
            html.H1("Accounts"),
            html.P(
                "Liaisons upload their own participant's counts; the secretariat oversees every "
                "participant. Passwords need at least 12 characters; give the initial one to its "
                "owner by a separate channel."
            ),
            dbc.Row(
                [
                    dbc.Col(_add_form(participants, allowed), lg=5),
                    dbc.Col(
                        [
                            html.H2("Existing accounts", className="h4"),
                            dag.AgGrid(
                                id="users-grid",
                                rowData=rows,
                                columnDefs=staff_columns(rows, USER_COLUMNS),
                                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                                dashGridOptions={
                                    "rowSelection": {"mode": "singleRow"},
                                    "domLayout": "autoHeight",
                                },
                                className="ag-theme-alpine",
                            ),
                            dbc.Button(
                                "Deactivate selected account",
                                id="users-deactivate",
                                color="danger",
                                outline=True,
                                className="mt-2",
                            ),
                            dcc.ConfirmDialog(
                                id="users-deactivate-confirm",
                                message="Deactivate this account? Its sessions end at once; "
                                "the record is kept.",
                            ),
                            html.Div(id="users-deactivate-result", className="mt-2", role="status"),
                        ],
                        lg=7,
                    ),
                ],
                className="g-4",
            ),
        ]
    )


def _add_form(participants: pd.DataFrame, allowed: set[str]) -> html.Div:
    options = [option for option in ROLE_OPTIONS if option["value"] in allowed]
    participant_options = [
        {"label": f"{row.code} — {row.name}", "value": row.code}
        for row in participants.itertuples(index=False)
    ]
    return html.Div(
        [
            html.H2("Add an account", className="h4"),
            dbc.Label("Email", html_for="users-email"),
            dbc.Input(id="users-email", type="email", autoComplete="off"),
            dbc.Label("Name", html_for="users-name", className="mt-2"),
            dbc.Input(id="users-name", type="text"),
            dbc.Label("Role", html_for="users-role", className="mt-2"),
            dbc.Select(id="users-role", options=options, value="liaison"),
            dbc.Label("Participant (liaisons only)", html_for="users-participant", className="mt-2"),
            dbc.Select(
                id="users-participant",
                options=[
                    {"label": "— none (secretariat, admin) —", "value": NO_PARTICIPANT},
                    *participant_options,
                ],
                value=NO_PARTICIPANT,
            ),
            dbc.Label("Initial password", html_for="users-password", className="mt-2"),
            dbc.Input(id="users-password", type="password", autoComplete="new-password"),
            dbc.Button("Add account", id="users-add", color="primary", className="mt-3"),
            html.Div(id="users-add-result", className="mt-2", role="status"),
        ]
    )


USER_COLUMNS = [
    ("email", "Email"),
    ("display_name", "Name"),
    ("role", "Role"),
    ("participant", "Participant"),
    ("active", "Active"),
    ("created_at", "Created (UTC)"),
]


def _rows() -> list[dict[str, object]]:
    with read_session(_data.engine()) as session:
        return json_records(users_frame(session))


@callback(
    Output("users-add-result", "children"),
    Output("users-grid", "rowData"),
    Output("users-password", "value"),
    Input("users-add", "n_clicks"),
    State("users-email", "value"),
    State("users-name", "value"),
    State("users-role", "value"),
    State("users-participant", "value"),
    State("users-password", "value"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def add_account(
    _clicks: int | None,
    email: str | None,
    name: str | None,
    role: str | None,
    participant: str | None,
    password: str | None,
) -> tuple[dbc.Alert, list[dict[str, object]], str]:
    who = signed_in()
    assert who is not None  # require_roles let only signed-in staff through
    if role not in creatable_roles(who.role):
        return dbc.Alert(f"Your role may not create {role} accounts.", color="danger"), _rows(), ""
    try:
        with write_transaction(_data.engine()) as session:
            user = create_user(
                session,
                email or "",
                name or "",
                role,
                participant if role == "liaison" and participant != NO_PARTICIPANT else None,
                password or "",
                actor=who.email,
            )
            message = f"Created the {user.role} account {user.email}."
    except UserError as exc:
        return dbc.Alert(f"Not created: {exc}.", color="danger"), _rows(), ""
    return dbc.Alert(message, color="success"), _rows(), ""


@callback(
    Output("users-deactivate-confirm", "displayed"),
    Input("users-deactivate", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def ask_to_deactivate(_clicks: int | None, selected: list[dict[str, object]] | None) -> bool:
    if not selected:
        raise PreventUpdate
    return True


@callback(
    Output("users-deactivate-result", "children"),
    Output("users-grid", "rowData", allow_duplicate=True),
    Input("users-deactivate-confirm", "submit_n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def deactivate_account(
    _submitted: int | None, selected: list[dict[str, object]] | None
) -> tuple[dbc.Alert, list[dict[str, object]]]:
    who = signed_in()
    assert who is not None
    if not selected:
        raise PreventUpdate
    target = selected[0]
    if str(target.get("role")) not in creatable_roles(who.role):
        return dbc.Alert(
            f"Your role may not deactivate {target.get('role')} accounts.", color="danger"
        ), _rows()
    if str(target.get("email")) == who.email:
        return dbc.Alert("You cannot deactivate your own account.", color="danger"), _rows()
    try:
        with write_transaction(_data.engine()) as session:
            deactivate_user(session, str(target.get("email")), actor=who.email)
    except UserError as exc:
        return dbc.Alert(f"Not deactivated: {exc}.", color="danger"), _rows()
    return dbc.Alert(f"Deactivated {target.get('email')}.", color="success"), _rows()
