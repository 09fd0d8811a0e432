"""Audit page (/audit): every upload (accepted and refused), every value change, every account change."""

from __future__ import annotations

from typing import Any

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, callback, clientside_callback, html

from dashboard import _data
from dashboard.components.layout import aria
from dashboard.components.tables import KEYBOARD_OPTIONS, staff_columns
from dashboard.pages._audit_parts import (
    ALL_PARTICIPANTS,
    ANY_OUTCOME,
    SCREEN_ROWS,
    audit_filter,
    count_text,
    download_href,
)
from dashboard.server.access import SECRETARIAT, require_roles, restricted_layout
from models.accounts.audit import AuditFilter, audit_count, audit_table, details_text
from models.reports.summaries.words import timestamp_text
from models.reports.tabular import json_records

PATH = "/audit"
dash.register_page(
    __name__, path=PATH, name="Audit", title="Audit log · VID Monitor", order=85, roles=SECRETARIAT
)

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
        **KEYBOARD_OPTIONS,  # one Tab stop; arrow keys inside
    },
    "className": "ag-theme-alpine",
}


@restricted_layout(SECRETARIAT, PATH)
def layout(**_query: str) -> html.Div:
    participants = _data.participants()
    options = [{"label": "All participants", "value": ALL_PARTICIPANTS}] + [
        {"label": f"{row.code} — {row.name}", "value": row.code}
        for row in participants.itertuples(index=False)
    ]
    return html.Div(
        [
            html.H1("Audit log"),
            html.P(
                "Every file received, accepted or refused; every value ever recorded with the value it "
                "replaced; every change to accounts and reference data, every sign-in and sign-out. "
                f"Each table shows its newest {SCREEN_ROWS:,} rows; its CSV download holds every row "
                "for the filters. Nothing here can be edited or deleted."
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
            _section("events", "Accounts, sign-ins and reference data"),
        ]
    )


def _section(name: str, title: str) -> html.Section:
    return html.Section(
        [
            html.H2(title, className="h4 mt-4"),
            html.Div(id=f"audit-{name}-count", className="my-2 text-body-secondary", role="status"),
            dag.AgGrid(id=f"audit-{name}-grid", rowData=[], columnDefs=[], **_GRID),
            dbc.Button(
                f"Download every row of {title.lower()} (CSV)",
                id=f"audit-{name}-csv",
                href=download_href(name, AuditFilter()),
                external_link=True,  # a file from the server, not a page of the app
                color="secondary",
                size="sm",
                className="mt-2",
            ),
        ],
        **aria(label=title),
    )


def audit_frames(
    participant: object, outcome: object, since: object, until: object, limit: int | None = SCREEN_ROWS
) -> dict[str, tuple[pd.DataFrame, int]]:
    """The three audit tables for the filters (malformed values filter nothing): each its newest
    `limit` rows and how many rows it has in all."""
    chosen = audit_filter(participant, outcome, since, until)
    with _data.reading() as session:
        return {
            name: (audit_table(session, name, chosen, limit), audit_count(session, name, chosen))
            for name in ("uploads", "revisions", "events")
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
    participant: object, outcome: object, since: object, until: object
) -> tuple[Any, ...]:
    outputs: list[Any] = []
    for name, (frame, count) in audit_frames(participant, outcome, since, until).items():
        table = shown(frame)
        outputs += [json_records(table), _columns(table), count_text(name, len(table), count)]
    return tuple(outputs)


# The download buttons are links to the complete CSVs for the filters chosen (computed in the browser).
clientside_callback(
    """
    function (participant, outcome, since, until) {
        const query = new URLSearchParams();
        if (participant && participant !== "all") { query.set("participant", participant); }
        if (outcome && outcome !== "any") { query.set("outcome", outcome); }
        if (since) { query.set("from", since); }
        if (until) { query.set("to", until); }
        const suffix = query.toString() ? "?" + query.toString() : "";
        return ["uploads", "revisions", "events"].map((name) => "/audit/" + name + ".csv" + suffix);
    }
    """,
    Output("audit-uploads-csv", "href"),
    Output("audit-revisions-csv", "href"),
    Output("audit-events-csv", "href"),
    Input("audit-participant", "value"),
    Input("audit-outcome", "value"),
    Input("audit-since", "value"),
    Input("audit-until", "value"),
)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """For reading on screen: times to the minute in UTC, event details as "key: value" text."""
    out = frame.copy()
    for column in ("received_at", "recorded_at", "occurred_at"):
        if column in out.columns:
            out[column] = [timestamp_text(value) for value in out[column]]
    if "details" in out.columns:
        out["details"] = [details_text(value) for value in out["details"]]
    return out
