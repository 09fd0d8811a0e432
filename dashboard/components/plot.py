"""Plain plotly figure dicts ({"data": [...], "layout": {...}}): built without plotly's graph objects.

dcc.Graph takes a figure as a dict, and plotly.js reads the same JSON a `go.Figure` would have sent,
so the charts are built as dicts of plain Python values (lists, str, int, float, None for a gap):
nothing is validated or deep-copied per request, and Dash encodes them with the standard `json`
encoder. What plotly.py added itself is written out here: the `plotly_white` template (read once
from plotly's own file) and the shapes and labels of `add_hline`/`add_vline`. The tests check every
builder's dict against plotly's schema (`go.Figure(figure)` validates it there, never here).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import numpy as np
import pandas as pd
import plotly


class Figure(TypedDict):
    """A plotly figure as plotly.js reads it: its traces and its layout."""

    data: list[dict[str, Any]]
    layout: dict[str, Any]


TEMPLATE_FILE = Path(plotly.__file__).parent / "package_data" / "templates" / "plotly_white.json"


@cache
def template() -> dict[str, Any]:
    """The `plotly_white` template as `go.Figure(layout={"template": "plotly_white"})` sends it.

    Read once per process and shared by every figure: never change it in place.
    """
    loaded: dict[str, Any] = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    return loaded


def figure(*traces: dict[str, Any], **layout: Any) -> Figure:
    """A figure of `traces` and `layout` (both plain dicts)."""
    return {"data": list(traces), "layout": dict(layout)}


def listed(values: Iterable[Any]) -> list[Any]:
    """Plain Python values for JSON: a pandas column or numpy array as a list, NaN and NA as None."""
    if isinstance(values, pd.Series | pd.Index):
        values = values.to_numpy(dtype=object, na_value=None)
    if isinstance(values, np.ndarray):
        values = values.tolist()
    return [_plain(value) for value in values]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def floats(values: Iterable[Any]) -> list[float | None]:
    """Numbers as floats (what plotly plots), gaps as None."""
    return [None if value is None else float(value) for value in listed(values)]


def merged(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`base` updated by `extra`, nested dicts merged (as plotly's `update_layout` merges them)."""
    out = dict(base)
    for key, value in extra.items():
        kept = out.get(key)
        out[key] = merged(kept, value) if isinstance(kept, dict) and isinstance(value, dict) else value
    return out


def update(layout: dict[str, Any], **changes: Any) -> None:
    """Merge `changes` into `layout` in place, nested dicts merged; a None value changes nothing."""
    for key, value in changes.items():
        if value is None:
            continue
        kept = layout.get(key)
        layout[key] = merged(kept, value) if isinstance(kept, dict) and isinstance(value, dict) else value


def axis_name(kind: str, number: int) -> str:
    """The layout key of an axis: ("x", 1) → "xaxis", ("y", 2) → "yaxis2"."""
    return f"{kind}axis{number if number > 1 else ''}"


def axis_ref(kind: str, number: int) -> str:
    """How a trace or shape names an axis: ("x", 1) → "x", ("y", 2) → "y2"."""
    return f"{kind}{number if number > 1 else ''}"


# Where add_hline/add_vline put their label, for the positions the charts use.
_LINE_LABELS: dict[tuple[str, str], dict[str, Any]] = {
    ("y", "bottom right"): {"x": 1, "xanchor": "right", "yanchor": "top"},
    ("x", "top"): {"y": 1, "xanchor": "center", "yanchor": "bottom"},
}


def add_line(
    layout: dict[str, Any], axis: str, at: float, colour: str, label: str, position: str, number: int = 1
) -> None:
    """A dashed line across the plot at `at` on `axis` ("y": horizontal, "x": vertical) with its
    label, on the subplot whose axes have `number`, as plotly's `add_hline`/`add_vline` draw it."""
    x, y = axis_ref("x", number), axis_ref("y", number)
    line = {"color": colour, "dash": "dash"}
    if axis == "y":
        shape = {"line": line, "type": "line", "x0": 0, "x1": 1, "xref": f"{x} domain", "y0": at, "y1": at}
        shape["yref"] = y
        note = {"showarrow": False, "text": label, "xref": f"{x} domain", "y": at, "yref": y}
    else:
        shape = {"line": line, "type": "line", "x0": at, "x1": at, "xref": x, "y0": 0, "y1": 1}
        shape["yref"] = f"{y} domain"
        note = {"showarrow": False, "text": label, "x": at, "xref": x, "yref": f"{y} domain"}
    layout.setdefault("shapes", []).append(shape)
    layout.setdefault("annotations", []).append({**note, **_LINE_LABELS[(axis, position)]})
