"""DataFrame → plotly Figure for every chart; no Dash state, no database.

Colours are Okabe–Ito (safe for colour-blind readers); a status is never told by colour alone:
every mark also carries its symbol (✓ ✗ ○ –) in text or hover, and each chart has a summary below it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from models.demo import DEMO_LABEL
from models.metrics.compliance import STATUSES
from models.metrics.reporting import REPORTING_STATUSES
from models.reports.counting import REVISED_MARK, revised_cell_text
from models.reports.summaries import (
    GOAL,
    GOAL_TEXT,
    LOADING_TEXT,
    PROGRESS_LABELS,
    REPORTING_LABELS,
    STATUS_LABELS,
    THIN_MARK,
    count_text,
    coverage_text,
    growth_text,
    of_text,
    why_text,
)
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


def layout_defaults(figure: go.Figure, height: int | None, **extra: object) -> go.Figure:
    """The house look; `height` None: as tall as the chart's box (CSS sizes it, e.g. the map's)."""
    settings: dict[str, object] = {
        "template": "plotly_white",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "font": {"family": FONT, "size": 13, "color": "#212529"},
        "separators": ".,",
        "hoverlabel": {"font": {"family": FONT}},
        # Under the chart, where neither the toolbar (top right, on hover) nor a title can cover it.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
    }
    figure.update_layout(**{**settings, **extra})
    return figure


def described(figure: go.Figure, chart: Chart) -> go.Figure:
    """The figure carrying, inside its image, what its view says it shows (`chart`): its title and
    subtitle (basis, year or range) at the top, the source line with the data version and date at the
    bottom, on demonstration data the demonstration mark, and when the figures include those awaiting
    review, that label. They are visible annotations (on screen
    too), so the PNG download is a chart that describes itself; `layout.meta` holds the same texts.
    """
    title, subtitle, source, demo = chart.title, chart.subtitle, chart.source, chart.demo
    note = chart.note[0].upper() + chart.note[1:] if chart.note else None
    margin = dict(figure.layout.margin.to_plotly_json()) if figure.layout.margin else {}
    top = int(margin.get("t") or 30)
    bottom = int(margin.get("b") or 10)
    lines = [f"<b>{_escape(title)}</b>", _escape(subtitle)]
    if demo:
        lines.append(f"<b>{_escape(DEMO_LABEL)}</b>")
    if note:  # figures awaiting review: the image says so, as the page does
        lines.append(f"<b>{_escape(note)}</b>")
    figure.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        yshift=top,
        xanchor="left",
        yanchor="bottom",
        align="left",
        showarrow=False,
        font={"size": 12, "color": "#212529"},
        name="chart-title",
    )
    figure.add_annotation(
        text=_escape(source),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(bottom + 26),  # below the x axis' tick labels
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 10, "color": "#495057"},
        name="chart-source",
    )
    height = int(figure.layout.height or 450)
    extra_top = 18 * len(lines) + 6
    figure.update_layout(
        height=height + extra_top + 44,
        margin={**margin, "t": top + extra_top, "b": bottom + 44},
        meta={"title": title, "subtitle": subtitle, "source": source, "demo": demo, "note": note},
    )
    return figure


def year_axis(figure: go.Figure, years: int, **where: int) -> None:
    """Years as whole numbers, upright: every year on a short axis, otherwise as many as the width
    holds (plotly leaves some out on a phone rather than turning them sideways and cutting them)."""
    figure.update_xaxes(tickformat="d", tickangle=0, dtick=1 if years <= 8 else None, **where)


def _span(years: pd.Series) -> int:
    values = years.dropna().astype(int)
    return int(values.max() - values.min() + 1) if len(values) else 0


def add_goal_line(figure: go.Figure, axis: str, colour: str, position: str, **where: int) -> None:
    """The dashed "10% goal" line across a growth axis (`axis` "y": horizontal, "x": vertical)."""
    add = figure.add_hline if axis == "y" else figure.add_vline
    add(
        GOAL_FLOAT,
        line_dash="dash",
        line_color=colour,
        annotation_text=f"{GOAL_TEXT} goal",
        annotation_position=position,
        **where,
    )


def empty_figure(message: str, height: int = 300) -> go.Figure:
    """A blank chart that says why it is blank."""
    figure = go.Figure()
    figure.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return layout_defaults(figure, height)


def loading_figure(height: int = 300) -> go.Figure:
    """What a chart shows until its data arrive: it says so, with no axes."""
    return empty_figure(LOADING_TEXT, height)


def hover_row(row: pd.Series, name: str | None = None) -> str:
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


def _growth_range(growth: pd.Series) -> list[float]:
    """An axis range that shows 0, the goal and every point, with room for the labels above them."""
    values = growth.astype("Float64").dropna().astype(float)
    low = min(0.0, float(values.min()) if len(values) else 0.0)
    high = max(GOAL_FLOAT, float(values.max()) if len(values) else GOAL_FLOAT)
    pad = (high - low) * 0.15
    return [low - pad / 3, high + pad]


def alliance_trend_figure(trend: pd.DataFrame, basis: str) -> go.Figure:
    """Reported totals as bars (top) and like-for-like Alliance growth against the goal line (bottom)."""
    if trend["total"].notna().sum() == 0:
        return empty_figure(f"No values on the {basis} basis yet.")
    figure = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.08,
        row_heights=[0.55, 0.45],
        # Short enough for a phone's width; the dashed line says "10% goal" itself.
        subplot_titles=("Total reported", "Alliance growth (balanced panel)"),
    )
    totals = trend[trend["total"].notna()]
    figure.add_bar(
        x=totals["year"],
        y=totals["total"].astype(float),
        name="Total reported",
        marker_color=OKABE_ITO["blue"],
        # Each bar says how many participants it covers: a fall can be a participant not reporting.
        text=[
            f"{int(n)} of {int(e)}"
            for n, e in zip(totals["reporting"], totals["expected_participants"], strict=True)
        ],
        textposition="outside",
        textfont={"size": 10},
        cliponaxis=False,
        customdata=np.stack(
            [
                [
                    of_text(int(n), int(e), "participant")
                    for n, e in zip(totals["reporting"], totals["expected_participants"], strict=True)
                ],
                [count_text(v) for v in totals["total"]],
            ],
            axis=-1,
        ),
        hovertemplate="<b>%{x}</b><br>%{customdata[1]} reported by %{customdata[0]}<extra></extra>",
        row=1,
        col=1,
    )
    judged = trend[trend["growth"].notna()]
    symbols = ["circle" if s == "met" else "x" for s in judged["status"]]
    # A growth over fewer than half of the expected participants shows ⚠, never a bare ✓.
    thin = [
        2 * int(p) < int(e) for p, e in zip(judged["panel"], judged["expected_participants"], strict=True)
    ]
    labels = [
        f"{THIN_MARK if t else STATUS_SYMBOLS.get(str(s), '')} {growth_text(g, s)}"
        for g, s, t in zip(judged["growth"], judged["status"], thin, strict=True)
    ]
    figure.add_scatter(
        x=judged["year"],
        y=judged["growth"].astype(float),
        name="Alliance growth",
        mode="lines+markers+text",
        line={"color": OKABE_ITO["black"]},
        marker={
            "symbol": symbols,
            "size": 10,
            "color": [STATUS_COLOURS[str(s)] for s in judged["status"]],
            "line": {"width": 1, "color": "#000"},
        },
        text=labels,
        textposition="top center",
        textfont={"size": 11},
        customdata=np.stack(
            [
                [
                    coverage_text(int(n), int(e)) if pd.notna(n) else ""
                    for n, e in zip(judged["panel"], judged["expected_participants"], strict=True)
                ],
                [count_text(v) for v in judged["panel_previous_value"]],
                [count_text(v) for v in judged["panel_value"]],
            ],
            axis=-1,
        ),
        hovertemplate="<b>%{x}</b>: %{text}<br>%{customdata[1]} → %{customdata[2]} "
        "over %{customdata[0]}<extra></extra>",
        row=2,
        col=1,
    )
    add_goal_line(figure, "y", OKABE_ITO["vermillion"], "bottom right", row=2, col=1)
    figure.update_yaxes(tickformat=",", row=1, col=1)
    figure.update_yaxes(tickformat=".0%", zeroline=True, range=_growth_range(judged["growth"]), row=2, col=1)
    year_axis(figure, _span(trend["year"]), row=2, col=1)
    return layout_defaults(figure, 560, showlegend=False)


# Views of the same world geometry (assets/topojson/world_50m.json): no other map file is needed.
# Europe is drawn equal-area around its centre, wide enough (Iceland to the Caspian) and tall enough
# to fill the page's width; in Mercator it came out as a narrow column in the middle of the page.
def status_grid_figure(grid: pd.DataFrame, revised: Mapping[tuple[str, int], str] | None = None) -> go.Figure:
    """Participant × year statuses: a cell per year with its symbol, coloured by status; `revised`:
    (participant, year) → cycle of the values changed after that cycle's close, marked † in the cell."""
    revised = revised or {}
    if grid.empty:
        return empty_figure("No participant and year match the chosen filters.")
    names = list(dict.fromkeys(grid["name"]))
    years = sorted(int(y) for y in grid["year"].unique())
    # Each row's cell, by position: filled straight into arrays (a label lookup per cell cost most
    # of a first view of the compliance page).
    name_at = {name: index for index, name in enumerate(names)}
    year_at = {year: index for index, year in enumerate(years)}
    figure = go.Figure()
    for status in STATUSES:
        part = grid[grid["status"] == status]
        if part.empty:
            continue
        z = np.full((len(names), len(years)), np.nan)
        text = np.full((len(names), len(years)), "", dtype=object)
        hover = np.full((len(names), len(years)), "", dtype=object)
        for _, row in part.iterrows():
            cell = name_at[row["name"]], year_at[int(row["year"])]
            z[cell] = 1
            text[cell] = STATUS_SYMBOLS[status]
            hover[cell] = hover_row(row, row["name"])
            cycle = revised.get((str(row["participant"]), int(row["year"])))
            if cycle is not None:
                text[cell] += REVISED_MARK
                hover[cell] += f"<br>{_escape(revised_cell_text(cycle))}"
        figure.add_heatmap(
            z=z,
            x=[str(y) for y in years],
            y=names,
            text=text,
            texttemplate="%{text}",
            textfont={"color": "#000", "size": 12},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            colorscale=[[0, STATUS_COLOURS[status]], [1, STATUS_COLOURS[status]]],
            showscale=False,
            xgap=2,
            ygap=2,
            name=STATUS_LABELS[status],
            hoverongaps=False,
        )
    figure.update_yaxes(autorange="reversed", automargin=True, tickfont={"size": 12}, showgrid=False)
    # At least ten columns' room: a grid of one or a few years keeps narrow cells at the left
    # instead of stretching one column across the page.
    figure.update_xaxes(side="top", type="category", range=[-0.5, max(len(years), 10) - 0.5], showgrid=False)
    return layout_defaults(
        figure, 90 + 22 * len(names), showlegend=False, margin={"l": 10, "r": 10, "t": 40, "b": 10}
    )


def participant_series_figure(history: pd.DataFrame, basis: str) -> go.Figure:
    """A participant's counts as bars (coloured and marked by status) with its 10% path from the baseline."""
    reported = history[history["value"].notna()]
    if reported.empty:
        return empty_figure(f"No values on the {basis} basis.")
    figure = go.Figure()
    figure.add_bar(
        x=reported["year"],
        y=reported["value"].astype(float),
        name="Reported count",
        showlegend=False,
        marker_color=[STATUS_COLOURS[str(s)] for s in reported["status"]],
        marker_line={"color": "#333", "width": 0.5},
        text=[
            f"{STATUS_SYMBOLS[str(s)]} {count_text(v)}"
            for v, s in zip(reported["value"], reported["status"], strict=True)
        ],
        textposition="outside",
        cliponaxis=False,
        hovertext=[hover_row(row) for _, row in reported.iterrows()],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    path = history[history["path_value"].notna()]
    if len(path):
        figure.add_scatter(
            x=path["year"],
            y=path["path_value"].astype(float),
            mode="lines",
            name=f"{GOAL_TEXT} a year from {int(path['baseline_year'].iloc[0])}",
            line={"color": OKABE_ITO["black"], "dash": "dash"},
            hovertemplate=f"<b>%{{x}}</b><br>{GOAL_TEXT} path: %{{y:,}}<extra></extra>",
        )
    _mark_missing_years(figure, history, 0.0)
    year_axis(figure, _span(history["year"]))
    figure.update_yaxes(tickformat=",", rangemode="tozero")
    return layout_defaults(figure, 380, showlegend=True)


def _unreported_years(history: pd.DataFrame) -> list[int]:
    """The years between the first and the last reported value that have none (missing or absent)."""
    reported = history.loc[history["value"].notna(), "year"].astype(int)
    if reported.empty:
        return []
    return sorted(set(range(int(reported.min()), int(reported.max()) + 1)) - set(reported))


def _mark_missing_years(figure: go.Figure, history: pd.DataFrame, y: float) -> None:
    """A grey "– missing" at each year inside the reported range that has no value."""
    gaps = pd.DataFrame({"year": _unreported_years(history)})
    if gaps.empty:
        return
    figure.add_scatter(
        x=gaps["year"],
        y=[y] * len(gaps),
        mode="markers+text",
        name=STATUS_LABELS["missing"],
        showlegend=False,
        marker={"symbol": "line-ew-open", "size": 14, "color": "#6c757d", "line": {"width": 2}},
        text=[STATUS_LABELS["missing"]] * len(gaps),
        textposition="top center",
        textfont={"size": 11, "color": "#495057"},
        hovertemplate=f"<b>%{{x}}</b><br>{STATUS_LABELS['missing']}: no value reported<extra></extra>",
        cliponaxis=False,
    )


def participant_growth_figure(history: pd.DataFrame) -> go.Figure:
    """A participant's yearly growth against the goal line; markers ✓ (met) and ✗ (not met)."""
    judged = history[history["growth"].notna()]
    if judged.empty:
        return empty_figure("No two years to compare yet.")
    figure = go.Figure()
    # The line joins consecutive years only: it breaks where a year is missing (None, connectgaps off).
    growth = dict(zip(judged["year"].astype(int), judged["growth"].astype(float), strict=True))
    span = list(range(int(judged["year"].min()), int(judged["year"].max()) + 1))
    figure.add_scatter(
        x=span,
        y=[growth.get(year) for year in span],
        mode="lines",
        connectgaps=False,
        line={"color": OKABE_ITO["black"]},
        hoverinfo="skip",
        showlegend=False,
    )
    figure.add_scatter(
        x=judged["year"],
        y=judged["growth"].astype(float),
        mode="markers+text",
        name="Growth",
        line={"color": OKABE_ITO["black"]},
        marker={
            "symbol": ["circle" if s == "met" else "x" for s in judged["status"]],
            "size": 11,
            "color": [STATUS_COLOURS[str(s)] for s in judged["status"]],
            "line": {"width": 1, "color": "#000"},
        },
        text=[
            f"{STATUS_SYMBOLS[str(s)]} {growth_text(g, s)}"
            for g, s in zip(judged["growth"], judged["status"], strict=True)
        ],
        textposition="top center",
        textfont={"size": 11},
        hovertext=[hover_row(row) for _, row in judged.iterrows()],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    add_goal_line(figure, "y", OKABE_ITO["vermillion"], "bottom right")
    _mark_missing_years(figure, history, 0.0)
    year_axis(figure, _span(history["year"]))
    figure.update_yaxes(tickformat=".0%", zeroline=True, range=_growth_range(judged["growth"]))
    return layout_defaults(figure, 340, showlegend=False)


def reporting_cycles_figure(summary: pd.DataFrame) -> go.Figure:
    """Per cycle, the expected participants split into on time, late, incomplete and missing."""
    if summary.empty:
        return empty_figure("No reporting cycle is defined.")
    ordered = summary.iloc[::-1]
    figure = go.Figure()
    for status in REPORTING_STATUSES:
        counts = ordered[status].astype(int)
        figure.add_bar(
            y=ordered["cycle"],
            x=counts,
            orientation="h",
            name=REPORTING_LABELS[status],
            marker_color=REPORTING_COLOURS[status],
            marker_line={"color": "#333", "width": 0.5},
            # A label only where the segment is wide enough for it, even on a phone (the hover, the
            # summary and the table give every count): "– 1" no longer crammed into a sliver.
            text=[
                f"{REPORTING_LABELS[status].split(' ')[0]} {n}" if n and n >= 0.12 * e else ""
                for n, e in zip(counts, ordered["expected"].astype(int), strict=True)
            ],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "#000"},
            customdata=ordered["expected"],
            hovertemplate=f"<b>%{{y}}</b><br>{REPORTING_LABELS[status]}: %{{x}} of %{{customdata}}"
            "<extra></extra>",
        )
    figure.update_xaxes(title_text="Expected participants", dtick=5)
    figure.update_yaxes(automargin=True)
    return layout_defaults(
        figure,
        100 + 36 * len(ordered),
        barmode="stack",
        showlegend=False,
        uniformtext={"minsize": 10, "mode": "hide"},
    )
