"""The figure floor's compliance grid, map and ranking, built by hand from the cached compliance table."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from benchmarks.floor_look import Frames, esc, goal_line, hover_text, look, records
from dashboard.components.figures import (
    GOAL_FLOAT,
    OKABE_ITO,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    growth_scale,
)
from dashboard.components.map_figures import CIVIDIS, REGIONS
from models.metrics.compliance import ALL, STATUSES
from models.metrics.series import ALLIANCE_NAME
from models.reports.counting import REVISED_MARK, revised_cell_text
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.grid import compliance_grid_title
from models.reports.summaries.words import GOAL_TEXT, STATUS_LABELS, count_text, growth_text, years_text
from models.reports.summaries.years import map_chart_title, ranking_chart_title


def compliance_figure(
    frames: Frames, basis: str, start: int, end: int, statuses: list[str]
) -> dict[str, Any]:
    table = frames["compliance"][basis]
    expected = table[table["participant"] != ALL].groupby("year").size()
    rows = table[(table["year"] >= start) & (table["year"] <= end) & table["status"].isin(statuses)]
    names, revised = frames["names"], frames["revised"][basis]
    picked = records(rows)
    for r in picked:
        r["name"] = (
            ALLIANCE_NAME if r["participant"] == ALL else names.get(r["participant"], r["participant"])
        )
    picked.sort(key=lambda r: (r["participant"] == ALL, r["name"], r["year"]))
    order = list(dict.fromkeys(r["name"] for r in picked))
    years = sorted({int(r["year"]) for r in picked})
    at, column = {n: i for i, n in enumerate(order)}, {y: i for i, y in enumerate(years)}
    cells: dict[str, Any] = {}
    for r in picked:
        name = r["name"]
        if r["participant"] == ALL:
            r["expected"] = int(expected.get(r["year"], 0))
        z, text, hover = cells.setdefault(
            r["status"],
            (
                [[None] * len(years) for _ in order],
                [[""] * len(years) for _ in order],
                [[""] * len(years) for _ in order],
            ),
        )
        i, j = at[name], column[int(r["year"])]
        z[i][j], text[i][j], hover[i][j] = 1.0, STATUS_SYMBOLS[r["status"]], hover_text(r, name)
        cycle = revised.get((r["participant"], int(r["year"])))
        if cycle is not None:
            text[i][j] += REVISED_MARK
            hover[i][j] += f"<br>{esc(revised_cell_text(cycle))}"
    data = [
        {
            "colorscale": [[0, STATUS_COLOURS[s]], [1, STATUS_COLOURS[s]]],
            "customdata": cells[s][2],
            "hoverongaps": False,
            "hovertemplate": "%{customdata}<extra></extra>",
            "name": STATUS_LABELS[s],
            "showscale": False,
            "text": cells[s][1],
            "textfont": {"color": "#000", "size": 12},
            "texttemplate": "%{text}",
            "x": [str(y) for y in years],
            "xgap": 2,
            "y": order,
            "ygap": 2,
            "z": cells[s][0],
            "type": "heatmap",
        }
        for s in STATUSES
        if s in cells
    ]
    layout = {
        "yaxis": {"autorange": "reversed", "automargin": True, "tickfont": {"size": 12}, "showgrid": False},
        "xaxis": {
            "side": "top",
            "type": "category",
            "range": [-0.5, max(len(years), 10) - 0.5],
            "showgrid": False,
        },
    }
    subtitle = chart_subtitle(basis, years_text(start, end))
    return {
        "data": data,
        "layout": look(
            layout,
            90 + 22 * len(order),
            {"l": 10, "r": 10, "t": 40, "b": 10},
            frames,
            compliance_grid_title(),
            subtitle,
            showlegend=False,
        ),
    }


def map_figures(frames: Frames, year: int, basis: str, measure: str) -> tuple[dict[str, Any], dict[str, Any]]:
    table = frames["compliance"][basis]
    names = frames["names"]
    rows = records(table[(table["participant"] != ALL) & (table["year"] == year)])
    rank = {s: i for i, s in enumerate(STATUSES)}
    for r in rows:
        r["name"] = names.get(r["participant"], r["participant"])
    minus = float("-inf")
    key = {
        "status": lambda r: (
            rank[r["status"]],
            -(r["growth"] if r["growth"] is not None else minus),
            r["name"],
        ),
        "growth": lambda r: (-(r["growth"] if r["growth"] is not None else minus), r["name"]),
        "value": lambda r: (-(r["value"] if r["value"] is not None else -1.0), r["name"]),
    }[measure]
    rows.sort(key=key)
    hover = [hover_text(r, r["name"]) for r in rows]
    common = {
        "hovertemplate": "%{text}<extra></extra>",
        "locationmode": "ISO-3",
        "marker": {"line": {"color": "#555", "width": 0.5}},
        "type": "choropleth",
    }
    if measure == "status":
        data = []
        for s in STATUSES:
            chosen = [i for i, r in enumerate(rows) if r["status"] == s]
            if chosen:
                data.append(
                    {
                        **common,
                        "colorscale": [[0, STATUS_COLOURS[s]], [1, STATUS_COLOURS[s]]],
                        "locations": [rows[i]["participant"] for i in chosen],
                        "name": STATUS_LABELS[s],
                        "showlegend": True,
                        "showscale": False,
                        "text": [hover[i] for i in chosen],
                        "z": [0.0] * len(chosen),
                    }
                )
    elif measure == "growth":
        data = [
            {
                **common,
                "colorbar": {
                    "ticktext": ["≤ −30%", "0%", f"{GOAL_TEXT} goal", "30%", "≥ 50%"],
                    "tickvals": [-0.3, 0, GOAL_FLOAT, 0.3, 0.5],
                    "tickformat": ".0%",
                    "title": {"text": "Growth"},
                },
                "colorscale": growth_scale(),
                "locations": [r["participant"] for r in rows],
                "text": hover,
                "z": [None if r["growth"] is None else min(max(float(r["growth"]), -0.3), 0.5) for r in rows],
                "zmax": 0.5,
                "zmin": -0.3,
            }
        ]
    else:
        values = [r["value"] for r in rows]
        top = max((v for v in values if v is not None), default=None)
        ticks = [10**k for k in range(7) if top >= 10 ** (k - 1)] if top is not None else [1]
        data = [
            {
                **common,
                "colorbar": {
                    "ticktext": [f"{t:,}" for t in ticks],
                    "tickvals": [math.log10(t) for t in ticks],
                    "title": {"text": "Count"},
                },
                "colorscale": CIVIDIS,
                "locations": [r["participant"] for r in rows],
                "text": hover,
                "z": [float(np.log10(v)) if v else None for v in values],
            }
        ]
    geo = {
        "resolution": 50,
        "fitbounds": False,
        "showcountries": True,
        "countrycolor": "#999",
        "showframe": False,
        "showland": True,
        "landcolor": "#E9E9E9",
        "showocean": False,
        "showlakes": False,
        **REGIONS["world"],
    }
    legend = {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 0.0,
        "x": 0,
        "bgcolor": "rgba(255,255,255,0.85)",
        "title": {"text": "Status:"},
    }
    subtitle = chart_subtitle(basis, str(year))
    world = {
        "data": data,
        "layout": look(
            {"geo": geo},
            None,
            {"l": 0, "r": 0, "t": 0, "b": 0},
            frames,
            map_chart_title(year, measure),
            subtitle,
            showlegend=measure == "status",
            legend=legend,
        ),
    }
    column = "value" if measure == "value" else "growth"
    shown = [r for r in rows if r[column] is not None][::-1]
    text = [
        f"{STATUS_SYMBOLS[r['status']]} "
        + (growth_text(r["growth"], r["status"]) if column == "growth" else count_text(r["value"]))
        for r in shown
    ]
    bars = {
        "cliponaxis": False,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [hover_text(r, r["name"]) for r in shown],
        "marker": {
            "color": [STATUS_COLOURS[r["status"]] for r in shown],
            "line": {"color": "#333", "width": 0.5},
        },
        "orientation": "h",
        "text": text,
        "textposition": "outside",
        "x": [float(r[column]) for r in shown],
        "y": [r["name"] for r in shown],
        "type": "bar",
    }
    layout: dict[str, Any]
    if column == "growth":
        line, note = goal_line("x", "", OKABE_ITO["black"])
        layout = {"shapes": [line], "annotations": [note], "xaxis": {"tickformat": ".0%"}}
    else:
        layout = {"xaxis": {"tickformat": ","}}
    layout["yaxis"] = {"automargin": True, "tickfont": {"size": 12}}
    ranking = {
        "data": [bars],
        "layout": look(
            layout,
            80 + 20 * len(shown),
            {"l": 10, "r": 70, "t": 40, "b": 10},
            frames,
            ranking_chart_title(year, measure),
            subtitle,
            showlegend=False,
        ),
    }
    return world, ranking
