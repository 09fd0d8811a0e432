"""Ingest benchmark: validate + load of long-layout CSVs against pandas.read_csv + DataFrame.to_sql."""

from __future__ import annotations

import io
import itertools
import shutil
import string
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pycountry
from sqlalchemy import Engine, text

from benchmarks.timing import median_seconds, peak_bytes
from data_ingest.load import load_file
from models import schema
from models.db import make_engine, write_transaction
from models.reference import seed_reference
from models.tables import Participant

ROWS = (10_000, 100_000)
YEARS = list(range(2000, 2027))


@dataclass(frozen=True)
class IngestResult:
    backend: str
    rows: int
    seconds: float
    floor_seconds: float
    peak_bytes: int
    floor_peak_bytes: int

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds

    @property
    def floor_rows_per_second(self) -> float:
        return self.rows / self.floor_seconds


def synthetic_codes(count: int) -> list[str]:
    """Three-letter codes no country uses, for synthetic participants (registered directly)."""
    used = {country.alpha_3 for country in pycountry.countries}
    codes = ("".join(letters) for letters in itertools.product(string.ascii_uppercase, repeat=3))
    return list(itertools.islice((code for code in codes if code not in used), count))


def csv_file(codes: list[str], rows: int) -> bytes:
    """A long-layout CSV of `rows` plausible rows: country, year, identified_victims, cumulative_total.

    Counts grow smoothly and cumulative = previous cumulative + annual, as in a real report, so
    the plausibility checks run but find nothing to warn about.
    """
    lines = ["country,year,identified_victims,cumulative_total"]
    for index, code in enumerate(codes):
        total = 100 + index % 400
        for offset, year in enumerate(YEARS):
            if len(lines) > rows:
                break
            annual = 20 + (index % 50) + offset * 2
            total += annual
            lines.append(f"{code},{year},{annual},{total}")
    return ("\n".join(lines[: rows + 1]) + "\n").encode()


@contextmanager
def backend_engine(backend: str, postgres_url: str | None) -> Iterator[tuple[Engine, Callable[[], None]]]:
    """A migrated, seeded database and a function that empties its data tables between runs."""
    folder = Path(tempfile.mkdtemp(prefix="vid-bench-"))
    schema_name = f"vid_bench_{uuid.uuid4().hex[:10]}"
    if backend == "sqlite":
        template = folder / "template.db"
        engine = make_engine(f"sqlite:///{template}")
        _prepare(engine)
        engine.dispose()
        live = folder / "live.db"
        engine = make_engine(f"sqlite:///{live}")

        def reset() -> None:
            engine.dispose()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{live}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(template, live)

    else:
        assert postgres_url is not None
        admin = make_engine(postgres_url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
        admin.dispose()
        from sqlalchemy.engine import make_url

        url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema_name}"})
        engine = make_engine(url.render_as_string(hide_password=False))
        _prepare(engine)

        def reset() -> None:
            with engine.begin() as connection:
                connection.execute(
                    text("TRUNCATE observation_revisions, observations, uploads RESTART IDENTITY")
                )
                connection.execute(text("DROP TABLE IF EXISTS floor_rows"))

    try:
        reset()
        yield engine, reset
    finally:
        engine.dispose()
        if backend != "sqlite":
            admin = make_engine(postgres_url or "")
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE'))
            admin.dispose()
        shutil.rmtree(folder, ignore_errors=True)


def _prepare(engine: Engine) -> None:
    schema.upgrade(engine)
    participants = -(-max(ROWS) // len(YEARS))
    with write_transaction(engine) as session:
        seed_reference(session, actor="bench")
        for code in synthetic_codes(participants):
            joined = pd.Timestamp("2000-01-01").date()
            source = {"source_title": "benchmark", "source_url": "https://example.org/benchmark"}
            session.add(Participant(code=code, name=f"Synthetic {code}", joined_on=joined, **source))


def run(postgres_url: str | None, repeat: int = 3) -> list[IngestResult]:
    results = []
    codes = synthetic_codes(-(-max(ROWS) // len(YEARS)))
    backends = ["sqlite"] + (["postgresql"] if postgres_url else [])
    for backend in backends:
        with backend_engine(backend, postgres_url) as (engine, reset):
            for rows in ROWS:
                content = csv_file(codes, rows)

                def ours(engine: Engine = engine, content: bytes = content) -> None:
                    report = load_file(engine, content, "bench.csv", user="bench")
                    assert report.status == "loaded", report.errors[:3]

                def floor(engine: Engine = engine, content: bytes = content) -> None:
                    frame = pd.read_csv(io.BytesIO(content))
                    frame.to_sql("floor_rows", engine, index=False, if_exists="append")

                def reset_all(engine: Engine = engine) -> None:
                    reset()
                    with engine.begin() as connection:
                        connection.execute(text("DROP TABLE IF EXISTS floor_rows"))

                times = repeat if rows < max(ROWS) else max(1, repeat - 1)
                seconds = median_seconds(ours, times, before=reset_all)
                floor_seconds = median_seconds(floor, times, before=reset_all)
                # Peak memory at the smaller size only: under tracemalloc a run takes several times as
                # long, and the largest file's runs are most of the benchmark's time already.
                memory = peak_bytes(ours, before=reset_all) if rows < max(ROWS) else 0
                floor_memory = peak_bytes(floor, before=reset_all) if rows < max(ROWS) else 0
                results.append(IngestResult(backend, rows, seconds, floor_seconds, memory, floor_memory))
    return results
