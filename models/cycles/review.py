"""Review of submissions: the secretariat accepts an upload's values, or returns them with a comment.

An upload that recorded values is `submitted` (a liaison's upload, or a command-line load with
--submitted), `accepted` (what counts) or `returned` (never counts; kept in the history). Only
accepted values are current (`observations`); accepting an upload makes each of its cells hold the
value of the cell's latest accepted revision, in the order values were received. Returning changes
no current value: what was accepted before keeps counting. Every decision is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, exists, func, select, tuple_, update
from sqlalchemy.orm import Session

from models.accounts.audit import record_event
from models.accounts.users import Actor
from models.base import utcnow
from models.cycles import CycleError, actor_name, require_secretariat
from models.cycles.locks import lock_problem, lock_violations
from models.queries import ACCEPTED
from models.tables import REVIEW_STATUSES, Observation, ObservationRevision, Upload
from models.text import REASON, TextError, check_text

_CHUNK = 500


@dataclass(frozen=True)
class Submission:
    """One upload that recorded values, with its review. `received_on`: the date it counts as
    received (its --received-on date when one was given); `received_at`: when it really arrived."""

    upload: int
    participant: str | None
    status: str
    received_on: dt.date
    received_at: dt.datetime
    file: str
    submitted_by: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    comment: str | None
    values: int
    first_year: int | None
    last_year: int | None
    demonstration: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (dates and times in ISO 8601)."""
        record = asdict(self)
        for key, value in record.items():
            if isinstance(value, dt.date | dt.datetime):
                record[key] = value.isoformat()
        return record


@dataclass(frozen=True)
class PendingChange:
    """What accepting a submission would do to one cell: `accepted` is the value counting now."""

    participant: str
    indicator: str
    year: int
    accepted: int | None
    submitted: int


def _submissions_query(status: str | None, participant: str | None) -> Any:
    revisions = (
        select(
            ObservationRevision.upload_id.label("upload_id"),
            func.count().label("values"),
            func.min(ObservationRevision.year).label("first_year"),
            func.max(ObservationRevision.year).label("last_year"),
        )
        .group_by(ObservationRevision.upload_id)
        .subquery()
    )
    query = (
        select(Upload, revisions.c["values"], revisions.c.first_year, revisions.c.last_year)
        .outerjoin(revisions, revisions.c.upload_id == Upload.id)
        .where(Upload.review_status.is_not(None))
        .order_by(Upload.received_at, Upload.id)
    )
    if status is not None:
        query = query.where(Upload.review_status == status)
    if participant is not None:
        query = query.where(
            (Upload.participant_code == participant)
            | exists().where(
                ObservationRevision.upload_id == Upload.id,
                ObservationRevision.participant_code == participant,
            )
        )
    return query


def list_submissions(
    session: Session, status: str | None = None, participant: str | None = None
) -> list[Submission]:
    """Uploads that recorded values, oldest first (what waits longest for review comes first).

    `status`: only submitted, accepted or returned ones; `participant`: only uploads with values for
    that participant (ISO3). Raises CycleError for an unknown status.
    """
    if status is not None and status not in REVIEW_STATUSES:
        raise CycleError(f"unknown status {status!r}: use one of {', '.join(REVIEW_STATUSES)}")
    rows = session.execute(_submissions_query(status, participant)).all()
    return [
        Submission(
            upload=upload.id,
            participant=upload.participant_code,
            status=str(upload.review_status),
            received_on=upload.submitted_on,
            received_at=upload.received_at,
            file=upload.original_name,
            submitted_by=upload.uploaded_by,
            reviewed_by=upload.reviewed_by,
            reviewed_at=upload.reviewed_at,
            comment=upload.review_comment,
            values=int(values or 0),
            first_year=None if first is None else int(first),
            last_year=None if last is None else int(last),
            demonstration=bool(upload.synthetic),
        )
        for upload, values, first, last in rows
    ]


def pending_changes(session: Session, upload_id: int) -> list[PendingChange]:
    """The preview of a submission: each cell it records, the value counting now and its own value.

    Cells by participant, indicator and year. Values that were accepted since it was submitted show
    as they count now.
    """
    revisions = session.execute(
        select(
            ObservationRevision.participant_code,
            ObservationRevision.indicator_code,
            ObservationRevision.year,
            ObservationRevision.value,
        )
        .where(ObservationRevision.upload_id == upload_id)
        .order_by(
            ObservationRevision.participant_code, ObservationRevision.indicator_code, ObservationRevision.year
        )
    ).all()
    current = _current_values(session, [(p, i, y) for p, i, y, _v in revisions])
    return [PendingChange(p, i, int(y), current.get((p, i, y)), int(v)) for p, i, y, v in revisions]


def _current_values(
    session: Session, cells: Sequence[tuple[str, str, int]]
) -> dict[tuple[str, str, int], int]:
    found: dict[tuple[str, str, int], int] = {}
    key = tuple_(Observation.participant_code, Observation.indicator_code, Observation.year)
    for start in range(0, len(cells), _CHUNK):
        rows = session.execute(
            select(
                Observation.participant_code, Observation.indicator_code, Observation.year, Observation.value
            ).where(key.in_(list(cells[start : start + _CHUNK])))
        )
        for participant, indicator, year, value in rows:
            found[(participant, indicator, int(year))] = int(value)
    return found


def _upload_for_review(session: Session, upload_id: int) -> Upload:
    upload = session.get(Upload, upload_id, with_for_update=False)
    if upload is None:
        raise CycleError(f"no upload {upload_id}")
    if upload.review_status is None:
        raise CycleError(
            f"upload {upload_id} recorded no values ({upload.outcome}): there is nothing to review"
        )
    if upload.review_status != "submitted":
        by = f" by {upload.reviewed_by}" if upload.reviewed_by else ""
        raise CycleError(
            f"upload {upload_id} is already {upload.review_status}{by}: only a submitted upload is reviewed"
        )
    return upload


def _reason(reason: str | None, required: bool) -> str | None:
    try:
        text = check_text(reason or "", REASON) if reason is not None else ""
    except TextError as exc:
        raise CycleError(str(exc)) from exc
    if required and not text:
        raise CycleError("say why the upload is returned (--reason): the liaison reads it")
    return text or None


def accept_upload(
    session: Session,
    actor: Actor | str,
    upload_id: int,
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Accept a submitted upload: its values count from now on. Returns how many cells changed value.

    Run inside `models.db.write_transaction` (the writer lock). Refused (CycleError) unless the actor
    is the secretariat, the upload is submitted, and no value it would change lies in a closed
    cycle's years without a current lock exception.
    """
    require_secretariat(session, actor, "accept submissions")
    note = _reason(reason, required=False)
    upload = _upload_for_review(session, upload_id)
    now = now or utcnow()
    changes = [c for c in pending_changes(session, upload_id) if c.accepted != c.submitted]
    violations = lock_violations(session, ((c.participant, c.year) for c in changes), now.date())
    if violations:
        raise CycleError(lock_problem(violations))
    upload.review_status = "accepted"
    upload.reviewed_by = actor_name(actor)
    upload.reviewed_at = now
    upload.review_comment = note
    session.flush()
    cells = [(c.participant, c.indicator, c.year) for c in pending_changes(session, upload_id)]
    changed = recount(session, cells, now)
    record_event(
        session,
        actor_name(actor),
        "submission.accept",
        f"upload {upload_id}",
        {
            "participant": upload.participant_code,
            "file": upload.original_name,
            "reason": note,
            "changed": changed,
        },
    )
    return changed


def return_upload(
    session: Session, actor: Actor | str, upload_id: int, reason: str, now: dt.datetime | None = None
) -> None:
    """Return a submitted upload with a comment: its values never count; what counted still does.

    Run inside `models.db.write_transaction`. Refused (CycleError) unless the actor is the
    secretariat, the upload is submitted and a reason is given.
    """
    require_secretariat(session, actor, "return submissions")
    note = _reason(reason, required=True)
    upload = _upload_for_review(session, upload_id)
    upload.review_status = "returned"
    upload.reviewed_by = actor_name(actor)
    upload.reviewed_at = now or utcnow()
    upload.review_comment = note
    session.flush()
    record_event(
        session,
        actor_name(actor),
        "submission.return",
        f"upload {upload_id}",
        {"participant": upload.participant_code, "file": upload.original_name, "reason": note},
    )


def recount(session: Session, cells: Iterable[tuple[str, str, int]], now: dt.datetime) -> int:
    """Make each cell's current value that of its latest accepted revision (none: no current value).

    Returns how many cells changed. The one place, besides recording, that writes `observations`.
    """
    wanted = sorted(set(cells))
    changed = 0
    cell = tuple_(
        ObservationRevision.participant_code, ObservationRevision.indicator_code, ObservationRevision.year
    )
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        latest = (
            select(func.max(ObservationRevision.id))
            .join(Upload, Upload.id == ObservationRevision.upload_id)
            .where(cell.in_(chunk), Upload.review_status.in_(ACCEPTED))
            .group_by(
                ObservationRevision.participant_code,
                ObservationRevision.indicator_code,
                ObservationRevision.year,
            )
        )
        counted = {
            (p, i, int(y)): int(v)
            for p, i, y, v in session.execute(
                select(
                    ObservationRevision.participant_code,
                    ObservationRevision.indicator_code,
                    ObservationRevision.year,
                    ObservationRevision.value,
                ).where(ObservationRevision.id.in_(latest))
            )
        }
        current = _current_values(session, chunk)
        for key in chunk:
            new, old = counted.get(key), current.get(key)
            if new == old:
                continue
            changed += 1
            participant, indicator, year = key
            where = (
                (Observation.participant_code == participant)
                & (Observation.indicator_code == indicator)
                & (Observation.year == year)
            )
            if new is None:
                session.execute(delete(Observation).where(where))
            elif old is None:
                session.add(
                    Observation(
                        participant_code=participant,
                        indicator_code=indicator,
                        year=year,
                        value=new,
                        updated_at=now,
                    )
                )
            else:
                session.execute(update(Observation).where(where).values(value=new, updated_at=now))
    session.flush()
    return changed
