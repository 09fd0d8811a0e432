"""The joint report of a cycle really closed (models.cycles): its snapshot hash and the changes since."""

from __future__ import annotations

import shutil
from pathlib import Path

from models.cycles.closing import latest_snapshot
from models.db import make_engine, read_session
from models.reports.joint_report import strings
from tests.models.cycles.conftest import load, models
from tests.models.reports.joint_report.conftest import report_of, written
from tests.models.reports.joint_report.poppler import squash

CYCLE = "Report 2026"


def test_a_closed_cycle_pdf_shows_the_snapshot_hash_and_lists_a_change_since_the_close(
    sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "closed.db")
    url = f"sqlite:///{tmp_path / 'closed.db'}"
    rows = "DEU,2024,100,1000\nDEU,2025,111,1111\nFRA,2024,40,400\nFRA,2025,44,444\n"
    assert load(url, tmp_path, rows, "--received-on", "2026-06-01").returncode == 0
    assert models(url, "cycles", "close", "--name", CYCLE).returncode == 0
    unlock = ("cycles", "unlock", "--name", CYCLE, "--participant", "DEU", "--reason", "duplicates")
    assert models(url, *unlock).returncode == 0
    fixed = load(
        url,
        tmp_path,
        "DEU,2025,105,\n",
        "--reason",
        "de-duplicated",
        "--received-on",
        "2026-09-01",
        name="fix.csv",
    )
    assert fixed.returncode == 0, fixed.stdout
    engine = make_engine(url)
    with read_session(engine) as session:
        snapshot = latest_snapshot(session, CYCLE)
    engine.dispose()
    assert snapshot is not None

    report = report_of(url, CYCLE)
    assert report.snapshot is not None
    assert report.snapshot.sha256 == snapshot.sha256
    pdf = written(report, tmp_path / "closed.pdf")
    title = squash(pdf.read.page(1))
    assert snapshot.sha256 in "".join(title.split())
    assert strings.FACT_REVISED in title
    page = pdf.read.contents()[strings.REVISED]
    revised = squash(pdf.read.page(page))
    assert "111 → 105" in revised
    assert "de-duplicated" in revised
    assert pdf.read.complaints == ""
