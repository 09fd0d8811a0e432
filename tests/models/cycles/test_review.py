"""Review of submissions: submitted values wait, accepted ones count, returned ones never do."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models.accounts.users import Actor
from models.cycles import CycleError
from models.cycles.review import accept_upload, list_submissions, pending_changes
from models.db import read_session, write_transaction
from models.tables import AuditEvent, ObservationRevision, User
from tests.models.cycles.conftest import compliance_value, current, listed, load, metrics, models

LISTING_KEYS = {"upload", "participant", "status", "received_on", "submitted_by", "reviewed_by"}
LISTING_KEYS |= {"reviewed_at", "comment"}


def test_a_command_line_load_is_accepted_at_once(db_url: str, engine: Engine, tmp_path: Path) -> None:
    assert load(db_url, tmp_path, "DEU,2014,100,\n", "--user", "cli:loader").returncode == 0
    assert current(engine, "DEU", 2014) == 100
    [row] = listed(db_url)
    assert (row["status"], row["reviewed_by"], row["comment"]) == ("accepted", "cli:loader", None)


def test_a_submitted_load_counts_only_once_accepted(db_url: str, engine: Engine, tmp_path: Path) -> None:
    loaded = load(db_url, tmp_path, "DEU,2014,100,\n", "--submitted", "--user", "deu@example.org")
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "is submitted, awaiting review" in loaded.stdout
    assert current(engine, "DEU", 2014) is None
    assert compliance_value(db_url, "DEU", 2014) is None
    assert compliance_value(db_url, "DEU", 2014, "--include-submitted") == 100

    [row] = listed(db_url, "--status", "submitted", "--participant", "deu")
    assert set(row) >= LISTING_KEYS
    assert (row["participant"], row["status"], row["received_on"]) == ("DEU", "submitted", "2016-06-01")
    assert (row["submitted_by"], row["reviewed_by"], row["reviewed_at"]) == ("deu@example.org", None, None)

    accepted = models(db_url, "submissions", "accept", "--upload", str(row["upload"]), "--reason", "checked")
    assert (accepted.returncode, accepted.stdout) == (
        0,
        f"accepted upload {row['upload']}: 1 value(s) now count\n",
    )
    assert current(engine, "DEU", 2014) == 100
    assert compliance_value(db_url, "DEU", 2014) == 100
    [row] = listed(db_url)
    assert (row["status"], row["reviewed_by"], row["comment"]) == ("accepted", "cli:tests", "checked")
    assert row["reviewed_at"] is not None
    with read_session(engine) as session:
        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("submission.%")))
        )
    assert actions == ["submission.accept"]


def test_a_returned_upload_stops_counting_and_the_accepted_value_counts_again(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    assert load(db_url, tmp_path, "DEU,2014,100,\n").returncode == 0
    fix = load(db_url, tmp_path, "DEU,2014,120,\n", "--submitted", "--reason", "re-counted", name="fix.csv")
    assert fix.returncode == 0, fix.stdout
    assert compliance_value(db_url, "DEU", 2014, "--include-submitted") == 120
    assert compliance_value(db_url, "DEU", 2014) == 100
    [waiting] = listed(db_url, "--status", "submitted")
    with read_session(engine) as session:
        [change] = pending_changes(session, waiting["upload"])
    assert (change.accepted, change.submitted) == (100, 120)

    returned = models(
        db_url, "submissions", "return", "--upload", str(waiting["upload"]), "--reason", "2014 is off"
    )
    assert returned.returncode == 0, returned.stderr
    assert compliance_value(db_url, "DEU", 2014, "--include-submitted") == 100
    assert current(engine, "DEU", 2014) == 100
    [row] = listed(db_url, "--status", "returned")
    assert (row["upload"], row["comment"], row["reviewed_by"]) == (
        waiting["upload"],
        "2014 is off",
        "cli:tests",
    )
    with read_session(engine) as session:  # both values stay in the history
        history = list(session.scalars(select(ObservationRevision.value).order_by(ObservationRevision.id)))
    assert history == [100, 120]
    again = models(db_url, "submissions", "accept", "--upload", str(waiting["upload"]))
    assert again.returncode == 1
    assert again.stderr == (
        f"error: upload {waiting['upload']} is already returned by cli:tests: "
        "only a submitted upload is reviewed\n"
    )


def test_return_needs_a_reason_and_an_unknown_upload_is_one_line(db_url: str, tmp_path: Path) -> None:
    load(db_url, tmp_path, "DEU,2014,100,\n", "--submitted")
    [row] = listed(db_url)
    blank = models(db_url, "submissions", "return", "--upload", str(row["upload"]), "--reason", " ")
    assert (blank.returncode, blank.stderr) == (
        1,
        "error: say why the upload is returned (--reason): the liaison reads it\n",
    )
    missing = models(db_url, "submissions", "accept", "--upload", "999")
    assert (missing.returncode, missing.stderr) == (1, "error: no upload 999\n")
    assert listed(db_url)[0]["status"] == "submitted"


@pytest.mark.parametrize(
    ("role", "allowed"), [("liaison_deu", False), ("secretariat", True), ("admin", True)]
)
def test_only_the_secretariat_may_accept(
    db_url: str, engine: Engine, accounts: dict[str, str], tmp_path: Path, role: str, allowed: bool
) -> None:
    load(db_url, tmp_path, "DEU,2014,100,\n", "--submitted")
    [row] = listed(db_url)
    with read_session(engine) as session:
        user_id = session.scalar(select(User.id).where(User.email == accounts[role]))
    actor = Actor(accounts[role], user_id)
    if not allowed:
        with (
            pytest.raises(CycleError, match="only the secretariat may accept submissions"),
            write_transaction(engine) as session,
        ):
            accept_upload(session, actor, row["upload"])
        assert current(engine, "DEU", 2014) is None
        return
    with write_transaction(engine) as session:
        assert accept_upload(session, actor, row["upload"]) == 1
    with read_session(engine) as session:
        [submission] = list_submissions(session, "accepted")
    assert submission.reviewed_by == accounts[role]


def test_reporting_counts_only_accepted_uploads_unless_asked(db_url: str, tmp_path: Path) -> None:
    load(db_url, tmp_path, "DEU,2014,100,\nDEU,2015,110,\n", "--submitted")

    def status(*options: str) -> str:
        result = metrics(db_url, "reporting", "--cycle", "Report 2016", "--format", "csv", *options)
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stdout.splitlines() if ",DEU," in line]
        return lines[0]

    assert ",missing," in status()
    including = status("--include-submitted")
    assert ",on_time," in including
    assert including.endswith(",including figures awaiting review (not yet accepted by the secretariat)")
    noted = metrics(db_url, "reporting", "--include-submitted")
    assert "note: including figures awaiting review" in noted.stderr
