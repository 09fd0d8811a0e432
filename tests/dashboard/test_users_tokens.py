"""API tokens on the accounts page: the secretariat makes one (shown once), lists and revokes it;
the rule of models.accounts.tokens holds for forged requests too."""

from __future__ import annotations

import io
import re

from sqlalchemy import Engine, select

from models.db import read_session
from models.tables import ApiToken, User
from tests.conftest import PASSWORD
from tests.web import WebClient

CREATE = [("users-token-result", "children"), ("users-tokens-grid", "rowData")]
REVOKE = [("users-tokens-grid", "rowData"), ("users-token-result", "children")]


def account_row(engine: Engine, email: str) -> list[dict[str, object]]:
    with read_session(engine) as session:
        return [{"user_id": session.scalar(select(User.id).where(User.email == email))}]


def create(web: WebClient, selected: list[dict[str, object]], days: object = 30) -> str:
    answer = web.callback(
        CREATE,
        [("users-token-create", "n_clicks", 1)],
        [("users-grid", "selectedRows", selected), ("users-token-days", "value", days)],
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_data(as_text=True)


def test_the_secretariat_makes_a_token_shown_once_that_the_api_takes(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    liaison = account_row(engine, accounts["liaison"])
    body = create(web, liaison)
    secret = re.search(r"vid_[A-Za-z0-9_-]{40,}", body)
    assert secret is not None
    assert "shown only now" in body
    listed = web.callback(
        [("users-tokens-grid", "rowData")], [("users-grid", "selectedRows", liaison)]
    ).get_data(as_text=True)
    assert '"state": "active"' in listed or '"state":"active"' in listed
    assert secret.group(0) not in listed
    file = {
        "file": (io.BytesIO(b"country,year,identified_victims\nFRA,2024,1\n"), "f.csv"),
        "dry_run": "true",
    }
    headers = {"Authorization": f"Bearer {secret.group(0)}"}
    assert web.client.post("/api/v1/submissions", data=file, headers=headers).status_code == 200
    with read_session(engine) as session:
        token_id = session.scalars(select(ApiToken.id)).one()
    revoked = web.callback(
        REVOKE,
        [("users-token-revoke", "n_clicks", 1)],
        [
            ("users-tokens-grid", "selectedRows", [{"token_id": token_id}]),
            ("users-grid", "selectedRows", liaison),
        ],
    )
    assert "Revoked API token" in revoked.get_data(as_text=True)
    file = {
        "file": (io.BytesIO(b"country,year,identified_victims\nFRA,2024,1\n"), "f.csv"),
        "dry_run": "true",
    }
    assert web.client.post("/api/v1/submissions", data=file, headers=headers).status_code == 401


def test_the_secretariat_makes_no_token_for_an_admin(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    body = create(web, account_row(engine, accounts["admin"]))
    assert "No token made" in body
    assert "may not create" in body
    assert "vid_" not in body
    with read_session(engine) as session:
        assert session.scalars(select(ApiToken)).all() == []


def test_bad_days_and_forged_rows_change_nothing(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    liaison = account_row(engine, accounts["liaison"])
    assert "No token made" in create(web, liaison, days="ninety")
    assert "No token made" in create(web, liaison, days=1000)
    assert "No token made" in create(web, [{"user_id": "1; drop"}])
    with read_session(engine) as session:
        assert session.scalars(select(ApiToken)).all() == []


def test_a_liaison_may_not_make_tokens_on_the_page(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    answer = web.callback(
        CREATE,
        [("users-token-create", "n_clicks", 1)],
        [
            ("users-grid", "selectedRows", account_row(engine, accounts["liaison"])),
            ("users-token-days", "value", 9),
        ],
    )
    assert answer.status_code == 403
