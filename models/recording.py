"""The one write path for observed values: plan what a batch changes, then record it with its history.

Every value that becomes current is also appended to observation_revisions, so nothing once
recorded is ever lost. Callers run both steps inside `models.db.write_transaction`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from models.tables import Observation, ObservationRevision, Upload

ChangeKind = Literal["insert", "revise", "unchanged"]

REVISION_COLUMNS: tuple[str, ...] = ("participant_code", "indicator_code", "year", "value")
REVISION_COLUMNS += ("recorded_at", "recorded_by", "upload_id", "reason")

# Keeps IN lists well below every backend's parameter limit.
_LOOKUP_CHUNK = 500


# Slots: a large file makes hundreds of thousands of these; without a __dict__ each they take half
# the memory and give the cyclic garbage collector far less to walk (no process-wide switch needed).
@dataclass(frozen=True, slots=True)
class CellValue:
    """A value for one cell: participant, indicator and year."""

    participant_code: str
    indicator_code: str
    year: int
    value: int

    @property
    def cell(self) -> tuple[str, str, int]:
        return (self.participant_code, self.indicator_code, self.year)


@dataclass(frozen=True, slots=True)
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
        kinds = Counter(change.kind for change in changes)
        return cls(kinds["insert"], kinds["revise"], kinds["unchanged"])


def current_values_of(session: Session, participants: Iterable[str]) -> dict[tuple[str, str, int], int]:
    """Every current value of the given participants, by (participant, indicator, year).

    A few plain queries (participants in chunks), however many values.
    """
    codes = sorted(set(participants))
    found: dict[tuple[str, str, int], int] = {}
    for start in range(0, len(codes), _LOOKUP_CHUNK):
        rows = session.execute(
            select(
                Observation.participant_code, Observation.indicator_code, Observation.year, Observation.value
            ).where(Observation.participant_code.in_(codes[start : start + _LOOKUP_CHUNK]))
        )
        for participant, indicator, year, value in rows:
            found[(participant, indicator, year)] = int(value)
    return found


def current_values(
    session: Session, cells: Iterable[tuple[str, str, int]]
) -> dict[tuple[str, str, int], int]:
    """The current value of each given (participant, indicator, year) cell that has one."""
    wanted = set(cells)
    everything = current_values_of(session, (participant for participant, _indicator, _year in wanted))
    return {key: value for key, value in everything.items() if key in wanted}


def plan_changes(
    session: Session, values: Sequence[CellValue], current: Mapping[tuple[str, str, int], int] | None = None
) -> list[Change]:
    """What recording `values` would change, in the order given; writes nothing.

    `current`: the current values, if the caller has already read them (at least the cells of
    `values`) in the same transaction. Raises ValueError if the same cell appears twice: the
    caller must have reported that already.
    """
    cells = [item.cell for item in values]
    seen = set(cells)
    if len(seen) < len(cells):
        seen = set()
        for cell in cells:
            if cell in seen:
                raise ValueError(f"cell {cell} appears twice in one batch")
            seen.add(cell)
    if current is None:
        current = current_values(session, seen)
    get = current.get
    return [
        Change(participant, indicator, year, get((participant, indicator, year)), item.value)
        for (participant, indicator, year), item in zip(cells, values, strict=True)
    ]


def apply_changes(
    session: Session,
    changes: Sequence[Change],
    upload: Upload,
    recorded_by: str,
    recorded_at: dt.datetime,
    reason: str | None = None,
    *,
    counted: bool = True,
) -> ChangeCounts:
    """Record the planned changes: a revision row for every new or different value, and the new current value.

    The plan must come from `plan_changes` in the same transaction (so it is still current).
    Unchanged cells add no revision. Returns the counts. `counted` False (an upload submitted for
    review): only the revisions are written; the current (accepted) values stay as they are until
    the secretariat accepts the upload (`models.cycles.review.accept_upload`).
    """
    if upload.id is None:
        session.flush()
    to_record = [change for change in changes if change.kind != "unchanged"]
    inserts = [change for change in to_record if change.kind == "insert"]
    revisions = [change for change in to_record if change.kind == "revise"]
    if to_record:
        bulk_insert(
            session,
            _table(ObservationRevision),
            REVISION_COLUMNS,
            [
                (
                    c.participant_code,
                    c.indicator_code,
                    c.year,
                    c.new_value,
                    recorded_at,
                    recorded_by,
                    upload.id,
                    reason,
                )
                for c in to_record
            ],
        )
    if not counted:
        return ChangeCounts.of(changes)
    if inserts:
        bulk_insert(
            session,
            _table(Observation),
            ("participant_code", "indicator_code", "year", "value", "updated_at"),
            [(c.participant_code, c.indicator_code, c.year, c.new_value, recorded_at) for c in inserts],
        )
    if revisions:
        table = _table(Observation)
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


def _table(mapped: type[Observation] | type[ObservationRevision]) -> Table:
    """The Core table of a mapped class: bulk statements on it skip the ORM's per-row bookkeeping."""
    table = mapped.__table__
    assert isinstance(table, Table)
    return table


def bulk_insert(
    session: Session, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert many rows in the session's transaction, fast: COPY on PostgreSQL, executemany on SQLite.

    Values go through each column type's own bind processing (once per distinct value), so what is
    stored is exactly what an ORM insert would store. Other backends take SQLAlchemy's executemany.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    if any(processors):
        # Column by column, each distinct value processed once (the constant ones cost nothing).
        values_by_column: list[Sequence[Any]] = list(zip(*rows, strict=True))
        for position, processor in enumerate(processors):
            if processor is not None:
                cache: dict[Any, Any] = {None: None}
                for value in dict.fromkeys(values_by_column[position]):
                    if value is not None:
                        cache[value] = processor(value)
                values_by_column[position] = list(map(cache.__getitem__, values_by_column[position]))
        rows = list(zip(*values_by_column, strict=True))
    # Table and column names come from the metadata, never from input.
    names = ", ".join(columns)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        cursor: Any = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()
    elif dialect.name == "sqlite":
        placeholders = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table.name} ({names}) VALUES ({placeholders})"  # noqa: S608
        connection.exec_driver_sql(statement, list(rows))
    else:
        session.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
