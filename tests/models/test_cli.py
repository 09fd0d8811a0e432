"""`python -m models` and `python -m data_ingest demo` as a user runs them, on both backends (in-process)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

import data_ingest.__main__
import models.__main__
from models.db import read_session
from models.tables import AuditEvent, Observation, Participant, ReportingCycle, Upload
from tests.cli import Result, invoke

COMMANDS = {"models": models.__main__.main, "data_ingest": data_ingest.__main__.main}


def run(*args: str) -> Result:
    """`python -m MODULE ARGS` in this process: run("-m", "models", "init-db", ...)."""
    assert args[0] == "-m"
    return invoke(COMMANDS[args[1]], *args[2:])


def _counts(engine: Engine) -> tuple[int, int, int, int]:
    with read_session(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Participant)) or 0,
            session.scalar(select(func.count()).select_from(ReportingCycle)) or 0,
            session.scalar(select(func.count()).select_from(Observation)) or 0,
            session.scalar(select(func.count()).select_from(Upload)) or 0,
        )


def test_init_db_with_demo_is_idempotent(db_url: str, engine: Engine) -> None:
    first = run("-m", "models", "init-db", "--database", db_url, "--demo")
    assert first.returncode == 0, first.stderr
    assert "loaded demonstration data" in first.stdout
    after_first = _counts(engine)
    second = run("-m", "models", "init-db", "--database", db_url, "--demo")
    assert second.returncode == 0, second.stderr
    assert "added 0 participants, 0 indicators, 0 reporting cycles" in second.stdout
    assert _counts(engine) == after_first
    assert after_first[0] == 49
    assert after_first[2] > 1000


def test_init_db_creates_the_schema_in_an_empty_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result = run("-m", "models", "init-db", "--database", url)
    assert result.returncode == 0, result.stderr
    assert "added 49 participants, 2 indicators" in result.stdout


def test_demo_command_removes_and_reloads(db_url: str, engine: Engine) -> None:
    assert run("-m", "data_ingest", "demo", "--database", db_url).returncode == 0
    removed = run("-m", "data_ingest", "demo", "--remove", "--database", db_url, "--user", "secretariat")
    assert removed.returncode == 0, removed.stderr
    assert "removed demonstration data" in removed.stdout
    assert _counts(engine)[2:] == (0, 0)
    with read_session(engine) as session:
        actors = session.scalars(select(AuditEvent.actor).where(AuditEvent.action == "demo.remove")).all()
    assert actors == ["secretariat"]


def test_participant_added_from_the_command_line(db_url: str, engine: Engine) -> None:
    result = run(
        "-m", "models", "participants", "add", "--database", db_url, "--code", "BRA", "--name", "Brazil",
        "--joined", "2015-03-01", "--source-title", "Example release", "--source-url", "https://example.org/b",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    duplicate = run(
        "-m", "models", "participants", "add", "--database", db_url, "--code", "BRA", "--name", "Brazil",
        "--joined", "2015-03-01", "--source-title", "Example release", "--source-url", "https://example.org/b",
    )  # fmt: skip
    assert duplicate.returncode == 1
    assert "already a registered participant" in duplicate.stderr
    assert "Traceback" not in duplicate.stderr
    assert _counts(engine)[0] == 50


def test_cycle_deadline_moved_from_the_command_line(db_url: str) -> None:
    moved = run(
        "-m", "models", "cycles", "move", "--database", db_url, "--name", "Report 2016",
        "--deadline", "2016-09-30", "--reason", "extension agreed at the 2015 conference",
    )  # fmt: skip
    assert moved.returncode == 0, moved.stderr
    listed = run("-m", "models", "cycles", "list", "--database", db_url)
    assert "Report 2016          due 2016-09-30  covers 2014-2015" in listed.stdout


def test_usage_errors_exit_with_2() -> None:
    assert run("-m", "models", "no-such-command").returncode == 2
    assert run("-m", "models", "cycles", "move", "--name", "x").returncode == 2


def test_init_db_on_an_up_to_date_database_does_not_change_the_data_version(
    db_url: str, engine: Engine
) -> None:
    from models.db import data_version

    assert run("-m", "models", "init-db", "--database", db_url, "--demo").returncode == 0
    with read_session(engine) as session:
        before = data_version(session)
    assert run("-m", "models", "init-db", "--database", db_url, "--demo").returncode == 0
    with read_session(engine) as session:
        assert data_version(session) == before
