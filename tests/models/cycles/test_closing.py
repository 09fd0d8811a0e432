"""Closing a cycle: refused too early or with uploads waiting; freezes an append-only, hashed snapshot."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from models.cycles import CycleError
from models.cycles.closing import (
    canonical_csv,
    changes_since_close,
    close_cycle,
    cycle_frames,
    latest_snapshot,
    list_snapshots,
)
from models.db import read_session, write_transaction
from models.tables import AuditEvent, ReportingCycle
from tests.models.cycles.conftest import listed, load, metrics, models

CANONICAL_START = "table,row,column,value\ncompliance_annual,1,participant,"


def test_closing_before_the_day_after_the_deadline_is_refused(engine: Engine) -> None:
    with (
        pytest.raises(CycleError, match="due 2016-07-01: it can be closed from the day after its deadline"),
        write_transaction(engine) as session,
    ):
        close_cycle(session, "cli:tests", "Report 2016", now=dt.datetime(2016, 7, 1, 23, tzinfo=dt.UTC))
    with read_session(engine) as session:
        assert list_snapshots(session) == []


def test_closing_is_refused_while_uploads_for_its_years_wait_for_review(db_url: str, tmp_path: Path) -> None:
    load(db_url, tmp_path, "DEU,2014,100,\n", "--submitted")
    load(db_url, tmp_path, "FRA,2012,7,\n", "--submitted", name="fra.csv")  # not Report 2016's years
    waiting = [row["upload"] for row in listed(db_url) if row["participant"] == "DEU"]
    refused = models(db_url, "cycles", "close", "--name", "Report 2016")
    assert refused.returncode == 1
    assert refused.stderr == (
        f"error: 1 upload(s) with values for 2014-2015 wait for review (upload {waiting[0]}): accept or "
        "return them first (python -m models submissions list --status submitted)\n"
    )
    assert models(db_url, "submissions", "accept", "--upload", str(waiting[0])).returncode == 0
    assert models(db_url, "cycles", "close", "--name", "Report 2016").returncode == 0


def test_closing_freezes_a_snapshot_whose_hash_is_that_of_its_canonical_csv(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    load(db_url, tmp_path, "DEU,2014,100,1000\nDEU,2015,111,1111\n")
    closed = models(db_url, "cycles", "close", "--name", "Report 2016")
    assert closed.returncode == 0, closed.stderr
    with read_session(engine) as session:
        [record] = list_snapshots(session)
        snapshot = latest_snapshot(session, "Report 2016")
        cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.name == "Report 2016"))
        assert cycle is not None
        recomputed = canonical_csv(cycle_frames(session, cycle))
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "cycle.close")))
    assert snapshot is not None
    assert snapshot.canonical_csv is not None
    assert closed.stdout == (
        f"closed Report 2016 at data version {record.data_version}; snapshot SHA-256 {record.sha256}\n"
    )
    assert (record.cycle, record.closed_by, record.demonstration) == ("Report 2016", "cli:tests", False)
    assert recomputed == snapshot.canonical_csv  # nothing changed since: the same bytes again
    assert hashlib.sha256(recomputed.encode("utf-8")).hexdigest() == record.sha256 == snapshot.sha256
    assert snapshot.canonical_csv.startswith(CANONICAL_START)
    assert "\r" not in snapshot.canonical_csv
    annual = snapshot.compliance("annual")
    number = int(annual.index[(annual["participant"] == "DEU") & (annual["year"] == 2015)][0]) + 1
    assert f"compliance_annual,{number},value,111\ncompliance_annual,{number},previous_year,2014\n" in (
        snapshot.canonical_csv
    )
    row = annual.iloc[number - 1]
    assert (row["participant"], row["year"], row["value"], row["status"]) == ("DEU", 2015, 111, "met")
    reporting = snapshot.reporting.set_index("participant").loc["DEU"]
    assert (reporting["status"], reporting["years_reported"]) == ("on_time", 2)
    assert [e.details["sha256"] for e in events] == [record.sha256]
    again = models(db_url, "cycles", "close", "--name", "Report 2016")
    assert (again.returncode, again.stderr) == (1, "error: 'Report 2016' is already closed\n")
    unknown = models(db_url, "cycles", "close", "--name", "Report 1999")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("error: no reporting cycle named 'Report 1999'")


@pytest.mark.parametrize(
    "statement", ["UPDATE cycle_snapshots SET sha256 = 'x'", "DELETE FROM cycle_snapshots"]
)
def test_the_database_refuses_to_change_a_snapshot(
    db_url: str, engine: Engine, tmp_path: Path, statement: str
) -> None:
    load(db_url, tmp_path, "DEU,2014,100,\n")
    assert models(db_url, "cycles", "close", "--name", "Report 2016").returncode == 0
    with pytest.raises(DBAPIError, match="cycle_snapshots is append-only"), engine.begin() as connection:
        connection.execute(text(statement))
    with read_session(engine) as session:
        assert len(list_snapshots(session)) == 1


def test_a_liaison_may_not_close(engine: Engine, accounts: dict[str, str]) -> None:
    from models.accounts.users import Actor
    from models.tables import User

    with read_session(engine) as session:
        user_id = session.scalar(select(User.id).where(User.email == accounts["liaison"]))
    with (
        pytest.raises(CycleError, match="only the secretariat may close reporting cycles"),
        write_transaction(engine) as session,
    ):
        close_cycle(session, Actor(accounts["liaison"], user_id), "Report 2016")


def test_a_locked_value_needs_a_lock_exception_and_is_then_listed_as_changed(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    load(db_url, tmp_path, "DEU,2014,100,1000\nDEU,2015,111,1111\n")
    assert models(db_url, "cycles", "close", "--name", "Report 2016").returncode == 0
    refused = load(db_url, tmp_path, "DEU,2015,99,\n", "--reason", "de-duplicated", name="fix.csv")
    assert refused.returncode == 1
    assert "lock exception is needed" in refused.stdout
    assert "cycle 'Report 2016' is closed" in refused.stdout
    assert "fix.csv: rejected" in refused.stdout
    assert [row["status"] for row in listed(db_url)] == ["accepted"]  # nothing recorded

    granted = models(
        db_url, "cycles", "unlock", "--name", "Report 2016", "--participant", "deu",
        "--reason", "duplicates found", "--until", "2099-12-31",
    )  # fmt: skip
    assert (granted.returncode, granted.stdout) == (
        0,
        "lock exception for DEU in Report 2016 until 2099-12-31\n",
    )
    fixed = load(db_url, tmp_path, "DEU,2015,99,\n", "--reason", "de-duplicated", name="fix.csv")
    assert fixed.returncode == 0, fixed.stdout

    result = metrics(db_url, "changes", "--since-close", "Report 2016", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    figure = next(r for r in rows if r["basis"] == "annual" and r["old"] == 111)
    assert {k: figure[k] for k in ("participant", "year", "new", "changed_by", "reason")} == {
        "participant": "DEU", "year": 2015, "new": 99, "changed_by": "Secretariat", "reason": "de-duplicated",
    }  # fmt: skip
    assert {"participant", "year", "basis", "old", "new", "changed_by", "changed_at", "reason"} <= set(figure)
    status = next(r for r in rows if r["basis"] == "annual" and r["old"] == "met")
    assert (status["year"], status["new"]) == (2015, "not_met")

    frozen = metrics(db_url, "compliance", "--as-at", "Report 2016", "--basis", "annual", "--format", "json")
    assert frozen.returncode == 0, frozen.stderr
    assert "note: as at the close of Report 2016" in frozen.stderr
    deu_2015 = next(r for r in json.loads(frozen.stdout) if r["participant"] == "DEU" and r["year"] == 2015)
    assert (deu_2015["value"], deu_2015["status"]) == (111, "met")

    with read_session(engine) as session:
        from models.cycles.locks import revised_after_close

        revised = revised_after_close(session)
        assert changes_since_close(session, "Report 2016")[0].reason == "de-duplicated"
        actions = set(session.scalars(select(AuditEvent.action)))
    assert list(
        revised[["participant", "indicator", "year", "cycle"]].itertuples(index=False, name=None)
    ) == [("DEU", "identified_victims", 2015, "Report 2016")]
    assert {"cycle.close", "cycle.unlock"} <= actions


def test_an_expired_lock_exception_no_longer_opens_the_lock(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    from models.cycles.locks import grant_exception, lock_violations

    load(db_url, tmp_path, "DEU,2014,100,\n")
    assert models(db_url, "cycles", "close", "--name", "Report 2016").returncode == 0
    with write_transaction(engine) as session:
        grant_exception(session, "cli:tests", "Report 2016", "DEU", "late file", until=dt.date(2030, 1, 31))
    with read_session(engine) as session:
        assert lock_violations(session, [("DEU", 2014)], dt.date(2030, 1, 31)) == []
        [violation] = lock_violations(session, [("DEU", 2014), ("DEU", 2016)], dt.date(2030, 2, 1))
    assert (violation.cycle, violation.participant, violation.years) == ("Report 2016", "DEU", (2014,))


def test_changes_and_as_at_of_an_open_cycle_are_one_line_errors(db_url: str) -> None:
    changes = metrics(db_url, "changes", "--since-close", "Report 2016")
    assert (changes.returncode, changes.stderr) == (
        1, "error: 'Report 2016' is not closed: nothing is frozen to compare with\n"
    )  # fmt: skip
    frozen = metrics(db_url, "compliance", "--as-at", "Report 2016")
    assert (frozen.returncode, frozen.stderr) == (1, "error: 'Report 2016' is not a closed reporting cycle\n")
    unlock = models(
        db_url, "cycles", "unlock", "--name", "Report 2016", "--participant", "DEU", "--reason", "x"
    )
    assert (unlock.returncode, unlock.stderr) == (
        1,
        "error: 'Report 2016' is not closed: its values are not locked\n",
    )
