"""The web benchmark's figure floor (benchmarks/figure_floor.py) draws what the product draws: its hand-built
figure dicts equal the public callbacks' figures, so the first-view ratio compares the same work."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from benchmarks import figure_floor
from dashboard import _data
from dashboard.pages import compliance, country, overview, reporting
from dashboard.pages import map as map_page

CASES: list[tuple[str, dict[str, Any], Any, dict[str, int]]] = [
    (
        "compliance",
        {"compliance-basis": "annual", "compliance-from": 2014, "compliance-to": 2020},
        lambda: compliance.update_compliance_grid("annual", 2014, 2020, "", None, None),
        {"compliance-grid-graph": 1},
    ),
    (
        "map",
        {"map-year": 2016, "map-basis": "annual", "map-measure": "growth"},
        lambda: map_page.update_map(2016, "annual", "growth", "world"),
        {"map-choropleth-graph": 2, "map-ranking-graph": 6},
    ),
    (
        "map",
        {"map-year": 2024, "map-basis": "cumulative", "map-measure": "value"},
        lambda: map_page.update_map(2024, "cumulative", "value", "world"),
        {"map-choropleth-graph": 2, "map-ranking-graph": 6},
    ),
    (
        "overview",
        {"overview-basis": "cumulative"},
        lambda: overview.update_overview("cumulative"),
        {"overview-trend-graph": 4},
    ),
    (
        "country",
        {"country-code": "MLT", "country-basis": "annual"},
        lambda: country.update_country("annual", "MLT"),
        {"country-series-graph": 1, "country-growth-graph": 4},
    ),
    (
        "reporting",
        {"reporting-cycle": ""},
        lambda: reporting.update_reporting(""),
        {"reporting-cycles-graph": 0},
    ),
]


@pytest.mark.parametrize(("name", "values", "callback", "positions"), CASES)
def test_the_floor_builds_the_figures_the_callback_sends(
    demo_app: Flask, name: str, values: dict[str, Any], callback: Any, positions: dict[str, int]
) -> None:
    frames = figure_floor.read_frames(_data.snapshot(), _data.cache())
    built = figure_floor.figures_for(frames, name, values)
    outputs = callback()
    assert built.keys() == positions.keys()
    for graph, position in positions.items():
        assert built[graph] == outputs[position], graph
        assert built[graph]["data"], graph  # a chart with marks, not a blank one
