"""Files refused whatever their bytes: broken or control characters, names that cannot be stored,
counts beyond the bound, and the tables that stay available at it (both backends)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select

from data_ingest.cells import MAX_COUNT
from models.db import read_session
from models.tables import Participant
from tests.data_ingest.loading import (
    csv_rows,
    current_observations,
    load,
    recorded_uploads,
)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b'[{"country":"DEU\\ud800x","year":2011,"identified_victims":"1\\ud800"}]', "surrogate.json",
         "holds a broken character"),
        (b'[{"country":"DEU\\u0000","year":2014,"identified_victims":5}]', "nul.json",
         "holds a NUL character"),
        (b'[{"country":"DEU\\ud800","year":2014,"identified_victims":5}]', "code.json", "broken character"),
        (b"\x81\x8d\x8f\x90\x9d", "undecodable.csv", "characters in this file cannot be read"),
        (csv_rows("DEU,2014,5,"), "figures\x00.csv", "The file name holds a NUL character"),
        (csv_rows("DEU,2014,5,"), "figures\udcff.csv", "The file name holds a broken character"),
        (csv_rows("DEU,2014,5,"), "x" * 300 + ".csv", "The file name may be at most 255 characters long"),
        (csv_rows("DEU,2014,5,"), "two\nlines.csv", "The file name holds a line break"),
    ],
)  # fmt: skip
def test_a_file_is_refused_clearly_and_recorded_whatever_its_bytes_or_name(
    engine: Engine, content: bytes, name: str, message: str
) -> None:
    report = load(engine, content, name=name)
    assert report.status == "rejected"
    assert any(message in error.message for error in report.errors), report.errors
    assert current_observations(engine) == {}  # "DEU\ud800" and "DEU\x00" are never read as DEU
    [upload] = recorded_uploads(engine)
    assert (upload.outcome, upload.error_count) == ("rejected", len(report.errors))
    assert not {"\x00", "\udcff", "\n"} & set(upload.original_name)
    assert len(upload.original_name) <= 255
    stored = repr(upload.report)
    assert "\\x00" not in stored
    assert "\\ud800" not in stored
    assert all("\ufffd" in e["value"] for e in upload.report["errors"] if e["value"] and "DEU" in e["value"])


def test_a_lone_surrogate_after_a_code_is_a_row_error_naming_the_cell(engine: Engine) -> None:
    report = load(engine, b'[{"country":"DEU\\ud800","year":2014,"identified_victims":5}]', name="x.json")
    assert [(e.row, e.column, e.value) for e in report.errors] == [(1, "country", "DEU\ufffd")]
    assert report.errors[0].message == (
        "This cell holds a broken character (half of a surrogate pair), which cannot be stored. "
        "Type it again without it."
    )


@pytest.mark.parametrize("control", ["\x1c", "\x1f", "\x85", "\x0b"])
def test_a_control_character_at_the_end_of_a_code_is_refused_never_stripped(
    engine: Engine, control: str
) -> None:
    payload = json.dumps([{"country": f"DEU{control}", "year": 2014, "identified_victims": 5}])
    report = load(engine, payload.encode(), name="x.json")
    assert [(e.row, e.column) for e in report.errors] == [(1, "country")]
    assert current_observations(engine) == {}


def test_spaces_around_a_code_are_not_part_of_it(engine: Engine) -> None:
    payload = json.dumps([{"country": "\u00a0DEU\t ", "year": 2014, "identified_victims": 5}])
    assert load(engine, payload.encode(), name="x.json").status == "loaded"


# --- Counts are bounded, and the metrics hold at the bound -------------------------------------


def test_counts_up_to_ten_billion_load_and_beyond_are_refused_naming_the_bound(engine: Engine) -> None:
    assert load(engine, csv_rows("DEU,2015,10000000000,10000000000")).status == "loaded"
    refused = load(engine, csv_rows("FRA,2015,5000000000000000000,"))
    assert [(e.row, e.column) for e in refused.errors] == [(2, "identified_victims")]
    assert "counts are at most 10,000,000,000, more than the world's population" in refused.errors[0].message


def test_every_participant_at_the_bound_for_years_keeps_every_table_available(engine: Engine) -> None:
    from models.metrics.service import clear_cache, compliance, reporting

    with read_session(engine) as session:
        codes = sorted(session.scalars(select(Participant.code)))
    years = range(2014, 2020)
    rows = [f"{code},{year},{MAX_COUNT},{MAX_COUNT}" for code in codes for year in years]
    assert load(engine, csv_rows(*rows), name="at-the-bound.csv").status == "loaded"
    clear_cache()
    for basis in ("annual", "cumulative"):
        table = compliance(engine, basis)
        alliance = table[(table["participant"] == "ALL") & (table["year"] == 2019)]
        assert int(alliance["value"].iloc[0]) == len(codes) * MAX_COUNT
        assert set(table.loc[table["participant"] != "ALL", "status"].dropna()) <= {"no_baseline", "not_met"}
    assert not reporting(engine).summary.empty


# --- Only the final write takes the lock, and it re-reads what it changes -----------------------
