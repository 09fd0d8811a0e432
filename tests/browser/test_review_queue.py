"""The secretariat's review queue in a real browser: the waiting submission, its preview, Accept confirmed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from data_ingest.load import load_file
from models.accounts.users import create_user
from models.db import make_engine, write_transaction
from tests.browser.conftest import describe, screenshot, serious_accessibility_violations
from tests.browser.test_upload_flow import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LIAISON, SECRETARIAT = "liaison.deu@example.org", "secretariat@example.org"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 900}}


@pytest.fixture
def waiting_database(
    live_server: str, sqlite_template: Path, tmp_path: Path, browser_context: Any
) -> Iterator[str]:
    """The live app on a database of real figures: one accepted DEU file, and a correction submitted."""
    from app import server

    path = tmp_path / "review.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with write_transaction(engine) as session:
        create_user(session, LIAISON, "Kim (DEU)", "liaison", "DEU", PASSWORD, actor="tests")
        create_user(session, SECRETARIAT, "Sam (secretariat)", "secretariat", None, PASSWORD, actor="tests")
    first = b"country,year,identified_victims\nDEU,2022,90\nDEU,2023,100\n"
    assert load_file(engine, first, "deu-2023.csv", user="cli:tests").status == "loaded"
    fix = b"country,year,identified_victims\nDEU,2023,104\nDEU,2024,120\n"
    report = load_file(
        engine, fix, "deu-2024-annual-report.csv", user=LIAISON, reason="re-counted", submitted=True
    )
    assert report.status == "loaded"
    engine.dispose()
    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = url
    yield url
    server.config["VID_DATABASE_URL"] = previous
    browser_context.clear_cookies()


def test_the_secretariat_accepts_a_submission_from_the_queue(tab: Any, waiting_database: str) -> None:
    sign_in(tab, SECRETARIAT)
    tab.goto("/review")
    tab.get_by_text("One upload waiting, oldest first.").wait_for()
    preview = tab.locator("#review-preview").inner_text()
    assert "deu-2024-annual-report.csv" in preview
    assert "100 → 104" in preview
    assert "(none) → 120" in preview
    for size, viewport in SIZES.items():
        tab.set_viewport_size(viewport)
        screenshot(tab, f"review-queue-{size}")
    tab.set_viewport_size({"width": 1280, "height": 900})
    violations = serious_accessibility_violations(tab)
    assert violations == [], describe(violations)

    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    tab.once("dialog", answer)
    tab.get_by_label("Reason", exact=False).fill("Checked against the annual report")
    tab.get_by_role("button", name="Accept").click()
    tab.get_by_text("its figures count from now on").wait_for()
    assert len(asked) == 1
    assert asked[0].startswith("Accept upload ")
    assert "deu-2024-annual-report.csv, DEU, sent by liaison.deu@example.org" in asked[0]
    tab.get_by_text("Nothing waits for review.").wait_for()
    screenshot(tab, "review-queue-accepted")
