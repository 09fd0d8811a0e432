"""The recorded data going out: the current dataset in the long layout, and the history of one cell.

An export loads back unchanged: same columns, one row per participant and year, counts as plain
digits. Demonstration data is labelled in the `notes` column of every row (DEMO_LABEL), which
`load` refuses, so invented figures can never come back in as real ones.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from data_ingest.columns import COLUMNS, CUMULATIVE_TOTAL, NOTES, VICTIMS
from models.demo import DEMO_LABEL, holds_demo_data
from models.reference import ANNUAL, CUMULATIVE
from models.tables import Observation, ObservationRevision, Upload
from models.text import neutralise


@dataclass(frozen=True)
class DatasetRow:
    """One participant and year of the current dataset; None where nothing is recorded."""

    country: str
    year: int
    identified_victims: int | None
    cumulative_total: int | None
    notes: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "year": self.year,
            VICTIMS: self.identified_victims,
            CUMULATIVE_TOTAL: self.cumulative_total,
            NOTES: self.notes,
        }


def current_dataset(session: Session) -> tuple[list[DatasetRow], bool]:
    """Every recorded participant and year with its current values, ordered by country then year,
    and whether it is demonstration data. Columns: country, year, identified_victims,
    cumulative_total, notes."""
    demo = holds_demo_data(session)
    found: dict[tuple[str, int], dict[str, int]] = {}
    rows = session.execute(
        select(Observation.participant_code, Observation.year, Observation.indicator_code, Observation.value)
    )
    for participant, year, indicator, value in rows:
        found.setdefault((participant, year), {})[indicator] = int(value)
    note = DEMO_LABEL if demo else ""
    dataset = [
        DatasetRow(participant, year, values.get(ANNUAL), values.get(CUMULATIVE), note)
        for (participant, year), values in sorted(found.items())
    ]
    return dataset, demo


def dataset_csv(rows: list[DatasetRow]) -> str:
    """The dataset as a long-layout CSV (comma-separated, UTF-8 without BOM when encoded)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if value is None else neutralise(value) for value in row.as_dict().values()])
    return buffer.getvalue()


def dataset_json(rows: list[DatasetRow]) -> str:
    """The dataset as a JSON array of row objects (null where nothing is recorded)."""
    return json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class HistoryEntry:
    """One value once recorded for a cell."""

    indicator: str
    value: int
    recorded_at: dt.datetime
    recorded_by: str
    file: str
    reason: str | None
    review_status: str | None = None  # the upload's: submitted, accepted or returned (docs/metrics.md)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "value": self.value,
            "recorded_at": self.recorded_at.isoformat(),
            "recorded_by": self.recorded_by,
            "file": self.file,
            "reason": self.reason,
            "review_status": self.review_status,
        }


def value_history(
    session: Session, participant: str, year: int, indicator: str | None = None
) -> list[HistoryEntry]:
    """Every value ever recorded for the participant and year (one indicator or both), oldest first.
    Fields: indicator, value, recorded_at (UTC), recorded_by, file (the upload's name), reason, and
    review_status (the upload's: submitted and awaiting review, accepted, or returned)."""
    query = (
        select(
            ObservationRevision.indicator_code,
            ObservationRevision.value,
            ObservationRevision.recorded_at,
            ObservationRevision.recorded_by,
            Upload.original_name,
            ObservationRevision.reason,
            Upload.review_status,
        )
        .join(Upload, Upload.id == ObservationRevision.upload_id)
        .where(ObservationRevision.participant_code == participant, ObservationRevision.year == year)
        .order_by(ObservationRevision.id)  # writers are serialised: id order is the order of recording
    )
    if indicator is not None:
        query = query.where(ObservationRevision.indicator_code == indicator)
    return [
        HistoryEntry(code, int(value), recorded_at, recorded_by, file, reason, status)
        for code, value, recorded_at, recorded_by, file, reason, status in session.execute(query)
    ]
