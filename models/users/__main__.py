"""Command line for accounts: `python -m models.users add|list|deactivate|reactivate|end-sessions|
set-password` and `token create|list|revoke`; every rule it obeys lives in models.accounts.users."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.accounts.tokens import create_token, revoke_token, tokens_frame
from models.accounts.users import (
    LIAISON_NEEDS_PARTICIPANT,
    Actor,
    UserError,
    create_user,
    deactivate_user,
    end_sessions,
    find_user,
    reactivate_user,
    set_password,
    users_frame,
)
from models.cli import actor_from, command_line, common_options, engine_from
from models.db import account_transaction, read_session
from models.tables import ROLES


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
    for name, text in (
        ("deactivate", "disable an account and end its sessions"),
        ("reactivate", "enable a deactivated account again"),
        ("end-sessions", "end every session of an account (it must sign in again)"),
        ("set-password", "change an account's password (ends its sessions)"),
    ):
        command = commands.add_parser(name, parents=[common], help=text)
        command.add_argument("--email", required=True)
    token = commands.add_parser("token", help="API tokens of an account: create, list, revoke")
    token_commands = token.add_subparsers(dest="token_command", required=True)
    create = token_commands.add_parser(
        "create", parents=[common], help="make a token; printed once, alone on the last line"
    )
    create.add_argument("--email", required=True)
    create.add_argument("--days", type=int, default=90, help="days until it expires (1 to 366; default 90)")
    listing = token_commands.add_parser("list", parents=[common], help="an account's tokens (never a secret)")
    listing.add_argument("--email", required=True)
    revoke = token_commands.add_parser("revoke", parents=[common], help="revoke a token by its id")
    revoke.add_argument("--id", dest="token_id", type=int, required=True)
    return parser


def _token_command(args: argparse.Namespace, engine: Engine, actor: Actor) -> None:
    if args.token_command == "create":  # noqa: S105 - a command name
        with account_transaction(engine) as session:
            user = find_user(session, args.email)
            secret, row = create_token(session, user, actor, days=args.days)
            print(f"API token {row.id} for {user.email}, expires {row.expires_at:%Y-%m-%d %H:%M} UTC")
            print("It is shown only now: keep it as a password. Send it as 'Authorization: Bearer <token>'.")
            print(secret)
    elif args.token_command == "list":  # noqa: S105 - a command name
        with read_session(engine) as session:
            frame = tokens_frame(session, find_user(session, args.email), actor)
        print(f"{'ID':<8} {'CREATED':<17} {'EXPIRES':<17} {'STATE':<20} CREATED BY")
        for row in frame.itertuples(index=False):
            print(f"{row.token_id:<8} {row.created_at:%Y-%m-%d %H:%M} {row.expires_at:%Y-%m-%d %H:%M}"
                  f" {row.state:<20} {row.created_by}")  # fmt: skip
    else:
        with account_transaction(engine) as session:
            row, user = revoke_token(session, args.token_id, actor)
        print(f"revoked API token {row.id} of {user.email}")


def _list(session: Session) -> None:
    frame = users_frame(session)
    print(f"{'EMAIL':<40} {'ROLE':<12} {'FOR':<4} {'STATE':<12} SESSIONS")
    for row in frame.itertuples(index=False):
        state = "active" if row.active else "deactivated"
        participant = row.participant if isinstance(row.participant, str) else "-"
        print(f"{row.email:<40} {row.role:<12} {participant:<4} {state:<12} {int(row.sessions)}")


@command_line
def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    engine = engine_from(args)
    actor = Actor.operator(actor_from(args))
    try:
        if args.command == "token":
            _token_command(args, engine, actor)
        elif args.command == "list":
            with read_session(engine) as session:
                _list(session)
        elif args.command == "add":
            if args.role == "liaison" and not args.participant:  # asked before the password prompt
                raise UserError(LIAISON_NEEDS_PARTICIPANT)
            password = _read_password(confirm=True)
            with account_transaction(engine) as session:
                user = create_user(
                    session, args.email, args.name, args.role, args.participant, password, actor
                )
                print(
                    f"created {user.role} account {user.email}"
                    + (f" for {user.participant_code}" if user.participant_code else "")
                )
        elif args.command == "deactivate":
            with account_transaction(engine) as session:
                user = deactivate_user(session, args.email, actor)
            print(f"deactivated {user.email}; its sessions are ended")
        elif args.command == "reactivate":
            with account_transaction(engine) as session:
                user = reactivate_user(session, args.email, actor)
            print(f"reactivated {user.email}; it may sign in again")
        elif args.command == "end-sessions":
            with account_transaction(engine) as session:
                ended = end_sessions(session, args.email, actor)
            print(f"ended {ended} session{'s' if ended != 1 else ''} of {args.email.strip().lower()}")
        elif args.command == "set-password":
            password = _read_password(confirm=True)
            with account_transaction(engine) as session:
                user = set_password(session, args.email, password, actor)
            print(f"changed the password of {user.email}; its sessions are ended")
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
