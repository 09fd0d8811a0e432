"""Loading a file: read, validate, compare with the recorded values, and record it all or nothing.

`load_file` is the one entry point for the command line and the web upload: bytes and the original
file name in, an IngestReport out. A load runs in one `write_transaction`: with any error no value
changes, yet the upload itself is recorded (outcome rejected, with its report) so attempts are seen.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import PurePath

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_ingest.checks import plausibility_warnings
from data_ingest.readers import RawTable, UnreadableFile, read_table
from data_ingest.report import IngestReport, Issue, Status, stored_report
from data_ingest.schemas import ValidatedFile, ValidationContext, validate_table
from models.base import utcnow
from models.db import keep_data_version, read_session, write_transaction
from models.demo import holds_demo_data
from models.recording import Change, ChangeCounts, apply_changes, current_values_of, plan_changes
from models.tables import Participant, Upload

DEMO_DATA_MESSAGE = (
    "This database still holds the demonstration data, and real figures are never mixed with it, so "
    "nothing can be loaded yet. The secretariat removes the demonstration data (command: "
    "python -m data_ingest demo --remove); then send the file again."
)


class _CollectorPause:
    """Pauses automatic cyclic garbage collection while files are read and checked.

    A large file becomes hundreds of thousands of small objects, none of them in reference
    cycles, and the cyclic collector would otherwise sweep them again and again (more than half
    the time of a 100,000-row file). Reference counting still frees everything as usual.
    Overlapping loads (web threads) are counted: collection resumes when the last one ends,
    and only if it was enabled before the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0 and self._was_enabled:
                    gc.enable()


_collector_paused = _CollectorPause()


@dataclass(frozen=True)
class ReadFile:
    """A file as received and read: the table, or why it could not be read."""

    content: bytes
    filename: str
    file_format: str
    table: RawTable | None
    problem: Issue | None


def read_file(content: bytes, filename: str, sheet: str | None = None) -> ReadFile:
    """Read bytes into a table without raising: an unreadable file becomes one error."""
    try:
        table = read_table(content, filename, sheet)
    except UnreadableFile as exc:
        return ReadFile(content, filename, exc.file_format, None, Issue(exc.row, None, None, exc.message))
    return ReadFile(content, filename, table.file_format, table, None)


def validate_file(read: ReadFile, context: ValidationContext) -> ValidatedFile:
    """Validation of a read file against the context; no database needed."""
    if read.table is None:
        assert read.problem is not None
        return ValidatedFile(layout=None, rows=0, cells=(), errors=(read.problem,))
    return validate_table(read.table, context)


def registered_participants(session: Session) -> dict[str, str]:
    """The participant register: code -> name."""
    return {code: name for code, name in session.execute(select(Participant.code, Participant.name))}


def load_file(
    engine: Engine,
    content: bytes,
    filename: str,
    *,
    user: str,
    dry_run: bool = False,
    reason: str | None = None,
    submitted_on: dt.date | None = None,
    sheet: str | None = None,
    allowed_participant: str | None = None,
    now: dt.datetime | None = None,
    corrections_need_reason: bool = False,
) -> IngestReport:
    """Validate a file and, unless `dry_run` or it has errors, record its values; returns the report.

    - `filename`: the name the file had when sent (its extension is only a hint; content decides).
    - `user`: who sent it (an email address or a command-line user name), recorded with every value.
    - `dry_run`: validate and report what would change (old -> new), writing nothing at all.
    - `reason`: why the values are sent (kept with the upload and every revision).
    - `submitted_on`: the date the report counts as submitted (historical backfill), not after
      today; default: today. The real time of receipt is recorded as well.
    - `sheet`: the XLSX worksheet to read (default: the first).
    - `allowed_participant`: the one participant (alpha-3) the file may hold figures for, as for a
      liaison's upload; a row for any other participant rejects the whole file.
    - `now`: the time of receipt and of recording (tests); default: the current UTC time.
    - `corrections_need_reason`: a file that would change a value already recorded is refused
      unless `reason` is given (the command line and the web upload ask for this; decided under
      the writer lock, so a correction cannot slip in between a check and the load).

    Raises ValueError only for a wrong call (submitted_on in the future, allowed_participant not
    registered; database failures propagate as SQLAlchemy errors); every problem with the file
    itself is in the report.
    """
    received_at = now or utcnow()
    if submitted_on is not None and submitted_on > received_at.date():
        raise ValueError(f"submitted_on {submitted_on.isoformat()} is in the future")
    with _collector_paused():
        read = read_file(content, filename, sheet)  # outside the transaction: parsing needs no lock
        if dry_run:
            with read_session(engine) as session:
                return ingest(
                    session,
                    read,
                    user=user,
                    dry_run=True,
                    allowed_participant=allowed_participant,
                    received_at=received_at,
                )
        with write_transaction(engine) as session:
            # Values count as recorded once the writer lock is held (`now` pins both times, for tests).
            return ingest(
                session,
                read,
                user=user,
                reason=reason,
                submitted_on=submitted_on,
                allowed_participant=allowed_participant,
                received_at=received_at,
                recorded_at=now,
                corrections_need_reason=corrections_need_reason,
            )


def correction_message(revised: int) -> str:
    values = "1 value" if revised == 1 else f"{revised} values"
    return (
        f"This file changes {values} already recorded: a correction needs a reason (--reason on the "
        "command line, the Reason box on the upload page). Nothing was recorded."
    )


def ingest(
    session: Session,
    read: ReadFile,
    *,
    user: str,
    dry_run: bool = False,
    reason: str | None = None,
    submitted_on: dt.date | None = None,
    allowed_participant: str | None = None,
    received_at: dt.datetime | None = None,
    recorded_at: dt.datetime | None = None,
    corrections_need_reason: bool = False,
) -> IngestReport:
    """Validate `read` against the database and record it in the caller's session (never commits).

    The caller owns the transaction: `load_file` runs this inside `write_transaction`, so what is
    compared is what is current, and a rejected file leaves only its upload row.
    `received_at` (when the file arrived) and `recorded_at` (when its values are recorded)
    default to the current time.
    """
    recorded_at = recorded_at or utcnow()
    received_at = received_at or recorded_at
    participants = registered_participants(session)
    if allowed_participant is not None and allowed_participant not in participants:
        raise ValueError(f"{allowed_participant!r} is not a registered participant")
    context = ValidationContext(participants, received_at.date(), allowed_participant)
    validated = validate_file(read, context)
    errors = validated.errors
    if read.table is not None and holds_demo_data(session):
        errors = (Issue(None, None, None, DEMO_DATA_MESSAGE), *errors)
    values = list({cell.value.cell: cell.value for cell in validated.cells}.values())
    warnings: tuple[Issue, ...] = ()
    changes: list[Change] = []
    if not errors:  # warnings are for a file that can load; a rejected one must be corrected first
        recorded = current_values_of(session, validated.participants)
        warnings = tuple(plausibility_warnings(validated.cells, recorded))
        changes = plan_changes(session, values, recorded)
        revised = sum(1 for change in changes if change.kind == "revise")
        if corrections_need_reason and not dry_run and revised and not (reason or "").strip():
            errors = (Issue(None, None, None, correction_message(revised)),)
            warnings, changes = (), []
    counts = ChangeCounts.of(changes)
    if errors:
        status: Status = "rejected"
    elif dry_run:
        status = "valid"
    else:
        status = "loaded" if counts.inserted or counts.revised else "unchanged"
    only_participant = next(iter(validated.participants)) if len(validated.participants) == 1 else None
    report = IngestReport(
        file=read.filename,
        status=status,
        rows=validated.rows,
        inserted=counts.inserted,
        revised=counts.revised,
        unchanged=counts.unchanged,
        errors=errors,
        warnings=warnings,
        changes=tuple(changes),
        file_format=read.file_format,
        layout=validated.layout,
        participant_code=only_participant,
        dry_run=dry_run,
        notes=tuple(validated.notes),
    )
    if dry_run:
        return report
    upload = Upload(
        original_name=(PurePath(read.filename.replace("\\", "/")).name or "(no name)")[:500],
        sha256=hashlib.sha256(read.content).hexdigest(),
        size_bytes=len(read.content),
        file_format=read.file_format[:20],
        layout=validated.layout,
        uploaded_by=user[:320],
        participant_code=only_participant,
        received_at=received_at,
        submitted_on=submitted_on or received_at.date(),
        outcome="rejected" if errors else status,
        reason=reason,
        rows_total=validated.rows,
        inserted_count=counts.inserted,
        revised_count=counts.revised,
        unchanged_count=counts.unchanged,
        error_count=len(errors),
        report=stored_report(errors, warnings, list(validated.notes)),
        synthetic=False,
    )
    session.add(upload)
    session.flush()
    if not errors:
        apply_changes(session, changes, upload, user, recorded_at, reason)
    if upload.outcome != "loaded":
        keep_data_version(session)  # only the attempt is recorded: no figure changed
    return replace(report, upload_id=upload.id)
