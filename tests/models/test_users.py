"""Accounts: who may act on whom (one rule for the web and the command line), creation rules, password
policy and hashing, reactivation, ending sessions, the audit trail, and the command line in process."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import Engine, event, select

import models.accounts.users
from models.accounts.sessions import SignInLimit, SignInLimits, load_session, sign_in
from models.accounts.users import (
    Actor,
    UserError,
    account_label,
    authenticate,
    create_user,
    deactivate_user,
    end_sessions,
    find_user,
    reactivate_user,
    reset_password,
    set_password,
    users_frame,
)
from models.db import account_transaction, data_version, read_session
from models.settings import PROJECT_ROOT
from models.tables import AuditEvent, User, UserSession
from models.users.__main__ import main

GOOD = "a long enough passphrase"
LIMITS = SignInLimits(SignInLimit.parse("5 per 15 minutes"), SignInLimit.parse("30 per 15 minutes"))


def add(
    engine: Engine,
    email: str,
    role: str = "liaison",
    participant: str | None = "FRA",
    password: str = GOOD,
    actor: Actor | str = "tests",
) -> int:
    with account_transaction(engine) as session:
        return create_user(session, email, "", role, participant, password, actor=actor).id


@pytest.fixture
def staff(engine: Engine) -> dict[str, int]:
    """Account ids: two admins, two secretariat accounts, a liaison of FRA."""
    return {
        "admin": add(engine, "admin@example.org", "admin", None),
        "admin2": add(engine, "admin2@example.org", "admin", None),
        "secretariat": add(engine, "sec@example.org", "secretariat", None),
        "secretariat2": add(engine, "sec2@example.org", "secretariat", None),
        "liaison": add(engine, "liaison@example.org"),
    }


def as_account(staff: dict[str, int], name: str) -> Actor:
    return Actor(f"{name}@web", staff[name])


def active(engine: Engine, email: str) -> bool:
    with read_session(engine) as session:
        return bool(session.scalar(select(User.active).where(User.email == email)))


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
        ("nul\x00@example.org", "liaison", "FRA", GOOD, "not an email address"),
        ("x@example.org", "liaison", None, GOOD, "must be bound to a participant: choose which one"),
        ("x@example.org", "liaison", "BRA", GOOD, "'BRA' is not a registered participant"),
        ("x@example.org", "liaison", "F\x00A", GOOD, "is not a registered participant"),
        ("x@example.org", "secretariat", "FRA", GOOD, "only liaisons are bound"),
        ("x@example.org", "superuser", None, GOOD, "role must be one of"),
        ("x@example.org", "liaison", "FRA", "short", "at least 12 characters"),
        ("x@example.org", "liaison", "FRA", "long enough but \ud800", "unpaired surrogates"),
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


@pytest.mark.parametrize(
    ("name", "message"), [("x" * 201, "at most 200"), ("Na\x00me", "holds a NUL character")]
)
def test_display_names_are_bounded_and_printable_on_every_backend(
    engine: Engine, name: str, message: str
) -> None:
    with pytest.raises(UserError, match=message), account_transaction(engine) as session:
        create_user(session, "x@example.org", name, "liaison", "FRA", GOOD, actor="tests")


def test_emails_are_unique_whatever_their_case(engine: Engine) -> None:
    add(engine, "Liaison@Example.org")
    with pytest.raises(UserError, match="already exists"):
        add(engine, "liaison@example.ORG")


@pytest.mark.parametrize(
    ("actor", "role", "allowed"),
    [("secretariat", "liaison", True), ("secretariat", "secretariat", False), ("secretariat", "admin", False),
     ("admin", "secretariat", True), ("admin", "admin", True), ("liaison", "liaison", False)],
)  # fmt: skip
def test_who_may_create_which_accounts_is_decided_from_the_actors_record(
    engine: Engine, staff: dict[str, int], actor: str, role: str, allowed: bool
) -> None:
    participant = "DEU" if role == "liaison" else None
    if allowed:
        add(engine, "new@example.org", role, participant, actor=as_account(staff, actor))
        assert active(engine, "new@example.org")
    else:
        with pytest.raises(UserError, match="may not create"):
            add(engine, "new@example.org", role, participant, actor=as_account(staff, actor))


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [("secretariat", "liaison@example.org", True), ("secretariat", "admin2@example.org", False),
     ("secretariat", "sec2@example.org", False), ("admin", "admin2@example.org", True),
     ("admin", "sec2@example.org", True), ("liaison", "liaison@example.org", False)],
)  # fmt: skip
def test_the_secretariat_deactivates_liaisons_only_and_an_admin_anyone(
    engine: Engine, staff: dict[str, int], actor: str, target: str, allowed: bool
) -> None:
    with account_transaction(engine) as session:
        user = find_user(session, target)
        if allowed:
            deactivate_user(session, user, as_account(staff, actor))
        else:
            with pytest.raises(UserError, match=r"may not deactivate|cannot deactivate your own"):
                deactivate_user(session, user, as_account(staff, actor))
    assert active(engine, target) is not allowed


@pytest.mark.parametrize("spelling", ["sec@example.org", "SEC@Example.ORG", " Sec@example.org "])
def test_nobody_deactivates_their_own_account_in_any_spelling(
    engine: Engine, staff: dict[str, int], spelling: str
) -> None:
    with pytest.raises(UserError, match="cannot deactivate your own"), account_transaction(engine) as session:
        deactivate_user(session, spelling, as_account(staff, "secretariat"))
    with pytest.raises(UserError, match="cannot deactivate your own"), account_transaction(engine) as session:
        deactivate_user(session, spelling, Actor.operator(spelling.upper()))  # a command line's --user
    assert active(engine, "sec@example.org")


def test_a_deactivated_account_may_change_nothing(engine: Engine, staff: dict[str, int]) -> None:
    with account_transaction(engine) as session:
        deactivate_user(session, "admin2@example.org", as_account(staff, "admin"))
    with pytest.raises(UserError, match="no longer"), account_transaction(engine) as session:
        deactivate_user(session, "liaison@example.org", as_account(staff, "admin2"))
    assert active(engine, "liaison@example.org")


def test_an_admin_reactivates_an_account_and_it_is_audited(engine: Engine, staff: dict[str, int]) -> None:
    with account_transaction(engine) as session:
        deactivate_user(session, "liaison@example.org", as_account(staff, "secretariat"))
    with pytest.raises(UserError, match="only an admin"), account_transaction(engine) as session:
        reactivate_user(session, "liaison@example.org", as_account(staff, "secretariat"))
    assert not active(engine, "liaison@example.org")
    with account_transaction(engine) as session:
        reactivate_user(session, "liaison@example.org", as_account(staff, "admin"))
    assert active(engine, "liaison@example.org")
    with pytest.raises(UserError, match="already active"), account_transaction(engine) as session:
        reactivate_user(session, "liaison@example.org", as_account(staff, "admin"))
    with read_session(engine) as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.subject == "liaison@example.org")
        ).all()
    assert [tuple(e) for e in events] == [
        ("user.add", "tests"),
        ("user.deactivate", "secretariat@web"),
        ("user.reactivate", "admin@web"),
    ]


def signed_in_tokens(engine: Engine, email: str, count: int) -> list[str]:
    tokens = []
    for _ in range(count):
        result = sign_in(engine, email, GOOD, "192.0.2.1", LIMITS, 60)
        assert result.identity is not None
        tokens.append(result.identity.session_token)
    return tokens


def live(engine: Engine, tokens: list[str]) -> list[bool]:
    with read_session(engine) as session:
        return [load_session(session, token) is not None for token in tokens]


def test_an_admin_ends_all_of_an_accounts_sessions_and_it_is_audited(
    engine: Engine, staff: dict[str, int]
) -> None:
    tokens = signed_in_tokens(engine, "liaison@example.org", 2)
    other = signed_in_tokens(engine, "sec@example.org", 1)
    with pytest.raises(UserError, match="only an admin"), account_transaction(engine) as session:
        end_sessions(session, "liaison@example.org", as_account(staff, "secretariat"))
    assert live(engine, tokens) == [True, True]
    with account_transaction(engine) as session:
        assert end_sessions(session, "liaison@example.org", as_account(staff, "admin")) == 2
    assert live(engine, tokens + other) == [False, False, True]
    with read_session(engine) as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "user.end_sessions")
        ).scalar_one()
    assert (event.actor, event.subject, event.details) == (
        "admin@web",
        "liaison@example.org",
        {"sessions_ended": 2},
    )


@pytest.mark.parametrize("change", ["password", "deactivation"])
def test_a_password_change_or_a_deactivation_ends_the_accounts_sessions(
    engine: Engine, staff: dict[str, int], change: str
) -> None:
    tokens = signed_in_tokens(engine, "liaison@example.org", 2)
    with account_transaction(engine) as session:
        if change == "password":
            set_password(
                session, "liaison@example.org", "another long passphrase", as_account(staff, "secretariat")
            )
        else:
            deactivate_user(session, "liaison@example.org", as_account(staff, "secretariat"))
    assert live(engine, tokens) == [False, False]


def test_the_secretariat_may_not_change_an_admins_password(engine: Engine, staff: dict[str, int]) -> None:
    with (
        pytest.raises(UserError, match="may not change the password"),
        account_transaction(engine) as session,
    ):
        set_password(
            session, "admin@example.org", "another long passphrase", as_account(staff, "secretariat")
        )


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [("secretariat", "liaison@example.org", True), ("secretariat", "admin@example.org", False),
     ("secretariat", "sec2@example.org", False), ("admin", "sec2@example.org", True),
     ("admin", "admin2@example.org", True), ("secretariat", "sec@example.org", False),
     ("admin", "admin@example.org", False)],
)  # fmt: skip
def test_a_password_reset_follows_the_rule_of_set_password_and_never_ones_own(
    engine: Engine, staff: dict[str, int], actor: str, target: str, allowed: bool
) -> None:
    tokens = signed_in_tokens(engine, target, 1)
    with account_transaction(engine) as session:
        if allowed:
            user, password = reset_password(session, target, as_account(staff, actor))
            assert user.email == target
        else:
            with pytest.raises(UserError, match=r"may not reset the password|cannot reset your own"):
                reset_password(session, target, as_account(staff, actor))
    assert live(engine, tokens) == [not allowed]
    with account_transaction(engine) as session:
        assert (authenticate(session, target, GOOD) is not None) is not allowed
        if allowed:
            assert authenticate(session, target, password) is not None
    with read_session(engine) as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "user.set_password")).all()
    expected = [(f"{actor}@web", target, {"sessions_ended": 1, "generated": True})] if allowed else []
    assert [(e.actor, e.subject, e.details) for e in events] == expected


def test_a_generated_password_is_long_readable_and_new_each_time(
    engine: Engine, staff: dict[str, int]
) -> None:
    passwords = set()
    for _ in range(3):
        with account_transaction(engine) as session:
            passwords.add(reset_password(session, "liaison@example.org", as_account(staff, "admin"))[1])
    assert len(passwords) == 3
    for password in passwords:
        groups = password.split("-")
        assert [len(group) for group in groups] == [5, 5, 5, 5]
        assert not set(password) & set("0O1lI")


def test_an_account_is_named_with_its_role_and_participant(engine: Engine, staff: dict[str, int]) -> None:
    with read_session(engine) as session:
        assert (
            account_label(find_user(session, "liaison@example.org")) == "liaison@example.org (liaison, FRA)"
        )
        assert account_label(find_user(session, "sec@example.org")) == "sec@example.org (secretariat)"


def test_the_last_sign_in_is_the_start_of_the_latest_session(engine: Engine, staff: dict[str, int]) -> None:
    signed_in_tokens(engine, "liaison@example.org", 2)
    with read_session(engine) as session:
        frame = users_frame(session).set_index("email")
        started = session.scalars(
            select(UserSession.created_at).where(UserSession.user_id == staff["liaison"])
        ).all()
    assert frame.loc["liaison@example.org", "last_sign_in"] == max(started)
    assert pd.isna(frame.loc["sec@example.org", "last_sign_in"])  # never signed in


def test_authenticate_accepts_only_the_right_password_of_an_active_account(engine: Engine) -> None:
    add(engine, "a@example.org")
    with account_transaction(engine) as session:
        assert authenticate(session, "A@example.org ", GOOD) is not None
        assert authenticate(session, "a@example.org", GOOD + "x") is None
        assert authenticate(session, "nobody@example.org", GOOD) is None
        assert authenticate(session, "garbage", GOOD) is None
        deactivate_user(session, "a@example.org", actor="tests")
        assert authenticate(session, "a@example.org", GOOD) is None


def test_account_events_leave_the_data_version_alone(engine: Engine, staff: dict[str, int]) -> None:
    with read_session(engine) as session:
        before = data_version(session)
    add(engine, "b@example.org", actor=as_account(staff, "secretariat"))
    signed_in_tokens(engine, "b@example.org", 1)
    sign_in(engine, "b@example.org", "wrong password!", "192.0.2.1", LIMITS, 60)
    with account_transaction(engine) as session:
        set_password(session, "b@example.org", GOOD + " anew", actor="tests")
        end_sessions(session, "b@example.org", as_account(staff, "admin"))
        deactivate_user(session, "b@example.org", as_account(staff, "secretariat"))
        reactivate_user(session, "b@example.org", as_account(staff, "admin"))
    with read_session(engine) as session:
        assert data_version(session) == before  # no figure changed, so no page or export may say so


def test_accounts_and_sign_ins_never_touch_the_writer_lock(engine: Engine, staff: dict[str, int]) -> None:
    # The writer lock (and the data version) is the data_state row: no account statement reads it.
    statements: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    add(engine, "c@example.org", actor=as_account(staff, "admin"))
    assert sign_in(engine, "c@example.org", GOOD, "192.0.2.1", LIMITS, 60).outcome == "signed_in"
    assert sign_in(engine, "c@example.org", "wrong password!", "192.0.2.1", LIMITS, 60).outcome == "failed"
    with account_transaction(engine) as session:
        end_sessions(session, "c@example.org", as_account(staff, "admin"))
        deactivate_user(session, "c@example.org", as_account(staff, "admin"))
        reactivate_user(session, "c@example.org", as_account(staff, "admin"))
    event.remove(engine, "before_cursor_execute", note)
    assert len(statements) > 10
    assert not [statement for statement in statements if "data_state" in statement]


def test_the_dummy_hash_is_made_on_first_use_with_the_hasher_in_use() -> None:
    # Importing models.accounts.users computes no hash (it took a second per process); the tests' cheap
    # hasher makes the dummy one too, so a sign-in with an unknown email costs no more than others.
    code = "import models.accounts.users as u; assert u._dummy is None; print('ok')"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr
    models.accounts.users._dummy_hash()
    assert models.accounts.users._dummy is not None
    assert models.accounts.users._dummy[0] is models.accounts.users._hasher
    assert "m=8," in models.accounts.users._dummy[1]  # the fast hasher's memory cost


# --- the command line, in process ---------------------------------------------------------------


def run(monkeypatch: pytest.MonkeyPatch, *args: str, password: str | None = None) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n" if password is not None else ""))
    return main(list(args))


def test_command_line_manages_accounts(
    db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--database", db_url, "--user", "ops")
    assert run(monkeypatch, "add", *db, "--email", "liaison@example.org", "--role", "liaison",
               "--participant", "deu", password=GOOD) == 0  # fmt: skip
    assert "created liaison account liaison@example.org for DEU" in capsys.readouterr().out
    tokens = signed_in_tokens(engine, "liaison@example.org", 1)
    assert run(monkeypatch, "list", "--database", db_url) == 0
    listed = capsys.readouterr().out
    assert "liaison@example.org" in listed
    assert "DEU" in listed
    assert run(monkeypatch, "end-sessions", *db, "--email", "Liaison@Example.org") == 0
    assert "ended 1 session of liaison@example.org" in capsys.readouterr().out
    assert live(engine, tokens) == [False]
    assert (
        run(
            monkeypatch, "set-password", *db, "--email", "liaison@example.org", password="new long passphrase"
        )
        == 0
    )
    assert run(monkeypatch, "deactivate", *db, "--email", "liaison@example.org") == 0
    assert "deactivated liaison@example.org" in capsys.readouterr().out
    assert not active(engine, "liaison@example.org")
    assert run(monkeypatch, "reactivate", *db, "--email", "liaison@example.org") == 0
    assert "reactivated liaison@example.org" in capsys.readouterr().out
    assert active(engine, "liaison@example.org")
    with read_session(engine) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.actor == "ops").order_by(AuditEvent.id)
        ).all()
        frame = users_frame(session)
    assert actions == [
        "user.add",
        "user.end_sessions",
        "user.set_password",
        "user.deactivate",
        "user.reactivate",
    ]
    assert frame.loc[0, "sessions"] == 0


def test_command_line_never_takes_a_password_argument(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as exit_code:
        run(
            monkeypatch,
            "add",
            "--database",
            db_url,
            "--email",
            "x@example.org",
            "--role",
            "admin",
            "--password",
            GOOD,
        )
    assert exit_code.value.code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [(("add", "--email", "x@example.org", "--role", "liaison"), "choose which one (--participant ISO3)"),
     (("reactivate", "--email", "nobody@example.org"), "no account for nobody@example.org"),
     (("deactivate", "--email", "ops"), "no account for ops")],
)  # fmt: skip
def test_command_line_reports_refusals_in_one_line(
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    assert run(monkeypatch, *args, "--database", db_url, "--user", "ops", password=GOOD) == 1
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1
