"""Two app servers under gunicorn on one PostgreSQL schema and one Redis, as the README deploys them:
what one records the other shows at once, a sign-in on one holds on the other, the sign-in limits
are counted once for both, and a view computed by one is served from the shared cache by the other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import redis
import requests
from sqlalchemy import Engine

from dashboard._data import CACHE_HEADER
from models.accounts.users import create_user
from models.db import account_transaction, make_engine
from tests.conftest import PASSWORD, _reset_postgres
from tests.dashboard.test_auth_servers import Browser, gunicorn
from tests.dashboard.test_components import GRID_OUTPUTS
from tests.dashboard.uploads import GOOD, accept_submissions, confirm, preview, text
from tests.web import WebClient

pytestmark = [pytest.mark.xdist_group("servers"), pytest.mark.postgresql]
LIAISON = "liaison.fra@example.org"
FRA_GRID = [("compliance-basis", "value", "annual"), ("compliance-from", "value", 2024),
            ("compliance-to", "value", 2025), ("compliance-cycle", "value", ""),
            ("compliance-status", "value", ["met", "not_met", "no_baseline", "missing"]),
            ("compliance-participants", "value", ["FRA"]),
            ("compliance-submitted", "value", False)]  # fmt: skip


class HttpResponse:
    """A `requests` answer spelled as the Flask test client's, for tests.web.WebClient."""

    def __init__(self, response: requests.Response) -> None:
        self.status_code = response.status_code
        self.headers = response.headers
        self._response = response

    def get_data(self, as_text: bool = False) -> Any:
        return self._response.text if as_text else self._response.content

    def get_json(self) -> Any:
        return self._response.json()


class HttpClient:
    """Real HTTP to one server, with a cookie jar that may be another server's (a browser moving
    between servers behind one load balancer)."""

    def __init__(self, base: str, cookies: requests.cookies.RequestsCookieJar | None = None) -> None:
        self.base = base
        self.session = requests.Session()
        if cookies is not None:
            self.session.cookies = cookies

    def get(self, path: str) -> HttpResponse:
        return HttpResponse(self.session.get(self.base + path, allow_redirects=False, timeout=120))

    def post(self, path: str, **kwargs: Any) -> HttpResponse:
        return HttpResponse(self.session.post(self.base + path, allow_redirects=False, timeout=120, **kwargs))

    def get_cookie(self, name: str) -> SimpleNamespace | None:
        value = self.session.cookies.get(name)
        return SimpleNamespace(value=value) if value is not None else None


@pytest.fixture(autouse=True)
def _callbacks_registered() -> None:
    """This process names callbacks as the servers do (tests.web.resolve_outputs reads the app's
    callback map, which Dash fills at a first request; here every request goes to the servers)."""
    from app import app, server

    if not app.callback_map:
        with server.app_context():
            app._setup_server()


@pytest.fixture
def shared_db(request: pytest.FixtureRequest) -> Iterator[tuple[str, Engine]]:
    """One PostgreSQL schema for both servers: reference data and a FRA liaison."""
    url: str = request.getfixturevalue("postgres_session_url")
    _reset_postgres(url)
    engine = make_engine(url)
    with account_transaction(engine) as session:
        create_user(session, LIAISON, "FRA liaison", "liaison", "FRA", PASSWORD, actor="tests")
    yield url, engine
    engine.dispose()


def test_two_servers_share_one_database_one_cache_and_one_sign_in(
    shared_db: tuple[str, Engine], redis_url: str, redis_prefix: str, tmp_path: Path
) -> None:
    url, engine = shared_db
    cache = {"VID_CACHE_URL": redis_url, "VID_CACHE_PREFIX": redis_prefix}
    retired = {"VID_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/9", **cache}
    with gunicorn(url, 2, tmp_path, **cache) as first, gunicorn(url, 1, tmp_path, **retired) as second:
        # A view computed on one server is served from the shared cache by the other.
        on_first, on_second = WebClient(HttpClient(first)), WebClient(HttpClient(second))  # type: ignore[arg-type]
        computed = on_first.callback(GRID_OUTPUTS, FRA_GRID)
        kept = on_second.callback(GRID_OUTPUTS, FRA_GRID)
        assert (computed.status_code, kept.status_code) == (200, 200)
        assert (computed.headers[CACHE_HEADER], kept.headers[CACHE_HEADER]) == ("miss", "hit")
        assert kept.get_data() == computed.get_data()
        assert "131" not in computed.get_data(as_text=True)

        # A sign-in on the first holds on the second (one SECRET_KEY, sessions in the database), and
        # a file previewed on one is confirmed on the other.
        browser = HttpClient(first)
        liaison_first = WebClient(browser)  # type: ignore[arg-type]
        assert liaison_first.sign_in(LIAISON, PASSWORD).status_code == 303
        liaison_second = WebClient(HttpClient(second, cookies=browser.session.cookies))  # type: ignore[arg-type]
        assert "no problems found" in text(preview(liaison_first, GOOD))
        client = redis.Redis.from_url(redis_url)
        assert len(list(client.scan_iter(match=f"{redis_prefix}prepared:*"))) == 1  # for every server
        recorded = confirm(liaison_second, GOOD)
        assert recorded.status_code == 200, recorded.get_data(as_text=True)[:300]
        assert "Recorded — your receipt" in text(recorded)
        accept_submissions(engine)  # the secretariat accepts the liaison's figures: now they count

        # What the second recorded is on the first's pages at once (a new data version: a new view).
        after = on_first.callback(GRID_OUTPUTS, FRA_GRID)
        assert after.headers[CACHE_HEADER] == "miss"
        assert "131" in after.get_data(as_text=True)
        assert on_second.callback(GRID_OUTPUTS, FRA_GRID).headers[CACHE_HEADER] == "hit"

        # The sign-in limits are counted once across both servers: 5 failures, wherever, then a wait.
        failures = [Browser(first if i % 2 else second).sign_in(LIAISON, "wrong password!") for i in range(5)]
        assert failures == [401] * 5
        assert Browser(first).sign_in(LIAISON, PASSWORD) == 429
        assert Browser(second).sign_in(LIAISON, PASSWORD) == 429
        log = (tmp_path / f"gunicorn-{second.rsplit(':', 1)[1]}.log").read_text()
    assert log.count("VID_RATELIMIT_STORAGE_URI is set but no longer exists and is ignored") == 1
