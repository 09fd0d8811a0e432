"""User accounts: who may act on whom, create, deactivate, reactivate, end sessions, change passwords,
authenticate; their command line, `python -m models.users`, is models/users/__main__.py.

Passwords are hashed with Argon2id (argon2-cffi). Every change to an account is an audit event.
Every rule is decided here, from the database's records (the acting account's role, the target
account's role), so the web pages and the command line obey one rule: an admin may act on any
account, the secretariat on liaison accounts only, and nobody deactivates their own account.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.accounts.audit import record_event
from models.base import utcnow
from models.db import keep_data_version
from models.tables import ROLES, ApiToken, Participant, User, UserSession
from models.text import DISPLAY_NAME, EMAIL, check_text, text_problem

LIAISON_NEEDS_PARTICIPANT = "a liaison must be bound to a participant: choose which one (--participant ISO3)"
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
MAX_DISPLAY_NAME_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
_DUMMY_PASSWORD = "not-a-real-password-for-timing-only"  # noqa: S105 - hashed, never an account's
_dummy: tuple[PasswordHasher, str] | None = None

#: The role of whoever runs a command line: they hold the database itself, so they may act as an admin.
OPERATOR = "operator"


class UserError(ValueError):
    """An account change that cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class Actor:
    """Who asks for an account change: a signed-in account (by its id, so its role is read from the
    database), or the operator of a command line (`user_id` None), recorded under `name`."""

    name: str
    user_id: int | None = None

    @classmethod
    def operator(cls, name: str) -> Actor:
        return cls(name, None)


@dataclass(frozen=True)
class Identity:
    """What the web app needs to know about a signed-in user (no password hash), read from the
    database at every request."""

    id: int
    email: str
    display_name: str
    role: str
    participant_code: str | None
    session_token: str
    session_id: int | None = None

    @property
    def is_secretariat(self) -> bool:
        return self.role in ("secretariat", "admin")


def _dummy_hash() -> str:
    """Verified against when the account does not exist, so a wrong email costs as long as a wrong
    password. Computed on first use (not at import), with the hasher in use at that moment."""
    global _dummy
    hasher = _hasher
    if _dummy is None or _dummy[0] is not hasher:
        _dummy = (hasher, hasher.hash(_DUMMY_PASSWORD))
    return _dummy[1]


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash; with no hash (no such account), as slow and False."""
    try:
        _hasher.verify(password_hash or _dummy_hash(), password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError, UnicodeError):
        return False
    return password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    return bool(_hasher.check_needs_rehash(password_hash))


def identity(user: User, token: str = "", session_id: int | None = None) -> Identity:
    return Identity(
        user.id, user.email, user.display_name, user.role, user.participant_code, token, session_id
    )


def check_password_policy(password: str, email: str) -> None:
    """Refuse passwords that are too short, too long, unreadable, or contain the email's name part."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")
    if "\x00" in password or any("\ud800" <= ch <= "\udfff" for ch in password):
        raise UserError("the password must not hold NUL characters or unpaired surrogates")
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        raise UserError(f"the password must not contain the name part of the email address ({local!r})")


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    # The text rules of models.text (the same on every backend), then the shape of an address.
    if text_problem(email, EMAIL) or not _EMAIL.match(email) or any(not ch.isprintable() for ch in email):
        shown = email if len(email) <= 80 else email[:79] + "…"
        raise UserError(f"{shown.encode('ascii', 'backslashreplace').decode()!r} is not an email address")
    return email


# --- who may act on whom ------------------------------------------------------------------------


def acting_role(session: Session, actor: Actor | str) -> str:
    """The actor's role as the database has it now (OPERATOR for a command line). An account that
    no longer exists or is deactivated may do nothing."""
    if isinstance(actor, str) or actor.user_id is None:
        return OPERATOR
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise UserError("your account may no longer change accounts")
    return user.role


def may_manage(role: str, target_role: str) -> bool:
    """Whether an actor of `role` may create, deactivate or change an account of `target_role`:
    an admin (or a command line's operator) any; the secretariat liaisons only; nobody else any."""
    if role in ("admin", OPERATOR):
        return True
    return role == "secretariat" and target_role == "liaison"


def _actor_name(actor: Actor | str) -> str:
    return actor if isinstance(actor, str) else actor.name


def _is_self(actor: Actor | str, target: User) -> bool:
    """The actor's own account: the same id, or (a command line's --user) the same email in any case."""
    if isinstance(actor, Actor) and actor.user_id is not None:
        return actor.user_id == target.id
    return _actor_name(actor).strip().casefold() == target.email.casefold()


def _require_manage(session: Session, actor: Actor | str, target_role: str, verb: str) -> str:
    role = acting_role(session, actor)
    if not may_manage(role, target_role):
        raise UserError(f"your role ({role}) may not {verb} {target_role} accounts")
    return role


def _require_admin(session: Session, actor: Actor | str, verb: str) -> None:
    role = acting_role(session, actor)
    if role not in ("admin", OPERATOR):
        raise UserError(f"only an admin may {verb}")


# --- account changes ----------------------------------------------------------------------------


def create_user(
    session: Session,
    email: str,
    display_name: str,
    role: str,
    participant_code: str | None,
    password: str,
    actor: Actor | str,
) -> User:
    """Add an account. Liaisons must be bound to one registered participant; other roles to none.
    The secretariat may add liaisons only; an admin (or a command line) any role."""
    email = normalise_email(email)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    _require_manage(session, actor, role, "create")
    if role == "liaison":
        if not participant_code:
            raise UserError(LIAISON_NEEDS_PARTICIPANT)
        participant_code = participant_code.strip().upper()
        known = len(participant_code) == 3 and participant_code.isascii() and participant_code.isalpha()
        if not known or session.get(Participant, participant_code) is None:
            raise UserError(f"{participant_code[:10]!r} is not a registered participant")
    elif participant_code:
        raise UserError(f"only liaisons are bound to a participant, not the {role} role")
    else:
        participant_code = None
    display_name = check_text(display_name or "", DISPLAY_NAME, error=UserError)  # models.text: every backend
    if session.scalar(select(func.count()).where(User.email == email)):
        raise UserError(f"an account for {email} already exists")
    check_password_policy(password, email)
    user = User(
        email=email,
        display_name=display_name or email[:MAX_DISPLAY_NAME_LENGTH],
        role=role,
        participant_code=participant_code,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    try:
        with session.begin_nested():  # two admins adding one email at once: one wins, the other is told
            session.flush()
    except IntegrityError as exc:
        raise UserError(f"an account for {email} already exists") from exc
    record_event(
        session, _actor_name(actor), "user.add", email, {"role": role, "participant": participant_code}
    )
    keep_data_version(session)
    return user


def find_user(session: Session, email: str) -> User:
    """The account with this email (in any case), or UserError."""
    normalised = email.strip().lower()
    readable = len(normalised) <= 320 and normalised.isprintable()
    user = session.scalar(select(User).where(User.email == normalised)) if readable else None
    if user is None:
        raise UserError(f"no account for {normalised[:320].encode('ascii', 'backslashreplace').decode()}")
    return user


def find_user_by_id(session: Session, user_id: object) -> User:
    """The account with this id, as a browser may send it (a number), or UserError."""
    if isinstance(user_id, bool) or not isinstance(user_id, int) or not 1 <= user_id <= 2**31 - 1:
        raise UserError("choose an account in the list first")
    user = session.get(User, user_id)
    if user is None:
        raise UserError("that account no longer exists")
    return user


def _target(session: Session, who: User | str) -> User:
    return who if isinstance(who, User) else find_user(session, who)


def end_user_sessions(session: Session, user: User, reason: str) -> int:
    """End every live session of the account (at their next request they are refused). How many."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def deactivate_user(session: Session, who: User | str, actor: Actor | str) -> User:
    """Disable an account and end its sessions; the row is kept for the audit trail.
    The secretariat may deactivate liaisons only, an admin anyone; nobody their own account."""
    user = _target(session, who)
    check_may_deactivate(session, user, actor)
    user.active = False
    ended = end_user_sessions(session, user, "deactivated")
    revoked = session.execute(  # its API tokens stop too, and stay stopped if it is reactivated
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by=f"deactivated by {_actor_name(actor)}"[:320])
    )
    details = {"sessions_ended": ended, "tokens_revoked": int(getattr(revoked, "rowcount", 0) or 0)}
    record_event(session, _actor_name(actor), "user.deactivate", user.email, details)
    session.flush()
    keep_data_version(session)  # the account's participant, all public pages read of it, is kept
    return user


def reactivate_user(session: Session, who: User | str, actor: Actor | str) -> User:
    """Enable a deactivated account again (admins only); it signs in anew, with its password."""
    user = _target(session, who)
    _require_admin(session, actor, "reactivate accounts")
    if user.active:
        raise UserError(f"{user.email} is already active")
    user.active = True
    record_event(session, _actor_name(actor), "user.reactivate", user.email, {})
    session.flush()
    keep_data_version(session)
    return user


def end_sessions(session: Session, who: User | str, actor: Actor | str) -> int:
    """End all of an account's sessions (admins only): it must sign in again. How many were live."""
    user = _target(session, who)
    _require_admin(session, actor, "end an account's sessions")
    ended = end_user_sessions(session, user, "ended_by_admin")
    record_event(session, _actor_name(actor), "user.end_sessions", user.email, {"sessions_ended": ended})
    keep_data_version(session)
    return ended


def set_password(
    session: Session, who: User | str, password: str, actor: Actor | str, *, generated: bool = False
) -> User:
    """Replace an account's password and end its sessions (the same rule as deactivating).
    `generated`: the password was made by `reset_password` (the audit event says so)."""
    user = _target(session, who)
    if not _is_self(actor, user):
        _require_manage(session, actor, user.role, "change the password of")
    check_password_policy(password, user.email)
    user.password_hash = hash_password(password)
    ended = end_user_sessions(session, user, "password_changed")
    details: dict[str, object] = {"sessions_ended": ended}
    if generated:
        details["generated"] = True
    record_event(session, _actor_name(actor), "user.set_password", user.email, details)
    session.flush()
    keep_data_version(session)
    return user


#: Letters and digits nobody misreads when passing a password on (no 0/O, 1/l/I).
_PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet


def new_password() -> str:
    """A random password to give to an account's owner: four groups of five (about 116 bits)."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5)) for _ in range(4))


def reset_password(session: Session, who: User | str, actor: Actor | str) -> tuple[User, str]:
    """Give an account a new random password (returned, to be shown once) and end its sessions.

    The rule of `set_password` (the secretariat liaisons only, an admin anyone), except that nobody
    resets their own account's password this way: a stolen session must not lock its owner out."""
    user = _target(session, who)
    check_may_reset(session, user, actor)
    while True:
        password = new_password()
        try:
            check_password_policy(password, user.email)
        except UserError:
            continue  # it held the email's name part: draw again
        break
    return set_password(session, user, password, actor, generated=True), password


def check_may_reset(session: Session, user: User, actor: Actor | str) -> None:
    """UserError if `actor` may not reset `user`'s password (asked before a confirmation is shown)."""
    if _is_self(actor, user):
        raise UserError("you cannot reset your own password here; ask an admin, or use the command line")
    _require_manage(session, actor, user.role, "reset the password of")


def account_label(user: User) -> str:
    """An account as a confirmation names it: "liaison@police.example (liaison, DEU)"."""
    bound = f", {user.participant_code}" if user.participant_code else ""
    return f"{user.email} ({user.role}{bound})"


def check_may_deactivate(session: Session, user: User, actor: Actor | str) -> None:
    """UserError if `actor` may not deactivate `user` now (asked before a confirmation is shown)."""
    if _is_self(actor, user):
        raise UserError("you cannot deactivate your own account")
    _require_manage(session, actor, user.role, "deactivate")
    if not user.active:
        raise UserError(f"{user.email} is already deactivated")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this email and password, or None (the caller says nothing more specific).
    No limits and no session: the web signs in through `models.accounts.sessions.sign_in`."""
    try:
        normalised = normalise_email(email)
    except UserError:
        normalised = ""
    keep_data_version(session)  # signing in changes no figure
    user = session.scalar(select(User).where(User.email == normalised)) if normalised else None
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def users_frame(session: Session) -> pd.DataFrame:
    """Every account. Columns: user_id, email, display_name, role, participant, active, sessions
    (live sessions now), created_at, last_sign_in (the start of its latest session: a session is
    only made by a successful sign-in; NaT if it never signed in)."""
    live = (
        select(func.count())
        .where(
            UserSession.user_id == User.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > utcnow(),
        )
        .scalar_subquery()
    )
    last = select(func.max(UserSession.created_at)).where(UserSession.user_id == User.id).scalar_subquery()
    rows = session.execute(
        select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            User.participant_code,
            User.active,
            live,
            User.created_at,
            last,
        ).order_by(User.email)
    ).all()
    return pd.DataFrame(
        rows,
        columns=[
            "user_id",
            "email",
            "display_name",
            "role",
            "participant",
            "active",
            "sessions",
            "created_at",
            "last_sign_in",
        ],
    )
