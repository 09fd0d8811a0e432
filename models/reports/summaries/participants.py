"""One participant in words: its page's titles, why each status, its series and revisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd

from models.metrics.headlines import Requirement
from models.reports.summaries.words import (
    GOAL_TEXT,
    STATUS_LABELS,
    count_text,
    date_text,
    growth_text,
    of_text,
    plural,
)


def why_text(row: Mapping[str, Any] | pd.Series) -> str:
    """Why a row has its status, with the numbers: "1,150 ≥ 1,069 required (10% a year above 971 in 2019)"."""
    status, value = row["status"], row["value"]
    if status == "missing":
        return f"No value reported for {row['year']}."
    if status == "no_baseline":
        return "No earlier value to compare with: the first year with a value."
    previous, required, gap = row["previous_value"], row["required_value"], int(row["gap_years"])
    over = f"{GOAL_TEXT} a year over {gap} years" if gap > 1 else GOAL_TEXT
    if previous == 0:
        return (
            f"{count_text(value)} > 0: any increase from 0 in {row['previous_year']} meets the goal."
            if status == "met"
            else f"0 in {row['previous_year']} and {row['year']}: at least 1 was required."
        )
    sign = "≥" if status == "met" else "<"
    return (
        f"{count_text(value)} {sign} {count_text(required)} required "
        f"({over} above {count_text(previous)} in {row['previous_year']})."
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of its cells (a participant's few years: plain values read faster
    than pandas rows)."""
    columns = list(frame.columns)
    values = [frame[column].tolist() for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def participant_summary(history: pd.DataFrame, name: str, basis: str) -> str:
    """A participant's series in words: years reported, goal met in how many, the latest year, the path."""
    rows = _records(history)
    reported = [row for row in rows if not pd.isna(row["value"])]
    if not reported:
        return f"{name} has no value on the {basis} basis."
    judged = [row for row in rows if row["status"] in ("met", "not_met")]
    met = sum(row["status"] == "met" for row in judged)
    last = reported[-1]
    first_year, last_year = rows[0]["year"], rows[-1]["year"]
    span = f"{first_year}" if first_year == last_year else f"{first_year}–{last_year}"
    text = f"{name} reported a value for {of_text(len(reported), len(history), 'year')} on the {basis} basis"
    text += f" ({span})"
    text += (
        f" and met the {GOAL_TEXT} goal in {of_text(met, len(judged), 'year')} that could be judged."
        if len(judged)
        else f"; no year can be judged against the {GOAL_TEXT} goal yet: there is no earlier value to "
        "compare with."
    )
    if last["status"] in ("met", "not_met"):
        text += f" In {last['year']}: {STATUS_LABELS[str(last['status'])]}, {why_text(last)}"
    if not pd.isna(last["path_value"]):
        side = "at or above" if bool(last["on_path"]) else "below"
        text += (
            f" At {count_text(last['value'])} it is {side} its {GOAL_TEXT} path from {last['baseline_year']} "
            f"({count_text(last['path_value'])})."
        )
    return text


def growth_summary(history: pd.DataFrame, name: str) -> str:
    """The growth chart in words: the range of growth and the years at or above the goal."""
    judged = [row for row in _records(history[["year", "growth", "status"]]) if not pd.isna(row["growth"])]
    if not judged:
        return f"{name} has no two years to compare, so no growth can be shown."
    high = max(judged, key=lambda row: row["growth"])  # the first of equal highs, as idxmax
    low = min(judged, key=lambda row: row["growth"])
    high_text = growth_text(high["growth"], high["status"])
    low_text = growth_text(low["growth"], low["status"])
    met = sum(row["status"] == "met" for row in judged)
    if len(judged) == 1:
        side = "at or above" if high["status"] == "met" else "below"
        return (
            f"{name}'s yearly growth was {high_text} in {high['year']}, {side} the {GOAL_TEXT} goal "
            "(the only year with an earlier value to compare with)."
        )
    if high_text == low_text:
        shape = f"was {high_text} in each of the {len(judged)} years compared"
    else:
        shape = f"ranged from {low_text} in {low['year']} to {high_text} in {high['year']}"
    met_years = of_text(met, len(judged), "year")
    return f"{name}'s yearly growth {shape}; it was at or above {GOAL_TEXT} in {met_years}."


def requirement_text(requirement: Requirement | None, name: str) -> str:
    """What it takes, e.g. "To meet the goal in 2026, France needs 1,265 (10% above 1,150 in 2025)"."""
    if requirement is None:
        return f"{name} has no value yet, so there is nothing to grow from."
    r = requirement
    over = f"{GOAL_TEXT} a year for {r.gap_years} years" if r.gap_years > 1 else GOAL_TEXT
    base = (
        f"any count above 0 in {r.from_year}"
        if r.from_value == 0
        else f"{over} above {count_text(r.from_value)} in {r.from_year}"
    )
    if r.basis == "cumulative":
        return (
            f"To meet the goal in {r.target_year}, {name} needs at least {count_text(r.required_value)} "
            f"identified victims in ICSE by the end of {r.target_year} ({base}): "
            f"{count_text(r.increase)} more than now."
        )
    return (
        f"To meet the goal in {r.target_year}, {name} needs to identify at least "
        f"{count_text(r.required_value)} victims during {r.target_year} ({base})."
    )


def revision_summary(history: pd.DataFrame, name: str) -> str:
    """The revision history in words: how many values were recorded and which were corrected."""
    if history.empty:
        return f"No value has been recorded for {name}."
    rows = _records(history[["year", "basis", "old_value", "new_value", "recorded_at"]])
    corrections = [row for row in rows if not pd.isna(row["old_value"])]
    text = f"{plural(len(history), 'value')} recorded for {name}; {plural(len(corrections), 'correction')}."
    for row in corrections[:5]:
        text += (
            f" {row['year']} ({row['basis']}): {count_text(row['old_value'])} → "
            f"{count_text(row['new_value'])} on {date_text(row['recorded_at'].date())}."
        )
    return text


def participant_heading(name: str, code: str) -> str:
    """A participant as the pages name it, e.g. "France (FRA)"."""
    return f"{name} ({code})"


def participant_since_text(joined_on: dt.date | str | None) -> str:
    """The participant page's subtitle."""
    return f"Participant since {date_text(joined_on)}."


def not_a_participant_text(iso3: str, name: str | None) -> str:
    """Why /country/<iso3> has no page: a country that is not a participant, or no such code."""
    if name:
        return f"{name} ({iso3.upper()}) is not a registered participant of the Global Alliance."
    return f"“{iso3[:12]}” is not the ISO 3166-1 alpha-3 code of a participant."


def country_series_title(name: str) -> str:
    """The title inside a participant's series chart image."""
    return f"{name}: counts against the {GOAL_TEXT} path"


def country_growth_title(name: str) -> str:
    """The title inside a participant's growth chart image."""
    return f"{name}: growth each year against the {GOAL_TEXT} goal"


def country_export_title(code: str, what: str, basis: str) -> str:
    """The title of a participant page's download (`what`: series, growth, years or revisions)."""
    return f"{code}: {what}, {basis} basis"
