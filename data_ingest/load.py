"""Loading a file: read and validate it without any lock, then record it all or nothing under the writer lock.

`load_file` is the one entry point for the command line; the web upload calls its two halves:
`prepare_upload` reads and validates a file once (no transaction, no lock; the page keeps the
result between the preview and Confirm), then `preview` (a dry run) or `record`. Only `record`'s
final write takes `models.db.write_transaction`, and inside it everything that depends on the
database is decided again from what is current (`data_ingest.assessment`): the register, the
demonstration data, the values the file changes (re-read, so no update is ever lost). With any
error no value changes, yet the upload itself is recorded (outcome rejected, with its report) so
every attempt is seen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_ingest.assessment import assess, ingest_report, with_errors
from data_ingest.cells import ValidationContext
from data_ingest.raw_tables import RawTable, UnreadableFile
from data_ingest.readers import read_table
from data_ingest.report import IngestReport, Issue, stored_report
from data_ingest.schemas import ValidatedFile, validate_table
from models.base import utcnow
from models.db import keep_data_version, read_session, write_transaction
from models.recording import apply_changes
from models.tables import Participant, Upload
from models.text import ACTOR, FILE_NAME, REASON, check_text, shown, text_problem

NO_NAME = "(no name)"


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


def stored_file_name(filename: str) -> str:
    """The name an upload row keeps: the last part of the path as sent, safe to store and bounded."""
    name = PurePath(filename.replace("\\", "/")).name.strip() or NO_NAME
    name = shown(name, several_lines=False)
    return name if len(name) <= FILE_NAME.max_length else name[: FILE_NAME.max_length - 1] + "…"


def file_name_problem(filename: str) -> Issue | None:
    """A file name that breaks the text rules (a NUL, a broken character, too long) refuses the file."""
    name = PurePath(filename.replace("\\", "/")).name.strip()
    problem = text_problem(name, FILE_NAME)
    if problem is None:
        return None
    advised = problem if problem.endswith(FILE_NAME.advice) else f"{problem} {FILE_NAME.advice}"
    return Issue(None, None, None, advised)


@dataclass(frozen=True)
class PreparedFile:
    """A file read and validated against a participant register and a date, before any lock is taken.

    What depends on the database beyond the register (demonstration data, recorded values, the
    reporting cycles) is decided when it is previewed or recorded.
    """

    content: bytes = field(repr=False)
    filename: str
    sheet: str | None
    sha256: str
    file_format: str
    readable: bool
    validated: ValidatedFile
    participants: Mapping[str, str] = field(repr=False)
    today: dt.date
    allowed_participant: str | None

    @property
    def stored_name(self) -> str:
        return stored_file_name(self.filename)


def prepare_file(
    content: bytes, filename: str, context: ValidationContext, sheet: str | None = None
) -> PreparedFile:
    """Read and validate `content` against `context` (no database): the work proportional to the file."""
    read = read_file(content, filename, sheet)
    validated = validate_file(read, context)
    name_problem = file_name_problem(filename)
    if name_problem is not None:
        validated = with_errors(validated, [name_problem])
    return PreparedFile(
        content=content,
        filename=filename,
        sheet=sheet,
        sha256=hashlib.sha256(content).hexdigest(),
        file_format=read.file_format,
        readable=read.table is not None,
        validated=validated,
        participants=dict(context.participants),
        today=context.today,
        allowed_participant=context.allowed_participant,
    )


def prepare_upload(
    engine: Engine,
    content: bytes,
    filename: str,
    *,
    allowed_participant: str | None = None,
    sheet: str | None = None,
    today: dt.date | None = None,
) -> PreparedFile:
    """Read the register (a short read), then read and validate the file outside any transaction.

    Raises ValueError if `allowed_participant` is not a registered participant.
    """
    with read_session(engine) as session:
        participants = registered_participants(session)
    if allowed_participant is not None and allowed_participant not in participants:
        raise ValueError(f"{allowed_participant!r} is not a registered participant")
    context = ValidationContext(participants, today or utcnow().date(), allowed_participant)
    return prepare_file(content, filename, context, sheet)


def preview(engine: Engine, prepared: PreparedFile, *, submitted_on: dt.date | None = None) -> IngestReport:
    """What recording the prepared file would do now (a dry run): writes nothing at all."""
    received_on = submitted_on or prepared.today
    with read_session(engine) as session:
        assessment = assess(
            session,
            prepared,
            received_on=received_on,
            received_on_given=submitted_on is not None,
            dry_run=True,
            reason=None,
            corrections_need_reason=False,
        )
    return ingest_report(prepared, assessment, dry_run=True)


class _RegisterChanged(Exception):
    """The register or the date changed since the file was prepared: validate it again, outside the lock."""

    def __init__(self, participants: dict[str, str]) -> None:
        super().__init__("register changed")
        self.participants = participants


def record(
    engine: Engine,
    prepared: PreparedFile,
    *,
    user: str,
    reason: str | None = None,
    submitted_on: dt.date | None = None,
    now: dt.datetime | None = None,
    corrections_need_reason: bool = False,
    submitted: bool = False,
) -> IngestReport:
    """Record the prepared file (its values, or only the attempt when it has errors) in one unit of work.

    `submitted`: its values await the secretariat's review (a liaison's upload) and count only once
    accepted (`models.cycles.review`); otherwise they are accepted at once (the secretariat's own).

    Only this final write takes the writer lock. Should the register (or the date) have changed
    since the file was prepared, it is validated again first, outside the lock.
    Raises ValueError for a wrong call: `user` or `reason` breaking the text rules, `submitted_on`
    in the future.
    """
    user = check_text(user, ACTOR)
    if reason is not None:
        reason = check_text(reason, REASON) or None
    received_at = now or utcnow()
    if submitted_on is not None and submitted_on > received_at.date():
        raise ValueError(f"submitted_on {submitted_on.isoformat()} is in the future")
    for attempt in range(3):
        try:
            with write_transaction(engine) as session:
                participants = registered_participants(session)
                current = participants == dict(prepared.participants) and prepared.today == received_at.date()
                if not current and attempt < 2:
                    raise _RegisterChanged(participants)
                if not current:  # changing under us again and again: validate under the lock this once
                    prepared = _prepared_again(prepared, participants, received_at.date())
                return _record_in(
                    session,
                    prepared,
                    user=user,
                    reason=reason,
                    submitted_on=submitted_on,
                    received_at=received_at,
                    recorded_at=now,
                    corrections_need_reason=corrections_need_reason,
                    submitted=submitted,
                )
        except _RegisterChanged as changed:
            prepared = _prepared_again(prepared, changed.participants, received_at.date())
    raise AssertionError("unreachable: the last attempt records under the lock")


def _prepared_again(prepared: PreparedFile, participants: dict[str, str], today: dt.date) -> PreparedFile:
    allowed = prepared.allowed_participant
    if allowed is not None and allowed not in participants:
        raise ValueError(f"{allowed!r} is not a registered participant")
    context = ValidationContext(participants, today, allowed)
    return prepare_file(prepared.content, prepared.filename, context, prepared.sheet)


def _record_in(
    session: Session,
    prepared: PreparedFile,
    *,
    user: str,
    reason: str | None,
    submitted_on: dt.date | None,
    received_at: dt.datetime,
    recorded_at: dt.datetime | None,
    corrections_need_reason: bool,
    submitted: bool = False,
) -> IngestReport:
    """Decide and write, in the caller's unit of work (holding the writer lock): never commits."""
    # Values count as recorded once the writer lock is held (`now` pins both times, for tests).
    recorded_at = recorded_at or utcnow()
    received_on = submitted_on or received_at.date()
    assessment = assess(
        session,
        prepared,
        received_on=received_on,
        received_on_given=submitted_on is not None,
        dry_run=False,
        reason=reason,
        corrections_need_reason=corrections_need_reason,
    )
    report = ingest_report(prepared, assessment, dry_run=False)
    validated = assessment.validated
    upload = Upload(
        original_name=prepared.stored_name,
        sha256=prepared.sha256,
        size_bytes=len(prepared.content),
        file_format=prepared.file_format[:20],
        layout=validated.layout,
        uploaded_by=user,
        participant_code=report.participant_code,
        received_at=received_at,
        submitted_on=received_on,
        outcome="rejected" if validated.errors else report.status,
        reason=reason,
        rows_total=validated.rows,
        inserted_count=report.inserted,
        revised_count=report.revised,
        unchanged_count=report.unchanged,
        error_count=validated.error_count,
        report=stored_report(report),
        synthetic=False,
    )
    if upload.outcome == "loaded":
        upload.review_status = "submitted" if submitted else "accepted"
        if not submitted:
            upload.reviewed_by, upload.reviewed_at = user, recorded_at
    session.add(upload)
    session.flush()
    if not validated.errors:
        apply_changes(session, assessment.changes, upload, user, recorded_at, reason, counted=not submitted)
    if upload.outcome != "loaded":
        keep_data_version(session)  # only the attempt is recorded: no figure changed
    return replace(report, upload_id=upload.id)


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
    submitted: bool = False,
) -> IngestReport:
    """Validate a file and, unless `dry_run` or it has errors, record its values; returns the report.

    - `filename`: the name the file had when sent (its extension is only a hint; content decides).
    - `user`: who sent it (an email address or a command-line user name), recorded with every value.
    - `dry_run`: validate and report what would change (old -> new), writing nothing at all.
    - `reason`: why the values are sent (kept with the upload and every revision).
    - `submitted_on`: the date the report counts as submitted (historical backfill), not after
      today, nor before the end of any year the file gives figures for; default: today. The
      real time of receipt is recorded as well.
    - `sheet`: the XLSX worksheet to read (default: the first).
    - `allowed_participant`: the one participant (alpha-3) the file may hold figures for, as for a
      liaison's upload; a row for any other participant rejects the whole file.
    - `now`: the time of receipt and of recording (tests); default: the current UTC time.
    - `corrections_need_reason`: a file that would change a value already recorded is refused
      unless `reason` is given (the command line and the web upload ask for this; decided under
      the writer lock, so a correction cannot slip in between a check and the load).
    - `submitted`: the values await the secretariat's review and count only once accepted;
      default: accepted at once (the command line acts as the secretariat).
    A value in a year of a closed cycle is refused (the whole file) unless the participant holds a
    lock exception for that cycle today (`models.cycles.locks`), decided under the writer lock.

    The file is read and validated before the writer lock is taken; only the final write holds
    it. Raises ValueError only for a wrong call (submitted_on in the future, allowed_participant
    not registered, a user or reason breaking the text rules of `models.text`; database failures
    propagate as SQLAlchemy errors); every problem with the file itself is in the report.
    """
    received_at = now or utcnow()
    if submitted_on is not None and submitted_on > received_at.date():
        raise ValueError(f"submitted_on {submitted_on.isoformat()} is in the future")
    prepared = prepare_upload(
        engine,
        content,
        filename,
        allowed_participant=allowed_participant,
        sheet=sheet,
        today=received_at.date(),
    )
    if dry_run:
        return preview(engine, prepared, submitted_on=submitted_on)
    return record(
        engine,
        prepared,
        user=user,
        reason=reason,
        submitted_on=submitted_on,
        now=now,
        corrections_need_reason=corrections_need_reason,
        submitted=submitted,
    )
