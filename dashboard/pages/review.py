"""Review page (/review): the secretariat accepts or returns what liaisons submitted, oldest first.

Each submission shows what accepting it would change (the value counting now → the submitted one,
`models.cycles.review.pending_changes`); Accept (an optional reason) or Return (a comment the liaison
reads) asks for a confirmation naming the upload. `models.cycles.review` decides who may act and on
what (from the database's records: the account's role, the upload's status, the locks of closed
cycles) and audits every decision; the browser only names the upload by its id.
"""

from __future__ import annotations

from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import _data
from dashboard.components.layout import aria
from dashboard.server.access import SECRETARIAT, require_roles, restricted_layout
from dashboard.server.auth import signed_in
from models.accounts.audit import upload_id_from
from models.accounts.users import Actor
from models.base import utcnow
from models.cycles import CycleError
from models.cycles.locks import lock_problem, lock_violations
from models.cycles.review import (
    PendingChange,
    Submission,
    accept_upload,
    list_submissions,
    pending_changes,
    return_upload,
    submission_of,
)
from models.reports.summaries.words import date_time_text, words_count

PATH = "/review"
dash.register_page(
    __name__,
    path=PATH,
    name="Review",
    title="Review of submissions · VID Monitor",
    order=85,
    roles=SECRETARIAT,
)

#: How many cells of one submission the preview lists (the rest are counted).
CHANGES_SHOWN = 200
ACTIONS = ("accept", "return")
DEMO = " (demonstration)"
TEXT = {
    "intro": "Figures a liaison uploads are submitted: they count on the public pages once you accept "
    "them. Return an upload with a comment to its liaison when its figures need correcting; what was "
    "accepted before keeps counting. Every decision is in the audit log.",
    "empty": "Nothing waits for review.",
    "confirm_accept": "Accept upload {upload} ({file}, {who}, sent by {sender})? Its figures ({values}) "
    "count from now on.",
    "confirm_return": "Return upload {upload} ({file}, {who}, sent by {sender}) with your comment? Its "
    "figures will not count; the liaison reads the comment on their upload page.",
    "need_comment": "Say why the upload is returned (the comment box): the liaison reads it.",
    "accepted": "Accepted upload {upload} ({file}): {changed} changed; its figures count from now on.",
    "returned": "Returned upload {upload} ({file}) to {sender} with your comment; its figures do not count.",
    "refused": "Not done: {error}. Nothing was changed.",
    "gone": "Upload {upload} no longer waits for review (it may have been reviewed meanwhile).",
}


def _who(submission: Submission) -> str:
    return submission.participant or "several participants"


def queue_rows(submissions: list[Submission]) -> list[dict[str, Any]]:
    """The waiting submissions as the queue lists them, oldest first."""
    return [
        {
            "upload": s.upload,
            "received": date_time_text(s.received_at),
            "received_on": s.received_on.isoformat(),
            "participant": _who(s),
            "file": s.file,
            "sent_by": s.submitted_by,
            "values": s.values,
            "years": "" if s.first_year is None else f"{s.first_year}–{s.last_year}",
            "demonstration": s.demonstration,
        }
        for s in submissions
    ]


QUEUE_HEADERS = (
    ("upload", "Upload"),
    ("received", "Received"),
    ("received_on", "Counts as received on"),
    ("participant", "Participant"),
    ("file", "File"),
    ("sent_by", "Sent by"),
    ("values", "Values"),
    ("years", "Years"),
)


def queue_panel(submissions: list[Submission]) -> html.Div:
    if not submissions:
        return html.Div(dbc.Alert(TEXT["empty"], color="success"), id="review-queue-empty")
    rows = queue_rows(submissions)
    body = [
        html.Tr(
            [
                html.Td(f"{row[key]}{DEMO if key == 'file' and row['demonstration'] else ''}")
                for key, _header in QUEUE_HEADERS
            ]
        )
        for row in rows
    ]
    return html.Div(
        [
            html.P(
                f"{words_count(len(rows), 'upload').capitalize()} waiting, oldest first.", className="mb-1"
            ),
            scrolling_table(
                dbc.Table(
                    [
                        html.Thead(html.Tr([html.Th(h, scope="col") for _k, h in QUEUE_HEADERS])),
                        html.Tbody(body),
                    ],
                    size="sm",
                    striped=True,
                    className="mb-0",
                ),
                "Uploads waiting for review",
            ),
        ]
    )


def scrolling_table(table: dbc.Table, label: str) -> html.Div:
    """A table that scrolls sideways when wider than a phone, its scroll area reachable by keyboard
    (one Tab stop, then the arrow keys) and named for screen readers."""
    return html.Div(table, className="table-responsive", tabIndex=0, role="region", **aria(label=label))


def _options(submissions: list[Submission]) -> list[dict[str, Any]]:
    return [
        {
            "label": f"Upload {s.upload} — {_who(s)} — {s.file} ({date_time_text(s.received_at)})",
            "value": s.upload,
        }
        for s in submissions
    ]


def _value(value: int | None) -> str:
    return "(none)" if value is None else f"{value:,}"


def preview_panel(submission: Submission | None, changes: list[PendingChange], lock: str | None) -> html.Div:
    """What accepting this submission would change, cell by cell (old → new)."""
    if submission is None:
        return html.Div()
    changed = [c for c in changes if c.accepted != c.submitted]
    heading = f"Upload {submission.upload}: {submission.file} — {_who(submission)}"
    parts: list[Any] = [
        html.H2(heading, className="h5"),
        html.P(
            f"Sent by {submission.submitted_by} on {date_time_text(submission.received_at)}; "
            f"{words_count(len(changes), 'value')}, {words_count(len(changed), 'value')} "
            "would change if accepted.",
            className="mb-2",
        ),
    ]
    if submission.demonstration:
        parts.append(dbc.Alert("Demonstration data.", color="warning", className="py-1"))
    if lock:
        parts.append(dbc.Alert(f"Accepting is refused as it stands: {lock}.", color="danger"))
    shown = changes[:CHANGES_SHOWN]
    rows = [
        html.Tr(
            [
                html.Td(c.participant),
                html.Td(c.indicator.replace("_", " ")),
                html.Td(str(c.year)),
                html.Td(
                    f"{_value(c.accepted)} → {c.submitted:,}" if c.accepted != c.submitted else "no change"
                ),
            ],
            className="" if c.accepted != c.submitted else "text-body-secondary",
        )
        for c in shown
    ]
    headers = ("Participant", "Figure", "Year", "Counting now → submitted")
    parts.append(
        scrolling_table(
            dbc.Table(
                [html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])), html.Tbody(rows)],
                size="sm",
                id="review-changes",
            ),
            "What accepting would change",
        )
    )
    if len(changes) > len(shown):
        parts.append(html.P(f"Shown: the first {len(shown):,} of {len(changes):,} values."))
    return html.Div(parts)


def _preview_of(upload_id: int | None) -> html.Div:
    if upload_id is None:
        return html.Div()
    with _data.reading() as session:
        submission = submission_of(session, upload_id)
        if submission is None or submission.status != "submitted":
            return html.Div(dbc.Alert(TEXT["gone"].format(upload=upload_id), color="warning"))
        changes = pending_changes(session, upload_id)
        moving = ((c.participant, c.year) for c in changes if c.accepted != c.submitted)
        violations = lock_violations(session, moving, utcnow().date())
    return preview_panel(submission, changes, lock_problem(violations) if violations else None)


def _waiting() -> list[Submission]:
    with _data.reading() as session:
        return list_submissions(session, status="submitted")


@restricted_layout(SECRETARIAT, PATH)
def layout(**_query: str) -> html.Div:
    waiting = _waiting()
    first = waiting[0].upload if waiting else None
    return html.Div(
        [
            html.H1("Review of submissions"),
            html.P(TEXT["intro"]),
            html.Section(
                [
                    html.H2("Waiting for review", className="h4"),
                    html.Div(queue_panel(waiting), id="review-queue"),
                ]
            ),
            html.Section(
                [
                    dbc.Label("Upload to review", html_for="review-upload", className="mt-3"),
                    dbc.Select(id="review-upload", options=_options(waiting), value=first),
                    dcc.Loading(html.Div(_preview_of(first), id="review-preview", className="mt-3")),
                    dbc.Label(
                        "Reason (optional when accepting) or comment for the liaison (needed when returning)",
                        html_for="review-reason",
                    ),
                    dbc.Textarea(id="review-reason", rows=3, maxLength=2000),
                    html.Div(
                        [
                            dbc.Button("Accept", id="review-accept", color="success"),
                            dbc.Button(
                                "Return to the liaison", id="review-return", color="danger", outline=True
                            ),
                        ],
                        className="d-flex flex-wrap gap-2 mt-2",
                    ),
                    dcc.ConfirmDialog(id="review-confirm", message=""),
                    dcc.Store(id="review-pending"),
                    html.Div(id="review-result", className="mt-3", role="status"),
                ],
                hidden=not waiting,
                id="review-form",
            ),
        ]
    )


@callback(Output("review-preview", "children"), Input("review-upload", "value"), prevent_initial_call=True)
@require_roles(SECRETARIAT)
def show_review_preview(value: Any) -> object:
    return _preview_of(upload_id_from(value))


@callback(
    Output("review-confirm", "displayed"),
    Output("review-confirm", "message"),
    Output("review-pending", "data"),
    Output("review-result", "children"),
    Input("review-accept", "n_clicks"),
    Input("review-return", "n_clicks"),
    State("review-upload", "value"),
    State("review-reason", "value"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def ask_review(_accept: Any, _return: Any, value: Any, reason: Any) -> tuple[object, ...]:
    action = "accept" if ctx.triggered_id == "review-accept" else "return"
    upload_id = upload_id_from(value)
    if upload_id is None:
        raise PreventUpdate
    reason = reason.strip() if isinstance(reason, str) else ""
    with _data.reading() as session:
        submission = submission_of(session, upload_id)
    if submission is None or submission.status != "submitted":
        return False, "", None, dbc.Alert(TEXT["gone"].format(upload=upload_id), color="warning")
    if action == "return" and not reason:
        return False, "", None, dbc.Alert(TEXT["need_comment"], color="danger")
    message = TEXT[f"confirm_{action}"].format(
        upload=upload_id,
        file=submission.file,
        who=_who(submission),
        sender=submission.submitted_by,
        values=words_count(submission.values, "value"),
    )
    return True, message, {"action": action, "upload": upload_id, "reason": reason}, None


@callback(
    Output("review-result", "children", allow_duplicate=True),
    Output("review-queue", "children"),
    Output("review-upload", "options"),
    Output("review-upload", "value"),
    Output("review-reason", "value"),
    Input("review-confirm", "submit_n_clicks"),
    State("review-pending", "data"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def decide_review(_confirmed: Any, pending: Any) -> tuple[object, ...]:
    """Accepts or returns the upload the confirmation named; models decide whether it may be done."""
    who = signed_in()
    assert who is not None
    if not isinstance(pending, dict) or pending.get("action") not in ACTIONS:
        raise PreventUpdate
    upload_id = upload_id_from(pending.get("upload"))
    reason = pending.get("reason")
    if upload_id is None or not isinstance(reason, str):
        raise PreventUpdate
    actor = Actor(who.email, who.id)
    try:
        with _data.writing() as session:
            submission = submission_of(session, upload_id)
            if submission is None:
                raise CycleError(f"no upload {upload_id}")
            if pending["action"] == "accept":
                changed = accept_upload(session, actor, upload_id, reason or None)
                message = TEXT["accepted"].format(
                    upload=upload_id, file=submission.file, changed=words_count(changed, "value")
                )
            else:
                return_upload(session, actor, upload_id, reason)
                message = TEXT["returned"].format(
                    upload=upload_id, file=submission.file, sender=submission.submitted_by
                )
        result = dbc.Alert(message, color="success")
        kept_reason: object = ""
    except CycleError as exc:
        result = dbc.Alert(TEXT["refused"].format(error=exc), color="danger")
        kept_reason = dash.no_update
    waiting = _waiting()
    first = waiting[0].upload if waiting else None
    return result, queue_panel(waiting), _options(waiting), first, kept_reason
