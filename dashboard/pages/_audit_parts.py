"""Pieces of the audit page: its filters read from controls or an address, the words for a limited
table, and the complete CSV downloads, streamed by a Flask route with the page's role check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd
from flask import Flask, Response, current_app, request

from dashboard import _data
from dashboard.server.access import SECRETARIAT, role_of
from dashboard.server.auth import signed_in
from models.accounts.audit import TABLES, AuditFilter, audit_chunks, details_text, table_columns
from models.reports.exports import CSV_MEDIA_TYPE, ExportInfo, csv_stream, export_info, file_name
from models.tables import UPLOAD_OUTCOMES

ALL_PARTICIPANTS, ANY_OUTCOME = "all", "any"
#: Rows each table shows on screen; the CSV download holds every row.
SCREEN_ROWS = 1000
NOUNS = {"uploads": ("upload", "uploads"), "revisions": ("recorded value", "recorded values"),
         "events": ("event", "events")}  # fmt: skip
TEXT = {
    "count": "{count:,} {noun}",
    "limited": "The newest {shown:,} of {count:,} {noun} are shown here; "
    "the CSV download holds all {count:,}.",
    "refused": "You are not allowed to download the audit log. Sign in with a secretariat account.",
    "no_table": "There is no such audit table.",
}


def _date(text: object) -> dt.date | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def audit_filter(participant: object, outcome: object, since: object, until: object) -> AuditFilter:
    """The filter the controls (or a download address) ask for. A value that cannot be one (a
    malformed date, an unknown outcome, a participant that is no ISO3 code) filters nothing."""
    code = participant.upper() if isinstance(participant, str) and participant != ALL_PARTICIPANTS else ""
    return AuditFilter(
        participant=code if len(code) == 3 and code.isascii() and code.isalpha() else None,
        outcome=outcome if isinstance(outcome, str) and outcome in UPLOAD_OUTCOMES else None,
        since=_date(since),
        until=_date(until),
    )


def selection(chosen: AuditFilter) -> dict[str, str]:
    """The filter as an export's About text and its address name it."""
    return {
        "participant": chosen.participant or ALL_PARTICIPANTS,
        "outcome": chosen.outcome or ANY_OUTCOME,
        "from": chosen.since.isoformat() if chosen.since else "",
        "to": chosen.until.isoformat() if chosen.until else "",
    }


def download_href(name: str, chosen: AuditFilter) -> str:
    """The address of a table's complete CSV for the filter."""
    query = {
        key: value
        for key, value in selection(chosen).items()
        if value not in ("", ALL_PARTICIPANTS, ANY_OUTCOME)
    }
    return f"/audit/{name}.csv" + (f"?{urlencode(query)}" if query else "")


def count_text(name: str, shown: int, count: int) -> str:
    """How many rows a table has, and, when the screen shows fewer, that it does and where the rest are."""
    one, many = NOUNS[name]
    if shown < count:
        return TEXT["limited"].format(shown=shown, count=count, noun=many)
    return TEXT["count"].format(count=count, noun=one if count == 1 else many)


def csv_ready(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """An audit table as its CSV holds it (an event's details as text)."""
    return frame.assign(details=frame["details"].map(details_text)) if name == "events" else frame


def _rows(url: str, name: str, chosen: AuditFilter, info: ExportInfo) -> Iterator[bytes]:
    with _data.reading(url) as session:
        chunks = (csv_ready(name, chunk) for chunk in audit_chunks(session, name, chosen))
        yield from csv_stream(chunks, info, table_columns(name))


def install_audit_downloads(server: Flask) -> None:
    """GET /audit/<name>.csv: every row of an audit table for the filter in the address, streamed
    (complete however long, in bounded memory); the secretariat and admins only."""

    def download(name: str) -> Response:
        if role_of(signed_in()) not in SECRETARIAT:
            return Response(TEXT["refused"], status=403, mimetype="text/plain")
        if name not in TABLES:
            return Response(TEXT["no_table"], status=404, mimetype="text/plain")
        args = request.args
        chosen = audit_filter(args.get("participant"), args.get("outcome"), args.get("from"), args.get("to"))
        url = current_app.config["VID_DATABASE_URL"]
        info = export_info(_data.status(), f"Audit: {name}", selection=selection(chosen))
        if name == "events":  # account and reference events are real actions, whatever the figures are
            info = replace(info, demo=False)
        headers = {
            "Content-Disposition": f'attachment; filename="{file_name(f"audit-{name}", info, "csv")}"',
            "Cache-Control": "no-store",
        }
        return Response(_rows(url, name, chosen, info), mimetype=CSV_MEDIA_TYPE, headers=headers)

    server.add_url_rule("/audit/<name>.csv", "audit.download", download, methods=["GET"])
