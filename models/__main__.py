"""Command line for the data layer: `python -m models init-db`, participants, cycles and the joint report."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from models.bootstrap import init_db
from models.cli import actor_from, command_line, common_options, engine_from
from models.db import read_session, write_transaction
from models.reference import (
    CycleSpec,
    ReferenceDataError,
    add_cycle,
    add_participant,
    move_cycle,
    validated_participant,
)
from models.reports.joint_report.command import output_problem, write_report
from models.tables import Participant, ReportingCycle


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m models", description=__doc__)
    common = common_options()
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser(
        "init-db", parents=[common], help="create or migrate the schema and load the reference data"
    )
    init.add_argument(
        "--demo", action="store_true", help="also load demonstration data into an empty database"
    )

    participants = commands.add_parser("participants", help="list or add participants")
    p_commands = participants.add_subparsers(dest="action", required=True)
    p_commands.add_parser("list", parents=[common], help="list registered participants")
    p_add = p_commands.add_parser("add", parents=[common], help="register a participant")
    p_add.add_argument("--code", required=True, help="ISO 3166-1 alpha-3 code")
    p_add.add_argument("--name", required=True)
    p_add.add_argument("--joined", required=True, type=_date, help="date joined (YYYY-MM-DD)")
    p_add.add_argument("--source-title", required=True, help="publication recording the joining")
    p_add.add_argument("--source-url", required=True)

    cycles = commands.add_parser("cycles", help="list, add or move reporting cycles")
    c_commands = cycles.add_subparsers(dest="action", required=True)
    c_commands.add_parser("list", parents=[common], help="list reporting cycles")
    c_add = c_commands.add_parser("add", parents=[common], help="add a reporting cycle")
    c_add.add_argument("--name", required=True)
    c_add.add_argument("--kind", choices=("stock_taking", "biennial_report"), default="biennial_report")
    c_add.add_argument("--deadline", required=True, type=_date)
    c_add.add_argument("--first-year", required=True, type=int)
    c_add.add_argument("--last-year", required=True, type=int)
    c_move = c_commands.add_parser("move", parents=[common], help="change a cycle's deadline")
    c_move.add_argument("--name", required=True)
    c_move.add_argument("--deadline", required=True, type=_date)
    c_move.add_argument("--reason", required=True)

    report = commands.add_parser(
        "report",
        parents=[common],
        help="write the joint report of a reporting cycle (PDF, or XLSX for the spreadsheet)",
    )
    report.add_argument(
        "--cycle", required=True, metavar="NAME", help="the reporting cycle, e.g. 'Report 2026'"
    )
    report.add_argument(
        "--output",
        required=True,
        type=Path,
        metavar="FILE.pdf|FILE.xlsx",
        help="where to write it (.pdf or .xlsx)",
    )
    return parser


@command_line
def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "report" and (problem := output_problem(args.output)):
        parser.error(problem)
    engine = engine_from(args)
    actor = actor_from(args)
    try:
        if args.command == "init-db":
            report = init_db(engine, demo=args.demo, actor=actor)
            seeded = report.seeded
            print(
                f"schema at revision {report.revision}; added {seeded.participants} participants, "
                f"{seeded.indicators} indicators, {seeded.cycles} reporting cycles"
            )
            if report.demo is not None:
                print(report.demo.message)
            if report.notice:
                print(f"note: {report.notice}")
        elif args.command == "participants" and args.action == "list":
            with read_session(engine) as session:
                for p in session.scalars(select(Participant).order_by(Participant.code)):
                    print(f"{p.code}  {p.joined_on.isoformat()}  {p.name}")
        elif args.command == "participants" and args.action == "add":
            record = validated_participant(
                args.code, args.name, args.joined, args.source_title, args.source_url
            )
            with write_transaction(engine) as session:
                add_participant(session, record, actor)
            print(f"registered {record.code} ({record.name}), joined {record.joined_on.isoformat()}")
        elif args.command == "cycles" and args.action == "list":
            with read_session(engine) as session:
                for c in session.scalars(select(ReportingCycle).order_by(ReportingCycle.deadline)):
                    print(f"{c.name:<20} due {c.deadline.isoformat()}  covers {c.first_year}-{c.last_year}")
        elif args.command == "cycles" and args.action == "add":
            spec = CycleSpec(args.name, args.kind, args.deadline, args.first_year, args.last_year)
            with write_transaction(engine) as session:
                add_cycle(session, spec, actor)
            print(f"added cycle {spec.name}, due {spec.deadline.isoformat()}")
        elif args.command == "cycles" and args.action == "move":
            with write_transaction(engine) as session:
                move_cycle(session, args.name, args.deadline, actor, args.reason)
            print(f"moved {args.name} to {args.deadline.isoformat()}")
        elif args.command == "report":
            return write_report(engine, args.cycle, args.output)
    except ReferenceDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
