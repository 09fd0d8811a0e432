"""The accounts page, including forged callback requests from people who may not use it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from werkzeug.test import TestResponse

from models.db import read_session
from models.tables import AuditEvent, User
from tests.conftest import PASSWORD
from tests.web import WebClient

ADD_OUTPUTS = [("users-add-result", "children"), ("users-grid", "rowData"), ("users-password", "value")]


def add_request(web: WebClient, email: str, role: str, participant: str | None = "DEU") -> TestResponse:
    return web.callback(
        ADD_OUTPUTS,
        [("users-add", "n_clicks", 1)],
        [("users-email", "value", email), ("users-name", "value", "New person"),
         ("users-role", "value", role), ("users-participant", "value", participant),
         ("users-password", "value", "a brand new passphrase")],
    )  # fmt: skip


def account_count(engine: Engine) -> int:
    with read_session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)


@pytest.mark.parametrize("role", [None, "liaison"])
def test_forged_account_creation_is_refused_and_writes_nothing(
    web: WebClient, accounts: dict[str, str], engine: Engine, role: str | None
) -> None:
    if role:
        web.sign_in(accounts[role], PASSWORD)
    before = account_count(engine)
    response = add_request(web, "intruder@example.org", "admin", None)
    assert response.status_code == 403
    assert account_count(engine) == before


def test_the_page_asks_viewers_to_sign_in(web: WebClient) -> None:
    content = web.page("/users")
    assert "access-refused" in content
    assert "users-grid" not in content


def test_the_secretariat_adds_a_liaison(web: WebClient, accounts: dict[str, str], engine: Engine) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert "users-grid" in web.page("/users")
    response = add_request(web, "new.liaison@example.org", "liaison", "DEU")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Created the liaison account new.liaison@example.org" in response.get_data(as_text=True)
    assert account_count(engine) == len(accounts) + 1


def test_the_secretariat_may_not_create_an_admin_but_an_admin_may(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    refused = add_request(web, "boss@example.org", "admin", None)
    assert "may not create admin accounts" in refused.get_data(as_text=True)
    web.sign_out()
    web.sign_in(accounts["admin"], PASSWORD)
    created = add_request(web, "boss@example.org", "admin", None)
    assert "Created the admin account boss@example.org" in created.get_data(as_text=True)


def test_an_invalid_account_is_explained(web: WebClient, accounts: dict[str, str]) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = add_request(web, "new@example.org", "liaison", None)
    assert "Not created: a liaison must be bound to a participant" in response.get_data(as_text=True)


def test_the_callback_itself_refuses_even_if_the_guard_were_bypassed(web: WebClient) -> None:
    from werkzeug.exceptions import Forbidden

    from app import server
    from dashboard.pages.users import add_account

    with server.test_request_context("/"), pytest.raises(Forbidden):
        add_account(1, "x@example.org", "X", "admin", None, "a brand new passphrase")


def user_id(engine: Engine, email: str) -> int:
    with read_session(engine) as session:
        return int(session.scalar(select(User.id).where(User.email == email)) or 0)


def is_active(engine: Engine, email: str) -> bool:
    with read_session(engine) as session:
        return bool(session.scalar(select(User.active).where(User.email == email)))


ACTIONS = {
    "deactivate": (["users-deactivate-result", "users-reactivate-result", "users-end-sessions-result"],
                   ("users-deactivate-confirm", "submit_n_clicks")),
    "reactivate": (["users-reactivate-result", "users-deactivate-result", "users-end-sessions-result"],
                   ("users-reactivate", "n_clicks")),
    "end sessions": (["users-end-sessions-result", "users-deactivate-result", "users-reactivate-result"],
                     ("users-end-sessions", "n_clicks")),
}  # fmt: skip


def act(web: WebClient, action: str, selected: object) -> TestResponse:
    results, (component, prop) = ACTIONS[action]
    outputs = [*((result, "children") for result in results), ("users-grid", "rowData")]
    return web.callback(outputs, [(component, prop, 1)], [("users-grid", "selectedRows", selected)])


def test_the_secretariat_cannot_deactivate_an_admin_whatever_the_selected_row_says(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    admin = accounts["admin"]
    forged = [{"user_id": user_id(engine, admin), "email": admin, "role": "liaison"}]
    response = act(web, "deactivate", forged)
    assert response.status_code == 200
    assert "Not deactivated: your role (secretariat) may not deactivate admin accounts" in response.get_data(
        as_text=True
    )
    # The attack's own shape: a row naming the account by email and role only.
    response = act(web, "deactivate", [{"email": admin, "role": "liaison"}])
    assert "Not deactivated: choose an account in the list first" in response.get_data(as_text=True)
    assert is_active(engine, admin)


def test_nobody_deactivates_their_own_account(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["admin"], PASSWORD)
    own = [{"user_id": user_id(engine, accounts["admin"]), "email": accounts["admin"].upper()}]
    assert "cannot deactivate your own account" in act(web, "deactivate", own).get_data(as_text=True)
    assert is_active(engine, accounts["admin"])


@pytest.mark.parametrize(
    "selected",
    ["x", [1], [{"user_id": "abc"}], [{"user_id": 10**30}], [{"user_id": True}], [{}], [None]],
    ids=["a string", "a number", "text id", "huge id", "true", "no id", "null row"],
)
def test_a_malformed_selected_row_is_explained_and_changes_nothing(
    web: WebClient, accounts: dict[str, str], engine: Engine, selected: object
) -> None:
    web.sign_in(accounts["admin"], PASSWORD)
    for action in ACTIONS:
        response = act(web, action, selected)
        assert response.status_code == 200, (action, response.status_code)
        assert "choose an account in the list first" in response.get_data(as_text=True)
    assert all(is_active(engine, email) for email in accounts.values())


def test_only_an_admin_reactivates_an_account_or_ends_its_sessions(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    from app import server

    liaison = WebClient(server.test_client())
    assert liaison.sign_in(accounts["liaison"], PASSWORD).status_code == 303
    row = [{"user_id": user_id(engine, accounts["liaison"])}]
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert "reactivate" not in web.page("/users").replace("users-reactivate-result", "")
    assert act(web, "reactivate", row).status_code == 403
    assert act(web, "end sessions", row).status_code == 403
    web.sign_out()
    web.sign_in(accounts["admin"], PASSWORD)
    assert "Reactivate selected account" in web.page("/users")
    ended = act(web, "end sessions", row)
    assert "Ended 1 session(s) of liaison.fra@example.org" in ended.get_data(as_text=True)
    assert "access-refused" in liaison.page("/upload")  # signed out at its next request
    assert "Deactivated liaison.fra@example.org" in act(web, "deactivate", row).get_data(as_text=True)
    assert liaison.sign_in(accounts["liaison"], PASSWORD).status_code == 401
    assert "Reactivated liaison.fra@example.org" in act(web, "reactivate", row).get_data(as_text=True)
    assert liaison.sign_in(accounts["liaison"], PASSWORD).status_code == 303
    with read_session(engine) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor == accounts["admin"]).order_by(AuditEvent.id)
        ).all()
    assert [a for a in actions if a.startswith("user.")] == [
        "user.end_sessions",
        "user.deactivate",
        "user.reactivate",
    ]
