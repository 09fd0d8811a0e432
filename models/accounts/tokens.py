"""API tokens: made for an account, shown once, stored as a SHA-256, expiring, revocable; and the
check of a token at each API request, with failed checks limited like sign-ins.

A token acts as its account: the account's role and participant are read from the database at
every request, so a DEU liaison's token can only ever write DEU, and a deactivated account's tokens
stop at once (deactivating also revokes them). Who may make, list or revoke an account's tokens is
the rule of `models.accounts.users` for changing an account: the account itself, the secretariat for
liaisons, an admin (or a command line's operator) for anyone. Every token event is audited.

Only the SHA-256 of a token is stored. A token is 256 random bits (not a password a person chose),
so no guessing can find one from its hash however fast the hash is; a slow hash (Argon2) would only
cost every API request its time. See docs/security.md.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from models.accounts.audit import record_event
from models.accounts.sessions import ANONYMOUS, SignInLimits, _limit_reached, address_key, token_hash
from models.accounts.users import (
    Actor,
    Identity,
    UserError,
    _actor_name,
    _is_self,
    acting_role,
    identity,
    may_manage,
)
from models.base import utcnow
from models.db import account_transaction, keep_data_version, read_session, serialise_on
from models.tables import ApiToken, SignInAttempt, User

TOKEN_PREFIX = "vid_"  # noqa: S105 - the prefix of every token, not one
TOKEN_BYTES = 32
DEFAULT_DAYS = 90
MAX_DAYS = 366
#: Longer than any token this code makes: a longer one is refused without hashing it.
MAX_TOKEN_LENGTH = 200
TOKEN_COLUMNS = ["token_id", "email", "created_at", "created_by", "expires_at", "revoked_at", "state"]


def new_token() -> str:
    """A new secret: the prefix (so scanners and people recognise it) and 256 random bits."""
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def _require_token_rights(session: Session, actor: Actor | str, user: User, verb: str) -> None:
    """The account itself, or whoever may change the account (models.accounts.users.may_manage), from the
    database's records: the actor's role now, the account's role now."""
    role = acting_role(session, actor)
    if _is_self(actor, user):
        return
    if not may_manage(role, user.role):
        raise UserError(f"your role ({role}) may not {verb} the API tokens of {user.role} accounts")


def create_token(
    session: Session,
    user: User,
    actor: Actor | str,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
) -> tuple[str, ApiToken]:
    """A new token for an active account, valid for `days` (1 to MAX_DAYS): the secret (shown once,
    never stored) and its row."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise UserError(f"a token is valid for 1 to {MAX_DAYS} days")
    _require_token_rights(session, actor, user, "create")
    if not user.active:
        raise UserError(f"{user.email} is deactivated: it may have no API token")
    now = now or utcnow()
    secret = new_token()
    row = ApiToken(
        token_hash=token_hash(secret),
        user_id=user.id,
        created_at=now,
        created_by=_actor_name(actor)[:320],
        expires_at=now + dt.timedelta(days=days),
    )
    session.add(row)
    session.flush()
    details = {"token": row.id, "expires_at": row.expires_at.isoformat(), "days": days}
    record_event(session, _actor_name(actor), "api_token.create", user.email, details)
    keep_data_version(session)
    return secret, row


def token_state(row: ApiToken, active: bool, now: dt.datetime) -> str:
    """revoked, expired, account_deactivated or active."""
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at <= now:
        return "expired"
    return "active" if active else "account_deactivated"


def tokens_frame(
    session: Session, user: User, actor: Actor | str, now: dt.datetime | None = None
) -> pd.DataFrame:
    """An account's tokens, newest first (never a secret). Columns: TOKEN_COLUMNS."""
    _require_token_rights(session, actor, user, "list")
    now = now or utcnow()
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).all()
    records = [
        (row.id, user.email, row.created_at, row.created_by, row.expires_at, row.revoked_at,
         token_state(row, user.active, now))
        for row in rows
    ]  # fmt: skip
    return pd.DataFrame(records, columns=TOKEN_COLUMNS)


def revoke_token(session: Session, token_id: object, actor: Actor | str) -> tuple[ApiToken, User]:
    """Revoke a token by its id (it stops at its next request). UserError if there is no such token,
    the actor may not, or it is already revoked."""
    if isinstance(token_id, bool) or not isinstance(token_id, int) or not 1 <= token_id <= 2**31 - 1:
        raise UserError("a token id is a whole number from 1 to 2147483647")
    row = session.get(ApiToken, token_id)
    if row is None:
        raise UserError(f"no API token with id {token_id}")
    user = session.get_one(User, row.user_id)
    _require_token_rights(session, actor, user, "revoke")
    if row.revoked_at is not None:
        raise UserError(f"API token {token_id} is already revoked")
    row.revoked_at, row.revoked_by = utcnow(), _actor_name(actor)[:320]
    record_event(session, _actor_name(actor), "api_token.revoke", user.email, {"token": row.id})
    session.flush()
    keep_data_version(session)
    return row, user


def revoke_account_tokens(session: Session, user: User, why: str) -> int:
    """Revoke every live token of the account (when it is deactivated). How many were live."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by=why[:320])
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class TokenCheck:
    """`outcome`: valid (with `identity`, whose `session_id` is None and `token_id` set), failed
    (no such token, revoked, expired, deactivated account), limited (too many failed checks from
    this address or of this token: not checked; `retry_after` seconds)."""

    outcome: str
    identity: Identity | None = None
    token_id: int | None = None
    retry_after: int = 0


def _attempt_key(secret: str) -> str:
    """How failed checks of one token are counted (the `account` of sign_in_attempts)."""
    return f"api-token:{token_hash(secret)[:16]}"


def check_token(
    engine: Engine, secret: str, address: str | None, limits: SignInLimits, now: dt.datetime | None = None
) -> TokenCheck:
    """Whether `secret` is a live token of an active account, within the limits on failed checks.

    The limits are those of sign-ins (models.sessions), counted in `sign_in_attempts` like them: per
    client address, and per token presented. A valid token writes nothing; a failed or refused check
    is recorded (and audited) in a short unit of work of its own.
    """
    now = now or utcnow()
    client, account = address_key(address), _attempt_key(secret)
    with read_session(engine) as session:
        reached = _limit_reached(session, account, client, limits, now)
        if reached is None:
            found = _live(session, secret, now)
            if found is not None:
                row, user = found
                return TokenCheck("valid", identity(user), row.id)
    with account_transaction(engine) as session:
        serialise_on(session, f"sign-in:account:{account}", f"sign-in:address:{client}")
        reached = reached or _limit_reached(session, account, client, limits, now)
        outcome = "limited" if reached else "failed"
        session.add(SignInAttempt(attempted_at=now, account=account, address=client, outcome=outcome))
        details: dict[str, object] = {"address": client}
        if reached:
            details["limit"] = reached[0]
        record_event(session, ANONYMOUS, f"api_token.{outcome}", account, details)
    return TokenCheck(outcome, retry_after=reached[1] if reached else 0)


def _live(session: Session, secret: str, now: dt.datetime) -> tuple[ApiToken, User] | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return None
    found = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == token_hash(secret))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= now or not user.active:
        return None
    return row, user
