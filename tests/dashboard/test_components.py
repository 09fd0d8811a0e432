"""The site frame: navigation from the registered pages, a language, one footer, local map geometry."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import Engine

from dashboard.components import layout
from dashboard.pages import not_found_404
from models.db import write_transaction
from models.settings import PROJECT_ROOT
from tests.dashboard.conftest import find, text_of
from tests.web import WebClient


def test_navbar_lists_the_five_pages_in_order(demo_app: Flask) -> None:
    links = [item for item in layout.navbar()._traverse() if type(item).__name__ == "NavLink"]
    assert [link.children for link in links] == ["Overview", "Map", "Country", "Compliance", "Reporting"]
    assert [link.href for link in links] == ["/", "/map", "/country", "/compliance", "/reporting"]


def test_the_page_declares_its_language_and_has_one_footer() -> None:
    assert '<html lang="en" dir="ltr">' in layout.INDEX_STRING
    assert "<footer>" not in layout.INDEX_STRING


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
    assert {"2013", "2025"} <= set(text_of(slider).split())


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
                ("compliance-participants-summary", "children"), ("compliance-query", "data")]  # fmt: skip
GRID_INPUTS = [("compliance-basis", "value", "annual"), ("compliance-from", "value", 2020),
               ("compliance-to", "value", 2020), ("compliance-cycle", "value", ""),
               ("compliance-status", "value", ["met", "not_met", "no_baseline", "missing"]),
               ("compliance-participants", "value", ["DEU"])]  # fmt: skip


def test_a_repeated_public_request_gets_the_first_answer_until_the_data_changes(
    web: WebClient, engine: Engine
) -> None:
    from dashboard import _data
    from models.recording import CellValue, apply_changes, plan_changes
    from models.tables import Upload

    first = web.callback(GRID_OUTPUTS, GRID_INPUTS)
    assert first.status_code == 200
    hits = _data._responses.hits
    again = web.callback(GRID_OUTPUTS, GRID_INPUTS)
    assert again.get_data() == first.get_data()
    assert _data._responses.hits == hits + 1  # answered from the response cache, not recomputed

    upload = Upload(original_name="x.csv", sha256="0" * 64, size_bytes=1, file_format="csv",
                    uploaded_by="t", submitted_on=dt.date(2024, 1, 1), outcome="loaded")  # fmt: skip
    with write_transaction(engine) as session:
        session.add(upload)
        value = CellValue("DEU", "identified_victims", 2020, 4321)
        apply_changes(session, plan_changes(session, [value]), upload, "t", dt.datetime.now(dt.UTC))
    after = web.callback(GRID_OUTPUTS, GRID_INPUTS)
    assert after.status_code == 200
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
    kept = len(_data._responses)
    for _ in range(2):
        response = web.callback(
            TABLE_OUTPUTS,
            [("audit-participant", "value", ""), ("audit-outcome", "value", ""),
             ("audit-since", "value", None), ("audit-until", "value", None)],
        )  # fmt: skip
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert len(_data._responses) == kept


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
    kept = len(_data._responses)
    web.page("/")
    web.page("/")
    assert len(_data._responses) == kept  # the router's answer (with the navbar's sign-in) stays personal
