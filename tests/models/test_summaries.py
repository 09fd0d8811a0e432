"""Plain-word summaries: the numbers in the sentences are the numbers in the frames."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from models import summaries
from models.metrics.compliance import compliance_table
from models.metrics.headlines import Requirement, year_headline
from models.metrics.reporting import reporting_summary, reporting_table
from models.metrics.series import alliance_trend, participant_history, status_grid, year_table

REGISTER = pd.DataFrame(
    {
        "code": ["AAA", "BBB", "CCC"],
        "name": ["Aland", "Borduria", "Carpania"],
        "joined_on": [dt.date(2012, 12, 5)] * 3,
    }
)


def table(*rows: tuple[str, int, int], basis: str = "annual") -> pd.DataFrame:
    values = pd.DataFrame(rows, columns=["participant", "year", "value"])
    return compliance_table(values, REGISTER, Decimal("0.10"), basis)


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
    assert summaries.growth_text(growth, status) == text


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [(47, 49, "47 of 49, 95.9%"), (1, 8, "1 of 8, 12.5%"), (0, 0, "0 of 0"), (49, 49, "49 of 49, 100.0%")],
)
def test_shares_show_numerator_and_denominator(numerator: int, denominator: int, text: str) -> None:
    assert summaries.share_text(numerator, denominator) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(dt.date(2026, 7, 1), "1 July 2026"), ("2013-01", "January 2013"), ("2018", "2018"), ("", "undated")],
)
def test_dates_in_words(value: object, text: str) -> None:
    assert summaries.date_text(value) == text  # type: ignore[arg-type]


def test_headline_sentence_names_every_count() -> None:
    sentence = summaries.headline_sentence(year_headline(SAMPLE, 2015))
    assert sentence == (
        "In 2015, 1 of 3 participants met the 10% goal on the annual basis (1 did not; 1 did not report). "
        "Alliance growth was 5.0% over 2 participants reporting both 2014 and 2015: goal not met."
    )


def test_trend_summary_gives_the_totals_and_the_latest_growth() -> None:
    text = summaries.trend_summary(alliance_trend(SAMPLE), "annual")
    assert text.startswith("On the annual basis, the reported total went from 240 in 2014 to 210 in 2015.")
    assert "reached the 10% goal in 0 of 1 years; in 2015 it was 5.0% over 2 participants" in text


def test_year_summary_names_the_top_and_the_missing() -> None:
    rows = year_table(SAMPLE, REGISTER, 2015, "growth")
    text = summaries.year_summary(rows, 2015, "annual", "growth")
    assert text.startswith("In 2015, on the annual basis, 1 of 3 participants met the 10% goal.")
    assert "The highest growth: Aland 20.0% and Borduria −10.0%." in text
    assert text.endswith("No value for 2015 from Carpania.")


def test_grid_summary_for_one_year_lists_who_met_the_goal() -> None:
    grid = status_grid(SAMPLE, REGISTER, 2015, 2015, ["met"])
    assert summaries.grid_summary(grid, "annual", 2015, 2015, ["met"]) == (
        "In 2015, on the annual basis — ✓ met: 1 (Aland)."
    )


def test_grid_summary_for_a_range_counts_per_year() -> None:
    grid = status_grid(SAMPLE, REGISTER, 2014, 2015)
    text = summaries.grid_summary(grid, "annual", 2014, 2015)
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
    assert summaries.why_text(row) == why


def test_why_for_missing_and_first_years() -> None:
    rows = SAMPLE[SAMPLE["participant"] == "CCC"].set_index("year")
    assert summaries.why_text(rows.loc[2014].to_dict() | {"year": 2014}) == (
        "No earlier value to compare with: the first year with a value."
    )
    assert summaries.why_text(rows.loc[2015].to_dict() | {"year": 2015}) == "No value reported for 2015."


def test_participant_summaries() -> None:
    history = participant_history(SAMPLE, "BBB")
    assert summaries.participant_summary(history, "Borduria", "annual") == (
        "Borduria reported a value for 2 of 2 years on the annual basis (2014–2015) and met the 10% goal in "
        "0 of 1 years that could be judged. In 2015: ✗ not met, 90 < 110 required (10% above 100 in 2014). "
        "At 90 it is below its 10% path from 2014 (110)."
    )
    assert summaries.growth_summary(history, "Borduria") == (
        "Borduria's yearly growth ranged from −10.0% in 2015 to −10.0% in 2015; "
        "it was at or above 10% in 0 of 1 years."
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
    assert summaries.requirement_text(requirement, "Aland") == text


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
    assert summaries.revision_summary(history, "Aland") == (
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
    assert summaries.cycle_sentence(summary.iloc[0]) == (
        "Report 2016 (covering 2014–2015, due 1 July 2016): of 3 expected participants, "
        "complete 2 of 3, 66.7%; on time 1 of 3, 33.3%; 1 late, 1 incomplete, 0 missing."
    )
