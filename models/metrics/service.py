"""Metrics from the database: queries feed the pure functions, results cached per data version.

This is what pages and command lines call. Returned frames are shallow copies (pandas
copy-on-write), so a caller can change its copy without touching the cached one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine

from models.cache import VersionedCache
from models.db import data_state_key, read_session
from models.metrics.compliance import BASES, DEFAULT_BASIS, compliance_table
from models.metrics.reporting import current_cycle, reporting_summary, reporting_table
from models.queries import (
    cycles_frame,
    first_reported_frame,
    indicator_growth,
    indicators_frame,
    participants_frame,
    revision_history,
    values_frame,
)
from models.reference import ANNUAL, CUMULATIVE

BASIS_INDICATORS = {"annual": ANNUAL, "cumulative": CUMULATIVE}

_cache = VersionedCache()


@dataclass(frozen=True)
class Reporting:
    """Per-participant reporting status of every cycle, the per-cycle summary, and the current cycle."""

    table: pd.DataFrame
    summary: pd.DataFrame
    current_cycle: str | None


def compliance(
    engine: Engine,
    basis: str = DEFAULT_BASIS,
    first_year: int | None = None,
    last_year: int | None = None,
    include_submitted: bool = False,
) -> pd.DataFrame:
    """The compliance table for a basis and year range (see models.metrics.compliance.COLUMNS).

    Accepted figures; `include_submitted`: also those awaiting review (outputs must say so:
    models.queries.INCLUDING_SUBMITTED_NOTE).
    """
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}")
    with read_session(engine) as session:
        key = (
            "compliance",
            str(engine.url),
            data_state_key(session),
            basis,
            first_year,
            last_year,
            include_submitted,
        )

        def compute() -> pd.DataFrame:
            indicator = BASIS_INDICATORS[basis]
            return compliance_table(
                values_frame(session, indicator, include_submitted),
                participants_frame(session),
                indicator_growth(session, indicator),
                basis,
                first_year,
                last_year,
            )

        return _cache.get_or_compute(key, compute).copy(deep=False)


def reporting(engine: Engine, today: dt.date | None = None, include_submitted: bool = False) -> Reporting:
    """Reporting status per cycle and participant (annual basis), and the per-cycle summary.

    From accepted uploads; `include_submitted`: also those awaiting review (labelled as such).
    """
    today = today or dt.datetime.now(dt.UTC).date()
    with read_session(engine) as session:
        key = ("reporting", str(engine.url), data_state_key(session), today, include_submitted)

        def compute() -> Reporting:
            cycles = cycles_frame(session)
            table = reporting_table(
                cycles, participants_frame(session), first_reported_frame(session, ANNUAL, include_submitted)
            )
            return Reporting(table, reporting_summary(cycles, table), current_cycle(cycles, today))

        result = _cache.get_or_compute(key, compute)
    return Reporting(result.table.copy(deep=False), result.summary.copy(deep=False), result.current_cycle)


def participants(engine: Engine) -> pd.DataFrame:
    """The participant register (see models.queries.participants_frame), cached per data version."""
    with read_session(engine) as session:
        key = ("participants", str(engine.url), data_state_key(session))
        return _cache.get_or_compute(key, lambda: participants_frame(session)).copy(deep=False)


def indicators(engine: Engine) -> pd.DataFrame:
    """The indicators with the basis each measures. Columns: code, basis, name, unit, kind,
    description, min_yearly_growth (exact decimal text, '0.100000')."""
    with read_session(engine) as session:
        key = ("indicators", str(engine.url), data_state_key(session))

        def compute() -> pd.DataFrame:
            frame = indicators_frame(session)
            bases = {indicator: basis for basis, indicator in BASIS_INDICATORS.items()}
            frame.insert(1, "basis", [bases.get(code, "") for code in frame["code"]])
            frame["min_yearly_growth"] = [str(Decimal(value)) for value in frame["min_yearly_growth"]]
            return frame

        return _cache.get_or_compute(key, compute).copy(deep=False)


def values(engine: Engine) -> pd.DataFrame:
    """Every current value of both bases. Columns: participant, basis, year, value (int64), by
    participant, basis and year."""
    with read_session(engine) as session:
        key = ("values", str(engine.url), data_state_key(session))

        def compute() -> pd.DataFrame:
            parts = [
                values_frame(session, indicator).assign(basis=basis)
                for basis, indicator in sorted(BASIS_INDICATORS.items())
            ]
            frame = pd.concat(parts, ignore_index=True)[["participant", "basis", "year", "value"]]
            return frame.sort_values(["participant", "basis", "year"], kind="stable").reset_index(drop=True)

        return _cache.get_or_compute(key, compute).copy(deep=False)


def target_growth(engine: Engine, basis: str = DEFAULT_BASIS) -> Decimal:
    """The minimum yearly growth of the basis' indicator, exact (Decimal('0.10'))."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}")
    with read_session(engine) as session:
        key = ("target_growth", str(engine.url), data_state_key(session), basis)
        return _cache.get_or_compute(key, lambda: indicator_growth(session, BASIS_INDICATORS[basis]))


def revisions(engine: Engine, participant: str) -> pd.DataFrame:
    """A participant's public revision history (models.queries.revision_history) with a `basis` column
    (annual or cumulative) in place of the indicator code, cached per data version."""
    with read_session(engine) as session:
        key = ("revisions", str(engine.url), data_state_key(session), participant)

        def compute() -> pd.DataFrame:
            history = revision_history(session, participant)
            bases = {indicator: basis for basis, indicator in BASIS_INDICATORS.items()}
            history.insert(0, "basis", [bases.get(code, code) for code in history["indicator"]])
            return history.drop(columns="indicator")

        return _cache.get_or_compute(key, compute).copy(deep=False)


def clear_cache() -> None:
    """Forget every cached result (tests and benchmarks use this to measure cold computations)."""
    _cache.clear()
