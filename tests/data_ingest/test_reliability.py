"""Nothing is lost: a load killed just before or just after its commit, twenty conflicting loads at
once, an export and reload. Run on SQLite and PostgreSQL; the kills land exactly where they are
aimed (the loader signals its fault point and waits), whatever the machine's speed.
"""

from __future__ import annotations

import os
import select as readiness
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select

from data_ingest.__main__ import main as ingest_main
from data_ingest.load import load_file
from data_ingest.report import IngestReport
from models.db import make_engine, read_session
from models.demo import DemoCycle, generate_demo
from models.faults import FAULT_POINT_ENV
from models.metrics.service import clear_cache, compliance
from models.reference import ANNUAL, CUMULATIVE, standard_cycles
from models.settings import PROJECT_ROOT
from models.tables import Observation, ObservationRevision, Participant, Upload
from tests.cli import invoke

YEARS = range(2000, 2025)


def big_file(codes: list[str], shift: int) -> bytes:
    lines = ["country,year,identified_victims,cumulative_total"]
    for index, code in enumerate(codes):
        for year in YEARS:
            annual = (index * 7 + year + shift) % 500
            lines.append(f"{code},{year},{annual},{annual * 3 + shift}")
    return ("\n".join(lines) + "\n").encode()


def snapshot(engine: Engine) -> dict[tuple[str, str, int], int]:
    with read_session(engine) as session:
        rows = session.execute(
            select(
                Observation.participant_code, Observation.indicator_code, Observation.year, Observation.value
            )
        )
        return {(p, i, y): int(v) for p, i, y, v in rows}


def expected_values(content: bytes) -> dict[tuple[str, str, int], int]:
    values = {}
    for line in content.decode().splitlines()[1:]:
        code, year, annual, cumulative = line.split(",")
        values[(code, ANNUAL, int(year))] = int(annual)
        values[(code, CUMULATIVE, int(year))] = int(cumulative)
    return values


def killed_at(point: str, command: list[str]) -> None:
    """Run `command` until it reaches the fault point (models.faults.fault_point), then SIGKILL it there.

    The process says it has arrived through a pipe: no sleep, no guess of how long a load takes.
    """
    read_end, write_end = os.pipe()
    env = {**os.environ, FAULT_POINT_ENV: f"{point}:/dev/fd/{write_end}"}
    process = subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, pass_fds=(write_end,),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    os.close(write_end)  # the child holds the only write end: its exit ends the read below
    try:
        ready, _, _ = readiness.select([read_end], [], [], 300)  # a bound for a hung child, never a timing
        said = os.read(read_end, 100) if ready else b""
        if said != f"{point}\n".encode():
            process.kill()
            stderr = process.communicate(timeout=60)[1].decode(errors="replace")
            raise AssertionError(f"the load never reached {point!r}: {stderr[-2000:]}")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
    finally:
        os.close(read_end)
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def test_a_load_killed_before_or_after_its_commit_leaves_all_of_the_file_or_none(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    with read_session(engine) as session:
        codes = sorted(session.scalars(select(Participant.code)))[:10]  # 500 values: size no longer matters
    first = big_file(codes, shift=0)
    assert load_file(engine, first, "first.csv", user="tests").status == "loaded"
    committed = snapshot(engine)
    assert committed == expected_values(first)

    command = [sys.executable, "-m", "data_ingest", "load", "--database", db_url, "--user", "crash-test",
               "--reason", "crash test: every run revises the last"]  # fmt: skip
    # Killed with every value written but not committed: none of the file; just after: all of it.
    for run, (point, expected) in enumerate([("commit", "none"), ("committed", "all"),
                                             ("commit", "none"), ("committed", "all")], start=1):  # fmt: skip
        content = big_file(codes, shift=run)
        path = tmp_path / f"run{run}.csv"
        path.write_bytes(content)
        killed_at(point, [*command, str(path)])
        after = snapshot(engine)
        with read_session(engine) as session:
            uploads = session.scalar(select(func.count()).where(Upload.original_name == path.name)) or 0
        if expected == "none":
            assert after == committed, f"run {run}: a load killed before its commit left values"
            assert uploads == 0, f"run {run}: an upload row without its values"
        else:
            assert after == expected_values(content), f"run {run}: a committed load is not all there"
            assert uploads == 1
            committed = after


def test_twenty_conflicting_loads_at_once_are_applied_one_after_the_other(engine: Engine) -> None:
    submissions = 20
    barrier = threading.Barrier(submissions)
    reports: list[IngestReport] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def send(value: int) -> None:
        content = f"country,year,identified_victims\nDEU,2024,{value}\n".encode()
        barrier.wait(timeout=30)
        try:
            report = load_file(engine, content, f"deu-{value}.csv", user=f"thread-{value}")
        except BaseException as exc:
            with lock:
                failures.append(exc)
            return
        with lock:
            reports.append(report)

    threads = [threading.Thread(target=send, args=(1000 + i,)) for i in range(submissions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert {report.status for report in reports} == {"loaded"}

    with read_session(engine) as session:
        history = session.execute(
            select(ObservationRevision.value, ObservationRevision.upload_id)
            .where(ObservationRevision.participant_code == "DEU")
            .order_by(ObservationRevision.id)
        ).all()
        current = session.scalar(select(Observation.value).where(Observation.participant_code == "DEU"))
    assert sorted(value for value, _ in history) == [1000 + i for i in range(submissions)]
    assert current == history[-1][0]
    # Each load replaced exactly the value the previous one recorded: no update was lost.
    replaced = {report.upload_id: report.changes[0].old_value for report in reports}
    previous = None
    for value, upload_id in history:
        assert replaced[upload_id] == previous
        previous = value


def test_an_export_loaded_into_an_empty_database_gives_the_same_compliance_table(
    engine: Engine, db_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cycles = [
        DemoCycle(c.name, c.deadline, c.first_year, c.last_year)
        for c in standard_cycles(pd.Timestamp("2026-11-28").date())
    ]
    with read_session(engine) as session:
        codes = sorted(session.scalars(select(Participant.code)))
    plan = generate_demo(codes, cycles, seed=7)
    final = {}
    for submission in plan.submissions:
        for value in submission.values:
            final[value.cell] = value.value
    lines = ["country,year,identified_victims,cumulative_total"]
    for code, year in sorted({(c, y) for c, _, y in final}):
        lines.append(
            f"{code},{year},{final.get((code, ANNUAL, year), '')},{final.get((code, CUMULATIVE, year), '')}"
        )
    assert load_file(engine, ("\n".join(lines) + "\n").encode(), "real.csv", user="tests").status == "loaded"

    exported = invoke(ingest_main, "export", "--database", db_url)
    assert exported.returncode == 0, exported.stderr
    export_file = tmp_path / "export.csv"
    export_file.write_bytes(exported.stdout_bytes)

    other_url = request.getfixturevalue("second_db_url")
    loaded = invoke(ingest_main, "load", "--database", other_url, str(export_file))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    other = make_engine(other_url)
    try:
        for basis in ("annual", "cumulative"):
            clear_cache()
            pd.testing.assert_frame_equal(compliance(engine, basis), compliance(other, basis))
    finally:
        other.dispose()
