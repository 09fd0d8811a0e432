"""The sign-in limits hold as documented under the README's production command (`gunicorn --workers 2`)
and across two servers sharing one database: real server processes, real HTTP, simultaneous attempts."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from models.accounts.users import create_user
from models.db import account_transaction, read_session
from models.settings import PROJECT_ROOT
from models.tables import AuditEvent, SignInAttempt
from tests.conftest import PASSWORD

pytestmark = pytest.mark.xdist_group("servers")  # a few processes each: keep them on one test worker
EMAIL = "liaison.fra@example.org"


@contextmanager
def gunicorn(db_url: str, workers: int, instance: Path, **settings: str) -> Iterator[str]:
    """`gunicorn --workers N --preload app:server` on the database (and any further settings),
    serving a socket bound here (so its port is known and connections queue until a worker accepts
    them); its base address once /readyz answers 200."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "one key for every server of the deployment",
           "VID_DEMO_DATA": "false", "VID_INSTANCE_DIR": str(instance), **settings}  # fmt: skip
    log = (instance / f"gunicorn-{port}.log").open("w")
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--preload",  # as the README says: the app is imported once, and each worker is a fork of it
        "--bind",
        f"fd://{listener.fileno()}",
    ]
    server = subprocess.Popen(
        [*command, "app:server"],
        cwd=PROJECT_ROOT,
        env=env,
        pass_fds=[listener.fileno()],
        stdout=log,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base, server, instance / f"gunicorn-{port}.log")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=120)
        listener.close()
        log.close()


def _wait_until_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /readyz until it answers 200 (a bounded number of tries). The socket already listens, so
    each request simply waits for a worker to accept it: no sleeping, and a server that dies is
    reported with its log."""
    for _ in range(20):
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=120) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            continue
    pytest.fail(f"gunicorn at {base} never became healthy:\n{log.read_text()[-3000:]}")


class Browser:
    """A browser on one server: its own cookies, and the sign-in form's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with self.opener.open(f"{base}/login", timeout=120) as page:
            match = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode())
        assert match
        self.token = match.group(1)

    def sign_in(self, email: str, password: str) -> int:
        form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": self.token})
        request = urllib.request.Request(f"{self.base}/login", data=form.encode(), method="POST")
        try:
            with self.opener.open(request, timeout=120) as response:
                return int(response.status)
        except urllib.error.HTTPError as refused:
            return int(refused.code)


@pytest.fixture
def account(engine: Engine) -> str:
    with account_transaction(engine) as session:
        create_user(session, EMAIL, "FRA liaison", "liaison", "FRA", PASSWORD, actor="tests")
    return EMAIL


def test_sign_in_limits_hold_across_workers_and_servers(
    db_url: str, engine: Engine, account: str, tmp_path: Path
) -> None:
    with gunicorn(db_url, 2, tmp_path) as first, gunicorn(db_url, 1, tmp_path) as second:
        # 14 browsers, alternately on the two servers (three worker processes), each sends one wrong
        # password for the same account at the same moment.
        browsers = [Browser(first if i % 2 == 0 else second) for i in range(14)]
        statuses: list[int] = []
        start = threading.Barrier(len(browsers))

        def attempt(browser: Browser) -> None:
            start.wait()
            statuses.append(browser.sign_in(account, "wrong password!"))

        threads = [threading.Thread(target=attempt, args=(browser,)) for browser in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(statuses) == [401] * 5 + [429] * 9  # exactly the documented 5 were checked
        assert Browser(second).sign_in(account, PASSWORD) == 429  # the right password waits too
        assert Browser(first).sign_in("secretariat@example.org", "wrong password!") == 401  # others don't
    with read_session(engine) as session:
        failed = session.scalar(
            select(func.count()).where(SignInAttempt.outcome == "failed", SignInAttempt.account == EMAIL)
        )
        limited = session.scalar(select(func.count()).where(AuditEvent.action == "sign_in.limited"))
    assert (failed, limited) == (5, 10)
