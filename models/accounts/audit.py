"""The audit trail: every upload received (accepted or rejected), every value change, every account
event and sign-in, as DataFrames (limited, for a screen) or in chunks (complete, for a download)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Select, exists, func, or_, select
from sqlalchemy.orm import Session

from models.tables import AuditEvent, ObservationRevision, Upload

UPLOAD_COLUMNS = [
    "upload_id",
    "received_at",
    "submitted_on",
    "uploaded_by",
    "participant",
    "original_name",
    "sha256",
    "size_bytes",
    "file_format",
    "outcome",
    "rows",
    "inserted",
    "revised",
    "unchanged",
    "errors",
    "reason",
    "synthetic",
]
REVISION_COLUMNS = [
    "revision_id",
    "participant",
    "indicator",
    "year",
    "old_value",
    "new_value",
    "recorded_at",
    "recorded_by",
    "upload_id",
    "file",
    "reason",
    "synthetic",
]


EVENT_COLUMNS = ["occurred_at", "actor", "action", "subject", "details"]
TABLES = ("uploads", "revisions", "events")
#: How many rows a chunk of a complete export holds (bounded memory, whatever the table's length).
CHUNK_ROWS = 2000

AnySelect = Select[*tuple[Any, ...]]


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page filters on. Dates are UTC days, both ends included; None: no bound.
    `participant` and `outcome` apply to uploads (and `participant` to value changes)."""

    participant: str | None = None
    outcome: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def _between(column: Any, since: dt.date | None, until: dt.date | None) -> list[ColumnElement[bool]]:
    """Conditions for a timestamp within the UTC days since..until, for any dates 0001-01-01 to
    9999-12-31 (the day after the last one is never computed: it would not exist)."""
    conditions: list[ColumnElement[bool]] = []
    if since is not None and since > dt.date.min:
        conditions.append(column >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC))
    if until is not None and until < dt.date.max:
        conditions.append(
            column < dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        )
    return conditions


def _received_between(query: AnySelect, since: dt.date | None, until: dt.date | None) -> AnySelect:
    return query.where(*_between(Upload.received_at, since, until))


def _uploads_query() -> AnySelect:
    return select(
        Upload.id,
        Upload.received_at,
        Upload.submitted_on,
        Upload.uploaded_by,
        Upload.participant_code,
        Upload.original_name,
        Upload.sha256,
        Upload.size_bytes,
        Upload.file_format,
        Upload.outcome,
        Upload.rows_total,
        Upload.inserted_count,
        Upload.revised_count,
        Upload.unchanged_count,
        Upload.error_count,
        Upload.reason,
        Upload.synthetic,
    )


def uploads_frame(
    session: Session,
    participant: str | None = None,
    uploaded_by: str | None = None,
    outcome: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = 5000,
) -> pd.DataFrame:
    """Uploads, newest first, filtered; at most `limit` (None: all). Columns: UPLOAD_COLUMNS.

    With both `participant` and `uploaded_by`, an upload matches either (a liaison's own view:
    files they sent, and files sent for their participant on their behalf).
    """
    query = _uploads_select(participant, uploaded_by, outcome, since, until)
    rows = session.execute(query.limit(limit)).all()
    return uploads_rows_frame(session, rows)


def _uploads_select(
    participant: str | None = None,
    uploaded_by: str | None = None,
    outcome: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> AnySelect:
    query = _uploads_query()
    if participant and uploaded_by:
        query = query.where(or_(_concerns(participant), Upload.uploaded_by == uploaded_by))
    elif participant:
        query = query.where(_concerns(participant))
    elif uploaded_by:
        query = query.where(Upload.uploaded_by == uploaded_by)
    if outcome:
        query = query.where(Upload.outcome == outcome)
    query = _received_between(query, since, until)
    return query.order_by(Upload.received_at.desc(), Upload.id.desc())


def uploads_rows_frame(session: Session, rows: Any) -> pd.DataFrame:
    """Rows of the uploads query as a frame (UPLOAD_COLUMNS), multi-participant files' participants named."""
    return _named_participants(session, pd.DataFrame(list(rows), columns=UPLOAD_COLUMNS))


def _concerns(participant: str) -> Any:
    """An upload for this participant: sent for it alone, or for several with a value of its recorded."""
    recorded = exists().where(
        ObservationRevision.upload_id == Upload.id, ObservationRevision.participant_code == participant
    )
    return or_(Upload.participant_code == participant, recorded)


def _named_participants(session: Session, frame: pd.DataFrame) -> pd.DataFrame:
    """`participant` of a file for several participants: those it recorded values for ("DEU, FRA")."""
    several = [int(i) for i in frame.loc[frame["participant"].isna(), "upload_id"]]
    if not several:
        return frame
    pairs = session.execute(
        select(ObservationRevision.upload_id, ObservationRevision.participant_code)
        .where(ObservationRevision.upload_id.in_(several))
        .distinct()
    ).all()
    names: dict[int, list[str]] = {}
    for upload_id, code in pairs:
        names.setdefault(int(upload_id), []).append(str(code))
    filled = [
        ", ".join(sorted(names[int(i)])) if pd.isna(code) and int(i) in names else code
        for i, code in zip(frame["upload_id"], frame["participant"], strict=True)
    ]
    return frame.assign(participant=filled)


def liaison_uploads_frame(session: Session, participant: str, email: str, limit: int = 1000) -> pd.DataFrame:
    """What a liaison may see: every upload they sent (accepted or rejected), the accepted uploads
    for their participant sent by others (the secretariat on their behalf), and accepted files for
    several participants that recorded a value of theirs. Columns: UPLOAD_COLUMNS."""
    query = _uploads_query().where(
        or_(Upload.uploaded_by == email, (Upload.outcome != "rejected") & _concerns(participant))
    )
    rows = session.execute(query.order_by(Upload.received_at.desc(), Upload.id.desc()).limit(limit)).all()
    return _named_participants(session, pd.DataFrame(rows, columns=UPLOAD_COLUMNS))


def liaison_may_see(detail: dict[str, Any], participant: str, email: str) -> bool:
    """Whether an upload (as from `upload_detail`) is one a liaison may see, by the rule above."""
    if detail["uploaded_by"] == email:
        return True
    if detail["outcome"] == "rejected":
        return False
    return bool(detail["participant"] == participant or participant in detail.get("recorded_for", ()))


#: Upload ids are 32-bit on every backend: a larger number names no upload (and must not reach SQL).
MAX_UPLOAD_ID = 2**31 - 1


def upload_id_from(value: object) -> int | None:
    """An upload id as a browser may send it (a whole number, or its digits), or None if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 10:
        value = int(value)
    if isinstance(value, int) and 1 <= value <= MAX_UPLOAD_ID:
        return value
    return None


def visible_upload_detail(
    session: Session, upload_id: object, role: str, participant: str | None, email: str
) -> dict[str, Any] | None:
    """An upload's details (as `upload_detail`) if the account may see it, else None: an upload
    that does not exist and one the account may not see are the same to it (nothing leaks).
    The secretariat and admins see every upload; a liaison, by `liaison_may_see`."""
    number = upload_id_from(upload_id)
    detail = upload_detail(session, number) if number is not None else None
    if detail is None:
        return None
    if role in ("secretariat", "admin"):
        return detail
    if role == "liaison" and participant and liaison_may_see(detail, participant, email):
        return detail
    return None


def upload_detail(session: Session, upload_id: int) -> dict[str, Any] | None:
    """One upload with its full report (errors and warnings), or None.

    Keys: UPLOAD_COLUMNS, `report`, and `recorded_for` (the participants it recorded values for).
    """
    row = session.execute(_uploads_query().where(Upload.id == upload_id)).first()
    if row is None:
        return None
    detail: dict[str, Any] = dict(zip(UPLOAD_COLUMNS, row, strict=True))
    detail["report"] = session.scalar(select(Upload.report).where(Upload.id == upload_id)) or {}
    detail["recorded_for"] = list(
        session.scalars(
            select(ObservationRevision.participant_code)
            .where(ObservationRevision.upload_id == upload_id)
            .distinct()
            .order_by(ObservationRevision.participant_code)
        )
    )
    return detail


def revisions_frame(
    session: Session,
    participant: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int | None = 20000,
    upload_id: int | None = None,
) -> pd.DataFrame:
    """Every recorded value with the value it replaced, newest first; at most `limit` (None: all).
    Columns: REVISION_COLUMNS.

    `old_value` is empty for a first value. `upload_id`: only the values one upload recorded.
    """
    query = _revisions_select(participant, indicator, year, since, until, upload_id)
    return revisions_rows_frame(session.execute(query.limit(limit)).all())


def _revisions_select(
    participant: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    upload_id: int | None = None,
) -> AnySelect:
    cell = (
        ObservationRevision.participant_code,
        ObservationRevision.indicator_code,
        ObservationRevision.year,
    )
    old_value = func.lag(ObservationRevision.value).over(partition_by=cell, order_by=ObservationRevision.id)
    inner = select(
        ObservationRevision.id.label("revision_id"),
        ObservationRevision.participant_code.label("participant"),
        ObservationRevision.indicator_code.label("indicator"),
        ObservationRevision.year.label("year"),
        old_value.label("old_value"),
        ObservationRevision.value.label("new_value"),
        ObservationRevision.recorded_at.label("recorded_at"),
        ObservationRevision.recorded_by.label("recorded_by"),
        ObservationRevision.upload_id.label("upload_id"),
        Upload.original_name.label("file"),
        ObservationRevision.reason.label("reason"),
        Upload.synthetic.label("synthetic"),
    ).join(Upload, Upload.id == ObservationRevision.upload_id)
    # Filter on participant/indicator/year inside (the history of a cell stays whole), dates outside.
    if participant:
        inner = inner.where(ObservationRevision.participant_code == participant)
    if indicator:
        inner = inner.where(ObservationRevision.indicator_code == indicator)
    if year is not None:
        inner = inner.where(ObservationRevision.year == year)
    history = inner.subquery()
    query = select(*(history.c[column] for column in REVISION_COLUMNS))
    query = query.where(*_between(history.c.recorded_at, since, until))
    if upload_id is not None:
        query = query.where(history.c.upload_id == upload_id)
    return query.order_by(history.c.revision_id.desc())


def revisions_rows_frame(rows: Any) -> pd.DataFrame:
    """Rows of the revisions query as a frame (REVISION_COLUMNS), `old_value` as nullable integers."""
    frame = pd.DataFrame(list(rows), columns=REVISION_COLUMNS)
    frame["old_value"] = pd.array([None if pd.isna(v) else int(v) for v in frame["old_value"]], dtype="Int64")
    return frame


def events_frame(
    session: Session,
    limit: int | None = 5000,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pd.DataFrame:
    """Account, sign-in and reference data events, newest first; at most `limit` (None: all).

    Columns: EVENT_COLUMNS (occurred_at, actor, action, subject, details).
    """
    return pd.DataFrame(
        session.execute(_events_select(since, until).limit(limit)).all(), columns=EVENT_COLUMNS
    )


def _events_select(since: dt.date | None = None, until: dt.date | None = None) -> AnySelect:
    return (
        select(
            AuditEvent.occurred_at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.details,
        )
        .where(*_between(AuditEvent.occurred_at, since, until))
        .order_by(AuditEvent.id.desc())
    )


def details_text(details: Any) -> str:
    """An event's details as "key: value; key: value" text, for a screen or a CSV cell."""
    if isinstance(details, dict):
        return "; ".join(f"{key}: {'none' if value is None else value}" for key, value in details.items())
    return "" if details is None else str(details)


# --- the audit page's three tables: on screen (limited), counted, and complete (in chunks) ---------


def _table_select(name: str, chosen: AuditFilter) -> AnySelect:
    if name == "uploads":
        return _uploads_select(chosen.participant, None, chosen.outcome, chosen.since, chosen.until)
    if name == "revisions":
        return _revisions_select(chosen.participant, since=chosen.since, until=chosen.until)
    if name == "events":
        return _events_select(chosen.since, chosen.until)
    raise ValueError(f"no audit table {name!r}; one of {', '.join(TABLES)}")


def _table_frame(session: Session, name: str, rows: Any) -> pd.DataFrame:
    if name == "uploads":
        return uploads_rows_frame(session, rows)
    if name == "revisions":
        return revisions_rows_frame(rows)
    return pd.DataFrame(list(rows), columns=EVENT_COLUMNS)


def audit_table(session: Session, name: str, chosen: AuditFilter, limit: int | None) -> pd.DataFrame:
    """One audit table ("uploads", "revisions" or "events") for the filter, newest first, at most
    `limit` rows (None: all). Columns: UPLOAD_COLUMNS, REVISION_COLUMNS or EVENT_COLUMNS."""
    return _table_frame(session, name, session.execute(_table_select(name, chosen).limit(limit)).all())


def audit_count(session: Session, name: str, chosen: AuditFilter) -> int:
    """How many rows the audit table has for the filter (what a limited screen must say it holds)."""
    query = _table_select(name, chosen).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(query)) or 0)


def audit_chunks(
    session: Session, name: str, chosen: AuditFilter, chunk_rows: int = CHUNK_ROWS
) -> Iterator[pd.DataFrame]:
    """Every row of an audit table for the filter, newest first, as frames of at most `chunk_rows`
    rows: read from one snapshot with a streaming cursor, so memory stays bounded however long."""
    result = session.execute(_table_select(name, chosen).execution_options(yield_per=chunk_rows))
    for rows in result.partitions(chunk_rows):
        yield _table_frame(session, name, rows)


def table_columns(name: str) -> list[str]:
    """The columns of an audit table."""
    return {"uploads": UPLOAD_COLUMNS, "revisions": REVISION_COLUMNS, "events": EVENT_COLUMNS}[name]


# --- writing to the audit log ----------------------------------------------------------------------


def loggable(text: object, limit: int) -> str:
    """Text as it may be stored and shown in the audit log: at most `limit` characters (an ellipsis
    marks a cut), every character that is not printable (NUL, control characters, a lone surrogate)
    replaced by U+FFFD, so the same value is stored on SQLite and PostgreSQL and read back safely."""
    value = str(text)
    cut = len(value) > limit
    value = value[: limit - 1] if cut else value
    value = "".join(ch if ch.isprintable() else "\ufffd" for ch in value)
    return value + "…" if cut else value


def record_event(
    session: Session, actor: str, action: str, subject: str, details: dict[str, Any] | None = None
) -> AuditEvent:
    """Append an event to the audit log (in the caller's unit of work), every text made loggable."""
    clean = {
        str(key): loggable(value, 500) if isinstance(value, str) else value
        for key, value in (details or {}).items()
    }
    event = AuditEvent(
        actor=loggable(actor, 320), action=loggable(action, 60), subject=loggable(subject, 200), details=clean
    )
    session.add(event)
    return event


def record_refused_confirm(
    session: Session,
    actor: str,
    file_name: str | None,
    message: str,
    participant: str | None = None,
    sha256: str | None = None,
) -> AuditEvent:
    """Log a Confirm on the upload page that was refused before anything was recorded (no reason
    given, a correction without a reason, a file that could not be read...). Call it in an
    `models.db.account_transaction`: it changes no figure and takes no writer lock."""
    details: dict[str, Any] = {"message": message, "participant": participant, "sha256": sha256}
    return record_event(session, actor, "upload.confirm_refused", file_name or "(no file)", details)
