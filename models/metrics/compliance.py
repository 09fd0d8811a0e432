"""The compliance table: for every participant and year, whether the count met the 10%-a-year goal, and why.

Pure functions over DataFrames (no database). Definitions, with worked examples, in docs/metrics.md.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from models.metrics.exact import at_least, ceil_times

BASES = ("annual", "cumulative")
DEFAULT_BASIS = "cumulative"
ALL = "ALL"

COLUMNS = [
    "participant",
    "year",
    "basis",
    "value",
    "previous_year",
    "previous_value",
    "gap_years",
    "required_value",
    "growth",
    "status",
    "progress",
    "baseline_year",
    "path_value",
    "on_path",
    "participants",
]
STATUSES = ("met", "not_met", "no_baseline", "missing")
PROGRESS = ("on_track", "acceleration_needed", "limited_progress", "deterioration")
# Graded progress after the Open SDG / Statistics Canada method: growth as a share of the target.
ON_TRACK_SHARE = Fraction(95, 100)
ACCELERATION_SHARE = Fraction(60, 100)

_INT_COLUMNS = ["year", "value", "previous_year", "previous_value", "gap_years", "required_value"]
_INT_COLUMNS += ["baseline_year", "path_value", "participants"]


def as_fraction(min_growth: Decimal | Fraction | str) -> Fraction:
    """The target growth as an exact fraction (Decimal('0.10') -> 1/10); floats are refused."""
    if isinstance(min_growth, float):
        raise TypeError("minimum growth must be exact (Decimal, Fraction or text), not a float")
    growth = Fraction(min_growth)
    if growth < 0:
        raise ValueError("minimum growth must not be negative")
    return growth


def compliance_table(
    values: pd.DataFrame,
    participants: pd.DataFrame,
    min_growth: Decimal | Fraction | str,
    basis: str,
    first_year: int | None = None,
    last_year: int | None = None,
    aggregate: bool = True,
) -> pd.DataFrame:
    """One row per participant and year of the range, then the Alliance rows (participant "ALL").

    `values`: columns participant, year, value (non-negative integers) for the basis' indicator.
    `participants`: columns code, joined_on (date); a participant gets `missing` rows from the year
    it joined. The range defaults to the smallest and largest year in `values`; values outside it
    still serve as previous values. Returns the columns in COLUMNS, participants in code order,
    years ascending, the ALL rows last.
    """
    growth = as_fraction(min_growth)
    values = _clean_values(values)
    if first_year is None:
        first_year = int(values["year"].min()) if len(values) else None
    if last_year is None:
        last_year = int(values["year"].max()) if len(values) else None
    if first_year is None or last_year is None or first_year > last_year:
        return _empty()

    rows = _participant_rows(values, participants, growth, first_year, last_year)
    if aggregate:
        rows = pd.concat([rows, _aggregate_rows(values, growth, first_year, last_year)], ignore_index=True)
    rows["basis"] = basis
    return _typed(rows)[COLUMNS]


def _clean_values(values: pd.DataFrame) -> pd.DataFrame:
    frame = values.loc[:, ["participant", "year", "value"]].copy()
    frame["participant"] = frame["participant"].astype(str)
    frame["year"] = frame["year"].astype(np.int64)
    frame["value"] = frame["value"].astype(np.int64)
    if (frame["value"] < 0).any():
        raise ValueError("counts must not be negative")
    if frame.duplicated(["participant", "year"]).any():
        raise ValueError("one value per participant and year")
    return frame.sort_values(["participant", "year"], ignore_index=True)


def _participant_rows(
    values: pd.DataFrame, participants: pd.DataFrame, growth: Fraction, first_year: int, last_year: int
) -> pd.DataFrame:
    by_participant = values.groupby("participant", sort=False)
    values = values.assign(
        previous_year=by_participant["year"].shift(1),
        previous_value=by_participant["value"].shift(1),
    )
    observed = values[(values["year"] >= first_year) & (values["year"] <= last_year)].copy()
    observed = _judge(observed, growth)

    baseline = observed.groupby("participant", sort=False).agg(
        baseline_year=("year", "min"), baseline_value=("value", "first")
    )
    observed = observed.join(baseline, on="participant")
    exponent = (observed["year"] - observed["baseline_year"]).to_numpy(np.int64)
    base = observed["baseline_value"].to_numpy(np.int64)
    ratio = 1 + growth
    observed["path_value"] = _int_series(ceil_times(base, ratio, exponent), observed.index)
    observed["on_path"] = at_least(observed["value"].to_numpy(np.int64), base, ratio, exponent)
    observed = observed.drop(columns="baseline_value")

    missing = _missing_rows(observed, participants, first_year, last_year)
    rows = pd.concat([observed, missing], ignore_index=True)
    return rows.sort_values(["participant", "year"], ignore_index=True)


def _judge(frame: pd.DataFrame, growth: Fraction) -> pd.DataFrame:
    """Fill gap_years, required_value, status, growth and progress from value and previous_value."""
    has_previous = frame["previous_value"].notna().to_numpy()
    value = frame["value"].to_numpy(np.int64)
    previous = frame["previous_value"].fillna(0).to_numpy(np.int64)
    gap = (frame["year"] - frame["previous_year"].fillna(frame["year"])).to_numpy(np.int64)
    ratio = 1 + growth

    met = np.where(previous == 0, value > 0, at_least(value, previous, ratio, gap))
    required = ceil_times(previous, ratio, gap)
    # From zero, any positive count meets the goal: the smallest such count is 1.
    required = np.where(previous == 0, 1, required)

    frame["gap_years"] = np.where(has_previous, gap, np.nan)
    required_or_null = np.asarray(required, dtype=object)
    required_or_null[~has_previous] = None
    frame["required_value"] = _int_series(required_or_null, frame.index)
    frame["status"] = np.where(has_previous, np.where(met, "met", "not_met"), "no_baseline")
    frame["growth"] = _growth(value, previous, gap, has_previous & (previous > 0))
    frame["progress"] = _progress(value, previous, gap, growth, has_previous & (previous > 0))
    return frame


def _growth(value: np.ndarray, previous: np.ndarray, gap: np.ndarray, defined: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        annualised = np.power(value / np.where(defined, previous, 1), 1.0 / np.maximum(gap, 1)) - 1.0
    return np.where(defined, annualised, np.nan)


def _progress(
    value: np.ndarray, previous: np.ndarray, gap: np.ndarray, growth: Fraction, defined: np.ndarray
) -> np.ndarray:
    """Graded progress, decided exactly: growth >= share × g  <=>  value >= previous × (1 + share × g)^gap."""
    if growth == 0:
        return np.full(value.shape, None, dtype=object)
    on_track = at_least(value, previous, 1 + ON_TRACK_SHARE * growth, gap)
    accelerating = at_least(value, previous, 1 + ACCELERATION_SHARE * growth, gap)
    not_falling = value >= previous
    grade = np.select(
        [on_track, accelerating, not_falling],
        ["on_track", "acceleration_needed", "limited_progress"],
        default="deterioration",
    )
    graded: np.ndarray = np.asarray(grade, dtype=object)
    graded[~defined] = None
    return graded


def _missing_rows(
    observed: pd.DataFrame, participants: pd.DataFrame, first_year: int, last_year: int
) -> pd.DataFrame:
    """A `missing` row for every registered participant and year from its joining year without a value."""
    joined = pd.DataFrame(
        {
            "participant": participants["code"].astype(str),
            "joined_year": pd.to_datetime(participants["joined_on"]).dt.year.astype(np.int64),
        }
    )
    years = pd.DataFrame({"year": np.arange(first_year, last_year + 1, dtype=np.int64)})
    grid = joined.merge(years, how="cross")
    grid = grid[grid["year"] >= grid["joined_year"]].drop(columns="joined_year")
    present = observed[["participant", "year"]].assign(_present=True)
    grid = grid.merge(present, on=["participant", "year"], how="left")
    grid = grid[grid["_present"].isna()].drop(columns="_present")
    grid["status"] = "missing"
    return grid.reset_index(drop=True)


def _aggregate_rows(values: pd.DataFrame, growth: Fraction, first_year: int, last_year: int) -> pd.DataFrame:
    """The Alliance as a balanced panel: participants with a value in both y and y − 1."""
    in_range = values[(values["year"] >= first_year - 1) & (values["year"] <= last_year)]
    wide = in_range.pivot(index="participant", columns="year", values="value")
    records = []
    for year in range(first_year, last_year + 1):
        reporting = wide[year].dropna() if year in wide.columns else pd.Series(dtype="float64")
        panel = pd.DataFrame()
        if year > first_year and year in wide.columns and (year - 1) in wide.columns:
            panel = wide[[year - 1, year]].dropna()
        if year == first_year or panel.empty:
            records.append(
                {
                    "participant": ALL,
                    "year": year,
                    "value": _exact_sum(reporting) if len(reporting) else None,
                    "participants": len(reporting),
                    "status": "no_baseline" if len(reporting) else "missing",
                }
            )
            continue
        records.append(
            {
                "participant": ALL,
                "year": year,
                "value": _exact_sum(panel[year]),
                "previous_year": year - 1,
                "previous_value": _exact_sum(panel[year - 1]),
                "participants": len(panel),
            }
        )
    frame = pd.DataFrame.from_records(records, columns=[*COLUMNS])
    judged = frame["previous_value"].notna()
    if judged.any():
        part = frame.loc[judged, ["year", "value", "previous_year", "previous_value"]].copy()
        part = _judge(part.astype({"value": np.int64, "previous_value": np.int64}), growth)
        for column in ("gap_years", "required_value", "status", "growth", "progress"):
            frame[column] = frame[column].astype(object)
            frame.loc[judged, column] = part[column].astype(object).to_numpy()
    return frame


def _exact_sum(series: pd.Series) -> int:
    return sum(int(v) for v in series)


def _int_series(array: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(list(array), index=index, dtype=object)


def _typed(rows: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer columns (exact, no float), float growth, text statuses, boolean on_path."""
    for column in COLUMNS:
        if column not in rows.columns:
            rows[column] = None
    for column in _INT_COLUMNS:
        cleaned = [None if _is_null(v) else int(v) for v in rows[column]]
        try:
            rows[column] = pd.array(cleaned, dtype="Int64")
        except (OverflowError, TypeError):
            rows[column] = pd.Series(cleaned, index=rows.index, dtype=object)
    rows["growth"] = pd.array([None if _is_null(v) else float(v) for v in rows["growth"]], dtype="Float64")
    rows["on_path"] = pd.array([None if _is_null(v) else bool(v) for v in rows["on_path"]], dtype="boolean")
    for column in ("participant", "basis", "status", "progress"):
        rows[column] = pd.array([None if _is_null(v) else str(v) for v in rows[column]], dtype="string")
    return rows


def _is_null(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _empty() -> pd.DataFrame:
    return _typed(pd.DataFrame({column: [] for column in COLUMNS}))
