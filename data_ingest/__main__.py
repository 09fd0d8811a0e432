"""Command line for data ingest: load, history, template, export, and demo [--remove].

Exit status: 0 done; 1 a file was rejected, the request was refused or the database could not be
used (unreachable, read-only, full: one line on standard error); 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from data_ingest.columns import INDICATOR_OF, canonical_column
from data_ingest.countries import Register, alternatives, resolve
from data_ingest.exports import current_dataset, dataset_csv, dataset_json, value_history
from data_ingest.load import load_file, registered_participants
from data_ingest.report import IngestReport
from data_ingest.template import template_csv, template_xlsx
from models.base import utcnow
from models.cli import actor_from, announce_demo, command_line, common_options, engine_from
from models.db import read_session, write_transaction
from models.demo import DEMO_LABEL, DemoDataError, holds_demo_data, load_demo, remove_demo
from models.reference import ANNUAL, CUMULATIVE
from models.reports.exports import DEMO_NOTE_COLUMN
from models.text import ACTOR, REASON, TextError, check_text, shown

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command given wrongly (exit status 2); the message says what to change."""


def _past_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc
    if day > utcnow().date():
        raise argparse.ArgumentTypeError(f"{text} is in the future: give the date the report was received")
    return day


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_ingest", description=__doc__)
    common = common_options()
    commands = parser.add_subparsers(dest="command", required=True)

    load = commands.add_parser(
        "load", parents=[common], help="validate and load liaisons' files (CSV, XLSX, JSON)"
    )
    load.add_argument("files", nargs="+", metavar="FILE", help="each file is loaded, or rejected, on its own")
    load.add_argument(
        "--dry-run", action="store_true", help="validate and show what would change; write nothing"
    )
    load.add_argument(
        "--reason", help="why the figures are sent or corrected (kept with every value; corrections need one)"
    )
    load.add_argument(
        "--received-on",
        type=_past_date,
        metavar="YYYY-MM-DD",
        help="date the report was originally received (historical backfill; default: today)",
    )
    load.add_argument("--sheet", metavar="NAME", help="XLSX worksheet to read (default: the first)")
    load.add_argument(
        "--submitted",
        action="store_true",
        help="record the values as submitted, awaiting review (a file a liaison sent by other means); "
        "without it the command line, which acts as the secretariat, accepts them at once",
    )
    load.add_argument("--json", action="store_true", help="print a JSON array, one object per file")

    history = commands.add_parser(
        "history", parents=[common], help="every value ever recorded for a participant and year"
    )
    history.add_argument("--participant", required=True, metavar="ISO3")
    history.add_argument("--year", required=True, type=int)
    history.add_argument("--indicator", metavar="CODE", help=f"{ANNUAL} or {CUMULATIVE} (default: both)")
    history.add_argument("--json", action="store_true", help="print a JSON array")

    template = commands.add_parser(
        "template", parents=[common], help="write a blank template to standard output"
    )
    template.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    template.add_argument("--participant", metavar="ISO3", help="prefill the country column")
    template.add_argument("--output", metavar="PATH", help="write to this file instead of standard output")

    export = commands.add_parser(
        "export", parents=[common], help="write the current dataset (long layout) to standard output"
    )
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--output", metavar="PATH", help="write to this file instead of standard output")

    demo = commands.add_parser("demo", parents=[common], help="load or remove the demonstration data")
    demo.add_argument("--remove", action="store_true", help="remove the demonstration data")
    return parser


def _read_inputs(names: Sequence[str]) -> list[tuple[str, bytes]]:
    """Every file's bytes, read before anything is loaded: a missing or unreadable path is a usage error."""
    contents = []
    for name in names:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"{shown(name)}: no such file")
        try:
            contents.append((name, path.read_bytes()))
        except OSError as exc:
            raise UsageError(f"{shown(name)}: cannot be read ({exc.strerror or exc})") from exc
    return contents


def _print_report(report: IngestReport) -> None:
    print(report.summary())
    cycle = report.cycle_line()
    if cycle is not None:
        print(cycle)
    for issue in report.errors:
        print(issue.located(report.file))
    for issue in report.warnings:
        print(issue.located(report.file, "warning: "))
    verb = "would revise" if report.dry_run else "revised"
    for change in report.changes:
        if change.kind == "revise":
            print(
                f"{report.file}: {verb} {change.participant_code} {change.year} {change.indicator_code}: "
                f"{change.old_value} -> {change.new_value}"
            )


def _review_status(report: IngestReport, submitted: bool) -> str | None:
    """The review status the upload was recorded with (None when it recorded no values)."""
    if report.status != "loaded" or report.dry_run:
        return None
    return "submitted" if submitted else "accepted"


def _review_line(report: IngestReport) -> str:
    return (
        f"{report.file}: upload {report.upload_id} is submitted, awaiting review: its values count once "
        f"the secretariat accepts it (python -m models submissions accept --upload {report.upload_id})"
    )


def run_load(args: argparse.Namespace) -> int:
    try:
        actor = check_text(actor_from(args), ACTOR)
        reason = None if args.reason is None else check_text(args.reason, REASON)
    except TextError as exc:
        raise UsageError(str(exc)) from exc
    inputs = _read_inputs(args.files)
    engine = engine_from(args)
    reports: list[IngestReport] = []
    try:
        for name, content in inputs:
            report = load_file(
                engine,
                content,
                name,
                user=actor,
                dry_run=args.dry_run,
                reason=reason,
                submitted_on=args.received_on,
                sheet=args.sheet,
                corrections_need_reason=True,
                submitted=args.submitted,
            )
            reports.append(report)
            if not args.json:
                _print_report(report)
                if report.status == "loaded" and not args.dry_run and args.submitted:
                    print(_review_line(report))
    finally:
        engine.dispose()
    if args.json:
        documents = [
            report.as_dict() | {"review_status": _review_status(report, args.submitted)} for report in reports
        ]
        print(json.dumps(documents, indent=2, ensure_ascii=False))
    return EXIT_REJECTED if any(report.status == "rejected" for report in reports) else EXIT_OK


def _participant(value: str, participants: dict[str, str]) -> str:
    """A participant given as on a file's country cell (a code, a name, "Name (CODE)")."""
    reading = resolve(value, Register(participants))
    code = reading.code
    if reading.candidates and reading.conflict is None:
        meanings = alternatives(reading.candidates, participants)
        raise UsageError(f"{value!r} can mean {meanings}: give the code")
    if code is None or code not in participants:
        raise UsageError(
            f"{value!r} is not a registered participant (see python -m models participants list)"
        )
    return code


def run_history(args: argparse.Namespace) -> int:
    indicator = None
    if args.indicator is not None:
        indicator = args.indicator if args.indicator in (ANNUAL, CUMULATIVE) else None
        column = canonical_column(args.indicator)
        indicator = indicator or (INDICATOR_OF.get(column) if column else None)
        if indicator is None:
            raise UsageError(f"unknown indicator {args.indicator!r}: use {ANNUAL} or {CUMULATIVE}")
    engine = engine_from(args)
    try:
        with read_session(engine) as session:
            code = _participant(args.participant, registered_participants(session))
            entries = value_history(session, code, args.year, indicator)
            note = DEMO_LABEL if holds_demo_data(session) else None
    finally:
        engine.dispose()
    announce_demo(note)
    if args.json:
        records = [entry.as_dict() | ({DEMO_NOTE_COLUMN: note} if note else {}) for entry in entries]
        print(json.dumps(records, indent=2, ensure_ascii=False))
        return EXIT_OK
    if not entries:
        print(f"no values recorded for {code} {args.year}")
    for entry in entries:
        reason = f"  reason: {entry.reason}" if entry.reason else ""
        print(
            f"{entry.recorded_at.isoformat()}  {entry.indicator}  {entry.value}  by {entry.recorded_by}  "
            f"file {entry.file}  status {entry.review_status or 'none'}{reason}"
        )
    return EXIT_OK


def _write_output(data: bytes, output: str | None, binary: bool) -> None:
    if output is not None:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise UsageError(f"{output}: cannot be written ({exc.strerror or exc})") from exc
        return
    if binary and sys.stdout.isatty():
        raise UsageError(
            "an XLSX file cannot be shown in a terminal: add --output FILE or redirect (> file.xlsx)"
        )
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def run_template(args: argparse.Namespace) -> int:
    engine = engine_from(args)
    try:
        with read_session(engine) as session:
            participants = registered_participants(session)
    finally:
        engine.dispose()
    participant = None if args.participant is None else _participant(args.participant, participants)
    today = utcnow().date()
    if args.format == "xlsx":
        _write_output(template_xlsx(participants, participant, today), args.output, binary=True)
    else:
        _write_output(template_csv(participant, today).encode("utf-8"), args.output, binary=False)
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    engine = engine_from(args)
    try:
        with read_session(engine) as session:
            rows, demo = current_dataset(session)
    finally:
        engine.dispose()
    text = dataset_json(rows) if args.format == "json" else dataset_csv(rows)
    if demo:
        print(f"note: {DEMO_LABEL} (every row says so in its notes column)", file=sys.stderr)
    _write_output(text.encode("utf-8"), args.output, binary=False)
    return EXIT_OK


def run_demo(args: argparse.Namespace) -> int:
    engine = engine_from(args)
    actor = actor_from(args)
    try:
        with write_transaction(engine) as session:
            if args.remove:
                if not holds_demo_data(session):
                    print("no demonstration data to remove")
                    return EXIT_OK
                removed = remove_demo(session, actor)
                print(f"removed demonstration data ({removed} synthetic submissions)")
            else:
                report = load_demo(session)
                print(report.message)
                if report.loaded:
                    print(f"note: {DEMO_LABEL}")
    except DemoDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    finally:
        engine.dispose()
    return EXIT_OK


COMMANDS = {
    "load": run_load,
    "history": run_history,
    "template": run_template,
    "export": run_export,
    "demo": run_demo,
}


@command_line
def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
