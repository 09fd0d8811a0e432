"""Fixtures of the joint report tests: the demonstration report, written once and read by poppler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from models.base import utcnow
from models.db import make_engine, read_session, write_transaction
from models.recording import CellValue, apply_changes, plan_changes
from models.reports.joint_report.data import joint_report
from models.reports.joint_report.document import RenderedReport, write_pdf
from models.reports.joint_report.view import JointReport
from models.tables import Upload
from tests.models.reports.joint_report.poppler import ReadPdf, read_pdf, require_poppler

DEMO_CYCLE = "Report 2026"


def record(engine: Engine, submitted_on: dt.date, *values: tuple[str, str, int, int]) -> None:
    """Record real (not demonstration) values, as one accepted upload submitted on `submitted_on`.

    `values`: (participant, indicator, year, value).
    """
    with write_transaction(engine) as session:
        upload = Upload(
            original_name="report.csv",
            sha256="c" * 64,
            size_bytes=1,
            file_format="csv",
            uploaded_by="liaison@example.org",
            submitted_on=submitted_on,
            outcome="loaded",
        )
        session.add(upload)
        changes = plan_changes(session, [CellValue(*v) for v in values])
        apply_changes(session, changes, upload, "liaison@example.org", utcnow())


def report_of(url: str, cycle: str = DEMO_CYCLE) -> JointReport:
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            return joint_report(session, cycle)
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Written:
    """A report, the file written from it, and the file as poppler reads it."""

    report: JointReport
    rendered: RenderedReport
    read: ReadPdf


def written(report: JointReport, path: Path) -> Written:
    require_poppler()
    rendered = write_pdf(report, path)
    return Written(report, rendered, read_pdf(path))


@pytest.fixture
def poppler() -> None:
    require_poppler()


@pytest.fixture(scope="session")
def demo_report(demo_db_url: str) -> JointReport:
    """The joint report of Report 2026 on the demonstration data."""
    return report_of(demo_db_url)


@pytest.fixture(scope="session")
def demo_pdf(demo_report: JointReport, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    """The demonstration report written once per test session, and read by poppler."""
    return written(demo_report, tmp_path_factory.mktemp("joint-report") / "demo.pdf")
