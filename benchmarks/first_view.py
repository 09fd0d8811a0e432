"""First views of the public callbacks against the figure floor, side by side in this process.

The product: the app (its Flask server through a WSGI test client: session cookie, CSRF header, the
access guard, the request's snapshot, Dash's dispatch, the callback, the JSON), with a cache that
keeps every frame it computes (each basis' compliance table, the register, the reporting summary)
but never an answer: no callback's outputs and no response are ever found, so every request is a
first view. The floor: benchmarks.figure_floor, a bare Flask app building the same figures by hand
from the same cached frames. Each view is asked of both in turn, and the figures of both answers
must be equal (checked once per view, untimed). Times are CPU time of this process
(`time.process_time`), which other work on the machine does not inflate, and wall time.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachelib import SimpleCache

from models.cache import DataCache

ROUNDS = 3  # each view asked this many times of each side
VIEWS = 8  # views per callback


class FirstViews(DataCache):
    """The app's cache, except that no callback output and no response is ever kept or found."""

    ANSWERS = ("outputs", "response")

    def get(self, key: str) -> Any | None:
        return None if key.split(":", 1)[0] in self.ANSWERS else super().get(key)

    def set(self, key: str, value: object, timeout: int = 0) -> None:
        if key.split(":", 1)[0] not in self.ANSWERS:
            super().set(key, value, timeout or 24 * 60 * 60)


@dataclass(frozen=True)
class FirstView:
    """Medians of one callback's first views and of the floor for the same views."""

    cpu: float
    wall: float
    floor_cpu: float
    floor_wall: float
    views: int
    response_bytes: int  # median size of the answers (plain JSON)
    floor_bytes: int

    @property
    def cpu_ratio(self) -> float:
        return self.cpu / self.floor_cpu

    @property
    def wall_ratio(self) -> float:
        return self.wall / self.floor_wall


def views() -> dict[str, list[dict[str, Any]]]:
    """The views each public callback is asked for: other years, bases, measures and participants."""
    compliance = [
        {"compliance-basis": basis, "compliance-from": start, "compliance-to": end}
        for basis in ("annual", "cumulative")
        for start, end in ((2012, 2025), (2014, 2020), (2016, 2024), (2013, 2017))
    ]
    map_views = [
        {"map-year": year, "map-basis": basis, "map-measure": measure}
        for (year, basis, measure) in (
            (2020, "cumulative", "status"), (2016, "annual", "growth"), (2024, "cumulative", "value"),
            (2014, "annual", "status"), (2022, "annual", "value"), (2018, "cumulative", "growth"),
            (2025, "annual", "status"), (2013, "cumulative", "growth"),
        )
    ]  # fmt: skip
    countries = ("DEU", "FRA", "MLT", "USA", "KHM", "PRT", "JPN", "GHA")
    return {
        "compliance": compliance,
        "map": map_views,
        "overview": [{"overview-basis": basis} for basis in ("annual", "cumulative")] * 4,
        "country": [
            {"country-code": code, "country-basis": ("annual", "cumulative")[i % 2]}
            for i, code in enumerate(countries)
        ],
        "reporting": [{"reporting-cycle": ""}] * VIEWS,
    }


def _timed(send: Callable[..., bytes], *arguments: Any) -> tuple[float, float, bytes]:
    cpu, wall = time.process_time(), time.perf_counter()
    body = send(*arguments)
    return time.process_time() - cpu, time.perf_counter() - wall, body


def measure(
    url: str,
    bodies: Callable[[str, dict[str, Any]], bytes],
    specs: dict[str, dict[str, Any]],
    check: bool = True,
) -> dict[str, FirstView]:
    """Each public callback's first views on the database at `url` against the floor's, by name.

    `bodies(name, values)`: the request the browser sends for that callback; `specs`: the callbacks'
    first-visit control values (web.PUBLIC_CALLBACKS); `check` False: no comparison of the figures
    (for a product whose figures are not plain dicts, such as an older commit)."""
    from app import server
    from benchmarks import figure_floor
    from dashboard import _data

    previous = server.config["VID_DATABASE_URL"], server.extensions.get("vid_cache"), server.secret_key
    server.config["VID_DATABASE_URL"] = url
    server.extensions["vid_cache"] = FirstViews(SimpleCache(threshold=4096, default_timeout=24 * 60 * 60))
    server.secret_key = "bench-only-key"  # noqa: S105 -- a throwaway key for this measurement
    try:
        product = server.test_client()
        product.get("/")
        token = product.get_cookie("_csrf_token")
        headers = {"X-CSRFToken": token.value if token else "", "Content-Type": "application/json"}
        with server.test_request_context("/"):
            frames = figure_floor.read_frames(_data.snapshot(), _data.cache())
        floor = figure_floor.floor_app(frames).test_client()

        def ask_product(body: bytes) -> bytes:
            response = product.post("/_dash-update-component", data=body, headers=headers)
            assert response.status_code == 200, f"{response.status_code}: {response.data[:200]!r}"
            return response.data

        def ask_floor(name: str, values: dict[str, Any]) -> bytes:
            response = floor.post(f"/{name}", json=values)
            assert response.status_code == 200, f"floor {name}: {response.status_code}"
            return response.data

        results = {}
        for name, asked in views().items():
            chosen = [{**specs[name]["values"], **values} for values in asked[:VIEWS]]
            ask_product(bodies(name, chosen[0]))  # this callback's frames are in the cache from here on
            ask_floor(name, chosen[0])
            times: dict[str, list[float]] = {"cpu": [], "wall": [], "floor_cpu": [], "floor_wall": []}
            sizes: list[tuple[int, int]] = []
            for round_ in range(ROUNDS):
                for values in chosen:
                    body = bodies(name, values)
                    cpu, wall, answer = _timed(ask_product, body)
                    floor_cpu, floor_wall, built = _timed(ask_floor, name, values)
                    times["cpu"].append(cpu)
                    times["wall"].append(wall)
                    times["floor_cpu"].append(floor_cpu)
                    times["floor_wall"].append(floor_wall)
                    sizes.append((len(answer), len(built)))
                    if check and round_ == 0:
                        same_figures(name, values, json.loads(answer), json.loads(built))
            medians = {key: statistics.median(values) for key, values in times.items()}
            results[name] = FirstView(
                **medians,
                views=len(chosen),
                response_bytes=int(statistics.median(size for size, _ in sizes)),
                floor_bytes=int(statistics.median(size for _, size in sizes)),
            )
        return results
    finally:
        server.config["VID_DATABASE_URL"], cache, server.secret_key = previous
        if cache is None:
            server.extensions.pop("vid_cache", None)
        else:
            server.extensions["vid_cache"] = cache


def same_figures(name: str, values: dict[str, Any], answer: dict[str, Any], built: dict[str, Any]) -> None:
    """The floor drew what the product drew: every figure of the answer equal to the floor's."""
    shown = {graph: outputs["figure"] for graph, outputs in answer["response"].items() if "figure" in outputs}
    if shown.keys() != built.keys():
        raise AssertionError(f"{name} {values}: the floor built {sorted(built)}, the product {sorted(shown)}")
    for graph, figure in shown.items():
        if figure != built[graph]:
            raise AssertionError(
                f"{name} {values}: the floor's {graph} differs: {_difference(figure, built[graph])}"
            )


def _difference(a: Any, b: Any, path: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key} only in {'the product' if key in a else 'the floor'}"
            if a[key] != b[key]:
                return _difference(a[key], b[key], f"{path}.{key}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _difference(x, y, f"{path}[{index}]")
    return f"{path}: {str(a)[:200]} != {str(b)[:200]}"


def _prose(text: str) -> str:
    return " ".join(text.split())


INTRO = _prose(
    f"""
    Each public callback asked for views nobody asked for before, in this process (the app's Flask
    server through a WSGI test client: session cookie, CSRF header, the access guard, the request's
    snapshot, Dash's dispatch, the callback and its JSON), with a cache that keeps every frame it
    computes but never an answer, so every request is a first view (`benchmarks/first_view.py`). The
    floor is a bare Flask route (`benchmarks/figure_floor.py`) that takes the same cached frames (each
    basis' compliance table, the register, the reporting summary), selects the rows a chart draws,
    writes their hover texts with the same wording functions and builds the same figure dicts by hand,
    then `json.dumps` them; every figure of every answer is checked equal to the floor's. Each view is
    asked of both in turn ({VIEWS} views × {ROUNDS} rounds per callback); medians of CPU time
    (`time.process_time`, which other work on the machine inflates far less than wall time) and of wall
    time.
    """
)
LIMITS = _prose(
    """
    What limits the ratio: the figures themselves now cost what the floor's cost. They are plain dicts
    (`dashboard/components/plot.py`): no plotly graph object is built, validated or deep-copied, and the
    answer is encoded by the standard `json` encoder. Before that (commit 617ae37, measured the same way
    with this floor) plotly's validation and copies were most of every first view, and a first view cost
    8.3× (compliance), 19.7× (map), 9.7× (overview), 25× (participant) and 29× (reporting) the floor in
    CPU time. Since then (issue 13; profiled with cProfile on `time.process_time` and pyinstrument; the
    commit before and after measured alternately, three runs each, in one session of this harness):
    the metrics' frames are kept decoded in each worker, keyed by their data state
    (`models.cache.DataCache.get_or_decode`), so a request no longer unpickles the register, the
    compliance table or the reporting tables again (about 15% of a reporting first view); and the
    reporting, participant and map views read the columns' arrays and plain values instead of filtered
    frames, pandas rows and sorts (the cycle table, the participant's history and requirement, the
    year table's ranking, the summaries in words, the revision marks). Median CPU ratios went from 7.0 to
    4.4 (reporting), 6.6 to 4.9 (participant), 4.0 to 2.9 (map), 2.5 to 2.3 (overview) and 1.8 to 1.7
    (compliance). What still keeps reporting and the participant above 3: the request's fixed costs,
    which the floor has none of (session, CSRF and access checks, one query for the data version, Dash's
    dispatch and its JSON: about 2 ms of CPU, more than the floor's whole reporting answer of 1.5 ms),
    the tables' rows (each a record with its texts: `json_records`), the names joined to each frame
    (`with_names`: a copy and an insert), the participant's figures' own pandas selections (50–200 µs
    each) and the list of years with data, computed twice per map or compliance view. Not done: the
    tables' rows and the remaining views (overview, compliance) on plain records end to end, and a
    lighter path through the request's checks for public callbacks.
    """
)


def markdown(results: dict[str, FirstView]) -> list[str]:
    """The section of docs/performance.md on first views against the figure floor."""
    if not results:
        return []
    lines = [
        "### A first view against the figure floor",
        "",
        INTRO,
        "",
        "| Callback | Answer | Floor's answer | First view CPU | Floor CPU | Ratio (CPU) | First view wall "
        "| Floor wall | Ratio (wall) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r.response_bytes / 1024:.0f} kB | {r.floor_bytes / 1024:.0f} kB | "
            f"{r.cpu * 1000:.1f} ms | {r.floor_cpu * 1000:.1f} ms | {r.cpu_ratio:.1f} | "
            f"{r.wall * 1000:.1f} ms | {r.floor_wall * 1000:.1f} ms | {r.wall_ratio:.1f} |"
        )
    return [*lines, "", LIMITS, ""]
