"""One year across participants in words: the map's and ranking's titles and their summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd

from models.reports.summaries.words import (
    GOAL_TEXT,
    MEASURE_LABELS,
    count_text,
    growth_text,
    names_text,
    of_text,
)

MEASURE_CHOICES = {"status": f"Status (met the {GOAL_TEXT} goal?)", "growth": "Growth", "value": "Count"}


def map_heading(year: int, basis: str, measure: str) -> str:
    """The map's heading, e.g. "Map: growth in 2020, annual basis"."""
    return f"Map: {MEASURE_LABELS[measure].lower()} in {year}, {basis} basis"


def map_ranking_heading(year: int, basis: str, measure: str) -> str:
    """The ranking's heading, e.g. "Ranking by growth in 2020, annual basis"."""
    return f"Ranking by {MEASURE_LABELS[measure].lower()} in {year}, {basis} basis"


def map_chart_title(year: int, measure: str) -> str:
    """The title inside the map's image, e.g. "Map: growth in 2020" (its subtitle says the basis)."""
    return f"Map: {MEASURE_LABELS[measure].lower()} in {year}"


def ranking_chart_title(year: int, measure: str) -> str:
    """The title inside the ranking's image, e.g. "Ranking by growth in 2020"."""
    return f"Ranking by {MEASURE_LABELS[measure].lower()} in {year}"


def map_title(year: int, basis: str, measure: str) -> str:
    """The title of the map page's downloads."""
    return f"Participants in {year}, {basis} basis, ranked by {measure}"


def year_summary(rows: pd.DataFrame, year: int, basis: str, measure: str) -> str:
    """The map and ranking for one year in words: how many met, the top and bottom three by `measure`."""
    if rows.empty:
        return f"No participant has a row for {year} on the {basis} basis."
    # On the columns' plain values, not pandas rows: the map asks for this on every first view.
    columns = ("name", "status", "value", "growth")
    values = [rows[column].tolist() for column in columns]
    records = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
    counts = Counter(record["status"] for record in records)
    met, judged = counts["met"], counts["met"] + counts["not_met"]
    first_years = counts["no_baseline"]
    opening = f"In {year}, on the {basis} basis,"
    if judged:
        text = f"{opening} {of_text(met, len(rows), 'participant')} met the {GOAL_TEXT} goal."
    elif first_years:
        # "0 of 49 met" would read as 49 failures: in a first year nobody can be judged at all.
        text = (
            f"{opening} there is nothing to compare with yet: {year} is the first year with a value for "
            f"{of_text(first_years, len(rows), 'participant')} (○ no baseline), so none can be judged "
            f"against the {GOAL_TEXT} goal."
        )
    else:
        text = f"{opening} no participant reported a value."
    column = "value" if measure == "value" else "growth"
    # Highest first; equal values keep the rows' order (a stable sort, as pandas' descending one).
    ranked = sorted(
        (record for record in records if not pd.isna(record[column])),
        key=lambda record: record[column],
        reverse=True,
    )
    if measure == "value":

        def shown(row: Mapping[str, Any]) -> str:
            return f"{row['name']} {count_text(row['value'])}"
    else:

        def shown(row: Mapping[str, Any]) -> str:
            return f"{row['name']} {growth_text(row['growth'], row['status'])}"

    label = "largest counts" if measure == "value" else "highest growth"
    if len(ranked):
        text += f" The {label}: {names_text([shown(r) for r in ranked[:3]])}."
    if len(ranked) > 3:
        lowest = "smallest" if measure == "value" else "lowest"
        bottom = ranked[3:][-3:][::-1]  # never a participant already named at the top
        text += f" The {lowest}: {names_text([shown(r) for r in bottom])}."
    missing = [record["name"] for record in records if record["status"] == "missing"]
    if missing:
        text += f" No value for {year} from {names_text(missing)}."
    return text
