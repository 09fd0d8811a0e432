"""The demonstration data: deterministic, consistent, irregular on purpose, and never mixed with real data."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from models.base import utcnow
from models.db import read_session, write_transaction
from models.demo import (
    DemoCycle,
    DemoDataError,
    DemoPlan,
    generate_demo,
    holds_demo_data,
    load_demo,
    remove_demo,
)
from models.recording import CellValue, apply_changes, plan_changes
from models.reference import ANNUAL, CUMULATIVE, standard_cycles
from models.tables import Observation, ObservationRevision, Upload

CODES = ["AUS", "CAN", "DEU", "FRA", "GBR", "JPN", "NLD", "NZL", "SWE", "USA", "BEL", "ESP"]
CYCLES = [
    DemoCycle(c.name, c.deadline, c.first_year, c.last_year) for c in standard_cycles(dt.date(2026, 11, 28))
]


def _final_values(plan: DemoPlan) -> dict[tuple[str, str, int], int]:
    final: dict[tuple[str, str, int], int] = {}
    for submission in plan.submissions:
        for value in submission.values:
            final[value.cell] = value.value
    return final


def test_generator_is_deterministic() -> None:
    assert generate_demo(CODES, CYCLES) == generate_demo(CODES, CYCLES)
    assert generate_demo(CODES, CYCLES, seed=1) != generate_demo(CODES, CYCLES, seed=2)


def test_cumulative_equals_previous_cumulative_plus_annual() -> None:
    final = _final_values(generate_demo(CODES, CYCLES))
    checked = 0
    for (code, indicator, year), total in final.items():
        previous = final.get((code, CUMULATIVE, year - 1))
        if indicator == CUMULATIVE and previous is not None:
            assert total == previous + final[(code, ANNUAL, year)], (code, year)
            checked += 1
    assert checked > 100


def test_built_in_irregularities_are_present() -> None:
    plan = generate_demo(CODES, CYCLES)
    final = _final_values(plan)
    assert plan.missing, "some participants miss years"
    for code, years in plan.missing.items():
        if code not in plan.filled_late:
            assert all((code, ANNUAL, year) not in final for year in years)
    deadlines = {c.name: c.deadline for c in CYCLES}
    assert any(s.submitted_on > deadlines[s.cycle_name] for s in plan.submissions), "some reports are late"
    assert any(s.reason and "corrected" in s.reason for s in plan.submissions), "some values are revised"
    for code in plan.declining:
        assert final[(code, ANNUAL, 2025)] < final[(code, ANNUAL, 2013)]


def test_every_participant_has_both_indicators_2012_to_2025() -> None:
    final = _final_values(generate_demo(CODES, CYCLES))
    for code in CODES:
        years = {year for (c, indicator, year) in final if c == code and indicator == ANNUAL}
        assert min(years) == 2012
        assert max(years) == 2025
        assert {year for (c, i, year) in final if c == code and i == CUMULATIVE} == years


def test_loaded_totals_are_of_the_order_of_interpol_published_totals(engine: Engine) -> None:
    with write_transaction(engine) as session:
        load_demo(session, today=dt.date(2026, 11, 28))
    with read_session(engine) as session:
        totals = dict(
            session.execute(
                select(Observation.year, func.sum(Observation.value))
                .where(Observation.indicator_code == CUMULATIVE)
                .group_by(Observation.year)
            ).all()
        )
    # INTERPOL: about 3,000 identified victims early 2013, 10,000 in January 2017, 30,000 in October 2022.
    assert 1_500 <= totals[2012] <= 6_000
    assert 5_000 <= totals[2016] <= 20_000
    assert 15_000 <= totals[2022] <= 60_000


def test_load_is_idempotent_and_marks_everything_synthetic(engine: Engine) -> None:
    with write_transaction(engine) as session:
        first = load_demo(session, today=dt.date(2026, 11, 28))
    with write_transaction(engine) as session:
        second = load_demo(session, today=dt.date(2026, 11, 28))
    assert first.loaded
    assert first.uploads > 300
    assert not second.loaded
    with read_session(engine) as session:
        assert holds_demo_data(session)
        assert session.scalar(select(func.count()).where(Upload.synthetic.is_(False))) == 0
        revisions = session.scalar(select(func.count()).select_from(ObservationRevision))
        observations = session.scalar(select(func.count()).select_from(Observation))
    assert revisions == first.counts.inserted + first.counts.revised
    assert observations == first.counts.inserted


def test_submissions_after_today_are_not_loaded(engine: Engine) -> None:
    with write_transaction(engine) as session:
        load_demo(session, today=dt.date(2020, 1, 1))
    with read_session(engine) as session:
        latest = session.scalar(select(func.max(Upload.submitted_on)))
        years = session.scalar(select(func.max(Observation.year)))
    assert latest is not None
    assert latest <= dt.date(2020, 1, 1)
    assert years is not None
    assert years <= 2019


def test_remove_deletes_every_synthetic_row(engine: Engine) -> None:
    with write_transaction(engine) as session:
        load_demo(session)
    with write_transaction(engine) as session:
        assert remove_demo(session, actor="tests") > 0
    with read_session(engine) as session:
        assert not holds_demo_data(session)
        assert session.scalar(select(func.count()).select_from(Observation)) == 0
        assert session.scalar(select(func.count()).select_from(ObservationRevision)) == 0


def test_demo_is_refused_into_a_database_with_real_data(engine: Engine) -> None:
    with write_transaction(engine) as session:
        upload = Upload(
            original_name="real.csv",
            sha256="1" * 64,
            size_bytes=10,
            file_format="csv",
            uploaded_by="liaison@example.org",
            submitted_on=dt.date(2016, 6, 1),
            outcome="loaded",
        )
        session.add(upload)
        apply_changes(
            session, plan_changes(session, [CellValue("FRA", ANNUAL, 2015, 12)]), upload, "x", utcnow()
        )
    with pytest.raises(DemoDataError, match="real data"), write_transaction(engine) as session:
        load_demo(session)
    with read_session(engine) as session:
        assert not holds_demo_data(session)


def test_years_filled_late_arrive_after_the_deadline_of_the_cycle_covering_them() -> None:
    plan = generate_demo(CODES, CYCLES)
    first_sent: dict[tuple[str, int], dt.date] = {}
    for submission in plan.submissions:
        for value in submission.values:
            first_sent.setdefault((value.participant_code, value.year), submission.submitted_on)
    assert plan.filled_late
    for code, years in plan.filled_late.items():
        for year in years:
            covering = next(c for c in CYCLES if c.first_year <= year <= c.last_year)
            assert first_sent[(code, year)] > covering.deadline


def test_only_corrections_carry_a_reason_in_the_loaded_demonstration_data(engine: Engine) -> None:
    with write_transaction(engine) as session:
        load_demo(session, today=dt.date(2026, 11, 28))
    with read_session(engine) as session:
        revisions = session.execute(
            select(
                ObservationRevision.participant_code,
                ObservationRevision.indicator_code,
                ObservationRevision.year,
                ObservationRevision.reason,
            ).order_by(ObservationRevision.recorded_at, ObservationRevision.id)
        ).all()
        uploads = session.execute(select(Upload.reason, Upload.revised_count)).all()
    seen: set[tuple[str, str, int]] = set()
    first_reasons, correction_reasons = [], []
    for code, indicator, year, reason in revisions:
        cell = (code, indicator, year)
        (correction_reasons if cell in seen else first_reasons).append(reason)
        seen.add(cell)
    assert len(first_reasons) == len(seen) > 1000
    assert set(first_reasons) == {None}  # a value recorded for the first time has no correction reason
    assert correction_reasons, "the demonstration data has corrections"
    assert None not in correction_reasons
    assert all("corrected" in reason for reason in correction_reasons)
    with_reason = {(reason is not None, revised > 0) for reason, revised in uploads}
    assert with_reason == {(False, False), (True, True)}  # an upload has a reason when it corrects
