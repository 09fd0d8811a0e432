"""How the app answers what goes wrong outside any page's control, once for every route and callback.

- A database fault (unreachable, read-only, full, no schema; see models.faults) is a 503 with a
  Retry-After header and a "try again shortly" message: a small HTML page for a page or a form, a
  short JSON body for a Dash request (the renderer keeps what it shows, and assets/vid-unavailable.js
  tells the person). The log gets one line, never a traceback. The unit of work was rolled back.
- A page path the pages router cannot read (`" /audit"`, no leading slash) is a 400.
- A pages-router request whose path or query is not text (a forged body) is a 400.
- An unknown Dash script (`/_dash-component-suites/...`) is a 404.

Dash lets an exception raised in a callback propagate to Flask when no `on_error` is set (this app
sets none), so these handlers see callback faults as well as page and form faults.
"""

from __future__ import annotations

import logging
import sqlite3
from html import escape

import psycopg
from dash.exceptions import DependencyException, UnsupportedRelativePath
from flask import Flask, Response, current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from models.db import engine_for
from models.faults import DatabaseFault, database_fault
from models.tables import DataState

log = logging.getLogger("vidmonitor.errors")

RETRY_AFTER_SECONDS = 30
#: Endpoints of the page shell: a GET of one first checks that the database answers.
PAGE_ENDPOINTS = frozenset({"/", "/<path:path>"})
BAD_PAGE_PATH = "This address is not a page of VID Monitor."
UNKNOWN_RESOURCE = "No such file."
_DASH_PREFIX = "/_dash-"
_ROUTER_OUTPUT, _ROUTER_LOCATION = "_pages_content.children", "_pages_location"

_UNAVAILABLE_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Try again shortly · VID Monitor</title>
  <link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body>
  <header><nav class="navbar navbar-dark bg-dark"><div class="container-fluid">
    <a class="navbar-brand" href="/">VID Monitor</a></div></nav></header>
  <main class="container py-5" style="max-width: 40rem">
    <h1 class="h3 mb-3">Try again shortly</h1>
    <p class="alert alert-warning" role="alert" id="service-unavailable">{message}</p>
    <p><a href="{again}">Try again</a></p>
  </main>
</body>
</html>
"""


def fault_response(fault: DatabaseFault) -> Response:
    """The 503 for a database fault: JSON for Dash's own requests, a small HTML page otherwise."""
    if request.path.startswith(_DASH_PREFIX):
        response = jsonify(
            {"error": "database_unavailable", "kind": fault.kind, "message": fault.user_message}
        )
    else:
        again = request.full_path.rstrip("?") if request.method == "GET" else "/"
        page = _UNAVAILABLE_PAGE.format(message=escape(fault.user_message), again=escape(again, quote=True))
        response = Response(page, mimetype="text/html")
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def install_error_handlers(server: Flask) -> None:
    """Register the handlers above, and the database check in front of every page shell."""

    def _database_fault(error: Exception) -> Response:
        fault = database_fault(error)
        if fault is None:
            raise error  # a bug, not a fault: Flask's own 500 (and its traceback in the log)
        log.warning("%s %s answered 503: %s", request.method, request.path, fault.one_line())
        return fault_response(fault)

    for kind in (SQLAlchemyError, sqlite3.Error, psycopg.Error):
        server.register_error_handler(kind, _database_fault)

    @server.errorhandler(UnsupportedRelativePath)
    def _bad_page_path(error: UnsupportedRelativePath) -> tuple[str, int]:
        return BAD_PAGE_PATH, 400

    @server.errorhandler(DependencyException)
    def _unknown_resource(error: DependencyException) -> tuple[str, int]:
        return UNKNOWN_RESOURCE, 404

    @server.before_request
    def _database_answers() -> None:
        # The page shell itself reads nothing, so without this a page would load and then fail
        # piece by piece; with it, the person gets the 503 page at once. One small query.
        if request.method == "GET" and request.endpoint in PAGE_ENDPOINTS:
            with engine_for(current_app.config["VID_DATABASE_URL"]).connect() as connection:
                connection.execute(select(DataState.version).where(DataState.id == 1)).one_or_none()


def install_router_check(server: Flask) -> None:
    """Refuse (400) a page-router callback whose address is not text; install after the guard."""

    @server.before_request
    def _router_reads_text() -> tuple[str, int] | None:
        # The renderer always sends the address as text; Dash's router fails on anything else.
        body = g.get("vid_callback_body")  # set by the guard once it has checked the body
        if not isinstance(body, dict) or _ROUTER_OUTPUT not in str(body.get("output", "")):
            return None
        inputs = body.get("inputs")
        for item in inputs if isinstance(inputs, list) else []:
            if isinstance(item, dict) and item.get("id") == _ROUTER_LOCATION:
                value = item.get("value")
                allowed = (str,) if item.get("property") == "pathname" else (str, type(None))
                if not isinstance(value, allowed):
                    return BAD_PAGE_PATH, 400
        return None
