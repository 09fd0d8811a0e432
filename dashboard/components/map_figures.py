"""Map figures: the choropleth of a year and the ranking beside it (DataFrame -> figure dict, no Dash state).

Same colours and symbols as every other chart (dashboard.components.figures): a status is never told by
colour alone.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from plotly.colors import sequential

from dashboard.components.figures import (
    GOAL_FLOAT,
    GROWTH_RANGE,
    OKABE_ITO,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
    add_goal_line,
    empty_figure,
    growth_scale,
    hover_row,
    layout_defaults,
    records,
)
from dashboard.components.plot import Figure, figure, floats, listed, update
from models.metrics.compliance import STATUSES
from models.reports.summaries.words import GOAL_TEXT, STATUS_LABELS, count_text, growth_text

REGIONS: dict[str, dict[str, Any]] = {
    "world": {
        "projection": {"type": "natural earth"},
        "lataxis": {"range": [-58, 85]},
        "lonaxis": {"range": [-180, 180]},
    },
    "europe": {
        "projection": {"type": "azimuthal equal area", "rotation": {"lon": 15, "lat": 52}},
        "lataxis": {"range": [33, 72]},
        "lonaxis": {"range": [-47, 82]},
    },
}
# The map has no height of its own: its box is twice as wide as tall (assets/vid-monitor.css), and
# both views' lon/lat ranges have about that shape, so the map fills the width on every screen and
# land runs off its edges (Russia included) instead of stopping at a clipped rectangle inside it.
MAP_HEIGHTS: dict[str, int | None] = {"world": None, "europe": None}


# plotly's "Cividis", as plotly.py writes a named scale out for plotly.js: its colours, evenly spaced.
CIVIDIS = [[i / (len(sequential.Cividis) - 1), colour] for i, colour in enumerate(sequential.Cividis)]


def choropleth_figure(
    rows: pd.DataFrame, measure: str, region: str = "world", resolution: int = 50
) -> Figure:
    """A map of the participants for one year, coloured by status, growth or count; `region` in REGIONS.

    Its colour key is part of the figure, so it always matches the measure: a legend of the statuses
    for status, a colour bar for growth and for count.
    """
    hover = [hover_row(row, row["name"]) for row in records(rows)]
    codes = listed(rows["participant"])
    common = {"hovertemplate": "%{text}<extra></extra>", "locationmode": "ISO-3",
              "marker": {"line": {"color": "#555", "width": 0.5}}, "type": "choropleth"}  # fmt: skip
    traces: list[dict[str, Any]] = []
    if measure == "status":
        statuses = [str(s) for s in rows["status"]]
        for status in STATUSES:
            chosen = [index for index, s in enumerate(statuses) if s == status]
            if not chosen:
                continue
            traces.append(
                {
                    **common,
                    "colorscale": [[0, STATUS_COLOURS[status]], [1, STATUS_COLOURS[status]]],
                    "locations": [codes[index] for index in chosen],
                    "name": STATUS_LABELS[status],
                    "showlegend": True,
                    "showscale": False,
                    "text": [hover[index] for index in chosen],
                    "z": [0.0] * len(chosen),
                }
            )
    elif measure == "growth":
        growth = rows["growth"].astype("Float64").astype(float).clip(-0.3, 0.5)
        traces.append(
            {
                **common,
                "colorbar": {
                    "ticktext": ["≤ −30%", "0%", f"{GOAL_TEXT} goal", "30%", "≥ 50%"],
                    "tickvals": [-0.3, 0, GOAL_FLOAT, 0.3, 0.5],
                    "tickformat": ".0%",
                    "title": {"text": "Growth"},
                },
                "colorscale": growth_scale(),
                "locations": codes,
                "text": hover,
                "z": floats(growth),
                "zmax": GROWTH_RANGE[1],
                "zmin": GROWTH_RANGE[0],
            }
        )
    else:
        values = rows["value"].astype("Float64").astype(float)
        logged = np.log10(values.where(values > 0))
        ticks = (
            [10**k for k in range(0, 7) if values.max(skipna=True) >= 10 ** (k - 1)]
            if values.notna().any()
            else [1]
        )
        traces.append(
            {
                **common,
                "colorbar": {
                    "ticktext": [f"{t:,}" for t in ticks],
                    "tickvals": [math.log10(t) for t in ticks],
                    "title": {"text": "Count"},
                },
                "colorscale": CIVIDIS,
                "locations": codes,
                "text": hover,
                "z": floats(logged),
            }
        )
    region = region if region in REGIONS else "world"
    geo = {
        "resolution": resolution,
        "fitbounds": False,
        "showcountries": True,
        "countrycolor": "#999",
        "showframe": False,
        "showland": True,
        "landcolor": "#E9E9E9",
        "showocean": False,
        "showlakes": False,
        **REGIONS[region],
    }
    return layout_defaults(
        figure(*traces, geo=geo),
        MAP_HEIGHTS[region],
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=measure == "status",
        # Over the map's bottom left corner (the Atlantic), so the map keeps the whole box.
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 0.0,
            "x": 0,
            "bgcolor": "rgba(255,255,255,0.85)",
            "title": {"text": "Status:"},
        },
    )


def ranking_figure(rows: pd.DataFrame, measure: str) -> Figure:
    """Participants as horizontal bars, best first: growth (coloured by status) or count."""
    column = "value" if measure == "value" else "growth"
    shown = rows[rows[column].notna()]
    if shown.empty:
        if column == "growth" and len(rows):
            return empty_figure("No growth to rank: no participant has an earlier value to compare with.")
        return empty_figure("No participant has a value to rank.")
    ordered = shown.iloc[::-1]  # plotly draws the first category at the bottom
    statuses = [str(s) for s in ordered["status"]]
    if column == "growth":
        text = [
            f"{STATUS_SYMBOLS[s]} {growth_text(g, s)}"
            for g, s in zip(ordered["growth"], statuses, strict=True)
        ]
    else:
        text = [
            f"{STATUS_SYMBOLS[s]} {count_text(v)}" for v, s in zip(ordered["value"], statuses, strict=True)
        ]
    bars = {
        "cliponaxis": False,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [hover_row(row, row["name"]) for row in records(ordered)],
        "marker": {"color": [STATUS_COLOURS[s] for s in statuses], "line": {"color": "#333", "width": 0.5}},
        "orientation": "h",
        "text": text,
        "textposition": "outside",
        "x": floats(ordered[column].astype("Float64")),
        "y": listed(ordered["name"]),
        "type": "bar",
    }
    chart = figure(bars)
    if column == "growth":
        add_goal_line(chart, "x", OKABE_ITO["black"], "top")
        update(chart["layout"], xaxis={"tickformat": ".0%"})
    else:
        update(chart["layout"], xaxis={"tickformat": ","})
    update(chart["layout"], yaxis={"automargin": True, "tickfont": {"size": 12}})
    return layout_defaults(
        chart, 80 + 20 * len(ordered), showlegend=False, margin={"l": 10, "r": 70, "t": 40, "b": 10}
    )
