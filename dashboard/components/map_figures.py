"""Map figures: the choropleth of a year and the ranking beside it (DataFrame -> Figure, no Dash state).

Same colours and symbols as every other chart (dashboard.components.figures): a status is never told by
colour alone.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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
)
from models.metrics.compliance import STATUSES
from models.reports.summaries import GOAL_TEXT, STATUS_LABELS, count_text, growth_text

REGIONS: dict[str, dict[str, Any]] = {
    "world": {"projection_type": "natural earth", "lataxis_range": [-58, 85], "lonaxis_range": [-180, 180]},
    "europe": {
        "projection_type": "azimuthal equal area",
        "projection_rotation": {"lon": 15, "lat": 52},
        "lataxis_range": [33, 72],
        "lonaxis_range": [-47, 82],
    },
}
# The map has no height of its own: its box is twice as wide as tall (assets/vid-monitor.css), and
# both views' lon/lat ranges have about that shape, so the map fills the width on every screen and
# land runs off its edges (Russia included) instead of stopping at a clipped rectangle inside it.
MAP_HEIGHTS: dict[str, int | None] = {"world": None, "europe": None}


def choropleth_figure(
    rows: pd.DataFrame, measure: str, region: str = "world", resolution: int = 50
) -> go.Figure:
    """A map of the participants for one year, coloured by status, growth or count; `region` in REGIONS.

    Its colour key is part of the figure, so it always matches the measure: a legend of the statuses
    for status, a colour bar for growth and for count.
    """
    figure = go.Figure()
    hover = [hover_row(row, row["name"]) for _, row in rows.iterrows()]
    common = {
        "locations": rows["participant"],
        "locationmode": "ISO-3",
        "marker_line_color": "#555",
        "marker_line_width": 0.5,
    }
    if measure == "status":
        for status in STATUSES:
            mask = (rows["status"] == status).to_numpy()
            if not mask.any():
                continue
            figure.add_choropleth(
                **{**common, "locations": rows["participant"][mask]},
                z=np.zeros(int(mask.sum())),
                colorscale=[[0, STATUS_COLOURS[status]], [1, STATUS_COLOURS[status]]],
                showscale=False,
                name=STATUS_LABELS[status],
                text=[h for h, m in zip(hover, mask, strict=True) if m],
                hovertemplate="%{text}<extra></extra>",
                showlegend=True,
            )
    elif measure == "growth":
        growth = rows["growth"].astype("Float64").astype(float).clip(-0.3, 0.5)
        figure.add_choropleth(
            **common,
            z=growth,
            zmin=GROWTH_RANGE[0],
            zmax=GROWTH_RANGE[1],
            colorscale=growth_scale(),
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorbar={
                "title": {"text": "Growth"},
                "tickformat": ".0%",
                "tickvals": [-0.3, 0, GOAL_FLOAT, 0.3, 0.5],
                "ticktext": ["≤ −30%", "0%", f"{GOAL_TEXT} goal", "30%", "≥ 50%"],
            },
        )
    else:
        values = rows["value"].astype("Float64").astype(float)
        logged = np.log10(values.where(values > 0))
        ticks = (
            [10**k for k in range(0, 7) if values.max(skipna=True) >= 10 ** (k - 1)]
            if values.notna().any()
            else [1]
        )
        figure.add_choropleth(
            **common,
            z=logged,
            colorscale="Cividis",
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorbar={
                "title": {"text": "Count"},
                "tickvals": [math.log10(t) for t in ticks],
                "ticktext": [f"{t:,}" for t in ticks],
            },
        )
    region = region if region in REGIONS else "world"
    figure.update_geos(
        resolution=resolution,
        fitbounds=False,
        showcountries=True,
        countrycolor="#999",
        showframe=False,
        showland=True,
        landcolor="#E9E9E9",
        showocean=False,
        showlakes=False,
        **REGIONS[region],
    )
    return layout_defaults(
        figure,
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


def ranking_figure(rows: pd.DataFrame, measure: str) -> go.Figure:
    """Participants as horizontal bars, best first: growth (coloured by status) or count."""
    column = "value" if measure == "value" else "growth"
    shown = rows[rows[column].notna()]
    if shown.empty:
        if column == "growth" and len(rows):
            return empty_figure("No growth to rank: no participant has an earlier value to compare with.")
        return empty_figure("No participant has a value to rank.")
    ordered = shown.iloc[::-1]  # plotly draws the first category at the bottom
    values = ordered[column].astype("Float64").astype(float)
    if column == "growth":
        text = [
            f"{STATUS_SYMBOLS[str(s)]} {growth_text(g, s)}"
            for g, s in zip(ordered["growth"], ordered["status"], strict=True)
        ]
    else:
        text = [
            f"{STATUS_SYMBOLS[str(s)]} {count_text(v)}"
            for v, s in zip(ordered["value"], ordered["status"], strict=True)
        ]
    figure = go.Figure(
        go.Bar(
            x=values,
            y=ordered["name"],
            orientation="h",
            text=text,
            textposition="outside",
            cliponaxis=False,
            marker_color=[STATUS_COLOURS[str(s)] for s in ordered["status"]],
            marker_line={"color": "#333", "width": 0.5},
            hovertext=[hover_row(row, row["name"]) for _, row in ordered.iterrows()],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    if column == "growth":
        add_goal_line(figure, "x", OKABE_ITO["black"], "top")
        figure.update_xaxes(tickformat=".0%")
    else:
        figure.update_xaxes(tickformat=",")
    figure.update_yaxes(automargin=True, tickfont={"size": 12})
    return layout_defaults(
        figure, 80 + 20 * len(ordered), showlegend=False, margin={"l": 10, "r": 70, "t": 40, "b": 10}
    )
