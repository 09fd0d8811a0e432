"""Closing a reporting cycle: after its deadline, with nothing awaiting review, freeze a snapshot.

A snapshot holds both bases of the compliance table and the cycle's reporting status as they were
at the close, in the canonical CSV of docs/metrics.md ("Snapshots of closed cycles"), with the data
version, the time, who closed it and the SHA-256 of that CSV. The database keeps snapshots
append-only. `changes_since_close` compares a snapshot with the figures counting now.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts.audit import record_event
from models.accounts.users import Actor
from models.base import utcnow
from models.cycles import CycleError, actor_name, require_secretariat
from models.cycles.locks import closed_cycles
from models.db import data_version
from models.demo import holds_demo_data
from models.metrics.compliance import ALL, BASES, compliance_table
from models.metrics.reporting import reporting_table
from models.queries import (
    ACCEPTED,
    cycles_frame,
    first_reported_frame,
    indicator_growth,
    participants_frame,
    public_recorders,
    values_frame,
)
from models.reference import ANNUAL, CUMULATIVE
from models.tables import CycleSnapshot, ObservationRevision, ReportingCycle, Upload

BASIS_INDICATORS = {"annual": ANNUAL, "cumulative": CUMULATIVE}
#: The tables of a snapshot, in the order of its canonical CSV.
SNAPSHOT_TABLES = ("compliance_annual", "compliance_cumulative", "reporting")
CANONICAL_HEADER = ("table", "row", "column", "value")
#: Basis of a reporting-status change (the reporting status is read on the annual counts).
REPORTING_BASIS = "reporting"

_INTEGER_COLUMNS = frozenset(
    {
        "year",
        "value",
        "previous_year",
        "previous_value",
        "gap_years",
        "required_value",
        "baseline_year",
        "path_value",
        "participants",
        "first_year",
        "last_year",
        "years_covered",
        "years_reported",
        "days_late",
    }
)
_FLOAT_COLUMNS = frozenset({"growth"})
_BOOLEAN_COLUMNS = frozenset({"on_path"})


@dataclass(frozen=True)
class SnapshotRecord:
    """A closed cycle's snapshot. `frames` (by SNAPSHOT_TABLES name) only from `latest_snapshot`."""

    cycle: str
    closed_at: dt.datetime
    closed_by: str
    data_version: int
    sha256: str
    demonstration: bool
    canonical_csv: str | None = field(default=None, repr=False)
    frames: Mapping[str, pd.DataFrame] | None = field(default=None, repr=False)

    def compliance(self, basis: str) -> pd.DataFrame:
        """The frozen compliance table of a basis (models.metrics.compliance.COLUMNS)."""
        assert self.frames is not None, "read with latest_snapshot() for the frames"
        return self.frames[f"compliance_{basis}"]

    @property
    def reporting(self) -> pd.DataFrame:
        """The frozen reporting rows of the cycle (models.metrics.reporting.TABLE_COLUMNS)."""
        assert self.frames is not None, "read with latest_snapshot() for the frames"
        return self.frames["reporting"]


@dataclass(frozen=True)
class Change:
    """A figure (old/new counts) or a status (old/new codes such as "met") changed since the close."""

    participant: str
    year: int
    basis: str
    old: int | str | None
    new: int | str | None
    changed_by: str
    changed_at: dt.datetime
    reason: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "participant": self.participant,
            "year": self.year,
            "basis": self.basis,
            "old": self.old,
            "new": self.new,
            "changed_by": self.changed_by,
            "changed_at": self.changed_at.isoformat(),
            "reason": self.reason,
        }


# -- the canonical CSV ------------------------------------------------------------------------------


def canonical_cell(value: Any) -> str:
    """A cell as canonical text: empty for a null, true/false, integers in decimal digits, floats
    as Python's shortest round-trip repr, dates and times in ISO 8601, text as it is."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return canonical_cell(value.item())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def canonical_csv(frames: Mapping[str, pd.DataFrame]) -> str:
    """The canonical CSV of a snapshot's tables (docs/metrics.md): one line per cell.

    Header `table,row,column,value`; the tables in SNAPSHOT_TABLES order, each row (numbered from 1
    in the table's own order) cell by cell in the table's column order; RFC 4180 quoting only where
    needed, LF line ends, UTF-8 without a byte-order mark.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CANONICAL_HEADER)
    for name in SNAPSHOT_TABLES:
        frame = frames[name]
        columns = list(frame.columns)
        for number, row in enumerate(frame.itertuples(index=False, name=None), start=1):
            for column, value in zip(columns, row, strict=True):
                writer.writerow((name, number, column, canonical_cell(value)))
    return out.getvalue()


def canonical_sha256(text: str) -> str:
    """Hex SHA-256 of the canonical CSV's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def frames_from_csv(text: str) -> dict[str, pd.DataFrame]:
    """The snapshot's tables read back from its canonical CSV, typed (nullable integers, booleans)."""
    cells: dict[str, dict[int, dict[str, str]]] = {name: {} for name in SNAPSHOT_TABLES}
    order: dict[str, list[str]] = {name: [] for name in SNAPSHOT_TABLES}
    reader = csv.reader(io.StringIO(text))
    next(reader)
    for table, row, column, value in reader:
        cells[table].setdefault(int(row), {})[column] = value
        if column not in order[table]:
            order[table].append(column)
    frames = {}
    for name in SNAPSHOT_TABLES:
        rows = [cells[name][number] for number in sorted(cells[name])]
        frame = pd.DataFrame(rows, columns=order[name])
        for column in frame.columns:
            texts = frame[column]
            if column in _INTEGER_COLUMNS:
                frame[column] = pd.array([int(v) if v != "" else None for v in texts], dtype="Int64")
            elif column in _FLOAT_COLUMNS:
                frame[column] = pd.array([float(v) if v != "" else None for v in texts], dtype="Float64")
            elif column in _BOOLEAN_COLUMNS:
                frame[column] = pd.array([None if v == "" else v == "true" for v in texts], dtype="boolean")
            else:
                frame[column] = pd.array([v if v != "" else None for v in texts], dtype="string")
        frames[name] = frame
    return frames


# -- the figures a snapshot freezes -------------------------------------------------------------------


def _cycle(session: Session, name: str) -> ReportingCycle:
    cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.name == name))
    if cycle is None:
        known = ", ".join(session.scalars(select(ReportingCycle.name).order_by(ReportingCycle.deadline)))
        raise CycleError(f"no reporting cycle named {name!r} (known: {known})")
    return cycle


def cycle_frames(
    session: Session, cycle: ReportingCycle, first_year: int | None = None
) -> dict[str, pd.DataFrame]:
    """The tables a snapshot of `cycle` freezes, from the accepted figures as they are now.

    Compliance on both bases from `first_year` (default: the first year with any value) to the
    cycle's last year; the cycle's rows of the reporting table.
    """
    register = participants_frame(session)
    frames: dict[str, pd.DataFrame] = {}
    values = {basis: values_frame(session, indicator) for basis, indicator in BASIS_INDICATORS.items()}
    if first_year is None:
        years = [int(y) for frame in values.values() for y in frame["year"] if y <= cycle.last_year]
        first_year = min([*years, cycle.first_year])
    for basis in BASES:
        indicator = BASIS_INDICATORS[basis]
        frames[f"compliance_{basis}"] = compliance_table(
            values[basis], register, indicator_growth(session, indicator), basis, first_year, cycle.last_year
        )
    cycles = cycles_frame(session)
    table = reporting_table(cycles, register, first_reported_frame(session, ANNUAL))
    frames["reporting"] = table[table["cycle"] == cycle.name].reset_index(drop=True)
    return frames


def waiting_for_review(session: Session, cycle: ReportingCycle) -> list[int]:
    """Ids of the submitted uploads with a value for a year the cycle covers, oldest first."""
    return [
        int(upload_id)
        for upload_id in session.scalars(
            select(Upload.id)
            .where(
                Upload.review_status == "submitted",
                Upload.id.in_(
                    select(ObservationRevision.upload_id).where(
                        ObservationRevision.year.between(cycle.first_year, cycle.last_year)
                    )
                ),
            )
            .order_by(Upload.received_at, Upload.id)
        )
    ]


def close_cycle(
    session: Session, actor: Actor | str, cycle_name: str, now: dt.datetime | None = None
) -> SnapshotRecord:
    """Close the cycle: freeze its snapshot and lock its years. Secretariat only; logged.

    Run inside `models.db.write_transaction` (the writer lock: nothing changes while it freezes).
    Refused (CycleError) before the day after the deadline, when already closed, or while uploads
    with values for its years wait for review (the message lists them).
    """
    require_secretariat(session, actor, "close reporting cycles")
    now = now or utcnow()
    cycle = _cycle(session, cycle_name)
    if any(c.id == cycle.id for c in closed_cycles(session)):
        raise CycleError(f"{cycle_name!r} is already closed")
    if now.date() <= cycle.deadline:
        raise CycleError(
            f"{cycle_name!r} is due {cycle.deadline.isoformat()}: "
            "it can be closed from the day after its deadline"
        )
    waiting = waiting_for_review(session, cycle)
    if waiting:
        listed = ", ".join(str(upload_id) for upload_id in waiting)
        raise CycleError(
            f"{len(waiting)} upload(s) with values for {cycle.first_year}-{cycle.last_year} wait for review "
            f"(upload {listed}): accept or return them first "
            "(python -m models submissions list --status submitted)"
        )
    text = canonical_csv(cycle_frames(session, cycle))
    snapshot = CycleSnapshot(
        cycle_id=cycle.id,
        closed_at=now,
        closed_by=actor_name(actor),
        data_version=data_version(session),
        sha256=canonical_sha256(text),
        canonical_csv=text,
        demonstration=holds_demo_data(session),
    )
    session.add(snapshot)
    session.flush()
    record_event(
        session,
        actor_name(actor),
        "cycle.close",
        cycle_name,
        {
            "sha256": snapshot.sha256,
            "data_version": snapshot.data_version,
            "demonstration": snapshot.demonstration,
        },
    )
    return _record(snapshot, cycle.name, with_frames=False)


def _record(snapshot: CycleSnapshot, cycle_name: str, with_frames: bool) -> SnapshotRecord:
    return SnapshotRecord(
        cycle=cycle_name,
        closed_at=snapshot.closed_at,
        closed_by=snapshot.closed_by,
        data_version=int(snapshot.data_version),
        sha256=snapshot.sha256,
        demonstration=bool(snapshot.demonstration),
        canonical_csv=snapshot.canonical_csv if with_frames else None,
        frames=frames_from_csv(snapshot.canonical_csv) if with_frames else None,
    )


def list_snapshots(session: Session) -> list[SnapshotRecord]:
    """Every snapshot (without its frames), oldest first."""
    rows = session.execute(
        select(CycleSnapshot, ReportingCycle.name)
        .join(ReportingCycle, ReportingCycle.id == CycleSnapshot.cycle_id)
        .order_by(CycleSnapshot.closed_at, CycleSnapshot.id)
    ).all()
    return [_record(snapshot, name, with_frames=False) for snapshot, name in rows]


def latest_snapshot(session: Session, cycle_name: str) -> SnapshotRecord | None:
    """The cycle's latest snapshot with its frozen frames, or None while it is open (or unknown)."""
    row = session.execute(
        select(CycleSnapshot, ReportingCycle.name)
        .join(ReportingCycle, ReportingCycle.id == CycleSnapshot.cycle_id)
        .where(ReportingCycle.name == cycle_name)
        .order_by(CycleSnapshot.closed_at.desc(), CycleSnapshot.id.desc())
        .limit(1)
    ).first()
    return None if row is None else _record(row[0], row[1], with_frames=True)


# -- what changed since the close -------------------------------------------------------------------


@dataclass(frozen=True)
class _Revision:
    year: int
    recorded_by: str
    recorded_at: dt.datetime
    reason: str | None


def _revisions_after(
    session: Session, closed_at: dt.datetime, last_year: int
) -> dict[tuple[str, str], list[_Revision]]:
    """Accepted revisions counted after the close, by (participant, indicator), oldest first."""
    rows = session.execute(
        select(
            ObservationRevision.participant_code,
            ObservationRevision.indicator_code,
            ObservationRevision.year,
            ObservationRevision.recorded_by,
            ObservationRevision.recorded_at,
            ObservationRevision.reason,
            Upload.reviewed_at,
            Upload.review_comment,
        )
        .join(Upload, Upload.id == ObservationRevision.upload_id)
        .where(Upload.review_status.in_(ACCEPTED), ObservationRevision.year <= last_year)
        .order_by(ObservationRevision.id)
    ).all()
    rows = [row for row in rows if (row[6] or row[4]) > closed_at]
    labels = public_recorders(session, pd.Series([row[3] for row in rows], dtype=object)) if rows else []
    found: dict[tuple[str, str], list[_Revision]] = {}
    for row, label in zip(rows, labels, strict=True):
        participant, indicator, year, _by, recorded_at, reason, reviewed_at, comment = row
        found.setdefault((str(participant), str(indicator)), []).append(
            _Revision(int(year), label, max(recorded_at, reviewed_at or recorded_at), reason or comment)
        )
    return found


def _cause(revisions: list[_Revision], year: int, exact: bool) -> _Revision | None:
    """The latest revision of the year (exact) or of any year up to it (a status an earlier value moved)."""
    matching = [r for r in revisions if (r.year == year if exact else r.year <= year)]
    return matching[-1] if matching else None


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def changes_since_close(session: Session, cycle_name: str) -> list[Change]:
    """Every figure and status of the cycle's snapshot that differs from what counts now, oldest first.

    Rows: participant, year, basis (annual, cumulative, or "reporting" for the cycle's reporting
    status, with the cycle's last year), old, new (counts for a figure, codes for a status),
    changed_by (who by role, as public pages show it), changed_at, reason: those of the latest
    accepted revision after the close that explains it. Alliance (ALL) rows are derived and left
    out. Empty while the cycle is open. Raises CycleError for an unknown cycle.
    """
    cycle = _cycle(session, cycle_name)
    snapshot = latest_snapshot(session, cycle_name)
    if snapshot is None or snapshot.frames is None:
        return []
    frozen = snapshot.frames
    first_years = [int(y) for y in frozen["compliance_annual"]["year"].dropna()]
    now = cycle_frames(session, cycle, min(first_years) if first_years else None)
    revisions = _revisions_after(session, snapshot.closed_at, cycle.last_year)
    fallback = _Revision(cycle.last_year, snapshot.closed_by, snapshot.closed_at, None)
    changes: list[Change] = []

    def add(participant: str, year: int, basis: str, old: Any, new: Any, cause: _Revision | None) -> None:
        cause = cause or fallback
        changes.append(
            Change(participant, year, basis, old, new, cause.recorded_by, cause.recorded_at, cause.reason)
        )

    for basis in BASES:
        name = f"compliance_{basis}"
        keys = ["participant", "year"]
        old = frozen[name][[*keys, "value", "status"]]
        new = now[name][[*keys, "value", "status"]].astype({"participant": "string", "year": "Int64"})
        merged = old.merge(new, on=keys, how="outer", suffixes=("_old", "_new"))
        merged = merged[merged["participant"] != ALL].sort_values(keys)
        own = {key: items for key, items in revisions.items() if key[1] == BASIS_INDICATORS[basis]}
        for row in merged.itertuples(index=False):
            participant, year = str(row.participant), int(row.year)
            history = own.get((participant, BASIS_INDICATORS[basis]), [])
            old_value, new_value = _plain(row.value_old), _plain(row.value_new)
            if old_value != new_value:
                add(participant, year, basis, old_value, new_value, _cause(history, year, exact=True))
            old_status, new_status = _plain(row.status_old), _plain(row.status_new)
            if old_status != new_status:
                add(participant, year, basis, old_status, new_status, _cause(history, year, exact=False))
    old = frozen["reporting"][["participant", "status"]]
    new = now["reporting"][["participant", "status"]].astype({"participant": "string"})
    merged = old.merge(new, on="participant", how="outer", suffixes=("_old", "_new")).sort_values(
        "participant"
    )
    for row in merged.itertuples(index=False):
        if _plain(row.status_old) != _plain(row.status_new):
            history = revisions.get((str(row.participant), ANNUAL), [])
            add(
                str(row.participant),
                cycle.last_year,
                REPORTING_BASIS,
                _plain(row.status_old),
                _plain(row.status_new),
                _cause(history, cycle.last_year, exact=False),
            )
    return sorted(changes, key=lambda c: (c.changed_at, c.participant, c.year, c.basis))
