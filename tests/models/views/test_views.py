"""Page queries and views from small frames: one list of years, the fallbacks, the exports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from models.counting import ACCEPTED_ONLY, Counting
from models.metrics.compliance import STATUSES
from models.metrics.service import Reporting
from models.queries import DatasetStatus
from models.views.common import chart, data_years
from models.views.compliance import ComplianceQuery, compliance_query, year_choices
from models.views.map import map_query
from models.views.overview import OverviewQuery
from models.views.reporting import reporting_query


def compliance_rows(values: dict[int, int | None]) -> pd.DataFrame:
    """A compliance table with one participant (and the Alliance row) having `values` by year."""
    rows = [{"participant": "FRA", "year": year, "value": value} for year, value in values.items()]
    rows += [{"participant": "ALL", "year": year, "value": 999} for year in values]
    return pd.DataFrame(rows, columns=["participant", "year", "value"])


class Frames:
    """The reads a page view makes, answered from frames built by the test (models.views.common.PageData)."""

    def __init__(self, cumulative: dict[int, int | None], annual: dict[int, int | None]) -> None:
        self.tables = {"cumulative": compliance_rows(cumulative), "annual": compliance_rows(annual)}

    def compliance(
        self,
        basis: str,
        first_year: int | None = None,
        last_year: int | None = None,
        counting: Counting = ACCEPTED_ONLY,
    ) -> pd.DataFrame:
        return self.tables[basis]

    def revised_after_close(self, participant: str | None = None) -> pd.DataFrame:
        return pd.DataFrame(columns=["participant", "basis", "year", "cycle", "changed_at", "closed_at"])

    def reporting(self, counting: Counting = ACCEPTED_ONLY) -> Reporting:
        summary = pd.DataFrame(
            [
                {"cycle": "Report 2016", "first_year": 2014, "last_year": 2015},
                {"cycle": "Report 2018", "first_year": 2016, "last_year": 2017},
            ]
        )
        return Reporting(pd.DataFrame(), summary, "Report 2016")

    def participants(self) -> pd.DataFrame:
        return pd.DataFrame({"code": ["FRA", "ALL"], "name": ["France", "Alliance (balanced panel)"]})

    def target_growth(self, basis: str) -> Decimal:
        return Decimal("0.1")

    def revisions(self, code: str) -> pd.DataFrame:
        return pd.DataFrame()

    def published_totals(self) -> pd.DataFrame:
        return pd.DataFrame()

    def status(self) -> DatasetStatus:
        return DatasetStatus(3, dt.datetime(2026, 11, 28, tzinfo=dt.UTC), True, 1, 4)


def test_the_years_run_from_the_first_to_the_last_with_data_on_either_basis_gaps_included() -> None:
    # 2013: nobody reported (still a year of the range: everyone shows as missing); 2016: annual only.
    data = Frames({2012: 5, 2013: None, 2014: 9}, {2012: 5, 2016: 3})
    assert data_years(data) == [2012, 2013, 2014, 2015, 2016]


def test_nothing_reported_means_no_years() -> None:
    assert data_years(Frames({2012: None}, {})) == []


def test_the_map_and_the_compliance_page_offer_the_same_years_and_the_cycles_past_years() -> None:
    data = Frames({2012: 5, 2014: 9}, {})
    assert map_query(data, {"year": "2013"}).year == 2013  # the gap year is on the slider
    assert compliance_query(data, {"from": "2013", "to": "2013"}).start == 2013  # and in the selects
    assert year_choices(data) == [2012, 2013, 2014, 2015, 2016, 2017]  # and the cycles' covered years


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({}, (2014, "cumulative", "status", "world")),
        (
            {"year": 2012, "basis": "ANNUAL", "measure": "value", "region": "Europe"},
            (2012, "annual", "value", "europe"),
        ),
        (
            {"year": "1999", "basis": "weekly", "measure": "x", "region": "mars"},
            (2014, "cumulative", "status", "world"),
        ),
        ({"year": ["2013", "2012"], "unknown": "kept out"}, (2013, "cumulative", "status", "world")),
    ],
)
def test_the_map_query_reads_the_address_and_the_controls_alike(
    values: dict[str, object], expected: tuple[object, ...]
) -> None:
    query = map_query(Frames({2012: 5, 2014: 9}, {}), values)
    assert (query.year, query.basis, query.measure, query.region) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, list(STATUSES)),  # absent: every status
        ("none", []),  # the address's word for "none ticked"
        ([], []),  # a checklist with nothing ticked
        ("bogus", list(STATUSES)),
        ("missing,met", ["met", "missing"]),
        (["not_met"], ["not_met"]),
    ],
)
def test_statuses_absent_none_or_chosen(status: object, expected: list[str]) -> None:
    values = {} if status is None else {"status": status}
    assert compliance_query(Frames({2012: 5}, {}), values).statuses == expected


def test_a_cycle_sets_the_years_and_an_unknown_one_is_any() -> None:
    data = Frames({2012: 5, 2018: 9}, {})
    chosen = compliance_query(data, {"cycle": "Report 2018", "from": "2012", "to": "2012"})
    assert (chosen.cycle, chosen.start, chosen.end) == ("Report 2018", 2016, 2017)
    unknown = compliance_query(data, {"cycle": "Report 1999"})
    assert (unknown.cycle, unknown.start, unknown.end) == ("any", 2012, 2018)
    assert unknown.query() == "?basis=cumulative&from=2012&to=2018&status=met,not_met,no_baseline,missing"


def test_a_query_built_in_code_keeps_its_values_and_writes_its_address() -> None:
    query = ComplianceQuery(basis="annual", start=2020, end=2020, statuses=["met"])
    assert query.query() == "?basis=annual&from=2020&to=2020&status=met"
    assert OverviewQuery.parse({"basis": ["annual", "cumulative"]}).query() == "?basis=annual"


def test_the_reporting_query_defaults_to_the_current_cycle() -> None:
    data = Frames({2012: 5}, {})
    assert reporting_query(data, {"cycle": "report 2018"}).cycle == "Report 2018"
    assert reporting_query(data, {"cycle": "Report 1999"}).cycle == "Report 2016"
    assert reporting_query(data, {}).cycle == "Report 2016"


def test_a_chart_says_its_source_with_the_data_version_and_whether_it_is_demonstration_data() -> None:
    described = chart(Frames({2012: 5}, {}), "Map: status in 2012", "Cumulative basis", "map-status-2012")
    assert described.source.endswith("data version 3 of 28 November 2026")
    assert described.demo is True
    assert (described.title, described.stem) == ("Map: status in 2012", "map-status-2012")
