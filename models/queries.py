"""Read-only queries: each takes a session and returns a DataFrame or a small value object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from models.db import data_version
from models.demo import DEMO_RECORDED_BY, holds_demo_data
from models.tables import (
    DataState,
    Indicator,
    Observation,
    ObservationRevision,
    Participant,
    ReportingCycle,
    Upload,
    User,
)

#: Review statuses whose values count: by default only what the secretariat accepted; "including
#: figures awaiting review" adds what is submitted. Returned values never count (docs/metrics.md).
ACCEPTED = ("accepted",)
COUNTED_WITH_SUBMITTED = ("accepted", "submitted")
#: The label every output shows when it includes figures awaiting review.
INCLUDING_SUBMITTED_NOTE = "including figures awaiting review (not yet accepted by the secretariat)"


def counted_statuses(include_submitted: bool = False) -> tuple[str, ...]:
    """The review statuses whose values count."""
    return COUNTED_WITH_SUBMITTED if include_submitted else ACCEPTED


def counted_revisions(include_submitted: bool = False, participant: str | None = None) -> ColumnElement[bool]:
    """The condition on a revision (joined with its upload) for its value to count: accepted; with
    `include_submitted`, also awaiting review, of every participant or (`participant`) of that one only."""
    if not include_submitted or participant is None:
        return Upload.review_status.in_(counted_statuses(include_submitted))
    return or_(
        Upload.review_status.in_(ACCEPTED),
        and_(Upload.review_status == "submitted", ObservationRevision.participant_code == participant),
    )


@dataclass(frozen=True)
class DatasetStatus:
    """What the database holds, for banners and export footers."""

    version: int
    updated_at: dt.datetime
    demo: bool
    participants: int
    observations: int


def dataset_status(session: Session) -> DatasetStatus:
    """The data version, whether the data is demonstration data, and how much there is."""
    updated_at = session.scalar(select(DataState.updated_at).where(DataState.id == 1))
    assert updated_at is not None, "data_state row missing: run python -m models init-db"
    return DatasetStatus(
        version=data_version(session),
        updated_at=updated_at,
        demo=holds_demo_data(session),
        participants=int(session.scalar(select(func.count()).select_from(Participant)) or 0),
        observations=int(session.scalar(select(func.count()).select_from(Observation)) or 0),
    )


def participants_frame(session: Session) -> pd.DataFrame:
    """The participant register. Columns: code, name, joined_on (date), source_title, source_url."""
    rows = session.execute(
        select(
            Participant.code,
            Participant.name,
            Participant.joined_on,
            Participant.source_title,
            Participant.source_url,
        ).order_by(Participant.code)
    ).all()
    return pd.DataFrame(rows, columns=["code", "name", "joined_on", "source_title", "source_url"])


def indicator_growth(session: Session, indicator_code: str) -> Decimal:
    """The indicator's minimum yearly growth, exact (Decimal('0.10'))."""
    growth = session.scalar(select(Indicator.min_yearly_growth).where(Indicator.code == indicator_code))
    if growth is None:
        raise LookupError(f"unknown indicator {indicator_code!r}")
    return Decimal(growth)


def values_frame(
    session: Session, indicator_code: str, include_submitted: bool = False, participant: str | None = None
) -> pd.DataFrame:
    """Current values of one indicator. Columns: participant, year, value (int64).

    By default the accepted values; `include_submitted`: each cell's latest value among accepted
    and submitted uploads (what counts once everything awaiting review is accepted); with
    `participant` too, only that participant's submitted uploads join the accepted ones.
    """
    if include_submitted:
        latest = (
            select(func.max(ObservationRevision.id))
            .join(Upload, Upload.id == ObservationRevision.upload_id)
            .where(
                ObservationRevision.indicator_code == indicator_code,
                counted_revisions(True, participant),
            )
            .group_by(ObservationRevision.participant_code, ObservationRevision.year)
        )
        query = (
            select(ObservationRevision.participant_code, ObservationRevision.year, ObservationRevision.value)
            .where(ObservationRevision.id.in_(latest))
            .order_by(ObservationRevision.participant_code, ObservationRevision.year)
        )
    else:
        query = (
            select(Observation.participant_code, Observation.year, Observation.value)
            .where(Observation.indicator_code == indicator_code)
            .order_by(Observation.participant_code, Observation.year)
        )
    rows = session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["participant", "year", "value"])
    return frame.astype({"participant": "string", "year": "int64", "value": "int64"})


def cycles_frame(session: Session) -> pd.DataFrame:
    """Reporting cycles by deadline. Columns: name, kind, deadline (date), first_year, last_year."""
    rows = session.execute(
        select(
            ReportingCycle.name,
            ReportingCycle.kind,
            ReportingCycle.deadline,
            ReportingCycle.first_year,
            ReportingCycle.last_year,
        ).order_by(ReportingCycle.deadline, ReportingCycle.name)
    ).all()
    return pd.DataFrame(rows, columns=["name", "kind", "deadline", "first_year", "last_year"])


def first_reported_frame(
    session: Session, indicator_code: str, include_submitted: bool = False, participant: str | None = None
) -> pd.DataFrame:
    """When each counted value's year was first reported.

    Columns: participant, year, first_submitted_on (date).

    The date is the earliest `submitted_on` of the counted uploads (accepted; with
    `include_submitted`, also those awaiting review: of `participant` only when given) that recorded a
    value for the cell, so a later correction does not make an on-time report late, and a returned
    upload never counts.
    """
    rows = session.execute(
        select(
            ObservationRevision.participant_code,
            ObservationRevision.year,
            func.min(Upload.submitted_on),
        )
        .join(Upload, Upload.id == ObservationRevision.upload_id)
        .where(
            ObservationRevision.indicator_code == indicator_code,
            counted_revisions(include_submitted, participant),
        )
        .group_by(ObservationRevision.participant_code, ObservationRevision.year)
        .order_by(ObservationRevision.participant_code, ObservationRevision.year)
    ).all()
    return pd.DataFrame(rows, columns=["participant", "year", "first_submitted_on"])


#: Upload outcomes whose values are public: only accepted data and its history are ever shown.
#: (Rejected files, submissions awaiting review and returned ones stay out: see ACCEPTED.)
PUBLIC_UPLOAD_OUTCOMES = ("loaded",)

REVISION_COLUMNS = [
    "indicator",
    "year",
    "old_value",
    "new_value",
    "recorded_at",
    "recorded_by",
    "reason",
    "upload_id",
    "synthetic",
]


def public_recorders(session: Session, recorded_by: pd.Series) -> list[str]:
    """Who recorded values, as the public may see it: a liaison's participant, the secretariat, or the
    demonstration generator; anything else (a command-line user) counts as the secretariat."""
    names = set(recorded_by)
    accounts = dict(
        session.execute(select(User.email, User.participant_code).where(User.email.in_(names))).all()
    ) if names else {}  # fmt: skip
    labels = {}
    for name in names:
        if name == DEMO_RECORDED_BY:
            labels[name] = "Demonstration data"
        elif accounts.get(name):
            labels[name] = f"{accounts[name]} liaison"
        else:
            labels[name] = "Secretariat"
    return [labels[name] for name in recorded_by]


def revision_history(session: Session, participant_code: str) -> pd.DataFrame:
    """Every value recorded for a participant from an accepted upload, newest first (public).

    Columns: indicator, year, old_value (the previous accepted value of the same cell, null for the
    first), new_value, recorded_at (UTC), recorded_by, reason, upload_id, synthetic (bool).
    `recorded_by` says who by role ("FRA liaison", "Secretariat"), never a person's address: this
    history is shown on public pages. The audit log keeps the accounts.
    """
    rows = session.execute(
        select(
            ObservationRevision.indicator_code,
            ObservationRevision.year,
            ObservationRevision.value,
            ObservationRevision.recorded_at,
            ObservationRevision.recorded_by,
            ObservationRevision.reason,
            ObservationRevision.upload_id,
            Upload.synthetic,
            ObservationRevision.id,
        )
        .join(Upload, Upload.id == ObservationRevision.upload_id)
        .where(
            ObservationRevision.participant_code == participant_code,
            Upload.outcome.in_(PUBLIC_UPLOAD_OUTCOMES),
            Upload.review_status.in_(ACCEPTED),
        )
        .order_by(ObservationRevision.indicator_code, ObservationRevision.year, ObservationRevision.id)
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "year",
            "new_value",
            "recorded_at",
            "recorded_by",
            "reason",
            "upload_id",
            "synthetic",
            "id",
        ],
    )
    # The previous *public* value of the cell, so a hidden submission never leaks through "old".
    previous = frame.groupby(["indicator", "year"], sort=False)["new_value"].shift(1)
    frame["old_value"] = pd.array([None if pd.isna(v) else int(v) for v in previous], dtype="Int64")
    frame["new_value"] = frame["new_value"].astype("int64")
    frame["year"] = frame["year"].astype("int64")
    frame["synthetic"] = frame["synthetic"].astype(bool)
    frame["recorded_by"] = public_recorders(session, frame["recorded_by"])
    frame = frame.sort_values(["recorded_at", "id"], ascending=False, kind="stable")
    return frame[REVISION_COLUMNS].reset_index(drop=True)


def indicators_frame(session: Session) -> pd.DataFrame:
    """The indicators. Columns: code, name, unit, kind, description, min_yearly_growth (Decimal, exact)."""
    rows = session.execute(
        select(
            Indicator.code,
            Indicator.name,
            Indicator.unit,
            Indicator.kind,
            Indicator.description,
            Indicator.min_yearly_growth,
        ).order_by(Indicator.code)
    ).all()
    return pd.DataFrame(rows, columns=["code", "name", "unit", "kind", "description", "min_yearly_growth"])
