"""Reporting completeness and timeliness per cycle: who reported every covered year, and by the deadline.

Pure functions over DataFrames (no database). Definitions in docs/metrics.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

REPORTING_STATUSES = ("on_time", "late", "incomplete", "missing")

TABLE_COLUMNS = [
    "cycle",
    "deadline",
    "first_year",
    "last_year",
    "participant",
    "status",
    "years_covered",
    "years_reported",
    "missing_years",
    "reported_on",
    "days_late",
]
SUMMARY_COLUMNS = [
    "cycle",
    "kind",
    "deadline",
    "first_year",
    "last_year",
    "expected",
    "on_time",
    "late",
    "incomplete",
    "missing",
    "completeness_numerator",
    "completeness_denominator",
    "completeness_pct",
    "timeliness_numerator",
    "timeliness_denominator",
    "timeliness_pct",
]


def reporting_table(
    cycles: pd.DataFrame, participants: pd.DataFrame, first_reported: pd.DataFrame
) -> pd.DataFrame:
    """One row per cycle and expected participant, with its status.

    `cycles`: name, kind, deadline (date), first_year, last_year.
    `participants`: code, joined_on (date); expected in a cycle = joined before its deadline.
    `first_reported`: participant, year, first_submitted_on (date) — when each year's annual count
    was first submitted, for the years that have one.
    Status: `on_time` when every covered year has a value and the last of them was first submitted
    on or before the deadline; `late` when complete but after; `incomplete` when some covered years
    have none; `missing` when none has. `reported_on`: the date the last covered year was first
    submitted (for incomplete rows: the latest date among the years reported).
    Returns TABLE_COLUMNS, cycles by deadline, participants by code.
    """
    reported = first_reported.assign(
        first_submitted_on=pd.to_datetime(first_reported["first_submitted_on"]).dt.date
    )
    frames = []
    for cycle in cycles.sort_values(["deadline", "name"]).itertuples(index=False):
        expected = participants[pd.to_datetime(participants["joined_on"]).dt.date < cycle.deadline]
        covered = cycle.last_year - cycle.first_year + 1
        in_cycle = reported[(reported["year"] >= cycle.first_year) & (reported["year"] <= cycle.last_year)]
        per_participant = in_cycle.groupby("participant").agg(
            years_reported=("year", "nunique"),
            reported_on=("first_submitted_on", "max"),
            years=("year", lambda years: tuple(sorted(int(y) for y in years))),
        )
        frame = pd.DataFrame({"participant": sorted(expected["code"].astype(str))})
        frame = frame.join(per_participant, on="participant")
        frame["years_reported"] = frame["years_reported"].fillna(0).astype(np.int64)
        all_years = tuple(range(cycle.first_year, cycle.last_year + 1))
        frame["missing_years"] = [
            ", ".join(str(y) for y in all_years if not isinstance(got, tuple) or y not in got)
            for got in frame["years"]
        ]
        complete = frame["years_reported"] == covered
        by_deadline = [pd.notna(d) and d <= cycle.deadline for d in frame["reported_on"]]
        on_time = complete & np.array(by_deadline, dtype=bool)
        frame["status"] = np.select(
            [on_time, complete, frame["years_reported"] > 0],
            ["on_time", "late", "incomplete"],
            default="missing",
        )
        frame["days_late"] = [
            (d - cycle.deadline).days if status == "late" else None
            for d, status in zip(frame["reported_on"], frame["status"], strict=True)
        ]
        frame["cycle"] = cycle.name
        frame["deadline"] = cycle.deadline
        frame["first_year"] = cycle.first_year
        frame["last_year"] = cycle.last_year
        frame["years_covered"] = covered
        frame["reported_on"] = frame["reported_on"].where(frame["reported_on"].notna(), None)
        frames.append(frame[TABLE_COLUMNS])
    if not frames:
        return pd.DataFrame({column: [] for column in TABLE_COLUMNS})
    table = pd.concat(frames, ignore_index=True)
    table["days_late"] = pd.array(list(table["days_late"]), dtype="Int64")
    return table


def reporting_summary(cycles: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """Per cycle: expected, on time, late, incomplete, missing, and the two rates with their fractions.

    completeness = (on time + late) / expected; timeliness = on time / expected. Percentages are
    rounded to one decimal for display; the numerators and denominators are exact.
    """
    counts = (
        table.groupby(["cycle", "status"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=REPORTING_STATUSES, fill_value=0)
    )
    summary = cycles.sort_values(["deadline", "name"]).rename(columns={"name": "cycle"})
    summary = summary[["cycle", "kind", "deadline", "first_year", "last_year"]].join(counts, on="cycle")
    for status in REPORTING_STATUSES:
        summary[status] = summary[status].fillna(0).astype(np.int64)
    summary["expected"] = summary[list(REPORTING_STATUSES)].sum(axis=1)
    summary["completeness_numerator"] = summary["on_time"] + summary["late"]
    summary["timeliness_numerator"] = summary["on_time"]
    summary["completeness_denominator"] = summary["expected"]
    summary["timeliness_denominator"] = summary["expected"]
    for rate in ("completeness", "timeliness"):
        numerator, denominator = summary[f"{rate}_numerator"], summary[f"{rate}_denominator"]
        percent = [_percent(int(n), int(d)) for n, d in zip(numerator, denominator, strict=True)]
        summary[f"{rate}_pct"] = pd.array(percent, dtype="Float64")
    return summary[SUMMARY_COLUMNS].reset_index(drop=True)


def _percent(numerator: int, denominator: int) -> float | None:
    if not denominator:
        return None
    exact = Decimal(100 * numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def current_cycle(cycles: pd.DataFrame, today: dt.date) -> str | None:
    """The cycle being collected or last collected: the latest whose covered years have all ended."""
    ended = cycles[cycles["last_year"] < today.year]
    if ended.empty:
        return None
    return str(ended.sort_values(["deadline", "name"]).iloc[-1]["name"])
