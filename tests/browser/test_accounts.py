"""In a real browser: an admin ends a liaison's sessions, deactivates and reactivates the account on
/users; the secretariat downloads the complete audit CSV for the filters it chose."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from data_ingest.load import load_file
from models.accounts.users import create_user
from models.db import account_transaction, make_engine
from tests.browser.conftest import describe, screenshot, serious_accessibility_violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

ADMIN, LIAISON = "admin@example.org", "liaison.fra@example.org"


@pytest.fixture
def accounts_database(
    live_server: str, sqlite_template: Path, tmp_path: Path, browser_context: Any
) -> Iterator[str]:
    """The live app switched to a database with an admin, a liaison and two files (one refused)."""
    from app import server

    path = tmp_path / "accounts.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with account_transaction(engine) as session:
        create_user(session, ADMIN, "Ada (admin)", "admin", None, PASSWORD, actor="tests")
        create_user(session, LIAISON, "Camille (FRA)", "liaison", "FRA", PASSWORD, actor="tests")
    header = b"country,year,identified_victims\n"
    load_file(engine, header + b"FRA,2024,110\n", "fra-2024.csv", user=LIAISON)
    load_file(engine, header + b"FRA,20x4,1\n", "refused.csv", user=LIAISON)
    engine.dispose()
    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = url
    yield url
    server.config["VID_DATABASE_URL"] = previous
    browser_context.clear_cookies()


def sign_in(tab: Any, email: str) -> None:
    tab.goto("/login")
    tab.get_by_label("Email").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_load_state()


def select_row(tab: Any, email: str) -> None:
    """Tick the account's row (its email is in the pinned column; the tick box in the row beside it)."""
    index = tab.locator("#users-grid .ag-row", has_text=email).first.get_attribute("row-index")
    tab.locator(f'#users-grid .ag-row[row-index="{index}"] input[type=checkbox]').first.check()


def test_an_admin_manages_an_account_and_downloads_the_audit_log(tab: Any, accounts_database: str) -> None:
    tab.on("dialog", lambda dialog: dialog.accept())  # "Deactivate this account?"
    sign_in(tab, ADMIN)
    tab.goto("/users")
    tab.locator("#users-grid .ag-row", has_text=LIAISON).wait_for()
    select_row(tab, LIAISON)
    tab.get_by_role("button", name="End its sessions").click()
    tab.get_by_text(f"Ended 0 session(s) of {LIAISON}").wait_for()
    select_row(tab, LIAISON)
    tab.get_by_role("button", name="Deactivate selected account").click()
    tab.get_by_text(f"Deactivated {LIAISON}; its sessions are ended.").wait_for()
    select_row(tab, LIAISON)
    tab.get_by_role("button", name="Reactivate selected account").click()
    tab.get_by_text(f"Reactivated {LIAISON}").wait_for()
    screenshot(tab, "users-admin")
    violations = serious_accessibility_violations(tab)
    assert violations == [], describe(violations)

    tab.goto("/audit")
    tab.get_by_text("2 uploads").wait_for()
    events = tab.locator("#audit-events-grid").inner_text()
    assert "user.reactivate" in events
    assert "sign_in" in events
    tab.locator("#audit-outcome").select_option("rejected")
    tab.get_by_text("1 upload", exact=True).wait_for()
    link = tab.get_by_role("button", name="Download every row of uploads (CSV)")  # a link shown as a button
    assert link.get_attribute("href") == "/audit/uploads.csv?outcome=rejected"
    with tab.expect_download() as download:
        link.click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["original_name"] for row in rows] == ["refused.csv"]
    screenshot(tab, "audit-admin")
