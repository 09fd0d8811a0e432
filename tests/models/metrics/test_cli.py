"""`python -m models.metrics` as the secretariat runs it: the JSON and CSV contracts, on both backends."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from models.db import make_engine, write_transaction
from models.demo import load_demo
from models.metrics.compliance import COLUMNS
from models.settings import PROJECT_ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "models.metrics", *args],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def demo_url(db_url: str) -> str:
    engine = make_engine(db_url)
    with write_transaction(engine) as session:
        load_demo(session)
    engine.dispose()
    return db_url


def test_compliance_json_has_the_contract_keys_and_order(demo_url: str) -> None:
    result = run(
        "compliance",
        "--database",
        demo_url,
        "--basis",
        "annual",
        "--from",
        "2015",
        "--to",
        "2020",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert all(list(row) == COLUMNS for row in rows)
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
    assert list(rows[0]) == COLUMNS
    assert {row["participant"] for row in rows} == {"DEU"}
    assert {row["basis"] for row in rows} == {"cumulative"}  # the default basis
    assert rows[0]["value"].isdigit()  # integers, never "23.0"


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
    summary_csv = run("reporting", "--database", demo_url, "--format", "csv", "--summary")
    assert summary_csv.stdout.splitlines()[0].startswith(
        "cycle,kind,deadline,first_year,last_year,expected,on_time"
    )


def test_unknown_cycle_and_bad_arguments(demo_url: str) -> None:
    unknown = run("reporting", "--database", demo_url, "--cycle", "Report 1999")
    assert unknown.returncode == 1
    assert "no reporting cycle named 'Report 1999'" in unknown.stderr
    unknown_participant = run("compliance", "--database", demo_url, "--participant", "XXX")
    assert unknown_participant.returncode == 1
    assert "XXX is not a registered participant" in unknown_participant.stderr
    assert run("compliance", "--basis", "weekly").returncode == 2
    assert run("compliance", "--from", "2020", "--to", "2019").returncode == 2
