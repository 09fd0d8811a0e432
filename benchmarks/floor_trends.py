"""The figure floor's Alliance trend, participant charts and reporting cycles, built by hand."""

from __future__ import annotations

from typing import Any

from benchmarks.floor_look import Frames, goal_line, growth_range, hover_text, look, records
from dashboard.components.figures import (
    OKABE_ITO,
    REPORTING_COLOURS,
    STATUS_COLOURS,
    STATUS_SYMBOLS,
)
from models.metrics.compliance import ALL
from models.metrics.reporting import REPORTING_STATUSES
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.cycles import reporting_cycles_chart_title
from models.reports.summaries.overview import alliance_trend_chart_title, coverage_text
from models.reports.summaries.participants import country_growth_title, country_series_title
from models.reports.summaries.words import (
    GOAL_TEXT,
    REPORTING_LABELS,
    STATUS_LABELS,
    THIN_MARK,
    count_text,
    growth_text,
    of_text,
    years_text,
)


def overview_figure(frames: Frames, basis: str) -> dict[str, Any]:
    table = frames["compliance"][basis]
    people = table[table["participant"] != ALL]
    expected = people.groupby("year").size()
    reported = people[people["value"].notna()].groupby("year")["value"].agg(["sum", "size"])
    alliance = {r["year"]: r for r in records(table[table["participant"] == ALL])}
    years = sorted({int(y) for y in reported.index} | set(alliance))
    totals = [y for y in years if y in reported.index]
    bars = {
        "cliponaxis": False,
        "customdata": [
            [
                of_text(int(reported.loc[y, "size"]), int(expected[y]), "participant"),
                count_text(int(reported.loc[y, "sum"])),
            ]
            for y in totals
        ],
        "hovertemplate": "<b>%{x}</b><br>%{customdata[1]} reported by %{customdata[0]}<extra></extra>",
        "marker": {"color": OKABE_ITO["blue"]},
        "name": "Total reported",
        "text": [f"{int(reported.loc[y, 'size'])} of {int(expected[y])}" for y in totals],
        "textfont": {"size": 10},
        "textposition": "outside",
        "x": totals,
        "y": [float(reported.loc[y, "sum"]) for y in totals],
        "type": "bar",
        "xaxis": "x",
        "yaxis": "y",
    }
    judged = [alliance[y] for y in years if y in alliance and alliance[y]["growth"] is not None]
    thin = [2 * int(a["participants"]) < int(expected[a["year"]]) for a in judged]
    labels = [
        f"{THIN_MARK if t else STATUS_SYMBOLS[a['status']]} {growth_text(a['growth'], a['status'])}"
        for a, t in zip(judged, thin, strict=True)
    ]
    growth = {
        "customdata": [
            [
                coverage_text(int(a["participants"]), int(expected[a["year"]])),
                count_text(a["previous_value"]),
                count_text(a["value"]),
            ]
            for a in judged
        ],
        "hovertemplate": "<b>%{x}</b>: %{text}<br>%{customdata[1]} → %{customdata[2]} "
        "over %{customdata[0]}<extra></extra>",
        "line": {"color": OKABE_ITO["black"]},
        "marker": {
            "color": [STATUS_COLOURS[a["status"]] for a in judged],
            "line": {"color": "#000", "width": 1},
            "size": 10,
            "symbol": ["circle" if a["status"] == "met" else "x" for a in judged],
        },
        "mode": "lines+markers+text",
        "name": "Alliance growth",
        "text": labels,
        "textfont": {"size": 11},
        "textposition": "top center",
        "x": [a["year"] for a in judged],
        "y": [float(a["growth"]) for a in judged],
        "type": "scatter",
        "xaxis": "x2",
        "yaxis": "y2",
    }
    line, note = goal_line("y", "2", OKABE_ITO["vermillion"])

    def title(text: str, y: float) -> dict[str, Any]:
        return {
            "font": {"size": 16},
            "showarrow": False,
            "text": text,
            "x": 0.5,
            "xanchor": "center",
            "xref": "paper",
            "y": y,
            "yanchor": "bottom",
            "yref": "paper",
        }

    low = (1.0 - 0.08) * (0.45 / 1.0)
    layout = {
        "xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2", "showticklabels": False},
        "yaxis": {"anchor": "x", "domain": [low + 0.08, 1.0], "tickformat": ","},
        "xaxis2": {
            "anchor": "y2",
            "domain": [0.0, 1.0],
            "tickformat": "d",
            "tickangle": 0,
            **({"dtick": 1} if years[-1] - years[0] + 1 <= 8 else {}),
        },
        "yaxis2": {
            "anchor": "x2",
            "domain": [0.0, low],
            "tickformat": ".0%",
            "zeroline": True,
            "range": growth_range([float(a["growth"]) for a in judged]),
        },
        "annotations": [title("Total reported", 1.0), title("Alliance growth (balanced panel)", low), note],
        "shapes": [line],
    }
    subtitle = chart_subtitle(basis, years_text(int(years[0]), int(years[-1])))
    return {
        "data": [bars, growth],
        "layout": look(
            layout,
            560,
            {"l": 10, "r": 10, "t": 30, "b": 10},
            frames,
            alliance_trend_chart_title(),
            subtitle,
            showlegend=False,
        ),
    }


def country_figures(frames: Frames, code: str, basis: str) -> tuple[dict[str, Any], dict[str, Any]]:
    table = frames["compliance"][basis]
    rows = records(table[table["participant"] == code].sort_values("year"))
    name = frames["names"][code]
    span = int(rows[-1]["year"]) - int(rows[0]["year"]) + 1
    xaxis = {"tickformat": "d", "tickangle": 0, **({"dtick": 1} if span <= 8 else {})}
    subtitle = chart_subtitle(basis, years_text(int(rows[0]["year"]), int(rows[-1]["year"])))
    shown = [r for r in rows if r["value"] is not None]
    years = [int(r["year"]) for r in shown]
    gaps = sorted(set(range(min(years), max(years) + 1)) - set(years))
    missing = (
        [
            {
                "cliponaxis": False,
                "hovertemplate": f"<b>%{{x}}</b><br>{STATUS_LABELS['missing']}: no value reported"
                "<extra></extra>",
                "marker": {"color": "#6c757d", "line": {"width": 2}, "size": 14, "symbol": "line-ew-open"},
                "mode": "markers+text",
                "name": STATUS_LABELS["missing"],
                "showlegend": False,
                "text": [STATUS_LABELS["missing"]] * len(gaps),
                "textfont": {"color": "#495057", "size": 11},
                "textposition": "top center",
                "x": gaps,
                "y": [0.0] * len(gaps),
                "type": "scatter",
            }
        ]
        if gaps
        else []
    )
    bars = {
        "cliponaxis": False,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [hover_text(r) for r in shown],
        "marker": {
            "color": [STATUS_COLOURS[r["status"]] for r in shown],
            "line": {"color": "#333", "width": 0.5},
        },
        "name": "Reported count",
        "showlegend": False,
        "text": [f"{STATUS_SYMBOLS[r['status']]} {count_text(r['value'])}" for r in shown],
        "textposition": "outside",
        "x": years,
        "y": [float(r["value"]) for r in shown],
        "type": "bar",
    }
    path = [r for r in rows if r["path_value"] is not None]
    paths = (
        [
            {
                "hovertemplate": f"<b>%{{x}}</b><br>{GOAL_TEXT} path: %{{y:,}}<extra></extra>",
                "line": {"color": OKABE_ITO["black"], "dash": "dash"},
                "mode": "lines",
                "name": f"{GOAL_TEXT} a year from {int(path[0]['baseline_year'])}",
                "x": [r["year"] for r in path],
                "y": [float(r["path_value"]) for r in path],
                "type": "scatter",
            }
        ]
        if path
        else []
    )
    series = {
        "data": [bars, *paths, *missing],
        "layout": look(
            {"xaxis": xaxis, "yaxis": {"tickformat": ",", "rangemode": "tozero"}},
            380,
            {"l": 10, "r": 10, "t": 30, "b": 10},
            frames,
            country_series_title(name),
            subtitle,
            showlegend=True,
        ),
    }
    judged = [r for r in rows if r["growth"] is not None]
    by_year = {int(r["year"]): float(r["growth"]) for r in judged}
    every = list(range(min(by_year), max(by_year) + 1))
    line = {
        "connectgaps": False,
        "hoverinfo": "skip",
        "line": {"color": OKABE_ITO["black"]},
        "mode": "lines",
        "showlegend": False,
        "x": every,
        "y": [by_year.get(y) for y in every],
        "type": "scatter",
    }
    points = {
        "hovertemplate": "%{hovertext}<extra></extra>",
        "hovertext": [hover_text(r) for r in judged],
        "line": {"color": OKABE_ITO["black"]},
        "marker": {
            "color": [STATUS_COLOURS[r["status"]] for r in judged],
            "line": {"color": "#000", "width": 1},
            "size": 11,
            "symbol": ["circle" if r["status"] == "met" else "x" for r in judged],
        },
        "mode": "markers+text",
        "name": "Growth",
        "text": [f"{STATUS_SYMBOLS[r['status']]} {growth_text(r['growth'], r['status'])}" for r in judged],
        "textfont": {"size": 11},
        "textposition": "top center",
        "x": [r["year"] for r in judged],
        "y": [float(r["growth"]) for r in judged],
        "type": "scatter",
    }
    goal, note = goal_line("y", "", OKABE_ITO["vermillion"])
    layout = {
        "shapes": [goal],
        "annotations": [note],
        "xaxis": xaxis,
        "yaxis": {"tickformat": ".0%", "zeroline": True, "range": growth_range(list(by_year.values()))},
    }
    growth = {
        "data": [line, points, *missing],
        "layout": look(
            layout,
            340,
            {"l": 10, "r": 10, "t": 30, "b": 10},
            frames,
            country_growth_title(name),
            subtitle,
            showlegend=False,
        ),
    }
    return series, growth


def reporting_figure(frames: Frames) -> dict[str, Any]:
    summary = records(frames["summary"])[::-1]
    data = [
        {
            "customdata": [int(r["expected"]) for r in summary],
            "hovertemplate": f"<b>%{{y}}</b><br>{REPORTING_LABELS[s]}: %{{x}} of %{{customdata}}"
            "<extra></extra>",
            "insidetextanchor": "middle",
            "marker": {"color": REPORTING_COLOURS[s], "line": {"color": "#333", "width": 0.5}},
            "name": REPORTING_LABELS[s],
            "orientation": "h",
            "text": [
                f"{REPORTING_LABELS[s].split(' ')[0]} {r[s]}" if r[s] and r[s] >= 0.12 * r["expected"] else ""
                for r in summary
            ],
            "textfont": {"color": "#000"},
            "textposition": "inside",
            "x": [int(r[s]) for r in summary],
            "y": [r["cycle"] for r in summary],
            "type": "bar",
        }
        for s in REPORTING_STATUSES
    ]
    span = years_text(min(int(r["first_year"]) for r in summary), max(int(r["last_year"]) for r in summary))
    layout = {
        "xaxis": {"title": {"text": "Expected participants"}, "dtick": 5},
        "yaxis": {"automargin": True},
    }
    return {
        "data": data,
        "layout": look(
            layout,
            100 + 36 * len(summary),
            {"l": 10, "r": 10, "t": 30, "b": 10},
            frames,
            reporting_cycles_chart_title(),
            chart_subtitle("annual", span),
            barmode="stack",
            showlegend=False,
            uniformtext={"minsize": 10, "mode": "hide"},
        ),
    }
