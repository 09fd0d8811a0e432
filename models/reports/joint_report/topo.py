"""Decode a TopoJSON topology into polygon rings (lon, lat) and project them (Equal Earth).

TopoJSON stores shared borders once as delta-encoded, quantised arcs; a polygon lists arc indices
(a negative index ~i means arc i reversed). That is all the decoder needs: no geo dependency.
Spec: https://github.com/topojson/topojson-specification
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from models.settings import PROJECT_ROOT

WORLD = PROJECT_ROOT / "assets" / "topojson" / "world_110m.json"

Ring = list[tuple[float, float]]


@lru_cache(maxsize=2)
def world(path: Path = WORLD) -> Topology:
    """The world map the report draws (the same geometry the pages use), decoded once per process."""
    return Topology(path)


class Topology:
    """The arcs of one TopoJSON file, decoded once, and its objects' geometries as rings."""

    def __init__(self, path: Path) -> None:
        self.topo = json.loads(path.read_text(encoding="utf-8"))
        self.arcs = [self._decode_arc(arc) for arc in self.topo["arcs"]]

    def _decode_arc(self, arc: list[list[int]]) -> Ring:
        transform = self.topo.get("transform")
        if transform is None:  # unquantised topology: absolute coordinates
            return [(float(p[0]), float(p[1])) for p in arc]
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        out: Ring = []
        for point in arc:  # quantised: each position is a delta from the previous one
            x += point[0]
            y += point[1]
            out.append((x * sx + tx, y * sy + ty))
        return out

    def _ring(self, indices: list[int]) -> Ring:
        ring: Ring = []
        for index in indices:
            arc = self.arcs[index] if index >= 0 else self.arcs[~index][::-1]
            # consecutive arcs share their joining point: drop the duplicate
            ring.extend(arc if not ring else arc[1:])
        return ring

    def polygons(self, object_name: str) -> Iterator[tuple[str | None, list[list[Ring]]]]:
        """(id, polygons) per geometry; a polygon is its outer ring followed by its holes.

        Rings crossing the antimeridian come back cut in pieces (see split_at_antimeridian);
        draw with the even-odd rule so that holes stay holes.
        """
        for geom in self.topo["objects"][object_name]["geometries"]:
            if geom["type"] == "Polygon":
                polys = [[self._ring(r) for r in geom["arcs"]]]
            elif geom["type"] == "MultiPolygon":
                polys = [[self._ring(r) for r in poly] for poly in geom["arcs"] if poly]
            else:
                continue
            yield (
                geom.get("id"),
                [[piece for ring in poly for piece in split_at_antimeridian(ring)] for poly in polys],
            )


def split_at_antimeridian(ring: Ring, step: float = 2.0) -> list[Ring]:
    """Cut a ring that crosses ±180° into rings that stay on one side each.

    The world topology keeps Russia and Fiji whole, so their rings jump from +180 to -180; drawn
    as they are, they streak across the map. Each piece is closed along the map's edge (points
    every `step` degrees of latitude, so the edge follows the projection's curve).
    """
    pieces: list[Ring] = [[ring[0]]]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(ring):
        if abs(lon1 - lon0) > 180:
            seam = 180.0 if lon0 > 0 else -180.0
            lon1_unwrapped = lon1 + 2 * seam
            t = (seam - lon0) / (lon1_unwrapped - lon0) if lon1_unwrapped != lon0 else 0.0
            lat = lat0 + t * (lat1 - lat0)
            pieces[-1].append((seam, lat))
            pieces.append([(-seam, lat)])
        pieces[-1].append((lon1, lat1))
    if len(pieces) == 1:
        return pieces
    pieces[0] = pieces.pop() + pieces[0][1:]  # the ring is closed: its last piece runs into its first
    closed = []
    for piece in pieces:
        (lon_end, lat_end), (_, lat_start) = piece[-1], piece[0]
        n = max(int(abs(lat_start - lat_end) / step), 1)
        edge = [(lon_end, lat_end + (lat_start - lat_end) * k / n) for k in range(1, n)]
        closed.append(piece + edge)
    return closed


# Equal Earth projection (Šavrič, Patterson & Jenny 2018): equal-area, pleasant for world maps.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """Projected (x, y) with y up; x in about [-2.71, 2.71], y in about [-1.32, 1.32]."""
    theta = math.asin(_M * math.sin(math.radians(lat)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(lon) * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


EQUAL_EARTH_HALF_WIDTH = equal_earth(180, 0)[0]
EQUAL_EARTH_HALF_HEIGHT = equal_earth(0, 90)[1]


def ids(topology: Topology, object_name: str = "countries") -> set[str]:
    """The ids (ISO 3166-1 alpha-3 codes here) of the object's drawable geometries."""
    return {
        str(geom["id"])
        for geom in topology.topo["objects"][object_name]["geometries"]
        if geom.get("id") and geom["type"] in ("Polygon", "MultiPolygon")
    }
