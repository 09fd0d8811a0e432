"""The figure floor of the web benchmark: a bare Flask app whose routes build each public callback's
figures by hand, as plain dicts, from the frames the product keeps in its cache, and send them as JSON.

No Dash, no view object, no plotly graph objects, no request checks, no cache of answers: per request
only the selection of rows the chart draws, its hover texts (the same wording functions, so the texts
are the product's) and the dict, then `json.dumps`. The frames (each basis' compliance table, the
register, the reporting summary, the data version) are read once, through the product's own cached
reads, and held. web.first_view_floor checks that each answer's figures equal the product's.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, request

from benchmarks.floor_grid_map import compliance_figure, map_figures
from benchmarks.floor_look import Frames
from benchmarks.floor_trends import country_figures, overview_figure, reporting_figure
from models.metrics.compliance import STATUSES
from models.reports.summaries.charts import chart_source_line


def figures_for(frames: Frames, name: str, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The figures of callback `name` for the controls' `values`, by graph id."""
    if name == "compliance":
        statuses = values.get("compliance-status") or list(STATUSES)
        figure = compliance_figure(
            frames,
            values["compliance-basis"],
            int(values["compliance-from"]),
            int(values["compliance-to"]),
            statuses,
        )
        return {"compliance-grid-graph": figure}
    if name == "map":
        world, ranking = map_figures(
            frames, int(values["map-year"]), values["map-basis"], values["map-measure"]
        )
        return {"map-choropleth-graph": world, "map-ranking-graph": ranking}
    if name == "overview":
        return {"overview-trend-graph": overview_figure(frames, values["overview-basis"])}
    if name == "country":
        series, growth = country_figures(frames, values["country-code"], values["country-basis"])
        return {"country-series-graph": series, "country-growth-graph": growth}
    return {"reporting-cycles-graph": reporting_figure(frames)}


def floor_app(frames: Frames) -> Flask:
    """POST /<callback> with the controls' values as JSON: that callback's figures, built by hand."""
    app = Flask(__name__)

    @app.post("/<name>")
    def figures(name: str) -> Response:
        built = figures_for(frames, name, request.get_json())
        return Response(
            json.dumps(built, ensure_ascii=False, separators=(",", ":")), mimetype="application/json"
        )

    return app


def read_frames(source: Any, cache: Any) -> Frames:
    """The frames the floor draws from, read once through the product's cached reads (`source`: a
    snapshot or an engine, `cache`: the app's models.cache.DataCache; models.metrics.service)."""
    from models.metrics import service

    state = service.status(source, cache=cache)
    revised = service.revised_after_close(source, cache=cache)
    register = service.participants(source, cache=cache)
    return {
        "compliance": {
            basis: service.compliance(source, basis, cache=cache) for basis in ("annual", "cumulative")
        },
        "names": dict(zip(register["code"], register["name"], strict=True)),
        "summary": service.reporting(source, cache=cache).summary,
        # (participant, year) -> the cycle closed before the value changed, per basis (the grid marks them)
        "revised": {
            basis: {
                (str(p), int(y)): str(c)
                for p, y, b, c in revised[["participant", "year", "basis", "cycle"]].itertuples(index=False)
                if b == basis
            }
            for basis in ("annual", "cumulative")
        },
        "source": chart_source_line(state.version, state.updated_at),
        "demo": state.demo,
    }
