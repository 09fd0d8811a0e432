"""Overview page: headline figures for the latest year, the trend, INTERPOL's published totals."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Engine

from dashboard.pages import overview
from models.metrics import service
from models.metrics.headlines import latest_year, year_headline
from tests.dashboard.conftest import content, find, text_of


@pytest.mark.parametrize(
    ("query", "basis"), [({}, "cumulative"), ({"basis": "annual"}, "annual"), ({"basis": "x"}, "cumulative")]
)
def test_layout_takes_the_basis_from_the_url(demo_app: Flask, query: dict[str, str], basis: str) -> None:
    assert find(overview.layout(**query), "overview-basis").value == basis


def test_published_totals_are_shown_with_date_and_source(demo_app: Flask) -> None:
    panel = find(overview.layout(), "overview-published")
    text = text_of(panel)
    assert "42,300 identified victims" in text
    assert "undated" in text
    assert "1 March 2010" in text
    links = [c for c in panel._traverse() if getattr(c, "href", None)]
    assert all(link.href.startswith("http") and link.rel == "noopener noreferrer" for link in links)


@pytest.mark.parametrize("basis", ["cumulative", "annual"])
def test_headlines_match_the_metrics(demo_app: Flask, demo_engine: Engine, basis: str) -> None:
    cards, sentence, _link, href, figure, _config, summary, query = overview.update_overview(basis)
    table = service.compliance(demo_engine, basis)
    year = latest_year(table)
    headline = year_headline(table, year)
    assert sentence.startswith(
        f"In {year}, {headline.met} of {headline.expected} participants met the 10% goal"
    )
    met_card = text_of(cards[2])
    assert f"{headline.met} of {headline.expected}" in met_card
    article = "an" if basis == "annual" else "a"
    assert f"with {article} {basis} count for {year}" in text_of(cards[0])
    assert href == f"/compliance?basis={basis}&from={year}&to={year}&status=met"
    assert [trace["name"] for trace in figure["data"]] == ["Total reported", "Alliance growth"]
    assert summary.startswith(f"On the {basis} basis, the reported total")
    assert query == f"?basis={basis}"


def test_trend_download_is_the_plotted_data_labelled_as_demonstration(demo_app: Flask) -> None:
    download = overview.download_overview_trend(1, "annual")
    assert download["filename"] == "vid-alliance-trend-annual-demo.csv"
    first_line = content(download).decode("utf-8-sig").splitlines()[0]
    assert first_line.split(",") == [
        "year", "total", "reporting", "expected_participants", "panel_value", "panel_previous_value", "panel",
        "required_value", "growth", "status", "progress", "data_note",
    ]  # fmt: skip
