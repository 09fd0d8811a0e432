"""Metrics from the database: queries feed the pure functions, results cached per data version.

This is what pages and command lines call. Each function takes a `models.db.Snapshot` (one read
transaction and the data version it sees: a web request opens one and passes it to every call) or,
for command lines and tests, an engine (a snapshot is then opened for the call). Results are kept in
a `models.cache.DataCache` (the settings' cache unless one is given) under the snapshot's version,
and within one snapshot each result is computed or fetched once. Returned frames are shallow copies
(pandas copy-on-write), so a caller can change its copy without touching the kept one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from models.cache import DataCache, default_cache
from models.cycles import locks
from models.db import Snapshot, read_snapshot
from models.metrics.compliance import BASES, DEFAULT_BASIS, compliance_table
from models.metrics.reporting import current_cycle, reporting_summary, reporting_table
from models.queries import (
    DatasetStatus,
    cycles_frame,
    dataset_status,
    first_reported_frame,
    indicator_growth,
    indicators_frame,
    participants_frame,
    revision_history,
    values_frame,
)
from models.reference import ANNUAL, CUMULATIVE

BASIS_INDICATORS = {"annual": ANNUAL, "cumulative": CUMULATIVE}
T = TypeVar("T")
Source = Snapshot | Engine


@dataclass(frozen=True)
class Reporting:
    """Per-participant reporting status of every cycle, the per-cycle summary, and the current cycle."""

    table: pd.DataFrame
    summary: pd.DataFrame
    current_cycle: str | None


@contextmanager
def _snapshot_of(source: Source) -> Iterator[Snapshot]:
    if isinstance(source, Snapshot):
        yield source
    else:
        with read_snapshot(source) as snapshot:
            yield snapshot


def _kept(
    source: Source,
    kind: str,
    arguments: tuple[object, ...],
    compute: Callable[[Session], T],
    cache: DataCache | None,
) -> T:
    """`compute(session)` for the snapshot's data version: from this snapshot's memo, else this
    process's decoded results, else the cache, else computed (and kept in all three)."""
    cache = cache or default_cache()
    with _snapshot_of(source) as snapshot:
        memo_key = (kind, arguments)
        if memo_key in snapshot.memo:
            return snapshot.memo[memo_key]  # type: ignore[no-any-return]
        value = cache.get_or_decode(cache.key(kind, snapshot, arguments), lambda: compute(snapshot.session))
        snapshot.memo[memo_key] = value
        return value


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}")


def compliance(
    source: Source,
    basis: str = DEFAULT_BASIS,
    first_year: int | None = None,
    last_year: int | None = None,
    include_submitted: bool = False,
    *,
    submitted_participant: str | None = None,
    cache: DataCache | None = None,
) -> pd.DataFrame:
    """The compliance table for a basis and year range (see models.metrics.compliance.COLUMNS).

    Accepted figures; `include_submitted`: also those awaiting review (outputs must say so:
    models.queries.INCLUDING_SUBMITTED_NOTE), of `submitted_participant` only when given (a
    liaison's view: the others' figures stay as accepted). Kept in the cache under both.
    """
    _check_basis(basis)
    participant = submitted_participant if include_submitted else None

    def compute(session: Session) -> pd.DataFrame:
        indicator = BASIS_INDICATORS[basis]
        return compliance_table(
            values_frame(session, indicator, include_submitted, participant),
            participants_frame(session),
            indicator_growth(session, indicator),
            basis,
            first_year,
            last_year,
        )

    arguments = (basis, first_year, last_year, include_submitted, participant)
    return _kept(source, "compliance", arguments, compute, cache).copy(deep=False)


def reporting(
    source: Source,
    today: dt.date | None = None,
    include_submitted: bool = False,
    *,
    submitted_participant: str | None = None,
    cache: DataCache | None = None,
) -> Reporting:
    """Reporting status per cycle and participant (annual basis), and the per-cycle summary.

    From accepted uploads; `include_submitted`: also those awaiting review (labelled as such), of
    `submitted_participant` only when given. Kept in the cache under both.
    """
    day = today or dt.datetime.now(dt.UTC).date()
    participant = submitted_participant if include_submitted else None

    def compute(session: Session) -> Reporting:
        cycles = cycles_frame(session)
        first = first_reported_frame(session, ANNUAL, include_submitted, participant)
        table = reporting_table(cycles, participants_frame(session), first)
        return Reporting(table, reporting_summary(cycles, table), current_cycle(cycles, day))

    arguments = (day.isoformat(), include_submitted, participant)
    result = _kept(source, "reporting", arguments, compute, cache)
    return Reporting(result.table.copy(deep=False), result.summary.copy(deep=False), result.current_cycle)


def participants(source: Source, *, cache: DataCache | None = None) -> pd.DataFrame:
    """The participant register (see models.queries.participants_frame), cached per data version."""
    return _kept(source, "participants", (), participants_frame, cache).copy(deep=False)


def indicators(source: Source, *, cache: DataCache | None = None) -> pd.DataFrame:
    """The indicators with the basis each measures. Columns: code, basis, name, unit, kind,
    description, min_yearly_growth (exact decimal text, '0.100000')."""

    def compute(session: Session) -> pd.DataFrame:
        frame = indicators_frame(session)
        bases = {indicator: basis for basis, indicator in BASIS_INDICATORS.items()}
        frame.insert(1, "basis", [bases.get(code, "") for code in frame["code"]])
        frame["min_yearly_growth"] = [str(Decimal(value)) for value in frame["min_yearly_growth"]]
        return frame

    return _kept(source, "indicators", (), compute, cache).copy(deep=False)


def values(source: Source, *, cache: DataCache | None = None) -> pd.DataFrame:
    """Every current (accepted) value of both bases. Columns: participant, basis, year, value (int64),
    by participant, basis and year."""

    def compute(session: Session) -> pd.DataFrame:
        parts = [
            values_frame(session, indicator).assign(basis=basis)
            for basis, indicator in sorted(BASIS_INDICATORS.items())
        ]
        frame = pd.concat(parts, ignore_index=True)[["participant", "basis", "year", "value"]]
        return frame.sort_values(["participant", "basis", "year"], kind="stable").reset_index(drop=True)

    return _kept(source, "values", (), compute, cache).copy(deep=False)


def target_growth(source: Source, basis: str = DEFAULT_BASIS, *, cache: DataCache | None = None) -> Decimal:
    """The minimum yearly growth of the basis' indicator, exact (Decimal('0.10'))."""
    _check_basis(basis)
    indicator = BASIS_INDICATORS[basis]
    return _kept(
        source, "target_growth", (basis,), lambda session: indicator_growth(session, indicator), cache
    )


def revisions(source: Source, participant: str, *, cache: DataCache | None = None) -> pd.DataFrame:
    """A participant's public revision history (models.queries.revision_history) with a `basis` column
    (annual or cumulative) in place of the indicator code, cached per data version."""

    def compute(session: Session) -> pd.DataFrame:
        history = revision_history(session, participant)
        bases = {indicator: basis for basis, indicator in BASIS_INDICATORS.items()}
        history.insert(0, "basis", [bases.get(code, code) for code in history["indicator"]])
        return history.drop(columns="indicator")

    return _kept(source, "revisions", (participant,), compute, cache).copy(deep=False)


def revised_after_close(
    source: Source, participant: str | None = None, *, cache: DataCache | None = None
) -> pd.DataFrame:
    """The values changed after their cycle was closed (models.cycles.locks.revised_after_close) with a
    `basis` column (annual or cumulative) in place of the indicator code, cached per data version.

    Columns: participant, basis, year, cycle, changed_at, closed_at (UTC).
    """

    def compute(session: Session) -> pd.DataFrame:
        revised = locks.revised_after_close(session, participant)
        bases = {indicator: basis for basis, indicator in BASIS_INDICATORS.items()}
        revised.insert(1, "basis", [bases.get(code, code) for code in revised["indicator"]])
        return revised.drop(columns="indicator")

    return _kept(source, "revised_after_close", (participant,), compute, cache).copy(deep=False)


def status(source: Source, *, cache: DataCache | None = None) -> DatasetStatus:
    """Data version, demo flag and counts (models.queries.dataset_status), cached per data version."""
    return _kept(source, "status", (), dataset_status, cache)


def clear_cache(cache: DataCache | None = None) -> None:
    """Forget every cached result (tests and benchmarks use this to measure cold computations)."""
    (cache or default_cache()).clear()
