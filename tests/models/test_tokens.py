"""API tokens on the command line and in models.accounts.tokens: shown once, stored hashed, expiring,
revocable, and made only by whom models.users allows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from models.accounts.sessions import SignInLimit, SignInLimits, token_hash
from models.accounts.tokens import check_token, create_token
from models.accounts.users import Actor, UserError, find_user
from models.db import account_transaction, read_session
from models.tables import ApiToken
from models.users.__main__ import main as users_main
from tests.cli import invoke

LIMITS = SignInLimits(SignInLimit.parse("5 per 15 minutes"), SignInLimit.parse("30 per hour"))


def test_create_prints_the_token_alone_on_its_last_line_and_stores_its_hash(
    engine: Engine, accounts: dict[str, str]
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    made = invoke(
        users_main, "token", "create", "--email", accounts["liaison"], "--days", "7", "--database", url
    )
    assert made.returncode == 0, made.stderr
    secret = made.stdout.splitlines()[-1]
    assert secret.startswith("vid_")
    assert len(secret) > 40
    assert " " not in secret
    with read_session(engine) as session:
        row = session.scalars(select(ApiToken)).one()
    assert row.token_hash == token_hash(secret)
    assert secret not in repr(row.__dict__)
    assert dt.timedelta(days=7) - (row.expires_at - row.created_at) == dt.timedelta(0)
    assert check_token(engine, secret, "127.0.0.1", LIMITS).outcome == "valid"
    listed = invoke(users_main, "token", "list", "--email", accounts["liaison"], "--database", url)
    assert listed.returncode == 0
    assert f"{row.id} " in listed.stdout
    assert "active" in listed.stdout
    assert secret not in listed.stdout
    revoked = invoke(users_main, "token", "revoke", "--id", str(row.id), "--database", url)
    assert revoked.returncode == 0
    assert "revoked" in revoked.stdout
    assert check_token(engine, secret, "127.0.0.1", LIMITS).outcome == "failed"
    again = invoke(users_main, "token", "revoke", "--id", str(row.id), "--database", url)
    assert again.returncode == 1
    assert "already revoked" in again.stderr
    assert (
        "revoked"
        in invoke(users_main, "token", "list", "--email", accounts["liaison"], "--database", url).stdout
    )


@pytest.mark.parametrize("days", ["0", "367", "x"])
def test_create_refuses_a_lifetime_out_of_range(engine: Engine, accounts: dict[str, str], days: str) -> None:
    url = engine.url.render_as_string(hide_password=False)
    made = invoke(
        users_main, "token", "create", "--email", accounts["liaison"], "--days", days, "--database", url
    )
    assert made.returncode in (1, 2)
    assert "vid_" not in made.stdout


def test_an_expired_token_fails(engine: Engine, accounts: dict[str, str]) -> None:
    long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with account_transaction(engine) as session:
        secret, _row = create_token(
            session, find_user(session, accounts["liaison"]), "tests", days=1, now=long_ago
        )
    assert check_token(engine, secret, "127.0.0.1", LIMITS).outcome == "failed"


def test_the_secretariat_makes_tokens_for_liaisons_not_for_admins(
    engine: Engine, accounts: dict[str, str]
) -> None:
    with account_transaction(engine) as session:
        secretariat = Actor(accounts["secretariat"], find_user(session, accounts["secretariat"]).id)
        create_token(session, find_user(session, accounts["liaison"]), secretariat)
        create_token(session, find_user(session, accounts["secretariat"]), secretariat)  # its own
        with pytest.raises(UserError, match="may not create"):
            create_token(session, find_user(session, accounts["admin"]), secretariat)
        liaison = Actor(accounts["liaison"], find_user(session, accounts["liaison"]).id)
        with pytest.raises(UserError, match="may not create"):
            create_token(session, find_user(session, accounts["liaison_deu"]), liaison)
