"""Server-side sessions, and signing in with the limits on failed sign-ins counted in the database.

A session is a random token in the browser's signed session cookie; the database keeps only its
SHA-256, when it expires (VID_SESSION_MINUTES after sign-in) and when it ended. Every request
reloads the session and its account, so a session that was ended (signed out, password changed,
account deactivated, ended by an admin) or has expired is refused at its next request, whatever
the cookie says.

Failed sign-ins are counted from `sign_in_attempts`, in the database every process and server
shares: the limits (VID_LOGIN_RATE_LIMIT_ACCOUNT, VID_LOGIN_RATE_LIMIT_ADDRESS) hold however many
workers and servers there are, with no service beyond the database. An attempt is reserved
("pending", counted as a failure) before its password is checked, under a lock per account and
per address, so even simultaneous attempts cannot check more passwords than the limit allows.
Every sign-in, failed or refused sign-in and sign-out is also an audit event (never the password).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models.accounts.audit import loggable, record_event
from models.accounts.users import (
    Identity,
    UserError,
    hash_password,
    identity,
    needs_rehash,
    normalise_email,
    verify_password,
)
from models.base import utcnow
from models.db import account_transaction, read_session, serialise_on
from models.tables import SignInAttempt, User, UserSession

TOKEN_BYTES = 32
ANONYMOUS = "anonymous"
_COUNTED = ("pending", "failed")
_LIMIT = re.compile(r"^\s*(\d+)\s*(?:per|/)\s*(\d+)?\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class SignInLimit:
    """At most `attempts` failed sign-ins within any `window`."""

    attempts: int
    window: dt.timedelta

    @classmethod
    def parse(cls, text: str) -> SignInLimit:
        """A limit as the settings spell it: "5 per 15 minutes", "30/hour", "100 per day"."""
        match = _LIMIT.match(text)
        if not match or int(match[1]) < 1 or (match[2] is not None and int(match[2]) < 1):
            raise ValueError(f"{text!r} is not a sign-in limit such as '5 per 15 minutes'")
        window = dt.timedelta(**{match[3].lower() + "s": int(match[2] or 1)})
        return cls(int(match[1]), window)


@dataclass(frozen=True)
class SignInLimits:
    """The limits on failed sign-ins per account (the email as typed) and per client address."""

    account: SignInLimit
    address: SignInLimit


@dataclass(frozen=True)
class SignInResult:
    """`outcome`: signed_in (with `identity`), failed, or limited (the password was not checked;
    `retry_after`: seconds until the oldest counted failure leaves the window)."""

    outcome: str
    identity: Identity | None = None
    retry_after: int = 0


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def account_key(email: str) -> str:
    """How an attempt is counted for an account: the email as typed, trimmed, lower case, storable."""
    return loggable(email.strip().lower(), 320)


def address_key(address: str | None) -> str:
    return loggable(address or "unknown", 64)


def _failures(
    session: Session, column: InstrumentedAttribute[str], value: str, limit: SignInLimit, now: dt.datetime
) -> list[dt.datetime]:
    """When the failed (or still pending) attempts within the window began, oldest first."""
    times = session.scalars(
        select(SignInAttempt.attempted_at)
        .where(
            column == value,
            SignInAttempt.attempted_at > now - limit.window,
            SignInAttempt.outcome.in_(_COUNTED),
        )
        .order_by(SignInAttempt.attempted_at)
        .limit(limit.attempts)
    ).all()
    return list(times)


def _limit_reached(
    session: Session, account: str, address: str, limits: SignInLimits, now: dt.datetime
) -> tuple[str, int] | None:
    """Which limit (account or address) a new attempt would exceed, and the seconds until it would not."""
    for name, column, value, limit in (
        ("account", SignInAttempt.account, account, limits.account),
        ("address", SignInAttempt.address, address, limits.address),
    ):
        failures = _failures(session, column, value, limit, now)
        if len(failures) >= limit.attempts:
            wait = failures[0] + limit.window - now
            return name, max(1, int(wait.total_seconds()) + 1)
    return None


def sign_in(
    engine: Engine,
    email: str,
    password: str,
    address: str | None,
    limits: SignInLimits,
    session_minutes: int,
    now: dt.datetime | None = None,
) -> SignInResult:
    """Check an email and password, within the limits, and start a session if they are right.

    Three short units of work, none of which takes the writer lock or changes the data version:
    reserve the attempt (or refuse it, over a limit); check the password outside any transaction
    (Argon2 is slow on purpose); record the outcome, and start the session on success.
    """
    now = now or utcnow()
    account, client = account_key(email), address_key(address)
    typed = loggable(email, 320)
    with account_transaction(engine) as session:
        serialise_on(session, f"sign-in:account:{account}", f"sign-in:address:{client}")
        reached = _limit_reached(session, account, client, limits, now)
        if reached is not None:
            session.add(SignInAttempt(attempted_at=now, account=account, address=client, outcome="limited"))
            details = {"address": client, "email_as_typed": typed, "limit": reached[0]}
            record_event(session, ANONYMOUS, "sign_in.limited", account, details)
            return SignInResult("limited", retry_after=reached[1])
        attempt = SignInAttempt(attempted_at=now, account=account, address=client, outcome="pending")
        session.add(attempt)
        session.flush()
        attempt_id = attempt.id

    with read_session(engine) as session:
        user = _account(session, email)
        checked_hash, user_id = (user.password_hash, user.id) if user else (None, None)
    right = verify_password(checked_hash, password)

    with account_transaction(engine) as session:
        attempt = session.get_one(SignInAttempt, attempt_id)
        user = session.get(User, user_id) if user_id is not None else None
        # The account is read again: deactivated, or its password changed, while the password was checked.
        if right and user is not None and user.active and user.password_hash == checked_hash:
            attempt.outcome = "succeeded"
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            token, row = _start_session(session, user, client, now, session_minutes)
            record_event(session, user.email, "sign_in", user.email, {"address": client, "session": row.id})
            return SignInResult("signed_in", identity(user, token, row.id))
        attempt.outcome = "failed"
        why = "no such account" if user is None else ("deactivated" if not user.active else "wrong password")
        details = {"address": client, "email_as_typed": typed, "why": why}
        record_event(session, ANONYMOUS, "sign_in.failed", account, details)
        return SignInResult("failed")


def _account(session: Session, email: str) -> User | None:
    try:
        normalised = normalise_email(email)
    except UserError:
        return None
    return session.scalar(select(User).where(User.email == normalised))


def _start_session(
    session: Session, user: User, address: str, now: dt.datetime, minutes: int
) -> tuple[str, UserSession]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = UserSession(
        token_hash=token_hash(token),
        user_id=user.id,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
        address=address,
    )
    session.add(row)
    session.flush()
    return token, row


def _live(session: Session, token: str, now: dt.datetime) -> tuple[UserSession, User] | None:
    if not token or len(token) > 200:
        return None
    found = session.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.ended_at is not None or row.expires_at <= now or not user.active:
        return None
    return row, user


def load_session(session: Session, token: str, now: dt.datetime | None = None) -> Identity | None:
    """The signed-in identity for a session token, read from the database now; None if the session
    does not exist, has ended or expired, or its account is deactivated."""
    live = _live(session, token, now or utcnow())
    if live is None:
        return None
    row, user = live
    return identity(user, token, row.id)


def sign_out(session: Session, token: str, address: str | None = None) -> bool:
    """End the session of this token (at its next request it is refused). Whether it was live."""
    now = utcnow()
    live = _live(session, token, now)
    if live is None:
        return False
    row, user = live
    row.ended_at, row.end_reason = now, "signed_out"
    record_event(
        session, user.email, "sign_out", user.email, {"address": address_key(address), "session": row.id}
    )
    return True


def live_sessions(session: Session, user_id: int, now: dt.datetime | None = None) -> int:
    """How many sessions of the account are live."""
    return int(
        session.scalar(
            select(func.count()).where(
                UserSession.user_id == user_id,
                UserSession.ended_at.is_(None),
                UserSession.expires_at > (now or utcnow()),
            )
        )
        or 0
    )
