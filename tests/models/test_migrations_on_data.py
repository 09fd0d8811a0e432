"""A database filled at the first migration upgrades to the newest without losing a row.

The rows are written with plain SQL in the first migration's columns, so the test keeps meaning
what it says when later migrations change the tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from models import schema
from models.db import make_engine
from tests.conftest import drop_postgres_schema, postgres_schema_url

FIRST_REVISION = "0001"
NOW = "2026-01-15 10:00:00+00:00"

ROWS_AT_FIRST_REVISION = [
    """INSERT INTO participants (code, name, joined_on, source_title, source_url, created_at) VALUES
       ('DEU', 'Germany', '2012-12-05', 'EU memo', 'https://example.org/memo', :now),
       ('CAN', 'Canada', '2013-06-17', 'Release', 'https://example.org/can', :now)""",
    """INSERT INTO indicators (code, name, unit, kind, description, min_yearly_growth) VALUES
       ('identified_victims', 'Victims identified', 'victims', 'flow', 'd', 0.10),
       ('cumulative_identified', 'Identified, cumulative', 'victims', 'stock', 'd', 0.10)""",
    """INSERT INTO uploads (id, original_name, sha256, size_bytes, file_format, layout, uploaded_by,
       participant_code, received_at, submitted_on, outcome, reason, rows_total, inserted_count,
       revised_count, unchanged_count, error_count, report, synthetic) VALUES
       (1, 'deu.csv', :sha, 120, 'csv', 'long', 'deu@example.org', 'DEU', :now, '2014-06-30', 'loaded',
        NULL, 2, 2, 0, 0, 0, '{"errors": []}', false),
       (2, 'bad.csv', :sha, 80, 'csv', NULL, 'deu@example.org', NULL, :now, '2014-06-30', 'rejected',
        NULL, 1, 0, 0, 0, 1, '{"errors": [{"row": 2}]}', false),
       (3, 'fix.csv', :sha, 60, 'csv', 'long', 'sec@example.org', 'DEU', :now, '2014-08-01', 'loaded',
        'typo', 1, 0, 1, 0, 0, '{"errors": []}', false)""",
    """INSERT INTO observations (id, participant_code, indicator_code, year, value, updated_at) VALUES
       (1, 'DEU', 'identified_victims', 2012, 100, :now),
       (2, 'DEU', 'identified_victims', 2013, 112, :now)""",
    """INSERT INTO observation_revisions (id, participant_code, indicator_code, year, value, recorded_at,
       recorded_by, upload_id, reason) VALUES
       (1, 'DEU', 'identified_victims', 2012, 100, :now, 'deu@example.org', 1, NULL),
       (2, 'DEU', 'identified_victims', 2013, 110, :now, 'deu@example.org', 1, NULL),
       (3, 'DEU', 'identified_victims', 2013, 112, :now, 'sec@example.org', 3, 'typo')""",
    """INSERT INTO users (id, email, display_name, role, participant_code, password_hash, active, created_at)
       VALUES (1, 'deu@example.org', 'DEU', 'liaison', 'DEU', '$argon2id$x', true, :now),
              (2, 'sec@example.org', 'Sec', 'secretariat', NULL, '$argon2id$y', true, :now)""",
    """INSERT INTO reporting_cycles (id, name, kind, deadline, first_year, last_year) VALUES
       (1, 'Stock-taking 2013', 'stock_taking', '2013-04-01', 2012, 2012),
       (2, 'Report 2014', 'biennial_report', '2014-07-01', 2012, 2013)""",
    """INSERT INTO audit_events (id, occurred_at, actor, action, subject, details) VALUES
       (1, :now, 'cli:root', 'reference.seed', 'reference data', '{}')""",
]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def first_revision_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to the first revision only, holding a few rows in every table."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        cleanup = None
    else:
        base = request.getfixturevalue("postgres_base_url")
        name = f"vid_old_{uuid.uuid4().hex[:12]}"
        engine = make_engine(postgres_schema_url(base, name))
        cleanup = (base, name)
    schema.upgrade(engine, FIRST_REVISION)
    with engine.begin() as connection:
        for statement in ROWS_AT_FIRST_REVISION:
            connection.execute(text(statement), {"now": NOW, "sha": "d" * 64})
    yield engine
    engine.dispose()
    if cleanup:
        drop_postgres_schema(*cleanup)


def _counts(engine: Engine) -> dict[str, int]:
    tables = sorted(set(inspect(engine).get_table_names()) - {"alembic_version"})
    counts = {}
    with engine.connect() as connection:
        for table in tables:  # names come from the database itself, not from input
            counts[table] = int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608
    return counts


def test_the_first_revision_is_the_base_of_the_history() -> None:
    base = ScriptDirectory.from_config(schema.alembic_config()).get_base()
    assert base == FIRST_REVISION


def test_upgrading_a_populated_database_keeps_every_row(first_revision_engine: Engine) -> None:
    before = _counts(first_revision_engine)
    assert all(count > 0 for table, count in before.items()), before
    schema.upgrade(first_revision_engine)
    after = _counts(first_revision_engine)
    assert {table: after[table] for table in before} == before
    with first_revision_engine.connect() as connection:
        history = connection.execute(
            text("SELECT value, reason FROM observation_revisions WHERE year = 2013 ORDER BY id")
        ).all()
        current = connection.execute(text("SELECT value FROM observations WHERE year = 2013")).scalar_one()
    assert [tuple(row) for row in history] == [(110, None), (112, "typo")]
    assert current == 112


def test_uploads_recorded_before_review_existed_count_as_accepted(first_revision_engine: Engine) -> None:
    schema.upgrade(first_revision_engine)
    with first_revision_engine.connect() as connection:
        statuses = connection.execute(
            text("SELECT id, outcome, review_status, reviewed_by FROM uploads ORDER BY id")
        ).all()
    assert [tuple(row) for row in statuses] == [
        (1, "loaded", "accepted", None),
        (2, "rejected", None, None),
        (3, "loaded", "accepted", None),
    ]
