"""Command line for data ingest: `python -m data_ingest demo [--remove]`."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from models.db import make_engine, write_transaction
from models.demo import DEMO_LABEL, DemoDataError, holds_demo_data, load_demo, remove_demo
from models.settings import get_settings


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_ingest", description=__doc__)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help="database URL (default: DATABASE_URL)")
    common.add_argument("--user", default=None, help="name recorded as the actor (default: login name)")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", parents=[common], help="load or remove the demonstration data")
    demo.add_argument("--remove", action="store_true", help="remove the demonstration data")
    return parser


def run_demo(args: argparse.Namespace) -> int:
    engine = make_engine(args.database or get_settings().resolved_database_url())
    actor = args.user or f"cli:{getpass.getuser()}"
    try:
        with write_transaction(engine) as session:
            if args.remove:
                if not holds_demo_data(session):
                    print("no demonstration data to remove")
                    return 0
                removed = remove_demo(session, actor)
                print(f"removed demonstration data ({removed} synthetic submissions)")
            else:
                report = load_demo(session)
                print(report.message)
                if report.loaded:
                    print(f"note: {DEMO_LABEL}")
    except DemoDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        return run_demo(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
