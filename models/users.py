"""User accounts: create, list, deactivate, change passwords, authenticate; CLI: python -m models.users.

Passwords are hashed with Argon2id (argon2-cffi). Every change to an account is an audit event.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.cli import actor_from, command_line, common_options, engine_from
from models.db import keep_data_version, read_session, write_transaction
from models.tables import ROLES, AuditEvent, Participant, User

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
# Verified against when the account does not exist, so a wrong email costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing-only")


class UserError(ValueError):
    """An account change that cannot be made; the message says why in plain words."""


@dataclass(frozen=True)
class Identity:
    """What the web app needs to know about a signed-in user (no password hash)."""

    id: int
    email: str
    display_name: str
    role: str
    participant_code: str | None
    session_token: str

    @property
    def is_secretariat(self) -> bool:
        return self.role in ("secretariat", "admin")


def hash_password(password: str) -> str:
    """An Argon2id hash of the password."""
    return _hasher.hash(password)


def session_token(user: User) -> str:
    """Identifies a user *and* their current password: changing the password ends other sessions."""
    fingerprint = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    return f"{user.id}.{fingerprint}"


def identity(user: User) -> Identity:
    return Identity(
        user.id, user.email, user.display_name, user.role, user.participant_code, session_token(user)
    )


def check_password_policy(password: str, email: str) -> None:
    """Refuse passwords that are too short, too long, or contain the email's name part."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        raise UserError(f"the password must not contain the name part of the email address ({local!r})")


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email) or len(email) > 320:
        raise UserError(f"{email!r} is not an email address")
    return email


def create_user(
    session: Session,
    email: str,
    display_name: str,
    role: str,
    participant_code: str | None,
    password: str,
    actor: str,
) -> User:
    """Add an account. Liaisons must be bound to one registered participant; other roles to none."""
    email = normalise_email(email)
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if role == "liaison":
        if not participant_code:
            raise UserError("a liaison must be bound to a participant: choose which one")
        participant_code = participant_code.strip().upper()
        if session.get(Participant, participant_code) is None:
            raise UserError(f"{participant_code} is not a registered participant")
    elif participant_code:
        raise UserError(f"only liaisons are bound to a participant, not the {role} role")
    else:
        participant_code = None
    if session.scalar(select(func.count()).where(User.email == email)):
        raise UserError(f"an account for {email} already exists")
    check_password_policy(password, email)
    user = User(
        email=email,
        display_name=display_name.strip() or email,
        role=role,
        participant_code=participant_code,
        password_hash=hash_password(password),
        active=True,
    )
    session.add(user)
    session.flush()
    session.add(
        AuditEvent(
            actor=actor,
            action="user.add",
            subject=email,
            details={"role": role, "participant": participant_code},
        )
    )
    return user


def find_user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise UserError(f"no account for {email.strip().lower()}")
    return user


def deactivate_user(session: Session, email: str, actor: str) -> User:
    """Disable an account; its sessions end at their next request. The row is kept for the audit trail."""
    user = find_user(session, email)
    user.active = False
    session.add(AuditEvent(actor=actor, action="user.deactivate", subject=user.email, details={}))
    session.flush()
    keep_data_version(session)  # the account's participant, all public pages read of it, is kept
    return user


def set_password(session: Session, email: str, password: str, actor: str) -> User:
    """Replace an account's password (ends its other sessions)."""
    user = find_user(session, email)
    check_password_policy(password, user.email)
    user.password_hash = hash_password(password)
    session.add(AuditEvent(actor=actor, action="user.set_password", subject=user.email, details={}))
    session.flush()
    keep_data_version(session)
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active account with this email and password, or None (the caller says nothing more specific)."""
    try:
        normalised = normalise_email(email)
    except UserError:
        normalised = ""
    keep_data_version(session)  # signing in changes no figure
    user = session.scalar(select(User).where(User.email == normalised)) if normalised else None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def load_identity(session: Session, token: str) -> Identity | None:
    """The identity for a session token, if the account is still active and its password unchanged."""
    user_id, _, _fingerprint = token.partition(".")
    if not user_id.isdigit():
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or session_token(user) != token:
        return None
    return identity(user)


def users_frame(session: Session) -> pd.DataFrame:
    """Every account. Columns: email, display_name, role, participant, active, created_at."""
    rows = session.execute(
        select(
            User.email, User.display_name, User.role, User.participant_code, User.active, User.created_at
        ).order_by(User.email)
    ).all()
    return pd.DataFrame(
        rows, columns=["email", "display_name", "role", "participant", "active", "created_at"]
    )


# --- command line -------------------------------------------------------------------------------


def _read_password(confirm: bool) -> str:
    """From a prompt on a terminal (asked twice), else the first line of standard input; never argv."""
    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if confirm and getpass.getpass("Repeat password: ") != password:
            raise UserError("the two passwords differ")
        return password
    return sys.stdin.readline().rstrip("\r\n")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m models.users",
        description="Manage accounts. Passwords are read from a prompt, or from standard input when "
        "it is not a terminal; never from the command line.",
    )
    common = common_options()
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", parents=[common], help="create an account")
    add.add_argument("--email", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--participant", metavar="ISO3", help="the participant a liaison acts for")
    add.add_argument("--name", default="", help="display name (default: the email)")
    commands.add_parser("list", parents=[common], help="list accounts")
    deactivate = commands.add_parser("deactivate", parents=[common], help="disable an account")
    deactivate.add_argument("--email", required=True)
    password = commands.add_parser("set-password", parents=[common], help="change an account's password")
    password.add_argument("--email", required=True)
    return parser


@command_line
def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    engine = engine_from(args)
    actor = actor_from(args)
    try:
        if args.command == "list":
            with read_session(engine) as session:
                frame = users_frame(session)
            print(f"{'EMAIL':<40} {'ROLE':<12} {'FOR':<4} STATE")
            for row in frame.itertuples(index=False):
                state = "active" if row.active else "deactivated"
                participant = row.participant if isinstance(row.participant, str) else "-"
                print(f"{row.email:<40} {row.role:<12} {participant:<4} {state}")
        elif args.command == "add":
            if args.role == "liaison" and not args.participant:  # asked before the password prompt
                raise UserError(
                    "a liaison must be bound to a participant: choose which one with --participant ISO3"
                )
            password = _read_password(confirm=True)
            with write_transaction(engine) as session:
                user = create_user(
                    session, args.email, args.name, args.role, args.participant, password, actor
                )
                print(
                    f"created {user.role} account {user.email}"
                    + (f" for {user.participant_code}" if user.participant_code else "")
                )
        elif args.command == "deactivate":
            with write_transaction(engine) as session:
                deactivate_user(session, args.email, actor)
            print(f"deactivated {args.email.strip().lower()}")
        elif args.command == "set-password":
            password = _read_password(confirm=True)
            with write_transaction(engine) as session:
                set_password(session, args.email, password, actor)
            print(f"changed the password of {args.email.strip().lower()}")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
