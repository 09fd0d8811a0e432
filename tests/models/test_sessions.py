"""Server-side sessions and sign-in: sessions end on the server, the limits on failed sign-ins are
counted in the database (exact even for simultaneous attempts), and every attempt is audited."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import Engine, func, select

from models.accounts.sessions import SignInLimit, SignInLimits, load_session, sign_in, sign_out, token_hash
from models.accounts.users import create_user
from models.db import account_transaction, read_session
from models.tables import AuditEvent, SignInAttempt, UserSession

GOOD = "a long enough passphrase"
WRONG = "not the passphrase"
LIMITS = SignInLimits(SignInLimit.parse("5 per 15 minutes"), SignInLimit.parse("30 per 15 minutes"))
T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(engine: Engine) -> str:
    with account_transaction(engine) as session:
        create_user(session, "liaison@example.org", "FRA liaison", "liaison", "FRA", GOOD, actor="tests")
    return "liaison@example.org"


def attempt(
    engine: Engine, email: str, password: str, address: str = "192.0.2.1", now: dt.datetime = T0
) -> str:
    return sign_in(engine, email, password, address, LIMITS, 60, now=now).outcome


@pytest.mark.parametrize(
    ("text", "attempts", "window"),
    [("5 per 15 minutes", 5, dt.timedelta(minutes=15)), ("30 per 15 minutes", 30, dt.timedelta(minutes=15)),
     ("10/hour", 10, dt.timedelta(hours=1)), ("3 per 1 day", 3, dt.timedelta(days=1))],
)  # fmt: skip
def test_limits_read_as_the_settings_spell_them(text: str, attempts: int, window: dt.timedelta) -> None:
    assert SignInLimit.parse(text) == SignInLimit(attempts, window)


@pytest.mark.parametrize(
    "text", ["", "five per minute", "0 per minute", "5 per 0 minutes", "5 per fortnight"]
)
def test_a_limit_that_means_nothing_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a sign-in limit"):
        SignInLimit.parse(text)


def test_a_session_is_kept_on_the_server_as_a_hash_and_expires_there(engine: Engine, account: str) -> None:
    result = sign_in(engine, account, GOOD, "192.0.2.1", LIMITS, 60, now=T0)
    assert result.outcome == "signed_in"
    assert result.identity is not None
    token = result.identity.session_token
    with read_session(engine) as session:
        row = session.execute(select(UserSession)).scalar_one()
        assert row.token_hash == token_hash(token) != token
        assert row.expires_at == T0 + dt.timedelta(minutes=60)
        assert load_session(session, token, now=T0 + dt.timedelta(minutes=59)) is not None
        assert load_session(session, token, now=T0 + dt.timedelta(minutes=60)) is None
        assert load_session(session, "forged-token", now=T0) is None
        assert load_session(session, "x" * 10_000, now=T0) is None


def test_signing_out_ends_the_session_for_good_and_is_audited(engine: Engine, account: str) -> None:
    result = sign_in(engine, account, GOOD, "192.0.2.1", LIMITS, 60)
    assert result.identity is not None
    token = result.identity.session_token
    with account_transaction(engine) as session:
        assert sign_out(session, token, "192.0.2.1") is True
    with account_transaction(engine) as session:
        assert sign_out(session, token, "192.0.2.1") is False  # ended already
        assert load_session(session, token) is None
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-3:] == ["user.add", "sign_in", "sign_out"]


def test_five_failures_per_account_then_even_the_right_password_waits(engine: Engine, account: str) -> None:
    outcomes = [attempt(engine, account, WRONG, now=T0 + dt.timedelta(minutes=i)) for i in range(5)]
    assert outcomes == ["failed"] * 5
    refused = sign_in(engine, account, GOOD, "192.0.2.9", LIMITS, 60, now=T0 + dt.timedelta(minutes=10))
    assert (refused.outcome, refused.retry_after) == (
        "limited",
        5 * 60 + 1,
    )  # the first failure leaves at 15'
    # The window slides: 15 minutes after the first failure, one more attempt is allowed.
    assert attempt(engine, account, GOOD, now=T0 + dt.timedelta(minutes=15)) == "signed_in"


def test_the_account_limit_counts_the_email_as_typed_whether_or_not_it_exists(engine: Engine) -> None:
    outcomes = [attempt(engine, " Nobody@Example.org", WRONG, address=f"192.0.2.{i}") for i in range(6)]
    assert outcomes == ["failed"] * 5 + ["limited"]


def test_the_address_limit_counts_failures_for_every_account(engine: Engine, account: str) -> None:
    outcomes = [attempt(engine, f"user{i}@example.org", WRONG) for i in range(31)]
    assert outcomes == ["failed"] * 30 + ["limited"]
    assert attempt(engine, account, GOOD, address="198.51.100.7") == "signed_in"  # another address


def test_successes_and_refusals_do_not_count(engine: Engine, account: str) -> None:
    assert [attempt(engine, account, GOOD) for _ in range(8)] == ["signed_in"] * 8
    for _ in range(5):
        attempt(engine, account, WRONG)
    assert [attempt(engine, account, WRONG) for _ in range(4)] == ["limited"] * 4
    assert attempt(engine, account, GOOD, now=T0 + dt.timedelta(minutes=15, seconds=1)) == "signed_in"


def test_simultaneous_attempts_check_no_more_passwords_than_the_limit(engine: Engine, account: str) -> None:
    outcomes: list[str] = []
    start = threading.Barrier(12)

    def one() -> None:
        start.wait()
        outcomes.append(attempt(engine, account, WRONG))

    threads = [threading.Thread(target=one) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["failed"] * 5 + ["limited"] * 7
    with read_session(engine) as session:
        checked = session.scalar(select(func.count()).where(SignInAttempt.outcome == "failed"))
    assert checked == 5


def test_every_attempt_is_audited_without_the_password_and_with_the_email_made_safe(
    engine: Engine, account: str
) -> None:
    typed = "Evil\x00\ud800\n" + "x" * 400 + "@example.org"
    attempt(engine, account, GOOD)
    attempt(engine, account, "my secret guess")
    attempt(engine, typed, "my secret guess")
    for _ in range(5):
        attempt(engine, account, WRONG)
    with read_session(engine) as session:
        events = session.execute(
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.subject, AuditEvent.details)
            .where(AuditEvent.action.like("sign_in%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [e.action for e in events] == ["sign_in"] + ["sign_in.failed"] * 6 + ["sign_in.limited"]
    assert (events[0].actor, events[0].subject, events[0].details["address"]) == (
        account,
        account,
        "192.0.2.1",
    )
    assert events[1].details == {"address": "192.0.2.1", "email_as_typed": account, "why": "wrong password"}
    odd = events[2]
    assert odd.details["why"] == "no such account"
    assert odd.details["email_as_typed"].startswith("Evil\ufffd\ufffd\ufffdxxx")
    assert len(odd.details["email_as_typed"]) == 320
    assert len(odd.subject) == 200
    assert events[-1].details["limit"] == "account"
    text = repr([tuple(e) for e in events])
    assert "my secret guess" not in text
    assert WRONG not in text
