"""Before any report is loaded, every page says so instead of failing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from dashboard.pages import compliance, country, overview, reporting
from dashboard.pages import map as map_page
from tests.dashboard.conftest import text_of


@pytest.fixture
def empty_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    """The app serving a database with the reference data and no values at all."""
    from app import server

    path = tmp_path / "empty.db"
    shutil.copyfile(sqlite_template, path)
    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = f"sqlite:///{path}"
    with server.test_request_context("/"):
        yield server
    server.config["VID_DATABASE_URL"] = previous


def test_pages_without_values_say_so(empty_app: Flask) -> None:
    assert "No values have been reported yet." in text_of(map_page.layout())
    assert "No values have been reported yet." in text_of(compliance.layout())
    _cards, sentence, *_ = overview.update_overview("annual")
    assert sentence == "No values on the annual basis yet."
    requirement, *_ = country.update_country("cumulative", "FRA")
    assert requirement == "France has no value yet, so there is nothing to grow from."
    assert "France (FRA)" in text_of(country.layout(iso3="FRA"))


def test_reporting_without_values_shows_every_cycle_as_missing(empty_app: Flask) -> None:
    _figure, _config, _trend, sentence, rows, _cycles, _figures, _query = reporting.update_reporting(None)
    assert rows
    assert {row["status"] for row in rows} == {"missing"}
    assert "complete 0 of 49, 0.0%" in sentence
