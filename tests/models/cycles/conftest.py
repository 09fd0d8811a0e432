"""Helpers of the reporting-cycle tests: loading files and running `python -m models` in this process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from data_ingest.__main__ import main as ingest_main
from models.__main__ import main as models_main
from models.db import read_session
from models.metrics.__main__ import main as metrics_main
from models.tables import Observation
from tests.cli import Result, invoke

HEADER = "country,year,identified_victims,cumulative_total\n"


def load(db_url: str, folder: Path, rows: str, *options: str, name: str = "deu.csv") -> Result:
    """`python -m data_ingest load` of a CSV holding `rows` (after the header), received 2016-06-01."""
    (folder / name).write_text(HEADER + rows, encoding="utf-8")
    return invoke(
        ingest_main, "load", name, "--database", db_url, "--received-on", "2016-06-01", *options, cwd=folder
    )


def models(db_url: str, *args: str) -> Result:
    """`python -m models ARGS` on the test database, acting as `cli:tests`."""
    head, *rest = args
    return invoke(models_main, head, *rest, "--database", db_url, "--user", "cli:tests")


def metrics(db_url: str, *args: str) -> Result:
    """`python -m models.metrics ARGS` on the test database."""
    return invoke(metrics_main, *args, "--database", db_url)


def listed(db_url: str, *options: str) -> list[dict[str, Any]]:
    result = models(db_url, "submissions", "list", "--json", *options)
    assert result.returncode == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def current(engine: Engine, participant: str, year: int, indicator: str = "identified_victims") -> int | None:
    """The value counting now (accepted) of a cell."""
    with read_session(engine) as session:
        value = session.scalar(
            select(Observation.value).where(
                Observation.participant_code == participant,
                Observation.indicator_code == indicator,
                Observation.year == year,
            )
        )
    return None if value is None else int(value)


def compliance_value(db_url: str, participant: str, year: int, *options: str) -> Any:
    """The annual value the compliance command shows for a participant and year (None when missing)."""
    result = metrics(db_url, "compliance", "--basis", "annual", "--format", "json", *options)
    assert result.returncode == 0, result.stderr
    for row in json.loads(result.stdout):
        if row["participant"] == participant and row["year"] == year:
            return row["value"]
    return None
