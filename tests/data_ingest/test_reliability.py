"""Nothing is lost: a load killed at any moment, twenty conflicting loads at once, an export and reload.

Run on SQLite and PostgreSQL, bounded in time (a few seconds per case).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pycountry
import pytest
from sqlalchemy import Engine, func, select

from data_ingest.load import load_file
from data_ingest.report import IngestReport
from models.db import make_engine, read_session, write_transaction
from models.demo import DemoCycle, generate_demo
from models.metrics.service import clear_cache, compliance
from models.reference import ANNUAL, CUMULATIVE, add_participant, standard_cycles, validated_participant
from models.settings import PROJECT_ROOT
from models.tables import Observation, ObservationRevision, Participant, Upload

YEARS = range(2000, 2025)


def register_every_country(engine: Engine) -> list[str]:
    """Register every ISO country as a participant, so a file can be large (about 250 × 25 rows)."""
    with write_transaction(engine) as session:
        known = set(session.scalars(select(Participant.code)))
        for country in pycountry.countries:
            if country.alpha_3 not in known:
                name = f"{country.name} ({country.alpha_3})"
                record = validated_participant(
                    country.alpha_3, name, "2012-12-05", "test", "https://example.org/t"
                )
                add_participant(session, record, actor="tests")
        return sorted(session.scalars(select(Participant.code)))


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


def test_a_load_killed_at_any_moment_leaves_all_of_the_file_or_none(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    codes = register_every_country(engine)
    first = big_file(codes, shift=0)
    assert load_file(engine, first, "first.csv", user="tests").status == "loaded"
    committed = snapshot(engine)
    assert committed == expected_values(first)

    rng = random.Random(20121205)
    command = [sys.executable, "-m", "data_ingest", "load", "--database", db_url, "--user", "crash-test",
               "--reason", "crash test: every run revises the last"]  # fmt: skip
    probe_file = tmp_path / "probe.csv"
    probe_file.write_bytes(big_file(codes, shift=1))
    # Warm up (the first run compiles bytecode), then time when a load's commit becomes visible,
    # to aim the kills at the loading itself.
    subprocess.run(
        [sys.executable, "-m", "data_ingest", "--help"], cwd=PROJECT_ROOT, capture_output=True, check=True
    )
    started = time.monotonic()
    probe = subprocess.Popen([*command, str(probe_file)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)  # fmt: skip
    visible_after = None
    while probe.poll() is None or visible_after is None:
        with read_session(engine) as session:
            if session.scalar(select(func.count()).where(Upload.original_name == probe_file.name)):
                visible_after = visible_after or time.monotonic() - started
        if probe.poll() is not None and visible_after is None:
            raise AssertionError("the probe load ended without committing")
        time.sleep(0.01)
    committed = snapshot(engine)
    assert committed == expected_values(probe_file.read_bytes())

    outcomes = []
    aim = 0.8  # fraction of the probe's time to commit; moved towards the commit after each kill
    for run in range(2, 8):
        content = big_file(codes, shift=run)
        path = tmp_path / f"run{run}.csv"
        path.write_bytes(content)
        process = subprocess.Popen([*command, str(path)], cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
        time.sleep(rng.uniform(0.85, 1.15) * aim * visible_after)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        after = snapshot(engine)
        if after == committed:
            outcomes.append("none")
        else:
            assert after == expected_values(content), f"run {run}: a partial file is visible"
            outcomes.append("all")
            committed = after
        aim = aim * 0.8 if outcomes[-1] == "all" else min(aim * 1.15, 1.2)
        with read_session(engine) as session:
            loaded_uploads = (
                session.scalar(select(func.count()).where(Upload.original_name == path.name)) or 0
            )
        assert loaded_uploads == (1 if outcomes[-1] == "all" else 0), (
            f"run {run}: upload row without its values"
        )
    print(f"kill outcomes: {outcomes}; a load commits {visible_after:.2f}s after it starts")
    assert "none" in outcomes, f"no kill landed before the commit: {outcomes}"


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

    exported = subprocess.run([sys.executable, "-m", "data_ingest", "export", "--database", db_url],
                              cwd=PROJECT_ROOT, capture_output=True, timeout=120, check=True)  # fmt: skip
    export_file = tmp_path / "export.csv"
    export_file.write_bytes(exported.stdout)

    other_url = request.getfixturevalue("second_db_url")
    load_command = [sys.executable, "-m", "data_ingest", "load", "--database", other_url, str(export_file)]
    loaded = subprocess.run(
        load_command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    other = make_engine(other_url)
    try:
        for basis in ("annual", "cumulative"):
            clear_cache()
            pd.testing.assert_frame_equal(compliance(engine, basis), compliance(other, basis))
    finally:
        other.dispose()
