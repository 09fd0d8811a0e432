"""Audit page (/audit): every upload (accepted and refused), every value change, every account change."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard._access import SECRETARIAT, require_roles, restricted_layout
from dashboard._tables import staff_columns
from models.audit import events_frame, revisions_frame, uploads_frame
from models.db import read_session
from models.exports import csv_bytes, export_info, file_name
from models.queries import participants_frame
from models.summaries import plural, timestamp_text
from models.tabular import json_records

PATH = "/audit"
dash.register_page(
    __name__, path=PATH, name="Audit", title="Audit log · VID Monitor", order=85, roles=SECRETARIAT
)

ALL_PARTICIPANTS, ANY_OUTCOME = "all", "any"
OUTCOMES = [
    (ANY_OUTCOME, "Any outcome"),
    ("loaded", "Loaded"),
    ("unchanged", "Unchanged"),
    ("rejected", "Refused"),
]
_GRID = {
    "defaultColDef": {"sortable": True, "filter": True, "resizable": True},
    "dashGridOptions": {
        "pagination": True,
        "paginationPageSize": 20,
        "domLayout": "autoHeight",
        "suppressColumnVirtualisation": True,  # every column in the page, for screen readers and search
    },
    "className": "ag-theme-alpine",
}


@restricted_layout(SECRETARIAT, PATH)
def layout(**_query: str) -> html.Div:
    with read_session(_data.engine()) as session:
        participants = participants_frame(session)
    options = [{"label": "All participants", "value": ALL_PARTICIPANTS}] + [
        {"label": f"{row.code} — {row.name}", "value": row.code}
        for row in participants.itertuples(index=False)
    ]
    return html.Div(
        [
            html.H1("Audit log"),
            html.P(
                "Every file received, accepted or refused; every value ever recorded with the value it "
                "replaced; every change to accounts and reference data. Nothing here can be edited or "
                "deleted."
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Participant", html_for="audit-participant"),
                            dbc.Select(id="audit-participant", options=options, value=ALL_PARTICIPANTS),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Outcome", html_for="audit-outcome"),
                            dbc.Select(
                                id="audit-outcome",
                                value=ANY_OUTCOME,
                                options=[{"label": label, "value": v} for v, label in OUTCOMES],
                            ),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("From (UTC)", html_for="audit-since"),
                            dbc.Input(id="audit-since", type="date"),
                        ],
                        md=3,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("To (UTC)", html_for="audit-until"),
                            dbc.Input(id="audit-until", type="date"),
                        ],
                        md=3,
                    ),
                ],
                className="g-3 mb-3",
            ),
            _section("uploads", "Uploads"),
            _section("revisions", "Value changes"),
            _section("events", "Accounts and reference data"),
            dcc.Download(id="audit-download"),
        ]
    )


def _section(name: str, title: str) -> html.Section:
    return html.Section(
        [
            html.H2(title, className="h4 mt-4"),
            html.Div(id=f"audit-{name}-count", className="my-2 text-body-secondary", role="status"),
            dag.AgGrid(id=f"audit-{name}-grid", rowData=[], columnDefs=[], **_GRID),
            dbc.Button(
                f"Download {title.lower()} (CSV)",
                id=f"audit-{name}-csv",
                color="secondary",
                size="sm",
                className="mt-2",
            ),
        ],
        **{"aria-label": title},
    )


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def audit_frames(
    participant: str | None, outcome: str | None, since: str | None, until: str | None
) -> dict[str, pd.DataFrame]:
    """The three audit tables for the filters (malformed dates are ignored)."""
    start, end = _date(since), _date(until)
    participant = None if participant in (None, "", ALL_PARTICIPANTS) else participant
    outcome = None if outcome in (None, "", ANY_OUTCOME) else outcome
    with read_session(_data.engine()) as session:
        return {
            "uploads": uploads_frame(
                session, participant=participant, outcome=outcome, since=start, until=end
            ),
            "revisions": revisions_frame(session, participant=participant, since=start, until=end),
            "events": events_frame(session),
        }


HEADERS = {
    "upload_id": "Upload",
    "received_at": "Received (UTC)",
    "recorded_at": "Recorded (UTC)",
    "occurred_at": "When (UTC)",
    "sha256": "SHA-256",
    "old_value": "Old",
    "new_value": "New",
}


def _columns(frame: pd.DataFrame) -> list[dict[str, Any]]:
    headers = [(str(c), HEADERS.get(str(c), str(c).replace("_", " ").capitalize())) for c in frame.columns]
    return staff_columns(json_records(frame), headers)


@callback(
    Output("audit-uploads-grid", "rowData"),
    Output("audit-uploads-grid", "columnDefs"),
    Output("audit-uploads-count", "children"),
    Output("audit-revisions-grid", "rowData"),
    Output("audit-revisions-grid", "columnDefs"),
    Output("audit-revisions-count", "children"),
    Output("audit-events-grid", "rowData"),
    Output("audit-events-grid", "columnDefs"),
    Output("audit-events-count", "children"),
    Input("audit-participant", "value"),
    Input("audit-outcome", "value"),
    Input("audit-since", "value"),
    Input("audit-until", "value"),
)
@require_roles(SECRETARIAT)
def update_audit_tables(
    participant: str | None, outcome: str | None, since: str | None, until: str | None
) -> tuple[Any, ...]:
    frames = {name: shown(frame) for name, frame in audit_frames(participant, outcome, since, until).items()}
    uploads, revisions, events = frames["uploads"], frames["revisions"], frames["events"]
    return (
        json_records(uploads), _columns(uploads), plural(len(uploads), "upload"),
        json_records(revisions), _columns(revisions), plural(len(revisions), "recorded value"),
        json_records(events), _columns(events), plural(len(events), "change"),
    )  # fmt: skip


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """For reading on screen: times to the minute in UTC, event details as "key: value" text."""
    out = frame.copy()
    for column in ("received_at", "recorded_at", "occurred_at"):
        if column in out.columns:
            out[column] = [timestamp_text(value) for value in out[column]]
    if "details" in out.columns:
        out["details"] = [details_text(value) for value in out["details"]]
    return out


def details_text(details: Any) -> str:
    if isinstance(details, dict):
        return "; ".join(f"{key}: {'none' if value is None else value}" for key, value in details.items())
    return "" if details is None else str(details)


@callback(
    Output("audit-download", "data"),
    Input("audit-uploads-csv", "n_clicks"),
    Input("audit-revisions-csv", "n_clicks"),
    Input("audit-events-csv", "n_clicks"),
    State("audit-participant", "value"),
    State("audit-outcome", "value"),
    State("audit-since", "value"),
    State("audit-until", "value"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def download_audit_csv(
    _uploads: int | None, _revisions: int | None, _events: int | None,
    participant: str | None, outcome: str | None, since: str | None, until: str | None,
) -> dict[str, Any]:  # fmt: skip
    triggered = dash.ctx.triggered_id
    if not isinstance(triggered, str):
        raise PreventUpdate
    name = triggered.removeprefix("audit-").removesuffix("-csv")
    frame = audit_frames(participant, outcome, since, until)[name]
    if name == "events":
        frame = frame.assign(details=frame["details"].map(details_text))
    selection = {
        "participant": participant or ALL_PARTICIPANTS,
        "outcome": outcome or ANY_OUTCOME,
        "from": since or "",
        "to": until or "",
    }
    info = export_info(_data.status(), f"Audit: {name}", selection=selection)
    if name == "events":  # account and reference events are real actions, whatever the figures are
        info = replace(info, demo=False)
    return dcc.send_bytes(csv_bytes(frame, info), file_name(f"audit-{name}", info, "csv"))
