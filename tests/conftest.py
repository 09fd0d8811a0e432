"""Shared fixtures: a freshly seeded database on SQLite and on PostgreSQL for every data-layer test.

PostgreSQL comes from TEST_DATABASE_URL. With CI=true an unreachable server fails the run;
elsewhere the PostgreSQL cases skip with the reason. Each test session works in its own schema,
so parallel runs never see each other's rows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

# Tests never touch the developer's instance folder or database.
_INSTANCE = tempfile.mkdtemp(prefix="vid-test-instance-")
os.environ["VID_INSTANCE_DIR"] = _INSTANCE
os.environ.pop("DATABASE_URL", None)
os.environ.pop("SECRET_KEY", None)

from models import schema  # noqa: E402
from models.db import make_engine, write_transaction  # noqa: E402
from models.demo import load_demo  # noqa: E402
from models.reference import seed_reference  # noqa: E402

if TYPE_CHECKING:
    from tests.web import WebClient

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# No test depends on the machine's speed: Hypothesis examples build tables, and two cores shared with
# other work can make one example take several times longer than on a quiet machine. So no deadline
# per example and no "too slow" health check; the number of examples bounds the work instead.
hypothesis_settings.register_profile(
    "vid", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile("vid")
DATA_TABLES = (
    "cycle_snapshots",
    "lock_exceptions",
    "observation_revisions",
    "observations",
    "uploads",
    "api_tokens",
    "user_sessions",
    "sign_in_attempts",
    "users",
    "audit_events",
    "reporting_cycles",
    "participants",
    "indicators",
)


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"PostgreSQL is required in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def postgres_base_url() -> str:
    """TEST_DATABASE_URL, checked to be reachable."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        _unavailable("TEST_DATABASE_URL is not set")
    assert url is not None
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver or network failure means "not reachable"
        _unavailable(f"cannot connect to {make_url(url).render_as_string(hide_password=True)}: {exc}")
    finally:
        engine.dispose()
    return url


def postgres_schema_url(base_url: str, schema_name: str) -> str:
    """A URL whose connections work inside `schema_name` (created if missing)."""
    engine = make_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_name}"'))
    engine.dispose()
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema_name}"})
    return url.render_as_string(hide_password=False)


def drop_postgres_schema(base_url: str, schema_name: str) -> None:
    engine = make_engine(base_url)
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated and seeded SQLite file, copied for each test (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    with write_transaction(engine) as session:
        seed_reference(session, actor="tests")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def demo_db_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with the reference and the demonstration data, loaded once per session.

    For the dashboard and browser tests, which only read: never write into it.
    """
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    with write_transaction(engine) as session:
        load_demo(session)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def postgres_session_url(postgres_base_url: str) -> Iterator[str]:
    """A schema of its own for this test session, migrated to head."""
    name = f"vid_test_{uuid.uuid4().hex[:12]}"
    url = postgres_schema_url(postgres_base_url, name)
    engine = make_engine(url)
    schema.upgrade(engine)
    engine.dispose()
    yield url
    drop_postgres_schema(postgres_base_url, name)


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))
        # A fresh database, as far as caches can tell: new epoch, version 0.
        connection.execute(
            text("UPDATE data_state SET version = 0, epoch = :epoch"), {"epoch": uuid.uuid4().hex}
        )
    with write_transaction(engine) as session:
        seed_reference(session, actor="tests")
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a database at schema head holding only the reference data, on each backend in turn."""
    if request.param == "sqlite":
        path = tmp_path / "vid.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_session_url")
    _reset_postgres(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on the test database; disposed after the test."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_INSTANCE, ignore_errors=True)


@pytest.fixture
def web(db_url: str) -> Iterator[WebClient]:
    """A browser-like client of the app serving the test database (fresh cookies; the sign-in limits
    are counted in that database, fresh too)."""
    from app import server
    from tests.web import WebClient

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = db_url
    yield WebClient(server.test_client())
    server.config["VID_DATABASE_URL"] = previous


PASSWORD = "correct horse battery staple"


@pytest.fixture
def accounts(engine: Engine) -> dict[str, str]:
    """One account per role (liaison of FRA and of DEU); all with PASSWORD. Role -> email."""
    from models.accounts.users import create_user
    from models.db import account_transaction

    emails = {
        "liaison": "liaison.fra@example.org",
        "liaison_deu": "liaison.deu@example.org",
        "secretariat": "secretariat@example.org",
        "admin": "admin@example.org",
    }
    with account_transaction(engine) as session:
        create_user(session, emails["liaison"], "FRA liaison", "liaison", "FRA", PASSWORD, actor="tests")
        create_user(session, emails["liaison_deu"], "DEU liaison", "liaison", "DEU", PASSWORD, actor="tests")
        create_user(
            session, emails["secretariat"], "Secretariat", "secretariat", None, PASSWORD, actor="tests"
        )
        create_user(session, emails["admin"], "Admin", "admin", None, PASSWORD, actor="tests")
    return emails


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """Argon2 with minimal cost in tests: the same code path, without 50 ms per hash. The dummy hash
    a sign-in with an unknown email is checked against is made with the hasher in use, so it is
    cheap here too."""
    from argon2 import PasswordHasher

    import models.accounts.users

    original = models.accounts.users._hasher
    models.accounts.users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    models.accounts.users._hasher = original


@pytest.fixture
def second_db_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another fresh database (reference data only) on the same backend as `db_url`."""
    if db_url.startswith("sqlite"):
        path = tmp_path / "second.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    base = request.getfixturevalue("postgres_base_url")
    name = f"vid_second_{uuid.uuid4().hex[:12]}"
    url = postgres_schema_url(base, name)
    engine = make_engine(url)
    schema.upgrade(engine)
    with write_transaction(engine) as session:
        seed_reference(session, actor="tests")
    engine.dispose()
    yield url
    drop_postgres_schema(base, name)
