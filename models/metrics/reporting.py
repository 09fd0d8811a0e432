"""Reporting completeness and timeliness per cycle: who reported every covered year, and by the deadline.

Pure functions over DataFrames (no database). Definitions in docs/metrics.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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


@dataclass(frozen=True)
class CycleStanding:
    """Where a report stands against the reporting cycle covering the latest year it holds figures for."""

    cycle: str
    deadline: dt.date
    first_year: int
    last_year: int
    received_on: dt.date

    @property
    def on_time(self) -> bool:
        return self.received_on <= self.deadline

    @property
    def days_late(self) -> int:
        """Days after the deadline the report arrived (0 when on time)."""
        return max(0, (self.received_on - self.deadline).days)

    def as_dict(self) -> dict[str, object]:
        """The `--json` shape: cycle, deadline, first_year, last_year, received_on, on_time, days_late."""
        return {
            "cycle": self.cycle,
            "deadline": self.deadline.isoformat(),
            "first_year": self.first_year,
            "last_year": self.last_year,
            "received_on": self.received_on.isoformat(),
            "on_time": self.on_time,
            "days_late": self.days_late,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> CycleStanding:
        """The standing from its `as_dict` shape (as kept with an upload's report)."""
        return cls(
            str(data["cycle"]),
            dt.date.fromisoformat(str(data["deadline"])),
            int(str(data["first_year"])),
            int(str(data["last_year"])),
            dt.date.fromisoformat(str(data["received_on"])),
        )

    def describe(self) -> str:
        """e.g. "Report 2026 (covers 2024–2025, due 2026-07-01)"."""
        years = (
            str(self.first_year)
            if self.first_year == self.last_year
            else f"{self.first_year}–{self.last_year}"
        )
        return f"{self.cycle} (covers {years}, due {self.deadline.isoformat()})"

    def arrival(self) -> str:
        """e.g. "on time" or "153 days late"."""
        if self.on_time:
            return "on time"
        return f"{self.days_late} day{'s' if self.days_late != 1 else ''} late"

    def text(self) -> str:
        """e.g. "Report 2026 (covers 2024–2025, due 2026-07-01): received 2026-12-01, 153 days late"."""
        return f"{self.describe()}: received {self.received_on.isoformat()}, {self.arrival()}"


def cycle_standing(cycles: pd.DataFrame, latest_year: int, received_on: dt.date) -> CycleStanding | None:
    """The cycle a report counts for, and whether it arrived by its deadline; None if no cycle covers it.

    `cycles`: name, deadline (date), first_year, last_year. A report counts for the cycle covering the
    latest year it holds figures for (the one whose deadline it answers); if several cover that year,
    the one due first.
    """
    covering = cycles[(cycles["first_year"] <= latest_year) & (cycles["last_year"] >= latest_year)]
    if covering.empty:
        return None
    first = covering.sort_values(["deadline", "name"]).iloc[0]
    return CycleStanding(
        str(first["name"]),
        pd.Timestamp(first["deadline"]).date(),
        int(first["first_year"]),
        int(first["last_year"]),
        received_on,
    )
