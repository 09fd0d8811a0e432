"""The accounts page, including forged callback requests from people who may not use it."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import Engine, func, select
from werkzeug.test import TestResponse

from models.db import read_session
from models.tables import AuditEvent, User
from tests.conftest import PASSWORD
from tests.web import WebClient

RESULTS = ["users-add-result", "users-deactivate-result", "users-reactivate-result", "users-reset-result",
           "users-end-sessions-result"]  # fmt: skip
ADD_OUTPUTS = [*((result, "children") for result in RESULTS), ("users-grid", "rowData"),
               ("users-password", "value"), ("users-email", "value"), ("users-name", "value")]  # fmt: skip


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
    "deactivate": ("users-deactivate-result", ("users-deactivate-confirm", "submit_n_clicks")),
    "reactivate": ("users-reactivate-result", ("users-reactivate", "n_clicks")),
    "reset password": ("users-reset-result", ("users-reset-confirm", "submit_n_clicks")),
    "end sessions": ("users-end-sessions-result", ("users-end-sessions", "n_clicks")),
}
ASKS = {
    "deactivate": ("users-deactivate-confirm", "users-deactivate-result", "users-deactivate"),
    "reset password": ("users-reset-confirm", "users-reset-result", "users-reset"),
}


def act(web: WebClient, action: str, selected: object) -> TestResponse:
    result, (component, prop) = ACTIONS[action]
    outputs = [
        (result, "children"),
        *((r, "children") for r in RESULTS if r != result),
        ("users-grid", "rowData"),
    ]
    return web.callback(outputs, [(component, prop, 1)], [("users-grid", "selectedRows", selected)])


def ask(web: WebClient, action: str, selected: object) -> TestResponse:
    dialog, result, button = ASKS[action]
    outputs = [(dialog, "displayed"), (dialog, "message"), (result, "children"),
               *((r, "children") for r in RESULTS if r != result)]  # fmt: skip
    return web.callback(outputs, [(button, "n_clicks", 1)], [("users-grid", "selectedRows", selected)])


def answer(response: TestResponse) -> dict[str, dict[str, object]]:
    """The callback's answer: component id -> property -> value."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return dict(response.get_json()["response"])


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
    assert "Ended 1 session of liaison.fra@example.org (liaison, FRA)" in ended.get_data(as_text=True)
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


def test_the_confirmation_names_the_account_as_the_database_has_it(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    forged = [{"user_id": user_id(engine, accounts["liaison"]), "email": "someone@else.org", "role": "admin"}]
    for action in ASKS:
        dialog, result, _button = ASKS[action]
        shown = answer(ask(web, action, forged))
        assert shown[dialog]["displayed"] is True
        assert "liaison.fra@example.org (liaison, FRA)?" in str(shown[dialog]["message"])
        assert shown[result]["children"] is None  # an earlier answer goes away
    assert is_active(engine, accounts["liaison"])  # asking changes nothing


def test_an_action_that_may_not_be_done_is_refused_before_the_confirmation(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    admin = [{"user_id": user_id(engine, accounts["admin"])}]
    shown = answer(ask(web, "deactivate", admin))
    assert shown["users-deactivate-confirm"]["displayed"] is False
    assert "may not deactivate admin accounts" in str(shown["users-deactivate-result"]["children"])
    own = [{"user_id": user_id(engine, accounts["secretariat"])}]
    shown = answer(ask(web, "reset password", own))
    assert shown["users-reset-confirm"]["displayed"] is False
    assert "cannot reset your own password" in str(shown["users-reset-result"]["children"])


def test_a_success_clears_the_stale_refusal_of_another_action(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    refused = answer(add_request(web, "new@example.org", "liaison", None))
    assert "Not created" in str(refused["users-add-result"]["children"])
    assert "users-email" not in refused  # what was typed stays, to be corrected
    done = answer(act(web, "deactivate", [{"user_id": user_id(engine, accounts["liaison"])}]))
    assert "Deactivated liaison.fra@example.org (liaison, FRA)" in str(done["users-deactivate-result"])
    assert done["users-add-result"]["children"] is None
    created = answer(add_request(web, "new@example.org", "liaison", "DEU"))
    assert "Created the liaison account new@example.org" in str(created["users-add-result"]["children"])
    assert created["users-deactivate-result"]["children"] is None
    assert (created["users-email"]["value"], created["users-password"]["value"]) == ("", "")


def test_accounts_show_when_they_were_created_and_last_signed_in(
    web: WebClient, accounts: dict[str, str]
) -> None:
    from app import server

    liaison = WebClient(server.test_client())
    assert liaison.sign_in(accounts["liaison"], PASSWORD).status_code == 303
    web.sign_in(accounts["admin"], PASSWORD)
    rows = {row["email"]: row for row in answer(add_request(web, "x", "liaison"))["users-grid"]["rowData"]}
    moment = r"[1-9]\d? (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d, \d\d:\d\d UTC"
    assert re.fullmatch(moment, rows[accounts["liaison"]]["created_at_text"])
    assert re.fullmatch(moment, rows[accounts["liaison"]]["last_sign_in_text"])
    assert rows[accounts["liaison_deu"]]["last_sign_in_text"] == "never"
    assert rows[accounts["liaison"]]["created_at"].startswith("20")  # ISO text: the column sorts by it
    content = web.page("/users")
    assert "Last sign-in" in content
    assert "params.data.created_at_text" in content


def test_the_secretariat_resets_a_liaisons_password_shown_once_and_its_sessions_end(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    from app import server

    liaison = WebClient(server.test_client())
    assert liaison.sign_in(accounts["liaison"], PASSWORD).status_code == 303
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert "Reset its password" in web.page("/users")
    done = answer(act(web, "reset password", [{"user_id": user_id(engine, accounts["liaison"])}]))
    shown = done["users-reset-result"]["children"]
    password = re.search(r"[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}", json.dumps(shown))
    assert password is not None
    assert "access-refused" in liaison.page("/upload")  # its session ended
    assert liaison.sign_in(accounts["liaison"], PASSWORD).status_code == 401
    assert liaison.sign_in(accounts["liaison"], password.group()).status_code == 303
    with read_session(engine) as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.set_password")).one()
    assert (event.actor, event.subject) == (accounts["secretariat"], accounts["liaison"])
    assert password.group() not in json.dumps(event.details)
    refused = answer(act(web, "reset password", [{"user_id": user_id(engine, accounts["admin"])}]))
    assert "may not reset the password of admin accounts" in str(refused["users-reset-result"])
