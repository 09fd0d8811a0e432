"""Accounts: creation rules, password policy and hashing, authentication, and the command line."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from models.db import read_session, write_transaction
from models.tables import AuditEvent, User
from models.users import (
    UserError,
    authenticate,
    create_user,
    deactivate_user,
    load_identity,
    main,
    session_token,
    set_password,
    users_frame,
)
from tests.cli import Result, invoke

GOOD = "a long enough passphrase"


def add(
    engine: Engine, email: str, role: str = "liaison", participant: str | None = "FRA", password: str = GOOD
) -> None:
    with write_transaction(engine) as session:
        create_user(session, email, "", role, participant, password, actor="tests")


def test_passwords_are_hashed_with_argon2_and_never_stored(engine: Engine) -> None:
    add(engine, "a@example.org")
    with read_session(engine) as session:
        user = session.scalar(select(User))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert GOOD not in user.password_hash


@pytest.mark.parametrize(
    ("email", "role", "participant", "password", "message"),
    [
        ("not-an-email", "liaison", "FRA", GOOD, "not an email address"),
        ("x@example.org", "liaison", None, GOOD, "must be bound to a participant"),
        ("x@example.org", "liaison", "BRA", GOOD, "BRA is not a registered participant"),
        ("x@example.org", "secretariat", "FRA", GOOD, "only liaisons are bound"),
        ("x@example.org", "superuser", None, GOOD, "role must be one of"),
        ("x@example.org", "liaison", "FRA", "short", "at least 12 characters"),
        (
            "jean.dupont@example.org",
            "liaison",
            "FRA",
            "my jean.dupont pass",
            "must not contain the name part",
        ),
    ],
)
def test_invalid_accounts_are_refused(
    engine: Engine, email: str, role: str, participant: str | None, password: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        add(engine, email, role, participant, password)


def test_emails_are_unique_whatever_their_case(engine: Engine) -> None:
    add(engine, "Liaison@Example.org")
    with pytest.raises(UserError, match="already exists"):
        add(engine, "liaison@example.ORG")


def test_authenticate_accepts_only_the_right_password_of_an_active_account(engine: Engine) -> None:
    add(engine, "a@example.org")
    with write_transaction(engine) as session:
        assert authenticate(session, "A@example.org ", GOOD) is not None
        assert authenticate(session, "a@example.org", GOOD + "x") is None
        assert authenticate(session, "nobody@example.org", GOOD) is None
        assert authenticate(session, "garbage", GOOD) is None
        deactivate_user(session, "a@example.org", actor="tests")
        assert authenticate(session, "a@example.org", GOOD) is None


def test_changing_the_password_ends_existing_sessions(engine: Engine) -> None:
    add(engine, "a@example.org")
    with read_session(engine) as session:
        user = session.scalar(select(User))
        assert user is not None
        token = session_token(user)
        assert load_identity(session, token) is not None
    with write_transaction(engine) as session:
        set_password(session, "a@example.org", "another long passphrase", actor="tests")
    with read_session(engine) as session:
        assert load_identity(session, token) is None
        assert load_identity(session, "garbage") is None


def test_account_changes_are_audited(engine: Engine) -> None:
    add(engine, "a@example.org")
    with write_transaction(engine) as session:
        deactivate_user(session, "a@example.org", actor="secretariat@example.org")
    with read_session(engine) as session:
        actions = session.execute(
            select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.subject == "a@example.org")
        ).all()
        frame = users_frame(session)
    assert [tuple(a) for a in actions] == [
        ("user.add", "tests"),
        ("user.deactivate", "secretariat@example.org"),
    ]
    assert frame.loc[0, "active"] == False  # noqa: E712


def cli(*args: str, password_input: str | None = None) -> Result:
    """`python -m models.users ARGS` in this process, the password (if any) on standard input."""
    return invoke(main, *args, stdin=password_input or "")


def test_command_line_reads_the_password_from_standard_input(db_url: str, engine: Engine) -> None:
    added = cli("add", "--database", db_url, "--email", "liaison@example.org", "--role", "liaison",
                "--participant", "deu", password_input=GOOD + "\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "created liaison account liaison@example.org for DEU" in added.stdout
    with write_transaction(engine) as session:
        assert authenticate(session, "liaison@example.org", GOOD) is not None
    listed = cli("list", "--database", db_url)
    assert "liaison@example.org" in listed.stdout
    assert "DEU" in listed.stdout
    changed = cli(
        "set-password",
        "--database",
        db_url,
        "--email",
        "liaison@example.org",
        password_input="new long passphrase\n",
    )
    assert changed.returncode == 0, changed.stderr
    off = cli("deactivate", "--database", db_url, "--email", "liaison@example.org")
    assert off.returncode == 0
    assert "deactivated" in cli("list", "--database", db_url).stdout


def test_command_line_never_takes_a_password_argument(db_url: str) -> None:
    refused = cli(
        "add", "--database", db_url, "--email", "x@example.org", "--role", "admin", "--password", GOOD
    )
    assert refused.returncode == 2


def test_command_line_reports_refusals_without_a_traceback(db_url: str) -> None:
    refused = cli(
        "add",
        "--database",
        db_url,
        "--email",
        "x@example.org",
        "--role",
        "liaison",
        password_input=GOOD + "\n",
    )
    assert refused.returncode == 1
    assert refused.stderr == (
        "error: a liaison must be bound to a participant: choose which one with --participant ISO3\n"
    )


def test_signing_in_and_account_changes_keep_the_data_version(engine: Engine) -> None:
    from models.db import data_version

    add(engine, "a@example.org")
    with read_session(engine) as session:
        before = data_version(session)
    with write_transaction(engine) as session:
        assert authenticate(session, "a@example.org", GOOD) is not None
    with write_transaction(engine) as session:
        assert authenticate(session, "a@example.org", "wrong password") is None
    with write_transaction(engine) as session:
        set_password(session, "a@example.org", GOOD + " anew", actor="tests")
    with write_transaction(engine) as session:
        deactivate_user(session, "a@example.org", actor="tests")
    with read_session(engine) as session:
        assert data_version(session) == before  # no figure changed, so no page or export may say so
        assert session.scalar(select(User.active).where(User.email == "a@example.org")) is False
