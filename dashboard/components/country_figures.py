"""A participant's charts: its counts against its 10% path and its yearly growth (DataFrame -> figure dict).

Same colours, symbols and hover texts as every other chart (dashboard.components.figures).
"""

from __future__ import annotations

import pandas as pd

from dashboard.components.figures import (
    OKABE_ITO,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    add_goal_line,
    empty_figure,
    growth_range,
    hover_row,
    layout_defaults,
    records,
    year_axis,
    year_span,
)
from dashboard.components.plot import Figure, figure, floats, listed, update
from models.reports.summaries.words import GOAL_TEXT, STATUS_LABELS, count_text, growth_text


def participant_series_figure(history: pd.DataFrame, basis: str) -> Figure:
    """A participant's counts as bars (coloured and marked by status) with its 10% path from the baseline."""
    reported = history[history["value"].notna()]
    if reported.empty:
        return empty_figure(f"No values on the {basis} basis.")
    statuses = [str(s) for s in reported["status"]]
    bars = {
        "cliponaxis": False,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [hover_row(row) for row in records(reported)],
        "marker": {"color": [STATUS_COLOURS[s] for s in statuses], "line": {"color": "#333", "width": 0.5}},
        "name": "Reported count",
        "showlegend": False,
        "text": [
            f"{STATUS_SYMBOLS[s]} {count_text(v)}" for v, s in zip(reported["value"], statuses, strict=True)
        ],
        "textposition": "outside",
        "x": listed(reported["year"]),
        "y": floats(reported["value"]),
        "type": "bar",
    }
    chart = figure(bars)
    path = history[history["path_value"].notna()]
    if len(path):
        chart["data"].append(
            {
                "hovertemplate": f"<b>%{{x}}</b><br>{GOAL_TEXT} path: %{{y:,}}<extra></extra>",
                "line": {"color": OKABE_ITO["black"], "dash": "dash"},
                "mode": "lines",
                "name": f"{GOAL_TEXT} a year from {int(path['baseline_year'].iloc[0])}",
                "x": listed(path["year"]),
                "y": floats(path["path_value"]),
                "type": "scatter",
            }
        )
    _mark_missing_years(chart, history, 0.0)
    year_axis(chart, year_span(history["year"]))
    update(chart["layout"], yaxis={"tickformat": ",", "rangemode": "tozero"})
    return layout_defaults(chart, 380, showlegend=True)


def _unreported_years(history: pd.DataFrame) -> list[int]:
    """The years between the first and the last reported value that have none (missing or absent)."""
    reported = history.loc[history["value"].notna(), "year"].astype(int)
    if reported.empty:
        return []
    return sorted(set(range(int(reported.min()), int(reported.max()) + 1)) - set(reported))


def _mark_missing_years(chart: Figure, history: pd.DataFrame, y: float) -> None:
    """A grey "– missing" at each year inside the reported range that has no value."""
    gaps = _unreported_years(history)
    if not gaps:
        return
    chart["data"].append(
        {
            "cliponaxis": False,
            "hovertemplate": f"<b>%{{x}}</b><br>{STATUS_LABELS['missing']}: no value reported<extra></extra>",
            "marker": {"color": "#6c757d", "line": {"width": 2}, "size": 14, "symbol": "line-ew-open"},
            "mode": "markers+text",
            "name": STATUS_LABELS["missing"],
            "showlegend": False,
            "text": [STATUS_LABELS["missing"]] * len(gaps),
            "textfont": {"color": "#495057", "size": 11},
            "textposition": "top center",
            "x": gaps,
            "y": [y] * len(gaps),
            "type": "scatter",
        }
    )


def participant_growth_figure(history: pd.DataFrame) -> Figure:
    """A participant's yearly growth against the goal line; markers ✓ (met) and ✗ (not met)."""
    judged = history[history["growth"].notna()]
    if judged.empty:
        return empty_figure("No two years to compare yet.")
    # The line joins consecutive years only: it breaks where a year is missing (None, connectgaps off).
    growth = dict(zip(judged["year"].astype(int), judged["growth"].astype(float), strict=True))
    span = list(range(int(judged["year"].min()), int(judged["year"].max()) + 1))
    line = {
        "connectgaps": False,
        "hoverinfo": "skip",
        "line": {"color": OKABE_ITO["black"]},
        "mode": "lines",
        "showlegend": False,
        "x": span,
        "y": floats([growth.get(year) for year in span]),
        "type": "scatter",
    }
    statuses = [str(s) for s in judged["status"]]
    points = {
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [hover_row(row) for row in records(judged)],
        "line": {"color": OKABE_ITO["black"]},
        "marker": {
            "color": [STATUS_COLOURS[s] for s in statuses],
            "line": {"color": "#000", "width": 1},
            "size": 11,
            "symbol": ["circle" if s == "met" else "x" for s in statuses],
        },
        "mode": "markers+text",
        "name": "Growth",
        "text": [
            f"{STATUS_SYMBOLS[s]} {growth_text(g, s)}"
            for g, s in zip(judged["growth"], statuses, strict=True)
        ],
        "textfont": {"size": 11},
        "textposition": "top center",
        "x": listed(judged["year"]),
        "y": floats(judged["growth"]),
        "type": "scatter",
    }
    chart = figure(line, points)
    add_goal_line(chart, "y", OKABE_ITO["vermillion"], "bottom right")
    _mark_missing_years(chart, history, 0.0)
    year_axis(chart, year_span(history["year"]))
    update(
        chart["layout"],
        yaxis={"tickformat": ".0%", "zeroline": True, "range": growth_range(judged["growth"])},
    )
    return layout_defaults(chart, 340, showlegend=False)
