"""The migrations build exactly the models' schema on both backends, and the history is append-only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from models import schema
from models.base import utcnow
from models.db import make_engine, write_transaction
from models.recording import CellValue, apply_changes, plan_changes
from models.tables import Base, Upload
from tests.conftest import drop_postgres_schema, postgres_schema_url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
        return
    base = request.getfixturevalue("postgres_base_url")
    name = f"vid_empty_{uuid.uuid4().hex[:12]}"
    engine = make_engine(postgres_schema_url(base, name))
    yield engine
    engine.dispose()
    drop_postgres_schema(base, name)


def test_upgrade_to_head_yields_exactly_the_models_schema(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert schema.current_revision(empty_engine) == schema.head_revision()


def test_downgrade_to_base_removes_every_table(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    schema.downgrade(empty_engine, "base")
    remaining = set(inspect(empty_engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
    assert schema.current_revision(empty_engine) is None
    schema.upgrade(empty_engine)  # and back up again cleanly
    assert set(Base.metadata.tables) <= set(inspect(empty_engine).get_table_names())


def test_upgrade_is_idempotent(empty_engine: Engine) -> None:
    schema.upgrade(empty_engine)
    schema.upgrade(empty_engine)
    assert schema.current_revision(empty_engine) == schema.head_revision()


def _record(engine: Engine, synthetic: bool) -> None:
    with write_transaction(engine) as session:
        upload = Upload(
            original_name="x.csv",
            sha256="0" * 64,
            size_bytes=1,
            file_format="csv",
            uploaded_by="tests",
            submitted_on=utcnow().date(),
            outcome="loaded",
            synthetic=synthetic,
        )
        session.add(upload)
        changes = plan_changes(session, [CellValue("DEU", "identified_victims", 2014, 5)])
        apply_changes(session, changes, upload, "tests", utcnow())


def test_revisions_cannot_be_updated(engine: Engine) -> None:
    _record(engine, synthetic=False)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("UPDATE observation_revisions SET value = 6"))


def test_real_revisions_cannot_be_deleted(engine: Engine) -> None:
    _record(engine, synthetic=False)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
        connection.execute(text("DELETE FROM observation_revisions"))


def test_demonstration_revisions_can_be_deleted(engine: Engine) -> None:
    _record(engine, synthetic=True)
    with engine.begin() as connection:
        deleted = connection.execute(text("DELETE FROM observation_revisions")).rowcount
    assert deleted == 1
