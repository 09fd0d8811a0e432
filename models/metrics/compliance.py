"""The compliance table: for every participant and year, whether the count met the 10%-a-year goal, and why.

Pure functions over DataFrames (no database). Definitions, with worked examples, in docs/metrics.md.
Counts stay integers from input to output (int64 with a null mask; Python integers in the rare
case a required value exceeds 64 bits): no count ever passes through a float.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
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

INT_COLUMNS = (
    "year",
    "value",
    "previous_year",
    "previous_value",
    "gap_years",
    "required_value",
    "baseline_year",
    "path_value",
    "participants",
)
_INT64_MAX = np.iinfo(np.int64).max
GROWTH_DECIMALS = 6

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Objects = npt.NDArray[np.object_]


def as_fraction(min_growth: Decimal | Fraction | str) -> Fraction:
    """The target growth as an exact fraction (Decimal('0.10') -> 1/10); floats are refused."""
    if isinstance(min_growth, float):
        raise TypeError("minimum growth must be exact (Decimal, Fraction or text), not a float")
    growth = Fraction(min_growth)
    if growth < 0:
        raise ValueError("minimum growth must not be negative")
    return growth


@dataclass
class _Part:
    """Rows of the table under construction: column name -> array, with a null mask per column."""

    size: int
    data: dict[str, np.ndarray]
    null: dict[str, Bools]

    @classmethod
    def empty(cls, size: int) -> _Part:
        return cls(size, {}, {})

    def put(self, column: str, values: np.ndarray, null: Bools | None = None) -> None:
        self.data[column] = values
        self.null[column] = np.zeros(self.size, dtype=bool) if null is None else null

    def get(self, column: str) -> tuple[np.ndarray, Bools]:
        if column in self.data:
            return self.data[column], self.null[column]
        filler = (
            np.full(self.size, None, dtype=object)
            if column in _TEXT_COLUMNS
            else np.zeros(self.size, np.int64)
        )
        if column == "growth":
            filler = np.full(self.size, np.nan)
        if column == "on_path":
            filler = np.zeros(self.size, dtype=bool)
        return filler, np.ones(self.size, dtype=bool)


_TEXT_COLUMNS = ("participant", "basis", "status", "progress")
_STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}
_PROGRESS_CODES = {grade: code for code, grade in enumerate(PROGRESS)}


@dataclass(frozen=True)
class _Series:
    """Every value of one basis, sorted by participant then year; participants as integer codes."""

    names: npt.NDArray[np.object_]  # code -> participant; ALL is the last code
    participant: Ints
    year: Ints
    value: Ints

    @property
    def all_code(self) -> int:
        return len(self.names) - 1


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
    series = _series(values, participants)
    if first_year is None:
        first_year = int(series.year.min()) if len(series.year) else None
    if last_year is None:
        last_year = int(series.year.max()) if len(series.year) else None
    if first_year is None or last_year is None or first_year > last_year:
        return _frame([], basis, series.names)

    observed = _observed_rows(series, growth, first_year, last_year)
    parts = [observed, _missing_rows(series, observed, participants, first_year, last_year)]
    if aggregate:
        parts.append(_aggregate_rows(series, growth, first_year, last_year))
    return _frame(parts, basis, series.names)


def _series(values: pd.DataFrame, participants: pd.DataFrame) -> _Series:
    codes_in_values = values["participant"].astype(str).to_numpy(dtype=object)
    names = np.array(
        [*sorted(set(codes_in_values) | set(participants["code"].astype(str))), ALL], dtype=object
    )
    participant = pd.Categorical(codes_in_values, categories=names[:-1]).codes.astype(np.int64)
    year = values["year"].to_numpy(np.int64)
    value = values["value"].to_numpy(np.int64)
    if (value < 0).any():
        raise ValueError("counts must not be negative")
    order = np.lexsort((year, participant))
    participant, year, value = participant[order], year[order], value[order]
    if len(year) > 1 and ((participant[1:] == participant[:-1]) & (year[1:] == year[:-1])).any():
        raise ValueError("one value per participant and year")
    return _Series(names, participant, year, value)


def _observed_rows(series: _Series, growth: Fraction, first_year: int, last_year: int) -> _Part:
    participant, year, value = series.participant, series.year, series.value
    # Within a participant's sorted series, the previous row is the latest earlier year with a value.
    same = np.zeros(len(year), dtype=bool)
    same[1:] = participant[1:] == participant[:-1]
    previous_year = np.where(same, np.roll(year, 1), 0)
    previous_value = np.where(same, np.roll(value, 1), 0)

    # The 10% path starts at each participant's first reported value, whatever range is shown, so a
    # path value never depends on the years a viewer picked.
    starts = ~same
    group = np.cumsum(starts) - 1
    baseline_year = year[starts][group]
    baseline_value = value[starts][group]

    keep = (year >= first_year) & (year <= last_year)
    participant, year, value = participant[keep], year[keep], value[keep]
    has_previous, previous_year, previous_value = same[keep], previous_year[keep], previous_value[keep]
    baseline_year, baseline_value = baseline_year[keep], baseline_value[keep]

    part = _judged(year, value, previous_year, previous_value, has_previous, growth)
    part.put("participant", participant)
    exponent = year - baseline_year
    ratio = 1 + growth
    part.put("baseline_year", baseline_year)
    part.put("path_value", ceil_times(baseline_value, ratio, exponent))
    part.put("on_path", at_least(value, baseline_value, ratio, exponent))
    return part


def _judged(
    year: Ints, value: Ints, previous_year: Ints, previous_value: Ints, has_previous: Bools, growth: Fraction
) -> _Part:
    """Rows with value, previous_*, gap_years, required_value, status, growth and progress filled."""
    part = _Part.empty(len(year))
    no_previous = ~has_previous
    gap = np.where(has_previous, year - previous_year, 0)
    ratio = 1 + growth
    from_zero = previous_value == 0
    met = np.where(from_zero, value > 0, at_least(value, previous_value, ratio, gap))
    required = ceil_times(previous_value, ratio, gap)
    # From zero, any positive count meets the goal: the smallest such count is 1.
    required = np.where(from_zero, 1, required)
    if required.dtype == object and all(int(v) <= _INT64_MAX for v in required):
        required = required.astype(np.int64)

    part.put("year", year)
    part.put("value", value)
    part.put("previous_year", previous_year, no_previous)
    part.put("previous_value", previous_value, no_previous)
    part.put("gap_years", gap, no_previous)
    part.put("required_value", required, no_previous)
    status = np.where(has_previous, np.where(met, _STATUS_CODES["met"], _STATUS_CODES["not_met"]),
                      _STATUS_CODES["no_baseline"])  # fmt: skip
    part.put("status", status.astype(np.int64))

    defined = has_previous & ~from_zero
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_of_values = value / np.where(defined, previous_value, 1)
        annualised = np.power(ratio_of_values, 1.0 / np.maximum(gap, 1)) - 1.0
    # Growth is shown, never used to decide: six decimals (0.0001 percentage points) spare readers
    # of exports digits like 0.12400000000000011 that only floating point adds.
    annualised = np.round(annualised, GROWTH_DECIMALS)
    part.put("growth", np.where(defined, annualised, np.nan), ~defined)
    part.put("progress", _progress(value, previous_value, gap, growth), ~defined | (growth == 0))
    return part


def _progress(value: Ints, previous: Ints, gap: Ints, growth: Fraction) -> Ints:
    """Graded progress (codes into PROGRESS), decided exactly: growth >= share × g  <=>
    value >= previous × (1 + share × g)^gap."""
    if growth == 0:
        return np.zeros(value.shape, dtype=np.int64)  # the caller marks it null
    on_track = at_least(value, previous, 1 + ON_TRACK_SHARE * growth, gap)
    accelerating = at_least(value, previous, 1 + ACCELERATION_SHARE * growth, gap)
    return np.select(
        [on_track, accelerating, value >= previous],
        [
            _PROGRESS_CODES["on_track"],
            _PROGRESS_CODES["acceleration_needed"],
            _PROGRESS_CODES["limited_progress"],
        ],
        default=_PROGRESS_CODES["deterioration"],
    ).astype(np.int64)


def _missing_rows(
    series: _Series, observed: _Part, participants: pd.DataFrame, first_year: int, last_year: int
) -> _Part:
    """A `missing` row for every registered participant and year from its joining year without a value."""
    codes = pd.Categorical(participants["code"].astype(str), categories=series.names[:-1]).codes.astype(
        np.int64
    )
    joined = pd.to_datetime(participants["joined_on"]).dt.year.to_numpy(np.int64)
    span = last_year - first_year + 1
    grid_code = np.repeat(codes, span)
    grid_year = np.tile(np.arange(first_year, last_year + 1, dtype=np.int64), len(codes))
    keep = grid_year >= np.repeat(joined, span)
    grid_code, grid_year = grid_code[keep], grid_year[keep]
    present = np.zeros(len(series.names) * span, dtype=bool)
    present[observed.data["participant"] * span + observed.data["year"] - first_year] = True
    absent = ~present[grid_code * span + grid_year - first_year]
    part = _Part.empty(int(absent.sum()))
    part.put("participant", grid_code[absent])
    part.put("year", grid_year[absent])
    part.put("status", np.full(part.size, _STATUS_CODES["missing"], dtype=np.int64))
    return part


def _aggregate_rows(series: _Series, growth: Fraction, first_year: int, last_year: int) -> _Part:
    """The Alliance as a balanced panel: participants with a value in both y and y − 1."""
    span = np.arange(first_year, last_year + 1, dtype=np.int64)
    participant, year, value = series.participant, series.year, series.value
    consecutive = np.zeros(len(year), dtype=bool)
    consecutive[1:] = (participant[1:] == participant[:-1]) & (year[1:] == year[:-1] + 1)
    previous_value = np.where(consecutive, np.roll(value, 1), 0)

    totals = _sums_by_year(year, value, np.ones(len(year), dtype=bool), span)
    panel = _sums_by_year(year, value, consecutive, span)
    panel_previous = _sums_by_year(year, previous_value, consecutive, span)
    # The first year of the range is judged against the year before too, as participant rows are.
    judged = panel["count"] > 0

    shown = np.where(judged, panel["sum"], totals["sum"]).astype(np.int64)
    part = _judged(span, shown, span - 1, panel_previous["sum"], judged, growth)
    part.put("participants", np.where(judged, panel["count"], totals["count"]))
    nobody = (totals["count"] == 0) & ~judged
    part.null["value"] = nobody
    part.data["status"] = np.where(nobody, _STATUS_CODES["missing"], part.data["status"])
    part.put("participant", np.full(len(span), series.all_code, dtype=np.int64))
    return part


def _sums_by_year(year: Ints, value: Ints, include: Bools, span: Ints) -> dict[str, Ints]:
    """Per year of `span`: the sum and the count of the included values (exact, or an error)."""
    index = year[include] - span[0]
    inside = (index >= 0) & (index < len(span))
    chosen = value[include][inside]
    counts = np.bincount(index[inside], minlength=len(span)).astype(np.int64)
    totals = np.zeros(len(span), dtype=np.int64)
    if len(chosen) and int(chosen.max()) > _INT64_MAX // len(chosen):
        # Rare: sum in Python integers, exactly, and refuse a total that does not fit 64 bits.
        exact = [0] * len(span)
        for position, count in zip(index[inside].tolist(), chosen.tolist(), strict=True):
            exact[position] += count
        if max(exact) > _INT64_MAX:
            raise OverflowError("an Alliance total exceeds 64-bit integers")
        totals[:] = exact
    else:
        np.add.at(totals, index[inside], chosen)
    return {"sum": totals, "count": counts}


def _frame(parts: list[_Part], basis: str, names: npt.NDArray[np.object_]) -> pd.DataFrame:
    """Assemble parts into the table: typed columns, contract order, rows sorted."""
    columns: dict[str, Any] = {}
    arrays: dict[str, tuple[np.ndarray, Bools]] = {}
    for column in COLUMNS:
        if column == "basis":
            continue
        pieces = [part.get(column) for part in parts]
        if pieces:
            arrays[column] = (np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces]))
        else:
            arrays[column] = (np.zeros(0, np.int64), np.zeros(0, dtype=bool))
    order = np.lexsort((arrays["year"][0], arrays["participant"][0]))  # ALL has the largest code
    for column, (data, null) in arrays.items():
        columns[column] = _typed(column, data[order], null[order], names)
    frame = pd.DataFrame(columns)
    frame.insert(2, "basis", pd.array(np.full(len(frame), basis, dtype=object), dtype="string"))
    return frame[COLUMNS]


def _typed(column: str, data: np.ndarray, null: Bools, names: npt.NDArray[np.object_]) -> Any:
    if column in INT_COLUMNS:
        if data.dtype == object:
            present = [int(v) for v, n in zip(data, null, strict=True) if not n]
            if all(v <= _INT64_MAX for v in present):
                data = np.where(null, 0, data).astype(np.int64)
            else:
                return pd.Series(
                    [None if n else int(v) for v, n in zip(data, null, strict=True)], dtype=object
                )
        return pd.arrays.IntegerArray(data.astype(np.int64), null.copy())
    if column == "growth":
        return pd.arrays.FloatingArray(data.astype(np.float64), null.copy())
    if column == "on_path":
        return pd.arrays.BooleanArray(data.astype(bool), null.copy())
    labels = np.array({"participant": names, "status": STATUSES, "progress": PROGRESS}[column], dtype=object)
    text = (
        labels[np.where(null, 0, data).astype(np.int64)] if len(labels) else np.zeros(len(data), dtype=object)
    )
    text[null] = None
    return pd.array(text, dtype="string")
