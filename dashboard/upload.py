"""Upload page (/upload): a liaison sends their participant's figures; the secretariat, anyone's.

Drop a file -> the ingest's dry run shows every problem, or what would change -> confirm -> receipt.
The same `data_ingest.load.load_file` as the command line does the work; nothing is kept between
steps on the server (the browser holds the file until it is confirmed, and it is checked again).
The browser first checks the file's size: a file over the limit clears the previous file's preview
and is never sent (the server refuses it too, should anyone send it anyway).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard._access import STAFF, require_roles, restricted_layout
from dashboard._auth import signed_in
from dashboard._upload_parts import (
    history_panel,
    history_rows,
    preview_panel,
    receipt_panel,
    receipt_text,
    report_panel,
    visible_upload,
)
from data_ingest.load import load_file, registered_participants
from data_ingest.template import template_csv, template_xlsx
from models.db import read_session
from models.settings import get_settings
from models.users import Identity

PATH = "/upload"
ANY_PARTICIPANT = "any"
dash.register_page(
    __name__, path=PATH, name="Upload", title="Upload figures · VID Monitor", order=80, roles=STAFF
)


def _participants() -> dict[str, str]:
    with read_session(_data.engine()) as session:
        return registered_participants(session)


@restricted_layout(STAFF, PATH)
def layout(**_query: str) -> html.Div:
    who = signed_in()
    assert who is not None
    participants = _participants()
    limit_mb = get_settings().max_upload_bytes / (1024 * 1024)
    if who.participant_code:
        scope = html.P(
            [
                "You send figures for ",
                html.Strong(f"{participants[who.participant_code]} ({who.participant_code})"),
                ". A file with a row for any other participant is refused as a whole.",
            ]
        )
        on_behalf = html.Div(
            [dcc.Store(id="upload-on-behalf", data=None), dcc.Store(id="upload-received-on")]
        )
    else:
        scope = html.P("As the secretariat you may send figures for any participant; give the reason below.")
        on_behalf = dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Label("Only for this participant (optional check)", html_for="upload-on-behalf"),
                        dbc.Select(
                            id="upload-on-behalf",
                            options=[{"label": "Any participant", "value": ANY_PARTICIPANT}]
                            + [{"label": f"{c} — {n}", "value": c} for c, n in sorted(participants.items())],
                            value=ANY_PARTICIPANT,
                        ),
                    ],
                    md=6,
                ),
                dbc.Col(
                    [
                        dbc.Label(
                            "Report originally received on (historical reports)",
                            html_for="upload-received-on",
                        ),
                        dbc.Input(
                            id="upload-received-on",
                            type="date",
                            max=dt.datetime.now(dt.UTC).date().isoformat(),
                        ),
                    ],
                    md=6,
                ),
            ],
            className="mb-3",
        )
    return html.Div(
        [
            html.H1("Upload figures"),
            scope,
            on_behalf,
            html.P(
                [
                    "Start from the template: ",
                    dbc.Button(
                        "XLSX template",
                        id="upload-template-xlsx",
                        size="sm",
                        color="secondary",
                        className="me-2",
                    ),
                    dbc.Button("CSV template", id="upload-template-csv", size="sm", color="secondary"),
                    dcc.Download(id="upload-template-download"),
                    " — what each column takes is on the ",
                    html.A("file format page", href="/file-format"),
                    ".",
                ]
            ),
            dcc.Upload(
                id="upload-file",
                children=html.Div(
                    [
                        html.Strong("Drag and drop a file here, or press to choose one"),
                        html.Br(),
                        f"CSV, XLSX or JSON, up to {limit_mb:g} MB",
                    ]
                ),
                accept=".csv,.txt,.tsv,.xlsx,.json",
                className="border border-2 border-secondary-subtle rounded p-4 text-center mb-3",
                style={"borderStyle": "dashed"},
            ),
            dcc.Store(id="upload-limit", data=get_settings().max_upload_bytes),
            dcc.Store(id="upload-chosen"),
            dcc.Loading(html.Div(id="upload-preview", role="status")),
            dbc.Label(
                "Reason (why these figures are sent or corrected; needed for corrections)",
                html_for="upload-reason",
            ),
            dbc.Textarea(
                id="upload-reason", placeholder="e.g. Annual report 2025; corrected 2024 after de-duplication"
            ),
            dbc.Button(
                "Confirm and record these figures",
                id="upload-confirm",
                color="primary",
                disabled=True,
                className="mt-2",
            ),
            dcc.Loading(html.Div(id="upload-receipt", className="mt-3", role="status")),
            dcc.Store(id="upload-receipt-id"),
            dcc.Download(id="upload-receipt-download"),
            history_panel(history_rows(_data.engine(), who)),
        ]
    )


def _decode(contents: str | None) -> bytes:
    if not contents or "," not in contents:
        raise ValueError("The file could not be read. Choose it again.")
    try:
        return base64.b64decode(contents.split(",", 1)[1], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("The file could not be read. Choose it again.") from exc


def _restriction(who: Identity, on_behalf: str | None) -> str | None:
    """The one participant the file may hold: a liaison's own; for the secretariat, the one chosen."""
    return who.participant_code or (None if on_behalf in (None, "", ANY_PARTICIPANT) else on_behalf)


def _received_on(who: Identity, text: str | None) -> dt.date | None:
    if who.participant_code or not text:
        return None
    return dt.date.fromisoformat(text)


# A new file replaces everything the previous one showed; one over the limit goes no further.
clientside_callback(
    """
    function (contents, filename, limit) {
        if (!contents) {
            return [null, null, true, null];
        }
        const data = contents.slice(contents.indexOf(",") + 1);
        const padding = data.endsWith("==") ? 2 : (data.endsWith("=") ? 1 : 0);
        const size = Math.floor(data.length * 3 / 4) - padding;
        if (size > limit) {
            const amount = (n) => n >= 1048576
                ? (n / 1048576).toFixed(1).replace(/\\.0$/, "") + " MB" : Math.ceil(n / 1024) + " kB";
            const message = (filename || "The file") + " is " + amount(size) + ", larger than the "
                + amount(limit) + " limit. It was not sent and nothing was recorded; split it "
                + "into smaller files (for example one per year).";
            const alert = {namespace: "dash_bootstrap_components", type: "Alert",
                           props: {children: message, color: "danger"}};
            return [null, alert, true, null];
        }
        return [{contents: contents, filename: filename}, "Checking " + (filename || "the file") + "…",
                true, null];
    }
    """,
    Output("upload-chosen", "data"),
    Output("upload-preview", "children", allow_duplicate=True),
    Output("upload-confirm", "disabled", allow_duplicate=True),
    Output("upload-receipt", "children", allow_duplicate=True),
    Input("upload-file", "contents"),
    State("upload-file", "filename"),
    State("upload-limit", "data"),
    prevent_initial_call=True,
)


def _chosen(chosen: dict[str, object] | None) -> tuple[str | None, str | None]:
    """The chosen file's data URL and name, as the browser's size check passed them on."""
    if not isinstance(chosen, dict):
        return None, None
    contents, filename = chosen.get("contents"), chosen.get("filename")
    text = contents if isinstance(contents, str) else None
    return text, (filename if isinstance(filename, str) else None)


@callback(
    Output("upload-preview", "children"),
    Output("upload-confirm", "disabled"),
    Output("upload-history-grid", "rowData"),
    Input("upload-chosen", "data"),
    State("upload-on-behalf", "value"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def preview_upload(
    chosen: dict[str, object] | None, on_behalf: str | None
) -> tuple[object, bool, list[dict[str, object]]]:
    who = signed_in()
    assert who is not None
    engine = _data.engine()
    contents, filename = _chosen(chosen)
    if contents is None:
        raise PreventUpdate  # no file, or one the browser found too large (it says so itself)
    try:
        content = _decode(contents)
    except ValueError as exc:
        return dbc.Alert(str(exc), color="danger"), True, history_rows(engine, who)
    if len(content) > get_settings().max_upload_bytes:
        return (
            dbc.Alert("The file is larger than the upload limit.", color="danger"),
            True,
            history_rows(engine, who),
        )
    name = filename or "upload"
    restriction = _restriction(who, on_behalf)
    report = load_file(engine, content, name, user=who.email, dry_run=True, allowed_participant=restriction)
    if report.status == "rejected":
        # Record the attempt (outcome rejected, with its report) so the secretariat sees it.
        report = load_file(engine, content, name, user=who.email, allowed_participant=restriction)
    return preview_panel(report), report.status != "valid", history_rows(engine, who)


@callback(
    Output("upload-receipt", "children"),
    Output("upload-preview", "children", allow_duplicate=True),
    Output("upload-receipt-id", "data"),
    Output("upload-confirm", "disabled", allow_duplicate=True),
    Output("upload-history-grid", "rowData", allow_duplicate=True),
    Input("upload-confirm", "n_clicks"),
    State("upload-chosen", "data"),
    State("upload-reason", "value"),
    State("upload-on-behalf", "value"),
    State("upload-received-on", "value"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def confirm_upload(
    _clicks: int | None,
    chosen: dict[str, object] | None,
    reason: str | None,
    on_behalf: str | None,
    received_on: str | None,
) -> tuple[object, object, int | None, bool, list[dict[str, object]]]:
    who = signed_in()
    assert who is not None
    engine = _data.engine()
    contents, filename = _chosen(chosen)
    reason = (reason or "").strip() or None
    keep = dash.no_update
    if who.is_secretariat and not reason:
        return (
            dbc.Alert("The secretariat must give a reason when sending figures.", color="danger"),
            keep,
            None,
            False,
            history_rows(engine, who),
        )
    try:
        content = _decode(contents)
        submitted_on = _received_on(who, received_on)
        if not reason:
            planned = load_file(engine, content, filename or "upload", user=who.email, dry_run=True,
                                allowed_participant=_restriction(who, on_behalf))  # fmt: skip
            if planned.revised:
                message = (
                    f"This file changes {planned.revised} value(s) already recorded: say why in the reason "
                    "(e.g. corrected after de-duplication), then confirm again."
                )
                return dbc.Alert(message, color="danger"), keep, None, False, history_rows(engine, who)
        report = load_file(
            engine,
            content,
            filename or "upload",
            user=who.email,
            reason=reason,
            submitted_on=submitted_on,
            allowed_participant=_restriction(who, on_behalf),
            corrections_need_reason=True,  # also if a value was recorded since the check above
        )
    except ValueError as exc:
        return dbc.Alert(str(exc), color="danger"), keep, None, False, history_rows(engine, who)
    if report.status == "rejected":  # the data changed since the preview, or the file was swapped
        return None, preview_panel(report), None, True, history_rows(engine, who)
    detail = visible_upload(engine, who, report.upload_id, with_figures=True)
    # The preview said "nothing is recorded until you confirm": it gives way to the receipt.
    return receipt_panel(detail), None, report.upload_id, True, history_rows(engine, who)


@callback(
    Output("upload-receipt-download", "data"),
    Input("upload-receipt-button", "n_clicks"),
    State("upload-receipt-id", "data"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def download_receipt(_clicks: int | None, upload_id: int | None) -> dict[str, object]:
    who = signed_in()
    assert who is not None
    if upload_id is None:
        raise PreventUpdate
    detail = visible_upload(_data.engine(), who, upload_id, with_figures=True)
    return {
        "content": receipt_text(detail),
        "filename": f"vid-monitor-receipt-{detail['upload_id']}.txt",
        "type": "text/plain",
    }


@callback(
    Output("upload-template-download", "data"),
    Input("upload-template-xlsx", "n_clicks"),
    Input("upload-template-csv", "n_clicks"),
    State("upload-on-behalf", "value"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def download_template(_xlsx: int | None, _csv: int | None, on_behalf: str | None) -> dict[str, object]:
    who = signed_in()
    assert who is not None
    participant = _restriction(who, on_behalf)
    today = dt.datetime.now(dt.UTC).date()
    suffix = f"-{participant}" if participant else ""
    if dash.ctx.triggered_id == "upload-template-csv":
        return dcc.send_string(template_csv(participant, today), f"vid-monitor-template{suffix}.csv")
    content = template_xlsx(_participants(), participant, today)
    return dcc.send_bytes(content, f"vid-monitor-template{suffix}.xlsx")


@callback(
    Output("upload-history-report", "children"),
    Input("upload-history-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def show_upload_report(selected: list[dict[str, object]] | None) -> object:
    who = signed_in()
    assert who is not None
    if not selected:
        raise PreventUpdate
    first = selected[0] if isinstance(selected, list) else None
    return report_panel(
        visible_upload(_data.engine(), who, first.get("upload_id") if isinstance(first, dict) else None)
    )
