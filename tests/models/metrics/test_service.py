"""Metrics from the database, on both backends: the right frames, cached per data version."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from models.base import utcnow
from models.cache import default_cache
from models.db import write_transaction
from models.metrics import service
from models.recording import CellValue, apply_changes, plan_changes
from models.reference import ANNUAL, CUMULATIVE
from models.tables import Upload


def record(engine: Engine, submitted_on: dt.date, *values: tuple[str, str, int, int]) -> None:
    with write_transaction(engine) as session:
        upload = Upload(
            original_name="report.csv",
            sha256="b" * 64,
            size_bytes=1,
            file_format="csv",
            uploaded_by="liaison@example.org",
            submitted_on=submitted_on,
            outcome="loaded",
        )
        session.add(upload)
        changes = plan_changes(session, [CellValue(*v) for v in values])
        apply_changes(session, changes, upload, "liaison@example.org", utcnow())


def status_of(engine: Engine, participant: str, year: int, basis: str = "annual") -> str:
    table = service.compliance(engine, basis)
    match = table[(table["participant"] == participant) & (table["year"] == year)]
    return str(match["status"].iloc[0])


def test_compliance_reads_the_basis_indicator(engine: Engine) -> None:
    record(engine, dt.date(2016, 6, 1), ("DEU", ANNUAL, 2014, 100), ("DEU", ANNUAL, 2015, 110),
           ("DEU", CUMULATIVE, 2014, 1000), ("DEU", CUMULATIVE, 2015, 1099))  # fmt: skip
    assert status_of(engine, "DEU", 2015, "annual") == "met"
    assert status_of(engine, "DEU", 2015, "cumulative") == "not_met"
    table = service.compliance(engine, "annual")
    assert set(table["year"]) == {2014, 2015}
    assert len(table[table["participant"] != "ALL"]) == 49 * 2  # every registered participant, both years


def test_results_are_cached_until_the_data_changes(engine: Engine) -> None:
    record(engine, dt.date(2016, 6, 1), ("FRA", ANNUAL, 2014, 100), ("FRA", ANNUAL, 2015, 105))
    service.clear_cache()
    first = service.compliance(engine, "annual")
    misses = default_cache().misses
    again = service.compliance(engine, "annual")
    assert default_cache().misses == misses  # served from the cache
    assert again.equals(first)
    again["status"] = "tampered"  # a caller's change must not reach the cache
    assert status_of(engine, "FRA", 2015) == "not_met"
    record(engine, dt.date(2016, 8, 1), ("FRA", ANNUAL, 2015, 111))
    assert status_of(engine, "FRA", 2015) == "met"


def test_a_correction_after_the_deadline_keeps_the_report_on_time(engine: Engine) -> None:
    record(engine, dt.date(2016, 6, 1), ("ITA", ANNUAL, 2014, 10), ("ITA", ANNUAL, 2015, 12))
    record(engine, dt.date(2017, 2, 1), ("ITA", ANNUAL, 2015, 13))  # revised long after the deadline
    table = service.reporting(engine, today=dt.date(2026, 11, 28)).table
    row = table[(table["cycle"] == "Report 2016") & (table["participant"] == "ITA")].iloc[0]
    assert (row["status"], row["reported_on"]) == ("on_time", dt.date(2016, 6, 1))


def test_reporting_summary_counts_every_expected_participant(engine: Engine) -> None:
    record(engine, dt.date(2013, 5, 1), ("DEU", ANNUAL, 2012, 10))
    result = service.reporting(engine, today=dt.date(2026, 11, 28))
    stock_taking = result.summary.set_index("cycle").loc["Stock-taking 2013"]
    assert (stock_taking["expected"], stock_taking["late"], stock_taking["missing"]) == (48, 1, 47)
    assert result.current_cycle == "Report 2026"


def test_unknown_basis_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="basis"):
        service.compliance(engine, "weekly")


def test_register_target_and_history_are_served_per_data_version(engine: Engine) -> None:
    from decimal import Decimal

    record(engine, dt.date(2016, 6, 1), ("FRA", ANNUAL, 2015, 100), ("FRA", CUMULATIVE, 2015, 900))
    assert len(service.participants(engine)) == 49
    assert service.target_growth(engine, "annual") == Decimal("0.10")
    history = service.revisions(engine, "FRA")
    assert sorted(history["basis"]) == ["annual", "cumulative"]
    assert "indicator" not in history.columns
    record(engine, dt.date(2016, 8, 1), ("FRA", ANNUAL, 2015, 108))
    history = service.revisions(engine, "FRA")  # a write makes the cached history stale
    corrected = history[history["old_value"].notna()].iloc[0]
    assert (corrected["basis"], corrected["old_value"], corrected["new_value"]) == ("annual", 100, 108)
    with pytest.raises(ValueError, match="basis"):
        service.target_growth(engine, "weekly")
