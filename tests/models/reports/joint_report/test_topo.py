"""The world map geometry: TopoJSON arcs decoded into rings, cut at the antimeridian, projected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.reference import read_participant_register
from models.reports.joint_report.topo import (
    EQUAL_EARTH_HALF_WIDTH,
    Topology,
    equal_earth,
    ids,
    split_at_antimeridian,
    world,
)


def topology(tmp_path: Path, data: dict[str, object]) -> Topology:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return Topology(path)


def test_quantised_arcs_are_delta_decoded_and_a_negative_index_runs_an_arc_backwards(tmp_path: Path) -> None:
    t = topology(
        tmp_path,
        {
            "type": "Topology",
            "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
            # arc 0: (0,0) (2,0) (2,4); arc 1: (2,4) (0,4) (0,0)
            "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]]],
            "objects": {
                "countries": {
                    "type": "GeometryCollection",
                    "geometries": [
                        {"type": "Polygon", "id": "AAA", "arcs": [[0, 1]]},
                        {"type": "Polygon", "id": "BBB", "arcs": [[~1, ~0]]},
                        {"type": "Point", "id": "CCC", "coordinates": [0, 0]},
                    ],
                }
            },
        },
    )
    polygons = dict(t.polygons("countries"))
    assert polygons["AAA"] == [[[(10.0, 20.0), (11.0, 20.0), (11.0, 21.0), (10.0, 21.0), (10.0, 20.0)]]]
    assert polygons["BBB"] == [[[(10.0, 20.0), (10.0, 21.0), (11.0, 21.0), (11.0, 20.0), (10.0, 20.0)]]]
    assert "CCC" not in polygons  # not an area
    assert ids(t) == {"AAA", "BBB"}


def test_a_ring_across_the_antimeridian_is_cut_into_pieces_that_stay_on_one_side() -> None:
    ring = [(170.0, 10.0), (-170.0, 10.0), (-170.0, 20.0), (170.0, 20.0), (170.0, 10.0)]
    pieces = split_at_antimeridian(ring)
    assert len(pieces) == 2
    for piece in pieces:
        longitudes = {lon for lon, _ in piece}
        assert all(lon >= 170 for lon in longitudes) or all(lon <= -170 for lon in longitudes)
    assert split_at_antimeridian([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]) == [
        [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    ]


@pytest.mark.parametrize(
    ("lon", "lat", "x", "y"), [(0, 0, 0.0, 0.0), (180, 0, 2.7064, 0.0), (0, 90, 0.0, 1.3173)]
)
def test_equal_earth_puts_the_edges_of_the_world_where_the_projection_says(
    lon: float, lat: float, x: float, y: float
) -> None:
    px, py = equal_earth(lon, lat)
    assert px == pytest.approx(x, abs=1e-3)
    assert py == pytest.approx(y, abs=1e-3)
    assert equal_earth(-lon, -lat) == pytest.approx((-px, -py))
    assert pytest.approx(2.7064, abs=1e-3) == EQUAL_EARTH_HALF_WIDTH


def test_the_world_map_draws_nearly_every_participant() -> None:
    drawn = ids(world())
    missing = [r.code for r in read_participant_register() if r.code not in drawn]
    assert missing == ["MLT"]  # too small for the 110m map: the report names it under the map
