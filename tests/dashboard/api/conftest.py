"""Fixtures of the API tests: a token per role, made by models.accounts.tokens as the CLI does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from models.accounts.tokens import create_token
from models.accounts.users import Actor, find_user
from models.db import account_transaction
from tests.web import WebClient


@pytest.fixture
def tokens(engine: Engine, accounts: dict[str, str]) -> dict[str, str]:
    """Role -> a live API token of that role's account (liaison: FRA; liaison_deu: DEU)."""
    made = {}
    with account_transaction(engine) as session:
        for role, email in accounts.items():
            made[role], _row = create_token(session, find_user(session, email), Actor.operator("tests"))
    return made


@pytest.fixture
def demo_web(demo_db_url: str) -> Iterator[WebClient]:
    """A client of the app serving the session's demonstration database (read only: never write)."""
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = demo_db_url
    yield WebClient(server.test_client())
    server.config["VID_DATABASE_URL"] = previous
