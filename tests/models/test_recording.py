"""The write path: plan, apply, keep every value once recorded, and roll back as one unit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select

from models.base import utcnow
from models.db import data_version, read_session, write_transaction
from models.recording import CellValue, ChangeCounts, apply_changes, plan_changes
from models.tables import Observation, ObservationRevision, Upload

ANNUAL = "identified_victims"


def _upload(name: str = "file.csv") -> Upload:
    return Upload(
        original_name=name,
        sha256="a" * 64,
        size_bytes=100,
        file_format="csv",
        uploaded_by="liaison@example.org",
        submitted_on=dt.date(2016, 6, 30),
        outcome="loaded",
    )


def _record(engine: Engine, values: list[CellValue], reason: str | None = None) -> ChangeCounts:
    with write_transaction(engine) as session:
        upload = _upload()
        session.add(upload)
        changes = plan_changes(session, values)
        return apply_changes(session, changes, upload, "liaison@example.org", utcnow(), reason)


def _current(engine: Engine) -> dict[tuple[str, int], int]:
    with read_session(engine) as session:
        rows = session.execute(select(Observation.participant_code, Observation.year, Observation.value))
        return {(p, y): v for p, y, v in rows}


def test_new_changed_and_equal_values_are_told_apart(engine: Engine) -> None:
    assert _record(
        engine, [CellValue("DEU", ANNUAL, 2014, 100), CellValue("FRA", ANNUAL, 2014, 50)]
    ) == ChangeCounts(2, 0, 0)
    counts = _record(
        engine,
        [
            CellValue("DEU", ANNUAL, 2014, 120),
            CellValue("FRA", ANNUAL, 2014, 50),
            CellValue("ITA", ANNUAL, 2014, 7),
        ],
        reason="corrected count",
    )
    assert counts == ChangeCounts(inserted=1, revised=1, unchanged=1)
    assert _current(engine) == {("DEU", 2014): 120, ("FRA", 2014): 50, ("ITA", 2014): 7}


def test_every_value_once_recorded_stays_in_the_history(engine: Engine) -> None:
    for value in (100, 120, 100):
        _record(engine, [CellValue("DEU", ANNUAL, 2014, value)], reason=f"set to {value}")
    _record(engine, [CellValue("DEU", ANNUAL, 2014, 100)])  # unchanged: adds nothing
    with read_session(engine) as session:
        history = session.execute(
            select(ObservationRevision.value, ObservationRevision.reason).order_by(ObservationRevision.id)
        ).all()
    assert [tuple(row) for row in history] == [(100, "set to 100"), (120, "set to 120"), (100, "set to 100")]


def test_plan_writes_nothing(engine: Engine) -> None:
    with write_transaction(engine) as session:
        changes = plan_changes(session, [CellValue("DEU", ANNUAL, 2014, 100)])
    assert [change.kind for change in changes] == ["insert"]
    assert _current(engine) == {}


def test_a_cell_twice_in_one_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        plan_changes(None, [CellValue("DEU", ANNUAL, 2014, 1), CellValue("DEU", ANNUAL, 2014, 2)])  # type: ignore[arg-type]


def test_a_failure_inside_the_unit_of_work_leaves_nothing_behind(engine: Engine) -> None:
    with read_session(engine) as session:
        version_before = data_version(session)

    def failing_unit_of_work() -> None:
        with write_transaction(engine) as session:
            upload = _upload()
            session.add(upload)
            changes = plan_changes(session, [CellValue("DEU", ANNUAL, 2014, 5)])
            apply_changes(session, changes, upload, "x", utcnow())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        failing_unit_of_work()
    assert _current(engine) == {}
    with read_session(engine) as session:
        assert session.scalars(select(Upload)).all() == []
        assert data_version(session) == version_before


def test_each_write_increases_the_data_version(engine: Engine) -> None:
    with read_session(engine) as session:
        before = data_version(session)
    _record(engine, [CellValue("DEU", ANNUAL, 2014, 5)])
    with read_session(engine) as session:
        assert data_version(session) == before + 1


def test_large_counts_are_kept_exactly(engine: Engine) -> None:
    big = 2**53 + 1  # beyond a float's exact integers
    _record(engine, [CellValue("USA", ANNUAL, 2020, big)])
    assert _current(engine) == {("USA", 2020): big}
