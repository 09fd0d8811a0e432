"""Web benchmark: the heaviest callbacks through the running app (gunicorn, 2 workers) against a bare
Flask route returning the same bytes, then 1, 10 and 50 concurrent users (load stays on 127.0.0.1),
then a first view of every public callback against the figure floor (benchmarks.first_view)."""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import first_view
from benchmarks.timing import ROOT
from models.bootstrap import init_db
from models.db import make_engine

SINGLE_REQUESTS = 30
USERS = (1, 10, 50)
REQUESTS_PER_USER = 8
MIN_REQUESTS = 24  # at least this many in each load level, so its p95 means something
THINK_SECONDS = (0.5, 1.5)  # a person reading the page before the next click
# A worker's first request imports the pages and opens the database: on a machine shared with much
# other work it can take longer than gunicorn's default 30 s, which would kill the worker mid-answer.
REQUEST_TIMEOUT = 180

# The callbacks measured, found in the app by one output each (so a change of the page's outputs or
# inputs cannot break the benchmark), and the values their controls hold on a first visit.
CALLBACKS: dict[str, dict[str, Any]] = {
    "compliance": {
        "anchor": "compliance-grid-graph.figure",
        "values": {"compliance-basis": "cumulative", "compliance-from": 2012, "compliance-to": 2025,
                   "compliance-cycle": "", "compliance-status": None, "compliance-participants": None},
    },
    "map": {
        "anchor": "map-choropleth-graph.figure",
        "values": {"map-year": 2020, "map-basis": "cumulative", "map-measure": "status",
                   "map-region": "world"},
    },
}  # fmt: skip
# Every public page's callback, for the first views against the figure floor (benchmarks.first_view).
PUBLIC_CALLBACKS: dict[str, dict[str, Any]] = {
    **CALLBACKS,
    "overview": {"anchor": "overview-trend-graph.figure", "values": {"overview-basis": "cumulative"}},
    "country": {"anchor": "country-series-graph.figure",
                "values": {"country-basis": "cumulative", "country-code": "DEU"}},
    "reporting": {"anchor": "reporting-cycles-graph.figure", "values": {"reporting-cycle": ""}},
}  # fmt: skip


def _registered(anchor: str) -> tuple[str, dict[str, Any]]:
    """The key and spec of the app's callback that has `anchor` among its outputs."""
    from dash._callback import GLOBAL_CALLBACK_MAP

    from app import app  # building the app registers every page's callbacks

    # Dash moves the registered callbacks into the app's map at its first request.
    for key, spec in {**GLOBAL_CALLBACK_MAP, **app.callback_map}.items():
        if anchor in key.strip(".").split("..."):
            return key, spec
    raise LookupError(f"no callback has the output {anchor}")


# Views nobody asked for since the data was loaded: other years, bases and measures than CALLBACKS'.
FIRST_VIEWS = 20
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "compliance": [
        {"compliance-basis": basis, "compliance-from": start, "compliance-to": end}
        for basis in ("annual", "cumulative") for start in range(2013, 2018) for end in range(2020, 2025)
    ],
    "map": [
        {"map-year": year, "map-basis": basis, "map-measure": measure}
        for measure in ("growth", "value") for basis in ("annual", "cumulative") for year in range(2013, 2026)
    ],
}  # fmt: skip


def callback_body(name: str, values: dict[str, Any] | None = None) -> bytes:
    """The request the browser sends for a callback, with some inputs' values replaced."""
    spec = PUBLIC_CALLBACKS[name]
    chosen = {**spec["values"], **(values or {})}
    key, registered = _registered(spec["anchor"])
    parts = [part.split("@", 1)[0].rsplit(".", 1) for part in key.strip(".").split("...")]
    wired = [*registered["inputs"], *registered.get("state", [])]

    def held(item: dict[str, Any]) -> dict[str, Any]:
        return {"id": item["id"], "property": item["property"], "value": chosen.get(item["id"])}

    body = {
        "output": key,
        "outputs": [{"id": component, "property": prop} for component, prop in parts],
        "inputs": [held(item) for item in registered["inputs"]],
        "state": [held(item) for item in registered.get("state", [])],
        "changedPropIds": [f"{wired[0]['id']}.{wired[0]['property']}"],
    }
    return json.dumps(body).encode()


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)
    errors: int = 0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


@dataclass(frozen=True)
class WebResult:
    callback: dict[str, tuple[float, float, int]]  # name -> (median seconds, floor median seconds, bytes)
    first_view: dict[str, float]  # name -> median seconds of a view not asked for since the last write
    load: dict[int, tuple[float, float, int, int]]  # users -> (p50, p95, requests, errors)
    saturated_rps: float
    # name -> a first view of that public callback against the figure floor, side by side in one process
    against_figures: dict[str, first_view.FirstView] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(target: str, env: dict[str, str]) -> Iterator[int]:
    """gunicorn with 2 sync workers on a free port of 127.0.0.1, stopped on exit."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level",
         "warning", "--timeout", str(REQUEST_TIMEOUT), target],
        cwd=ROOT, env={**os.environ, **env}, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn {target} did not start")
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


class Client:
    """One user: a session cookie and the CSRF token, as the browser has them after loading a page."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.headers = {"Content-Type": "application/json"}
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
        cookies = [h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie"]
        self.headers["Cookie"] = "; ".join(cookies)
        token = next((c.split("=", 1)[1] for c in cookies if c.startswith("_csrf_token=")), "")
        self.headers["X-CSRFToken"] = token
        connection.close()

    def post(self, path: str, body: bytes) -> tuple[int, int]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request("POST", path, body=body, headers=self.headers)
            response = connection.getresponse()
            return response.status, len(response.read())
        finally:
            connection.close()


def timed(client: Client, path: str, body: bytes, into: Latencies) -> int:
    started = time.perf_counter()
    try:
        status, size = client.post(path, body)
    except OSError:
        into.errors += 1
        return 0
    into.seconds.append(time.perf_counter() - started)
    if status != 200:
        into.errors += 1
    return size


def warm_up(port: int) -> None:
    """Requests from several clients at once, so that every gunicorn worker (each has its own cache)
    has computed every callback before anything is measured."""

    def send() -> None:
        client = Client(port)
        for _ in range(5):
            for name in CALLBACKS:
                client.post("/_dash-update-component", callback_body(name))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def single(client: Client, path: str, body: bytes) -> tuple[float, int]:
    results = Latencies()
    size = 0
    for _ in range(10):  # warm up both workers' caches (each gunicorn worker has its own)
        client.post(path, body)
    for _ in range(SINGLE_REQUESTS):
        size = timed(client, path, body, results)
    assert results.errors == 0, f"{path}: {results.errors} errors"
    return results.median, size


def first_views(client: Client, name: str, rng: random.Random) -> float:
    """Median time of requests each asking for a view not asked for before (nothing of it cached)."""
    results = Latencies()
    for values in rng.sample(VARIANTS[name], FIRST_VIEWS):
        timed(client, "/_dash-update-component", callback_body(name, values), results)
    assert results.errors == 0, f"{name}: {results.errors} errors"
    return results.median


def users(port: int, count: int, rng: random.Random) -> Latencies:
    results = Latencies()
    lock = threading.Lock()
    bodies = [callback_body(name) for name in CALLBACKS]

    def user(seed: int) -> None:
        local = random.Random(seed)  # noqa: S311 -- think times, not secrets
        client = Client(port)
        mine = Latencies()
        time.sleep(local.uniform(0, THINK_SECONDS[1]))
        for index in range(max(REQUESTS_PER_USER, MIN_REQUESTS // count)):
            timed(client, "/_dash-update-component", bodies[index % len(bodies)], mine)
            time.sleep(local.uniform(*THINK_SECONDS))
        with lock:
            results.seconds.extend(mine.seconds)
            results.errors += mine.errors

    threads = [threading.Thread(target=user, args=(rng.randrange(10**9),)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def saturated(port: int, seconds: float = 5.0, clients: int = 8) -> float:
    """Requests per second with `clients` sending back to back (no think time)."""
    done = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    body = callback_body("compliance")

    def hammer() -> None:
        client = Client(port)
        while time.monotonic() < stop:
            status, _ = client.post("/_dash-update-component", body)
            with lock:
                done[0] += status == 200

    threads = [threading.Thread(target=hammer) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started)


def run() -> WebResult:
    folder = Path(tempfile.mkdtemp(prefix="vid-bench-web-"))
    try:
        url = f"sqlite:///{folder / 'demo.db'}"
        engine = make_engine(url)
        init_db(engine, demo=True, actor="bench")
        engine.dispose()
        env = {"DATABASE_URL": url, "VID_INSTANCE_DIR": str(folder), "SECRET_KEY": "bench-only-key",
               "VID_DEMO_DATA": "false"}  # fmt: skip
        payloads = folder / "payloads"
        payloads.mkdir()
        callback: dict[str, tuple[float, float, int]] = {}
        with gunicorn("app:server", env) as port:
            client = Client(port)
            warm_up(port)
            for name in CALLBACKS:
                body = callback_body(name)
                client.post("/_dash-update-component", body)
                status, _ = client.post("/_dash-update-component", body)
                assert status == 200, f"{name} callback answered {status}"
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
                connection.request("POST", "/_dash-update-component", body=body, headers=client.headers)
                (payloads / f"{name}.json").write_bytes(connection.getresponse().read())
                connection.close()
                median, size = single(client, "/_dash-update-component", body)
                callback[name] = (median, 0.0, size)
            rng = random.Random(20121205)  # noqa: S311
            first = {name: first_views(client, name, rng) for name in CALLBACKS}
            warm_up(port)
            load = {}
            for count in USERS:
                result = users(port, count, rng)
                load[count] = (result.median, result.percentile(0.95), len(result.seconds), result.errors)
            rps = saturated(port)
        with gunicorn("benchmarks.floor_app:app", {"FLOOR_PAYLOADS": str(payloads)}) as port:
            floor_client = Client(port)
            for name in CALLBACKS:
                median, size = single(floor_client, f"/{name}", b"{}")
                ours = callback[name]
                assert size == ours[2], f"floor payload for {name} differs in size"
                callback[name] = (ours[0], median, ours[2])
        against_figures = first_view.measure(url, callback_body, PUBLIC_CALLBACKS)
        return WebResult(callback, first, load, rps, against_figures)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
