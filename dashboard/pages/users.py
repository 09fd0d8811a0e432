"""Accounts page (/users): the secretariat adds and deactivates liaison accounts; admins any account,
and reactivate accounts or end their sessions. Every rule is decided by `models.users` from the
database's records; a selected row only names which account (by its id)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard.components.tables import staff_columns
from dashboard.server.access import ADMIN, SECRETARIAT, require_roles, restricted_layout, role_of
from dashboard.server.auth import signed_in
from models.accounts.users import (
    Actor,
    UserError,
    create_user,
    deactivate_user,
    end_sessions,
    find_user_by_id,
    reactivate_user,
    users_frame,
)
from models.reports.tabular import json_records

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
TEXT = {
    "intro": "Liaisons upload their own participant's counts; the secretariat oversees every participant. "
    "Passwords need at least 12 characters; give the initial one to its owner by a separate channel.",
    "confirm": "Deactivate this account? Its sessions end at once; the record is kept.",
    "created": "Created the {role} account {email}.",
    "not_created": "Not created: {error}.",
    "deactivated": "Deactivated {email}; its sessions are ended.",
    "not_deactivated": "Not deactivated: {error}.",
    "reactivated": "Reactivated {email}; it may sign in again with its password.",
    "not_reactivated": "Not reactivated: {error}.",
    "ended": "Ended {count} session(s) of {email}; it must sign in again.",
    "not_ended": "Sessions not ended: {error}.",
}
USER_COLUMNS = [
    ("email", "Email"),
    ("display_name", "Name"),
    ("role", "Role"),
    ("participant", "Participant"),
    ("active", "Active"),
    ("sessions", "Signed in (sessions)"),
    ("created_at", "Created (UTC)"),
]


def creatable_roles(role: str) -> set[str]:
    """The roles the form offers (models.users.may_manage decides): the secretariat liaisons, an admin all."""
    return {"liaison", "secretariat", "admin"} if role == "admin" else {"liaison"}


@restricted_layout(SECRETARIAT, PATH)
def layout(**_query: str) -> html.Div:
    participants = _data.participants()
    role = role_of(signed_in())
    rows = _rows()
    return html.Div(
        [
            html.H1("Accounts"),
            html.P(TEXT["intro"]),
            dbc.Row(
                [
                    dbc.Col(_add_form(participants, creatable_roles(role)), lg=5),
                    dbc.Col(_accounts_panel(rows, admin=role == "admin"), lg=7),
                ],
                className="g-4",
            ),
        ]
    )


def _accounts_panel(rows: list[dict[str, object]], admin: bool) -> list[Any]:
    buttons: list[Any] = [
        dbc.Button("Deactivate selected account", id="users-deactivate", color="danger", outline=True)
    ]
    if admin:
        buttons += [
            dbc.Button("Reactivate selected account", id="users-reactivate", color="secondary", outline=True),
            dbc.Button("End its sessions", id="users-end-sessions", color="secondary", outline=True),
        ]
    return [
        html.H2("Existing accounts", className="h4"),
        dag.AgGrid(
            id="users-grid",
            rowData=rows,
            columnDefs=staff_columns(rows, USER_COLUMNS),
            defaultColDef={"sortable": True, "filter": True, "resizable": True},
            dashGridOptions={"rowSelection": {"mode": "singleRow"}, "domLayout": "autoHeight"},
            className="ag-theme-alpine",
        ),
        html.Div(buttons, className="d-flex flex-wrap gap-2 mt-2"),
        dcc.ConfirmDialog(id="users-deactivate-confirm", message=TEXT["confirm"]),
        html.Div(id="users-deactivate-result", className="mt-2", role="status"),
        html.Div(id="users-reactivate-result", className="mt-2", role="status"),
        html.Div(id="users-end-sessions-result", className="mt-2", role="status"),
    ]


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


def _rows() -> list[dict[str, object]]:
    with _data.reading() as session:
        return json_records(users_frame(session))


def _actor() -> Actor:
    who = signed_in()
    assert who is not None  # require_roles let only signed-in staff through
    return Actor(who.email, who.id)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


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
    _clicks: int | None, email: object, name: object, role: object, participant: object, password: object
) -> tuple[dbc.Alert, list[dict[str, object]], str]:
    role_text, code = _text(role), _text(participant)
    try:
        with _data.account_change() as session:
            user = create_user(
                session,
                _text(email),
                _text(name),
                role_text,
                code if role_text == "liaison" and code != NO_PARTICIPANT else None,
                _text(password),
                actor=_actor(),
            )
            message = TEXT["created"].format(role=user.role, email=user.email)
    except UserError as exc:
        return dbc.Alert(TEXT["not_created"].format(error=exc), color="danger"), _rows(), ""
    return dbc.Alert(message, color="success"), _rows(), ""


def _selected_id(selected: object) -> object:
    """The id of the selected account, as the browser sent it (models checks it names an account)."""
    if not selected:
        raise PreventUpdate
    first = selected[0] if isinstance(selected, list) else None
    return first.get("user_id") if isinstance(first, dict) else None


@callback(
    Output("users-deactivate-confirm", "displayed"),
    Input("users-deactivate", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def ask_to_deactivate(_clicks: int | None, selected: object) -> bool:
    _selected_id(selected)
    return True


#: An account action's answer: its message, the other actions' messages cleared, the accounts anew.
Outcome = tuple[dbc.Alert, None, None, list[dict[str, object]]]


def _act(selected: object, change: Callable[[Any, Any, Actor], Any], done: str, refused: str) -> Outcome:
    """Apply an account change to the selected account, by its id; models decides whether it may be made."""
    user_id = _selected_id(selected)
    try:
        with _data.account_change() as session:
            user = find_user_by_id(session, user_id)
            result = change(session, user, _actor())
            message = TEXT[done].format(email=user.email, count=result if isinstance(result, int) else 0)
    except UserError as exc:
        return dbc.Alert(TEXT[refused].format(error=exc), color="danger"), None, None, _rows()
    return dbc.Alert(message, color="success"), None, None, _rows()


@callback(
    Output("users-deactivate-result", "children"),
    Output("users-reactivate-result", "children", allow_duplicate=True),
    Output("users-end-sessions-result", "children", allow_duplicate=True),
    Output("users-grid", "rowData", allow_duplicate=True),
    Input("users-deactivate-confirm", "submit_n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def deactivate_account(_submitted: int | None, selected: object) -> Outcome:
    return _act(selected, deactivate_user, "deactivated", "not_deactivated")


@callback(
    Output("users-reactivate-result", "children"),
    Output("users-deactivate-result", "children", allow_duplicate=True),
    Output("users-end-sessions-result", "children", allow_duplicate=True),
    Output("users-grid", "rowData", allow_duplicate=True),
    Input("users-reactivate", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(ADMIN)
def reactivate_account(_clicks: int | None, selected: object) -> Outcome:
    return _act(selected, reactivate_user, "reactivated", "not_reactivated")


@callback(
    Output("users-end-sessions-result", "children"),
    Output("users-deactivate-result", "children", allow_duplicate=True),
    Output("users-reactivate-result", "children", allow_duplicate=True),
    Output("users-grid", "rowData", allow_duplicate=True),
    Input("users-end-sessions", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(ADMIN)
def end_account_sessions(_clicks: int | None, selected: object) -> Outcome:
    return _act(selected, end_sessions, "ended", "not_ended")
