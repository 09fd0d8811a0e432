"""Reporting completeness and timeliness per cycle, against a hand-built register."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from models.metrics.reporting import TABLE_COLUMNS, current_cycle, reporting_summary, reporting_table

CYCLES = pd.DataFrame(
    [
        ("Stock-taking 2013", "stock_taking", dt.date(2013, 4, 1), 2012, 2012),
        ("Report 2016", "biennial_report", dt.date(2016, 7, 1), 2014, 2015),
    ],
    columns=["name", "kind", "deadline", "first_year", "last_year"],
)
PARTICIPANTS = pd.DataFrame(
    [
        ("AAA", dt.date(2012, 12, 5)),
        ("BBB", dt.date(2012, 12, 5)),
        ("CCC", dt.date(2012, 12, 5)),
        ("DDD", dt.date(2012, 12, 5)),
        ("CAN", dt.date(2013, 6, 17)),  # joined after the stock-taking deadline
    ],
    columns=["code", "joined_on"],
)
FIRST_REPORTED = pd.DataFrame(
    [
        ("AAA", 2012, dt.date(2013, 3, 1)),
        ("AAA", 2014, dt.date(2016, 6, 1)),
        ("AAA", 2015, dt.date(2016, 7, 1)),  # on the deadline day: on time
        ("BBB", 2012, dt.date(2013, 5, 2)),  # a month late
        ("BBB", 2014, dt.date(2016, 6, 1)),
        ("BBB", 2015, dt.date(2016, 9, 9)),  # the last covered year arrives late
        ("CCC", 2014, dt.date(2016, 6, 1)),  # 2015 never comes
        ("CAN", 2012, dt.date(2014, 1, 1)),
        ("CAN", 2014, dt.date(2016, 1, 1)),
        ("CAN", 2015, dt.date(2016, 2, 1)),
    ],
    columns=["participant", "year", "first_submitted_on"],
)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return reporting_table(CYCLES, PARTICIPANTS, FIRST_REPORTED)


def statuses(table: pd.DataFrame, cycle: str) -> dict[str, str]:
    part = table[table["cycle"] == cycle]
    return dict(zip(part["participant"], part["status"], strict=True))


def test_stock_taking_expects_only_participants_that_joined_before_its_deadline(table: pd.DataFrame) -> None:
    assert statuses(table, "Stock-taking 2013") == {
        "AAA": "on_time",
        "BBB": "late",
        "CCC": "missing",
        "DDD": "missing",
    }


def test_report_statuses(table: pd.DataFrame) -> None:
    assert statuses(table, "Report 2016") == {
        "AAA": "on_time", "BBB": "late", "CAN": "on_time", "CCC": "incomplete", "DDD": "missing",
    }  # fmt: skip


def test_rows_say_what_is_missing_and_how_late(table: pd.DataFrame) -> None:
    report = table[table["cycle"] == "Report 2016"].set_index("participant")
    assert report.loc["CCC", "missing_years"] == "2015"
    assert report.loc["DDD", "missing_years"] == "2014, 2015"
    assert report.loc["BBB", "reported_on"] == dt.date(2016, 9, 9)
    assert report.loc["BBB", "days_late"] == 70
    assert pd.isna(report.loc["AAA", "days_late"])
    assert list(table.columns) == TABLE_COLUMNS


def test_summary_shows_numerators_and_denominators(table: pd.DataFrame) -> None:
    summary = reporting_summary(CYCLES, table).set_index("cycle")
    report = summary.loc["Report 2016"]
    assert (
        report["expected"],
        report["on_time"],
        report["late"],
        report["incomplete"],
        report["missing"],
    ) == (5, 2, 1, 1, 1)
    assert (
        report["completeness_numerator"],
        report["completeness_denominator"],
        report["completeness_pct"],
    ) == (3, 5, 60.0)
    assert (report["timeliness_numerator"], report["timeliness_denominator"], report["timeliness_pct"]) == (
        2,
        5,
        40.0,
    )
    stock_taking = summary.loc["Stock-taking 2013"]
    assert (stock_taking["expected"], stock_taking["completeness_pct"], stock_taking["timeliness_pct"]) == (
        4,
        50.0,
        25.0,
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2013, 1, 1), "Stock-taking 2013"),
        (dt.date(2016, 12, 1), "Report 2016"),
        (dt.date(2012, 6, 1), None),
    ],
)
def test_current_cycle_is_the_latest_whose_years_have_ended(today: dt.date, expected: str | None) -> None:
    assert current_cycle(CYCLES, today) == expected
