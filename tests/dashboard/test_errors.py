"""Database faults, once for the whole app (dashboard/server/errors.py): every page, form and callback answers
503 with "try again shortly", nothing is half-written, the log has one line per request, and the
app recovers by itself once the database is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from models.cycles.review import list_submissions
from models.db import engine_for, read_session
from tests.conftest import PASSWORD
from tests.dashboard.uploads import confirm, counts
from tests.db_faults import StickyFault, TcpProxy, dead_postgres_url, no_growth, query_only, read_only_url
from tests.web import WebClient

TRY_AGAIN = "Try again shortly."
A_FILE = b"country,year,identified_victims\nFRA,2024,120\nFRA,2025,131\n"
# Big enough that recording it needs new pages in the file (each row's notes are kept).
A_BIG_FILE = b"country,year,identified_victims,notes\n" + b"".join(
    f"FRA,{year},{year - 1990},{'checked twice. ' * 40}\n".encode() for year in range(2000, 2026)
)


@contextmanager
def serving(url: str) -> Iterator[None]:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = url
    try:
        yield
    finally:
        server.config["VID_DATABASE_URL"] = previous


def overview_page(web: WebClient, path: str = "/compliance") -> tuple[int, str]:
    """The pages router callback for `path`, as the renderer posts it."""
    response = web.callback(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", path), ("_pages_location", "search", "")],
    )
    return response.status_code, response.get_data(as_text=True)


def assert_unavailable(web: WebClient) -> None:
    page = web.client.get("/compliance?basis=annual")
    assert page.status_code == 503
    assert page.headers["Retry-After"] == "30"
    assert page.mimetype == "text/html"
    assert TRY_AGAIN in page.get_data(as_text=True)
    status, body = overview_page(web)
    assert status == 503
    assert TRY_AGAIN in body
    ready = web.client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "not_ready"
    assert web.client.get("/healthz").status_code == 200  # the process itself lives


def assert_available(web: WebClient) -> None:
    assert web.client.get("/compliance").status_code == 200
    assert overview_page(web)[0] == 200
    assert web.client.get("/readyz").status_code == 200


def assert_one_line_each(records: list[logging.LogRecord]) -> None:
    refusals = [r for r in records if "answered 503" in r.getMessage()]
    assert refusals, "each refused request is logged"
    for record in records:
        assert record.exc_info is None, f"a traceback was logged: {record.getMessage()}"
        assert "\n" not in record.getMessage(), record.getMessage()
    assert not [r for r in records if r.levelno >= logging.ERROR], [r.getMessage() for r in records]


def test_an_unreachable_database_gives_503_everywhere_and_one_log_line_each(
    web: WebClient, caplog: pytest.LogCaptureFixture
) -> None:
    with serving(dead_postgres_url()), caplog.at_level(logging.INFO):
        assert_unavailable(web)
        layout = web.client.get("/_dash-layout")  # the renderer shows this frame instead of breaking
        assert layout.status_code == 200
        assert TRY_AGAIN in layout.get_data(as_text=True)
        token = web.form_token()  # the sign-in form itself reads nothing
        signed = web.client.post(
            "/login", data={"email": "a@example.org", "password": "x", "csrf_token": token}
        )
        assert signed.status_code == 503
        assert TRY_AGAIN in signed.get_data(as_text=True)
        ready = web.client.get("/readyz").get_json()
        assert ready["database"] == "unreachable"
    assert_one_line_each(caplog.records)
    assert any("Connection refused" in r.getMessage() for r in caplog.records)


def test_a_callback_answers_the_renderer_with_a_short_json_503(web: WebClient) -> None:
    with serving(dead_postgres_url()):
        response = web.callback(
            [("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", "/"), ("_pages_location", "search", "")],
        )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.get_json() == {
        "error": "database_unavailable",
        "kind": "unreachable",
        "message": "VID Monitor cannot reach its database just now. Nothing was saved. Try again shortly.",
    }


@pytest.mark.postgresql
def test_the_app_recovers_by_itself_when_postgresql_comes_back(
    web: WebClient, postgres_session_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    target = make_url(postgres_session_url)
    proxy = TcpProxy((target.host or "127.0.0.1", target.port or 5432))
    proxy.start()
    try:
        with serving(proxy.url(postgres_session_url)):
            assert_available(web)  # the engine's pool now holds connections through the relay
            proxy.stop()  # the server goes away: those connections die, new ones are refused
            with caplog.at_level(logging.INFO):
                assert_unavailable(web)
            assert_one_line_each(caplog.records)
            proxy.start()  # and comes back on the same address
            assert_available(web)  # the same engine, no restart
    finally:
        proxy.stop()


def test_a_write_to_a_read_only_database_is_503_and_changes_nothing(
    web: WebClient, db_url: str, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    before = counts(engine)
    if db_url.startswith("sqlite"):
        fault = StickyFault(engine_for(db_url), query_only)
        fault.on = True
        refused = confirm(web, A_FILE)
    else:
        with serving(read_only_url(db_url)):
            refused = confirm(web, A_FILE)
    assert refused.status_code == 503
    assert refused.get_json()["kind"] == "read_only"
    assert counts(engine) == before


@pytest.mark.parametrize(
    ("pragma", "content", "kind"),
    [(query_only, A_FILE, "read_only"), (no_growth, A_BIG_FILE, "full")],
    ids=["read-only", "full"],
)
def test_a_read_only_or_full_sqlite_file_is_503_until_it_is_writable_again(
    web: WebClient, db_url: str, accounts: dict[str, str], engine: Engine, pragma: object, content: bytes,
    kind: str, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    if not db_url.startswith("sqlite"):
        pytest.skip("made with SQLite pragmas; PostgreSQL: test_a_write_to_a_read_only_database_is_503_...")
    web.sign_in(accounts["liaison"], PASSWORD)
    fault = StickyFault(engine_for(db_url), pragma)  # type: ignore[arg-type]
    before = counts(engine)
    fault.on = True
    with caplog.at_level(logging.INFO):
        refused = confirm(web, content)
    assert refused.status_code == 503
    assert refused.get_json()["kind"] == kind
    assert counts(engine) == before  # nothing half-written
    assert_one_line_each(caplog.records)
    fault.on = False  # writable again: the connections that met the fault were dropped
    done = confirm(web, content)
    assert done.status_code == 200, done.get_data(as_text=True)[:300]
    assert "Recorded" in done.get_data(as_text=True)
    assert counts(engine) == (before[0], before[1] + 1)  # a liaison's values wait for review
    with read_session(engine) as session:
        [submission] = list_submissions(session, "submitted")
    assert submission.values == content.count(b"\n") - 1
