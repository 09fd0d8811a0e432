"""Map page: one year on the map, the ranking and the table, from the URL or the controls."""

from __future__ import annotations

import io

import openpyxl
import pytest
from dash import html
from flask import Flask
from sqlalchemy import Engine

from dashboard.pages import map as map_page
from models.metrics import service
from models.metrics.headlines import latest_year
from tests.dashboard.conftest import content, find
from tests.web import WebClient


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"year": "2020", "basis": "annual", "measure": "growth", "region": "europe"},
            ("2020", "annual", "growth", "europe"),
        ),
        ({}, (None, "cumulative", "status", "world")),
        (
            {"year": "abc", "basis": "weekly", "measure": "x", "region": "mars"},
            (None, "cumulative", "status", "world"),
        ),
        ({"year": "1999"}, (None, "cumulative", "status", "world")),
        ({"year": ["2015", "2016"]}, ("2015", "cumulative", "status", "world")),
    ],
)
def test_layout_reads_the_url_and_falls_back_to_defaults(
    demo_app: Flask, demo_engine: Engine, query: dict[str, str], expected: tuple[str | None, ...]
) -> None:
    page = map_page.layout(**query)
    latest = latest_year(service.compliance(demo_engine, "cumulative"))
    year = expected[0] or str(latest)
    assert str(find(page, "map-year").value) == year
    assert (
        find(page, "map-basis").value,
        find(page, "map-measure").value,
        find(page, "map-region").value,
    ) == expected[1:]


def test_update_map_draws_the_year_and_writes_the_url(demo_app: Flask, demo_engine: Engine) -> None:
    outputs = map_page.update_map("2020", "annual", "status", "world")
    (
        shown,
        heading,
        choropleth,
        map_config,
        summary,
        _ranking_heading,
        ranking,
        ranking_config,
        _summary,
        rows,
        query,
    ) = outputs
    table = service.compliance(demo_engine, "annual")
    met = table[(table["participant"] != "ALL") & (table["year"] == 2020) & (table["status"] == "met")]
    assert shown == "2020"
    assert heading == "Map: status in 2020, annual basis"
    assert summary.startswith(
        f"In 2020, on the annual basis, {len(met)} of 49 participants met the 10% goal."
    )
    assert sum(len(trace["locations"]) for trace in choropleth["data"]) == 49
    assert len(ranking["data"][0]["y"]) == 49
    assert len(rows) == 49
    assert query == "?year=2020&basis=annual&measure=status&region=world"
    # the PNG downloads are named for what they show, and carry their title, subtitle and source
    assert map_config["toImageButtonOptions"]["filename"] == "vid-map-status-2020-annual-demo"
    assert ranking_config["toImageButtonOptions"]["filename"] == "vid-ranking-status-2020-annual-demo"
    for figure in (choropleth, ranking):
        texts = {a["name"]: a["text"] for a in figure["layout"]["annotations"] if a.get("name")}
        assert texts["chart-title"].startswith(
            "<b>Map: status in 2020</b>" if figure is choropleth else "<b>Ranking"
        )
        assert "Annual basis: identified during the year, 2020" in texts["chart-title"]
        assert "<b>Demonstration data — not real figures</b>" in texts["chart-title"]
        assert texts["chart-source"].startswith(
            "Source: Global Alliance participants' reports to VID Monitor; data version "
        )
        assert figure["layout"]["margin"]["t"] > 60


def test_update_map_ignores_a_tampered_control_value(demo_app: Flask, demo_engine: Engine) -> None:
    latest = latest_year(service.compliance(demo_engine, "cumulative"))
    *_, query = map_page.update_map("'; DROP TABLE", "<b>", None, "x")
    assert query == f"?year={latest}&basis=cumulative&measure=status&region=world"


CONTROLS = {"year": "2020", "basis": "annual", "measure": "growth", "region": "world"}


def test_table_downloads_are_the_rows_shown(demo_app: Flask) -> None:
    csv = map_page.map_download("map-table-csv", **CONTROLS)
    assert csv["filename"] == "vid-map-table-2020-annual-growth-demo.csv"
    header = content(csv).decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:4] == ["participant", "name", "year", "basis"]
    assert header[-1] == "data_note"
    xlsx = map_page.map_download("map-table-xlsx", **CONTROLS)
    book = openpyxl.load_workbook(io.BytesIO(content(xlsx)))
    assert book["Data"].max_row == 50  # header and 49 participants


def test_the_first_year_says_there_is_nothing_to_compare_with(demo_app: Flask, demo_engine: Engine) -> None:
    first = int(service.compliance(demo_engine, "cumulative")["year"].min())
    _shown, _heading, _map, _mc, summary, _rh, ranking, *_ = map_page.update_map(
        str(first), "cumulative", "status", "world"
    )
    assert summary.startswith(
        f"In {first}, on the cumulative basis, there is nothing to compare with yet: {first} is the first "
        "year with a value for 49 of 49 participants (○ no baseline), so none can be judged against the "
        "10% goal."
    )
    assert "met the 10% goal" not in summary
    assert ranking["layout"]["annotations"][0]["text"].startswith(
        "No growth to rank: no participant has an earlier"
    )


def test_the_status_key_is_on_the_ranking_and_the_map_keys_itself(demo_app: Flask) -> None:
    page = map_page.layout(measure="growth")
    keys = [c for c in page._traverse() if isinstance(c, html.Ul) and "Colour key" in str(c)]
    figures = {c.children[0].id: c for c in page.children if isinstance(c, html.Figure)}
    assert figures["map-ranking-heading"].children[1] is keys[0]  # right under the ranking's heading
    assert len(keys) == 1  # none for the map: its figure has its own (a colour bar here)


def test_a_year_nobody_reported_is_shown_as_that_year_with_everyone_missing(
    web: WebClient, engine: Engine
) -> None:
    from data_ingest.load import load_file

    gap = b"country,year,identified_victims\nFRA,2019,10\nFRA,2020,12\nFRA,2022,15\nDEU,2023,4\n"
    assert load_file(engine, gap, "gap.csv", user="tests").status == "loaded"
    from app import server

    with server.test_request_context("/"):
        layout = map_page.layout(year="2021", basis="annual")
        slider = find(layout, "map-year")
        assert (slider.min, slider.max, slider.value) == (2019, 2023, 2021)
        shown, heading, *_rest, rows, query = map_page.update_map(2021, "annual", "status", "world")
    assert shown == "2021"  # the label, the address and the content follow the slider
    assert heading == "Map: status in 2021, annual basis"
    assert query == "?year=2021&basis=annual&measure=status&region=world"
    assert rows
    assert {row["status"] for row in rows} == {"missing"}
