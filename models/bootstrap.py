"""Bring a database to a usable state: migrate to head, seed reference data, optionally add the demo."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from models import schema
from models.db import read_session, write_transaction
from models.demo import DemoDataError, DemoLoadReport, holds_demo_data, holds_real_data, load_demo
from models.recording import ChangeCounts
from models.reference import SeedReport, reference_missing, seed_reference


@dataclass(frozen=True)
class InitReport:
    """What `init_db` did."""

    revision: str
    seeded: SeedReport
    demo: DemoLoadReport | None
    notice: str | None = None


def init_db(engine: Engine, demo: bool = False, actor: str = "init-db") -> InitReport:
    """Migrate to head and seed reference data; with `demo`, load the demonstration data if no data exists.

    Idempotent: a second run changes nothing. A database with real data never receives demo data:
    that case is reported as a notice, not an error, so start-up scripts keep working.
    """
    schema.upgrade(engine)
    # Write (and so change the data version, which empties caches) only when there is something to add.
    seeded = SeedReport()
    with read_session(engine) as session:
        missing = reference_missing(session)
        has_demo, has_real = holds_demo_data(session), holds_real_data(session)
    if missing:
        with write_transaction(engine) as session:
            seeded = seed_reference(session, actor)
    demo_report = None
    notice = None
    if demo and has_real:
        notice = "the database holds real data: demonstration data was not loaded"
    elif demo and has_demo:
        demo_report = DemoLoadReport(False, 0, ChangeCounts(0, 0, 0), "demonstration data is already loaded")
    elif demo:
        try:
            with write_transaction(engine) as session:
                demo_report = load_demo(session)
        except DemoDataError as exc:
            notice = str(exc)
    return InitReport(schema.head_revision(), seeded, demo_report, notice)
