"""Plain-word summaries: the numbers in the sentences are the numbers in the frames."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pandas as pd
import pytest

from models.metrics.compliance import compliance_table
from models.metrics.headlines import Requirement, year_headline
from models.metrics.reporting import reporting_summary, reporting_table
from models.metrics.series import alliance_trend, participant_history, status_grid, year_table
from models.reports import numbers
from models.reports.summaries.cycles import cycle_sentence, reporting_trend_summary
from models.reports.summaries.grid import grid_summary
from models.reports.summaries.overview import headline_sentence, trend_summary
from models.reports.summaries.participants import (
    growth_summary,
    participant_summary,
    requirement_text,
    revision_summary,
    why_text,
)
from models.reports.summaries.words import (
    GOAL,
    date_text,
    date_time_text,
    growth_text,
    of_text,
    share_text,
    timestamp_text,
    words_count,
)
from models.reports.summaries.years import year_summary

REGISTER = pd.DataFrame(
    {
        "code": ["AAA", "BBB", "CCC"],
        "name": ["Aland", "Borduria", "Carpania"],
        "joined_on": [dt.date(2012, 12, 5)] * 3,
    }
)


def table(
    *rows: tuple[str, int, int], basis: str = "annual", register: pd.DataFrame = REGISTER
) -> pd.DataFrame:
    values = pd.DataFrame(rows, columns=["participant", "year", "value"])
    return compliance_table(values, register, Decimal("0.10"), basis)


SAMPLE = table(
    ("AAA", 2014, 100), ("AAA", 2015, 120),  # met, 20%
    ("BBB", 2014, 100), ("BBB", 2015, 90),  # not met, −10%
    ("CCC", 2014, 40),  # missing in 2015
)  # fmt: skip


@pytest.mark.parametrize(
    ("growth", "status", "text"),
    [
        (0.1234, "met", "12.3%"),
        (0.10, "met", "10.0%"),
        (0.0999999999, "met", "10.0%"),  # float noise under an exact "met" never shows 9.9%
        (0.09996, "not_met", "9.9%"),  # would round to 10.0% next to "not met": rounded down instead
        (-0.0523, "not_met", "−5.2%"),
        (None, None, "—"),
    ],
)
def test_growth_never_contradicts_the_status(growth: float | None, status: str | None, text: str) -> None:
    assert growth_text(growth, status) == text


def test_growth_of_a_float_is_rounded_as_its_exact_fraction() -> None:
    """growth_percent reads a float as its shortest decimal text without going through a Fraction;
    the text is the one the Fraction gives, at every rounding boundary and sign."""
    rng = random.Random(13)
    halves = [k / 2000 for k in range(-400, 1200)]  # 0.0005 steps: every x.x5% boundary
    samples = [0.0, -0.0, 1e-12, -1e-12, 0.1, 0.0999999999, 0.10000000001, 123.456, *halves]
    samples += [rng.uniform(-1, 3) for _ in range(2000)] + [round(rng.uniform(-1, 3), 6) for _ in range(2000)]
    for growth in samples:
        exact = numbers.exact_fraction(growth)
        for status in ("met", "not_met", None):
            for digits in (0, 1, 2):
                expected = numbers.growth_percent(exact, status, GOAL, digits)
                assert numbers.growth_percent(growth, status, GOAL, digits) == expected, growth


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [(47, 49, "47 of 49, 95.9%"), (1, 8, "1 of 8, 12.5%"), (0, 0, "0 of 0"), (49, 49, "49 of 49, 100.0%")],
)
def test_shares_show_numerator_and_denominator(numerator: int, denominator: int, text: str) -> None:
    assert share_text(numerator, denominator) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(dt.date(2026, 7, 1), "1 July 2026"), ("2013-01", "January 2013"), ("2018", "2018"), ("", "undated")],
)
def test_dates_in_words(value: object, text: str) -> None:
    assert date_text(value) == text  # type: ignore[arg-type]


def test_headline_sentence_names_every_count() -> None:
    sentence = headline_sentence(year_headline(SAMPLE, 2015))
    assert sentence == (
        "In 2015, 1 of 3 participants met the 10% goal on the annual basis (1 did not; 1 did not report). "
        "Alliance growth was 5.0% over 2 of 3 participants reporting both 2014 and 2015: goal not met."
    )


def test_trend_summary_gives_the_totals_and_the_latest_growth() -> None:
    text = trend_summary(alliance_trend(SAMPLE), "annual")
    assert text.startswith("On the annual basis, the reported total went from 240 in 2014 to 210 in 2015.")
    assert "reached the 10% goal in 0 of 1 year; in 2015 it was 5.0% over 2 of 3 participants" in text
    assert "A total covers only the participants that reported: 2 of 3 participants in 2015." in text


def test_year_summary_names_the_top_and_the_missing() -> None:
    rows = year_table(SAMPLE, REGISTER, 2015, "growth")
    text = year_summary(rows, 2015, "annual", "growth")
    assert text.startswith("In 2015, on the annual basis, 1 of 3 participants met the 10% goal.")
    assert "The highest growth: Aland 20.0% and Borduria −10.0%." in text
    assert text.endswith("No value for 2015 from Carpania.")


def test_grid_summary_for_one_year_lists_who_met_the_goal() -> None:
    grid = status_grid(SAMPLE, REGISTER, 2015, 2015, ["met"])
    assert grid_summary(grid, "annual", 2015, 2015, ["met"]) == (
        "In 2015, on the annual basis — ✓ met: 1 (Aland)."
    )


def test_grid_summary_for_a_range_counts_per_year() -> None:
    grid = status_grid(SAMPLE, REGISTER, 2014, 2015)
    text = grid_summary(grid, "annual", 2014, 2015)
    assert "per year — 2014: 0, 2015: 1." in text
    assert text.endswith("No participant met it in every year shown.")


@pytest.mark.parametrize(
    ("previous", "value", "gap", "why"),
    [
        (100, 110, 1, "110 ≥ 110 required (10% above 100 in 2014)."),
        (1000, 1099, 1, "1,099 < 1,100 required (10% above 1,000 in 2014)."),
        (100, 121, 2, "121 ≥ 121 required (10% a year over 2 years above 100 in 2013)."),
        (0, 5, 1, "5 > 0: any increase from 0 in 2014 meets the goal."),
        (0, 0, 1, "0 in 2014 and 2015: at least 1 was required."),
    ],
)
def test_why_gives_the_numbers_behind_the_status(previous: int, value: int, gap: int, why: str) -> None:
    frame = table(("AAA", 2015 - gap, previous), ("AAA", 2015, value))
    row = frame[(frame["participant"] == "AAA") & (frame["year"] == 2015)].iloc[0]
    assert why_text(row) == why


def test_why_for_missing_and_first_years() -> None:
    rows = SAMPLE[SAMPLE["participant"] == "CCC"].set_index("year")
    assert why_text(rows.loc[2014].to_dict() | {"year": 2014}) == (
        "No earlier value to compare with: the first year with a value."
    )
    assert why_text(rows.loc[2015].to_dict() | {"year": 2015}) == "No value reported for 2015."


def test_participant_summaries() -> None:
    history = participant_history(SAMPLE, "BBB")
    assert participant_summary(history, "Borduria", "annual") == (
        "Borduria reported a value for 2 of 2 years on the annual basis (2014–2015) and met the 10% goal in "
        "0 of 1 year that could be judged. In 2015: ✗ not met, 90 < 110 required (10% above 100 in 2014). "
        "At 90 it is below its 10% path from 2014 (110)."
    )
    assert growth_summary(history, "Borduria") == (
        "Borduria's yearly growth was −10.0% in 2015, below the 10% goal "
        "(the only year with an earlier value to compare with)."
    )


@pytest.mark.parametrize(
    ("basis", "text"),
    [
        (
            "cumulative",
            "To meet the goal in 2026, Aland needs at least 1,265 identified victims in ICSE by the end of "
            "2026 (10% above 1,150 in 2025): 115 more than now.",
        ),
        (
            "annual",
            "To meet the goal in 2026, Aland needs to identify at least 1,265 victims during 2026 "
            "(10% above 1,150 in 2025).",
        ),
    ],
)
def test_what_it_takes_in_words(basis: str, text: str) -> None:
    requirement = Requirement("AAA", basis, 2026, 2025, 1150, 1, 1265, 115)
    assert requirement_text(requirement, "Aland") == text


def test_revision_summary_lists_corrections() -> None:
    history = pd.DataFrame(
        {
            "basis": ["annual", "annual"],
            "year": [2015, 2015],
            "old_value": pd.array([100, None], dtype="Int64"),
            "new_value": [108, 100],
            "recorded_at": [dt.datetime(2016, 7, 1, tzinfo=dt.UTC), dt.datetime(2016, 6, 1, tzinfo=dt.UTC)],
        }
    )
    assert revision_summary(history, "Aland") == (
        "2 values recorded for Aland; 1 correction. 2015 (annual): 100 → 108 on 1 July 2016."
    )


def test_reporting_sentences_show_numerators_and_denominators() -> None:
    cycles = pd.DataFrame(
        {"name": ["Report 2016"], "kind": ["biennial_report"], "deadline": [dt.date(2016, 7, 1)]}
        | {"first_year": [2014], "last_year": [2015]}
    )
    reported = pd.DataFrame(
        {
            "participant": ["AAA", "AAA", "BBB", "BBB", "CCC"],
            "year": [2014, 2015, 2014, 2015, 2014],
            "first_submitted_on": [dt.date(2016, 6, 1)] * 2
            + [dt.date(2016, 8, 1)] * 2
            + [dt.date(2016, 6, 1)],
        }
    )
    summary = reporting_summary(cycles, reporting_table(cycles, REGISTER, reported))
    assert cycle_sentence(summary.iloc[0]) == (
        "Report 2016 (covering 2014–2015, due 1 July 2016): of 3 expected participants, "
        "complete 2 of 3, 66.7%; on time 1 of 3, 33.3%; 1 late, 1 incomplete, 0 missing."
    )


@pytest.mark.parametrize(
    ("n", "total", "text"),
    [(1, 1, "1 of 1 year"), (0, 1, "0 of 1 year"), (1, 2, "1 of 2 years"), (0, 0, "0 of 0 years")],
)
def test_the_noun_agrees_with_the_total(n: int, total: int, text: str) -> None:
    assert of_text(n, total, "year") == text


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (
            [(2024, 100), (2025, 112)],
            "Aland's yearly growth was 12.0% in 2025, at or above the 10% goal "
            "(the only year with an earlier value to compare with).",
        ),
        (
            [(2023, 100), (2024, 110), (2025, 121)],
            "Aland's yearly growth was 10.0% in each of the 2 years compared; "
            "it was at or above 10% in 2 of 2 years.",
        ),
        (
            [(2023, 100), (2024, 105), (2025, 126)],
            "Aland's yearly growth ranged from 5.0% in 2024 to 20.0% in 2025; "
            "it was at or above 10% in 1 of 2 years.",
        ),
        ([(2025, 100)], "Aland has no two years to compare, so no growth can be shown."),
    ],
)
def test_growth_summary_says_a_single_year_once(values: list[tuple[int, int]], text: str) -> None:
    history = participant_history(table(*(("AAA", year, value) for year, value in values)), "AAA")
    assert growth_summary(history, "Aland") == text


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (
            [(2025, 100)],
            "Aland reported a value for 1 of 1 year on the annual basis (2025); no year can be judged "
            "against the 10% goal yet: there is no earlier value to compare with. "
            "At 100 it is at or above its 10% path from 2025 (100).",
        ),
        (
            [(2024, 100), (2025, 112)],
            "Aland reported a value for 2 of 2 years on the annual basis (2024–2025) and met the 10% goal "
            "in 1 of 1 year that could be judged. In 2025: ✓ met, 112 ≥ 110 required (10% above 100 in "
            "2024). At 112 it is at or above its 10% path from 2024 (110).",
        ),
    ],
)
def test_participant_summary_counts_years_in_words(values: list[tuple[int, int]], text: str) -> None:
    history = participant_history(table(*(("AAA", year, value) for year, value in values)), "AAA")
    assert participant_summary(history, "Aland", "annual") == text


FOUR_REGISTER = pd.concat(
    [REGISTER, pd.DataFrame({"code": ["DDD"], "name": ["Drusia"], "joined_on": [dt.date(2012, 12, 5)]})]
)
FOUR = table(
    ("AAA", 2014, 100), ("AAA", 2015, 130),
    ("BBB", 2014, 100), ("BBB", 2015, 120),
    ("CCC", 2014, 100), ("CCC", 2015, 105),
    ("DDD", 2014, 100), ("DDD", 2015, 90),
    register=FOUR_REGISTER,
)  # fmt: skip


@pytest.mark.parametrize(
    ("frame", "register", "year", "measure", "text"),
    [
        (
            SAMPLE,
            REGISTER,
            2014,
            "status",
            "In 2014, on the annual basis, there is nothing to compare with yet: 2014 is the first year with "
            "a value for 3 of 3 participants (○ no baseline), so none can be judged against the 10% goal.",
        ),
        (
            SAMPLE,
            REGISTER,
            2014,
            "value",
            "In 2014, on the annual basis, there is nothing to compare with yet: 2014 is the first year with "
            "a value for 3 of 3 participants (○ no baseline), so none can be judged against the 10% goal. "
            "The largest counts: Aland 100, Borduria 100 and Carpania 40.",
        ),
        (
            table(("AAA", 2014, 100), ("AAA", 2015, 120), register=REGISTER.head(1)),
            REGISTER.head(1),
            2015,
            "growth",
            "In 2015, on the annual basis, 1 of 1 participant met the 10% goal. "
            "The highest growth: Aland 20.0%.",
        ),
        (
            FOUR,
            FOUR_REGISTER,
            2015,
            "growth",
            "In 2015, on the annual basis, 2 of 4 participants met the 10% goal. The highest growth: "
            "Aland 30.0%, Borduria 20.0% and Carpania 5.0%. The lowest: Drusia −10.0%.",
        ),
    ],
)
def test_year_summary_in_words(
    frame: pd.DataFrame, register: pd.DataFrame, year: int, measure: str, text: str
) -> None:
    rows = year_table(frame, register, year, measure)
    assert year_summary(rows, year, "annual", measure) == text


@pytest.mark.parametrize(
    ("statuses", "text"),
    [
        ([], "No status is chosen, so nothing is shown: tick at least one status."),
        (
            ["not_met"],
            "From 2014 to 2015, on the annual basis, participants per year with ✗ not met — "
            "2014: 0, 2015: 1.",
        ),
        (
            ["no_baseline", "missing"],
            "From 2014 to 2015, on the annual basis, participants per year with ○ no baseline or – missing — "
            "2014: 3, 2015: 1.",
        ),
        (
            ["met", "not_met"],
            "From 2014 to 2015, on the annual basis, participants meeting the 10% goal per year — "
            "2014: 0, 2015: 1. No participant met it in every year shown.",
        ),
    ],
)
def test_grid_summary_counts_what_is_shown(statuses: list[str], text: str) -> None:
    grid = status_grid(SAMPLE, REGISTER, 2014, 2015, statuses)
    assert grid_summary(grid, "annual", 2014, 2015, statuses) == text


def cycles(*rows: tuple[str, int, int]) -> pd.DataFrame:
    """A reporting summary with these (cycle, on time, expected) rows; every other participant late."""
    return pd.DataFrame(
        [
            {
                "cycle": name,
                "first_year": 2012,
                "last_year": 2012,
                "deadline": dt.date(2013, 4, 1),
                "expected": expected,
                "late": expected - on_time,
                "incomplete": 0,
                "missing": 0,
                "completeness_numerator": expected,
                "timeliness_numerator": on_time,
                "timeliness_pct": round(100 * on_time / expected, 1) if expected else None,
            }
            for name, on_time, expected in rows
        ]
    )


@pytest.mark.parametrize(
    ("summary", "text"),
    [
        (
            cycles(("Stock-taking 2013", 0, 48)),
            "1 reporting cycle. Timeliness in Stock-taking 2013 (0 of 48, 0.0%).",
        ),
        (
            cycles(("Stock-taking 2013", 0, 48), ("Report 2014", 0, 49)),
            "2 reporting cycles. Timeliness was the same in all 2 cycles: 0.0% on time.",
        ),
        (
            cycles(("Stock-taking 2013", 41, 48), ("Report 2014", 47, 49), ("Report 2016", 47, 49)),
            "3 reporting cycles. Timeliness was highest in Report 2014 (47 of 49, 95.9%) and Report 2016 "
            "(47 of 49, 95.9%) and lowest in Stock-taking 2013 (41 of 48, 85.4%).",
        ),
    ],
)
def test_reporting_trend_never_names_the_same_cycle_highest_and_lowest(
    summary: pd.DataFrame, text: str
) -> None:
    assert reporting_trend_summary(summary).startswith(text + " ")


def test_a_cycle_of_one_expected_participant_says_participant() -> None:
    assert cycle_sentence(cycles(("Report 2014", 1, 1)).iloc[0]) == (
        "Report 2014 (covering 2012, due 1 April 2013): of 1 expected participant, complete 1 of 1, 100.0%; "
        "on time 1 of 1, 100.0%; 0 late, 0 incomplete, 0 missing."
    )


def test_headline_of_one_participant_says_participant() -> None:
    one = table(("AAA", 2014, 100), ("AAA", 2015, 120), register=REGISTER.head(1))
    assert headline_sentence(year_headline(one, 2015)).startswith(
        "In 2015, 1 of 1 participant met the 10% goal on the annual basis. Alliance growth was 20.0% over "
        "1 of 1 participant reporting both 2014 and 2015: goal met."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.datetime(2026, 11, 28, 15, 33, 11, 620983, tzinfo=dt.UTC), "2026-11-28 15:33 UTC"),
        ("2026-11-28T15:33:11.620983+00:00", "2026-11-28 15:33 UTC"),
        (
            dt.datetime(2026, 11, 28, 16, 33, tzinfo=dt.timezone(dt.timedelta(hours=1))),
            "2026-11-28 15:33 UTC",
        ),
        (dt.datetime(2026, 11, 28, 23, 59, 59), "2026-11-28 23:59 UTC"),  # noqa: DTZ001 (naive: as stored)
        (pd.Timestamp("2026-01-01T00:30:00-05:00"), "2026-01-01 05:30 UTC"),
        (None, "—"),
        (pd.NaT, "—"),
    ],
)
def test_timestamps_are_shown_to_the_minute_in_utc(value: object, text: str) -> None:
    assert timestamp_text(value) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "no values"), (1, "one value"), (3, "three values"), (10, "ten values"), (11, "11 values"),
     (1234, "1,234 values")],
)  # fmt: skip
def test_a_count_in_words(n: int, expected: str) -> None:
    assert words_count(n, "value") == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [("2026-12-02T14:05:59+00:00", "2 Dec 2026, 14:05 UTC"),
     ("2026-01-31T23:59:00+01:00", "31 Jan 2026, 22:59 UTC"), (None, "—")],
)  # fmt: skip
def test_a_moment_as_people_read_it(moment: str | None, expected: str) -> None:
    assert date_time_text(moment) == expected
