"""Upload page (/upload): a liaison sends their participant's figures; the secretariat, anyone's.

Drop a file -> the ingest's dry run shows its problems (bounded, with a download of all), or what
would change -> confirm -> receipt. The same `data_ingest.load` as the command line does the work:
a file is read and validated once, and kept in this process between preview and Confirm
(`dashboard.pages._upload_inputs`); Confirm decides again, inside its write, everything that depends on
the database. The browser first checks the file's size: a file over the limit clears the previous
file's preview and is never sent (the server refuses it too, should anyone send it anyway).
A file with warnings is recorded only once they are ticked as checked; the server, which knows the
file's warnings, refuses a Confirm whose warnings were not acknowledged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard.pages import _upload_downloads  # noqa: F401 - registers the page's downloads
from dashboard.pages._upload_inputs import (
    ANY_PARTICIPANT,
    chosen_file,
    chosen_prepared,
    controls_of,
    messages_of,
    selected_upload_id,
)
from dashboard.pages._upload_inputs import participants as registered
from dashboard.pages._upload_parts import (
    history_panel,
    history_rows,
    preview_panel,
    report_panel,
    visible_upload,
)
from dashboard.pages._upload_receipt import receipt_panel
from dashboard.server.access import STAFF, require_roles, restricted_layout
from dashboard.server.auth import signed_in
from data_ingest.load import preview, record
from models.accounts.audit import record_refused_confirm
from models.accounts.users import Identity
from models.demo import holds_demo_data
from models.reports.summaries.words import words_count
from models.settings import get_settings

PATH = "/upload"
MESSAGE_IDS = ("upload-on-behalf", "upload-received-on", "upload-reason")
DEMO_NOTICE = (
    "This database holds the demonstration data. Real figures are refused until it is removed: you can "
    "check a file here, but nothing will be recorded. "
)
DEMO_WHO_REMOVES = {
    "liaison": "The secretariat removes the demonstration data (on the server: {command}); ask them "
    "before you send your figures.",
    "staff": "The secretariat or an admin removes it on the server, with {command} (see the README, "
    "“Loading real data instead of the demonstration”).",
}
REASON_LABELS = {
    "liaison": "Reason (needed when the file corrects values already recorded; optional otherwise)",
    "staff": "Reason (always needed: the secretariat says why it sends every file)",
}
ACKNOWLEDGE = "I have checked {warnings} against our records"
UNCHECKED = (
    "This file has {warnings} worth a second look: tick “I have checked …” once you have checked them, "
    "then confirm again."
)
WARNINGS_CHANGED = (
    "The file's warnings changed since its preview (values were recorded meanwhile): choose the file "
    "again to see them, then confirm."
)
dash.register_page(
    __name__, path=PATH, name="Upload", title="Upload figures · VID Monitor", order=80, roles=STAFF
)


@restricted_layout(STAFF, PATH)
def layout(**_query: str) -> html.Div:
    who = signed_in()
    assert who is not None
    participants = registered()
    limit_mb = get_settings().max_upload_bytes / (1024 * 1024)
    if who.participant_code:
        scope = html.P(
            [
                "You send figures for ",
                html.Strong(f"{participants[who.participant_code]} ({who.participant_code})"),
                ". A file with a row for any other participant is refused as a whole.",
            ]
        )
        # The secretariat's controls, absent for a liaison: their values are ignored if sent anyway.
        on_behalf = html.Div(
            [
                dcc.Store(id="upload-on-behalf", data=None),
                dcc.Store(id="upload-received-on"),
                html.Div(id="upload-on-behalf-message", hidden=True),
                html.Div(id="upload-received-on-message", hidden=True),
            ]
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
                        _message("upload-on-behalf"),
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
                        _message("upload-received-on"),
                    ],
                    md=6,
                ),
            ],
            className="mb-3",
        )
    return html.Div(
        [
            html.H1("Upload figures"),
            *_demo_notice(who),
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
            dcc.Download(id="upload-problems-download"),
            # Shown once a preview has warnings; Confirm waits for the tick (so does the server).
            html.Div(
                dbc.Checkbox(
                    id="upload-warnings-checked", label="I have checked these warnings", value=False
                ),
                id="upload-warnings-box",
                hidden=True,
                className="alert alert-warning py-2 mb-3",
            ),
            dcc.Store(id="upload-ready"),
            dbc.Label(
                REASON_LABELS["liaison" if who.participant_code else "staff"],
                html_for="upload-reason",
            ),
            dbc.Textarea(
                id="upload-reason", placeholder="e.g. Annual report 2025; corrected 2024 after de-duplication"
            ),
            _message("upload-reason"),
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
            history_panel(history_rows(who)),
            dcc.Download(id="upload-report-download"),
        ]
    )


def _demo_notice(who: Identity) -> list[Any]:
    """Said before a file is chosen: a database with demonstration data refuses real figures."""
    with _data.reading() as session:
        if not holds_demo_data(session):
            return []
    who_removes = DEMO_WHO_REMOVES["liaison" if who.participant_code else "staff"]
    return [
        dbc.Alert(
            [
                html.Strong("Demonstration database. "),
                DEMO_NOTICE,
                who_removes.split("{command}")[0],
                html.Code("python -m data_ingest demo --remove", className="text-reset fw-bold"),
                who_removes.split("{command}")[1],
            ],
            color="warning",
            id="upload-demo-notice",
        )
    ]


def _message(control: str) -> html.Div:
    """Where what is wrong with a control's value is said, beside it."""
    return html.Div(id=f"{control}-message", className="invalid-feedback d-block", role="alert")


# A new file replaces everything the previous one showed; one over the limit goes no further.
clientside_callback(
    """
    function (contents, filename, limit) {
        if (!contents) {  // emptied after a recording: the receipt stays
            return window.dash_clientside.no_update;
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
            return [null, alert, true, null, null, true, false];
        }
        return [{contents: contents, filename: filename}, "Checking " + (filename || "the file") + "…",
                true, null, null, true, false];
    }
    """,
    Output("upload-chosen", "data"),
    Output("upload-preview", "children", allow_duplicate=True),
    Output("upload-confirm", "disabled", allow_duplicate=True),
    Output("upload-receipt", "children", allow_duplicate=True),
    Output("upload-ready", "data", allow_duplicate=True),
    Output("upload-warnings-box", "hidden", allow_duplicate=True),
    Output("upload-warnings-checked", "value", allow_duplicate=True),
    Input("upload-file", "contents"),
    State("upload-file", "filename"),
    State("upload-limit", "data"),
    prevent_initial_call=True,
)


# Confirm is enabled for a file without problems once its warnings, if any, are ticked as checked.
clientside_callback(
    """
    function (checked, ready) {
        return !(ready && (ready.warnings === 0 || checked === true));
    }
    """,
    Output("upload-confirm", "disabled", allow_duplicate=True),
    Input("upload-warnings-checked", "value"),
    State("upload-ready", "data"),
    prevent_initial_call=True,
)


@callback(
    Output("upload-preview", "children"),
    Output("upload-confirm", "disabled"),
    Output("upload-history-grid", "rowData"),
    Output("upload-on-behalf-message", "children"),
    Output("upload-received-on-message", "children"),
    Output("upload-ready", "data"),
    Output("upload-warnings-box", "hidden"),
    Output("upload-warnings-checked", "label"),
    Output("upload-warnings-checked", "value"),
    Input("upload-chosen", "data"),
    State("upload-on-behalf", "value"),
    State("upload-received-on", "value"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def preview_upload(chosen: Any, on_behalf: Any, received_on: Any = None) -> tuple[object, ...]:
    who = signed_in()
    assert who is not None
    engine = _data.engine()
    if chosen_file(chosen)[0] is None:
        raise PreventUpdate  # no file, or one the browser found too large (it says so itself)
    controls = controls_of(who, on_behalf, received_on)
    messages = messages_of(controls, "upload-on-behalf", "upload-received-on")
    not_ready = (None, True, dash.no_update, False)
    if not controls.valid:
        return None, True, history_rows(who), *messages, *not_ready
    try:
        prepared = chosen_prepared(who, chosen, controls)
    except ValueError as exc:
        return dbc.Alert(str(exc), color="danger"), True, history_rows(who), *messages, *not_ready
    report = preview(engine, prepared, submitted_on=controls.received_on)
    if report.status == "rejected":
        # Record the attempt (outcome rejected, with its report) so the secretariat sees it: the file
        # as read and validated for the preview, not read again.
        report = record(engine, prepared, user=who.email, submitted_on=controls.received_on)
        panel = preview_panel(report, reason_always=who.is_secretariat)
        return panel, True, history_rows(who), *messages, *not_ready
    warnings = len(report.warnings)
    return (
        preview_panel(report, reason_always=who.is_secretariat),
        warnings > 0,  # enabled once they are ticked as checked
        history_rows(who),
        *messages,
        {"warnings": warnings},
        warnings == 0,
        ACKNOWLEDGE.format(
            warnings="this warning" if warnings == 1 else f"these {words_count(warnings, 'warning')}"
        ),
        False,
    )


@callback(
    Output("upload-receipt", "children"),
    Output("upload-preview", "children", allow_duplicate=True),
    Output("upload-receipt-id", "data"),
    Output("upload-confirm", "disabled", allow_duplicate=True),
    Output("upload-history-grid", "rowData", allow_duplicate=True),
    Output("upload-on-behalf-message", "children", allow_duplicate=True),
    Output("upload-received-on-message", "children", allow_duplicate=True),
    Output("upload-reason-message", "children"),
    Output("upload-reason", "value"),
    Output("upload-warnings-checked", "value", allow_duplicate=True),
    Output("upload-warnings-box", "hidden", allow_duplicate=True),
    Output("upload-ready", "data", allow_duplicate=True),
    Output("upload-received-on", "value"),
    Output("upload-file", "contents"),
    Input("upload-confirm", "n_clicks"),
    State("upload-chosen", "data"),
    State("upload-reason", "value"),
    State("upload-on-behalf", "value"),
    State("upload-received-on", "value"),
    State("upload-warnings-checked", "value"),
    State("upload-ready", "data"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def confirm_upload(
    _clicks: int | None,
    chosen: Any,
    reason: Any,
    on_behalf: Any,
    received_on: Any,
    checked: Any = None,
    ready: Any = None,
) -> tuple[object, ...]:
    who = signed_in()
    assert who is not None
    engine = _data.engine()
    keep = dash.no_update
    controls = controls_of(who, on_behalf, received_on, reason)
    messages = messages_of(controls, *MESSAGE_IDS)
    fields_kept = (keep,) * 6  # a refused Confirm keeps what was typed and ticked
    # After a recording: the file, the reason, the tick and the received-on date are emptied.
    fields_cleared = ("", False, True, None, None, None)

    def refused(message: str, shown: bool = True, sha256: str | None = None) -> tuple[object, ...]:
        # Every refused Confirm is in the audit log (issue 11): who, which file, why; no figure changes.
        with _data.account_change() as session:
            record_refused_confirm(
                session, who.email, chosen_file(chosen)[1], message, controls.restriction, sha256
            )
        alert = dbc.Alert(message, color="danger") if shown else None
        # Confirm stays enabled (it was, to be pressed): the liaison corrects what the message says.
        return alert, keep, None, keep, history_rows(who), *messages, *fields_kept

    if not controls.valid:
        return refused("; ".join(controls.messages.values()), shown=False)  # shown beside the controls
    if who.is_secretariat and not controls.reason:
        return refused("The secretariat must give a reason when sending figures.")
    try:
        prepared = chosen_prepared(who, chosen, controls)
    except ValueError as exc:
        return refused(str(exc))
    planned = preview(engine, prepared, submitted_on=controls.received_on)
    if planned.status == "valid":
        # The server knows the file's warnings: they must have been ticked as checked, all of them.
        warnings = len(planned.warnings)
        if warnings and checked is not True:
            return refused(
                UNCHECKED.format(warnings=words_count(warnings, "warning")), sha256=prepared.sha256
            )
        shown = ready.get("warnings") if isinstance(ready, dict) else None
        if warnings and shown != warnings:
            return refused(WARNINGS_CHANGED, sha256=prepared.sha256)
    if not controls.reason and planned.revised:
        return refused(
            f"This file corrects {words_count(planned.revised, 'value')} already recorded: say why in the "
            "Reason box (e.g. corrected after de-duplication), then confirm again.",
            sha256=prepared.sha256,
        )
    report = record(
        engine,
        prepared,
        user=who.email,
        reason=controls.reason,
        submitted_on=controls.received_on,
        corrections_need_reason=True,  # also if a value was recorded since the check above
        submitted=not who.is_secretariat,  # a liaison's figures wait for the secretariat's review
    )
    if report.status == "rejected":  # the data changed since the preview, or the file was swapped
        panel = preview_panel(report, reason_always=who.is_secretariat)
        return (
            None,
            panel,
            None,
            True,
            history_rows(who),
            *messages,
            keep,
            False,
            True,
            None,
            keep,
            keep,
        )
    detail = visible_upload(who, report.upload_id, with_figures=True)
    # The preview said "nothing is recorded until you confirm": it gives way to the receipt.
    receipt = receipt_panel(detail)
    return receipt, None, report.upload_id, True, history_rows(who), *messages, *fields_cleared


@callback(
    Output("upload-history-report", "children"),
    Input("upload-history-grid", "selectedRows"),
    prevent_initial_call=True,
)
@require_roles(STAFF)
def show_upload_report(selected: Any) -> object:
    who = signed_in()
    assert who is not None
    number = selected_upload_id(selected)
    if number is None:
        raise PreventUpdate
    return report_panel(visible_upload(who, number))
