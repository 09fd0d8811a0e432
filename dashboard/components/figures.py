"""DataFrame → plotly figure dict for every chart (dashboard.components.plot); no Dash state, no database.

Colours are Okabe–Ito (safe for colour-blind readers); a status is never told by colour alone:
every mark also carries its symbol (✓ ✗ ○ –) in text or hover, and each chart has a summary below it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard.components.plot import Figure, add_line, axis_name, figure, floats, listed, template, update
from models.demo import DEMO_LABEL
from models.metrics.compliance import STATUSES
from models.metrics.reporting import REPORTING_STATUSES
from models.reports.counting import REVISED_MARK, revised_cell_text
from models.reports.summaries.overview import coverage_text
from models.reports.summaries.participants import why_text
from models.reports.summaries.words import (
    GOAL,
    GOAL_TEXT,
    LOADING_TEXT,
    PROGRESS_LABELS,
    REPORTING_LABELS,
    STATUS_LABELS,
    THIN_MARK,
    count_text,
    growth_text,
    of_text,
)
from models.reports.tabular import json_records
from models.views.common import Chart

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#D9D9D9"
STATUS_COLOURS = {
    "met": OKABE_ITO["bluish_green"],
    "not_met": OKABE_ITO["vermillion"],
    "no_baseline": OKABE_ITO["sky_blue"],
    "missing": GREY,
}
REPORTING_COLOURS = {
    "on_time": OKABE_ITO["bluish_green"],
    "late": OKABE_ITO["orange"],
    "incomplete": OKABE_ITO["reddish_purple"],
    "missing": GREY,
}
STATUS_SYMBOLS = {status: label.split(" ")[0] for status, label in STATUS_LABELS.items()}
GOAL_FLOAT = float(GOAL)
# Growth: oranges below the goal, blues at or above it, with a clear step at the goal; both hues stay
# apart in every common colour-vision deficiency, and the palest ends differ from the grey land.
GROWTH_RANGE = (-0.3, 0.5)


def growth_scale(low: float = GROWTH_RANGE[0], high: float = GROWTH_RANGE[1]) -> list[list[object]]:
    goal = (float(GOAL) - low) / (high - low)
    return [
        [0.0, OKABE_ITO["vermillion"]],
        [goal - 0.0001, "#F5C48A"],
        [goal, "#A6D4F2"],
        [1.0, OKABE_ITO["blue"]],
    ]


FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def layout_defaults(chart: Figure, height: int | None, **extra: Any) -> Figure:
    """The house look; `height` None: as tall as the chart's box (CSS sizes it, e.g. the map's)."""
    settings: dict[str, Any] = {
        "template": template(),
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT}},
        # Under the chart, where neither the toolbar (top right, on hover) nor a title can cover it.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
    }
    update(chart["layout"], **{**settings, **extra})
    return chart


def described(chart: Figure, about: Chart) -> Figure:
    """The figure carrying, inside its image, what its view says it shows (`about`): its title and
    subtitle (basis, year or range) at the top, the source line with the data version and date at the
    bottom, on demonstration data the demonstration mark, and when the figures include those awaiting
    review, that label. They are visible annotations (on screen
    too), so the PNG download is a chart that describes itself; `layout.meta` holds the same texts.
    """
    title, subtitle, source, demo = about.title, about.subtitle, about.source, about.demo
    note = about.note[0].upper() + about.note[1:] if about.note else None
    layout = chart["layout"]
    margin = dict(layout.get("margin") or {})
    top = int(margin.get("t") or 30)
    bottom = int(margin.get("b") or 10)
    lines = [f"<b>{_escape(title)}</b>", _escape(subtitle)]
    if demo:
        lines.append(f"<b>{_escape(DEMO_LABEL)}</b>")
    if note:  # figures awaiting review: the image says so, as the page does
        lines.append(f"<b>{_escape(note)}</b>")
    annotations = layout.setdefault("annotations", [])
    annotations.append(
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
            "yshift": top,
        }
    )
    annotations.append(
        {
            "align": "left",
            "font": {"color": "#495057", "size": 10},
            "name": "chart-source",
            "showarrow": False,
            "text": _escape(source),
            "x": 0,
            "xanchor": "left",
            "xref": "paper",
            "y": 0,
            "yanchor": "top",
            "yref": "paper",
            "yshift": -(bottom + 26),  # below the x axis' tick labels
        }
    )
    height = int(layout.get("height") or 450)
    extra_top = 18 * len(lines) + 6
    layout["height"] = height + extra_top + 44
    layout["margin"] = {**margin, "t": top + extra_top, "b": bottom + 44}
    layout["meta"] = {"title": title, "subtitle": subtitle, "source": source, "demo": demo, "note": note}
    return chart


def year_axis(chart: Figure, years: int, number: int = 1) -> None:
    """Years as whole numbers, upright: every year on a short axis, otherwise as many as the width
    holds (plotly leaves some out on a phone rather than turning them sideways and cutting them)."""
    update(chart["layout"], **{axis_name("x", number): {"tickformat": "d", "tickangle": 0}})
    if years <= 8:
        update(chart["layout"], **{axis_name("x", number): {"dtick": 1}})


def year_span(years: pd.Series) -> int:
    """How many years from the first to the last in `years` (0 for none)."""
    values = years.dropna().astype(int)
    return int(values.max() - values.min() + 1) if len(values) else 0


def add_goal_line(chart: Figure, axis: str, colour: str, position: str, number: int = 1) -> None:
    """The dashed "10% goal" line across a growth axis (`axis` "y": horizontal, "x": vertical)."""
    add_line(chart["layout"], axis, GOAL_FLOAT, colour, f"{GOAL_TEXT} goal", position, number)


def empty_figure(message: str, height: int = 300) -> Figure:
    """A blank chart that says why it is blank."""
    blank = figure(
        annotations=[
            {"showarrow": False, "text": message, "x": 0.5, "xref": "paper", "y": 0.5, "yref": "paper"}
        ],
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return layout_defaults(blank, height)


def loading_figure(height: int = 300) -> Figure:
    """What a chart shows until its data arrive: it says so, with no axes."""
    return empty_figure(LOADING_TEXT, height)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as dicts of plain values (what `hover_row` and the wording read), in order."""
    return json_records(frame)


def hover_row(row: Mapping[str, Any], name: str | None = None) -> str:
    """A compliance row's hover text: who and when, the status and progress, the numbers and why."""
    label = STATUS_LABELS.get(str(row["status"]), str(row["status"]))
    head = f"<b>{_escape(name)}</b> · {row['year']}<br>" if name else f"<b>{row['year']}</b><br>"
    text = f"{head}{label}"
    if pd.notna(row.get("progress")):
        text += f" · {PROGRESS_LABELS[str(row['progress'])]}"
    if pd.notna(row.get("value")):
        text += f"<br>Count: {count_text(row['value'])}"
    if pd.notna(row.get("growth")):
        text += f"<br>Growth: {growth_text(row['growth'], row['status'])}"
    if pd.notna(row.get("expected_participants")) and pd.notna(row.get("participants")):
        # An Alliance row: how many of the expected participants its figure covers.
        text += f"<br>Covers {coverage_text(int(row['participants']), int(row['expected_participants']))}"
    return text + f"<br>{_escape(why_text(row))}"


def _escape(text: str) -> str:
    """Text for plotly's hover labels, which read <...> as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def growth_range(growth: pd.Series) -> list[float]:
    """An axis range that shows 0, the goal and every point, with room for the labels above them."""
    values = growth.astype("Float64").dropna().astype(float)
    low = min(0.0, float(values.min()) if len(values) else 0.0)
    high = max(GOAL_FLOAT, float(values.max()) if len(values) else GOAL_FLOAT)
    pad = (high - low) * 0.15
    return [low - pad / 3, high + pad]


# The two stacked panels of the Alliance chart (totals over growth, one shared year axis), laid out as
# plotly's make_subplots(rows=2, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.55, 0.45]) does.
_TREND_BOTTOM = (1.0 - 0.08) * (0.45 / 1.0)  # the lower panel's top: 0.414
_TREND_TOP = _TREND_BOTTOM + 0.08  # the upper panel's bottom: 0.494


def _trend_panels() -> dict[str, Any]:
    def title(text: str, y: float) -> dict[str, Any]:
        return {"font": {"size": 16}, "showarrow": False, "text": text, "x": 0.5, "xanchor": "center",
                "xref": "paper", "y": y, "yanchor": "bottom", "yref": "paper"}  # fmt: skip

    return {
        "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2", "showticklabels": False},
        "yaxis": {"anchor": "x", "domain": [_TREND_TOP, 1.0]},
        "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0]},
        "yaxis2": {"anchor": "x2", "domain": [0.0, _TREND_BOTTOM]},
        # Short enough for a phone's width; the dashed line says "10% goal" itself.
        "annotations": [
            title("Total reported", 1.0),
            title("Alliance growth (balanced panel)", _TREND_BOTTOM),
        ],
    }


def alliance_trend_figure(trend: pd.DataFrame, basis: str) -> Figure:
    """Reported totals as bars (top) and like-for-like Alliance growth against the goal line (bottom)."""
    if trend["total"].notna().sum() == 0:
        return empty_figure(f"No values on the {basis} basis yet.")
    totals = trend[trend["total"].notna()]
    covered = [
        (int(n), int(e)) for n, e in zip(totals["reporting"], totals["expected_participants"], strict=True)
    ]
    bars = {
        "cliponaxis": False,
        "customdata": [
            [of_text(n, e, "participant"), count_text(v)]
            for (n, e), v in zip(covered, totals["total"], strict=True)
        ],
        "hovertemplate": "<b>%{x}</b><br>%{customdata[1]} reported by %{customdata[0]}<extra></extra>",
        "marker": {"color": OKABE_ITO["blue"]},
        "name": "Total reported",
        # Each bar says how many participants it covers: a fall can be a participant not reporting.
        "text": [f"{n} of {e}" for n, e in covered],
        "textfont": {"size": 10},
        "textposition": "outside",
        "x": listed(totals["year"]),
        "y": floats(totals["total"]),
        "type": "bar",
        "xaxis": "x",
        "yaxis": "y",
    }
    judged = trend[trend["growth"].notna()]
    statuses = [str(s) for s in judged["status"]]
    # A growth over fewer than half of the expected participants shows ⚠, never a bare ✓.
    thin = [
        2 * int(p) < int(e) for p, e in zip(judged["panel"], judged["expected_participants"], strict=True)
    ]
    growth = {
        "customdata": [
            [coverage_text(int(n), int(e)) if pd.notna(n) else "", count_text(before), count_text(after)]
            for n, e, before, after in zip(
                judged["panel"],
                judged["expected_participants"],
                judged["panel_previous_value"],
                judged["panel_value"],
                strict=True,
            )
        ],
        "hovertemplate": "<b>%{x}</b>: %{text}<br>%{customdata[1]} → %{customdata[2]} "
        "over %{customdata[0]}<extra></extra>",
        "line": {"color": OKABE_ITO["black"]},
        "marker": {
            "color": [STATUS_COLOURS[s] for s in statuses],
            "line": {"color": "#000", "width": 1},
            "size": 10,
            "symbol": ["circle" if s == "met" else "x" for s in statuses],
        },
        "mode": "lines+markers+text",
        "name": "Alliance growth",
        "text": [
            f"{THIN_MARK if t else STATUS_SYMBOLS.get(s, '')} {growth_text(g, s)}"
            for g, s, t in zip(judged["growth"], statuses, thin, strict=True)
        ],
        "textfont": {"size": 11},
        "textposition": "top center",
        "x": listed(judged["year"]),
        "y": floats(judged["growth"]),
        "type": "scatter",
        "xaxis": "x2",
        "yaxis": "y2",
    }
    chart = figure(bars, growth, **_trend_panels())
    add_goal_line(chart, "y", OKABE_ITO["vermillion"], "bottom right", number=2)
    update(chart["layout"], yaxis={"tickformat": ","})
    update(
        chart["layout"],
        yaxis2={"tickformat": ".0%", "zeroline": True, "range": growth_range(judged["growth"])},
    )
    year_axis(chart, year_span(trend["year"]), number=2)
    return layout_defaults(chart, 560, showlegend=False)


def status_grid_figure(grid: pd.DataFrame, revised: Mapping[tuple[str, int], str] | None = None) -> Figure:
    """Participant × year statuses: a cell per year with its symbol, coloured by status; `revised`:
    (participant, year) → cycle of the values changed after that cycle's close, marked † in the cell."""
    revised = revised or {}
    if grid.empty:
        return empty_figure("No participant and year match the chosen filters.")
    names = list(dict.fromkeys(grid["name"]))
    years = sorted(int(y) for y in grid["year"].unique())
    # Each row's cell, by position: filled straight into one status' arrays.
    name_at = {name: index for index, name in enumerate(names)}
    year_at = {year: index for index, year in enumerate(years)}
    cells: dict[str, tuple[list[list[float | None]], list[list[str]], list[list[str]]]] = {}
    for row in records(grid):
        status = str(row["status"])
        if status not in cells:
            cells[status] = (
                [[None] * len(years) for _ in names],
                [[""] * len(years) for _ in names],
                [[""] * len(years) for _ in names],
            )
        z, text, hover = cells[status]
        at, column = name_at[row["name"]], year_at[int(row["year"])]
        z[at][column] = 1.0
        text[at][column] = STATUS_SYMBOLS[status]
        hover[at][column] = hover_row(row, row["name"])
        cycle = revised.get((str(row["participant"]), int(row["year"])))
        if cycle is not None:
            text[at][column] += REVISED_MARK
            hover[at][column] += f"<br>{_escape(revised_cell_text(cycle))}"
    columns = [str(y) for y in years]
    traces = [
        {
            "colorscale": [[0, STATUS_COLOURS[status]], [1, STATUS_COLOURS[status]]],
            "customdata": cells[status][2],
            "hoverongaps": False,
            "hovertemplate": "%{customdata}<extra></extra>",
            "name": STATUS_LABELS[status],
            "showscale": False,
            "text": cells[status][1],
            "textfont": {"color": "#000", "size": 12},
            "texttemplate": "%{text}",
            "x": columns,
            "xgap": 2,
            "y": names,
            "ygap": 2,
            "z": cells[status][0],
            "type": "heatmap",
        }
        for status in STATUSES
        if status in cells
    ]
    chart = figure(
        *traces,
        yaxis={"autorange": "reversed", "automargin": True, "tickfont": {"size": 12}, "showgrid": False},
        # At least ten columns' room: a grid of one or a few years keeps narrow cells at the left
        # instead of stretching one column across the page.
        xaxis={
            "side": "top",
            "type": "category",
            "range": [-0.5, max(len(years), 10) - 0.5],
            "showgrid": False,
        },
    )
    return layout_defaults(
        chart, 90 + 22 * len(names), showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10}
    )


def reporting_cycles_figure(summary: pd.DataFrame) -> Figure:
    """Per cycle, the expected participants split into on time, late, incomplete and missing."""
    if summary.empty:
        return empty_figure("No reporting cycle is defined.")
    ordered = summary.iloc[::-1]
    cycles = listed(ordered["cycle"])
    expected = [int(e) for e in ordered["expected"]]
    traces = []
    for status in REPORTING_STATUSES:
        counts = [int(n) for n in ordered[status]]
        traces.append(
            {
                "customdata": expected,
                "hovertemplate": f"<b>%{{y}}</b><br>{REPORTING_LABELS[status]}: %{{x}} of %{{customdata}}"
                "<extra></extra>",
                "insidetextanchor": "middle",
                "marker": {"color": REPORTING_COLOURS[status], "line": {"color": "#333", "width": 0.5}},
                "name": REPORTING_LABELS[status],
                "orientation": "h",
                # A label only where the segment is wide enough for it, even on a phone (the hover, the
                # summary and the table give every count): "– 1" no longer crammed into a sliver.
                "text": [
                    f"{REPORTING_LABELS[status].split(' ')[0]} {n}" if n and n >= 0.12 * e else ""
                    for n, e in zip(counts, expected, strict=True)
                ],
                "textfont": {"color": "#000"},
                "textposition": "inside",
                "x": counts,
                "y": cycles,
                "type": "bar",
            }
        )
    chart = figure(
        *traces, xaxis={"title": {"text": "Expected participants"}, "dtick": 5}, yaxis={"automargin": True}
    )
    return layout_defaults(
        chart,
        100 + 36 * len(ordered),
        barmode="stack",
        showlegend=False,
        uniformtext={"minsize": 10, "mode": "hide"},
    )
