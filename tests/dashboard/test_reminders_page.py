"""Reminders on /reporting: the secretariat sees who owes figures; sending goes to a local SMTP server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine, select

from models.db import read_session
from models.settings import Settings
from models.tables import AuditEvent
from tests.conftest import PASSWORD
from tests.models.cycles.test_reminders import Inbox, smtp_server  # noqa: F401  (a fixture)
from tests.web import WebClient


@pytest.fixture
def smtp_settings(smtp_server: tuple[Inbox, int], monkeypatch: pytest.MonkeyPatch) -> Inbox:  # noqa: F811
    inbox, port = smtp_server
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="secretariat@example.org")
    monkeypatch.setattr("dashboard.pages._reminders.get_settings", lambda: settings)
    return inbox


def send(web: WebClient, participant: Any) -> Any:
    return web.callback(
        [("reporting-reminders-result", "children")],
        [("reporting-reminders-send", "n_clicks", 1)],
        [("reporting-reminders-participant", "value", participant)],
    )


def sent(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEvent.subject).where(AuditEvent.action == "reminder.sent")))


def test_without_smtp_the_secretariat_gets_the_text_and_a_mailto_link(
    web: WebClient, accounts: dict[str, str]
) -> None:
    assert "reporting-reminders" not in web.page("/reporting")
    web.sign_in(accounts["secretariat"], PASSWORD)
    page = json.dumps(json.loads(web.page("/reporting")), ensure_ascii=False)
    assert "Email is not configured" in page
    assert "FRA — France" in page
    assert accounts["liaison"] in page
    assert "mailto:liaison.fra%40example.org" in page or "mailto:liaison.fra@example.org" in page
    assert "reporting-reminders-send" not in page


def test_the_secretariat_sends_a_reminder_and_it_is_audited(
    web: WebClient, accounts: dict[str, str], engine: Engine, smtp_settings: Inbox
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert "reporting-reminders-send" in web.page("/reporting")
    response = send(web, "FRA")
    assert response.status_code == 200
    assert f"Reminder sent to {accounts['liaison']} (FRA)" in response.get_data(as_text=True)
    assert len(smtp_settings.messages) == 1
    assert sent(engine) == ["FRA"]
    refused = send(web, "ITA").get_data(as_text=True)  # no liaison account
    assert "Not sent" in refused or "owes no figures" in refused
    assert sent(engine) == ["FRA"]


@pytest.mark.parametrize("visitor", [None, "liaison_deu"])
def test_forged_reminders_are_refused_and_send_nothing(
    web: WebClient, accounts: dict[str, str], engine: Engine, smtp_settings: Inbox, visitor: str | None
) -> None:
    if visitor:
        web.sign_in(accounts[visitor], PASSWORD)
    assert "reporting-reminders" not in web.page("/reporting")
    assert send(web, "FRA").status_code == 403
    assert smtp_settings.messages == []
    assert sent(engine) == []
