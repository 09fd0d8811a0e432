"""The compliance table against hand-computed cases, at and around the 10% boundary."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from models.metrics.compliance import COLUMNS, compliance_table

G = Decimal("0.10")
FOUNDED = dt.date(2012, 12, 5)


def values(*rows: tuple[str, int, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["participant", "year", "value"])


def registered(*codes: str, joined: dt.date = FOUNDED) -> pd.DataFrame:
    return pd.DataFrame({"code": list(codes), "joined_on": [joined] * len(codes)})


def row(table: pd.DataFrame, participant: str, year: int) -> dict[str, Any]:
    match = table[(table["participant"] == participant) & (table["year"] == year)]
    assert len(match) == 1, (participant, year)
    return {k: (None if pd.isna(v) else v) for k, v in match.iloc[0].to_dict().items()}


def two_years(previous: int, value: int, gap: int = 1) -> dict[str, Any]:
    table = compliance_table(
        values(("AAA", 2014, previous), ("AAA", 2014 + gap, value)), registered("AAA"), G, "annual"
    )
    return row(table, "AAA", 2014 + gap)


@pytest.mark.parametrize(
    ("previous", "value", "gap", "required", "status"),
    [
        (100, 110, 1, 110, "met"),  # exactly 10%
        (30, 33, 1, 33, "met"),  # exactly 10%, where 30 * 1.1 is 33.000000000000004 in floats
        (1000, 1099, 1, 1100, "not_met"),  # just under
        (1000, 1100, 1, 1100, "met"),
        (33, 36, 1, 37, "not_met"),  # 36.3 needed: required rounds up
        (33, 37, 1, 37, "met"),
        (100, 121, 2, 121, "met"),  # two-year gap at exactly 21%
        (100, 120, 2, 121, "not_met"),
        (100, 133, 3, 134, "not_met"),  # 133.1 needed
        (100, 1084, 25, 1084, "met"),  # 100 * 1.1^25 = 1083.47...
        (100, 1083, 25, 1084, "not_met"),
        (100, 90, 1, 110, "not_met"),  # a decline
    ],
)
def test_status_and_required_value(previous: int, value: int, gap: int, required: int, status: str) -> None:
    result = two_years(previous, value, gap)
    assert (result["required_value"], result["status"], result["gap_years"]) == (required, status, gap)
    assert result["previous_value"] == previous
    assert result["previous_year"] == 2014


@pytest.mark.parametrize(
    ("previous", "value", "growth", "progress"),
    [
        (100, 110, 0.10, "on_track"),
        (1000, 1097, 0.097, "on_track"),  # not met, yet on track
        (1000, 1095, 0.095, "on_track"),  # exactly 95% of the target
        (1000, 1094, 0.094, "acceleration_needed"),
        (1000, 1060, 0.06, "acceleration_needed"),  # exactly 60%
        (10000, 10599, 0.0599, "limited_progress"),
        (100, 100, 0.0, "limited_progress"),
        (100, 90, -0.10, "deterioration"),
        (100, 0, -1.0, "deterioration"),
    ],
)
def test_growth_and_graded_progress(previous: int, value: int, growth: float, progress: str) -> None:
    result = two_years(previous, value)
    assert result["growth"] == pytest.approx(growth)
    assert result["progress"] == progress


def test_a_9_7_percent_year_is_not_met_but_on_track() -> None:
    result = two_years(1000, 1097)
    assert (result["status"], result["progress"]) == ("not_met", "on_track")


def test_growth_over_a_gap_is_annualised() -> None:
    assert two_years(100, 121, gap=2)["growth"] == pytest.approx(0.10)


@pytest.mark.parametrize(
    ("value", "status", "required"),
    [(0, "not_met", 1), (1, "met", 1), (250, "met", 1)],
)
def test_from_a_zero_baseline_any_positive_count_meets_the_goal(
    value: int, status: str, required: int
) -> None:
    result = two_years(0, value)
    assert (result["status"], result["required_value"]) == (status, required)
    assert result["growth"] is None
    assert result["progress"] is None


def test_a_single_year_has_no_baseline() -> None:
    table = compliance_table(values(("AAA", 2014, 50)), registered("AAA"), G, "annual")
    result = row(table, "AAA", 2014)
    assert result["status"] == "no_baseline"
    assert result["previous_value"] is None
    assert result["required_value"] is None
    assert (result["baseline_year"], result["path_value"], result["on_path"]) == (2014, 50, True)


def test_missing_years_get_a_row_and_the_next_year_compares_with_the_last_value() -> None:
    table = compliance_table(values(("AAA", 2012, 100), ("AAA", 2015, 133)), registered("AAA"), G, "annual")
    assert [row(table, "AAA", y)["status"] for y in (2012, 2013, 2014, 2015)] == [
        "no_baseline", "missing", "missing", "not_met",
    ]  # fmt: skip
    missing = row(table, "AAA", 2013)
    assert all(
        missing[k] is None for k in ("value", "previous_value", "required_value", "growth", "path_value")
    )
    last = row(table, "AAA", 2015)
    assert (last["previous_year"], last["gap_years"], last["required_value"]) == (2012, 3, 134)


def test_a_participant_that_joined_late_is_missing_only_from_its_joining_year() -> None:
    participants = pd.concat([registered("AAA"), registered("CAN", joined=dt.date(2013, 6, 17))])
    table = compliance_table(
        values(("AAA", 2012, 1), ("AAA", 2013, 2), ("AAA", 2014, 3)), participants, G, "annual"
    )
    canada = table[table["participant"] == "CAN"]
    assert list(canada["year"]) == [2013, 2014]
    assert set(canada["status"]) == {"missing"}


def test_a_value_before_joining_or_before_the_range_still_serves_as_previous() -> None:
    participants = registered("CAN", joined=dt.date(2013, 6, 17))
    table = compliance_table(
        values(("CAN", 2012, 100), ("CAN", 2013, 110), ("CAN", 2014, 130)),
        participants,
        G,
        "annual",
        first_year=2013,
    )
    assert list(table[table["participant"] == "CAN"]["year"]) == [2013, 2014]
    first = row(table, "CAN", 2013)
    assert (first["status"], first["previous_value"], first["baseline_year"]) == ("met", 100, 2012)
    assert row(table, "CAN", 2014)["path_value"] == 121


def test_the_10_percent_path_runs_from_the_first_year_in_the_range() -> None:
    table = compliance_table(
        values(("AAA", 2012, 100), ("AAA", 2013, 105), ("AAA", 2014, 121), ("AAA", 2015, 133)),
        registered("AAA"),
        G,
        "annual",
    )
    assert [row(table, "AAA", y)["path_value"] for y in (2012, 2013, 2014, 2015)] == [100, 110, 121, 134]
    assert [row(table, "AAA", y)["on_path"] for y in (2012, 2013, 2014, 2015)] == [True, False, True, False]


def test_the_alliance_is_a_balanced_panel_when_a_participant_drops_out() -> None:
    table = compliance_table(
        values(
            ("AAA", 2012, 100), ("AAA", 2013, 110), ("AAA", 2014, 120),
            ("BBB", 2012, 50), ("BBB", 2013, 60),  # drops out in 2014
            ("CCC", 2014, 500),  # first reports in 2014: not in the 2014 panel
        ),
        registered("AAA", "BBB", "CCC"),
        G,
        "annual",
    )  # fmt: skip
    first, second, third = (row(table, "ALL", y) for y in (2012, 2013, 2014))
    assert (first["status"], first["value"], first["participants"]) == ("no_baseline", 150, 2)
    assert (second["value"], second["previous_value"], second["participants"]) == (170, 150, 2)
    assert (second["required_value"], second["status"]) == (165, "met")
    assert (third["value"], third["previous_value"], third["participants"]) == (120, 110, 1)
    assert (third["required_value"], third["status"], third["progress"]) == (
        121,
        "not_met",
        "acceleration_needed",
    )
    assert third["growth"] == pytest.approx(10 / 110)


def test_an_alliance_year_with_an_empty_panel_has_no_baseline() -> None:
    table = compliance_table(
        values(("AAA", 2012, 100), ("BBB", 2014, 40)), registered("AAA", "BBB"), G, "annual"
    )
    gap_year = row(table, "ALL", 2013)
    assert gap_year["status"] == "missing"
    after_gap = row(table, "ALL", 2014)
    assert (after_gap["status"], after_gap["value"], after_gap["participants"]) == ("no_baseline", 40, 1)


def test_rows_come_in_the_contract_order_with_the_contract_columns() -> None:
    table = compliance_table(
        values(("ZZZ", 2013, 5), ("AAA", 2013, 1), ("AAA", 2012, 1)),
        registered("AAA", "ZZZ"),
        G,
        "cumulative",
    )
    assert list(table.columns) == COLUMNS
    assert list(zip(table["participant"], table["year"], strict=True)) == [
        ("AAA", 2012), ("AAA", 2013), ("ZZZ", 2012), ("ZZZ", 2013), ("ALL", 2012), ("ALL", 2013),
    ]  # fmt: skip
    assert set(table["basis"]) == {"cumulative"}


def test_counts_beyond_64_bits_in_the_required_value_stay_exact() -> None:
    huge = 2**62
    result = two_years(huge, huge, gap=10)
    assert result["required_value"] == -(-huge * 11**10 // 10**10)
    assert result["status"] == "not_met"


def test_a_float_target_is_refused() -> None:
    with pytest.raises(TypeError, match="exact"):
        compliance_table(values(("AAA", 2012, 1)), registered("AAA"), 0.1, "annual")  # type: ignore[arg-type]


def test_an_empty_table_has_the_columns() -> None:
    table = compliance_table(values(), registered("AAA"), G, "annual")
    assert list(table.columns) == COLUMNS
    assert table.empty


def test_growth_is_rounded_to_six_decimals_for_readers() -> None:
    assert two_years(250, 281)["growth"] == 0.124  # 0.12400000000000011 in floating point


@pytest.mark.parametrize("first_year", [None, 2013, 2015])
def test_the_path_starts_at_the_first_reported_year_whatever_range_is_shown(first_year: int | None) -> None:
    # docs/metrics.md: 200 in 2012 and 300 in 2015; the 2015 path value is ⌈200 × 1.1³⌉ = ⌈266.2⌉ = 267.
    table = compliance_table(
        values(("AAA", 2012, 200), ("AAA", 2015, 300)), registered("AAA"), G, "annual", first_year=first_year
    )
    result = row(table, "AAA", 2015)
    assert (result["baseline_year"], result["path_value"], result["on_path"]) == (2012, 267, True)


def test_a_participant_that_joins_later_starts_its_path_at_its_first_report() -> None:
    table = compliance_table(
        values(("AAA", 2012, 200), ("BBB", 2020, 50), ("BBB", 2022, 60)),
        registered("AAA", "BBB"),
        G,
        "annual",
    )
    result = row(table, "BBB", 2022)
    assert (result["baseline_year"], result["path_value"], result["on_path"]) == (2020, 61, False)  # ⌈60.5⌉


def test_the_alliance_first_year_of_a_range_is_compared_with_the_year_before() -> None:
    data = values(("AAA", 2024, 100), ("AAA", 2025, 111), ("BBB", 2024, 50), ("BBB", 2025, 54))
    table = compliance_table(data, registered("AAA", "BBB"), G, "annual", first_year=2025, last_year=2025)
    alliance = row(table, "ALL", 2025)
    assert (alliance["status"], alliance["value"], alliance["previous_value"]) == ("met", 165, 150)
    assert (alliance["required_value"], alliance["participants"]) == (165, 2)
    assert row(table, "AAA", 2025)["status"] == "met"  # as the participant rows were already


def test_the_first_year_with_any_data_still_has_no_alliance_baseline() -> None:
    table = compliance_table(values(("AAA", 2024, 100), ("AAA", 2025, 111)), registered("AAA"), G, "annual")
    assert row(table, "ALL", 2024)["status"] == "no_baseline"
