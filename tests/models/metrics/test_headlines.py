"""Headline figures and what it takes, from small compliance tables computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from models.metrics.compliance import compliance_table
from models.metrics.headlines import latest_year, what_it_takes, year_headline, years_with_data

G = Decimal("0.10")


def table(*rows: tuple[str, int, int], codes: tuple[str, ...] = ("AAA", "BBB", "CCC")) -> pd.DataFrame:
    values = pd.DataFrame(rows, columns=["participant", "year", "value"])
    register = pd.DataFrame({"code": list(codes), "joined_on": [dt.date(2012, 12, 5)] * len(codes)})
    return compliance_table(values, register, G, "annual")


def test_latest_year_is_the_last_year_anyone_reported() -> None:
    frame = table(("AAA", 2014, 100), ("AAA", 2015, 110), ("BBB", 2016, 5))
    assert years_with_data(frame) == [2014, 2015, 2016]
    assert latest_year(frame) == 2016


def test_latest_year_of_an_empty_table_is_none() -> None:
    assert latest_year(table()) is None


def test_year_headline_counts_every_status_and_the_alliance_panel() -> None:
    # 2015: AAA met (100 → 110), BBB not met (100 → 105), CCC missing.
    frame = table(("AAA", 2014, 100), ("AAA", 2015, 110), ("BBB", 2014, 100), ("BBB", 2015, 105))
    headline = year_headline(frame, 2015)
    assert (headline.expected, headline.reporting) == (3, 2)
    assert (headline.met, headline.not_met, headline.no_baseline, headline.missing) == (1, 1, 0, 1)
    # The panel is AAA and BBB: 215 against 200, required 220, not met, growth 7.5%.
    assert (headline.alliance_value, headline.alliance_previous_value) == (215, 200)
    assert (headline.alliance_required_value, headline.alliance_status, headline.alliance_panel) == (
        220,
        "not_met",
        2,
    )
    assert headline.alliance_growth == pytest.approx(0.075)


def test_first_year_headline_has_no_alliance_comparison() -> None:
    headline = year_headline(table(("AAA", 2014, 100)), 2014)
    assert (headline.no_baseline, headline.alliance_status, headline.alliance_panel) == (
        1,
        "no_baseline",
        None,
    )


@pytest.mark.parametrize(
    ("rows", "target", "expected"),
    [
        ([("AAA", 2015, 100)], None, (2016, 2015, 100, 1, 110, 10)),  # exactly 10% above
        ([("AAA", 2015, 30)], None, (2016, 2015, 30, 1, 33, 3)),  # 30 × 1.1 = 33 exactly, not 34
        ([("AAA", 2015, 33)], None, (2016, 2015, 33, 1, 37, 4)),  # 36.3 rounds up
        ([("AAA", 2014, 100), ("BBB", 2015, 1)], None, (2016, 2014, 100, 2, 121, 21)),  # two-year gap
        ([("AAA", 2015, 0)], None, (2016, 2015, 0, 1, 1, 1)),  # from zero, any count above 0
        ([("AAA", 2014, 100), ("AAA", 2015, 200)], 2015, (2015, 2014, 100, 1, 110, 10)),  # a past year
    ],
)
def test_what_it_takes_is_the_smallest_count_that_meets_the_goal(
    rows: list[tuple[str, int, int]], target: int | None, expected: tuple[int, ...]
) -> None:
    requirement = what_it_takes(table(*rows), "AAA", G, target)
    assert requirement is not None
    got = (
        requirement.target_year,
        requirement.from_year,
        requirement.from_value,
        requirement.gap_years,
        requirement.required_value,
        requirement.increase,
    )
    assert got == expected


def test_what_it_takes_needs_a_value_to_grow_from() -> None:
    assert what_it_takes(table(("BBB", 2015, 10)), "AAA", G) is None
