"""Reminders: who owes figures in the open cycle, sent to a local SMTP server, audited; or a mailto text."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select

from models.cycles import CycleError
from models.cycles.reminders import reminder_text, reminders_due, send_reminder
from models.db import read_session, write_transaction
from models.settings import Settings
from models.tables import AuditEvent
from tests.models.cycles.conftest import load, models

TODAY = dt.date(2026, 11, 28)  # Report 2026 (covers 2024-2025, due 2026-07-01) is the open cycle


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    """A local SMTP server of the test's own, on a free port."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield inbox, int(controller.port)
    finally:
        controller.stop()


def test_the_open_cycle_lists_who_owes_figures_with_their_liaisons(
    db_url: str, engine: Engine, accounts: dict[str, str], tmp_path: Path
) -> None:
    load(db_url, tmp_path, "DEU,2024,10,\nDEU,2025,11,\n", "--received-on", "2026-06-01")
    with read_session(engine) as session:
        due = {r.participant: r for r in reminders_due(session, TODAY)}
    assert "DEU" not in due  # reported every covered year
    fra = due["FRA"]
    assert (fra.cycle, fra.status, fra.missing_years, fra.late) == (
        "Report 2026",
        "missing",
        "2024, 2025",
        True,
    )
    assert fra.recipients == (accounts["liaison"],)
    assert due["ITA"].recipients == ()


def test_a_reminder_is_sent_by_smtp_and_audited(
    engine: Engine, accounts: dict[str, str], smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="secretariat@example.org")
    with read_session(engine) as session:
        fra = next(r for r in reminders_due(session, TODAY) if r.participant == "FRA")
    with write_transaction(engine) as session:
        send_reminder(session, "cli:tests", fra, settings)
    [(recipients, content)] = inbox.messages
    assert recipients == [accounts["liaison"]]
    message = message_from_bytes(content)
    assert message["Subject"] == "Report 2026: figures of France overdue"
    assert "the figures for 2024, 2025" in message.get_payload()
    with read_session(engine) as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.sent"))
    assert (event.actor, event.subject, event.details["recipients"]) == (
        "cli:tests",
        "FRA",
        accounts["liaison"],
    )


def test_without_smtp_a_reminder_is_a_text_and_a_mailto_link(
    engine: Engine, accounts: dict[str, str]
) -> None:
    with read_session(engine) as session:
        fra = next(r for r in reminders_due(session, TODAY) if r.participant == "FRA")
    copied = reminder_text(fra)
    assert copied.startswith(f"To: {accounts['liaison']}\nSubject: Report 2026: figures of France overdue\n")
    assert fra.mailto.startswith(f"mailto:{accounts['liaison']}?subject=Report%202026")
    assert unquote(fra.mailto.split("&body=")[1]) == fra.body
    with pytest.raises(CycleError, match="SMTP is not configured"), write_transaction(engine) as session:
        send_reminder(session, "cli:tests", fra, Settings(smtp_host=None, smtp_from=None))
    with read_session(engine) as session:
        assert list(session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.sent"))) == []


def test_a_closed_cycle_has_no_reminders(db_url: str, engine: Engine, tmp_path: Path) -> None:
    assert models(db_url, "cycles", "close", "--name", "Report 2026").returncode == 0
    with read_session(engine) as session:
        assert reminders_due(session, TODAY) == []
