"""Figure builders on small frames: what is drawn, in which colours, with which symbols.

The builders return plain figure dicts (dashboard.components.plot); the figures are read as dicts here.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.io.json import to_json_plotly

from dashboard.components import country_figures, figures, map_figures
from models.metrics.compliance import compliance_table
from models.metrics.reporting import reporting_summary, reporting_table
from models.metrics.series import alliance_trend, participant_history, status_grid, year_table
from models.views.common import Chart

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
    geo = figure["layout"]["geo"]
    assert (geo["fitbounds"], geo["resolution"], geo["showcountries"]) == (False, 50, True)
    drawn = [code for trace in figure["data"] for code in trace["locations"]]
    assert sorted(drawn) == ["DEU", "FRA", "MLT"]
    assert all(trace["locationmode"] == "ISO-3" for trace in figure["data"])


def test_status_map_draws_one_colour_per_status_with_the_status_in_the_hover() -> None:
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, "status"), "status")
    by_name = {trace["name"]: trace for trace in figure["data"]}
    assert set(by_name) == {"✓ met", "✗ not met", "○ no baseline"}
    assert by_name["✓ met"]["locations"] == ["FRA"]
    assert by_name["✓ met"]["colorscale"][0][1] == "#009E73"
    assert "✗ not met" in by_name["✗ not met"]["text"][0]
    assert "90 &lt; 110 required" in by_name["✗ not met"]["text"][0]  # escaped: plotly reads <...> as markup


def test_europe_view_uses_the_same_geometry_and_fills_its_box() -> None:
    """The map has no height of its own (its box is 2:1, in CSS) and no margin, so land runs to the
    box's edges; the ranges reach past Iceland and the Caspian, so no clipped edge shows inside it."""
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, "status"), "status", "europe")
    geo = figure["layout"]["geo"]
    assert geo["lonaxis"]["range"] == [-47, 82]
    assert geo["projection"] == {"type": "azimuthal equal area", "rotation": {"lon": 15, "lat": 52}}
    assert geo["resolution"] == 50
    assert "height" not in figure["layout"]
    assert figure["layout"]["margin"] == {"l": 0, "r": 0, "t": 0, "b": 0}


@pytest.mark.parametrize(
    ("measure", "legend", "colour_bar"),
    [("status", True, None), ("growth", False, "Growth"), ("value", False, "Count")],
)
def test_the_map_carries_the_key_of_its_own_measure(
    measure: str, legend: bool, colour_bar: str | None
) -> None:
    figure = map_figures.choropleth_figure(year_table(SAMPLE, REGISTER, 2015, measure), measure)
    assert figure["layout"]["showlegend"] is legend
    assert all(bool(trace.get("showlegend")) is legend for trace in figure["data"])
    titles = [
        trace["colorbar"]["title"]["text"] for trace in figure["data"] if trace.get("showscale") is not False
    ]
    assert titles == ([colour_bar] if colour_bar else [])


def test_ranking_puts_the_best_on_top_and_marks_each_bar() -> None:
    figure = map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2015, "growth"), "growth")
    bars = figure["data"][0]
    assert bars["y"] == ["Germany", "France"]  # drawn bottom-up: France (20%) on top; Malta has no growth
    assert bars["x"] == [-0.1, 0.2]
    assert bars["text"] == ["✗ −10.0%", "✓ 20.0%"]
    assert bars["marker"]["color"] == ["#D55E00", "#009E73"]
    goal = figure["layout"]["shapes"][0]
    assert (goal["x0"], goal["x1"], goal["line"]["dash"]) == (0.10, 0.10, "dash")  # the 10% goal, upright


def test_ranking_by_count_shows_every_participant_with_a_value() -> None:
    figure = map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2015, "value"), "value")
    assert figure["data"][0]["text"] == ["○ 7", "✗ 90", "✓ 120"]


def test_status_grid_has_a_cell_with_a_symbol_per_participant_and_year() -> None:
    figure = figures.status_grid_figure(status_grid(SAMPLE, REGISTER))
    symbols = {trace["name"]: {s for row in trace["text"] for s in row if s} for trace in figure["data"]}
    assert symbols["✓ met"] == {"✓"}
    assert symbols["– missing"] == {"–"}  # Malta 2014
    assert figure["data"][0]["y"] == ["France", "Germany", "Malta", "Alliance (balanced panel)"]
    met = figure["data"][0]
    assert met["x"] == ["2014", "2015"]
    assert met["z"][0] == [None, 1.0]  # France 2015 met; 2014 is another status' cell (a gap here)
    assert met["customdata"][0][1].startswith("<b>France</b> · 2015")
    assert "120 ≥ 110 required" in met["customdata"][0][1]


def test_alliance_trend_has_totals_growth_and_the_goal_line() -> None:
    figure = figures.alliance_trend_figure(alliance_trend(SAMPLE), "annual")
    bars, growth = figure["data"]
    assert bars["y"] == [200, 217]
    assert growth["text"] == ["✗ 5.0%"]
    assert (growth["xaxis"], growth["yaxis"]) == ("x2", "y2")  # the lower panel
    assert [shape["y0"] for shape in figure["layout"]["shapes"]] == [pytest.approx(0.10)]
    assert figure["layout"]["xaxis"]["matches"] == "x2"  # one year axis for both panels


def test_participant_charts_show_the_path_and_the_growth() -> None:
    history = participant_history(SAMPLE, "FRA")
    series = country_figures.participant_series_figure(history, "annual")
    assert series["data"][0]["text"] == ["○ 100", "✓ 120"]
    assert series["data"][1]["y"] == [100, 110]  # the 10% path from 2014
    growth = country_figures.participant_growth_figure(history)
    assert growth["data"][1]["text"] == ["✓ 20.0%"]


def test_a_missing_year_breaks_the_growth_line_and_is_marked() -> None:
    history = participant_history(
        table(("PRT", 2019, 100), ("PRT", 2020, 110), ("PRT", 2022, 130), ("PRT", 2023, 150)), "PRT"
    )
    growth = country_figures.participant_growth_figure(history)
    line, _points, missing = growth["data"]
    assert line["x"] == [2020, 2021, 2022, 2023]
    assert line["y"][1] is None  # no straight line across 2021
    assert line["connectgaps"] is False
    assert (missing["x"], missing["text"]) == ([2021], ["– missing"])
    series = country_figures.participant_series_figure(history, "annual")
    assert series["data"][-1]["x"] == [2021]


def test_a_one_year_status_grid_keeps_its_cell_narrow() -> None:
    grid = figures.status_grid_figure(status_grid(SAMPLE, REGISTER, 2015, 2015))
    assert grid["layout"]["xaxis"]["range"] == [-0.5, 9.5]  # room for ten columns: one stays a tenth wide


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
    assert [trace["name"] for trace in figure["data"]] == ["✓ on time", "◷ late", "◐ incomplete", "– missing"]
    assert [trace["x"] for trace in figure["data"]] == [[1], [0], [0], [2]]
    assert figure["layout"]["barmode"] == "stack"


def test_empty_frames_give_a_chart_that_says_why() -> None:
    figure = map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2030, "growth"), "growth")
    assert figure["layout"]["annotations"][0]["text"] == "No participant has a value to rank."
    assert figure["layout"]["xaxis"] == {"visible": False}  # no empty axes
    empty_grid = figures.status_grid_figure(status_grid(SAMPLE, REGISTER, 2030, 2030))
    assert (
        empty_grid["layout"]["annotations"][0]["text"] == "No participant and year match the chosen filters."
    )


def _decoded(value: Any) -> Any:
    """JSON as plotly.py writes it, with its typed arrays ({"dtype", "bdata"}) read back as lists."""
    if isinstance(value, dict):
        if {"dtype", "bdata"} <= set(value):
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            if "shape" in value:
                array = array.reshape([int(n) for n in value["shape"].split(",")])
            return _decoded(array.tolist())
        return {key: _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return None if isinstance(value, float) and math.isnan(value) else value


HISTORY = participant_history(table(("PRT", 2019, 100), ("PRT", 2020, 110), ("PRT", 2022, 130)), "PRT")
BUILT = {
    "map status": lambda: map_figures.choropleth_figure(
        year_table(SAMPLE, REGISTER, 2015, "status"), "status"
    ),
    "map growth": lambda: map_figures.choropleth_figure(
        year_table(SAMPLE, REGISTER, 2015, "growth"), "growth"
    ),
    "map value, Europe": lambda: map_figures.choropleth_figure(
        year_table(SAMPLE, REGISTER, 2015, "value"), "value", "europe"
    ),
    "ranking growth": lambda: map_figures.ranking_figure(
        year_table(SAMPLE, REGISTER, 2015, "growth"), "growth"
    ),
    "ranking value": lambda: map_figures.ranking_figure(year_table(SAMPLE, REGISTER, 2015, "value"), "value"),
    "grid": lambda: figures.status_grid_figure(status_grid(SAMPLE, REGISTER)),
    "trend": lambda: figures.alliance_trend_figure(alliance_trend(SAMPLE), "annual"),
    "series": lambda: country_figures.participant_series_figure(HISTORY, "annual"),
    "growth": lambda: country_figures.participant_growth_figure(HISTORY),
    "empty": lambda: figures.empty_figure("Nothing here."),
    "described": lambda: figures.described(
        figures.status_grid_figure(status_grid(SAMPLE, REGISTER)),
        Chart("A title", "A <subtitle>", "Source: here; data version 3", True, "stem"),
    ),
}


@pytest.mark.parametrize("name", list(BUILT))
def test_a_figure_dict_is_what_plotly_would_send_for_it(name: str) -> None:
    """Each builder's dict passes plotly's own validation unchanged: plotly.py, given the same
    figure, would send plotly.js the same JSON (its template included), so skipping plotly's graph
    objects changes nothing on screen or in a PNG. Plain values only: no NaN, no numpy."""
    built = BUILT[name]()
    sent = json.dumps(built, allow_nan=False)  # TypeError for numpy values, ValueError for NaN
    validated = go.Figure(built)  # raises on any property plotly does not know or any bad value
    assert _decoded(json.loads(to_json_plotly(validated))) == json.loads(sent)
    assert built["layout"]["template"] == json.loads(to_json_plotly(pio.templates["plotly_white"]))


def test_described_puts_title_subtitle_demonstration_mark_and_source_into_the_image() -> None:
    figure = BUILT["described"]()
    notes = {note.get("name"): note for note in figure["layout"]["annotations"]}
    assert notes["chart-title"]["text"] == (
        "<b>A title</b><br>A &lt;subtitle&gt;<br><b>Demonstration data — not real figures</b>"
    )
    assert notes["chart-source"]["text"] == "Source: here; data version 3"
    meta = figure["layout"]["meta"]
    assert (meta["title"], meta["subtitle"], meta["demo"]) == ("A title", "A <subtitle>", True)
    assert meta["source"] == "Source: here; data version 3"
    # room for three lines above the grid and the source line below it
    assert figure["layout"]["margin"]["t"] == 40 + 18 * 3 + 6
    assert figure["layout"]["height"] == 90 + 22 * 4 + 18 * 3 + 6 + 44
