"""Pieces of the upload page: the preview of an ingest report, the receipt, the list of uploads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import html
from sqlalchemy import Engine
from werkzeug.exceptions import NotFound

from dashboard._tables import staff_columns
from data_ingest.report import IngestReport
from models.audit import liaison_uploads_frame, revisions_frame, uploads_frame, visible_upload_detail
from models.db import read_session
from models.summaries import plural, timestamp_text
from models.tabular import json_records
from models.users import Identity

INDICATOR_LABELS = {
    "identified_victims": "identified during the year",
    "cumulative_identified": "cumulative total",
}
NOTHING_CHANGES = "Nothing will change: every value in the file is already recorded."
KIND_LABELS = {"insert": "new", "revise": "revised", "unchanged": "unchanged"}
_GRID = {
    "defaultColDef": {"sortable": True, "filter": True, "resizable": True},
    "className": "ag-theme-alpine",
}


def issues_grid(grid_id: str, issues: list[dict[str, Any]]) -> dag.AgGrid:
    """Errors or warnings as a table: row, column, value, message."""
    return dag.AgGrid(
        id=grid_id,
        rowData=issues,
        columnDefs=[
            {"field": "row", "width": 90},
            {"field": "column", "width": 170},
            {"field": "value", "width": 170},
            {"field": "message", "flex": 1, "wrapText": True, "autoHeight": True},
        ],
        dashGridOptions={"pagination": len(issues) > 50, "paginationPageSize": 50, "domLayout": "autoHeight"},
        **_GRID,
    )


def preview_panel(report: IngestReport) -> html.Div:
    """What the file would do (dry run) or why it was refused."""
    errors = [issue.as_dict() for issue in report.errors]
    warnings = [issue.as_dict() for issue in report.warnings]
    if report.status == "rejected":
        count = len(errors)
        return html.Div(
            [
                dbc.Alert(
                    [
                        html.Strong(f"{report.file}: refused, {count} problem{'s' if count != 1 else ''}. "),
                        "Nothing was recorded. Correct the file and send it again; "
                        "every problem is listed below.",
                    ],
                    color="danger",
                ),
                issues_grid("upload-errors-grid", errors),
            ]
        )
    changes = [
        {
            "country": change.participant_code,
            "year": change.year,
            "figure": INDICATOR_LABELS.get(change.indicator_code, change.indicator_code),
            "old": change.old_value,
            "new": change.new_value,
            "change": KIND_LABELS[change.kind],
        }
        for change in sorted(
            report.changes, key=lambda c: ({"revise": 0}.get(c.kind, 1), c.participant_code, c.year)
        )
        if change.kind != "unchanged"  # counted in the summary; the table lists what changes
    ]
    revised = f"{report.revised} revised (old → new below)" if report.revised else "0 revised"
    parts: list[Any] = [
        dbc.Alert(
            [
                html.Strong(f"{report.file}: no problems found. "),
                f"{plural(report.rows, 'row')}: {plural(report.inserted, 'new value')}, {revised}, "
                f"{report.unchanged} unchanged. Nothing is recorded until you confirm.",
            ],
            color="success",
        ),
    ]
    if warnings:
        parts += [
            html.H2("Worth a second look", className="h5"),
            issues_grid("upload-warnings-grid", warnings),
        ]
    if report.notes:
        parts += [html.H2("Notes in the file", className="h5 mt-3"), notes_table(list(report.notes))]
    if not changes:
        parts.append(html.P(NOTHING_CHANGES, className="mt-3"))
        return html.Div(parts)
    parts += [
        html.H2("What will change", className="h5 mt-3"),
        dag.AgGrid(
            id="upload-changes-grid",
            rowData=changes,
            columnDefs=[{"field": f} for f in ("change", "country", "year", "figure", "old", "new")],
            dashGridOptions={
                "pagination": len(changes) > 50,
                "paginationPageSize": 50,
                "domLayout": "autoHeight",
            },
            **_GRID,
        ),
    ]
    return html.Div(parts)


UPLOAD_NOT_FOUND = "No upload with this number that your account may see."


def visible_upload(
    engine: Engine, who: Identity, upload_id: object, with_figures: bool = False
) -> dict[str, Any]:
    """An upload's details, if this user may see it; else 404, the same whether the upload exists
    or not (models.audit.visible_upload_detail decides, from the database's records)."""
    with read_session(engine) as session:
        detail = visible_upload_detail(session, upload_id, who.role, who.participant_code, who.email)
        # The figures recorded, for a receipt; a report does not show them.
        figures = (
            _figures(revisions_frame(session, upload_id=detail["upload_id"]))
            if detail and with_figures
            else []
        )
    if detail is None:
        raise NotFound(UPLOAD_NOT_FOUND)
    detail["figures"] = figures
    if not who.is_secretariat and detail["uploaded_by"] != who.email and detail["participant"] is None:
        detail = _only_their_part(detail, who.participant_code or "")
    return detail


def _figures(revisions: pd.DataFrame) -> list[dict[str, Any]]:
    """An upload's recorded values (models.audit.revisions_frame), as a receipt lists them."""
    return [
        {
            "country": row.participant,
            "year": int(row.year),
            "figure": INDICATOR_LABELS.get(row.indicator, row.indicator),
            "old": None if pd.isna(row.old_value) else int(row.old_value),
            "new": int(row.new_value),
        }
        for row in revisions.sort_values(["participant", "year", "indicator"]).itertuples(index=False)
    ]


def _only_their_part(detail: dict[str, Any], participant: str) -> dict[str, Any]:
    """A file someone else sent for several participants, as a liaison sees it: the notes about their
    participant only; the checks the file raised are the secretariat's (they may name others' rows)."""
    report = dict(detail.get("report") or {})
    report["notes"] = [note for note in report.get("notes", []) if note.get("country") == participant]
    report["warnings"] = []
    report["only_for"] = participant
    figures = [figure for figure in detail.get("figures", []) if figure["country"] == participant]
    return {**detail, "report": report, "figures": figures}


def participants_text(detail: dict[str, Any]) -> str:
    """Who an upload was for: its one participant, or the participants it recorded values for."""
    if detail.get("participant"):
        return str(detail["participant"])
    return ", ".join(detail.get("recorded_for") or [])


RECEIPT_FIELDS = (
    ("Upload", "upload_id"),
    ("File", "original_name"),
    ("SHA-256", "sha256"),
    ("Size (bytes)", "size_bytes"),
    ("Received (UTC)", "received_at"),
    ("Counts as submitted on", "submitted_on"),
    ("Sent by", "uploaded_by"),
    ("Participant", "participant"),
    ("Outcome", "outcome"),
    ("Rows", "rows"),
    ("New values", "inserted"),
    ("Revised values", "revised"),
    ("Unchanged values", "unchanged"),
    ("Reason", "reason"),
)


def _receipt_value(detail: dict[str, Any], key: str) -> str:
    if key == "participant":
        return participants_text(detail)
    if key == "reason" and not detail.get(key):
        return "(none given)"
    if key == "received_at":  # to the second: a receipt is a record
        moment = detail[key]
        if isinstance(moment, dt.datetime):
            moment = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
            return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return timestamp_text(moment)
    return "" if detail.get(key) is None else str(detail[key])


def receipt_text(detail: dict[str, Any]) -> str:
    """The receipt as plain text, to keep with the report that was sent."""
    lines = ["VID Monitor — upload receipt", ""]
    lines += [f"{label}: {_receipt_value(detail, key)}" for label, key in RECEIPT_FIELDS]
    if detail.get("figures"):
        lines += ["", "Figures recorded (country, year, figure: old -> new):"]
        lines += [f"  {_figure_text(figure)}" for figure in detail["figures"]]
    return "\n".join(lines) + "\n"


def _figure_text(figure: dict[str, Any]) -> str:
    old = "(none)" if figure["old"] is None else f"{figure['old']:,}"
    return f"{figure['country']} {figure['year']}, {figure['figure']}: {old} -> {figure['new']:,}"


def receipt_panel(detail: dict[str, Any]) -> dbc.Card:
    rows = [
        html.Tr([html.Th(label, scope="row"), html.Td(_receipt_value(detail, key))])
        for label, key in RECEIPT_FIELDS
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2("Recorded — your receipt", className="h5"),
                dbc.Table(html.Tbody(rows), bordered=False, size="sm", className="mb-2"),
                *_figures_list(detail.get("figures", [])),
                dbc.Button("Download the receipt", id="upload-receipt-button", color="secondary", size="sm"),
            ]
        ),
        color="success",
        outline=True,
    )


def _figures_list(figures: list[dict[str, Any]]) -> list[Any]:
    if not figures:
        return []
    return [
        html.H3("Figures recorded", className="h6"),
        html.Ul(
            [html.Li(_figure_text(figure).replace(" -> ", " → ")) for figure in figures], className="mb-2"
        ),
    ]


HISTORY_COLUMNS = (
    ("upload_id", "Upload"),
    ("received_at", "Received (UTC)"),
    ("uploaded_by", "Sent by"),
    ("participant", "Participant"),
    ("original_name", "File"),
    ("outcome", "Outcome"),
    ("inserted", "New"),
    ("revised", "Revised"),
    ("unchanged", "Unchanged"),
    ("errors", "Problems"),
)


TYPICAL_UPLOAD = {
    "upload_id": 100000,
    "received_at": "2026-11-28 18:40 UTC",
    "uploaded_by": "firstname.lastname@police.example",
    "participant": "DEU, FRA",
    "original_name": "report-2026-corrected.xlsx",
    "outcome": "unchanged",
}


def history_rows(engine: Engine, who: Identity) -> list[dict[str, Any]]:
    """The uploads this user may see, newest first (a liaison: theirs; the secretariat: all)."""
    with read_session(engine) as session:
        if who.is_secretariat:
            frame = uploads_frame(session, limit=500)
        else:
            frame = liaison_uploads_frame(session, who.participant_code or "", who.email)
    shown = frame[[field for field, _header in HISTORY_COLUMNS]].copy()
    shown["received_at"] = [timestamp_text(value) for value in shown["received_at"]]
    return json_records(shown)


def history_panel(rows: list[dict[str, Any]]) -> html.Section:
    return html.Section(
        [
            html.H2("Uploads", className="h4 mt-4"),
            html.P(
                "Accepted and refused files. Select one to see its report.", className="text-body-secondary"
            ),
            dag.AgGrid(
                id="upload-history-grid",
                rowData=rows,
                # Wide enough for the rows that will arrive, not only for those shown now.
                columnDefs=staff_columns([*rows, TYPICAL_UPLOAD], list(HISTORY_COLUMNS)),
                dashGridOptions={
                    "rowSelection": {"mode": "singleRow", "enableClickSelection": True},
                    "pagination": True,
                    "paginationPageSize": 20,
                    "domLayout": "autoHeight",
                },
                **_GRID,
            ),
            html.Div(id="upload-history-report", className="mt-3", role="status"),
        ]
    )


def report_panel(detail: dict[str, Any]) -> html.Div:
    """A stored upload's report: its outcome and every error and warning it had."""
    report = detail.get("report") or {}
    errors, warnings = report.get("errors", []), report.get("warnings", [])
    parts: list[Any] = [
        html.H3(
            f"Upload {detail['upload_id']}: {detail['original_name']} — {detail['outcome']}", className="h5"
        ),
        html.P(
            f"Received {timestamp_text(detail['received_at'])} from {detail['uploaded_by']}; "
            f"SHA-256 {detail['sha256']}."
        ),
    ]
    if errors:
        parts += [html.H4("Problems", className="h6"), issues_grid("upload-report-errors", errors)]
    if report.get("errors_not_stored"):
        parts.append(html.P(f"… and {report['errors_not_stored']} more problems not stored."))
    if warnings:
        parts += [
            html.H4("Worth a second look", className="h6"),
            issues_grid("upload-report-warnings", warnings),
        ]
    if report.get("only_for"):
        parts.append(
            html.P(
                f"This file held figures for several participants ({participants_text(detail)}); shown here "
                f"is what concerns {report['only_for']}. The secretariat has the file's full report."
            )
        )
    if report.get("notes"):
        parts += [html.H4("Notes in the file", className="h6"), notes_table(report["notes"])]
    if not errors and not warnings:
        parts.append(html.P("No problems and nothing to check."))
    return html.Div(parts)


def notes_table(notes: list[dict[str, Any]]) -> dbc.Table:
    """The file's `notes` column, row by row: kept with the upload, shown with its report."""
    header = html.Thead(html.Tr([html.Th(h, scope="col") for h in ("Row", "Country", "Year", "Note")]))
    body = html.Tbody(
        [html.Tr([html.Td(str(n.get(k, ""))) for k in ("row", "country", "year", "note")]) for n in notes]
    )
    return dbc.Table([header, body], size="sm", striped=True)
