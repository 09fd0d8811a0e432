"""The map page's query (?year=&basis=&measure=&region=) and view: one year, every participant."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated

import pandas as pd
from pydantic import BeforeValidator, ValidationInfo

from models.metrics.series import DEFAULT_MEASURE, MEASURES, year_table
from models.metrics.series import map_view as map_frame
from models.metrics.series import ranking_view as ranking_frame
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.years import (
    map_chart_title,
    map_heading,
    map_ranking_heading,
    map_title,
    ranking_chart_title,
    year_summary,
)
from models.views.common import Chart, Export, Exports, PageData, chart, data_years
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
    map_chart: Chart
    ranking_chart: Chart
    exports: Mapping[str, Export]


def map_query(data: PageData, values: dict[str, object]) -> MapQuery:
    """The checked query for these address keys or control values."""
    return MapQuery.parse(values, years=data_years(data))


def map_view(data: PageData, query: MapQuery) -> MapView:
    """The map page for a query; `exports` is keyed by download button id."""
    year, basis, measure = query.year, query.basis, query.measure
    rows = year_table(data.compliance(basis), data.participants(), year, measure)
    title = map_title(year, basis, measure)
    stem = f"{year}-{basis}-{measure}"  # one name per button: no download overwrites another

    # Each CSV holds what its view shows: the map's colours, the ranking's order, the full table.
    def export(shown: str, frame: Callable[[], pd.DataFrame]) -> Callable[[], Export]:
        return lambda: Export(f"map-{shown}-{stem}", title, frame(), basis, {"year": year})

    exports = Exports(
        {
            "map-choropleth-csv": export("chart", lambda: map_frame(rows, measure)),
            "map-ranking-csv": export("ranking", lambda: ranking_frame(rows, measure)),
            "map-table-csv": export("table", lambda: rows),
            "map-table-xlsx": export("table", lambda: rows),
        }
    )
    region = query.region
    subtitle = chart_subtitle(basis, str(year), None if region == "world" else region.capitalize())
    in_region = "" if region == "world" else f"-{region}"
    return MapView(
        query=query,
        years=data_years(data),
        rows=rows,
        map_heading=map_heading(year, basis, measure),
        ranking_heading=map_ranking_heading(year, basis, measure),
        summary=year_summary(rows, year, basis, measure),
        map_chart=chart(
            data, map_chart_title(year, measure), subtitle, f"map-{measure}-{year}-{basis}{in_region}"
        ),
        ranking_chart=chart(
            data, ranking_chart_title(year, measure), subtitle, f"ranking-{measure}-{year}-{basis}"
        ),
        exports=exports,
    )
