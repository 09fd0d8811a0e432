"""Command line for the metrics: `python -m models.metrics compliance|reporting`.

Figures from a database holding demonstration data are labelled: a `data_note` column (last) in
CSV and on every JSON row, and a line on standard error in every format.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import pandas as pd

from models.cli import announce_demo, command_line, common_options, demo_note, engine_from
from models.metrics.compliance import ALL, BASES, DEFAULT_BASIS
from models.metrics.service import compliance, participants, reporting
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

    cycles = commands.add_parser(
        "reporting", parents=[common], help="completeness and timeliness per reporting cycle"
    )
    cycles.add_argument("--cycle", metavar="NAME", help="only this cycle, e.g. 'Report 2016'")
    cycles.add_argument(
        "--summary", action="store_true", help="only the per-cycle summary, not the rows per participant"
    )
    return parser


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
    engine = engine_from(args)
    try:
        note = demo_note(engine)
        if args.command == "compliance":
            frame = compliance(engine, args.basis, args.first_year, args.last_year)
            if args.participant:
                wanted = args.participant.strip().upper()
                if wanted not in set(participants(engine)["code"]) | {ALL}:
                    print(f"error: {wanted} is not a registered participant (or ALL)", file=sys.stderr)
                    return 1
                frame = frame[frame["participant"] == wanted]
            announce_demo(note)
            _emit(frame if args.format == "table" else _labelled(frame, note), args.format)
            return 0
        result = reporting(engine)
        table, summary = result.table, result.summary
        if args.cycle:
            if args.cycle not in set(summary["cycle"]):
                known = ", ".join(summary["cycle"])
                print(f"error: no reporting cycle named {args.cycle!r} (known: {known})", file=sys.stderr)
                return 1
            table, summary = table[table["cycle"] == args.cycle], summary[summary["cycle"] == args.cycle]
        announce_demo(note)
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


if __name__ == "__main__":
    sys.exit(main())
