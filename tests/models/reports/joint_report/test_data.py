"""The JointReport view object, read from the database (SQLite and PostgreSQL) for one cycle."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import Engine

from models.db import read_session
from models.reference import ANNUAL, CUMULATIVE
from models.reports.joint_report.data import ReportError, joint_report, worked_examples
from tests.models.reports.joint_report.conftest import record


def report(engine: Engine, cycle: str = "Report 2026"):
    with read_session(engine) as session:
        return joint_report(session, cycle)


def both(code: str, year: int, cumulative: int, annual: int) -> list[tuple[str, str, int, int]]:
    return [(code, CUMULATIVE, year, cumulative), (code, ANNUAL, year, annual)]


def test_an_unknown_cycle_is_refused_with_the_known_names(engine: Engine) -> None:
    with pytest.raises(
        ReportError, match=r"no reporting cycle named 'Report 2099' \(known: Stock-taking 2013, "
    ):
        report(engine, "Report 2099")


def test_a_database_without_values_still_gives_a_report(engine: Engine) -> None:
    empty = report(engine)
    assert empty.years == (2024, 2025)  # the cycle's own years when nothing was reported
    assert not empty.demonstration
    assert len(empty.participants) == 49  # every participant expected in the cycle has a section
    assert {p.reporting.status for p in empty.participants if p.reporting} == {"missing"}
    assert (empty.reporting.expected, empty.reporting.missing, empty.reporting.complete) == (49, 49, 0)
    assert all(p.next_year["cumulative"] is None for p in empty.participants)


def test_figures_statuses_and_the_alliance_cover_the_cycle_on_both_bases(engine: Engine) -> None:
    values = [*both("DEU", 2023, 1000, 100), *both("DEU", 2024, 1100, 99), *both("DEU", 2025, 1209, 120)]
    record(engine, dt.date(2026, 6, 1), *values, *both("FRA", 2024, 500, 50), *both("FRA", 2025, 549, 60))
    made = report(engine)
    assert made.years == (2023, 2024, 2025)
    deu = next(p for p in made.participants if p.code == "DEU")
    assert deu.name == "Germany"
    assert [(f.year, f.value, f.status) for f in deu.figures["cumulative"]] == [
        (2023, 1000, "no_baseline"),
        (2024, 1100, "met"),  # exactly 10%
        (2025, 1209, "not_met"),  # 1,210 required
    ]
    assert deu.row("annual", 2024) is not None
    assert deu.row("annual", 2024).status == "not_met"
    need = deu.next_year["cumulative"]
    assert need is not None
    assert (need.target_year, need.from_value, need.required_value, need.increase) == (2026, 1209, 1330, 121)
    alliance = made.alliance_year("cumulative", 2025)
    assert alliance is not None
    # like for like: DEU and FRA both reported 2024 and 2025 (1,600 → 1,758, 1,760 required)
    c = alliance.comparison
    assert (c.previous_value, c.value, c.required_value, c.status) == (1600, 1758, 1760, "not_met")
    assert (alliance.total, alliance.reporting, alliance.expected, alliance.panel) == (1758, 2, 49, 2)
    assert alliance.thin  # 2 of 49: fewer than half the expected participants
    assert made.alliance_year("cumulative", 2023).path_value == 1000  # type: ignore[union-attr]
    assert made.alliance_year("cumulative", 2025).path_value == 1210  # type: ignore[union-attr]
    counts = made.counts[("cumulative", 2025)]
    assert (counts.expected, counts.reporting, counts.met, counts.not_met, counts.missing) == (
        49,
        2,
        0,
        2,
        47,
    )


def test_reporting_status_per_participant_follows_the_deadline(engine: Engine) -> None:
    record(engine, dt.date(2026, 6, 1), *both("DEU", 2024, 10, 1), *both("DEU", 2025, 11, 1))
    record(engine, dt.date(2026, 9, 12), *both("FRA", 2024, 10, 1), *both("FRA", 2025, 11, 1))
    record(engine, dt.date(2026, 5, 1), *both("ITA", 2025, 10, 1))
    made = report(engine)
    status = {p.code: p.reporting for p in made.participants}
    assert status["DEU"] is not None
    assert (status["DEU"].status, status["DEU"].days_late) == ("on_time", None)
    assert status["FRA"] is not None
    assert (status["FRA"].status, status["FRA"].days_late) == ("late", 73)
    assert status["ITA"] is not None
    assert (status["ITA"].status, status["ITA"].missing_years) == ("incomplete", (2024,))
    assert status["ITA"].reported_on == dt.date(2026, 5, 1)
    r = made.reporting
    assert (r.expected, r.on_time, r.late, r.incomplete, r.missing, r.complete) == (49, 1, 1, 1, 46, 2)


def test_participants_come_in_name_order_and_the_report_is_frozen(engine: Engine) -> None:
    made = report(engine)
    names = [p.name for p in made.participants]
    assert names == sorted(names, key=str.casefold)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.data_version = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        made.alliance["cumulative"] = ()  # type: ignore[index]


def test_a_cycle_is_not_closed_until_issue_14_wires_its_snapshot(engine: Engine) -> None:
    made = report(engine)
    assert made.snapshot is None
    assert not made.closed
    assert made.changes_since_close == ()


def test_the_worked_examples_are_judged_by_the_compliance_table() -> None:
    from fractions import Fraction

    judged = {
        (e.previous_value, e.value): (e.required_value, e.status) for e in worked_examples(Fraction(1, 10))
    }
    assert judged == {
        (100, 110): (110, "met"),
        (1000, 1099): (1100, "not_met"),
        (33, 36): (37, "not_met"),
        (100, 121): (121, "met"),
        (0, 5): (1, "met"),
    }
    two_years = next(e for e in worked_examples(Fraction(1, 10)) if e.gap_years == 2)
    assert two_years.sides == (100, 12_100, 121, 12_100)
