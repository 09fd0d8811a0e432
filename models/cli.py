"""What every command line shares: the --database and --user options, the engine, the actor's name,
and `command_line`, which turns a database fault or a closed pipe into one line and an exit status."""

from __future__ import annotations

import argparse
import getpass
import io
import os
import signal
import sys
from collections.abc import Sequence
from functools import wraps
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from models.db import make_engine, read_session
from models.demo import DEMO_LABEL, holds_demo_data
from models.faults import database_fault, refusal
from models.settings import get_settings

EXIT_FAULT = 1
#: What a shell reports for a program ended by SIGPIPE (`seq 1 100000 | head -1` gives the same).
EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE


class Main(Protocol):
    """A command's entry point: `main(argv)`, argv None meaning sys.argv[1:]; returns the exit status."""

    def __call__(self, argv: Sequence[str] | None = None, /) -> int: ...


def common_options(actor: bool = True) -> argparse.ArgumentParser:
    """A parent parser with --database (and --user, for commands that record who acted)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    if actor:
        common.add_argument("--user", default=None, help="name recorded as the actor (default: login name)")
    return common


def engine_from(args: argparse.Namespace) -> Engine:
    """An engine on --database, or on the configured DATABASE_URL."""
    return make_engine(args.database or get_settings().resolved_database_url())


def actor_from(args: argparse.Namespace) -> str:
    """--user, or `cli:<login name>`: recorded with every change the command makes."""
    return str(getattr(args, "user", None) or f"cli:{getpass.getuser()}")


def demo_note(engine: Engine) -> str | None:
    """DEMO_LABEL when the database holds demonstration data, else None: what outputs must say."""
    with read_session(engine) as session:
        return DEMO_LABEL if holds_demo_data(session) else None


def announce_demo(note: str | None) -> None:
    """The line on standard error that labels a command's figures as demonstration data."""
    if note:
        print(f"note: {note}: every figure shown is invented", file=sys.stderr)


def command_line(main: Main) -> Main:
    """Wrap a command's `main(argv)`: the same behaviour for every command of the product.

    - The database unreachable, read-only, full or without a schema: one line on standard error
      (what happened, in the driver's words) and exit status 1. The unit of work was rolled back,
      so nothing was changed.
    - Any other refusal by the database: the same, with the driver's words.
    - Standard output closed early (`... | head`): stop quietly, exit status 141 like any Unix tool.
    """

    @wraps(main)
    def run(argv: Sequence[str] | None = None) -> int:
        try:
            code = main(argv)
            sys.stdout.flush()  # inside the guard: a closed pipe shows here, not at interpreter exit
            return code
        except BrokenPipeError:
            _discard_standard_output()
            return EXIT_BROKEN_PIPE
        except SQLAlchemyError as error:
            fault = database_fault(error)
            told = fault.one_line() if fault else f"the database refused the request: {refusal(error)}"
            print(f"error: {told}; nothing was changed", file=sys.stderr)
            return EXIT_FAULT
        except Exception as error:
            fault = database_fault(error)  # a driver's own exception, or the disk under SQLite
            if fault is None:
                raise
            print(f"error: {fault.one_line()}; nothing was changed", file=sys.stderr)
            return EXIT_FAULT

    return run


def _discard_standard_output() -> None:
    """Point standard output at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return  # not a real file (a test's capture): nothing will be flushed to a closed pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)
