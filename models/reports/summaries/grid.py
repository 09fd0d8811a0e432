"""The compliance page's words: its titles, its filters' labels and the grid in sentences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from models.metrics.compliance import ALL
from models.reports.summaries.words import (
    GOAL_TEXT,
    STATUS_LABELS,
    names_text,
    years_text,
)

COMPLIANCE_INTRO = (
    f"Who met the {GOAL_TEXT} goal, year by year. Choose the basis, the years (or a reporting cycle), "
    "the statuses and, if you like, some participants; the table below has the numbers behind each cell."
)


def compliance_grid_title() -> str:
    """The title inside the compliance grid's image (its subtitle says the basis and years)."""
    return f"Status against the {GOAL_TEXT} goal per participant and year"


def compliance_grid_heading(basis: str, start: int, end: int) -> str:
    """The grid's heading, e.g. "Status per participant and year, annual basis, 2016–2018"."""
    return f"Status per participant and year, {basis} basis, {years_text(start, end)}"


def compliance_title(basis: str) -> str:
    """The title of the compliance page's downloads."""
    return f"Compliance with the {GOAL_TEXT} goal, {basis} basis"


def participants_chosen_text(codes: Sequence[str] | None) -> str:
    """The participant filter's label: all (none chosen), or how many are chosen."""
    if not codes:
        return "Participants: all (open to choose some)"
    return f"Participants: {len(codes)} chosen"


def cycle_option_text(name: str | None, first_year: int = 0, last_year: int = 0) -> str:
    """A cycle in the compliance page's select, e.g. "Report 2020 (2018–2019)"; None: any years."""
    return "Any years" if name is None else f"{name} ({first_year}–{last_year})"


def grid_summary(
    grid: pd.DataFrame, basis: str, first_year: int, last_year: int, statuses: Iterable[str] | None = None
) -> str:
    """The compliance grid in words. For one year, it names who met the goal (or who has each chosen
    status); for a range, it gives the count per year and who met the goal in every year."""
    rows = grid[grid["participant"] != ALL]
    chosen = list(statuses) if statuses is not None else ["met"]
    if not chosen:
        return "No status is chosen, so nothing is shown: tick at least one status."
    if first_year == last_year:
        year_rows = rows[rows["year"] == first_year]
        if year_rows.empty:
            return f"No participant matches the chosen statuses in {first_year} on the {basis} basis."
        parts = []
        for status in chosen:
            names = list(year_rows.loc[year_rows["status"] == status, "name"])
            if names:
                parts.append(f"{STATUS_LABELS[status]}: {len(names)} ({names_text(names)})")
        return f"In {first_year}, on the {basis} basis — " + "; ".join(parts) + "."
    years = range(first_year, last_year + 1)
    if "met" in chosen:
        per_year = rows[rows["status"] == "met"].groupby("year").size()
        counted = f"participants meeting the {GOAL_TEXT} goal per year"
    else:  # the rows hold only the chosen statuses: count those, not a "met" that is not shown
        per_year = rows.groupby("year").size()
        counted = f"participants per year with {names_text([STATUS_LABELS[s] for s in chosen], 'or')}"
    counts = ", ".join(f"{year}: {int(per_year.get(year, 0))}" for year in years)
    text = f"From {first_year} to {last_year}, on the {basis} basis, {counted} — {counts}."
    met_rows = rows[rows["status"] == "met"]
    every = met_rows.groupby("name")["year"].nunique()
    always = sorted(str(name) for name, n in every.items() if n == len(years))
    if "met" in chosen:
        text += (
            f" Met it in every year shown: {names_text(always)}."
            if always
            else " No participant met it in every year shown."
        )
    return text
