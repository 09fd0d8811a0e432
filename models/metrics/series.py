"""The frames behind each chart and table: cut, named and sorted from the compliance and reporting tables.

Pure functions (no database). Each returns exactly what a chart plots or a table shows, so the
same frame feeds the figure, its summary and its CSV download.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from models.metrics.compliance import ALL, COLUMNS, STATUSES

ALLIANCE_NAME = "Alliance (balanced panel)"
MEASURES = ("growth", "status", "value")
DEFAULT_MEASURE = "status"

TREND_COLUMNS = [
    "year",
    "total",
    "reporting",
    "expected_participants",
    "panel_value",
    "panel_previous_value",
    "panel",
    "required_value",
    "growth",
    "status",
    "progress",
]
YEAR_COLUMNS = [
    "participant",
    "name",
    "year",
    "basis",
    "status",
    "progress",
    "value",
    "previous_year",
    "previous_value",
    "gap_years",
    "required_value",
    "growth",
]
GRID_COLUMNS = ["participant", "name", *COLUMNS[1:], "expected_participants"]
HISTORY_COLUMNS = ["participant", *YEAR_COLUMNS[2:], "baseline_year", "path_value", "on_path"]


def participant_names(participants: pd.DataFrame) -> dict[str, str]:
    """ISO3 code → name for the register, plus the Alliance row."""
    names = {
        str(code): str(name) for code, name in zip(participants["code"], participants["name"], strict=True)
    }
    return {**names, ALL: ALLIANCE_NAME}


def with_names(frame: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """`frame` with a `name` column right after `participant` (the code itself when unregistered)."""
    names = participant_names(participants)
    named = frame.copy()
    position = list(named.columns).index("participant") + 1
    named.insert(position, "name", [names.get(str(code), str(code)) for code in named["participant"]])
    return named


def expected_by_year(compliance: pd.DataFrame) -> pd.Series:
    """Per year, how many participants are expected to report (those with a row: registered by then,
    or reporting anyway): the N of every Alliance figure's "n of N"."""
    rows = compliance[compliance["participant"] != ALL]
    return rows.groupby("year").size().astype(np.int64)


def alliance_trend(compliance: pd.DataFrame) -> pd.DataFrame:
    """Per year: the plain total of every reported value (`total`, over `reporting` of
    `expected_participants` participants) and
    the Alliance's like-for-like comparison (balanced panel: `panel_value` against
    `panel_previous_value` over `panel` participants, its required value, growth, status, progress).
    Columns: TREND_COLUMNS, years ascending.
    """
    # Counted in one pass over the columns' values (exact Python integers), not grouped by pandas:
    # the overview asks for this on every view.
    alliance_rows = (compliance["participant"] == ALL).to_numpy(dtype=bool)
    years = compliance["year"].to_numpy(dtype=object).tolist()
    values = compliance["value"].to_numpy(dtype=object, na_value=None).tolist()
    totals: dict[int, int] = {}
    reporting: dict[int, int] = {}
    expected: dict[int, int] = {}
    for year, value, alliance_row in zip(years, values, alliance_rows.tolist(), strict=True):
        if alliance_row:
            continue
        expected[year] = expected.get(year, 0) + 1
        if value is not None:
            totals[year] = totals.get(year, 0) + int(value)
            reporting[year] = reporting.get(year, 0) + 1
    alliance = compliance[alliance_rows].set_index("year")
    index = sorted({int(year) for year in alliance.index} | set(totals))
    panel = alliance.reindex(pd.Index(index, name="year"))
    judged = panel["previous_value"].notna()
    frame = pd.DataFrame(
        {
            "year": np.array(index, dtype=np.int64 if index else object),  # as the empty index was
            "total": pd.array([totals.get(year) for year in index], dtype="Int64"),
            "reporting": np.array([reporting.get(year, 0) for year in index], dtype=np.int64),
            "expected_participants": np.array([expected.get(year, 0) for year in index], dtype=np.int64),
            "panel_value": panel["value"].where(judged).array,
            "panel_previous_value": panel["previous_value"].array,
            "panel": panel["participants"].where(judged).array,
            **{column: panel[column].array for column in ("required_value", "growth", "status", "progress")},
        }
    )
    return frame[TREND_COLUMNS]


def participant_history(compliance: pd.DataFrame, participant: str) -> pd.DataFrame:
    """One participant's rows, years ascending. Columns: HISTORY_COLUMNS."""
    # Selected and ordered on the columns' arrays (one row per year), then taken in one step.
    chosen = np.flatnonzero(compliance["participant"].to_numpy() == participant)
    order = np.argsort(compliance["year"].to_numpy()[chosen], kind="stable")
    return compliance[HISTORY_COLUMNS].take(chosen[order]).reset_index(drop=True)


def year_table(
    compliance: pd.DataFrame, participants: pd.DataFrame, year: int, measure: str = DEFAULT_MEASURE
) -> pd.DataFrame:
    """The participants' rows for one year, named, ranked by `measure` (best first). Columns: YEAR_COLUMNS.

    growth and value: highest first, participants without one last. status: met, not met,
    no baseline, missing, and by growth within each.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}")
    chosen = (compliance["participant"].to_numpy() != ALL) & (compliance["year"].to_numpy() == year)
    rows = with_names(compliance.take(np.flatnonzero(chosen)), participants)
    rank = {status: position for position, status in enumerate(STATUSES)}
    # Ranked on plain values: a stable sort on (key, ..., name), as a stable multi-column sort_values.
    names = rows["name"].tolist()
    status = [rank.get(str(s), len(rank)) for s in rows["status"]]
    growth = rows["growth"].astype("Float64").fillna(-np.inf).astype(float).tolist()
    value = rows["value"].astype("Float64").fillna(-1.0).astype(float).tolist()
    keys: dict[str, Callable[[int], tuple[Any, ...]]] = {
        "growth": lambda i: (-growth[i], names[i]),
        "value": lambda i: (-value[i], names[i]),
        "status": lambda i: (status[i], -growth[i], names[i]),
    }
    order = sorted(range(len(names)), key=keys[measure])
    return rows[YEAR_COLUMNS].take(order).reset_index(drop=True)


def map_view(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """What the map of one year shows: each participant's status and, when the map is coloured by
    growth or count, that figure. `rows`: year_table. Columns: participant, name, status[, growth|value]."""
    columns = ["participant", "name", "status"] + ([] if measure == "status" else [_ranked_column(measure)])
    return rows[columns].reset_index(drop=True)


def ranking_view(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """What the ranking chart shows, in its order: the participants with a figure to rank, best first,
    numbered. `rows`: year_table (already ranked). Columns: rank, participant, name, growth|value, status."""
    column = _ranked_column(measure)
    shown = rows[rows[column].notna()].reset_index(drop=True)
    ranked = shown[["participant", "name", column, "status"]]
    ranked.insert(0, "rank", pd.array(range(1, len(shown) + 1), dtype="Int64"))
    return ranked


def _ranked_column(measure: str) -> str:
    return "value" if measure == "value" else "growth"


def status_grid(
    compliance: pd.DataFrame,
    participants: pd.DataFrame,
    first_year: int | None = None,
    last_year: int | None = None,
    statuses: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Participant × year rows of the compliance table, named, filtered, for the grid and its table.

    Years outside first_year..last_year are left out after the comparison, so the first year shown
    is still judged against the year before it (the Alliance row too). `statuses`: keep only rows
    with these statuses (None: all). `codes`: keep only these participants (None: all, with the
    Alliance rows). Sorted by name, then year; the Alliance last. Columns: GRID_COLUMNS (every
    compliance column, with the name, and on Alliance rows `expected_participants`: the N of the
    "n of N" participants its figure covers).
    """
    expected = expected_by_year(compliance)
    rows = compliance
    if first_year is not None:
        rows = rows[rows["year"] >= first_year]
    if last_year is not None:
        rows = rows[rows["year"] <= last_year]
    if codes is not None:
        rows = rows[rows["participant"].isin(list(codes))]
    if statuses is not None:
        rows = rows[rows["status"].isin(list(statuses))]
    rows = with_names(rows, participants)
    alliance = rows["participant"] == ALL
    rows = rows.assign(
        _alliance=alliance,
        expected_participants=pd.array(
            [int(expected.get(y, 0)) if a else None for y, a in zip(rows["year"], alliance, strict=True)],
            dtype="Int64",
        ),
    )
    rows = rows.sort_values(["_alliance", "name", "year"], kind="stable")
    return rows[GRID_COLUMNS].reset_index(drop=True)


def cycle_table(table: pd.DataFrame, participants: pd.DataFrame, cycle: str) -> pd.DataFrame:
    """The per-participant reporting rows of one cycle, named, by name (reporting.TABLE_COLUMNS + name)."""
    # Selected and ordered on the columns' arrays (a stable sort by name, as pandas' own), then named.
    chosen = np.flatnonzero(table["cycle"].to_numpy() == cycle)
    names = participant_names(participants)
    codes = [str(code) for code in table["participant"].to_numpy()[chosen]]
    order = sorted(range(len(chosen)), key=lambda i: names.get(codes[i], codes[i]))
    return with_names(table.take(chosen[order]), participants).reset_index(drop=True)


def cycle_names(summary: pd.DataFrame) -> list[str]:
    """The cycles in deadline order."""
    return [str(name) for name in summary["cycle"]]
