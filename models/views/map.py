"""The map page's query (?year=&basis=&measure=&region=) and view: one year, every participant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pandas as pd
from pydantic import BeforeValidator, ValidationInfo

from models.metrics.series import DEFAULT_MEASURE, MEASURES, year_table
from models.reports.summaries import map_heading, map_ranking_heading, map_title, year_summary
from models.views.common import Export, PageData, data_years
from models.views.query import Basis, PageQuery, context_list, parse_choice, parse_year

REGIONS = ("world", "europe")


def _year(value: object, info: ValidationInfo) -> int:
    """A year of the slider (one with data, or a gap between two), else the last; 0 when there is none."""
    years = context_list(info, "years")
    return parse_year(value, years, years[-1] if years else 0) or 0


class MapQuery(PageQuery):
    """?year=YYYY&basis=cumulative|annual&measure=status|growth|value&region=world|europe."""

    year: Annotated[int, BeforeValidator(_year)] = 0
    basis: Basis = "cumulative"
    measure: Annotated[str, BeforeValidator(lambda v: parse_choice(v, MEASURES, DEFAULT_MEASURE))] = (
        DEFAULT_MEASURE
    )
    region: Annotated[str, BeforeValidator(lambda v: parse_choice(v, REGIONS, "world"))] = "world"


@dataclass(frozen=True)
class MapView:
    """Everything the map page shows for a query: the year's rows feed the map, the ranking and the table."""

    query: MapQuery
    years: list[int]
    rows: pd.DataFrame
    map_heading: str
    ranking_heading: str
    summary: str
    exports: dict[str, Export]


def map_query(data: PageData, values: dict[str, object]) -> MapQuery:
    """The checked query for these address keys or control values."""
    return MapQuery.parse(values, years=data_years(data))


def map_view(data: PageData, query: MapQuery) -> MapView:
    """The map page for a query; `exports` is keyed by download button id."""
    year, basis, measure = query.year, query.basis, query.measure
    rows = year_table(data.compliance(basis), data.participants(), year, measure)
    title = map_title(year, basis, measure)
    stem = f"{year}-{basis}-{measure}"  # one name per button: no download overwrites another
    exports = {
        button: Export(f"map-{shown}-{stem}", title, rows, basis, {"year": year})
        for button, shown in (
            ("map-choropleth-csv", "chart"),
            ("map-ranking-csv", "ranking"),
            ("map-table-csv", "table"),
            ("map-table-xlsx", "table"),
        )
    }
    return MapView(
        query=query,
        years=data_years(data),
        rows=rows,
        map_heading=map_heading(year, basis, measure),
        ranking_heading=map_ranking_heading(year, basis, measure),
        summary=year_summary(rows, year, basis, measure),
        exports=exports,
    )
