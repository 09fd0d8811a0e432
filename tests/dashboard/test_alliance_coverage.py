"""Every Alliance figure says how many participants it covers ("n of N"), and one resting on fewer
than half of them says so and shows no bare ✓: the issue's database holding only Germany and France."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from dashboard.pages import compliance, overview
from models.db import make_engine
from models.metrics.headlines import year_headline
from models.metrics.series import alliance_trend, status_grid
from models.metrics.service import compliance as compliance_table
from models.metrics.service import participants
from models.reference import CUMULATIVE
from models.reports.sheets import compliance_sheet
from models.reports.summaries.overview import headline_sentence, trend_summary
from tests.dashboard.conftest import text_of
from tests.models.reports.joint_report.conftest import record


@pytest.fixture(scope="module")
def two_participants_url(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The 49 registered participants, of which only Germany (2023–2025) and France (2023–2024) reported."""
    path = tmp_path_factory.mktemp("two") / "two.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    record(
        engine,
        dt.date(2026, 3, 1),
        ("DEU", CUMULATIVE, 2023, 230), ("DEU", CUMULATIVE, 2024, 250), ("DEU", CUMULATIVE, 2025, 283),
        ("FRA", CUMULATIVE, 2023, 360), ("FRA", CUMULATIVE, 2024, 402),
    )  # fmt: skip
    engine.dispose()
    return url


@pytest.fixture
def two_app(two_participants_url: str) -> Iterator[Flask]:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = two_participants_url
    with server.test_request_context("/"):
        yield server
    server.config["VID_DATABASE_URL"] = previous


def test_a_headline_on_one_of_49_participants_says_so_and_shows_no_tick(two_participants_url: str) -> None:
    table = compliance_table(make_engine(two_participants_url), "cumulative")
    headline = year_headline(table, 2025)
    assert (headline.alliance_panel, headline.expected, headline.alliance_status) == (1, 49, "met")
    assert headline.alliance_thin
    sentence = headline_sentence(headline)
    assert "⚠ Only 1 of 49 participants reported both 2024 and 2025, fewer than half" in sentence
    assert "✓" not in sentence
    assert "goal met" not in sentence


def test_the_overview_card_and_bars_say_how_many_participants_they_cover(two_app: Flask) -> None:
    cards, sentence, _who, _href, figure, config, summary, _query = overview.update_overview("cumulative")
    assert config["toImageButtonOptions"]["filename"] == "vid-alliance-trend-cumulative"
    card = text_of(cards[1])
    assert "⚠ 13.2%" in card
    assert "✓" not in card
    assert "only 1 of 49 participants reporting both years: fewer than half" in card
    assert "border-warning" in cards[1].children.className
    assert "⚠ Only 1 of 49" in sentence
    bars = figure["data"][0]
    assert bars["text"] == ["2 of 49", "2 of 49", "1 of 49"]
    assert bars["customdata"][-1] == ["1 of 49 participants", "283"]
    growth = figure["data"][1]
    assert all(label.startswith("⚠") for label in growth["text"])
    assert "A total covers only the participants that reported: 1 of 49 participants in 2025." in summary


def test_the_compliance_grid_alliance_row_says_what_it_covers(two_app: Flask) -> None:
    outputs = compliance.update_compliance_grid("cumulative", "2024", "2025", "any", ["met", "not_met"], None)
    figure = outputs[1]
    hovers = [cell for trace in figure["data"] for row in trace["customdata"] for cell in row if cell]
    alliance = [h for h in hovers if "Alliance" in h]
    assert alliance
    assert all(
        "Covers ⚠ 1 of 49 participants, fewer than half" in h or "Covers ⚠ 2 of 49" in h for h in alliance
    )


def test_the_report_sheet_marks_a_thin_alliance_status(two_participants_url: str) -> None:
    engine = make_engine(two_participants_url)
    table = compliance_table(engine, "cumulative")
    grid = status_grid(table, participants(engine), 2024, 2025)
    sheet = compliance_sheet(grid, "cumulative", 2024, 2025)
    alliance, covers = sheet.rows[-2], sheet.rows[-1]
    assert alliance[2:] == ("⚠ Met (too few participants)", "⚠ Met (too few participants)")
    assert covers[2:] == ("⚠ 2 of 49: fewer than half", "⚠ 1 of 49: fewer than half")
    trend = trend_summary(alliance_trend(table), "cumulative")
    assert "over ⚠ 1 of 49 participants, fewer than half" in trend
