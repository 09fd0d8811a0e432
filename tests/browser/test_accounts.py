"""In a real browser: an admin ends a liaison's sessions, deactivates (the confirmation names the
account), reactivates the account and resets its password on /users, at a phone's width and a
desktop's; the secretariat downloads the complete audit CSV for the filters it chose."""

from __future__ import annotations

import csv
import io
import re
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

ADMIN, LIAISON, SECRETARIAT = "admin@example.org", "liaison.fra@example.org", "secretariat@example.org"


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


SIZES = {"phone": (390, 844), "desktop": (1400, 900)}


FITS = """() => {
    const viewport = document.querySelector('#users-grid .ag-center-cols-viewport');
    const headers = [...document.querySelectorAll('#users-grid .ag-header-row-column .ag-header-cell')];
    const right = Math.max(...headers.map(h => h.getBoundingClientRect().right));
    const grid = document.querySelector('#users-grid .ag-root').getBoundingClientRect().right;
    return {right: right, grid: grid, scrolls: viewport.scrollWidth > viewport.clientWidth};
}"""


def grid_fits(tab: Any) -> dict[str, Any]:
    """How the accounts grid's columns sit in its width: the right edge of the last column, the right
    edge of the grid, and whether it scrolls sideways."""
    return dict(tab.evaluate(FITS))


@pytest.mark.parametrize("size", SIZES)
def test_an_admin_manages_an_account_at_a_phones_and_a_desktops_width(
    tab: Any, accounts_database: str, size: str
) -> None:
    questions: list[str] = []

    def accept(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    tab.on("dialog", accept)
    tab.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    try:
        sign_in(tab, ADMIN)
        tab.goto("/users")
        tab.locator("#users-grid .ag-row", has_text=LIAISON).wait_for()
        if size == "desktop":  # every column in view, once the grid has fitted them to its width
            tab.wait_for_function(f"() => !({FITS})().scrolls")
            fits = grid_fits(tab)
            assert fits["right"] >= fits["grid"] - 2, fits  # no blank strip at the right
            grid = tab.locator("#users-grid").inner_text()
            assert "Last sign-in" in grid
            assert "never" in grid  # the liaison has not signed in
            created = tab.locator('#users-grid .ag-cell[col-id="created_at"]').first.inner_text()
            moment = r"[1-9]\d? [A-Z][a-z]{2} 20\d\d, \d\d:\d\d UTC"
            assert re.fullmatch(moment, created), created  # not raw ISO
        else:  # on a phone it scrolls sideways, the email pinned at the left
            assert grid_fits(tab)["scrolls"]
            assert LIAISON in tab.locator("#users-grid .ag-pinned-left-cols-container").inner_text()
        select_row(tab, LIAISON)
        tab.get_by_role("button", name="End its sessions").click()
        tab.get_by_text(f"Ended 0 sessions of {LIAISON}").wait_for()
        select_row(tab, LIAISON)
        tab.get_by_role("button", name="Deactivate selected account").click()
        tab.get_by_text(f"Deactivated {LIAISON} (liaison, FRA); its sessions are ended.").wait_for()
        assert tab.get_by_text("Ended 0 sessions").count() == 0  # the earlier answer went away
        select_row(tab, LIAISON)
        tab.get_by_role("button", name="Reactivate selected account").click()
        tab.get_by_text(f"Reactivated {LIAISON}").wait_for()
        select_row(tab, LIAISON)
        tab.get_by_role("button", name="Reset its password").click()
        tab.get_by_text(f"New password for {LIAISON} (liaison, FRA)").wait_for()
        assert questions == [
            f"Deactivate {LIAISON} (liaison, FRA)? Its sessions end at once; the record is kept.",
            f"Reset the password of {LIAISON} (liaison, FRA)? A new password is made and shown once; the "
            "present one stops working and its sessions end at once.",
        ]
        screenshot(tab, f"users-admin-{size}")
        violations = serious_accessibility_violations(tab)
        assert violations == [], describe(violations)
    finally:
        tab.remove_listener("dialog", accept)
        tab.set_viewport_size({"width": 1280, "height": 900})


def test_the_secretariat_downloads_the_audit_log(tab: Any, accounts_database: str) -> None:
    engine = make_engine(accounts_database)
    with account_transaction(engine) as session:
        create_user(session, SECRETARIAT, "Sam", "secretariat", None, PASSWORD, actor="tests")
    engine.dispose()
    sign_in(tab, SECRETARIAT)
    tab.goto("/users")
    tab.locator("#users-grid .ag-row", has_text=LIAISON).wait_for()
    assert tab.get_by_role("button", name="End its sessions").count() == 0  # an admin's action
    select_row(tab, LIAISON)

    def accept(dialog: Any) -> None:
        dialog.accept()

    tab.on("dialog", accept)
    try:
        tab.get_by_role("button", name="Deactivate selected account").click()
        tab.get_by_text(f"Deactivated {LIAISON} (liaison, FRA)").wait_for()
    finally:
        tab.remove_listener("dialog", accept)

    tab.goto("/audit")
    tab.get_by_text("2 uploads").wait_for()
    events = tab.locator("#audit-events-grid").inner_text()
    assert "user.deactivate" in events
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
    screenshot(tab, "audit-secretariat")
