"""The figure floor's shared pieces, written out: hover texts, records, the house look, the goal line."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.components.figures import (
    FONT,
    GOAL_FLOAT,
)
from dashboard.components.plot import template
from models.demo import DEMO_LABEL
from models.reports.summaries.overview import coverage_text
from models.reports.summaries.participants import why_text
from models.reports.summaries.words import GOAL_TEXT, PROGRESS_LABELS, STATUS_LABELS, count_text, growth_text

Frames = dict[str, Any]  # "compliance": {basis: frame}, "names": {code: name}, "summary", "source", "demo"


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def hover_text(row: dict[str, Any], name: str | None = None) -> str:
    head = f"<b>{esc(name)}</b> · {row['year']}<br>" if name else f"<b>{row['year']}</b><br>"
    text = head + STATUS_LABELS[row["status"]]
    if row["progress"] is not None:
        text += f" · {PROGRESS_LABELS[row['progress']]}"
    if row["value"] is not None:
        text += f"<br>Count: {count_text(row['value'])}"
    if row["growth"] is not None:
        text += f"<br>Growth: {growth_text(row['growth'], row['status'])}"
    if row.get("expected") is not None and row.get("participants") is not None:
        text += f"<br>Covers {coverage_text(int(row['participants']), int(row['expected']))}"
    return text + f"<br>{esc(why_text(row))}"


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain records: None for every gap."""
    return [
        {k: (None if v is pd.NA or v != v else v) for k, v in r.items()} for r in frame.to_dict("records")
    ]


def look(
    layout: dict[str, Any],
    height: int | None,
    margin: dict[str, int],
    frames: Frames,
    title: str,
    subtitle: str,
    **extra: Any,
) -> dict[str, Any]:
    """The house look, the title block and the source line, written out."""
    lines = [f"<b>{esc(title)}</b>", esc(subtitle)] + ([f"<b>{DEMO_LABEL}</b>"] if frames["demo"] else [])
    notes = [
        {
            "align": "left",
            "font": {"color": "#212529", "size": 12},
            "name": "chart-title",
            "showarrow": False,
            "text": "<br>".join(lines),
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "yref": "paper",
            "yshift": margin["t"] or 30,
        },
        {
            "align": "left",
            "font": {"color": "#495057", "size": 10},
            "name": "chart-source",
            "showarrow": False,
            "text": esc(frames["source"]),
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 0,
            "yanchor": "top",
            "yref": "paper",
            "yshift": -((margin["b"] or 10) + 26),
        },
    ]
    extra_top = 18 * len(lines) + 6
    top, bottom = margin["t"] or 30, margin["b"] or 10
    return {
        **layout,
        "template": template(),
        "height": (height or 450) + extra_top + 44,
        "margin": {**margin, "t": top + extra_top, "b": bottom + 44},
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT}},
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        **extra,
        "annotations": [*layout.get("annotations", []), *notes],
        "meta": {"title": title, "subtitle": subtitle, "source": frames["source"], "demo": frames["demo"]}
        | {"note": None},  # figures awaiting review would be named here; the floor draws accepted ones
    }


def goal_line(axis: str, ref: str, colour: str) -> tuple[dict[str, Any], dict[str, Any]]:
    if axis == "y":  # horizontal, label at the bottom right
        return (
            {
                "line": {"color": colour, "dash": "dash"},
                "type": "line",
                "x0": 0,
                "x1": 1,
                "xref": f"x{ref} domain",
                "y0": GOAL_FLOAT,
                "y1": GOAL_FLOAT,
                "yref": f"y{ref}",
            },
            {
                "showarrow": False,
                "text": f"{GOAL_TEXT} goal",
                "xref": f"x{ref} domain",
                "y": GOAL_FLOAT,
                "yref": f"y{ref}",
                "x": 1,
                "xanchor": "right",
                "yanchor": "top",
            },
        )
    return (
        {
            "line": {"color": colour, "dash": "dash"},
            "type": "line",
            "x0": GOAL_FLOAT,
            "x1": GOAL_FLOAT,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "y domain",
        },
        {
            "showarrow": False,
            "text": f"{GOAL_TEXT} goal",
            "x": GOAL_FLOAT,
            "xref": "x",
            "yref": "y domain",
            "y": 1,
            "xanchor": "center",
            "yanchor": "bottom",
        },
    )


def growth_range(growth: list[float]) -> list[float]:
    low, high = min(0.0, *growth), max(GOAL_FLOAT, *growth)
    pad = (high - low) * 0.15
    return [low - pad / 3, high + pad]
