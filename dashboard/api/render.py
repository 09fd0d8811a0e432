"""One frame, every rendering: a page of rows as JSON or CSV, with its links, its ETag (from the data
version) and the demonstration-data label; 304 when the client already has it; errors as JSON."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import pandas as pd
from flask import Response, request

from dashboard import _data
from models.db import data_state_key, read_session
from models.demo import DEMO_LABEL, holds_demo_data
from models.reports.exports import DEMO_NOTE_COLUMN
from models.reports.tabular import csv_text, json_records

CSV_TYPE = "text/csv"


@dataclass(frozen=True)
class State:
    """What the served data is, read once per request: (epoch, version) and whether it is a demo."""

    epoch: str
    version: int
    demo: bool

    @property
    def note(self) -> str | None:
        return DEMO_LABEL if self.demo else None


def data_state() -> State:
    with read_session(_data.engine()) as session:
        epoch, version = data_state_key(session)
        return State(epoch, version, holds_demo_data(session))


def wants_csv(requested: str | None) -> bool:
    """`?format=csv`, or (no format given) an Accept header that prefers text/csv to JSON."""
    if requested is not None:
        return requested == "csv"
    accept = request.accept_mimetypes
    return accept.quality(CSV_TYPE) > accept.quality("application/json") and accept.quality(CSV_TYPE) > 0


def error(status: int, message: str, problems: list[dict[str, str]] | None = None, **extra: Any) -> Response:
    """An ApiError answer."""
    body = {"status": status, "error": message, "problems": problems or [], **extra}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


def _etag(state: State, csv: bool, extra: str) -> str:
    query = sorted((key, value) for key, value in request.args.items(multi=True) if key != "format")
    text = json.dumps(
        [
            state.epoch,
            state.version,
            request.path,
            query,
            csv,
            dt.datetime.now(dt.UTC).date().isoformat(),
            extra,
        ]
    )
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _page_url(offset: int, limit: int) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True) if key not in ("offset", "limit")]
    return quote(request.path) + "?" + urlencode([*args, ("limit", limit), ("offset", offset)])


def page(
    rows: Callable[[State], pd.DataFrame],
    *,
    limit: int,
    offset: int,
    requested_format: str | None,
    name: str,
    label_rows: bool = True,
    fields: Callable[[State], dict[str, Any]] | None = None,
    etag_extra: str = "",
    demo: bool | None = None,
) -> Response:
    """A page of the frame `rows(state)` makes, as JSON (the Page envelope) or CSV (the rows, with a
    last data_note column for demonstration data, like the command line's CSV); 304 if unchanged.

    `label_rows`: put data_note on every row (False for figures that are never a demo, such as
    INTERPOL's published totals; `demo` then says False for them)."""
    state = data_state()
    csv = wants_csv(requested_format)
    tag = _etag(state, csv, etag_extra)
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if tag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")] or (
        request.headers.get("If-None-Match", "").strip() == "*"
    ):
        return Response(status=304, headers=headers)
    frame = rows(state)
    total = len(frame)
    shown = frame.iloc[offset : offset + limit]
    is_demo = state.demo if demo is None else demo
    if label_rows and is_demo:
        shown = shown.assign(**{DEMO_NOTE_COLUMN: DEMO_LABEL})
    links = {
        "self": _page_url(offset, limit),
        "next": _page_url(offset + limit, limit) if offset + limit < total else None,
        "prev": _page_url(max(0, offset - limit), limit) if offset > 0 else None,
    }
    link_header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")
    if link_header:
        headers["Link"] = link_header
    headers["X-Total-Count"] = str(total)
    if csv:
        body = csv_text(shown)
        headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return Response(body, mimetype=CSV_TYPE, headers=headers)
    document: dict[str, Any] = {
        "total": total,
        "limit": limit,
        "offset": offset,
        "links": links,
        "data_version": state.version,
        "demo": is_demo,
        "data_note": DEMO_LABEL if is_demo else None,
        **(fields(state) if fields else {}),
        "data": json_records(shown),
    }
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/json", headers=headers)
