"""Reference data: the register with its sources, the Annex's reporting cycles, adding and moving."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from models.db import read_session, write_transaction
from models.reference import (
    CycleSpec,
    ReferenceDataError,
    add_cycle,
    add_participant,
    move_cycle,
    read_participant_register,
    read_public_figures,
    seed_reference,
    standard_cycles,
    validated_participant,
)
from models.tables import AuditEvent, Indicator, Participant, ReportingCycle


def test_register_holds_the_48_founders_and_canada_each_with_a_source() -> None:
    records = read_participant_register()
    assert len(records) == 49
    founders = [r for r in records if r.joined_on == dt.date(2012, 12, 5)]
    assert len(founders) == 48
    canada = next(r for r in records if r.code == "CAN")
    assert canada.joined_on == dt.date(2013, 6, 17)
    assert all(r.source_title and r.source_url.startswith("http") for r in records)


def test_public_figures_keep_their_sources() -> None:
    figures = read_public_figures()
    victims = figures[figures["figure"] == "identified_victims_cumulative"]
    assert 42300 in set(victims["value"])
    assert figures["source_url"].str.startswith("http").all()


@pytest.mark.parametrize(
    ("today", "expected_last"),
    [(dt.date(2026, 11, 28), ("Report 2026", dt.date(2026, 7, 1), 2024, 2025)),
     (dt.date(2015, 1, 1), ("Report 2014", dt.date(2014, 7, 1), 2012, 2013))],
)  # fmt: skip
def test_standard_cycles_follow_the_annex(
    today: dt.date, expected_last: tuple[str, dt.date, int, int]
) -> None:
    cycles = standard_cycles(today)
    assert cycles[0] == CycleSpec("Stock-taking 2013", "stock_taking", dt.date(2013, 4, 1), 2012, 2012)
    assert cycles[1] == CycleSpec("Report 2014", "biennial_report", dt.date(2014, 7, 1), 2012, 2013)
    last = cycles[-1]
    assert (last.name, last.deadline, last.first_year, last.last_year) == expected_last


def test_seeded_database_holds_register_indicators_and_cycles(engine: Engine) -> None:
    with read_session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Participant)) == 49
        growth = dict(session.execute(select(Indicator.code, Indicator.min_yearly_growth)).all())
        assert session.scalar(select(func.count()).select_from(ReportingCycle)) == len(
            standard_cycles(dt.datetime.now(dt.UTC).date())
        )
    assert growth == {
        "identified_victims": growth["identified_victims"],
        "cumulative_identified": growth["identified_victims"],
    }
    assert str(growth["identified_victims"]).rstrip("0") == "0.1"  # exact decimal, not a float


def test_seeding_twice_changes_nothing(engine: Engine) -> None:
    with write_transaction(engine) as session:
        report = seed_reference(session, actor="tests")
    assert (report.participants, report.indicators, report.cycles) == (0, 0, 0)


def test_seeding_keeps_a_moved_deadline(engine: Engine) -> None:
    with write_transaction(engine) as session:
        move_cycle(session, "Report 2016", dt.date(2016, 9, 30), "secretariat", "extension agreed")
    with write_transaction(engine) as session:
        seed_reference(session, actor="tests")
    with read_session(engine) as session:
        cycle = session.scalar(select(ReportingCycle).where(ReportingCycle.name == "Report 2016"))
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "cycle.move"))
    assert cycle is not None
    assert cycle.deadline == dt.date(2016, 9, 30)
    assert event is not None
    assert event.details == {
        "from": "2016-07-01",
        "to": "2016-09-30",
        "reason": "extension agreed",
    }


def test_adding_a_participant_is_audited(engine: Engine) -> None:
    record = validated_participant(
        "bra", "Brazil", "2015-03-01", "Example press release", "https://example.org/x"
    )
    with write_transaction(engine) as session:
        add_participant(session, record, actor="secretariat@example.org")
    with read_session(engine) as session:
        brazil = session.get(Participant, "BRA")
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "participant.add"))
    assert brazil is not None
    assert brazil.joined_on == dt.date(2015, 3, 1)
    assert event is not None
    assert event.subject == "BRA"
    assert event.actor == "secretariat@example.org"


@pytest.mark.parametrize(
    ("code", "name", "joined", "title", "url", "message"),
    [
        ("ABC", "Nowhere", "2015-01-01", "t", "https://e.org", "not an ISO 3166-1 alpha-3"),
        ("BRA", "Brazil", "2015-13-01", "t", "https://e.org", "not a date"),
        ("BRA", "Brazil", "2015-01-01", "", "https://e.org", "needs a source"),
        ("BRA", " ", "2015-01-01", "t", "https://e.org", "needs a name"),
    ],
)
def test_invalid_participants_are_refused(
    code: str, name: str, joined: str, title: str, url: str, message: str
) -> None:
    with pytest.raises(ReferenceDataError, match=message):
        validated_participant(code, name, joined, title, url)


def test_a_registered_participant_cannot_be_added_twice(engine: Engine) -> None:
    record = validated_participant("DEU", "Germany", "2012-12-05", "t", "https://e.org")
    with (
        pytest.raises(ReferenceDataError, match="already a registered participant"),
        write_transaction(engine) as session,
    ):
        add_participant(session, record, actor="tests")


def test_cycles_can_be_added_but_not_twice(engine: Engine) -> None:
    spec = CycleSpec("Special 2027", "biennial_report", dt.date(2027, 3, 1), 2025, 2026)
    with write_transaction(engine) as session:
        add_cycle(session, spec, actor="tests")
    with pytest.raises(ReferenceDataError, match="already exists"), write_transaction(engine) as session:
        add_cycle(session, spec, actor="tests")


def test_moving_a_deadline_needs_a_reason(engine: Engine) -> None:
    with pytest.raises(ReferenceDataError, match="needs a reason"), write_transaction(engine) as session:
        move_cycle(session, "Report 2016", dt.date(2016, 9, 30), "tests", "  ")


@pytest.mark.parametrize(
    ("code", "accepted"),
    [("XKX", True), ("QMA", True), ("QZZ", True), ("AAZ", True), ("ZZZ", True),
     ("QLA", False), ("ABA", False), ("xkx", True), ("XK", False), ("X1X", False)],
)  # fmt: skip
def test_codes_iso_leaves_to_users_can_be_registered(code: str, accepted: bool) -> None:
    if accepted:
        assert validated_participant(code, "Kosovo", "2020-01-01", "t", "https://e.org").code == code.upper()
    else:
        with pytest.raises(ReferenceDataError):
            validated_participant(code, "Somewhere", "2020-01-01", "t", "https://e.org")


def test_published_totals_are_the_identified_victims_oldest_first_undated_last() -> None:
    from models.reference import published_identified_totals

    totals = published_identified_totals(read_public_figures())
    assert set(totals["figure"]) == {"identified_victims_cumulative"}
    dated = [d for d in totals["date"] if d]
    assert dated == sorted(dated)
    assert list(totals["date"].iloc[-2:]) == ["", ""]
    assert list(totals["value"].iloc[-2:]) == [37900, 42300]


@pytest.mark.parametrize(
    ("code", "name"), [("BRA", "Brazil"), ("bra", "Brazil"), ("XYZ", None), ("FR", None), ("<s>", None)]
)
def test_iso3_country_names_for_not_found_messages(code: str, name: str | None) -> None:
    from models.reference import iso3_country_name

    assert iso3_country_name(code) == name
