"""Health checks for load balancers and orchestrators: is the process alive, and is it ready to serve.

- `GET /healthz` (Dash's own): 200 "OK" while the process answers at all; it reads nothing.
- `GET /readyz`: 200 when the database answers and its schema is at the newest migration, else 503;
  a short JSON body says which. A load balancer sends traffic only to a ready server; the check
  reads one row and keeps no connection busy.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from flask import Flask, Response, current_app, jsonify

from models import schema
from models.db import engine_for
from models.faults import database_fault

log = logging.getLogger("vidmonitor.health")

READY_PATH = "/readyz"


@lru_cache(maxsize=1)
def newest_revision() -> str:
    """The newest migration this code knows (read from the scripts once per process)."""
    return schema.head_revision()


def readiness(url: str) -> tuple[bool, dict[str, Any]]:
    """Whether the database at `url` is reachable and migrated to the newest revision, and the body
    that says so: {"status": "ready" | "not_ready", "database": ..., "schema": ..., "expected": ...}."""
    expected = newest_revision()
    try:
        revision = schema.current_revision(engine_for(url))
    except Exception as error:
        fault = database_fault(error)
        if fault is None:
            raise
        log.warning("not ready: %s", fault.one_line())
        return False, {"status": "not_ready", "database": fault.kind, "schema": None, "expected": expected}
    body = {"status": "ready", "database": "reachable", "schema": revision, "expected": expected}
    if revision != expected:
        log.warning("not ready: the schema is at %s, the newest is %s", revision, expected)
        body["status"] = "not_ready"
        return False, body
    return True, body


def install_readiness(server: Flask) -> None:
    """Add `GET /readyz`."""

    def _ready() -> Response:
        ready, body = readiness(current_app.config["VID_DATABASE_URL"])
        response = jsonify(body)
        response.status_code = 200 if ready else 503
        response.headers["Cache-Control"] = "no-store"
        return response

    server.add_url_rule(READY_PATH, "health.ready", _ready, methods=["GET"])
