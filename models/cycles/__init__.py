"""Reporting cycles certified: review of submissions, closing with snapshots, locks and reminders (issue 14).

What the modules share: `CycleError` (a refusal, its message in plain words for web and command
line alike) and `require_secretariat`, the one rule of who may review, close and unlock.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models.accounts.users import OPERATOR, Actor, UserError, acting_role

#: Roles that may accept or return submissions, close cycles and grant lock exceptions. The
#: operator of a command line is the secretariat's own tool (docs/security.md).
SECRETARIAT_ROLES = ("secretariat", "admin", OPERATOR)


class CycleError(ValueError):
    """A review, close or unlock that is refused; nothing was changed."""


def require_secretariat(session: Session, actor: Actor | str, verb: str) -> str:
    """The actor's role if it may `verb` (accept, return, close, unlock), else CycleError.

    The role is read from the database (`models.users.acting_role`), never from what a browser sent.
    """
    try:
        role = acting_role(session, actor)
    except UserError as exc:
        raise CycleError(f"your account may no longer {verb}") from exc
    if role not in SECRETARIAT_ROLES:
        raise CycleError(f"only the secretariat may {verb} (your role: {role})")
    return role


def actor_name(actor: Actor | str) -> str:
    """The name recorded for the actor (an email, or a command line's user)."""
    return actor if isinstance(actor, str) else actor.name
