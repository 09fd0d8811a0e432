"""The frames behind the charts and tables: totals, names, rankings and filters, checked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from models.metrics.compliance import compliance_table
from models.metrics.reporting import reporting_table
from models.metrics.series import (
    ALLIANCE_NAME,
    GRID_COLUMNS,
    TREND_COLUMNS,
    YEAR_COLUMNS,
    alliance_trend,
    cycle_table,
    participant_history,
    status_grid,
    with_names,
    year_table,
)

REGISTER = pd.DataFrame(
    {
        "code": ["AAA", "BBB", "CCC"],
        "name": ["Aland", "Borduria", "Carpania"],
        "joined_on": [dt.date(2012, 12, 5)] * 3,
    }
)


def table(*rows: tuple[str, int, int]) -> pd.DataFrame:
    values = pd.DataFrame(rows, columns=["participant", "year", "value"])
    return compliance_table(values, REGISTER, Decimal("0.10"), "annual")


SAMPLE = table(
    ("AAA", 2014, 100), ("AAA", 2015, 120),  # met, growth 20%
    ("BBB", 2014, 100), ("BBB", 2015, 90),  # not met, −10%
    ("CCC", 2015, 50),  # no baseline
)  # fmt: skip


def test_alliance_trend_totals_every_report_and_keeps_the_panel_comparison() -> None:
    trend = alliance_trend(SAMPLE)
    assert list(trend.columns) == TREND_COLUMNS
    first, second = trend.iloc[0], trend.iloc[1]
    assert (first["year"], first["total"], first["reporting"]) == (2014, 200, 2)
    assert pd.isna(first["panel_value"])  # nothing to compare the first year with
    # 2015: all three reported (260), but only AAA and BBB reported both years: 210 against 200.
    assert (second["total"], second["reporting"]) == (260, 3)
    assert (second["panel_value"], second["panel_previous_value"], second["panel"]) == (210, 200, 2)
    assert (second["required_value"], second["status"]) == (220, "not_met")


def test_year_table_ranks_by_the_measure_with_names() -> None:
    by_growth = year_table(SAMPLE, REGISTER, 2015, "growth")
    assert list(by_growth.columns) == YEAR_COLUMNS
    assert list(by_growth["name"]) == ["Aland", "Borduria", "Carpania"]  # 20%, −10%, none last
    by_value = year_table(SAMPLE, REGISTER, 2015, "value")
    assert list(by_value["participant"]) == ["AAA", "BBB", "CCC"]  # 120, 90, 50
    by_status = year_table(SAMPLE, REGISTER, 2015, "status")
    assert list(by_status["status"]) == ["met", "not_met", "no_baseline"]


def test_year_table_refuses_an_unknown_measure() -> None:
    with pytest.raises(ValueError, match="measure"):
        year_table(SAMPLE, REGISTER, 2015, "weekly")


def test_status_grid_filters_years_statuses_and_participants() -> None:
    grid = status_grid(SAMPLE, REGISTER, 2015, 2015, ["met", "no_baseline"])
    assert list(grid.columns) == GRID_COLUMNS
    assert list(zip(grid["participant"], grid["status"], strict=True)) == [
        ("AAA", "met"),
        ("CCC", "no_baseline"),
    ]
    only = status_grid(SAMPLE, REGISTER, codes=["BBB"])
    assert set(only["participant"]) == {"BBB"}


def test_status_grid_keeps_the_alliance_judged_in_the_first_year_shown() -> None:
    grid = status_grid(SAMPLE, REGISTER, 2015, 2015)
    alliance = grid[grid["participant"] == "ALL"].iloc[0]
    assert (alliance["name"], alliance["status"]) == (ALLIANCE_NAME, "not_met")  # judged against 2014
    assert grid.iloc[-1]["participant"] == "ALL"  # the Alliance last


def test_participant_history_is_one_participant_by_year() -> None:
    history = participant_history(SAMPLE, "AAA")
    assert list(history["year"]) == [2014, 2015]
    assert list(history["path_value"]) == [100, 110]


def test_unregistered_codes_keep_their_code_as_name() -> None:
    named = with_names(pd.DataFrame({"participant": ["AAA", "ZZZ"]}), REGISTER)
    assert list(named["name"]) == ["Aland", "ZZZ"]


def test_cycle_table_is_one_cycle_by_name() -> None:
    cycles = pd.DataFrame(
        {"name": ["Report 2016"], "kind": ["biennial_report"], "deadline": [dt.date(2016, 7, 1)]}
        | {"first_year": [2014], "last_year": [2015]}
    )
    reported = pd.DataFrame(
        {"participant": ["BBB", "BBB"], "year": [2014, 2015], "first_submitted_on": [dt.date(2016, 6, 1)] * 2}
    )
    rows = cycle_table(reporting_table(cycles, REGISTER, reported), REGISTER, "Report 2016")
    assert list(zip(rows["name"], rows["status"], strict=True)) == [
        ("Aland", "missing"),
        ("Borduria", "on_time"),
        ("Carpania", "missing"),
    ]
