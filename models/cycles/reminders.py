"""Reminders for the open cycle: who still owes figures, their liaisons, and the email (or its text).

The open cycle is the current one (`models.metrics.reporting.current_cycle`) while it is not
closed. A participant is reminded while its reporting status is `missing` or `incomplete` (the
covered years it still owes); past the deadline the reminder says it is late. Reminders go by SMTP
(the VID_SMTP_* settings, standard library `smtplib`); without SMTP, `reminder_text` gives the
text to copy and a `mailto:` link. Every reminder sent is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import quote

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.accounts.audit import record_event
from models.accounts.users import Actor
from models.base import utcnow
from models.cycles import CycleError, actor_name, require_secretariat
from models.cycles.locks import closed_cycles
from models.metrics.reporting import current_cycle, reporting_table
from models.queries import cycles_frame, first_reported_frame, participants_frame
from models.reference import ANNUAL
from models.settings import Settings
from models.tables import User

#: Reporting statuses that still owe figures for the cycle.
OWING = ("missing", "incomplete")


@dataclass(frozen=True)
class Reminder:
    """One participant to remind: its status in the open cycle and its active liaisons' emails."""

    participant: str
    name: str
    cycle: str
    deadline: dt.date
    status: str
    missing_years: str
    late: bool
    recipients: tuple[str, ...]

    @property
    def subject(self) -> str:
        when = "overdue" if self.late else f"due {self.deadline.isoformat()}"
        return f"{self.cycle}: figures of {self.name} {when}"

    @property
    def body(self) -> str:
        owed = f"the figures for {self.missing_years}"
        deadline = self.deadline.isoformat()
        state = (
            f"were due on {deadline} and have not been received" if self.late else f"are due by {deadline}"
        )
        return (
            f"Dear liaison of {self.name},\n\n"
            f"For the reporting cycle {self.cycle} of the Global Alliance against child sexual abuse online, "
            f"{owed} (victims identified during each year) {state}.\n\n"
            "Please send them through the upload page of VID Monitor, "
            "or reply to this message with the file.\n\n"
            "With thanks,\nThe secretariat\n"
        )

    @property
    def mailto(self) -> str:
        """A mailto: link (RFC 6068) with the recipients, subject and body."""
        to = ",".join(quote(address, safe="@") for address in self.recipients)
        return f"mailto:{to}?subject={quote(self.subject)}&body={quote(self.body)}"


def open_cycle(session: Session, today: dt.date) -> str | None:
    """The cycle being collected: the current one, unless it is closed (then none)."""
    name = current_cycle(cycles_frame(session), today)
    if name is None or any(c.name == name for c in closed_cycles(session)):
        return None
    return name


def liaisons_by_participant(session: Session) -> dict[str, tuple[str, ...]]:
    """Active liaison accounts' emails, by participant, sorted."""
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(User.participant_code, User.email)
        .where(User.role == "liaison", User.active.is_(True))
        .order_by(User.email)
    )
    for code, email in rows:
        found.setdefault(str(code), []).append(str(email))
    return {code: tuple(emails) for code, emails in found.items()}


def reminders_due(session: Session, today: dt.date | None = None) -> list[Reminder]:
    """The participants of the open cycle still owing figures, by code (empty when no cycle is open).

    A participant without an active liaison is listed with no recipients (the page says so).
    """
    today = today or utcnow().date()
    name = open_cycle(session, today)
    if name is None:
        return []
    cycles = cycles_frame(session)
    register = participants_frame(session)
    table = reporting_table(cycles, register, first_reported_frame(session, ANNUAL))
    rows = table[(table["cycle"] == name) & table["status"].isin(OWING)]
    names = dict(zip(register["code"].astype(str), register["name"].astype(str), strict=True))
    liaisons = liaisons_by_participant(session)
    return [
        Reminder(
            participant=str(row.participant),
            name=names.get(str(row.participant), str(row.participant)),
            cycle=name,
            deadline=pd.Timestamp(row.deadline).date(),
            status=str(row.status),
            missing_years=str(row.missing_years),
            late=today > pd.Timestamp(row.deadline).date(),
            recipients=liaisons.get(str(row.participant), ()),
        )
        for row in rows.itertuples(index=False)
    ]


def reminder_text(reminder: Reminder) -> str:
    """The reminder as ready-to-copy text (To, Subject, body) followed by its mailto: link."""
    to = ", ".join(reminder.recipients) or "(no active liaison account: find the participant's contact)"
    return f"To: {to}\nSubject: {reminder.subject}\n\n{reminder.body}\n{reminder.mailto}\n"


def send_reminder(
    session: Session,
    actor: Actor | str,
    reminder: Reminder,
    settings: Settings,
    now: dt.datetime | None = None,
) -> None:
    """Email the reminder to its liaisons by SMTP, and log it (in the caller's unit of work).

    Secretariat only. Raises CycleError when SMTP is not configured, the participant has no
    liaison, or the server refuses (then nothing is logged as sent).
    """
    require_secretariat(session, actor, "send reminders")
    if not settings.smtp_configured:
        raise CycleError(
            "SMTP is not configured (VID_SMTP_HOST, VID_SMTP_FROM): copy the reminder text instead"
        )
    if not reminder.recipients:
        raise CycleError(f"{reminder.participant} has no active liaison account to remind")
    message = EmailMessage()
    message["From"] = str(settings.smtp_from)
    message["To"] = ", ".join(reminder.recipients)
    message["Subject"] = reminder.subject
    message.set_content(reminder.body)
    try:
        with smtplib.SMTP(
            str(settings.smtp_host), settings.smtp_port, timeout=settings.smtp_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password is not None:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise CycleError(f"the reminder to {reminder.participant} was not sent: {exc}") from exc
    record_event(
        session,
        actor_name(actor),
        "reminder.sent",
        reminder.participant,
        {
            "cycle": reminder.cycle,
            "status": reminder.status,
            "recipients": ", ".join(reminder.recipients),
            "subject": reminder.subject,
            "sent_at": (now or utcnow()).isoformat(),
        },
    )
