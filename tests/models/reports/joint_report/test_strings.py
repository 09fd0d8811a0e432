"""How the report writes numbers, growth, dates and lists: exact, and never contradicting a status."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from models.demo import DEMO_LABEL
from models.reports.joint_report import strings


@pytest.mark.parametrize(
    ("value", "previous", "gap", "shown", "status", "expected"),
    [
        (110, 100, 1, 0.1, "met", "10.0%"),
        (1099, 1000, 1, 0.099, "not_met", "9.9%"),
        # 9.99% rounds to 10.0%, which would sit beside ✗ Not met: shown rounded down instead
        (10999, 10000, 1, 0.0999, "not_met", "9.9%"),
        (1123, 1000, 1, 0.123, "met", "12.3%"),
        (90, 100, 1, -0.1, "not_met", "−10.0%"),
        (121, 100, 2, 0.1, "met", "10.0%"),  # annualised over two years, from the table
        (5, 0, 1, None, "met", "—"),  # growth from 0 is not defined
        (None, None, None, None, "missing", "—"),
    ],
)
def test_growth_is_rounded_exactly_and_never_on_the_wrong_side_of_the_goal(
    value: int | None, previous: int | None, gap: int | None, shown: float | None, status: str, expected: str
) -> None:
    assert strings.growth(value, previous, gap, shown, status) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(47, 49, "47 of 49 (95.9%)"), (49, 49, "49 of 49 (100.0%)"), (1, 8, "1 of 8 (12.5%)"), (0, 0, "0 of 0")],
)
def test_a_share_gives_numerator_denominator_and_a_half_up_percentage(
    numerator: int, denominator: int, expected: str
) -> None:
    assert strings.share(numerator, denominator) == expected


def test_dates_and_moments_are_written_for_people() -> None:
    assert strings.date(dt.date(2026, 7, 1)) == "1 July 2026"
    assert strings.moment(dt.datetime(2026, 12, 1, 15, 4, tzinfo=dt.timezone(dt.timedelta(hours=1)))) == (
        "1 December 2026, 14:04 UTC"
    )
    assert strings.partial_date("2013-01") == "January 2013"
    assert strings.partial_date("2018") == "2018"
    assert strings.partial_date("") == "undated"
    assert strings.years(2024, 2025) == "2024–2025"
    assert strings.years(2012, 2012) == "2012"


def test_long_lists_of_names_are_cut_with_a_count() -> None:
    assert strings.names(["A"]) == "A"
    assert strings.names(["A", "B", "C"]) == "A, B and C"
    assert strings.names(list(string.ascii_uppercase), limit=3) == "A, B, C and 23 more"


def test_the_demonstration_mark_is_the_products_label() -> None:
    assert strings.DEMO_MARK == DEMO_LABEL == "Demonstration data — not real figures"


def test_every_status_has_a_symbol_as_well_as_a_word() -> None:
    for status, word in strings.STATUS_WORDS.items():
        if status != "not_participant":
            assert word.startswith(strings.STATUS_SYMBOLS[status] + " ")
    assert len(set(strings.STATUS_SYMBOLS.values())) == len(strings.STATUS_SYMBOLS)
