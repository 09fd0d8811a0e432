"""The accounts page, including forged callback requests from people who may not use it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select
from werkzeug.test import TestResponse

from models.db import read_session
from models.tables import User
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
    from dashboard.users import add_account

    with server.test_request_context("/"), pytest.raises(Forbidden):
        add_account(1, "x@example.org", "X", "admin", None, "a brand new passphrase")
