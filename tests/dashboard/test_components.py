"""The site frame: navigation from the registered pages, a language, one footer, local map geometry."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine

from dashboard.components import layout, page_frame, tables
from dashboard.pages import not_found_404
from models.db import write_transaction
from models.settings import PROJECT_ROOT
from tests.dashboard.conftest import find, text_of
from tests.web import WebClient


def test_navbar_lists_the_public_pages_in_order_behind_a_menu_button(demo_app: Flask) -> None:
    bar = layout.navbar()
    links = [item for item in bar._traverse() if type(item).__name__ == "NavLink"]
    names = ["Overview", "Map", "Country", "Compliance", "Reporting", "File format"]
    assert [link.children for link in links] == names
    assert [link.href for link in links] == [
        "/",
        "/map",
        "/country",
        "/compliance",
        "/reporting",
        "/file-format",
    ]
    toggler = find(bar, "site-menu-toggler")
    assert toggler.to_plotly_json()["props"]["aria-controls"] == "site-menu"
    assert find(bar, "site-menu").is_open is False  # collapsed on a narrow screen until asked


def test_the_page_declares_its_language_and_has_one_footer() -> None:
    assert '<html lang="en" dir="ltr">' in page_frame.INDEX_STRING
    assert "<footer>" not in page_frame.INDEX_STRING


def test_the_page_asks_for_plotly_js_from_its_head_where_dash_serves_it(demo_app: Flask) -> None:
    """plotly.js is fetched from the top of the head (not when the first graph mounts), from the
    address Dash serves it at, and dcc.Graph finds `window.Plotly` set so it never asks again."""
    page = demo_app.test_client().get("/map").get_data(as_text=True)
    head = page.split("</head>", 1)[0]
    address = "/" + page_frame.PLOTLY_PATH
    assert f'script.src = "{address}";' in head
    assert head.index("window.Plotly = window.Plotly || new Promise") < head.index(
        "<link"
    )  # before the styles
    served = demo_app.test_client().get(address)
    assert served.status_code == 200
    assert served.mimetype in ("application/javascript", "text/javascript")
    assert b"window.Plotly = Plotly;" in served.get_data()  # plotly.js replaces the promise itself
    assert page_frame.index_string("/under/").count('"/under/' + page_frame.PLOTLY_PATH + '"') == 1
    # on /map only, the map's geometry is fetched from the head too (at the address plotly.js asks for)
    assert 'window.location.pathname.indexOf("/map") === 0' in head
    assert f'geometry.href = "/{page_frame.MAP_GEOMETRY_PATH}";' in head
    assert layout.graph_config("map")["topojsonURL"] + "world_50m.json" == "/" + page_frame.MAP_GEOMETRY_PATH


def test_graphs_load_map_geometry_from_the_app(demo_app: Flask) -> None:
    config = layout.graph_config("map-choropleth")
    assert config["topojsonURL"] == "/assets/topojson/"
    assert config["displaylogo"] is False
    assert config["toImageButtonOptions"]["filename"] == "vid-map-choropleth"


def test_year_slider_is_a_labelled_native_range_input() -> None:
    slider = layout.year_slider("map-year", list(range(2012, 2026)), 2020)
    field = find(slider, "map-year")
    assert (field.type, field.min, field.max, field.value) == ("range", 2012, 2025, 2020)
    assert slider.children[0].html_for == "map-year"
    assert {"2012", "2014", "2022", "2025"} <= set(text_of(slider).split())  # the first year too


@pytest.mark.parametrize(
    ("first", "last", "labelled"),
    [
        (2012, 2025, [2012, 2014, 2016, 2018, 2020, 2022, 2025]),
        (2013, 2025, [2013, 2015, 2017, 2019, 2021, 2023, 2025]),
        (2020, 2025, [2020, 2021, 2022, 2023, 2024, 2025]),
    ],
)
def test_the_slider_labels_its_first_and_last_year(first: int, last: int, labelled: list[int]) -> None:
    assert layout.tick_years(list(range(first, last + 1))) == labelled


def test_unknown_addresses_get_a_page_not_found(demo_app: Flask) -> None:
    assert "There is no page at this address." in text_of(not_found_404.layout())


def test_building_the_app_reads_no_database(tmp_path: Path) -> None:
    """Pages are imported when the app is built: none may query at import (the server is unreachable here)."""
    environment = {
        **os.environ,
        "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/unreachable",
        "VID_INSTANCE_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import app, dash; print(len(dash.page_registry))"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pages = [
        path for path in (PROJECT_ROOT / "dashboard" / "pages").glob("*.py") if not path.name.startswith("_")
    ]
    assert result.stdout.strip() == str(len(pages))  # every page module, "not found" included


def test_public_outputs_are_cached_per_data_state_and_arguments(db_url: str, engine: Engine) -> None:
    from app import server
    from dashboard import _data
    from models.recording import CellValue, apply_changes, plan_changes
    from models.tables import Upload

    calls: list[tuple[object, ...]] = []

    @_data.same_for_everyone
    def page_output(*args: object) -> int:
        calls.append(args)
        return len(calls)

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = db_url
    try:
        with server.test_request_context("/"):
            assert page_output("annual", [2020]) == 1
            assert page_output("annual", [2020]) == 1  # served from memory
            assert page_output("cumulative", [2020]) == 2  # other arguments, other entry
            upload = Upload(original_name="x.csv", sha256="0" * 64, size_bytes=1, file_format="csv",
                            uploaded_by="t", submitted_on=dt.date(2024, 1, 1), outcome="loaded")  # fmt: skip
            value = CellValue("DEU", "identified_victims", 2020, 1)
            with write_transaction(engine) as session:
                session.add(upload)
                apply_changes(session, plan_changes(session, [value]), upload, "t", dt.datetime.now(dt.UTC))
            assert page_output("annual", [2020]) == 1  # this request keeps the version it began with
        with server.test_request_context("/"):
            assert page_output("annual", [2020]) == 3  # a write makes every cached output stale
    finally:
        server.config["VID_DATABASE_URL"] = previous


def test_the_file_format_page_shows_the_document_liaisons_follow(web: WebClient) -> None:
    import json
    import re

    content = web.page("/file-format")
    assert "Sending figures: the file format" in content
    assert "identified_victims" in content
    assert "For developers" not in content  # in the document, not on the liaisons' page
    ids = set(re.findall(r'"id":\s*"([^"]+)"', content))
    links = set(re.findall(r"\]\(#([^)]+)\)", json.dumps(json.loads(content), ensure_ascii=False)))
    assert {"the-template", "country"} <= links
    assert links <= ids  # every link to a section lands on its heading


GRID_OUTPUTS = [("compliance-grid-heading", "children"), ("compliance-grid-graph", "figure"),
                ("compliance-grid-graph", "config"),
                ("compliance-grid-summary", "children"), ("compliance-table", "rowData"),
                ("compliance-participants-summary", "children"), ("compliance-figures-note", "children"),
                ("compliance-revised-note", "children"), ("compliance-query", "data")]  # fmt: skip
GRID_INPUTS = [("compliance-basis", "value", "annual"), ("compliance-from", "value", 2020),
               ("compliance-to", "value", 2020), ("compliance-cycle", "value", ""),
               ("compliance-status", "value", ["met", "not_met", "no_baseline", "missing"]),
               ("compliance-participants", "value", ["DEU"]),
               ("compliance-submitted", "value", False)]  # fmt: skip


def test_a_repeated_public_request_gets_the_first_answer_until_the_data_changes(
    web: WebClient, engine: Engine
) -> None:
    from dashboard import _data
    from models.recording import CellValue, apply_changes, plan_changes
    from models.tables import Upload

    first = web.callback(GRID_OUTPUTS, GRID_INPUTS)
    assert first.status_code == 200
    hits = _data.cache().hits
    again = web.callback(GRID_OUTPUTS, GRID_INPUTS)
    assert again.get_data() == first.get_data()
    assert (first.headers[_data.CACHE_HEADER], again.headers[_data.CACHE_HEADER]) == ("miss", "hit")
    assert _data.cache().hits == hits + 1  # answered from the response cache, not recomputed

    upload = Upload(original_name="x.csv", sha256="0" * 64, size_bytes=1, file_format="csv",
                    uploaded_by="t", submitted_on=dt.date(2024, 1, 1), outcome="loaded")  # fmt: skip
    with write_transaction(engine) as session:
        session.add(upload)
        value = CellValue("DEU", "identified_victims", 2020, 4321)
        apply_changes(session, plan_changes(session, [value]), upload, "t", dt.datetime.now(dt.UTC))
    after = web.callback(GRID_OUTPUTS, GRID_INPUTS)
    assert after.status_code == 200
    assert after.headers[_data.CACHE_HEADER] == "miss"
    assert "4321" not in first.get_data(as_text=True)
    assert "4321" in after.get_data(as_text=True)  # a write makes every kept answer stale


def test_a_kept_answer_still_needs_the_csrf_header(web: WebClient) -> None:
    assert web.callback(GRID_OUTPUTS, GRID_INPUTS).status_code == 200
    assert web.callback(GRID_OUTPUTS, GRID_INPUTS, csrf=False).status_code == 400


def test_answers_to_signed_in_callbacks_are_never_kept(web: WebClient, accounts: dict[str, str]) -> None:
    from dashboard import _data
    from tests.conftest import PASSWORD
    from tests.dashboard.test_audit_page import TABLE_OUTPUTS

    web.sign_in(accounts["secretariat"], PASSWORD)
    for _ in range(2):
        response = web.callback(
            TABLE_OUTPUTS,
            [("audit-participant", "value", ""), ("audit-outcome", "value", ""),
             ("audit-since", "value", None), ("audit-until", "value", None)],
        )  # fmt: skip
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        assert _data.CACHE_HEADER not in response.headers  # neither served from nor put in the cache


def test_a_page_layout_that_uses_public_outputs_is_still_never_kept(
    web: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dash

    from dashboard import _data

    @_data.same_for_everyone
    def public_part() -> str:
        return "public"

    page = next(p for p in dash.page_registry.values() if p["path"] == "/")
    original = page["layout"]
    monkeypatch.setitem(page, "layout", lambda **query: (public_part(), original(**query))[1])
    for _ in range(2):
        response = web.callback(
            [("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", "/"), ("_pages_location", "search", "")],
        )
        assert response.status_code == 200
        # the router's answer (with the navbar's sign-in) stays personal: never kept, never served kept
        assert _data.CACHE_HEADER not in response.headers


def test_a_chart_and_a_table_say_loading_until_their_data_arrive() -> None:
    graph = find(layout.chart("map", "ranking", "Ranking"), "map-ranking-graph")
    assert [a["text"] for a in graph.figure["layout"]["annotations"]] == ["Loading…"]
    assert graph.figure["layout"]["xaxis"]["visible"] is False  # no empty axes (−1 … 6)
    grid = tables.table("map-table", None, tables.compliance_columns())
    assert grid.rowData is None  # AG Grid shows its loading overlay until rows come
    assert grid.dashGridOptions["localeText"]["loadingOoo"] == "Loading…"


def test_a_table_is_one_tab_stop_with_its_first_column_pinned() -> None:
    grid = tables.table("map-table", None, tables.compliance_columns())
    options = grid.dashGridOptions
    assert options["tabToNextCell"] == {"function": "false"}  # Tab leaves the grid; arrows move in it
    assert options["tabToNextHeader"] == {"function": "false"}
    assert grid.columnDefs[0]["pinned"] == "left"


@pytest.mark.parametrize(
    ("module", "note_id"),
    [("map", "map-status-progress"), ("compliance", "compliance-status-progress")],
)
def test_pages_showing_status_and_progress_say_what_each_means(
    demo_app: Flask, module: str, note_id: str
) -> None:
    page = importlib.import_module(f"dashboard.pages.{module}")
    with demo_app.test_request_context("/"):
        note = find(page.layout(), note_id)
    assert "Status says whether" in note.children
    assert "9.9% is ✗ not met and ↑ on track" in note.children
