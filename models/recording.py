"""The one write path for observed values: plan what a batch changes, then record it with its history.

Every value that becomes current is also appended to observation_revisions, so nothing once
recorded is ever lost. Callers run both steps inside `models.db.write_transaction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Table, bindparam, insert, select, tuple_, update
from sqlalchemy.orm import Session

from models.tables import Observation, ObservationRevision, Upload

ChangeKind = Literal["insert", "revise", "unchanged"]

# Keeps IN lists well below every backend's parameter limit.
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class CellValue:
    """A value for one cell: participant, indicator and year."""

    participant_code: str
    indicator_code: str
    year: int
    value: int

    @property
    def cell(self) -> tuple[str, str, int]:
        return (self.participant_code, self.indicator_code, self.year)


@dataclass(frozen=True)
class Change:
    """What recording a value would do to its cell: `old_value` is None for a new cell."""

    participant_code: str
    indicator_code: str
    year: int
    old_value: int | None
    new_value: int

    @property
    def kind(self) -> ChangeKind:
        if self.old_value is None:
            return "insert"
        return "unchanged" if self.old_value == self.new_value else "revise"


@dataclass(frozen=True)
class ChangeCounts:
    """How many cells a batch inserts, revises and leaves unchanged."""

    inserted: int
    revised: int
    unchanged: int

    @classmethod
    def of(cls, changes: Iterable[Change]) -> ChangeCounts:
        kinds = [change.kind for change in changes]
        return cls(kinds.count("insert"), kinds.count("revise"), kinds.count("unchanged"))


def current_values(
    session: Session, cells: Iterable[tuple[str, str, int]]
) -> dict[tuple[str, str, int], int]:
    """The current value of each given (participant, indicator, year) cell that has one."""
    wanted = sorted(set(cells))
    found: dict[tuple[str, str, int], int] = {}
    key = tuple_(Observation.participant_code, Observation.indicator_code, Observation.year)
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        rows = session.execute(
            select(
                Observation.participant_code, Observation.indicator_code, Observation.year, Observation.value
            ).where(key.in_(chunk))
        )
        for participant, indicator, year, value in rows:
            found[(participant, indicator, year)] = int(value)
    return found


def plan_changes(session: Session, values: Sequence[CellValue]) -> list[Change]:
    """What recording `values` would change, in the order given; writes nothing.

    Raises ValueError if the same cell appears twice: the caller must have reported that already.
    """
    seen: set[tuple[str, str, int]] = set()
    for item in values:
        if item.cell in seen:
            raise ValueError(f"cell {item.cell} appears twice in one batch")
        seen.add(item.cell)
    current = current_values(session, seen)
    return [
        Change(item.participant_code, item.indicator_code, item.year, current.get(item.cell), item.value)
        for item in values
    ]


def apply_changes(
    session: Session,
    changes: Sequence[Change],
    upload: Upload,
    recorded_by: str,
    recorded_at: dt.datetime,
    reason: str | None = None,
) -> ChangeCounts:
    """Record the planned changes: a revision row for every new or different value, and the new current value.

    The plan must come from `plan_changes` in the same transaction (so it is still current).
    Unchanged cells add no revision. Returns the counts.
    """
    if upload.id is None:
        session.flush()
    to_record = [change for change in changes if change.kind != "unchanged"]
    if to_record:
        session.execute(
            insert(ObservationRevision),
            [
                {
                    "participant_code": change.participant_code,
                    "indicator_code": change.indicator_code,
                    "year": change.year,
                    "value": change.new_value,
                    "recorded_at": recorded_at,
                    "recorded_by": recorded_by,
                    "upload_id": upload.id,
                    "reason": reason,
                }
                for change in to_record
            ],
        )
    inserts = [change for change in to_record if change.kind == "insert"]
    if inserts:
        session.execute(
            insert(Observation),
            [
                {
                    "participant_code": change.participant_code,
                    "indicator_code": change.indicator_code,
                    "year": change.year,
                    "value": change.new_value,
                    "updated_at": recorded_at,
                }
                for change in inserts
            ],
        )
    revisions = [change for change in to_record if change.kind == "revise"]
    if revisions:
        table = Observation.__table__
        assert isinstance(table, Table)
        session.execute(
            update(table)
            .where(
                table.c.participant_code == bindparam("b_participant"),
                table.c.indicator_code == bindparam("b_indicator"),
                table.c.year == bindparam("b_year"),
            )
            .values(value=bindparam("b_value"), updated_at=recorded_at),
            [
                {
                    "b_participant": change.participant_code,
                    "b_indicator": change.indicator_code,
                    "b_year": change.year,
                    "b_value": change.new_value,
                }
                for change in revisions
            ],
        )
    return ChangeCounts.of(changes)
