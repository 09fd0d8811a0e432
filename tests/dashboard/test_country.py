"""Country page: a participant's series, what it takes, its history; and a clear "not found"."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import Engine

from dashboard.pages import country
from models.metrics import service
from tests.dashboard.conftest import content, find, text_of


@pytest.mark.parametrize(
    ("iso3", "message"),
    [
        ("XYZ", "“XYZ” is not the ISO 3166-1 alpha-3 code of a participant."),
        ("BRA", "Brazil (BRA) is not a registered participant of the Global Alliance."),
        ("bra", "Brazil (BRA) is not a registered participant of the Global Alliance."),
        ("ALL", "“ALL” is not the ISO 3166-1 alpha-3 code of a participant."),
        ("<script>alert(1)</script>", "“<script>aler” is not the ISO 3166-1 alpha-3 code of a participant."),
        ("FRA/extra", "“FRA/extra” is not the ISO 3166-1 alpha-3 code of a participant."),
    ],
)
def test_unknown_or_unregistered_codes_say_not_found(demo_app: Flask, iso3: str, message: str) -> None:
    page = country.layout(iso3=iso3)
    assert find(page, "not-found-message").children == message
    assert country._title(iso3) == "Participant not found · VID Monitor"


def test_lower_case_code_opens_the_participant(demo_app: Flask) -> None:
    page = country.layout(iso3="fra", basis="annual")
    assert "France (FRA)" in text_of(page)
    assert find(page, "country-code").data == "FRA"
    assert find(page, "country-basis").value == "annual"
    assert country._title("fra") == "France · VID Monitor"


def test_without_a_code_the_page_lists_every_participant(demo_app: Flask) -> None:
    page = country.layout()
    assert len(find(page, "country-list").children) == 49


def test_update_country_shows_the_series_what_it_takes_and_why(demo_app: Flask, demo_engine: Engine) -> None:
    requirement, series, _sc, series_summary, growth, _gc, growth_summary, rows, figures, revised, query = (
        country.update_country("annual", "FRA")
    )
    assert (figures, revised) == (None, "")  # the accepted figures; no cycle is closed
    table = service.compliance(demo_engine, "annual")
    latest = table[(table["participant"] == "FRA") & table["value"].notna()].iloc[-1]
    assert requirement.startswith(
        f"To meet the goal in {latest['year'] + 1}, France needs to identify at least"
    )
    assert f"above {latest['value']:,} in {latest['year']}" in requirement
    assert series_summary.startswith("France reported a value for")
    assert growth_summary.startswith("France's yearly growth ranged from")
    # the series: the bars and the 10% path; the growth: the line (broken at gaps) and the points
    assert (len(series["data"]), len(growth["data"])) == (2, 2)
    assert [row["year"] for row in rows] == sorted(row["year"] for row in rows)
    assert all(row["why"] for row in rows)
    assert query == "?basis=annual"


def test_revision_history_shows_the_demo_corrections(demo_app: Flask, demo_engine: Engine) -> None:
    # Find a participant whose demonstration figures were corrected.
    for code in service.participants(demo_engine)["code"]:
        history = service.revisions(demo_engine, code)
        if history["old_value"].notna().any():
            break
    else:
        pytest.fail("the demonstration data has corrected figures")
    page = country.layout(iso3=code)
    assert "correction" in find(page, "country-revisions-summary").children
    rows = find(page, "country-revisions").rowData
    assert any("→" in row["change"] for row in rows)
    assert all(row["recorded_at"].endswith("UTC") for row in rows)


def test_choosing_another_participant_opens_its_page_on_the_same_basis(demo_app: Flask) -> None:
    assert country.navigate_to_participant("DEU", "FRA", "annual") == "/country/DEU?basis=annual"
    assert country.navigate_to_participant("nonsense", "FRA", "x") == "/country/FRA?basis=cumulative"


@pytest.mark.parametrize(
    ("trigger", "name", "last_columns"),
    [
        ("country-series-csv", "vid-fra-series-annual-demo.csv", ["path_value", "on_path", "data_note"]),
        ("country-growth-csv", "vid-fra-growth-annual-demo.csv", ["value", "gap_years", "data_note"]),
        (
            "country-table-csv",
            "vid-fra-years-annual-demo.csv",
            ["on_path", "revised_after_close", "data_note"],
        ),
        (
            "country-revisions-csv",
            "vid-fra-revisions-demo.csv",
            ["synthetic", "revised_after_close", "data_note"],
        ),
    ],
)
def test_downloads(demo_app: Flask, trigger: str, name: str, last_columns: list[str]) -> None:
    download = country.country_download(trigger, basis="annual", code="FRA")
    assert download["filename"] == name
    header = content(download).decode("utf-8-sig").splitlines()[0].split(",")
    assert header[-3:] == last_columns
