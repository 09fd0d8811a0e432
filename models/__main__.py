"""Command line for the data layer: `python -m models init-db`, participants, cycles, submissions, report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from models.bootstrap import init_db
from models.cli import actor_from, announce_demo, command_line, common_options, demo_note, engine_from
from models.cycles import CycleError
from models.cycles.closing import close_cycle
from models.cycles.locks import grant_exception
from models.cycles.review import Submission, accept_upload, list_submissions, return_upload
from models.db import read_session, write_transaction
from models.demo import DEMO_LABEL
from models.reference import (
    CycleSpec,
    ReferenceDataError,
    add_cycle,
    add_participant,
    move_cycle,
    validated_participant,
)
from models.reports.exports import DEMO_NOTE_COLUMN
from models.reports.joint_report.command import output_problem, write_report
from models.tables import REVIEW_STATUSES, Participant, ReportingCycle


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

    c_close = c_commands.add_parser(
        "close",
        parents=[common],
        help="close a cycle after its deadline: freeze its snapshot, lock its years",
    )
    c_close.add_argument("--name", required=True)
    c_unlock = c_commands.add_parser(
        "unlock", parents=[common], help="grant a participant a lock exception in a closed cycle"
    )
    c_unlock.add_argument("--name", required=True, help="the closed cycle")
    c_unlock.add_argument("--participant", required=True, metavar="ISO3")
    c_unlock.add_argument("--reason", required=True)
    c_unlock.add_argument(
        "--until", type=_date, metavar="YYYY-MM-DD", help="last day the exception holds (default: 30 days)"
    )

    submissions = commands.add_parser("submissions", help="review uploads: list, accept or return them")
    s_commands = submissions.add_subparsers(dest="action", required=True)
    s_list = s_commands.add_parser(
        "list", parents=[common], help="uploads that recorded values, oldest first"
    )
    s_list.add_argument("--status", choices=REVIEW_STATUSES)
    s_list.add_argument("--participant", metavar="ISO3")
    s_list.add_argument("--json", action="store_true", help="print a JSON array")
    s_accept = s_commands.add_parser("accept", parents=[common], help="accept a submitted upload")
    s_accept.add_argument("--upload", required=True, type=int, metavar="ID")
    s_accept.add_argument("--reason", help="a note kept with the decision")
    s_return = s_commands.add_parser(
        "return", parents=[common], help="return a submitted upload to its liaison, with a comment"
    )
    s_return.add_argument("--upload", required=True, type=int, metavar="ID")
    s_return.add_argument("--reason", required=True, help="what the liaison must correct")

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
        elif args.command == "cycles" and args.action == "close":
            with write_transaction(engine) as session:
                snapshot = close_cycle(session, actor, args.name)
            label = " (demonstration data)" if snapshot.demonstration else ""
            print(
                f"closed {snapshot.cycle}{label} at data version {snapshot.data_version}; "
                f"snapshot SHA-256 {snapshot.sha256}"
            )
        elif args.command == "cycles" and args.action == "unlock":
            with write_transaction(engine) as session:
                granted = grant_exception(
                    session, actor, args.name, args.participant, args.reason, args.until
                )
            print(
                f"lock exception for {granted.participant} in {granted.cycle} "
                f"until {granted.until.isoformat()}"
            )
        elif args.command == "submissions":
            return _submissions(engine, args, actor)
        elif args.command == "report":
            return write_report(engine, args.cycle, args.output)
    except (ReferenceDataError, CycleError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _submissions(engine: Engine, args: argparse.Namespace, actor: str) -> int:
    if args.action == "list":
        with read_session(engine) as session:
            participant = args.participant.strip().upper() if args.participant else None
            if participant and session.get(Participant, participant) is None:
                raise CycleError(f"{args.participant!r} is not a registered participant")
            rows = list_submissions(session, args.status, participant)
        note = demo_note(engine)
        announce_demo(note)
        if args.json:
            records = [
                _listed(row) | ({DEMO_NOTE_COLUMN: DEMO_LABEL} if row.demonstration else {}) for row in rows
            ]
            print(json.dumps(records, indent=2, ensure_ascii=False))
        elif not rows:
            print("(no uploads)")
        for row in [] if args.json else rows:
            years = f"{row.first_year}-{row.last_year}" if row.first_year is not None else "-"
            comment = f"  comment: {row.comment}" if row.comment else ""
            print(
                f"{row.upload:>6}  {row.status:<9}  {row.participant or 'several':<7}  {years:<9}  "
                f"received {row.received_on.isoformat()}  by {row.submitted_by}  {row.file}{comment}"
            )
        return 0
    with write_transaction(engine) as session:
        if args.action == "accept":
            changed = accept_upload(session, actor, args.upload, args.reason)
            print(f"accepted upload {args.upload}: {changed} value(s) now count")
        else:
            return_upload(session, actor, args.upload, args.reason)
            print(f"returned upload {args.upload}: its values do not count")
    return 0


def _listed(row: Submission) -> dict[str, object]:
    """A submission as the --json listing shows it (the contract of issue 14, then more)."""
    record = row.as_dict()
    return {
        "upload": record["upload"],
        "participant": record["participant"],
        "status": record["status"],
        "received_on": record["received_on"],
        "submitted_by": record["submitted_by"],
        "reviewed_by": record["reviewed_by"],
        "reviewed_at": record["reviewed_at"],
        "comment": record["comment"],
        "received_at": record["received_at"],
        "file": record["file"],
        "values": record["values"],
        "first_year": record["first_year"],
        "last_year": record["last_year"],
    }


if __name__ == "__main__":
    sys.exit(main())
