"""Reminders on /reporting (the secretariat only): who owes figures in the open cycle, with their liaisons.

With SMTP configured (VID_SMTP_HOST, VID_SMTP_FROM), "Send reminder" emails the chosen participant's
liaisons (`models.cycles.reminders.send_reminder`, audited as `reminder.sent`); without it, each
participant's ready-to-copy text and a mailto: link. The section is rendered only for the
secretariat, and its callback refuses other roles (`require_roles`), whatever the browser sends.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html

from dashboard import _data
from dashboard.server.access import SECRETARIAT, require_roles, role_of
from dashboard.server.auth import signed_in
from models.accounts.users import Actor
from models.cycles import CycleError
from models.cycles.reminders import Reminder, reminder_text, reminders_due, send_reminder
from models.db import keep_data_version
from models.reports.summaries.words import words_count
from models.settings import get_settings


def _due() -> list[Reminder]:
    with _data.reading() as session:
        return reminders_due(session)


def _standing(reminder: Reminder) -> str:
    late = "late" if reminder.late else f"due {reminder.deadline.isoformat()}"
    return f"{reminder.status.replace('_', ' ')}, {late}; owes {reminder.missing_years}"


def _entry(reminder: Reminder) -> html.Details:
    liaisons = ", ".join(reminder.recipients) or "no active liaison account"
    return html.Details(
        [
            html.Summary(f"{reminder.participant} — {reminder.name}: {_standing(reminder)} · {liaisons}"),
            html.Pre(reminder_text(reminder), className="small border rounded p-2 mt-1 text-wrap"),
            html.A("Open in your email program", href=reminder.mailto, className="small")
            if reminder.recipients
            else None,
        ],
        className="mb-1",
    )


def reminders_section() -> html.Section | None:
    """The section, for the secretariat only (None for everyone else)."""
    if role_of(signed_in()) not in SECRETARIAT:
        return None
    due = _due()
    heading = html.H2("Reminders", className="h4 mt-4", id="reporting-reminders-heading")
    if not due:
        return html.Section(
            [heading, html.P("No participant owes figures in an open cycle.")], id="reporting-reminders"
        )
    parts: list[Any] = [
        heading,
        html.P(
            f"{due[0].cycle}: {words_count(len(due), 'participant')} missing or late, with their liaisons. "
            "Every reminder sent is in the audit log.",
        ),
    ]
    if get_settings().smtp_configured:
        options = [
            {"label": f"{r.participant} — {r.name}", "value": r.participant} for r in due if r.recipients
        ]
        parts.append(
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Participant", html_for="reporting-reminders-participant"),
                            dbc.Select(id="reporting-reminders-participant", options=options),
                        ],
                        md=6,
                    ),
                    dbc.Col(
                        dbc.Button("Send reminder", id="reporting-reminders-send", color="primary"),
                        md="auto",
                        className="align-self-end",
                    ),
                ],
                className="g-2 mb-2",
            )
        )
    else:
        parts.append(
            dbc.Alert(
                "Email is not configured (VID_SMTP_HOST, VID_SMTP_FROM): copy each reminder's text, or open "
                "it in your email program.",
                color="info",
            )
        )
    parts += [
        html.Div(id="reporting-reminders-result", role="status"),
        html.Div([_entry(r) for r in due], id="reporting-reminders-list"),
    ]
    return html.Section(parts, id="reporting-reminders")


@callback(
    Output("reporting-reminders-result", "children"),
    Input("reporting-reminders-send", "n_clicks"),
    State("reporting-reminders-participant", "value"),
    prevent_initial_call=True,
)
@require_roles(SECRETARIAT)
def send_participant_reminder(_clicks: Any, participant: Any) -> object:
    """Sends the chosen participant's reminder as the database has it now (models decide who may)."""
    who = signed_in()
    assert who is not None
    if not isinstance(participant, str) or not participant:
        return dbc.Alert("Choose a participant first.", color="warning")
    reminder = next((r for r in _due() if r.participant == participant), None)
    if reminder is None:
        return dbc.Alert(f"{participant[:10]} owes no figures in the open cycle.", color="warning")
    try:
        with _data.writing() as session:
            keep_data_version(session)  # an audit event only: no figure changes
            send_reminder(session, Actor(who.email, who.id), reminder, get_settings())
    except CycleError as exc:
        return dbc.Alert(f"Not sent: {exc}.", color="danger")
    return dbc.Alert(
        f"Reminder sent to {', '.join(reminder.recipients)} ({reminder.participant}).", color="success"
    )
