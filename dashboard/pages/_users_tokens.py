"""The accounts page's API tokens (/users): the selected account's tokens, making one (shown once)
and revoking one. `models.accounts.tokens` decides who may, from the database's records: the secretariat for
liaison accounts and its own, an admin for any. A selected row only names an account or a token."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard.components.tables import KEYBOARD_OPTIONS
from dashboard.server.access import SECRETARIAT, require_roles
from dashboard.server.auth import signed_in
from models.accounts.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token, tokens_frame
from models.accounts.users import Actor, UserError, find_user_by_id
from models.reports.tabular import json_records

TOKEN_COLUMNS = [
    {"field": "token_id", "headerName": "Id"},
    {"field": "state", "headerName": "State"},
    {"field": "created_at", "headerName": "Created (UTC)"},
    {"field": "expires_at", "headerName": "Expires (UTC)"},
    {"field": "revoked_at", "headerName": "Revoked (UTC)"},
    {"field": "created_by", "headerName": "Made by"},
]
SHOWN_ONCE = (
    "API token {id} for {email} (expires {expires:%Y-%m-%d}). It is shown only now: copy it and give it "
    "to its owner by a separate channel. It is sent as 'Authorization: Bearer <token>' (docs/api.md)."
)


def tokens_panel() -> list[Any]:
    """The panel under the accounts list."""
    return [
        html.H2("API tokens of the selected account", className="h4 mt-4"),
        html.P("A token lets the account's own system use the REST API (/api/v1/docs) as that account."),
        dag.AgGrid(
            id="users-tokens-grid",
            rowData=[],
            columnDefs=TOKEN_COLUMNS,
            defaultColDef={"sortable": True, "resizable": True},
            dashGridOptions={
                "rowSelection": {"mode": "singleRow"},
                "domLayout": "autoHeight",
                **KEYBOARD_OPTIONS,  # one Tab stop; arrow keys inside
            },
            className="ag-theme-alpine",
        ),
        html.Div(
            [
                dbc.Label("Valid for (days)", html_for="users-token-days", className="mb-0"),
                dbc.Input(
                    id="users-token-days",
                    type="number",
                    min=1,
                    max=MAX_DAYS,
                    step=1,
                    value=DEFAULT_DAYS,
                    style={"maxWidth": "7rem"},
                ),
                dbc.Button("Make a token", id="users-token-create", color="primary", outline=True),
                dbc.Button("Revoke selected token", id="users-token-revoke", color="danger", outline=True),
            ],
            className="d-flex flex-wrap align-items-center gap-2 mt-2",
        ),
        html.Div(id="users-token-result", className="mt-2", role="status"),
    ]


def _actor() -> Actor:
    who = signed_in()
    assert who is not None  # require_roles let only signed-in staff through
    return Actor(who.email, who.id)


def _selected(selected: object, key: str) -> object:
    if not selected:
        raise PreventUpdate
    first = selected[0] if isinstance(selected, list) else None
    return first.get(key) if isinstance(first, dict) else None


def _token_rows(user_id: object) -> list[dict[str, object]]:
    with _data.reading() as session:
        return json_records(tokens_frame(session, find_user_by_id(session, user_id), _actor()))


def _days(value: object) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    raise UserError(f"give the days as a whole number from 1 to {MAX_DAYS}")


@callback(
    Output("users-tokens-grid", "rowData"),
    Input("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def show_account_tokens(selected: object) -> list[dict[str, object]]:
    """The selected account's tokens; none for an account whose tokens the user may not see."""
    try:
        return _token_rows(_selected(selected, "user_id"))
    except UserError:
        return []


@callback(
    Output("users-token-result", "children", allow_duplicate=True),
    Output("users-tokens-grid", "rowData", allow_duplicate=True),
    Input("users-token-create", "n_clicks"),
    State("users-grid", "selectedRows"),
    State("users-token-days", "value"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def create_account_token(_clicks: int | None, selected: object, days: object) -> tuple[object, object]:
    user_id = _selected(selected, "user_id")
    try:
        with _data.account_change() as session:
            user = find_user_by_id(session, user_id)
            secret, row = create_token(session, user, _actor(), days=_days(days))
            message = SHOWN_ONCE.format(id=row.id, email=user.email, expires=row.expires_at)
    except UserError as exc:
        return dbc.Alert(f"No token made: {exc}.", color="danger"), []
    shown = dbc.Alert([html.P(message), html.Code(secret, id="users-token-secret")], color="success")
    return shown, _token_rows(user_id)


@callback(
    Output("users-tokens-grid", "rowData", allow_duplicate=True),
    Output("users-token-result", "children", allow_duplicate=True),
    Input("users-token-revoke", "n_clicks"),
    State("users-tokens-grid", "selectedRows"),
    State("users-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def revoke_account_token(_clicks: int | None, token: object, account: object) -> tuple[object, object]:
    token_id = _selected(token, "token_id")
    try:
        with _data.account_change() as session:
            row, user = revoke_token(session, token_id, _actor())
            message = f"Revoked API token {row.id} of {user.email}; it stops at its next request."
    except UserError as exc:
        return [], dbc.Alert(f"Not revoked: {exc}.", color="danger")
    return _token_rows(_selected(account, "user_id")), dbc.Alert(message, color="success")
