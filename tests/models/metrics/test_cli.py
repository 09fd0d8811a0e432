"""`python -m models.metrics` as the secretariat runs it: the JSON and CSV contracts, on both backends,
demonstration data labelled in every format, and a quiet end when the reader stops reading."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator

import pytest

from data_ingest.load import load_file
from models import schema
from models.db import make_engine, write_transaction
from models.demo import DEMO_LABEL, load_demo
from models.metrics.__main__ import main
from models.metrics.compliance import COLUMNS
from models.reference import seed_reference
from models.settings import PROJECT_ROOT
from tests.cli import Result, invoke
from tests.conftest import drop_postgres_schema, postgres_schema_url

NOTE_LINE = f"note: {DEMO_LABEL}"


@pytest.fixture(scope="module")
def postgres_demo_url(postgres_base_url: str) -> Iterator[str]:
    """A PostgreSQL schema holding the demonstration data, for this module's read-only tests."""
    name = f"vid_metrics_cli_{uuid.uuid4().hex[:12]}"
    url = postgres_schema_url(postgres_base_url, name)
    engine = make_engine(url)
    schema.upgrade(engine)
    with write_transaction(engine) as session:
        seed_reference(session, actor="tests")
    with write_transaction(engine) as session:
        load_demo(session)
    engine.dispose()
    yield url
    drop_postgres_schema(postgres_base_url, name)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def demo_url(request: pytest.FixtureRequest) -> str:
    """A database holding the demonstration data, on each backend; only read."""
    fixture = "demo_db_url" if request.param == "sqlite" else "postgres_demo_url"
    return str(request.getfixturevalue(fixture))


def run(*args: str) -> Result:
    return invoke(main, *args)


def test_compliance_json_has_the_contract_keys_and_order(demo_url: str) -> None:
    result = run("compliance", "--database", demo_url, "--basis", "annual",
                 "--from", "2015", "--to", "2020", "--format", "json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert all(list(row) == [*COLUMNS, "data_note"] for row in rows)
    assert {row["data_note"] for row in rows} == {DEMO_LABEL}
    participants = [row["participant"] for row in rows]
    first_all = participants.index("ALL")
    assert set(participants[first_all:]) == {"ALL"}
    assert participants[:first_all] == sorted(participants[:first_all])
    assert {row["year"] for row in rows} == set(range(2015, 2021))
    assert {row["basis"] for row in rows} == {"annual"}
    met = next(row for row in rows if row["status"] == "met")
    assert isinstance(met["value"], int)
    assert isinstance(met["growth"], float)
    assert met["value"] >= met["required_value"]
    missing = next(row for row in rows if row["status"] == "missing")
    assert missing["value"] is None


def test_compliance_csv_has_the_same_columns(demo_url: str) -> None:
    result = run("compliance", "--database", demo_url, "--participant", "deu", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [*COLUMNS, "data_note"]
    assert {row["participant"] for row in rows} == {"DEU"}
    assert {row["basis"] for row in rows} == {"cumulative"}  # the default basis
    assert {row["data_note"] for row in rows} == {DEMO_LABEL}
    assert rows[0]["value"].isdigit()  # integers, never "23.0"


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_demonstration_figures_are_labelled_in_every_format(demo_db_url: str, output_format: str) -> None:
    for command in ("compliance", "reporting"):
        result = run(command, "--database", demo_db_url, "--format", output_format)
        assert result.returncode == 0, result.stderr
        assert result.stderr.startswith(NOTE_LINE), (command, result.stderr)
        if output_format == "table":
            assert "data_note" not in result.stdout  # a terminal table stays narrow: the line says it


def test_real_figures_carry_no_demonstration_label(db_url: str) -> None:
    content = b"country,year,cumulative_total\nDEU,2019,100\nDEU,2020,111\n"
    assert load_file(make_engine(db_url), content, "deu.csv", user="tests").status == "loaded"
    result = run("compliance", "--database", db_url, "--participant", "DEU", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == COLUMNS
    assert [(row["year"], row["status"]) for row in rows] == [("2019", "no_baseline"), ("2020", "met")]
    assert result.stderr == ""


def test_reporting_json_and_csv(demo_url: str) -> None:
    result = run("reporting", "--database", demo_url, "--cycle", "Report 2016", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    (summary,) = document["summary"]
    assert (
        summary["expected"]
        == summary["on_time"] + summary["late"] + summary["incomplete"] + summary["missing"]
    )
    assert summary["completeness_denominator"] == summary["expected"] == len(document["participants"])
    assert {row["cycle"] for row in document["participants"]} == {"Report 2016"}
    assert summary["data_note"] == DEMO_LABEL


@pytest.mark.parametrize("output_format", ["table", "csv", "json"])
def test_reporting_summary_works_in_every_format(demo_db_url: str, output_format: str) -> None:
    full = run("reporting", "--database", demo_db_url, "--format", output_format)
    summary = run("reporting", "--database", demo_db_url, "--format", output_format, "--summary")
    assert summary.returncode == full.returncode == 0, summary.stderr
    assert len(summary.stdout) < len(full.stdout) / 3  # the rows per participant are left out
    if output_format == "json":
        document = json.loads(summary.stdout)
        assert list(document) == ["current_cycle", "summary"]
        assert {row["cycle"] for row in document["summary"]} >= {"Stock-taking 2013", "Report 2016"}
    elif output_format == "csv":
        header = summary.stdout.splitlines()[0]
        assert header.startswith("cycle,kind,deadline,first_year,last_year,expected,on_time")
        assert "participant" not in header
    else:
        assert "Report 2016" in summary.stdout
        assert "DEU" not in summary.stdout


def test_unknown_cycle_and_bad_arguments(demo_url: str) -> None:
    unknown = run("reporting", "--database", demo_url, "--cycle", "Report 1999")
    assert unknown.returncode == 1
    assert "no reporting cycle named 'Report 1999'" in unknown.stderr
    unknown_participant = run("compliance", "--database", demo_url, "--participant", "XXX")
    assert unknown_participant.returncode == 1
    assert "XXX is not a registered participant" in unknown_participant.stderr
    assert run("compliance", "--basis", "weekly").returncode == 2
    assert run("compliance", "--from", "2020", "--to", "2019").returncode == 2


def test_output_cut_short_by_the_reader_ends_quietly(demo_db_url: str) -> None:
    # A real pipe closed early, as `python -m models.metrics compliance | head -1` does: the command
    # must stop without a BrokenPipeError traceback (nor Python's "Exception ignored" at exit).
    # The table is about 120 KB, more than a pipe holds, so the command is still writing then.
    command = [sys.executable, "-m", "models.metrics", "compliance", "--database", demo_db_url]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stderr is not None
    first_line = process.stdout.readline()
    process.stdout.close()  # the reader goes away while the command still has most to write
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, stderr
    assert first_line.split()[:3] == [b"participant", b"year", b"basis"]
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
    assert "Exception ignored" not in stderr


def _rows(demo_db_url: str, *args: str) -> dict[tuple[str, int], dict[str, str]]:
    result = run("compliance", "--database", demo_db_url, "--format", "csv", *args)
    assert result.returncode == 0, result.stderr
    return {(r["participant"], int(r["year"])): r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_a_path_value_does_not_depend_on_the_years_asked_for(demo_db_url: str) -> None:
    full = _rows(demo_db_url)[("DEU", 2025)]
    one_year = _rows(demo_db_url, "--from", "2025")[("DEU", 2025)]
    assert (one_year["baseline_year"], one_year["path_value"]) == (full["baseline_year"], full["path_value"])
    assert full["baseline_year"] == "2012"


def test_the_alliance_row_of_a_one_year_range_is_judged_as_the_participants_are(demo_db_url: str) -> None:
    one_year = _rows(demo_db_url, "--from", "2025", "--to", "2025")
    full = _rows(demo_db_url)
    assert one_year[("ALL", 2025)]["status"] in ("met", "not_met")
    assert one_year[("ALL", 2025)] == full[("ALL", 2025)]
