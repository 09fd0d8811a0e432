"""URL query values: anything unknown or malformed falls back to the default, never raises."""

from __future__ import annotations

import pytest

from models.views.query import (
    first,
    parse_basis,
    parse_choice,
    parse_list,
    parse_range,
    parse_year,
    query_string,
)

YEARS = [2012, 2013, 2014, 2015]


@pytest.mark.parametrize(
    ("value", "basis"),
    [
        ("annual", "annual"),
        ("ANNUAL", "annual"),
        (" cumulative ", "cumulative"),
        ("weekly", "cumulative"),
        ("", "cumulative"),
        (None, "cumulative"),
        (["annual", "cumulative"], "annual"),  # a repeated key: the first counts
        ([], "cumulative"),
    ],
)
def test_basis(value: str | list[str] | None, basis: str) -> None:
    assert parse_basis(value) == basis


@pytest.mark.parametrize(
    ("value", "year"),
    [
        ("2013", 2013),
        ("abc", 2015),
        ("2011", 2015),
        ("20130", 2015),
        ("-2013", 2015),
        ("2013.0", 2015),
        (None, 2015),
    ],
)
def test_year_must_have_data(value: str | None, year: int) -> None:
    assert parse_year(value, YEARS, 2015) == year


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2013", "2014", (2013, 2014)),
        ("2014", "2014", (2014, 2014)),
        ("2014", "2013", (2013, 2014)),  # from > to: the same two years, in order
        ("2015", "abc", (2015, 2015)),
        ("abc", "2014", (2012, 2014)),
        (None, None, (2012, 2015)),
        ("1999", "3000", (2012, 2015)),
    ],
)
def test_range(start: str | None, end: str | None, expected: tuple[int, int]) -> None:
    assert parse_range(start, end, YEARS) == expected


def test_range_without_years_is_none() -> None:
    assert parse_range("2013", "2014", []) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("met,not_met", ["met", "not_met"]),
        ("not_met,met", ["met", "not_met"]),  # canonical order
        ("MET, bogus", ["met"]),
        (["met", "missing"], ["met", "missing"]),
        ("bogus", None),
        ("", None),
        (None, None),
    ],
)
def test_list(value: str | list[str] | None, expected: list[str] | None) -> None:
    assert parse_list(value, ["met", "not_met", "no_baseline", "missing"]) == expected


def test_choice_and_first() -> None:
    assert parse_choice("Value", ["growth", "value"], "growth") == "value"
    assert parse_choice("<script>", ["growth", "value"], "growth") == "growth"
    assert first(["  ", "x"]) is None
    assert first("  a ") == "a"


def test_query_string_keeps_order_joins_lists_and_drops_none() -> None:
    assert query_string({"year": 2020, "basis": "annual", "cycle": None, "status": ["met", "not_met"]}) == (
        "?year=2020&basis=annual&status=met,not_met"
    )
    assert query_string({"cycle": "Report 2020"}) == "?cycle=Report+2020"
    assert query_string({}) == ""
