"""The upload page's downloads: every problem of a chosen file, a stored report, a receipt and the template.

Each is a CSV or text file built from what the server holds (never from what the browser says a
file contained), with formulas neutralised and a file name of safe characters (`models.text`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
from dash import Input, Output, State, callback
from dash.dcc.express import send_bytes, send_string
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard.pages._upload_inputs import (
    chosen_file,
    chosen_prepared,
    controls_of,
    participants,
    selected_upload_id,
    upload_id,
)
from dashboard.pages._upload_parts import report_note, stored_issues, visible_upload
from dashboard.pages._upload_receipt import receipt_text
from dashboard.server.access import STAFF, require_roles
from dashboard.server.auth import signed_in
from data_ingest.load import preview
from data_ingest.report import issues_csv
from data_ingest.template import template_csv, template_xlsx
from models.text import safe_file_name


@callback(
    Output("upload-problems-download", "data"),
    inputs={"_clicks": Input("upload-problems-button", "n_clicks")},
    state={
        "chosen": State("upload-chosen", "data"),
        "on_behalf": State("upload-on-behalf", "value"),
        "received_on": State("upload-received-on", "value"),
    },
    prevent_initial_call=True,
)
@require_roles(STAFF)
def download_problems(
    _clicks: int | None, chosen: Any, on_behalf: Any, received_on: Any
) -> dict[str, object]:
    """Every problem (and warning) of the chosen file, as a CSV: what the preview shows only the first of."""
    who = signed_in()
    assert who is not None
    if not _clicks or chosen_file(chosen)[0] is None:
        raise PreventUpdate
    controls = controls_of(who, on_behalf, received_on)
    if not controls.valid:
        raise PreventUpdate  # the preview says what to correct, beside the control
    try:
        prepared = chosen_prepared(who, chosen, controls)
    except ValueError as exc:
        raise PreventUpdate from exc
    report = preview(_data.engine(), prepared, submitted_on=controls.received_on)
    note = None
    if report.error_count > len(report.errors):
        note = (
            f"{report.error_count:,} problems were found; this list keeps the first {len(report.errors):,}."
        )
    content = issues_csv(report.errors, report.warnings, note)
    name = safe_file_name("vid-monitor-problems", prepared.stored_name.rsplit(".", 1)[0], extension="csv")
    sent: dict[str, object] = send_bytes(content, name)
    return sent


@callback(
    Output("upload-receipt-download", "data"),
    inputs={"_clicks": Input("upload-receipt-button", "n_clicks")},
    state={"receipt_id": State("upload-receipt-id", "data")},
    prevent_initial_call=True,
)
@require_roles(STAFF)
def download_receipt(_clicks: int | None, receipt_id: Any) -> dict[str, object]:
    who = signed_in()
    assert who is not None
    if receipt_id is None:
        raise PreventUpdate
    number = upload_id(receipt_id)
    detail = visible_upload(who, number, with_figures=True)
    return {
        "content": receipt_text(detail),
        "filename": safe_file_name("vid-monitor-receipt", number, extension="txt"),
        "type": "text/plain",
    }


@callback(
    Output("upload-template-download", "data"),
    Output("upload-on-behalf-message", "children", allow_duplicate=True),
    inputs={
        "_xlsx": Input("upload-template-xlsx", "n_clicks"),
        "_csv": Input("upload-template-csv", "n_clicks"),
    },
    state={"on_behalf": State("upload-on-behalf", "value")},
    prevent_initial_call=True,
)
@require_roles(STAFF)
def download_template(_xlsx: int | None, _csv: int | None, on_behalf: Any) -> tuple[object, object]:
    who = signed_in()
    assert who is not None
    controls = controls_of(who, on_behalf, None)
    if not controls.valid:
        return dash.no_update, controls.messages.get("upload-on-behalf")
    participant = controls.restriction
    today = dt.datetime.now(dt.UTC).date()
    if dash.ctx.triggered_id == "upload-template-csv":
        name = safe_file_name("vid-monitor-template", participant or "", extension="csv")
        return send_string(template_csv(participant, today), name), None
    content = template_xlsx(participants(), participant, today)
    return send_bytes(
        content, safe_file_name("vid-monitor-template", participant or "", extension="xlsx")
    ), None


@callback(
    Output("upload-report-download", "data"),
    inputs={"_clicks": Input("upload-report-button", "n_clicks")},
    state={"selected": State("upload-history-grid", "selectedRows")},
    prevent_initial_call=True,
)
@require_roles(STAFF)
def download_upload_report(_clicks: int | None, selected: Any) -> dict[str, object]:
    """The problems and warnings kept with the selected upload, as a CSV (what its report panel shows)."""
    who = signed_in()
    assert who is not None
    number = selected_upload_id(selected)
    if not _clicks or number is None:
        raise PreventUpdate
    detail = visible_upload(who, number)
    report = detail.get("report") or {}
    content = issues_csv(
        stored_issues(report, "errors"), stored_issues(report, "warnings"), report_note(detail)
    )
    sent: dict[str, object] = send_bytes(
        content, safe_file_name("vid-monitor-upload", number, "report", extension="csv")
    )
    return sent
