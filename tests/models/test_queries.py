"""The public revision history of a participant, on both backends: accepted values only, old → new."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from models.db import read_session, write_transaction
from models.queries import REVISION_COLUMNS, revision_history
from models.recording import CellValue, apply_changes, plan_changes
from models.tables import ObservationRevision, Upload

ANNUAL = "identified_victims"
AT = dt.datetime(2016, 6, 1, 9, 0, tzinfo=dt.UTC)


def _upload(outcome: str = "loaded") -> Upload:
    return Upload(
        original_name="report.csv",
        sha256="c" * 64,
        size_bytes=1,
        file_format="csv",
        uploaded_by="liaison@example.org",
        submitted_on=AT.date(),
        outcome=outcome,
    )


def _record(engine: Engine, value: int, at: dt.datetime, reason: str | None = None) -> None:
    with write_transaction(engine) as session:
        upload = _upload()
        session.add(upload)
        changes = plan_changes(session, [CellValue("FRA", ANNUAL, 2015, value)])
        apply_changes(session, changes, upload, "liaison@example.org", at, reason)


def _hidden_submission(engine: Engine, value: int, at: dt.datetime) -> None:
    """A value in the history from an upload that is not accepted (as a draft or rejected file would be)."""
    with write_transaction(engine) as session:
        upload = _upload("rejected")
        session.add(upload)
        session.flush()
        session.add(
            ObservationRevision(
                participant_code="FRA",
                indicator_code=ANNUAL,
                year=2015,
                value=value,
                recorded_at=at,
                recorded_by="liaison@example.org",
                upload_id=upload.id,
            )
        )


def test_history_shows_old_and_new_values_newest_first(engine: Engine) -> None:
    _record(engine, 100, AT)
    _record(engine, 108, AT + dt.timedelta(days=30), "Corrected after de-duplication")
    with read_session(engine) as session:
        history = revision_history(session, "FRA")
    assert list(history.columns) == REVISION_COLUMNS
    rows = history[["year", "old_value", "new_value", "reason"]].astype(object).where(history.notna(), None)
    assert rows.values.tolist() == [
        [2015, 100, 108, "Corrected after de-duplication"],
        [2015, None, 100, None],
    ]
    assert history["recorded_at"].iloc[0] == AT + dt.timedelta(days=30)
    assert history["recorded_by"].iloc[0] == "Secretariat"  # no account: a command-line load


def test_values_from_uploads_that_are_not_accepted_never_show(engine: Engine) -> None:
    _record(engine, 100, AT)
    _hidden_submission(engine, 999, AT + dt.timedelta(days=1))
    _record(engine, 108, AT + dt.timedelta(days=2))
    with read_session(engine) as session:
        history = revision_history(session, "FRA")
    assert 999 not in set(history["new_value"])
    # The old value of the correction is the previous *public* value, not the hidden one.
    assert int(history["old_value"].iloc[0]) == 100


def test_another_participant_has_no_history(engine: Engine) -> None:
    _record(engine, 100, AT)
    with read_session(engine) as session:
        assert revision_history(session, "DEU").empty


def test_the_public_history_names_roles_not_people(engine: Engine) -> None:
    from models.accounts.users import create_user

    with write_transaction(engine) as session:
        create_user(session, "liaison@example.org", "Jean", "liaison", "FRA", "long enough password", "tests")
    _record(engine, 100, AT)
    with read_session(engine) as session:
        history = revision_history(session, "FRA")
    assert list(history["recorded_by"]) == ["FRA liaison"]
