"""Database faults told apart from bugs: unreachable, read-only, full, or not yet set up, in one line.

The web app answers these with 503 and the command lines with one line on standard error and exit
status 1; both use `database_fault` to decide, so they agree on what a fault is. Anything it does
not recognise (an integrity error, a bad statement) is a bug and stays one.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from sqlalchemy import exc as sa_exc

FaultKind = Literal["unreachable", "read_only", "full", "not_ready"]

#: What a person is told, per kind. Nothing was saved: a failed unit of work rolls back whole.
USER_MESSAGES: dict[FaultKind, str] = {
    "unreachable": "VID Monitor cannot reach its database just now. Nothing was saved. Try again shortly.",
    "read_only": "VID Monitor cannot write to its database just now. Nothing was saved. Try again shortly.",
    "full": "VID Monitor's database has no room left just now. Nothing was saved. Try again shortly.",
    "not_ready": "VID Monitor's database is not set up yet. Nothing was saved. Try again shortly.",
}
#: What an operator reads in a log line or on a terminal, per kind.
OPERATOR_MESSAGES: dict[FaultKind, str] = {
    "unreachable": "the database is unreachable",
    "read_only": "the database is read-only",
    "full": "the database (or its disk) is full",
    "not_ready": "the database has no schema yet (run: python -m models init-db)",
}

_READ_ONLY_STATES = {"25006"}  # read_only_sql_transaction (a standby, or default_transaction_read_only)
_FULL_STATES = {"53100", "53200", "53300"}  # disk_full, out_of_memory, too_many_connections
_NOT_READY_STATES = {"42P01", "3F000"}  # undefined_table, invalid_schema_name
_DETAIL_LENGTH = 240


@dataclass(frozen=True)
class DatabaseFault:
    """A recognised fault: its kind and the driver's own words, on one line."""

    kind: FaultKind
    detail: str

    @property
    def user_message(self) -> str:
        return USER_MESSAGES[self.kind]

    def one_line(self) -> str:
        """For logs and terminals: what happened and the driver's message, never a traceback."""
        return f"{OPERATOR_MESSAGES[self.kind]}: {self.detail}"


def _first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= _DETAIL_LENGTH else line[: _DETAIL_LENGTH - 1] + "…"


def _kind_from(original: BaseException, default: FaultKind | None) -> FaultKind | None:
    state = getattr(original, "sqlstate", None) or getattr(getattr(original, "diag", None), "sqlstate", None)
    text = str(original).lower()
    if state in _READ_ONLY_STATES or "readonly database" in text or "read-only" in text:
        return "read_only"
    if state in _FULL_STATES or "disk is full" in text or "no space left" in text:
        return "full"
    if state in _NOT_READY_STATES or "no such table" in text:
        return "not_ready"
    if isinstance(original, OSError) and original.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if isinstance(original, OSError) and original.errno == errno.EROFS:
        return "read_only"
    return default


def database_fault(error: BaseException) -> DatabaseFault | None:
    """The fault `error` reports, or None when it is not a database fault (a bug, bad input)."""
    original: BaseException = error
    default: FaultKind | None
    if isinstance(error, sa_exc.DBAPIError):
        original = error.orig if error.orig is not None else error
        if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError) or error.connection_invalidated:
            default = "unreachable"
        else:  # InternalError, ProgrammingError, ...: a fault only for the states named above
            default = None
    elif isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        default = "unreachable"  # the pool waited in vain for a connection
    elif isinstance(error, sqlite3.OperationalError | psycopg.OperationalError | psycopg.InterfaceError):
        default = "unreachable"  # a driver error that reached us unwrapped
    elif isinstance(error, psycopg.InternalError | psycopg.ProgrammingError | OSError):
        default = None
    else:
        return None
    kind = _kind_from(original, default)
    if kind is None:
        return None
    return DatabaseFault(kind, refusal(original))


def refusal(error: BaseException) -> str:
    """Any database error on one line: its class and the first line of the driver's message."""
    original = getattr(error, "orig", None) or error
    return f"{type(original).__name__}: {_first_line(str(original)) or 'no message'}"


def invalidate_on_write_fault(context: Any) -> None:
    """SQLAlchemy `handle_error` hook: drop a connection that found the database read-only or full.

    SQLite keeps a connection opened on a read-only file read-only for good, even once the file is
    writable again, so such a connection is discarded and the next request opens a fresh one: the
    app recovers by itself. Every other connection opened meanwhile may be as stuck (a request's read
    snapshot holds one while its write meets the fault), so the whole pool is renewed: connections
    in use now are replaced when next checked out.
    """
    original = context.original_exception
    if _kind_from(original, None) in ("read_only", "full"):
        context.is_disconnect = True
        context.invalidate_pool_on_disconnect = True


FAULT_POINT_ENV = "VID_FAULT_POINT"


def fault_point(name: str) -> None:
    """A place where a test may stop this process, for tests that kill a process at an exact moment.

    Unless the environment names this point (`VID_FAULT_POINT=<name>:<path>`, set only by tests),
    this does nothing. When it does, the process writes `<name>` and a newline to `<path>` (the
    write end of the test's pipe, `/dev/fd/N`) and waits for ever: the test kills it right there.
    Points: `commit` (a unit of work is written, not yet committed) and `committed` (just after).
    """
    wanted, _, path = os.environ.get(FAULT_POINT_ENV, "").partition(":")
    if wanted != name:
        return
    with open(path, "w", encoding="utf-8") as signal:
        signal.write(name + "\n")
    threading.Event().wait()
