"""Command line for the metrics: `python -m models.metrics compliance|reporting|changes`.

Figures from a database holding demonstration data are labelled: a `data_note` column (last) in
CSV and on every JSON row, and a line on standard error in every format. Figures including those
awaiting review (`--include-submitted`) are labelled the same way, in a `figures_note` column.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from models.cli import announce_demo, command_line, common_options, demo_note, engine_from
from models.counting import FIGURES_NOTE_COLUMN
from models.cycles import CycleError
from models.cycles.closing import changes_since_close, latest_snapshot
from models.db import read_session
from models.demo import DEMO_LABEL
from models.metrics.compliance import ALL, BASES, DEFAULT_BASIS
from models.metrics.service import compliance, participants, reporting
from models.queries import INCLUDING_SUBMITTED_NOTE
from models.reports.exports import DEMO_NOTE_COLUMN
from models.reports.tabular import csv_text, json_records, table_text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m models.metrics", description=__doc__)
    common = common_options(actor=False)
    common.add_argument("--format", choices=("table", "csv", "json"), default="table")
    commands = parser.add_subparsers(dest="command", required=True)

    table = commands.add_parser(
        "compliance", parents=[common], help="status against the 10%% goal per participant and year"
    )
    table.add_argument("--basis", choices=BASES, default=DEFAULT_BASIS)
    table.add_argument("--from", dest="first_year", type=int, metavar="YEAR", help="first year of the range")
    table.add_argument("--to", dest="last_year", type=int, metavar="YEAR", help="last year of the range")
    table.add_argument(
        "--participant", metavar="ISO3", help="only this participant (ALL: only the Alliance rows)"
    )
    table.add_argument(
        "--as-at", metavar="NAME", help="the table frozen when this reporting cycle was closed"
    )
    table.add_argument("--include-submitted", action="store_true", help=_INCLUDE_HELP)

    cycles = commands.add_parser(
        "reporting", parents=[common], help="completeness and timeliness per reporting cycle"
    )
    cycles.add_argument("--cycle", metavar="NAME", help="only this cycle, e.g. 'Report 2016'")
    cycles.add_argument(
        "--summary", action="store_true", help="only the per-cycle summary, not the rows per participant"
    )
    cycles.add_argument("--include-submitted", action="store_true", help=_INCLUDE_HELP)

    changes = commands.add_parser(
        "changes", parents=[common], help="figures and statuses changed since a cycle was closed"
    )
    changes.add_argument("--since-close", required=True, metavar="NAME", help="the closed reporting cycle")
    return parser


_INCLUDE_HELP = "also count the figures awaiting review (labelled as such), not only the accepted ones"


def _including(frame: pd.DataFrame, include_submitted: bool) -> pd.DataFrame:
    """The frame with a `figures_note` column when it includes figures awaiting review."""
    return frame.assign(**{FIGURES_NOTE_COLUMN: INCLUDING_SUBMITTED_NOTE}) if include_submitted else frame


def _announce_including(include_submitted: bool) -> None:
    if include_submitted:
        print(f"note: {INCLUDING_SUBMITTED_NOTE}", file=sys.stderr)


def _labelled(frame: pd.DataFrame, note: str | None) -> pd.DataFrame:
    """The frame with a last `data_note` column on every row when the figures are demonstration data."""
    return frame if note is None else frame.assign(**{DEMO_NOTE_COLUMN: note})


def _emit(frame: pd.DataFrame, output_format: str) -> None:
    if output_format == "json":
        print(json.dumps(json_records(frame), ensure_ascii=False, indent=1))
    elif output_format == "csv":
        sys.stdout.write(csv_text(frame))
    else:
        print(table_text(frame))


@command_line
def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if (
        args.command == "compliance"
        and args.first_year
        and args.last_year
        and args.first_year > args.last_year
    ):
        parser.error("--from must not be after --to")
    if args.command == "compliance" and args.as_at and args.include_submitted:
        parser.error(
            "--as-at shows the frozen table: it has no figures awaiting review (--include-submitted)"
        )
    engine = engine_from(args)
    try:
        note = demo_note(engine)
        if args.command == "changes":
            return _changes(engine, args, note)
        include = bool(args.include_submitted)
        if args.command == "compliance":
            if args.as_at:
                with read_session(engine) as session:
                    snapshot = latest_snapshot(session, args.as_at)
                if snapshot is None:
                    print(f"error: {args.as_at!r} is not a closed reporting cycle", file=sys.stderr)
                    return 1
                frame = snapshot.compliance(args.basis)
                if args.first_year:
                    frame = frame[frame["year"] >= args.first_year]
                if args.last_year:
                    frame = frame[frame["year"] <= args.last_year]
                print(
                    f"note: as at the close of {snapshot.cycle} on {snapshot.closed_at.isoformat()} "
                    f"(data version {snapshot.data_version}, snapshot SHA-256 {snapshot.sha256})",
                    file=sys.stderr,
                )
                note = note or (DEMO_LABEL if snapshot.demonstration else None)
            else:
                frame = compliance(engine, args.basis, args.first_year, args.last_year, include)
            if args.participant:
                wanted = args.participant.strip().upper()
                if wanted not in set(participants(engine)["code"]) | {ALL}:
                    print(f"error: {wanted} is not a registered participant (or ALL)", file=sys.stderr)
                    return 1
                frame = frame[frame["participant"] == wanted]
            announce_demo(note)
            _announce_including(include)
            labelled = _labelled(_including(frame, include), note)
            _emit(frame if args.format == "table" else labelled, args.format)
            return 0
        result = reporting(engine, include_submitted=include)
        table, summary = result.table, result.summary
        if args.cycle:
            if args.cycle not in set(summary["cycle"]):
                known = ", ".join(summary["cycle"])
                print(f"error: no reporting cycle named {args.cycle!r} (known: {known})", file=sys.stderr)
                return 1
            table, summary = table[table["cycle"] == args.cycle], summary[summary["cycle"] == args.cycle]
        announce_demo(note)
        _announce_including(include)
        summary, table = _including(summary, include), _including(table, include)
        if args.format == "json":
            document = {
                "current_cycle": result.current_cycle,
                "summary": json_records(_labelled(summary, note)),
            }
            if not args.summary:
                document["participants"] = json_records(_labelled(table, note))
            print(json.dumps(document, ensure_ascii=False, indent=1))
        elif args.format == "csv":
            sys.stdout.write(csv_text(_labelled(summary if args.summary else table, note)))
        else:
            print(table_text(summary))
            if not args.summary:
                print()
                print(table_text(table))
        return 0
    finally:
        engine.dispose()


CHANGE_COLUMNS = ["participant", "year", "basis", "old", "new", "changed_by", "changed_at", "reason"]


def _changes(engine: Engine, args: argparse.Namespace, note: str | None) -> int:
    """Every figure and status of a closed cycle changed since its close (models.cycles.closing)."""
    with read_session(engine) as session:
        try:
            snapshot = latest_snapshot(session, args.since_close)
            rows = changes_since_close(session, args.since_close)
        except CycleError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    if snapshot is None:
        print(
            f"error: {args.since_close!r} is not closed: nothing is frozen to compare with", file=sys.stderr
        )
        return 1
    announce_demo(note)
    print(
        f"note: changes since {snapshot.cycle} was closed on {snapshot.closed_at.isoformat()} "
        f"(snapshot SHA-256 {snapshot.sha256})",
        file=sys.stderr,
    )
    frame = pd.DataFrame([row.as_dict() for row in rows], columns=CHANGE_COLUMNS).astype(object)
    if args.format == "table":
        print(table_text(frame))
    else:
        _emit(_labelled(frame, note), args.format)
    return 0


if __name__ == "__main__":
    sys.exit(main())
