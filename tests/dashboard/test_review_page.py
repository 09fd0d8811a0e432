"""The review page (/review): the secretariat accepts or returns submissions; forged ones change nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from werkzeug.test import TestResponse

from models.db import read_session
from models.tables import AuditEvent, Upload
from tests.conftest import PASSWORD
from tests.models.cycles.conftest import current, load
from tests.web import WebClient, resolve_outputs

ASK = [("review-confirm", "displayed"), ("review-confirm", "message"), ("review-pending", "data"),
       ("review-result", "children")]  # fmt: skip
DECIDE = [("review-result", "children"), ("review-queue", "children"), ("review-upload", "options"),
          ("review-upload", "value"), ("review-reason", "value")]  # fmt: skip


def submitted(db_url: str, folder: Path, rows: str, name: str = "deu.csv") -> int:
    """Load a file as a liaison's submission; its upload id."""
    result = load(db_url, folder, rows, "--submitted", "--user", "liaison.deu@example.org", name=name)
    assert result.returncode == 0, result.stdout + result.stderr
    with read_session(engine_of(db_url)) as session:
        return int(session.scalar(select(Upload.id).order_by(Upload.id.desc()).limit(1)) or 0)


def engine_of(db_url: str) -> Engine:
    from models.db import engine_for

    return engine_for(db_url)


def ask(web: WebClient, button: str, upload: Any, reason: Any = None) -> TestResponse:
    """Press Accept or Return: the renderer says which button changed (changedPropIds)."""
    key, outputs = resolve_outputs(ASK)
    body = {
        "output": key,
        "outputs": [{"id": c, "property": p} for c, p in outputs],
        "inputs": [{"id": f"review-{name}", "property": "n_clicks", "value": 1 if button == name else None}
                   for name in ("accept", "return")],
        "state": [{"id": "review-upload", "property": "value", "value": upload},
                  {"id": "review-reason", "property": "value", "value": reason}],
        "changedPropIds": [f"review-{button}.n_clicks"],
    }  # fmt: skip
    return web.client.post("/_dash-update-component", json=body, headers={"X-CSRFToken": web.csrf_cookie()})


def decide(web: WebClient, pending: Any) -> TestResponse:
    return web.callback(
        DECIDE, [("review-confirm", "submit_n_clicks", 1)], [("review-pending", "data", pending)]
    )


def shown(text: str) -> str:
    """A response's JSON with its characters as written (not \\u escapes), for "does it say" checks."""
    return json.dumps(json.loads(text), ensure_ascii=False)


def status_of(engine: Engine, upload: int) -> tuple[str | None, str | None]:
    with read_session(engine) as session:
        row = session.get(Upload, upload)
        assert row is not None
        return row.review_status, row.review_comment


def events(engine: Engine) -> list[str]:
    with read_session(engine) as session:
        return list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("submission.%"))))


def test_the_queue_lists_what_waits_oldest_first_with_its_preview(
    web: WebClient, accounts: dict[str, str], db_url: str, tmp_path: Path
) -> None:
    first = submitted(db_url, tmp_path, "DEU,2014,100,\n")
    second = submitted(db_url, tmp_path, "DEU,2015,140,\n", name="second.csv")
    web.sign_in(accounts["secretariat"], PASSWORD)
    content = shown(web.page("/review"))
    assert "access-refused" not in content
    assert "Two uploads waiting, oldest first." in content
    assert content.index("deu.csv") < content.index("second.csv")
    assert f"Upload {first}: deu.csv — DEU" in content  # the oldest is previewed first
    assert "(none) → 100" in content
    preview = web.callback([("review-preview", "children")], [("review-upload", "value", str(second))])
    assert preview.status_code == 200
    assert "(none) → 140" in shown(preview.get_data(as_text=True))


def test_accept_asks_naming_the_upload_then_its_figures_count(
    web: WebClient, accounts: dict[str, str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    upload = submitted(db_url, tmp_path, "DEU,2014,100,\n")
    web.sign_in(accounts["secretariat"], PASSWORD)
    asked = ask(web, "accept", str(upload))
    assert asked.status_code == 200, asked.get_data(as_text=True)
    answer = json.loads(asked.get_data(as_text=True))["response"]
    assert answer["review-confirm"]["displayed"] is True
    assert answer["review-confirm"]["message"] == (
        f"Accept upload {upload} (deu.csv, DEU, sent by liaison.deu@example.org)? "
        "Its figures (one value) count from now on."
    )
    assert current(engine, "DEU", 2014) is None  # asking changes nothing
    decided = decide(web, answer["review-pending"]["data"])
    assert decided.status_code == 200
    text = shown(decided.get_data(as_text=True))
    assert f"Accepted upload {upload} (deu.csv): one value changed" in text
    assert "Nothing waits for review." in text
    assert status_of(engine, upload) == ("accepted", None)
    assert current(engine, "DEU", 2014) == 100
    assert events(engine) == ["submission.accept"]


def test_return_needs_a_comment_and_the_liaison_reads_it(
    web: WebClient, accounts: dict[str, str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    upload = submitted(db_url, tmp_path, "DEU,2014,100,\n")
    web.sign_in(accounts["secretariat"], PASSWORD)
    refused = json.loads(ask(web, "return", upload, "  ").get_data(as_text=True))["response"]
    assert "Say why the upload is returned" in json.dumps(refused["review-result"])
    assert "review-confirm" not in refused or refused["review-confirm"]["displayed"] is False
    pending = {"action": "return", "upload": upload, "reason": "2014 double-counts the hotline cases"}
    assert decide(web, pending).status_code == 200
    assert status_of(engine, upload) == ("returned", "2014 double-counts the hotline cases")
    assert current(engine, "DEU", 2014) is None
    assert events(engine) == ["submission.return"]

    liaison = WebClient(web.client.application.test_client())
    liaison.sign_in(accounts["liaison_deu"], PASSWORD)
    page = shown(liaison.page("/upload"))
    assert "2014 double-counts the hotline cases" in page
    assert '"review": "returned"' in page


def test_a_second_decision_on_the_same_upload_is_refused(
    web: WebClient, accounts: dict[str, str], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    upload = submitted(db_url, tmp_path, "DEU,2014,100,\n")
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert decide(web, {"action": "accept", "upload": upload, "reason": ""}).status_code == 200
    again = shown(
        decide(web, {"action": "return", "upload": upload, "reason": "late"}).get_data(as_text=True)
    )
    assert "Not done: upload" in again
    assert "is already accepted" in again
    assert status_of(engine, upload) == ("accepted", None)


@pytest.mark.parametrize("pending", [None, "accept", {"action": "delete", "upload": 1, "reason": ""},
                                     {"action": "accept", "upload": "1; DROP", "reason": ""},
                                     {"action": "accept", "upload": 10**30, "reason": ""},
                                     {"action": "return", "upload": 1, "reason": 7}])  # fmt: skip
def test_malformed_pending_decisions_change_nothing(
    web: WebClient, accounts: dict[str, str], db_url: str, engine: Engine, tmp_path: Path, pending: Any
) -> None:
    upload = submitted(db_url, tmp_path, "DEU,2014,100,\n")
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert decide(web, pending).status_code == 204
    assert status_of(engine, upload) == ("submitted", None)


@pytest.mark.parametrize("visitor", [None, "liaison_deu", "liaison"])
def test_forged_reviews_are_refused_and_change_nothing(
    web: WebClient, accounts: dict[str, str], db_url: str, engine: Engine, tmp_path: Path, visitor: str | None
) -> None:
    upload = submitted(db_url, tmp_path, "DEU,2014,100,\n")
    if visitor:
        web.sign_in(accounts[visitor], PASSWORD)
    assert "access-refused" in web.page("/review")
    for action in ("accept", "return"):
        assert decide(web, {"action": action, "upload": upload, "reason": "forged"}).status_code == 403
        assert ask(web, action, upload, "forged").status_code == 403
    assert (
        web.callback([("review-preview", "children")], [("review-upload", "value", upload)]).status_code
        == 403
    )
    assert status_of(engine, upload) == ("submitted", None)
    assert current(engine, "DEU", 2014) is None
    assert events(engine) == []


@pytest.mark.parametrize(("role", "linked"), [(None, False), ("liaison_deu", False), ("secretariat", True),
                                             ("admin", True)])  # fmt: skip
def test_the_navbar_links_the_queue_for_the_secretariat_only(
    web: WebClient, accounts: dict[str, str], role: str | None, linked: bool
) -> None:
    if role:
        web.sign_in(accounts[role], PASSWORD)
    assert ('"href": "/review"' in shown(web.client.get("/_dash-layout").get_data(as_text=True))) is linked


def test_a_liaisons_receipt_says_the_upload_awaits_review_and_the_history_shows_it(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    from tests.dashboard.uploads import GOOD, confirm, text

    web.sign_in(accounts["liaison"], PASSWORD)
    receipt = text(confirm(web, GOOD))
    assert "Recorded — your receipt" in receipt
    assert "Awaiting review: the secretariat checks these figures before they count" in receipt
    assert "submitted, awaiting review: its figures count once the secretariat accepts them" in receipt
    assert '"review": "submitted — awaiting review"' in receipt  # the history table, refreshed
    assert current(engine, "FRA", 2024) is None
