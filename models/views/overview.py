"""The overview page's query (?basis=) and view: latest headlines, the Alliance trend, published totals."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from models.metrics.headlines import latest_year, year_headline
from models.metrics.series import alliance_trend
from models.reports.summaries.charts import chart_subtitle
from models.reports.summaries.cycles import cycle_sentence
from models.reports.summaries.overview import (
    CardText,
    alliance_trend_chart_title,
    alliance_trend_title,
    cycle_card_text,
    headline_cards,
    headline_sentence,
    trend_summary,
    who_met_text,
)
from models.reports.summaries.words import no_values_text, years_text
from models.views.common import Chart, Export, PageData, chart
from models.views.compliance import ComplianceQuery
from models.views.query import Basis, PageQuery


class OverviewQuery(PageQuery):
    """?basis=cumulative|annual."""

    basis: Basis = "cumulative"


@dataclass(frozen=True)
class OverviewView:
    """Everything the overview shows; `year` is None (and `message` says so) when the basis has no value."""

    query: OverviewQuery
    year: int | None
    message: str
    cards: dict[str, CardText]
    sentence: str
    who_met: str
    who_met_href: str
    trend: pd.DataFrame
    trend_summary: str
    trend_chart: Chart | None  # None when there is no value (the page shows a message instead)
    exports: dict[str, Export]


def overview_query(values: dict[str, object]) -> OverviewQuery:
    """The checked query for these address keys or control values."""
    return OverviewQuery.parse(values)


def overview_view(data: PageData, query: OverviewQuery) -> OverviewView:
    """The overview for a query; `exports` is keyed by download button id."""
    basis = query.basis
    compliance = data.compliance(basis)
    trend = alliance_trend(compliance)
    exports = {
        "overview-trend-csv": Export(f"alliance-trend-{basis}", alliance_trend_title(basis), trend, basis)
    }
    year = latest_year(compliance)
    if year is None:
        message = no_values_text(basis)
        return OverviewView(
            query, None, message, {}, message, "", "/compliance", trend, message, None, exports
        )
    headline = year_headline(compliance, year)
    reporting = data.reporting()
    current = reporting.summary[reporting.summary["cycle"] == reporting.current_cycle]
    row = current.iloc[0] if len(current) else None
    cards = dict(
        zip(
            ["overview-card-reporting", "overview-card-growth", "overview-card-met"],
            headline_cards(headline, year, basis),
            strict=True,
        )
    )
    cards["overview-card-cycle"] = cycle_card_text(row)
    sentence = headline_sentence(headline)
    if row is not None:
        sentence += " " + cycle_sentence(row)
    who_met = ComplianceQuery(basis=basis, start=year, end=year, statuses=["met"])
    return OverviewView(
        query=query,
        year=year,
        message="",
        cards=cards,
        sentence=sentence,
        who_met=who_met_text(year),
        who_met_href="/compliance" + who_met.query(),
        trend=trend,
        trend_summary=trend_summary(trend, basis),
        trend_chart=chart(
            data,
            alliance_trend_chart_title(),
            chart_subtitle(basis, years_text(int(trend["year"].min()), int(trend["year"].max()))),
            f"alliance-trend-{basis}",
        ),
        exports=exports,
    )
