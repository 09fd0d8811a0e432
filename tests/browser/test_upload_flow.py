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
