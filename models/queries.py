"""Read-only queries: each takes a session and returns a DataFrame or a small value object."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.db import data_version
from models.demo import holds_demo_data
from models.tables import DataState, Observation, Participant


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
