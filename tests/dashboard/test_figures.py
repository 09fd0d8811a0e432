"""Figure builders on small frames: what is drawn, in which colours, with which symbols."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from dashboard.components import figures, map_figures
from models.metrics.compliance import compliance_table
from models.metrics.reporting import reporting_summary, reporting_table
from models.metrics.series import alliance_trend, participant_history, status_grid, year_table

REGISTER = pd.DataFrame(
    {
        "code": ["FRA", "DEU", "MLT"],
        "name": ["France", "Germany", "Malta"],
        "joined_on": [dt.date(2012, 12, 5)] * 3,
    }
)


def table(*rows: tuple[str, int, int]) -> pd.DataFrame:
    values = pd.DataFrame(rows, columns=["participant", "year", "value"])
    return compliance_table(values, REGISTER, Decimal("0.10"), "annual")


SAMPLE = table(
    ("FRA", 2014, 100), ("FRA", 2015, 120),  # met
    ("DEU", 2014, 100), ("DEU", 2015, 90),  # not met
    ("MLT", 2015, 7),  # no baseline
)  # fmt: skip


def test_palette_is_okabe_ito_and_every_status_has_a_symbol() -> None:
    assert figures.STATUS_COLOURS["met"] == "#009E73"
    assert figures.STATUS_COLOURS["not_met"] == "#D55E00"
    assert figures.STATUS_SYMBOLS == {"met": "✓", "not_met": "✗", "no_baseline": "○", "missing": "–"}


@pytest.mark.parametrize("measure", ["status", "growth", "value"])
def test_map_uses_the_bundled_world_geometry_without_zooming_to_the_data(measure: str) -> None:
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, measure), measure)
    geo = figure.layout.geo
    assert (geo.fitbounds, geo.resolution, geo.showcountries) == (False, 50, True)
    drawn = [code for trace in figure.data for code in trace.locations]
    assert sorted(drawn) == ["DEU", "FRA", "MLT"]
    assert all(trace.locationmode == "ISO-3" for trace in figure.data)


def test_status_map_draws_one_colour_per_status_with_the_status_in_the_hover() -> None:
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, "status"), "status")
    by_name = {trace.name: trace for trace in figure.data}
    assert set(by_name) == {"✓ met", "✗ not met", "○ no baseline"}
    assert list(by_name["✓ met"].locations) == ["FRA"]
    assert by_name["✓ met"].colorscale[0][1] == "#009E73"
    assert "✗ not met" in by_name["✗ not met"].text[0]
    assert (
        "90 &lt; 110 required" in by_name["✗ not met"].text[0]
        or "90 < 110 required" in by_name["✗ not met"].text[0]
    )


def test_europe_view_uses_the_same_geometry_and_is_drawn_wide_and_tall() -> None:
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, "status"), "status", "europe")
    assert list(figure.layout.geo.lonaxis.range) == [-25, 62]  # Iceland to the Caspian
    assert figure.layout.geo.projection.type == "azimuthal equal area"
    assert figure.layout.geo.resolution == 50
    assert figure.layout.height > map_figures.choropleth_figure(SAMPLE.head(0), "status").layout.height


@pytest.mark.parametrize(
    ("measure", "legend", "colour_bar"),
    [("status", True, None), ("growth", False, "Growth"), ("value", False, "Count")],
)
def test_the_map_carries_the_key_of_its_own_measure(
    measure: str, legend: bool, colour_bar: str | None
) -> None:
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, measure), measure)
    assert figure.layout.showlegend is legend
    assert all(bool(trace.showlegend) is legend for trace in figure.data)
    titles = [trace.colorbar.title.text for trace in figure.data if trace.showscale is not False]
    assert titles == ([colour_bar] if colour_bar else [])


def test_ranking_puts_the_best_on_top_and_marks_each_bar() -> None:
    figure = map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2015, "growth"), "growth")
    bars = figure.data[0]
    assert list(bars.y) == ["Germany", "France"]  # drawn bottom-up: France (20%) on top; Malta has no growth
    assert list(bars.text) == ["✗ −10.0%", "✓ 20.0%"]
    assert list(bars.marker.color) == ["#D55E00", "#009E73"]


def test_ranking_by_count_shows_every_participant_with_a_value() -> None:
    figure = map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2015, "value"), "value")
    assert list(figure.data[0].text) == ["○ 7", "✗ 90", "✓ 120"]


def test_status_grid_has_a_cell_with_a_symbol_per_participant_and_year() -> None:
    figure = figures.status_grid_figure(status_grid(SAMPLE, REGISTER))
    symbols = {trace.name: {s for row in trace.text for s in row if s} for trace in figure.data}
    assert symbols["✓ met"] == {"✓"}
    assert symbols["– missing"] == {"–"}  # Malta 2014
    assert list(figure.data[0].y) == ["France", "Germany", "Malta", "Alliance (balanced panel)"]


def test_alliance_trend_has_totals_growth_and_the_goal_line() -> None:
    figure = figures.alliance_trend_figure(alliance_trend(SAMPLE), "annual")
    bars, growth = figure.data
    assert list(bars.y) == [200, 217]
    assert list(growth.text) == ["✗ 5.0%"]
    assert any(shape.y0 == pytest.approx(0.10) for shape in figure.layout.shapes)


def test_participant_charts_show_the_path_and_the_growth() -> None:
    history = participant_history(SAMPLE, "FRA")
    series = figures.participant_series_figure(history, "annual")
    assert list(series.data[0].text) == ["○ 100", "✓ 120"]
    assert list(series.data[1].y) == [100, 110]  # the 10% path from 2014
    growth = figures.participant_growth_figure(history)
    assert list(growth.data[0].text) == ["✓ 20.0%"]


def test_reporting_chart_stacks_the_four_statuses() -> None:
    cycles = pd.DataFrame(
        {"name": ["Report 2016"], "kind": ["biennial_report"], "deadline": [dt.date(2016, 7, 1)]}
        | {"first_year": [2014], "last_year": [2015]}
    )
    reported = pd.DataFrame(
        {"participant": ["FRA", "FRA"], "year": [2014, 2015], "first_submitted_on": [dt.date(2016, 6, 1)] * 2}
    )
    summary = reporting_summary(cycles, reporting_table(cycles, REGISTER, reported))
    figure = figures.reporting_cycles_figure(summary)
    assert [trace.name for trace in figure.data] == ["✓ on time", "◷ late", "◐ incomplete", "– missing"]
    assert [list(trace.x) for trace in figure.data] == [[1], [0], [0], [2]]


def test_empty_frames_give_a_chart_that_says_why() -> None:
    figure = map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2030, "growth"), "growth")
    assert figure.layout.annotations[0].text == "No participant has a value to rank."
    assert figures.status_grid_figure(status_grid(SAMPLE, REGISTER, 2030, 2030)).layout.annotations
