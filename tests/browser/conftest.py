"""Real-browser tests: headless Chromium from Debian against the app served in-process on a free port.

One browser, one context and one tab for the whole session, against a SQLite database with the
demonstration data. Every request the browser makes is recorded; any to an address other than the
app's fails the test that made it (and is aborted, so nothing actually leaves the machine). Without
Chromium the tests are skipped, except with CI=true, where they fail.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from models.settings import PROJECT_ROOT
from tests.conftest import IN_CI

CHROMIUM = Path(os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = PROJECT_ROOT / "tests" / "vendor" / "axe.min.js"
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
# Rendered: the page is in place, Dash is not loading anything, every chart is drawn and captioned,
# and every grid of the page's layout is drawn with its rows (or says it has none). dash-ag-grid
# loads its code lazily and draws nothing until then, so the grids are counted in Dash's own store
# of the layout, not in the document.
_READY = """() => {
    const content = document.querySelector('#_pages_content > *');
    if (!content || document.querySelector('[data-dash-is-loading="true"]')) return false;
    const graphs = [...document.querySelectorAll('.js-plotly-plot')];
    const captions = [...document.querySelectorAll('figcaption')];
    if (!graphs.every(g => g.querySelector('.main-svg'))
        || !captions.every(c => c.textContent.trim().length > 0)) return false;
    const grids = [];
    const walk = node => {
        if (Array.isArray(node)) { node.forEach(walk); return; }
        if (!node || typeof node !== 'object' || !node.props) return;
        if (node.namespace === 'dash_ag_grid' && typeof node.props.id === 'string') grids.push(node.props.id);
        Object.values(node.props).forEach(walk);
    };
    (window.dash_stores || []).forEach(store => walk(store.getState().layout));
    return grids.every(id => {
        const grid = document.getElementById(id);
        const root = grid && grid.querySelector('.ag-root-wrapper');
        return root && !root.querySelector('.ag-overlay-loading-wrapper')
            && (root.querySelector('.ag-center-cols-container .ag-row')
                || root.querySelector('.ag-overlay-no-rows-wrapper'));
    });
}"""


@pytest.fixture(scope="session")
def live_server(demo_db_url: str) -> Iterator[str]:
    """The app on 127.0.0.1 and a free port, serving the demonstration database."""
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = demo_db_url
    access_log = logging.getLogger("werkzeug")
    level = access_log.level
    access_log.setLevel(logging.WARNING)  # one line per request would drown a failure's report
    http = make_server("127.0.0.1", 0, server, threaded=True)
    thread = threading.Thread(target=http.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(timeout=10)
    access_log.setLevel(level)
    server.config["VID_DATABASE_URL"] = previous


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright (which never downloads a browser here)."""
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if IN_CI:
            pytest.fail(f"browser tests are required in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Nothing leaves the machine: every address but the app's own goes to a proxy that is not
        # there (port 9, discard), so the request fails; the app on 127.0.0.1 is reached directly.
        # (Playwright's request routing would do it too, but it turns the browser's cache off, and
        # every page then downloads and compiles plotly.js again: most of the browser tests' time.)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            proxy={"server": "http://127.0.0.1:9", "bypass": "127.0.0.1"},
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def outside_requests() -> list[str]:
    """Every request the browser tried to send anywhere but the app (all of them aborted)."""
    return []


@pytest.fixture(scope="session")
def browser_context(chromium: Any, live_server: str, outside_requests: list[str]) -> Iterator[Any]:
    host = urlsplit(live_server).netloc

    def outside(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in ("data", "blob", "about") and parts.netloc != host

    context = chromium.new_context(
        base_url=live_server,
        accept_downloads=True,
        viewport={"width": 1280, "height": 900},
        reduced_motion="reduce",  # no smooth scrolling or transitions for the renderer to play
    )
    context.on("request", lambda request: outside(request.url) and outside_requests.append(request.url))
    yield context
    context.close()


@pytest.fixture(scope="session")
def tab(browser_context: Any) -> Iterator[Any]:
    """The one tab every browser test uses."""
    page = browser_context.new_page()
    # A bound for a page that never gets there, not a speed test: generous for a loaded machine.
    page.set_default_timeout(60_000)
    yield page
    page.close()


@pytest.fixture(autouse=True)
def _nothing_leaves_the_machine(request: pytest.FixtureRequest) -> Iterator[None]:
    if "tab" not in request.fixturenames:
        yield
        return
    seen: list[str] = request.getfixturevalue("outside_requests")
    before = len(seen)
    yield
    assert seen[before:] == [], "the browser tried to reach addresses outside the app"


def open_page(tab: Any, path: str) -> None:
    """Load an address of the app and wait until it is rendered."""
    tab.goto(path)
    wait_until_rendered(tab)


def wait_until_rendered(tab: Any) -> None:
    tab.wait_for_function(_READY)


def serious_accessibility_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the current page."""
    tab.add_script_tag(path=str(AXE))
    violations = tab.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    return list(violations)


def screenshot(tab: Any, name: str) -> None:
    """Keep a full-page picture as a test artifact (test-artifacts/ is not committed): a JPEG, which
    Chromium encodes several times faster than a PNG of a long page, and sharp enough to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.jpg"), full_page=True, type="jpeg", quality=85)


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1, ensure_ascii=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests in two xdist groups, each on one worker with one browser: the page-layout sweep
    (every page at two sizes) and the rest, so that neither worker waits for the other's browser."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            layout = str(item.fspath).endswith("test_layout.py")
            item.add_marker(pytest.mark.xdist_group("browser-layout" if layout else "browser"))
