"""Loading a file in the ingest tests: sample rows, the load itself, and what the database then holds."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, func, select

from data_ingest.load import load_file
from data_ingest.report import IngestReport
from models.db import read_session
from models.tables import Observation, Upload

NOW = dt.datetime(2026, 11, 28, 10, 30, tzinfo=dt.UTC)
HEADER = "country,year,identified_victims,cumulative_total\n"


def csv_rows(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode("utf-8")


def load(engine: Engine, content: bytes, name: str = "figures.csv", **options: object) -> IngestReport:
    options.setdefault("user", "liaison@example.org")
    options.setdefault("now", NOW)
    return load_file(engine, content, name, **options)  # type: ignore[arg-type]


def current_observations(engine: Engine) -> dict[tuple[str, str, int], int]:
    with read_session(engine) as session:
        rows = session.execute(
            select(
                Observation.participant_code, Observation.indicator_code, Observation.year, Observation.value
            )
        )
        return {(p, i, y): v for p, i, y, v in rows}


def count_rows(engine: Engine, table: type) -> int:
    with read_session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def recorded_uploads(engine: Engine) -> list[Upload]:
    with read_session(engine) as session:
        return list(session.scalars(select(Upload).order_by(Upload.id)))
