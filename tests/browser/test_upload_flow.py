"""A liaison's upload in a real browser: sign in, a file with errors, the fix, the preview, the receipt,
then the change on the public country page and, as the secretariat, in the audit log."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from data_ingest.load import load_file
from models.accounts.users import create_user
from models.cycles.review import accept_upload, list_submissions
from models.db import make_engine, write_transaction
from tests.browser.conftest import describe, screenshot, serious_accessibility_violations, wait_until_rendered
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LIAISON, SECRETARIAT = "liaison.fra@example.org", "secretariat@example.org"
BAD = b"country,year,identified_victims\nFRA,20x4,120\nFrance,2025,-3\n"
FIXED = b"country,year,identified_victims\nFRA,2024,120\nFrance,2025,131\n"


@pytest.fixture
def real_database(
    live_server: str, sqlite_template: Path, tmp_path: Path, browser_context: Any
) -> Iterator[str]:
    """The live app switched to a database of real (not demonstration) figures, with two accounts."""
    from app import server

    path = tmp_path / "real.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with write_transaction(engine) as session:
        create_user(session, LIAISON, "Camille (FRA)", "liaison", "FRA", PASSWORD, actor="tests")
        create_user(session, SECRETARIAT, "Sam (secretariat)", "secretariat", None, PASSWORD, actor="tests")
    earlier = b"country,year,identified_victims\nFRA,2022,90\nFRA,2023,100\nFRA,2024,110\n"
    assert load_file(engine, earlier, "fra-2024.csv", user=LIAISON).status == "loaded"
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


def drop_file(tab: Any, name: str, content: bytes) -> None:
    tab.locator("#upload-file input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )


def no_accessibility_problems(tab: Any) -> None:
    violations = serious_accessibility_violations(tab)
    assert violations == [], describe(violations)


def test_a_liaison_corrects_a_file_confirms_it_and_the_secretariat_sees_it(
    tab: Any, real_database: str, tmp_path: Path
) -> None:
    sign_in(tab, LIAISON)
    tab.wait_for_url("**/upload")
    tab.get_by_text("You send figures for").wait_for()
    no_accessibility_problems(tab)

    drop_file(tab, "report.csv", BAD)
    tab.get_by_text("refused, 2 problems").wait_for()
    errors = tab.locator("#upload-errors-grid")
    assert "20x4" in errors.inner_text()
    assert tab.get_by_role("button", name="Confirm and record these figures").is_disabled()
    screenshot(tab, "upload-errors")

    drop_file(tab, "report.csv", FIXED)
    tab.get_by_text("no problems found").wait_for()
    changes = tab.locator("#upload-changes-grid").inner_text()
    assert "revised" in changes
    assert "new" in changes
    tab.get_by_label("Reason", exact=False).fill("Annual report; 2024 corrected")
    tab.get_by_role("button", name="Confirm and record these figures").click()
    tab.get_by_text("Recorded — your receipt").wait_for()
    digest = hashlib.sha256(FIXED).hexdigest()
    assert digest in tab.locator("#upload-receipt").inner_text()
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download the receipt").click()
    receipt = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"SHA-256: {digest}" in receipt
    assert "Revised values: 1" in receipt
    screenshot(tab, "upload-receipt")
    no_accessibility_problems(tab)

    # A liaison's upload is submitted; once the secretariat accepts it, it counts on public pages.
    engine = make_engine(real_database)
    with write_transaction(engine) as session:
        for submission in list_submissions(session, "submitted"):
            accept_upload(session, "cli:tests", submission.upload)
    engine.dispose()
    tab.goto("/country/FRA?basis=annual")
    wait_until_rendered(tab)
    history = tab.locator("#main-content").inner_text()
    assert "Annual report; 2024 corrected" in history
    assert "FRA liaison" in history
    assert LIAISON not in history  # the public page names the role, not the person

    tab.get_by_role("button", name="Sign out").click()
    tab.wait_for_url("**/login")
    sign_in(tab, SECRETARIAT)
    tab.wait_for_url("**/audit")
    tab.get_by_text("3 uploads").wait_for()  # the earlier file, the refused one, the confirmed one
    uploads = tab.locator("#audit-uploads-grid").inner_text()
    assert "rejected" in uploads
    assert "report.csv" in uploads
    revisions = tab.locator("#audit-revisions-grid").inner_text()
    assert "Annual report; 2024 corrected" in revisions
    assert LIAISON in revisions  # the audit log, for the secretariat, names the account
    screenshot(tab, "audit")
    no_accessibility_problems(tab)


def test_a_file_over_the_limit_is_not_sent_and_clears_the_previous_preview(
    tab: Any, real_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import select

    from models.db import engine_for
    from models.settings import get_settings
    from models.tables import Upload

    monkeypatch.setattr(get_settings(), "max_upload_bytes", 1024)
    sign_in(tab, LIAISON)
    tab.wait_for_url("**/upload")
    drop_file(tab, "report.csv", FIXED)
    tab.get_by_text("no problems found").wait_for()
    confirm = tab.get_by_role("button", name="Confirm and record these figures")
    assert confirm.is_enabled()

    big = FIXED + b"".join(b"FRA,%d,1\n" % (2000 + i % 20) for i in range(200))  # about 2 kB
    drop_file(tab, "big.csv", big)
    tab.get_by_text("big.csv is 3 kB, larger than the 1 kB limit", exact=False).wait_for()
    assert confirm.is_disabled()  # the first file's preview may no longer be confirmed
    assert "no problems found" not in tab.locator("#upload-preview").inner_text()
    with engine_for(real_database).connect() as connection:
        names = list(connection.scalars(select(Upload.original_name)))
    assert names == ["fra-2024.csv"]  # neither file was recorded; the big one never reached the server


# Against FRA 2022-2024 = 90, 100, 110: both values corrected, and each worth a second look.
DROP = b"country,year,identified_victims\nFRA,2023,1234\nFRA,2024,31\n"
ROWS_LAID_OUT = """() => [...document.querySelectorAll('.ag-center-cols-container')].every(container => {
    const rows = [...container.querySelectorAll('.ag-row')]
        .map(row => row.getBoundingClientRect()).sort((a, b) => a.top - b.top);
    const cells = [...container.querySelectorAll('.ag-cell-wrap-text')];
    return rows.every((row, i) => i === 0 || Math.abs(row.top - rows[i - 1].bottom) < 2)
        && cells.every(cell => cell.scrollHeight <= cell.closest('.ag-row').clientHeight + 2);
})"""
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 900}}


def screenshots(tab: Any, name: str) -> None:
    """The page as it is now, at a phone's size and a desktop's (then back to the tests' size)."""
    for size, viewport in SIZES.items():
        tab.set_viewport_size(viewport)
        # The grids measure their wrapped rows again for the new width: wait until every row sits
        # below the one before it (none overlapping, none left with the old width's height).
        tab.wait_for_function(ROWS_LAID_OUT)
        screenshot(tab, f"{name}-{size}")
    tab.set_viewport_size({"width": 1280, "height": 900})


def test_warnings_are_ticked_as_checked_before_confirm_and_the_fields_are_emptied_after(
    tab: Any, real_database: str
) -> None:
    sign_in(tab, LIAISON)
    tab.wait_for_url("**/upload")
    assert tab.locator("#upload-demo-notice").count() == 0  # real figures: no notice
    drop_file(tab, "report.csv", DROP)
    tab.get_by_text("no problems found").wait_for()
    tab.get_by_text("A reason is needed before you confirm: this file corrects two values already").wait_for()
    confirm = tab.get_by_role("button", name="Confirm and record these figures")
    box = tab.get_by_label("I have checked these two warnings against our records")
    assert box.is_visible()
    assert confirm.is_disabled()
    grid = tab.locator("#upload-changes-grid")
    widths = grid.evaluate(
        """g => [g.querySelector('.ag-root').getBoundingClientRect().right,
                 Math.max(...[...g.querySelectorAll('.ag-header-cell')]
                     .map(c => c.getBoundingClientRect().right))]"""
    )
    assert widths[1] >= widths[0] - 2, widths  # no blank column at the right edge
    screenshots(tab, "upload-warnings")
    no_accessibility_problems(tab)

    box.check()
    assert confirm.is_enabled()
    box.uncheck()
    assert confirm.is_disabled()
    box.check()
    tab.get_by_label("Reason", exact=False).fill("Corrected after de-duplication")
    confirm.click()
    tab.get_by_text("Recorded — your receipt").wait_for()
    assert tab.get_by_label("Reason", exact=False).input_value() == ""
    assert not box.is_visible()
    assert confirm.is_disabled()
    assert "Corrected after de-duplication" in tab.locator("#upload-receipt").inner_text()
    screenshots(tab, "upload-recorded")


@pytest.fixture
def demo_database(live_server: str, demo_db_url: str, tmp_path: Path, browser_context: Any) -> Iterator[str]:
    """The live app switched to a copy of the demonstration database, with a liaison."""
    from app import server

    path = tmp_path / "demo.db"
    shutil.copyfile(demo_db_url.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with write_transaction(engine) as session:
        create_user(session, LIAISON, "Camille (FRA)", "liaison", "FRA", PASSWORD, actor="tests")
    engine.dispose()
    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = url
    yield url
    server.config["VID_DATABASE_URL"] = previous
    browser_context.clear_cookies()


def test_a_liaison_learns_of_the_demonstration_data_before_choosing_a_file(
    tab: Any, demo_database: str
) -> None:
    sign_in(tab, LIAISON)
    tab.wait_for_url("**/upload")
    notice = tab.locator("#upload-demo-notice")
    assert "Real figures are refused until it is removed" in notice.inner_text()
    assert "python -m data_ingest demo --remove" in notice.inner_text()
    drop_file(tab, "report.csv", FIXED)
    tab.get_by_text("Nothing is wrong with the file").wait_for()
    assert "Correct the file" not in tab.locator("#upload-preview").inner_text()
    screenshots(tab, "upload-demo")
    no_accessibility_problems(tab)
