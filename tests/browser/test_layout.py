"""Every page at a phone's size (390 × 844) and a desktop's (1400 × 900), in a real browser: a screenshot
of each under test-artifacts/, no sideways scroll of the page, a menu that collapses on the phone, no
serious axe-core violation, and the keyboard's way through: at most 40 Tab presses to the last control
(a table is one Tab stop; the charts' toolbar buttons are not in the Tab order). The public pages as a
visitor sees them; the staff pages signed in as the secretariat, and the upload page also as a liaison;
/compliance with figures awaiting review switched on, as the secretariat and as a liaison."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from data_ingest.load import load_file
from models.accounts.users import create_user
from models.db import make_engine, write_transaction
from tests.browser.conftest import describe, open_page, screenshot, serious_accessibility_violations
from tests.browser.test_upload_flow import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Every page a visitor can open without signing in.
PAGES = {
    "overview": "/",
    "map": "/map",
    "map-europe": "/map?region=europe&measure=status",
    "country": "/country/FRA",
    "country-gap": "/country/PRT?basis=annual",
    "compliance": "/compliance",
    "compliance-one-year": "/compliance?from=2020&to=2020",
    "reporting": "/reporting",
    "file-format": "/file-format",
    "login": "/login",
    "not-found": "/no-such-page",
}
# Every staff page, each with who looks at it and what shows once its data is in place.
SECRETARIAT, LIAISON = "secretariat@example.org", "liaison.fra@example.org"
SUBMITTED_VIEW = "/compliance?basis=annual&submitted=yes"
STAFF_PAGES = {
    "upload-secretariat": (SECRETARIAT, "/upload", "#upload-file"),
    "upload-liaison": (LIAISON, "/upload", "#upload-file"),
    "audit": (SECRETARIAT, "/audit", "#audit-events-grid .ag-row"),
    "users": (SECRETARIAT, "/users", "#users-grid .ag-row"),
    "review": (SECRETARIAT, "/review", "#review-preview table"),
    # Issue 14: "including figures awaiting review", switched on by the address, as each sees it.
    "compliance-submitted-secretariat": (SECRETARIAT, SUBMITTED_VIEW, "#compliance-figures-note .alert"),
    "compliance-submitted-liaison": (LIAISON, SUBMITTED_VIEW, "#compliance-figures-note .alert"),
}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1400, "height": 900}}
DESKTOP_WIDTH = 1280  # what the other browser tests expect the tab to be left at


@pytest.fixture
def sized(tab: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The session's tab at the size named by the test's `size` parameter, put back afterwards."""
    tab.set_viewport_size(SIZES[request.getfixturevalue("size")])
    yield tab
    tab.set_viewport_size({"width": DESKTOP_WIDTH, "height": 900})


def _open(tab: Any, path: str) -> None:
    if path == "/login":  # a server-rendered form, not a Dash page
        tab.goto(path)
        tab.wait_for_load_state()
    else:
        open_page(tab, path)


# How far the page scrolls sideways, and whether the menu's links are showing.
_PAGE_FIT = """() => {
    const toggler = document.querySelector('.navbar-toggler');
    const links = document.querySelector('.navbar-collapse');
    return {
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        toggler: !!toggler && toggler.offsetParent !== null,
        links: !!links && links.getBoundingClientRect().height > 0,
    };
}"""


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_fits_its_window_passes_axe_and_takes_at_most_40_tabs(
    sized: Any, name: str, size: str
) -> None:
    _open(sized, PAGES[name])
    if size == "desktop":  # the keyboard's way is the same at both sizes: counted once, from the top
        assert _tab_presses_to_last_control(sized) <= 40, f"{PAGES[name]}: more than 40 Tab presses"
    screenshot(sized, f"{name}-{size}")
    fit = sized.evaluate(_PAGE_FIT)
    assert fit["overflow"] <= 0, f"the page scrolls {fit['overflow']} px sideways"
    if name != "login":
        assert fit["toggler"] == (size == "phone")  # the menu collapses behind a button on a phone
        assert fit["links"] == (size == "desktop")
    violations = serious_accessibility_violations(sized)
    assert violations == [], describe(violations)


@pytest.fixture(scope="module")
def staff_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Real (not demonstration) figures, a liaison and the secretariat: an accepted file, a refused one
    and a correction waiting for review, so every staff page has rows to show."""
    path = tmp_path_factory.mktemp("staff") / "staff.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with write_transaction(engine) as session:
        create_user(session, LIAISON, "Camille (FRA)", "liaison", "FRA", PASSWORD, actor="tests")
        create_user(session, SECRETARIAT, "Sam (secretariat)", "secretariat", None, PASSWORD, actor="tests")
    header = b"country,year,identified_victims\n"
    assert load_file(engine, header + b"FRA,2022,90\nFRA,2023,100\n", "fra.csv", user="cli:tests").status == (
        "loaded"
    )
    load_file(engine, header + b"FRA,20x4,1\n", "refused.csv", user=LIAISON)
    fix = load_file(
        engine, header + b"FRA,2023,104\n", "fra-fix.csv", user=LIAISON, reason="re-counted", submitted=True
    )
    assert fix.status == "loaded"
    engine.dispose()
    return url


@pytest.fixture
def staff_app(live_server: str, staff_database: str, browser_context: Any) -> Iterator[str]:
    """The live app switched to the staff database for one test, signed out afterwards."""
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = staff_database
    yield staff_database
    server.config["VID_DATABASE_URL"] = previous
    browser_context.clear_cookies()


def _open_staff_page(tab: Any, path: str, shown: str) -> None:
    open_page(tab, path)
    tab.locator(shown).first.wait_for()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("name", list(STAFF_PAGES))
def test_every_staff_page_fits_its_window_passes_axe_and_takes_at_most_40_tabs(
    sized: Any, staff_app: str, name: str, size: str
) -> None:
    email, path, shown = STAFF_PAGES[name]
    sign_in(sized, email)
    _open_staff_page(sized, path, shown)
    if size == "desktop":  # counted once, from the top of the freshly loaded page
        assert _tab_presses_to_last_control(sized) <= 40, f"{path}: more than 40 Tab presses"
    screenshot(sized, f"{name}-{size}")
    fit = sized.evaluate(_PAGE_FIT)
    assert fit["overflow"] <= 0, f"{path}: the page scrolls {fit['overflow']} px sideways"
    assert fit["toggler"] == (size == "phone")  # the menu collapses behind a button on a phone
    assert fit["links"] == (size == "desktop")
    violations = serious_accessibility_violations(sized)
    assert violations == [], describe(violations)


# Marks the page's last control (the last focusable element in document order, as no element has a
# positive tabindex), counts the Tab key's presses as the page receives them and notes the press that
# first brings focus to that control; returns how many controls can take focus.
_WATCH_TABS = """() => {
    const all = [...document.querySelectorAll(
        'a[href], button, input, select, textarea, [tabindex]'
    )].filter(e => !e.disabled && e.tabIndex >= 0 && e.offsetParent !== null && e.type !== 'hidden');
    all[all.length - 1].setAttribute('data-last-control', '1');
    window.vidTabs = {presses: 0, reached: null};
    document.addEventListener('keydown', e => { if (e.key === 'Tab') window.vidTabs.presses += 1; }, true);
    document.addEventListener('focusin', e => {
        if (window.vidTabs.reached === null && e.target.hasAttribute('data-last-control'))
            window.vidTabs.reached = window.vidTabs.presses;
    }, true);
    return all.length;
}"""


def _tab_presses_to_last_control(tab: Any, most: int = 40) -> int:
    """How many presses of the real Tab key, from the top of a freshly loaded page, bring focus to its
    last control (most + 1: not within `most`). Focus is taken off again and the page scrolled back to
    the top, so that what follows sees the page as loaded."""
    controls = tab.evaluate(_WATCH_TABS)
    presses = min(controls, most)  # at least one press per control; checked once after them ...
    for _ in range(presses):
        tab.keyboard.press("Tab")
    reached = tab.evaluate("() => window.vidTabs.reached")
    while reached is None and presses < most:  # ... then after each further press (a scrolling
        tab.keyboard.press("Tab")  # region that Chromium makes focusable is not in the list)
        presses += 1
        reached = tab.evaluate("() => window.vidTabs.reached")
    tab.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    return most + 1 if reached is None else int(reached)
