"""Every command of the product, the same way (models.cli.command_line): when the database is
unreachable, read-only or full, one line on standard error, exit status 1, nothing changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

import data_ingest.__main__
import models.__main__
import models.metrics.__main__
import models.users.__main__
from models.cli import Main
from models.db import make_engine, read_session
from models.tables import AuditEvent, Observation, Participant, ReportingCycle, Upload, User
from tests.cli import Result, invoke
from tests.db_faults import dead_postgres_url, read_only_url, sqlite_full

PASSWORD = "a long enough passphrase\n"
FILE = "deu.csv"
ROWS = "country,year,identified_victims,cumulative_total\n" + "".join(
    f"DEU,{year},{year - 1990},{(year - 1990) * 10}\n" for year in range(2000, 2025)
)

# Every subcommand, with arguments that would succeed on a healthy database; whether it writes.
COMMANDS: list[tuple[Main, tuple[str, ...], bool]] = [
    (models.__main__.main, ("init-db",), True),
    (models.__main__.main, ("participants", "list"), False),
    (models.__main__.main, ("participants", "add", "--code", "BRA", "--name", "Brazil", "--joined",
                            "2015-03-01", "--source-title", "t", "--source-url", "https://b.example"), True),
    (models.__main__.main, ("cycles", "list"), False),
    (models.__main__.main, ("cycles", "add", "--name", "Report 2030", "--deadline", "2030-07-01",
                            "--first-year", "2028", "--last-year", "2029"), True),
    (models.__main__.main, ("cycles", "move", "--name", "Report 2016", "--deadline", "2016-09-30",
                            "--reason", "extension"), True),
    (models.__main__.main, ("report", "--cycle", "Report 2026", "--output", "report.pdf"), False),
    (models.users.__main__.main, ("add", "--email", "new@example.org", "--role", "secretariat"), True),
    (models.users.__main__.main, ("list",), False),
    (models.metrics.__main__.main, ("compliance",), False),
    (models.metrics.__main__.main, ("reporting",), False),
    (data_ingest.__main__.main, ("load", FILE), True),
    (data_ingest.__main__.main, ("history", "--participant", "DEU", "--year", "2014"), False),
    (data_ingest.__main__.main, ("template",), False),
    (data_ingest.__main__.main, ("export",), False),
    (data_ingest.__main__.main, ("demo",), True),
]  # fmt: skip
IDS = [f"{main.__module__} {' '.join(args[:2])}" for main, args, _ in COMMANDS]
WRITERS = [(main, args) for main, args, writes in COMMANDS if writes]


def run(main: Main, args: tuple[str, ...], url: str, cwd: Path) -> Result:
    (cwd / FILE).write_text(ROWS, encoding="utf-8")
    return invoke(main, *args, "--database", url, stdin=PASSWORD, cwd=cwd)


def assert_one_line(result: Result, says: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {says}: "), lines[0]
    assert lines[0].endswith("; nothing was changed")
    assert "Traceback" not in result.stderr


def counts(engine: Engine) -> tuple[int, ...]:
    with read_session(engine) as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (Participant, ReportingCycle, Observation, Upload, User, AuditEvent)
        )


@pytest.mark.parametrize(("main", "args", "writes"), COMMANDS, ids=IDS)
def test_an_unreachable_database_is_one_line_and_exit_1(
    main: Main, args: tuple[str, ...], writes: bool, tmp_path: Path
) -> None:
    result = run(main, args, dead_postgres_url(), tmp_path)
    assert_one_line(result, "the database is unreachable")
    assert "Connection refused" in result.stderr  # the driver's own words, for the operator


# init-db has nothing to write on a database already set up (the full-disk case covers it).
CHANGERS = [(main, args) for main, args in WRITERS if args != ("init-db",)]


@pytest.mark.parametrize(("main", "args"), CHANGERS, ids=[" ".join(args[:2]) for _, args in CHANGERS])
def test_a_read_only_database_refuses_every_write_in_one_line(
    main: Main, args: tuple[str, ...], db_url: str, engine: Engine, tmp_path: Path
) -> None:
    before = counts(engine)
    result = run(main, args, read_only_url(db_url), tmp_path)
    assert_one_line(result, "the database is read-only")
    assert counts(engine) == before


def test_reading_commands_still_work_on_a_read_only_database(db_url: str, tmp_path: Path) -> None:
    readers = [(m, a) for m, a, writes in COMMANDS if not writes]
    for reader, reader_args in readers:
        result = run(reader, reader_args, read_only_url(db_url), tmp_path)
        assert result.returncode == 0, (reader_args, result.stderr)


BULK_WRITERS = [(main, args) for main, args in WRITERS if args[0] in ("init-db", "load", "demo")]


@pytest.mark.parametrize(("main", "args"), BULK_WRITERS, ids=[" ".join(args) for _, args in BULK_WRITERS])
def test_a_full_sqlite_database_refuses_every_write_in_one_line(
    main: Main, args: tuple[str, ...], sqlite_template: Path, tmp_path: Path
) -> None:
    # The file may not grow by a page: the commands that add pages (a schema, a file's rows, the
    # demonstration data) meet SQLITE_FULL as on a full disk. A one-row change may fit in a page's
    # free space; it would meet the same wrapper, whose line the other cases check.
    db_url = f"sqlite:///{tmp_path / 'vid.db'}"
    shutil.copyfile(sqlite_template, tmp_path / "vid.db")
    engine = make_engine(db_url)
    url = f"sqlite:///{tmp_path / 'new.db'}" if args == ("init-db",) else db_url
    before = counts(engine)
    with sqlite_full():
        result = run(main, args, url, tmp_path)
    assert_one_line(result, "the database (or its disk) is full")
    assert counts(engine) == before
    engine.dispose()
