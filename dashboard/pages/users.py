"""Accounts page (/users): the secretariat adds, deactivates and resets the passwords of liaison
accounts; admins of any account, and reactivate accounts or end their sessions; both make and
revoke API tokens (`_users_tokens`). Every rule is decided by `models.accounts.users` from the
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
from dashboard.components.tables import KEYBOARD_OPTIONS, staff_columns
from dashboard.pages._users_tokens import tokens_panel
from dashboard.server.access import ADMIN, SECRETARIAT, require_roles, restricted_layout, role_of
from dashboard.server.auth import signed_in
from models.accounts.users import (
    Actor,
    UserError,
    account_label,
    check_may_deactivate,
    check_may_reset,
    create_user,
    deactivate_user,
    end_sessions,
    find_user_by_id,
    reactivate_user,
    reset_password,
    users_frame,
)
from models.reports.summaries.words import date_time_text, plural
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
    "confirm": "Deactivate {account}? Its sessions end at once; the record is kept.",
    "confirm_reset": "Reset the password of {account}? A new password is made and shown once; the present "
    "one stops working and its sessions end at once.",
    "created": "Created the {role} account {email}.",
    "not_created": "Not created: {error}.",
    "deactivated": "Deactivated {account}; its sessions are ended.",
    "not_deactivated": "Not deactivated: {error}.",
    "reactivated": "Reactivated {account}; it may sign in again with its password.",
    "not_reactivated": "Not reactivated: {error}.",
    "reset": "New password for {account}: ",
    "reset_after": " — shown only now: give it to its owner by a separate channel. Its sessions are ended.",
    "not_reset": "Password not reset: {error}.",
    "ended": "Ended {sessions} of {account}; it must sign in again.",
    "not_ended": "Sessions not ended: {error}.",
}
USER_COLUMNS = [
    ("email", "Email"),
    ("display_name", "Name"),
    ("role", "Role"),
    ("participant", "Participant"),
    ("active", "Active"),
    ("sessions", "Sessions"),
    ("last_sign_in", "Last sign-in"),
    ("created_at", "Created"),
]
#: Where each action says how it went; every action empties the others, so no answer goes stale.
RESULTS = (
    "users-add-result",
    "users-deactivate-result",
    "users-reactivate-result",
    "users-reset-result",
    "users-end-sessions-result",
)


_DATES = ("created_at", "last_sign_in")
#: Room for the accounts that will be added, not only for those shown now.
TYPICAL_ACCOUNT = {
    "email": "firstname.lastname@police.example",
    "created_at": "12 Dec 2026, 14:05 UTC",
    "last_sign_in": "12 Dec 2026, 14:05 UTC",
}


def creatable_roles(role: str) -> set[str]:
    """The roles the form offers (models.accounts.users.may_manage decides): liaisons, or all for an admin."""
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
            _accounts_panel(rows, admin=role == "admin"),
            dbc.Row(dbc.Col(_add_form(participants, creatable_roles(role)), lg=6), className="mt-4"),
        ]
    )


def user_columns(rows: list[dict[str, object]]) -> list[dict[str, Any]]:
    """The accounts table's columns: as wide as their content at least, stretched to fill the width
    (so no blank strip at the right), the email pinned while the others scroll on a narrow screen.
    Dates are shown as people read them and sorted by their ISO text."""
    shown = [{**row, **{field: row.get(f"{field}_text") for field in _DATES}} for row in rows]
    columns = staff_columns([*shown, TYPICAL_ACCOUNT], USER_COLUMNS)
    for column in columns:
        column["minWidth"] = column.pop("width")
        column["flex"] = 1
        if column["field"] == "email":
            # Pinned, it must leave room on a phone to scroll the others past it: a long address wraps.
            column.update(minWidth=min(column["minWidth"], 200), wrapText=True, autoHeight=True)
            column["cellStyle"] = {"overflowWrap": "anywhere", "lineHeight": "1.4", "paddingBlock": "6px"}
        if column["field"] in _DATES:
            column["valueFormatter"] = {"function": f"params.data.{column['field']}_text"}
            column["filter"] = False  # no filter icon to make room for
            column["minWidth"] = 200
        if column["field"] in ("active", "sessions"):  # short values: sorting is what helps
            column.update(filter=False, minWidth=100)
    return columns


def _accounts_panel(rows: list[dict[str, object]], admin: bool) -> html.Section:
    buttons: list[Any] = [
        dbc.Button("Deactivate selected account", id="users-deactivate", color="danger", outline=True),
        dbc.Button("Reset its password", id="users-reset", color="secondary", outline=True),
    ]
    if admin:
        buttons += [
            dbc.Button("Reactivate selected account", id="users-reactivate", color="secondary", outline=True),
            dbc.Button("End its sessions", id="users-end-sessions", color="secondary", outline=True),
        ]
    return html.Section(
        [
            html.H2("Existing accounts", className="h4"),
            html.P("Select an account, then choose what to do.", className="text-body-secondary"),
            dag.AgGrid(
                id="users-grid",
                rowData=rows,
                columnDefs=user_columns(rows),
                defaultColDef={"sortable": True, "filter": True, "resizable": True},
                dashGridOptions={
                    "rowSelection": {"mode": "singleRow"},
                    "domLayout": "autoHeight",
                    **KEYBOARD_OPTIONS,  # one Tab stop; arrow keys inside
                },
                className="ag-theme-alpine",
            ),
            html.Div(buttons, className="d-flex flex-wrap gap-2 mt-2"),
            dcc.ConfirmDialog(id="users-deactivate-confirm", message=""),
            dcc.ConfirmDialog(id="users-reset-confirm", message=""),
            *(html.Div(id=result, className="mt-2", role="status") for result in RESULTS[1:]),
            *tokens_panel(),
        ]
    )


def _add_form(participants: pd.DataFrame, allowed: set[str]) -> html.Section:
    options = [option for option in ROLE_OPTIONS if option["value"] in allowed]
    participant_options = [
        {"label": f"{row.code} — {row.name}", "value": row.code}
        for row in participants.itertuples(index=False)
    ]
    return html.Section(
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
        frame = users_frame(session)
    frame["last_sign_in_text"] = [
        "never" if moment is None or pd.isna(moment) else date_time_text(moment)
        for moment in frame["last_sign_in"]
    ]
    frame["created_at_text"] = [date_time_text(moment) for moment in frame["created_at"]]
    return json_records(frame)


def _actor() -> Actor:
    who = signed_in()
    assert who is not None  # require_roles let only signed-in staff through
    return Actor(who.email, who.id)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _outputs(primary: str) -> list[Output]:
    """An action's outputs: its own result, the others' (emptied), the accounts anew."""
    return [
        Output(primary, "children"),
        *(Output(result, "children", allow_duplicate=True) for result in RESULTS if result != primary),
        Output("users-grid", "rowData", allow_duplicate=True),
    ]


#: An action's answer: its message, the other results emptied, the accounts anew.
Outcome = tuple[object, ...]
_OTHERS = (None,) * (len(RESULTS) - 1)


@callback(
    Output("users-add-result", "children"),
    *(Output(result, "children", allow_duplicate=True) for result in RESULTS[1:]),
    Output("users-grid", "rowData"),
    Output("users-password", "value"),
    Output("users-email", "value"),
    Output("users-name", "value"),
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
) -> Outcome:
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
        keep = dash.no_update
        return (
            dbc.Alert(TEXT["not_created"].format(error=exc), color="danger"),
            *_OTHERS,
            _rows(),
            "",
            keep,
            keep,
        )
    return dbc.Alert(message, color="success"), *_OTHERS, _rows(), "", "", ""


def _selected_id(selected: object) -> object:
    """The id of the selected account, as the browser sent it (models checks it names an account)."""
    if not selected:
        raise PreventUpdate
    first = selected[0] if isinstance(selected, list) else None
    return first.get("user_id") if isinstance(first, dict) else None


def _ask(selected: object, check: Callable[[Any, Any, Actor], None], question: str, refused: str) -> Outcome:
    """Whether to show a confirmation naming the selected account, or say at once why it may not be done."""
    user_id = _selected_id(selected)
    try:
        with _data.reading() as session:
            user = find_user_by_id(session, user_id)
            check(session, user, _actor())
            message = TEXT[question].format(account=account_label(user))
    except UserError as exc:
        return False, dash.no_update, dbc.Alert(TEXT[refused].format(error=exc), color="danger"), *_OTHERS
    return True, message, None, *_OTHERS


def _asking(primary: str, dialog: str) -> list[Output]:
    return [
        Output(dialog, "displayed"),
        Output(dialog, "message"),
        Output(primary, "children", allow_duplicate=True),
        *(Output(result, "children", allow_duplicate=True) for result in RESULTS if result != primary),
    ]


@callback(
    *_asking("users-deactivate-result", "users-deactivate-confirm"),
    Input("users-deactivate", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def ask_to_deactivate(_clicks: int | None, selected: object) -> Outcome:
    return _ask(selected, check_may_deactivate, "confirm", "not_deactivated")


@callback(
    *_asking("users-reset-result", "users-reset-confirm"),
    Input("users-reset", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def ask_to_reset_password(_clicks: int | None, selected: object) -> Outcome:
    return _ask(selected, check_may_reset, "confirm_reset", "not_reset")


def _act(selected: object, change: Callable[[Any, Any, Actor], Any], done: str, refused: str) -> Outcome:
    """Apply an account change to the selected account, by its id; models decides whether it may be made."""
    user_id = _selected_id(selected)
    try:
        with _data.account_change() as session:
            user = find_user_by_id(session, user_id)
            result = change(session, user, _actor())
            account = account_label(user)
            if done == "reset":
                message: object = [
                    TEXT["reset"].format(account=account),
                    html.Code(result[1], className="text-reset fw-bold user-select-all"),
                    TEXT["reset_after"],
                ]
            else:
                count = result if isinstance(result, int) else 0
                message = TEXT[done].format(account=account, sessions=plural(count, "session"))
    except UserError as exc:
        return dbc.Alert(TEXT[refused].format(error=exc), color="danger"), *_OTHERS, _rows()
    return dbc.Alert(message, color="success"), *_OTHERS, _rows()


@callback(
    *_outputs("users-deactivate-result"),
    Input("users-deactivate-confirm", "submit_n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def deactivate_account(_submitted: int | None, selected: object) -> Outcome:
    return _act(selected, deactivate_user, "deactivated", "not_deactivated")


@callback(
    *_outputs("users-reset-result"),
    Input("users-reset-confirm", "submit_n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def reset_account_password(_submitted: int | None, selected: object) -> Outcome:
    return _act(selected, reset_password, "reset", "not_reset")


@callback(
    *_outputs("users-reactivate-result"),
    Input("users-reactivate", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(ADMIN)
def reactivate_account(_clicks: int | None, selected: object) -> Outcome:
    return _act(selected, reactivate_user, "reactivated", "not_reactivated")


@callback(
    *_outputs("users-end-sessions-result"),
    Input("users-end-sessions", "n_clicks"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(ADMIN)
def end_account_sessions(_clicks: int | None, selected: object) -> Outcome:
    return _act(selected, end_sessions, "ended", "not_ended")
