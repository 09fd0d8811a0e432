"""The audit trail: every upload received (accepted or rejected) and every value change, as DataFrames."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Select, exists, func, or_, select
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


AnySelect = Select[*tuple[Any, ...]]


def _received_between(query: AnySelect, since: dt.date | None, until: dt.date | None) -> AnySelect:
    if since is not None:
        query = query.where(Upload.received_at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC))
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        query = query.where(Upload.received_at < end)
    return query


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
    limit: int = 5000,
) -> pd.DataFrame:
    """Uploads, newest first, filtered. Columns: UPLOAD_COLUMNS.

    With both `participant` and `uploaded_by`, an upload matches either (a liaison's own view:
    files they sent, and files sent for their participant on their behalf).
    """
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
    rows = session.execute(query.order_by(Upload.received_at.desc(), Upload.id.desc()).limit(limit)).all()
    return _named_participants(session, pd.DataFrame(rows, columns=UPLOAD_COLUMNS))


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
    limit: int = 20000,
    upload_id: int | None = None,
) -> pd.DataFrame:
    """Every recorded value with the value it replaced, newest first. Columns: REVISION_COLUMNS.

    `old_value` is empty for a first value. `upload_id`: only the values one upload recorded.
    """
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
    if since is not None:
        query = query.where(history.c.recorded_at >= dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC))
    if until is not None:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        query = query.where(history.c.recorded_at < end)
    if upload_id is not None:
        query = query.where(history.c.upload_id == upload_id)
    rows = session.execute(query.order_by(history.c.revision_id.desc()).limit(limit)).all()
    frame = pd.DataFrame(rows, columns=REVISION_COLUMNS)
    frame["old_value"] = pd.array([None if pd.isna(v) else int(v) for v in frame["old_value"]], dtype="Int64")
    return frame


def events_frame(session: Session, limit: int = 5000) -> pd.DataFrame:
    """Changes to reference data and accounts, newest first.

    Columns: occurred_at, actor, action, subject, details.
    """
    rows = session.execute(
        select(
            AuditEvent.occurred_at,
            AuditEvent.actor,
            AuditEvent.action,
            AuditEvent.subject,
            AuditEvent.details,
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return pd.DataFrame(rows, columns=["occurred_at", "actor", "action", "subject", "details"])
