"""What every command line shares: the --database and --user options, the engine, the actor's name."""

from __future__ import annotations

import argparse
import getpass

from sqlalchemy import Engine

from models.db import make_engine
from models.settings import get_settings


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
